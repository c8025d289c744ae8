"""Find the feature a planner clicked, from the click's lon/lat."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
from shapely.geometry import Point, box

from geo.crs import WGS84, to_metric

__all__ = ["around", "pick_feature"]

_M_PER_DEG = 90_000  # fewer metres than a degree of longitude or latitude at Suzhou (~95,000)


def around(gdf: gpd.GeoDataFrame, lon: float, lat: float, metres: float) -> gpd.GeoDataFrame:
    """The rows of ``gdf`` (any CRS) whose bounding box comes within about ``metres`` of the
    point (``lon``, ``lat``, WGS84 degrees): a superset of the features within that distance,
    found through the layer's spatial index, so that only these need measuring."""
    if gdf.empty:
        return gdf
    point = gpd.GeoSeries([Point(lon, lat)], crs=WGS84)
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        point = point.to_crs(gdf.crs)
    reach = metres if gdf.crs is not None and gdf.crs.is_projected else metres / _M_PER_DEG
    x, y = point.iloc[0].x, point.iloc[0].y
    found = gdf.sindex.query(box(x - reach, y - reach, x + reach, y + reach))
    return gdf.iloc[sorted(found)]


def pick_feature(
    layers: Sequence[tuple[str, gpd.GeoDataFrame]],
    lon: float,
    lat: float,
    *,
    tooltip_text: str | None = None,
    tolerance_m: float = 60.0,
) -> tuple[str, int] | None:
    """The (layer id, row label) of the feature under a click, or None.

    Parameters
    ----------
    layers
        (layer id, GeoDataFrame) pairs in drawing order; the last one is on top.
    lon, lat
        The click in WGS84 degrees (EPSG:4326).
    tooltip_text
        Text of the clicked feature's tooltip, which carries its id; when an id in it matches,
        that feature wins (the nearest one if several do).
    tolerance_m
        How far from a point or line a click may land, in metres (measured in EPSG:4549).

    Without a matching id, points and lines within the tolerance win over polygons (they are
    drawn on top and hard to hit); among polygons containing the click, the topmost layer's
    smallest polygon wins.
    """
    click = to_metric(gpd.GeoSeries([Point(lon, lat)], crs=WGS84)).iloc[0]
    tokens = set((tooltip_text or "").split())
    for layer_id, gdf in reversed(layers):
        named = gdf[gdf["id"].astype(str).isin(tokens)] if tokens and "id" in gdf else gdf[:0]
        if len(named):
            return layer_id, to_metric(named).distance(click).idxmin()
    # Each layer projected once, topmost first: (id, metric geometries, polygonal mask).
    projected = []
    for layer_id, gdf in reversed(layers):
        near = around(gdf, lon, lat, tolerance_m)
        if not near.empty:
            metric = to_metric(near).geometry
            projected.append((layer_id, metric, metric.geom_type.isin(["Polygon", "MultiPolygon"])))
    best_near: tuple[float, str, int] | None = None
    for layer_id, metric, is_area in projected:
        distance = metric[~is_area].distance(click)
        if len(distance) and distance.min() <= tolerance_m:
            label = distance.idxmin()
            if best_near is None or distance.min() < best_near[0]:
                best_near = (float(distance.min()), layer_id, label)
    if best_near is not None:
        return best_near[1], best_near[2]
    for layer_id, metric, is_area in projected:
        hit = metric[is_area & metric.contains(click)]
        if len(hit):
            return layer_id, hit.area.idxmin()
    return None
