"""Coordinate reference systems of the park, and moving data between them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.transformer import TransformerGroup

from geo.errors import CrsError

__all__ = [
    "CGCS2000",
    "CGCS2000_GK_CM120E",
    "CGCS2000_GK_ZONE40",
    "METRIC_CRS",
    "SUZHOU_BOX_WGS84",
    "UTM_51N",
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
# Suzhou with a margin, lon/lat degrees: where a guessed projection must put the data.
SUZHOU_BOX_WGS84 = (119.9, 30.7, 121.4, 32.1)
UTM_51N = "EPSG:32651"  # WGS84 UTM zone 51N (central meridian 123E), used on the Kunshan side
# (CRS, easting range m, northing range m, reason) for projected coordinates around Suzhou.
# The ranges overlap (300-450 km); the guess takes the CRS that puts the data in Suzhou.
_PROJECTED = (
    (CGCS2000_GK_CM120E, (300_000.0, 700_000.0), (3_300_000.0, 3_600_000.0),
     "eastings near 500,000 m and northings near 3,450,000 m: CGCS2000 GK CM 120E"),
    (CGCS2000_GK_ZONE40, (40_300_000.0, 40_700_000.0), (3_300_000.0, 3_600_000.0),
     "eastings near 40,500,000 m (zone prefix 40): CGCS2000 GK zone 40"),
    (UTM_51N, (150_000.0, 450_000.0), (3_300_000.0, 3_600_000.0),
     "eastings near 300,000 m, which only UTM zone 51N (WGS84) puts in Suzhou"),
)  # fmt: skip


@dataclass(frozen=True)
class CrsGuess:
    """A CRS decided from coordinates, with the reason shown to the planner and the other
    CRSs the numbers would also fit (``alternatives``)."""

    crs: str
    reason: str
    alternatives: tuple[str, ...] = ()


def _centre_wgs84(crs: str, x: float, y: float) -> tuple[float, float]:
    transformer = Transformer.from_pipeline(_pipeline(CRS.from_user_input(crs), CRS(WGS84)))
    return transformer.transform(x, y)


def _in_suzhou(lon: float, lat: float) -> bool:
    x0, y0, x1, y1 = SUZHOU_BOX_WGS84
    return x0 <= lon <= x1 and y0 <= lat <= y1


def guess_crs_from_bounds(minx: float, miny: float, maxx: float, maxy: float) -> CrsGuess | None:
    """Guess the CRS of coordinates that came without one.

    Parameters
    ----------
    minx, miny, maxx, maxy
        Bounds of the data in its own, unknown units.

    Returns
    -------
    CrsGuess or None
        WGS84 for lon/lat inside China; for metres, the projection among CGCS2000 GK CM 120E
        (EPSG:4549), GK zone 40 (EPSG:4528) and UTM 51N (EPSG:32651) whose ranges the numbers
        fit, preferring one that puts them in Suzhou; None when they fit none (ask the planner).
    """
    cx0, cy0, cx1, cy1 = _CHINA_LONLAT
    if cx0 <= minx and maxx <= cx1 and cy0 <= miny and maxy <= cy1:
        return CrsGuess(WGS84, "lon/lat degrees inside China: WGS84 / CGCS2000")
    fits = [(crs, reason) for crs, (e0, e1), (n0, n1), reason in _PROJECTED
            if e0 <= minx and maxx <= e1 and n0 <= miny and maxy <= n1]  # fmt: skip
    if not fits:
        return None
    centre = ((minx + maxx) / 2, (miny + maxy) / 2)
    placed = [f for f in fits if _in_suzhou(*_centre_wgs84(f[0], *centre))] or fits
    crs, reason = placed[0]
    return CrsGuess(crs, reason, tuple(c for c, _ in fits if c != crs))


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
    contexts are per thread); Streamlit runs every rerun of the app in a new thread. Where PROJ
    knows several operations and would choose per coordinate (Beijing 1954 to WGS84: a Helmert
    shift of 15 m accuracy, or a ballpark one), the best one over Suzhou is taken.
    """
    definition = Transformer.from_crs(source, target, always_xy=True).definition
    if not definition.startswith("unavailable"):
        return definition
    suzhou = AreaOfInterest(*SUZHOU_BOX_WGS84)
    group = TransformerGroup(source, target, always_xy=True, area_of_interest=suzhou)
    return group.transformers[0].definition


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
