"""Uploaded layers as registry entries, so that the map, legend and summary treat them alike."""

from __future__ import annotations

import geopandas as gpd

from geo.uploads.report import geometry_type_of
from geo.workspace import Workspace
from layers.registry import LayerSpec, Style

__all__ = ["UPLOAD_GROUP", "load_uploaded_layers", "upload_spec"]

UPLOAD_GROUP = "uploads"
_PALETTE = ("#1f78b4", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928", "#e31a1c", "#01665e")
_STANDARD = ("parcel_id", "land_use", "status", "planned_use", "area_m2", "area_ha", "area_mu")
_MAX_FILE_COLUMNS = 12


def upload_spec(entry: dict, index: int, columns: list[str] | None = None) -> LayerSpec:
    """A registry entry for an uploaded layer (its manifest ``entry``; ``index`` picks a colour).

    Tooltips show the mapped parcel fields; popups add the areas and up to 12 of the file's
    own columns (``columns``).
    """
    mapping = entry.get("mapping", {})
    mapped = [f for f in ("parcel_id", "land_use", "status") if mapping.get(f)]
    own = [c for c in (columns or []) if c not in (*_STANDARD, "id", "declared_area", "geometry")]
    popup = ["id", *[f for f in _STANDARD if f.startswith("area") or mapping.get(f)]]
    popup += own[:_MAX_FILE_COLUMNS]
    color = _PALETTE[index % len(_PALETTE)]
    return LayerSpec(
        id=entry["id"],
        file="",
        name_zh=entry["name"],
        name_en=entry["name"],
        group=UPLOAD_GROUP,
        geometry_type=geometry_type_of(entry),
        schema={"id": "str", **dict.fromkeys(mapped, "str")},
        style=Style(color=color, weight=1.5, fill_color=color, fill_opacity=0.45, radius=6),
        tooltip=tuple(mapped or ["id"]),
        popup=tuple(dict.fromkeys(popup)),
        analysis={"status": "status", "land_use": "land_use"},
    )


def load_uploaded_layers(workspace: Workspace) -> list[tuple[LayerSpec, gpd.GeoDataFrame]]:
    """Every layer saved in ``workspace``, with its registry entry, in upload order."""
    layers = []
    for index, entry in enumerate(workspace.list_layers()):
        gdf = workspace.load(entry["id"])
        layers.append((upload_spec(entry, index, list(gdf.columns)), gdf))
    return layers
