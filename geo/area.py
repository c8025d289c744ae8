"""Areas of polygons in square metres, hectares and mu (亩), measured in a metric CRS."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.crs import to_metric

__all__ = ["M2_PER_HA", "M2_PER_MU", "area_columns", "m2_to_ha", "m2_to_mu"]

M2_PER_HA = 10_000.0
M2_PER_MU = 10_000.0 / 15.0  # 1 mu = 666.67 m²


def m2_to_ha(area_m2: float | pd.Series) -> float | pd.Series:
    """Convert square metres to hectares."""
    return area_m2 / M2_PER_HA


def m2_to_mu(area_m2: float | pd.Series) -> float | pd.Series:
    """Convert square metres to mu (亩; 15 mu = 1 ha)."""
    return area_m2 / M2_PER_MU


def area_columns(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Area of each feature, measured in EPSG:4549 whatever CRS ``gdf`` is in.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_m2`` (to 0.1 m², the one figure the atlas gives a feature everywhere:
        its tables, statistics, exports and prints, so that they add up by hand), and
        ``area_ha`` and ``area_mu`` from it, aligned to ``gdf.index``; 0 for points and lines.
    """
    area_m2 = to_metric(gdf).geometry.area.round(1)
    return pd.DataFrame(
        {"area_m2": area_m2, "area_ha": m2_to_ha(area_m2), "area_mu": m2_to_mu(area_m2)},
        index=gdf.index,
    )
