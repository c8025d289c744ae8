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

__all__ = ["UNASSIGNED", "assign_districts", "group_areas"]

UNASSIGNED = "—"


def assign_districts(parcels: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> pd.Series:
    """The index label of the district each parcel overlaps most (by area, EPSG:4549).

    Returns a Series aligned to ``parcels.index``; NaN where a parcel touches no district.
    Any CRS is accepted for both inputs.
    """
    p = to_metric(parcels).geometry.reset_index(drop=True)
    d = to_metric(districts).geometry.reset_index(drop=True)
    tree = shapely.STRtree(d.values)
    p_idx, d_idx = tree.query(p.values, predicate="intersects")
    result = pd.Series(np.nan, index=parcels.index, dtype=object)
    if len(p_idx) == 0:
        return result
    inside = shapely.contains_properly(d.values[d_idx], p.values[p_idx])
    overlap = np.where(
        inside,
        shapely.area(p.values[p_idx]),
        shapely.area(shapely.intersection(p.values[p_idx], d.values[d_idx])),
    )
    pairs = pd.DataFrame({"parcel": p_idx, "district": d_idx, "overlap": overlap})
    pairs = pairs[pairs["overlap"] > 0]
    best = pairs.loc[pairs.groupby("parcel")["overlap"].idxmax()]
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
