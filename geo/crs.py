"""Coordinate reference systems of the park, and moving data between them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from geo.errors import CrsError

__all__ = [
    "CGCS2000",
    "CGCS2000_GK_CM120E",
    "CGCS2000_GK_ZONE40",
    "METRIC_CRS",
    "WEB_MERCATOR",
    "WGS84",
    "CrsGuess",
    "guess_crs_from_bounds",
    "reproject",
    "require_crs",
    "to_metric",
    "to_wgs84",
]

WGS84 = "EPSG:4326"
CGCS2000 = "EPSG:4490"
CGCS2000_GK_CM120E = "EPSG:4549"  # 3-degree Gauss-Kruger, central meridian 120E, no zone prefix
CGCS2000_GK_ZONE40 = "EPSG:4528"  # the same projection with the zone number 40 before the easting
WEB_MERCATOR = "EPSG:3857"
METRIC_CRS = CGCS2000_GK_CM120E  # the one CRS the atlas measures in (metres)

# Mainland China with a margin, lon/lat degrees.
_CHINA_LONLAT = (73.0, 18.0, 136.0, 54.0)
# (CRS, easting range m, northing range m, reason) for projected coordinates around Suzhou.
_GK_RANGES = (
    (CGCS2000_GK_CM120E, (300_000.0, 700_000.0), (3_300_000.0, 3_600_000.0),
     "eastings near 500,000 m and northings near 3,450,000 m: CGCS2000 GK CM 120E"),
    (CGCS2000_GK_ZONE40, (40_300_000.0, 40_700_000.0), (3_300_000.0, 3_600_000.0),
     "eastings near 40,500,000 m (zone prefix 40): CGCS2000 GK zone 40"),
)  # fmt: skip


@dataclass(frozen=True)
class CrsGuess:
    """A CRS decided from coordinates, with the reason shown to the planner."""

    crs: str
    reason: str


def guess_crs_from_bounds(minx: float, miny: float, maxx: float, maxy: float) -> CrsGuess | None:
    """Guess the CRS of coordinates that came without one.

    Parameters
    ----------
    minx, miny, maxx, maxy
        Bounds of the data in its own, unknown units.

    Returns
    -------
    CrsGuess or None
        WGS84 for lon/lat inside China, EPSG:4549 or EPSG:4528 for Gauss-Kruger metres around
        Suzhou, and None when the coordinates fit none of these (the caller must ask).
    """
    cx0, cy0, cx1, cy1 = _CHINA_LONLAT
    if cx0 <= minx and maxx <= cx1 and cy0 <= miny and maxy <= cy1:
        return CrsGuess(WGS84, "lon/lat degrees inside China: WGS84 / CGCS2000")
    for crs, (e0, e1), (n0, n1), reason in _GK_RANGES:
        if e0 <= minx and maxx <= e1 and n0 <= miny and maxy <= n1:
            return CrsGuess(crs, reason)
    return None


def require_crs(gdf: gpd.GeoDataFrame, *, what: str = "layer") -> CRS:
    """Return the CRS of ``gdf``, or raise CrsError saying how to set one."""
    if gdf.crs is None:
        msg = (
            f"The {what} has no coordinate reference system. "
            "Set one first, e.g. gdf.set_crs('EPSG:4326') for lon/lat degrees."
        )
        raise CrsError(msg)
    return gdf.crs


Geo = TypeVar("Geo", gpd.GeoDataFrame, gpd.GeoSeries)


@lru_cache(maxsize=64)
def _pipeline(source: CRS, target: CRS) -> str:
    """The PROJ pipeline PROJ chooses for source -> target (lon/lat order), worked out once.

    Working it out takes PROJ about 0.15 s, and pyproj does it again in every new thread (its
    contexts are per thread); Streamlit runs every rerun of the app in a new thread.
    """
    return Transformer.from_crs(source, target, always_xy=True).definition


def reproject(data: Geo, crs: str | CRS) -> Geo:
    """``data.to_crs(crs)`` with the operation worked out once per process, not per thread.

    Parameters
    ----------
    data
        A GeoDataFrame or GeoSeries with a CRS; Z values, if any, are kept unchanged.
    crs
        The target CRS, e.g. 'EPSG:4549' (metres) or 'EPSG:4326' (lon/lat degrees).

    Returns
    -------
    A new GeoDataFrame or GeoSeries in ``crs``; ``data`` itself when it is already in ``crs``.
    """
    source = CRS.from_user_input(require_crs(data))
    target = CRS.from_user_input(crs)
    if source == target:
        return data
    transformer = Transformer.from_pipeline(_pipeline(source, target))

    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y, *coords[:, 2:].T])

    moved = shapely.transform(np.asarray(data.geometry.values), move, include_z=None)
    geometry = gpd.GeoSeries(moved, index=data.index, crs=target, name=data.geometry.name)
    if isinstance(data, gpd.GeoSeries):
        return geometry
    out = data.copy()
    out.geometry = geometry
    return out


def to_metric(gdf: Geo) -> Geo:
    """Reproject ``gdf`` to the atlas' metric CRS (EPSG:4549, metres) for measuring."""
    return reproject(gdf, METRIC_CRS)


def to_wgs84(gdf: Geo) -> Geo:
    """Reproject ``gdf`` to WGS84 lon/lat (EPSG:4326), as maps and GeoJSON want it."""
    return reproject(gdf, WGS84)
