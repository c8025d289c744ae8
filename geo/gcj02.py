"""WGS84 <-> GCJ-02 (Gaode, Tencent) <-> BD-09 (Baidu) conversion, vectorised over arrays.

GCJ-02 is the obfuscated datum that Chinese web maps are drawn in; in Suzhou it sits about
400-500 m from WGS84. The forward formula is the published one; the inverse is solved by
fixed-point iteration to well under a millimetre. Outside mainland China nothing is shifted.
No maintained library offers this vectorised over NumPy arrays, hence this module.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.crs import WGS84, to_wgs84

__all__ = [
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "shift_gdf",
    "wgs84_to_gcj02",
]

_A = 6378245.0  # Krasovsky 1940 semi-major axis, metres
_EE = 0.00669342162296594323  # its squared eccentricity
_X_PI = np.pi * 3000.0 / 180.0

Pair = tuple[NDArray[np.float64], NDArray[np.float64]]


def _outside_china(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.bool_]:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _offset(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> Pair:
    """GCJ-02 minus WGS84 at WGS84 (lon, lat), in degrees."""
    x, y = lon - 105.0, lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += common
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += common
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = dlon * 180.0 / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _outside_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> Pair:
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert WGS84 lon/lat degrees (EPSG:4326) to GCJ-02 lon/lat degrees."""
    lon, lat = _as_arrays(lon, lat)
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, tolerance_deg: float = 1e-10) -> Pair:
    """Convert GCJ-02 lon/lat degrees to WGS84 (EPSG:4326), solved iteratively (< 1 mm)."""
    glon, glat = _as_arrays(lon, lat)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(30):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon, wlat = wlon - elon, wlat - elat
        if np.all(np.abs(elon) < tolerance_deg) and np.all(np.abs(elat) < tolerance_deg):
            break
    return wlon, wlat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert GCJ-02 lon/lat degrees to Baidu BD-09 lon/lat degrees."""
    x, y = _as_arrays(lon, lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert Baidu BD-09 lon/lat degrees to GCJ-02 lon/lat degrees."""
    blon, blat = _as_arrays(lon, lat)
    x, y = blon - 0.0065, blat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Convert Baidu BD-09 lon/lat degrees to WGS84 (EPSG:4326)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def _on_xy(fn: Callable[[ArrayLike, ArrayLike], Pair]) -> Callable[[NDArray], NDArray]:
    def apply(coords: NDArray) -> NDArray:
        lon, lat = fn(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return apply


def shift_gdf(
    gdf: gpd.GeoDataFrame, fn: Callable[[ArrayLike, ArrayLike], Pair] = wgs84_to_gcj02
) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` in lon/lat with every vertex passed through ``fn``.

    ``gdf`` is first brought to WGS84 (EPSG:4326); with the default ``fn`` the result is in
    GCJ-02 degrees, which have no EPSG code, so it keeps the EPSG:4326 label and must go only to
    a GCJ-02 basemap.
    """
    out = to_wgs84(gdf).copy()
    out.geometry = shapely.transform(out.geometry.values, _on_xy(fn))
    return out.set_crs(WGS84, allow_override=True)
