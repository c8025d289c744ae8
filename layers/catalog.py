"""Load every base layer at once and describe each: count, geometry type, bbox, area."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.area import area_columns
from geo.crs import to_wgs84
from geo.uploads.report import geometry_type_of
from layers.load import load_layer
from layers.registry import LayerSpec, load_registry

__all__ = ["layer_info", "load_any_layer", "load_base_layers", "shown_layers", "upload_info"]


def load_base_layers() -> list[tuple[LayerSpec, gpd.GeoDataFrame]]:
    """Every registry layer, validated, in registry (drawing) order, EPSG:4326."""
    return [(spec, load_layer(spec)) for spec in load_registry().layers]


def layer_info(spec: LayerSpec, gdf: gpd.GeoDataFrame) -> dict:
    """What ``sip-atlas layers`` and the app's summary show about a layer.

    ``bbox`` is [minx, miny, maxx, maxy] in lon/lat degrees (EPSG:4326); ``area_ha`` is the
    summed polygon area measured in EPSG:4549 (None for point and line layers);
    ``floor_area_wan_m2`` the floor area (land area × FAR, 万m²) of a layer with a FAR, else None.
    """
    minx, miny, maxx, maxy = (round(float(v), 6) for v in to_wgs84(gdf).total_bounds)
    area_ha = floor = None
    if spec.geometry_type == "Polygon":
        areas = area_columns(gdf)
        area_ha = round(float(areas["area_ha"].sum()), 2)
        far = spec.analysis.get("far")
        if far in gdf:
            product = areas["area_m2"] * pd.to_numeric(gdf[far], errors="coerce")
            floor = round(float(product.sum()) / 10_000, 2)
    return {
        "id": spec.id,
        "name_zh": spec.name_zh,
        "name_en": spec.name_en,
        "group": spec.group,
        "feature_count": len(gdf),
        "geometry_type": spec.geometry_type,
        "bbox": [minx, miny, maxx, maxy],
        "area_ha": area_ha,
        "floor_area_wan_m2": floor,
        "illustrative": spec.illustrative,
    }


def upload_info(entry: dict) -> dict:
    """What ``sip-atlas layers`` shows about an uploaded layer, from its manifest entry."""
    return {
        "id": entry["id"],
        "name_zh": entry["name"],
        "name_en": entry["name"],
        "group": "uploads",
        "feature_count": entry["feature_count"],
        "geometry_type": geometry_type_of(entry),
        "bbox": entry["bbox_wgs84"],
        "area_ha": entry["report"]["area_ha"],
        "floor_area_wan_m2": None,
        "illustrative": False,
        "source": entry["source"],
        "created": entry["created"],
    }


def load_any_layer(layer_id: str) -> tuple[LayerSpec, gpd.GeoDataFrame]:
    """A base layer or an uploaded one (from the workspace), by id."""
    from geo.workspace import open_workspace
    from layers.registry import layer_spec
    from layers.uploads import upload_spec

    try:
        spec = layer_spec(layer_id)
    except KeyError:
        workspace = open_workspace()
        entries = workspace.list_layers()
        index = next((i for i, e in enumerate(entries) if e["id"] == layer_id), None)
        if index is None:
            known = ", ".join([s.id for s in load_registry().layers] + [e["id"] for e in entries])
            msg = f"No layer {layer_id!r}. Known layers: {known}"
            raise KeyError(msg) from None
        gdf = workspace.load(layer_id)
        return upload_spec(entries[index], index, list(gdf.columns)), gdf
    return spec, load_layer(spec)


def shown_layers(ids: str | None) -> tuple[list[tuple[LayerSpec, gpd.GeoDataFrame]], set[str]]:
    """The layers a print or a QGIS project of ``ids`` (comma-separated base or uploaded layer
    ids) draws, with the ids shown: those ids and the park's context layers; without ids, the
    base layers and those the map shows at first."""
    if not ids:
        base = load_base_layers()
        return base, {s.id for s, _ in base if s.visible}
    wanted = [i.strip() for i in ids.split(",") if i.strip()]
    context = [(s, g) for s, g in load_base_layers() if s.group == "context"]
    chosen = [load_any_layer(i) for i in wanted if i not in {s.id for s, _ in context}]
    return context + chosen, set(wanted)
