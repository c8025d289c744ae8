"""Walking life circles (GB 50180-2018): who lies within 5, 10 and 15 minutes of a place.

Distances are straight-line metres in EPSG:4549, the standard's planning approximation:
5 min = 300 m, 10 min = 500 m, 15 min = 1,000 m by default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import METRIC_CRS, to_metric

__all__ = [
    "LIFE_CIRCLES_M",
    "area_coverage",
    "circle_coverage",
    "merge_origins",
    "minutes_for",
    "walking_circles",
    "within_distance",
]

LIFE_CIRCLES_M: dict[int, float] = {5: 300.0, 10: 500.0, 15: 1_000.0}


def _origins(origins: gpd.GeoDataFrame) -> np.ndarray:
    return to_metric(origins).geometry.to_numpy()


def merge_origins(*layers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The geometries of several layers, in any CRS, as one origin layer in EPSG:4549."""
    geoms = [to_metric(gdf).geometry for gdf in layers]
    merged = pd.concat(geoms).to_numpy() if geoms else []
    return gpd.GeoDataFrame(geometry=merged, crs=METRIC_CRS)


def minutes_for(radius_m: float, circles: Mapping[int, float] = LIFE_CIRCLES_M) -> int | None:
    """The walking time whose circle has ``radius_m`` metres, or None."""
    return next((m for m, r in circles.items() if r == radius_m), None)


def walking_circles(
    origins: gpd.GeoDataFrame, radii_m: Sequence[float] = tuple(LIFE_CIRCLES_M.values())
) -> gpd.GeoDataFrame:
    """One dissolved circle area per radius (metres) around ``origins``, EPSG:4549.

    Columns: ``radius_m``, ``geometry``; largest circle first so smaller ones draw on top.
    """
    geoms = _origins(origins)
    rows = [
        {"radius_m": float(radius),
         "geometry": shapely.union_all(shapely.buffer(geoms, radius, quad_segs=16))}
        for radius in sorted(set(radii_m), reverse=True)
    ]  # fmt: skip
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS)


def within_distance(
    features: gpd.GeoDataFrame, origins: gpd.GeoDataFrame, distance_m: float
) -> pd.Series:
    """Whether each feature lies within ``distance_m`` metres of any origin (EPSG:4549).

    A feature counts when any part of it is that close (boundary to boundary). Aligned to
    ``features.index``.
    """
    tree = shapely.STRtree(_origins(origins))
    hit = tree.query(to_metric(features).geometry.to_numpy(), predicate="dwithin",
                     distance=distance_m)  # fmt: skip
    mask = np.zeros(len(features), dtype=bool)
    mask[np.unique(hit[0])] = True
    return pd.Series(mask, index=features.index)


def circle_coverage(
    parcels: gpd.GeoDataFrame,
    origins: gpd.GeoDataFrame,
    radii_m: Sequence[float] = tuple(LIFE_CIRCLES_M.values()),
) -> tuple[pd.DataFrame, dict[float, pd.Series]]:
    """How much of ``parcels`` lies inside each walking circle around ``origins``.

    A parcel is *inside* a circle when its representative point is within the radius of an
    origin; *area inside* is the part of each parcel's area that the circle covers.

    Returns
    -------
    table
        One row per radius, smallest first: ``radius_m``, ``parcels``, ``parcels_inside``,
        ``share_parcels`` (0-1), ``area_m2``, ``area_inside_m2``, ``share_area`` (0-1).
    inside
        For each radius, a boolean Series aligned to ``parcels.index``.
    """
    points = shapely.point_on_surface(to_metric(parcels).geometry.to_numpy())
    tree = shapely.STRtree(_origins(origins))
    circles = walking_circles(origins, radii_m).set_index("radius_m").geometry
    inside = {}
    for radius in sorted(set(float(r) for r in radii_m)):
        mask = np.zeros(len(points), dtype=bool)
        mask[np.unique(tree.query(points, predicate="dwithin", distance=radius)[0])] = True
        inside[radius] = pd.Series(mask, index=parcels.index)
    return area_coverage(parcels, circles.to_dict(), inside)


def area_coverage(
    parcels: gpd.GeoDataFrame,
    areas: Mapping[float, object],
    inside: Mapping[float, pd.Series] | None = None,
) -> tuple[pd.DataFrame, dict[float, pd.Series]]:
    """How much of ``parcels`` lies inside each area (distance in metres -> polygon, EPSG:4549:
    a walking circle, or a service area along streets).

    A parcel is *inside* when its representative point is in the area (or as ``inside`` says,
    per distance); *area inside* is the part of its area the polygon covers. Returns the table
    (``radius_m``, ``parcels``, ``parcels_inside``, ``share_parcels`` 0-1, ``area_m2``,
    ``area_inside_m2``, ``share_area`` 0-1), smallest first, and for each distance a boolean
    Series aligned to ``parcels.index``.
    """
    metric = to_metric(parcels).geometry.to_numpy()
    points = shapely.point_on_surface(metric)
    area = shapely.area(metric)
    rows, found = [], {}
    for distance in sorted(areas):
        polygon = areas[distance]
        shapely.prepare(polygon)
        if inside is not None:
            mask = inside[distance].to_numpy()
        else:
            mask = shapely.contains(polygon, points)
        found[distance] = pd.Series(mask, index=parcels.index)
        covered = shapely.contains(polygon, metric)
        partial = ~covered & shapely.intersects(polygon, metric)
        area_inside = np.where(covered, area, 0.0)
        area_inside[partial] = shapely.area(shapely.intersection(metric[partial], polygon))
        rows.append({
            "radius_m": distance, "parcels": len(metric), "parcels_inside": int(mask.sum()),
            "share_parcels": float(mask.mean()) if len(metric) else 0.0,
            "area_m2": round(float(area.sum()), 1),
            "area_inside_m2": round(float(area_inside.sum()), 1),
            "share_area": float(area_inside.sum() / area.sum()) if area.sum() else 0.0,
        })  # fmt: skip
    return pd.DataFrame(rows), found
