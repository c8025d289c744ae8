"""Load registry layers from data/ as validated GeoDataFrames in EPSG:4326."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from geo.crs import WGS84
from geo.errors import DataError
from geo.settings import data_dir
from layers.registry import LayerSpec, layer_spec

__all__ = ["load_layer", "validate_layer"]

_DTYPE_CHECKS = {
    "str": lambda s: pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s),
    "float": pd.api.types.is_numeric_dtype,
    "int": pd.api.types.is_integer_dtype,
    "bool": pd.api.types.is_bool_dtype,
}


def validate_layer(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Check ``gdf`` against its registry entry and return it; raise DataError listing faults.

    Checks: CRS is EPSG:4326, the schema's columns exist with their types, ids are unique and
    names present in both languages, geometries are non-empty, valid and of the declared type
    (multi-part variants allowed).
    """
    problems: list[str] = []
    if gdf.crs is None or not CRS.from_user_input(gdf.crs).equals(CRS.from_user_input(WGS84)):
        problems.append(f"CRS is {gdf.crs}, expected EPSG:4326 (lon/lat)")
    for column, kind in spec.schema.items():
        if column not in gdf.columns:
            problems.append(f"column {column!r} is missing")
        elif not _DTYPE_CHECKS[kind](gdf[column]):
            problems.append(f"column {column!r} should be {kind}, is {gdf[column].dtype}")
    if "id" in gdf.columns and gdf["id"].duplicated().any():
        problems.append(f"duplicate ids: {sorted(gdf['id'][gdf['id'].duplicated()])}")
    for column in ("name_zh", "name_en"):
        if column in gdf.columns and (gdf[column].isna() | (gdf[column] == "")).any():
            problems.append(f"features without {column}")
    geoms = gdf.geometry
    if (geoms.isna() | geoms.is_empty).any():
        problems.append("empty or missing geometries")
    elif not geoms.is_valid.all():
        problems.append(f"invalid geometries at rows {list(gdf.index[~geoms.is_valid])}")
    allowed = {spec.geometry_type, f"Multi{spec.geometry_type}"}
    wrong = set(geoms.dropna().geom_type) - allowed
    if wrong:
        problems.append(f"geometry types {sorted(wrong)}, expected {spec.geometry_type}")
    if problems:
        msg = f"Layer {spec.id!r} ({spec.file}) is not usable: " + "; ".join(problems)
        raise DataError(msg)
    return gdf


def load_layer(layer: str | LayerSpec) -> gpd.GeoDataFrame:
    """Read a base layer from the data folder and validate it (EPSG:4326, lon/lat degrees)."""
    spec = layer_spec(layer) if isinstance(layer, str) else layer
    path = data_dir() / spec.file
    if not path.exists():
        msg = f"Layer file {path} is missing. Restore data/ from the repository."
        raise DataError(msg)
    gdf = gpd.read_file(path, engine="pyogrio")
    return validate_layer(gdf, spec)
