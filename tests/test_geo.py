"""CRS helpers, GCJ-02 conversion and area units."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from geo.area import M2_PER_MU, area_columns, m2_to_ha, m2_to_mu
from geo.crs import (
    CGCS2000_GK_CM120E,
    CGCS2000_GK_ZONE40,
    WGS84,
    guess_crs_from_bounds,
    reproject,
    require_crs,
    to_metric,
    to_wgs84,
)
from geo.errors import CrsError
from geo.gcj02 import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    shift_gdf,
    wgs84_to_gcj02,
)


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((120.64, 31.23, 120.86, 31.44), WGS84),
        ((560_000, 3_455_000, 582_000, 3_478_000), CGCS2000_GK_CM120E),
        ((40_560_000, 3_455_000, 40_582_000, 3_478_000), CGCS2000_GK_ZONE40),
        ((-10, 51, 2, 53), None),  # lon/lat in Europe
        ((10, 10, 5_000_000, 5_000_000), None),  # metres of no known zone
    ],
)
def test_guess_crs_from_bounds(bounds, expected):
    guess = guess_crs_from_bounds(*bounds)
    assert (guess.crs if guess else None) == expected
    if guess:
        assert guess.reason


def test_gk_guess_matches_reprojection_of_the_park():
    park = gpd.GeoSeries([box(120.64, 31.23, 120.86, 31.44)], crs=WGS84)
    for crs in (CGCS2000_GK_CM120E, CGCS2000_GK_ZONE40):
        assert guess_crs_from_bounds(*park.to_crs(crs).total_bounds).crs == crs


def test_require_crs_says_how_to_fix():
    with pytest.raises(CrsError, match="set_crs"):
        require_crs(gpd.GeoDataFrame(geometry=[Point(120.7, 31.3)]))


def test_to_metric_and_back_round_trip():
    gdf = gpd.GeoDataFrame(geometry=[Point(120.692, 31.314)], crs=WGS84)
    metric = to_metric(gdf)
    assert metric.crs.to_epsg() == 4549
    assert 560_000 < metric.geometry.x[0] < 570_000  # 0.69 degrees east of the 120E meridian
    back = to_wgs84(metric)
    assert back.geometry.x[0] == pytest.approx(120.692, abs=1e-9)


@pytest.mark.parametrize("target", ["EPSG:4549", "EPSG:4528", "EPSG:3857", "EPSG:4490"])
def test_reproject_agrees_with_geopandas_and_keeps_everything_else(target):
    gdf = gpd.GeoDataFrame(
        {"名称": ["地块", "点", "空"]},
        geometry=[box(120.70, 31.30, 120.71, 31.31), Point(120.75, 31.32, 4.5), None],
        crs=WGS84,
        index=[7, 8, 9],
    )
    ours, theirs = reproject(gdf, target), gdf.to_crs(target)
    assert ours.crs == theirs.crs and list(ours.columns) == list(gdf.columns)
    assert list(ours.index) == [7, 8, 9] and ours.geometry.iloc[2] is None
    assert ours.geometry.iloc[:2].geom_equals_exact(theirs.geometry.iloc[:2], 1e-6).all()
    assert ours.geometry.iloc[1].z == 4.5  # heights are carried, not moved
    assert reproject(gdf.geometry, target).crs == theirs.crs  # a GeoSeries too
    assert gdf.crs.to_epsg() == 4326  # the input is left as it was
    assert reproject(gdf, WGS84) is gdf  # already there: nothing to do


def test_reproject_in_a_new_thread_gives_the_same_coordinates():
    """Streamlit runs each rerun in a new thread; the kept pipeline must work in every one."""
    import threading

    gdf = gpd.GeoDataFrame(geometry=[Point(120.692, 31.314)], crs=WGS84)
    here = reproject(gdf, CGCS2000_GK_CM120E).geometry.iloc[0]
    there = []
    thread = threading.Thread(
        target=lambda: there.append(reproject(gdf, CGCS2000_GK_CM120E).geometry.iloc[0])
    )
    thread.start()
    thread.join()
    assert there[0].equals_exact(here, 1e-9)


# Published pairs (wandergis/coordtransform README, Tiananmen test point).
def test_wgs84_to_gcj02_matches_published_pair():
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert (lon, lat) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-9)


def test_gcj02_to_wgs84_matches_published_pair_within_a_metre():
    lon, lat = gcj02_to_wgs84(116.404, 39.915)
    # The published inverse is a one-step approximation; ours iterates. Both agree within 1 m.
    assert lon == pytest.approx(116.39775550083061, abs=1e-5)
    assert lat == pytest.approx(39.91359571849836, abs=1e-5)


def test_bd09_matches_published_pairs():
    assert bd09_to_gcj02(116.404, 39.915) == pytest.approx(
        (116.39762729119315, 39.90865673957631), abs=1e-9
    )
    assert gcj02_to_bd09(116.404, 39.915) == pytest.approx(
        (116.41036949371029, 39.92133699351021), abs=1e-9
    )


def test_gcj02_round_trip_under_a_metre_across_the_park():
    lon, lat = np.meshgrid(np.linspace(120.60, 120.90, 31), np.linspace(31.20, 31.50, 31))
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon.ravel(), lat.ravel()))
    err_m = np.hypot((back_lon - lon.ravel()) * 95_000, (back_lat - lat.ravel()) * 111_000)
    assert err_m.max() < 1.0
    bd_lon, bd_lat = gcj02_to_bd09(*wgs84_to_gcj02(120.692, 31.314))
    assert bd09_to_wgs84(bd_lon, bd_lat) == pytest.approx((120.692, 31.314), abs=1e-6)


def test_gcj02_offset_in_suzhou_is_a_few_hundred_metres():
    lon, lat = wgs84_to_gcj02(120.692, 31.314)
    offset_m = np.hypot((lon - 120.692) * 95_000, (lat - 31.314) * 111_000)
    assert 300 < offset_m < 700


def test_outside_china_is_not_shifted():
    assert wgs84_to_gcj02(2.35, 48.85) == pytest.approx((2.35, 48.85))


def test_shift_gdf_moves_every_vertex_and_keeps_the_input():
    gdf = gpd.GeoDataFrame({"id": ["a"]}, geometry=[box(120.7, 31.3, 120.71, 31.31)], crs=WGS84)
    shifted = shift_gdf(gdf)
    assert gdf.geometry[0].bounds == (120.7, 31.3, 120.71, 31.31)
    dx = shifted.geometry[0].bounds[0] - 120.7
    assert 0.003 < dx < 0.006  # about 400 m east at this latitude
    assert shifted["id"].tolist() == ["a"]


def test_area_units():
    assert abs(M2_PER_MU - 10_000 / 15) < 1e-9 and round(M2_PER_MU, 2) == 666.67
    assert m2_to_ha(10_000) == 1
    assert m2_to_mu(10_000) == pytest.approx(15)


def test_area_columns_measure_in_metres_whatever_the_input_crs():
    square_m = gpd.GeoDataFrame(
        geometry=[box(500_000, 3_465_000, 500_100, 3_465_100)], crs=CGCS2000_GK_CM120E
    )
    areas = area_columns(square_m)
    assert areas.loc[0, "area_m2"] == pytest.approx(10_000)
    assert areas.loc[0, "area_ha"] == pytest.approx(1)
    assert areas.loc[0, "area_mu"] == pytest.approx(15)
    in_degrees = area_columns(square_m.to_crs(WGS84))
    assert in_degrees.loc[0, "area_m2"] == pytest.approx(10_000, rel=1e-6)
    assert list(in_degrees.index) == list(square_m.index)
