"""Uploaded layers as registry entries, so that the map, legend and summary treat them alike."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd

from geo.tile_source import tile_source
from geo.tiles import tiled
from geo.uploads.report import geometry_type_of
from geo.workspace import Workspace
from layers.folium_map import UPLOAD_GROUP
from layers.registry import LayerSpec, Style

__all__ = ["UPLOAD_GROUP", "ensure_tiles", "entry_tile_fields", "load_uploaded_layers",
           "name_column", "tile_fields", "upload_spec"]  # fmt: skip

# Colours of their own, apart from the atlas' (blue water, green services, red parcels, pink
# scenes, orange carrier parks, purple platforms and proposals): ColorBrewer BrBG / PiYG ends.
_PALETTE = ("#01665e", "#8c510a", "#35978f", "#bf812d", "#4d4d4d", "#003c30", "#543005")
_STANDARD = ("parcel_id", "land_use", "status", "planned_use", "area_m2", "area_ha", "area_mu")
_MAX_FILE_COLUMNS = 12
# Columns that name a feature, most telling first (compared without case); failing these, the
# first column whose name ends in 名称 / 名 or holds "name".
_NAME_COLUMNS = ("name_zh", "名称", "name", "名字", "地名", "mc", "name_chn", "name_en")


def name_column(columns: list[str]) -> str | None:
    """The column of an uploaded file that names its features (e.g. 名称, NAME), or None."""
    lowered = {str(c).lower(): c for c in columns}
    for wanted in _NAME_COLUMNS:
        if wanted in lowered:
            return lowered[wanted]
    return next((c for c in columns
                 if str(c).endswith(("名称", "名")) or "name" in str(c).lower()), None)  # fmt: skip


def upload_spec(entry: dict, index: int, columns: list[str] | None = None) -> LayerSpec:
    """A registry entry for an uploaded layer (its manifest ``entry``; ``index`` picks a colour).

    Tooltips show the file's name column, the feature's number (its ``id``: the mapped parcel
    number where there is one) and the mapped land use and status; popups add the areas and
    up to 12 of the file's own columns (``columns``).
    """
    mapping = entry.get("mapping", {})
    mapped = [f for f in ("land_use", "status") if mapping.get(f)]
    own = [c for c in (columns or []) if c not in (*_STANDARD, "id", "declared_area", "geometry")]
    named = name_column(own)
    popup = ["id", *[f for f in _STANDARD if f.startswith("area") or mapping.get(f)]]
    popup += own[:_MAX_FILE_COLUMNS]
    color = _PALETTE[index % len(_PALETTE)]
    kind = geometry_type_of(entry)
    return LayerSpec(
        id=entry["id"],
        file="",
        name_zh=entry["name"],
        name_en=entry["name"],
        group=UPLOAD_GROUP,
        geometry_type=kind,
        roles=("walking_origin",) if kind == "Point" else (),  # a facility layer: circles of it
        schema={"id": "str", **dict.fromkeys(mapped, "str"), **({named: "str"} if named else {})},
        style=Style(color=color, weight=1.5, fill_color=color, fill_opacity=0.45, radius=6),
        tooltip=tuple([*([named] if named else []), "id", *mapped]),
        popup=tuple(dict.fromkeys(popup)),
        analysis={"status": "status", "land_use": "land_use"},
        visible=False,  # switched on for the planner who saved it, by the upload panel
        label=named,
        label_min_zoom=13.0,
        tiles=int(entry.get("feature_count", 0)) if tiled(entry) else 0,
    )


def tile_fields(spec: LayerSpec) -> tuple[list[str], str | None]:
    """What a tiled layer's tiles carry: the fields of its tooltip and label, and the field its
    style classes come from (None: one colour)."""
    fields = list(dict.fromkeys([*spec.tooltip, *([spec.label] if spec.label else [])]))
    return fields, spec.style.by


def entry_tile_fields(entry: dict) -> tuple[list[str], str | None]:
    """``tile_fields`` of a saved layer from its manifest entry (which lists its columns)."""
    return tile_fields(upload_spec(entry, 0, entry.get("columns")))


def ensure_tiles(workspace, spec: LayerSpec, load: Callable[[], gpd.GeoDataFrame], *,
                 wait: bool = False) -> dict:  # fmt: skip
    """The tile state of a tiled saved layer (``{"state": ...}``), building its tiles first if
    they are missing: in a background thread, or here and now with ``wait``. ``load`` gives
    the layer (EPSG:4326)."""
    source = tile_source(workspace, spec.id)
    return source.ensure(load, *tile_fields(spec), spec.tiles, wait=wait)


def load_uploaded_layers(workspace: Workspace) -> list[tuple[LayerSpec, gpd.GeoDataFrame]]:
    """Every layer saved in ``workspace``, with its registry entry, in upload order."""
    layers = []
    for index, entry in enumerate(workspace.list_layers()):
        gdf = workspace.load(entry["id"])
        layers.append((upload_spec(entry, index, list(gdf.columns)), gdf))
    return layers
