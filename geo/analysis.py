"""Overlay statistics: which district each parcel falls in, and counts and areas by group.

Everything is measured in EPSG:4549 metres; areas come out in m², ha and mu.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.area import m2_to_ha, m2_to_mu
from geo.crs import to_metric

__all__ = ["UNASSIGNED", "assign_districts", "district_parts", "group_areas"]

UNASSIGNED = "—"


def _size(geoms: np.ndarray) -> np.ndarray:
    """Area of polygons, length of lines, 1 for points: what 'most of a feature' measures."""
    kind = shapely.get_type_id(geoms)
    polygonal, lineal = np.isin(kind, (3, 6)), np.isin(kind, (1, 2, 5))
    return np.where(polygonal, shapely.area(geoms), np.where(lineal, shapely.length(geoms), 1.0))


def _parts(parcels: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """(parcel position, district position, share inside) of each overlapping pair."""
    p = to_metric(parcels).geometry.to_numpy()
    d = to_metric(districts).geometry.to_numpy()
    p_idx, d_idx = shapely.STRtree(d).query(p, predicate="intersects")
    pieces = p[p_idx]
    whole = _size(pieces)
    inside = shapely.contains_properly(d[d_idx], pieces)
    part = np.where(inside, whole, _size(shapely.intersection(pieces, d[d_idx])))
    share = np.divide(part, whole, out=np.ones_like(part), where=whole > 0)
    pairs = pd.DataFrame({"parcel": p_idx, "district": d_idx, "share": np.clip(share, 0, 1)})
    return pairs[pairs["share"] > 0]


def district_parts(parcels: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each (parcel, district) pair that overlaps, with the share of the parcel inside the
    district (0-1: by area for polygons, by length for lines, 1 for a point within it).

    Columns ``parcel`` and ``district`` hold index labels of ``parcels`` and ``districts``, and
    ``share``; measured in EPSG:4549, any CRS in.
    """
    pairs = _parts(parcels, districts)
    return pairs.assign(
        parcel=parcels.index[pairs["parcel"].to_numpy()],
        district=districts.index[pairs["district"].to_numpy()],
    ).reset_index(drop=True)


def assign_districts(parcels: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.Series:
    """The index label of the district holding most of each parcel: the largest of its parts,
    where the part outside every district is a part too (a parcel 4% inside a district and 96%
    outside belongs to none). Measured by area (EPSG:4549); lines by length, points by the
    district they lie in.

    Returns a Series aligned to ``parcels.index``; NaN where a parcel belongs to no district.
    Any CRS is accepted for both inputs.
    """
    result = pd.Series(np.nan, index=parcels.index, dtype=object)
    pairs = _parts(parcels, districts)
    if pairs.empty:
        return result
    outside = 1.0 - pairs.groupby("parcel")["share"].sum().clip(upper=1.0)
    best = pairs.loc[pairs.groupby("parcel")["share"].idxmax()]
    best = best[best["share"].to_numpy() >= outside.loc[best["parcel"]].to_numpy()]
    result.iloc[best["parcel"].to_numpy()] = districts.index[best["district"].to_numpy()]
    return result


def group_areas(
    parcels: gpd.GeoDataFrame,
    by: Sequence[str],
    *,
    area_m2: pd.Series | None = None,
    far: pd.Series | None = None,
) -> pd.DataFrame:
    """Count and area of ``parcels`` grouped by the columns ``by``.

    ``area_m2`` may pass areas already measured (aligned to ``parcels``); otherwise they are
    measured in EPSG:4549. Missing group values show as '—'. Columns: the ``by`` columns,
    ``count``, ``area_m2``, ``area_ha``, ``area_mu``; with ``far`` (floor area ratio, aligned
    to ``parcels``) also ``floor_area_m2`` (land area × FAR; parcels without a FAR add nothing)
    and ``floor_area_wan_m2`` (万m², 10,000 m²). Sorted by area, largest first.
    """
    areas = area_m2 if area_m2 is not None else to_metric(parcels).geometry.area
    frame = pd.DataFrame({c: parcels[c].astype(object).fillna(UNASSIGNED) for c in by})
    frame = frame.replace("", UNASSIGNED)
    frame["area_m2"] = areas.to_numpy()
    sums = {"count": ("area_m2", "size"), "area_m2": ("area_m2", "sum")}
    if far is not None:
        frame["floor_area_m2"] = areas.to_numpy() * pd.to_numeric(far, errors="coerce").to_numpy()
        sums["floor_area_m2"] = ("floor_area_m2", "sum")
    table = frame.groupby(list(by), dropna=False).agg(**sums)
    table = table.reset_index().sort_values("area_m2", ascending=False, ignore_index=True)
    table["area_m2"] = table["area_m2"].round(1)
    table["area_ha"] = m2_to_ha(table["area_m2"]).round(3)
    table["area_mu"] = m2_to_mu(table["area_m2"]).round(2)
    if far is not None:
        floor = table.pop("floor_area_m2")
        table["floor_area_m2"] = floor.round(1)
        table["floor_area_wan_m2"] = (floor / 10_000).round(2)
    return table
