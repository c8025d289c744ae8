"""Overlays and walking circles against answers worked out by hand (EPSG:4549 metres)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.analysis import UNASSIGNED, assign_districts, district_parts, group_areas
from geo.walking import circle_coverage, walking_circles, within_distance
from layers.analysis import AnalysisLayer, filter_parcels, overlay_table
from layers.registry import layer_spec

X0, Y0 = 565_000.0, 3_465_000.0  # near Jinji Lake, CGCS2000 GK CM 120E


def _gdf(geoms, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs="EPSG:4549")


@pytest.fixture
def districts():
    # Two 1 km squares side by side: A west, B east.
    return _gdf([box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)],
                id=["A", "B"], name_zh=["甲区", "乙区"], name_en=["A", "B"])  # fmt: skip


@pytest.fixture
def squares():
    # p1: 1 ha inside A; p2: 1 ha, 30 m in A and 70 m in B; p3: 4 ha outside both; p4: 1 ha in B.
    return _gdf(
        [box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),
         box(X0 + 970, Y0 + 500, X0 + 1070, Y0 + 600),
         box(X0 + 3000, Y0, X0 + 3200, Y0 + 200),
         box(X0 + 1500, Y0 + 100, X0 + 1600, Y0 + 200)],
        id=["p1", "p2", "p3", "p4"], status=["vacated", "vacating", "vacated", "vacated"],
    )  # fmt: skip


def test_district_by_largest_overlap(squares, districts):
    assigned = assign_districts(squares, districts.set_index("id"))
    assert assigned.tolist()[:2] == ["A", "B"] and assigned.iloc[3] == "B"
    assert assigned.isna().tolist() == [False, False, True, False]
    # Any CRS in, the same answer out.
    again = assign_districts(squares.to_crs("EPSG:4326"), districts.set_index("id").to_crs(3857))
    assert again.fillna("").tolist() == assigned.fillna("").tolist()


def test_group_areas_in_m2_ha_and_mu(squares, districts):
    squares["district"] = assign_districts(squares, districts.set_index("id"))
    table = group_areas(squares, ["district"]).set_index("district")
    assert table.loc["B", "count"] == 2 and table.loc["B", "area_m2"] == pytest.approx(20_000)
    assert table.loc["A", "area_ha"] == pytest.approx(1.0)
    assert table.loc["A", "area_mu"] == pytest.approx(15.0)
    assert table.loc[UNASSIGNED, "area_m2"] == pytest.approx(40_000)
    assert table.index[0] == UNASSIGNED  # largest area first
    by_status = group_areas(squares, ["district", "status"]).set_index(["district", "status"])
    assert sorted(by_status.index) == [("A", "vacated"), ("B", "vacated"), ("B", "vacating"),
                                       (UNASSIGNED, "vacated")]  # fmt: skip


def test_walking_circle_shares_by_hand():
    origin = _gdf([Point(X0, Y0)])
    # Parcel centres at 200 m, 400 m, 900 m and 2,000 m east: one inside each circle, one out.
    parcels = _gdf([box(X0 + d - 10, Y0 - 10, X0 + d + 10, Y0 + 10) for d in (200, 400, 900, 2000)])
    table, inside = circle_coverage(parcels, origin, [300, 500, 1000])
    assert table["parcels_inside"].tolist() == [1, 2, 3]
    assert table["share_parcels"].tolist() == [0.25, 0.5, 0.75]
    assert table["share_area"].tolist() == pytest.approx([0.25, 0.5, 0.75])
    assert inside[1000.0].tolist() == [True, True, True, False]


def test_area_inside_a_circle_by_hand():
    origin = _gdf([Point(X0, Y0)])
    strip = _gdf([box(X0 - 1000, Y0 - 5, X0 + 1000, Y0 + 5)])  # 2,000 m x 10 m
    table, _ = circle_coverage(strip, origin, [300])
    expected = 2 * math.sqrt(300**2 - 5**2) * 10  # chord length x width, m²
    assert table.loc[0, "area_inside_m2"] == pytest.approx(expected, rel=0.01)
    assert table.loc[0, "share_area"] == pytest.approx(expected / 20_000, rel=0.01)


def test_circles_have_the_radius_they_claim():
    circles = walking_circles(_gdf([Point(X0, Y0)]), [300, 1000])
    assert circles["radius_m"].tolist() == [1000.0, 300.0]
    assert circles.geometry.iloc[1].area == pytest.approx(math.pi * 300**2, rel=0.01)


def test_within_distance_counts_boundary_to_boundary():
    origin = _gdf([box(X0, Y0, X0 + 100, Y0 + 100)])
    near = _gdf([box(X0 + 349, Y0, X0 + 400, Y0 + 10), box(X0 + 351, Y0, X0 + 400, Y0 + 10)])
    assert within_distance(near, origin, 250).tolist() == [True, False]


def test_analysis_layer_filters_and_tables(layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    layer = AnalysisLayer.prepare(
        layer_spec("land_reuse_parcels"), parcels,
        (layer_spec("lake_districts"), layers_by_id["lake_districts"]), "zh",
    )  # fmt: skip
    assert layer.gdf["area_ha"].sum() == pytest.approx(parcels["area_ha"].sum(), rel=1e-3)
    vacated = filter_parcels(layer, statuses=["vacated"])
    assert set(vacated["status"]) == {"vacated"} and 0 < len(vacated) < len(parcels)
    small = filter_parcels(layer, area_ha=(0, 5))
    assert (small["area_ha"] <= 5).all()
    table = overlay_table(layer, layer.gdf, "status")
    assert table["count"].sum() == len(parcels)
    assert table["area_m2"].sum() == pytest.approx(layer.gdf["area_m2"].sum(), rel=1e-6)
    assert {"group", "status", "count", "area_m2", "area_ha", "area_mu"} <= set(table.columns)
    assert "环阳澄湖" in set(table["group"])  # the Weiting parcels lie in the Yangcheng district


def test_cli_stats_prints_the_numbers(layers_by_id):
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    done = subprocess.run(
        [exe, "stats", "--layer", "land_reuse_parcels", "--by", "lake_districts",
         "--within", "300,500,1000", "--of", "consumption_scenes", "--json"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    rows = doc["rows"]
    assert sum(r["count"] for r in rows) == len(layers_by_id["land_reuse_parcels"])
    for row in rows:
        assert row["area_ha"] == pytest.approx(row["area_m2"] / 10_000, abs=1e-3)
        assert row["area_mu"] == pytest.approx(row["area_m2"] / (10_000 / 15), abs=0.01)
    coverage = doc["coverage"]["rows"]
    assert [r["minutes"] for r in coverage] == [5, 10, 15]
    shares = [r["share_parcels"] for r in coverage]
    assert shares == sorted(shares) and all(0 <= s <= 1 for s in shares)
    bad = subprocess.run(
        [exe, "stats", "--layer", "consumption_scenes"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "polygon" in bad.stderr


def test_floor_area_is_land_area_times_far_by_district(layers_by_id):
    from layers.analysis import AnalysisLayer, overlay_table
    from layers.registry import layer_spec

    parcels = layers_by_id["land_reuse_parcels"]
    districts = (layer_spec("lake_districts"), layers_by_id["lake_districts"])
    layer = AnalysisLayer.prepare(layer_spec("land_reuse_parcels"), parcels, districts)
    table = overlay_table(layer, layer.gdf, "status")
    expected = float((layer.gdf["area_m2"] * layer.gdf["target_far"]).sum())
    assert table["floor_area_m2"].sum() == pytest.approx(expected, abs=1.0)
    assert (table["floor_area_wan_m2"] * 10_000).sum() == pytest.approx(expected, rel=1e-3)


def test_stats_json_gives_floor_area(capsys, layers_by_id):
    from layers.cli import main

    assert main(["stats", "--layer", "land_reuse_parcels", "--by", "lake_districts", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    parcels = layers_by_id["land_reuse_parcels"]
    expected = float((parcels["area_m2"] * parcels["target_far"]).sum())
    assert document["total"]["floor_area_m2"] == pytest.approx(expected, rel=1e-3)
    assert sum(r["floor_area_m2"] for r in document["rows"]) == pytest.approx(expected, rel=1e-3)


def test_a_parcel_belongs_to_the_district_holding_most_of_it(districts):
    """Issue 22: LR-WT-05, 4% inside 环阳澄湖, was counted wholly in it. The part outside
    every district is a part too; points go to the district they lie in."""
    parcels = _gdf(
        [box(X0 - 96, Y0 + 100, X0 + 4, Y0 + 200),  # 4% in A, 96% outside
         box(X0 - 40, Y0 + 300, X0 + 60, Y0 + 400),  # 60% in A
         box(X0 + 2000 - 50, Y0 + 500, X0 + 2050, Y0 + 600),  # half in B, half outside
         Point(X0 + 1500, Y0 + 500), Point(X0 - 10, Y0)],
        id=["a", "b", "c", "pt", "out"],
    )  # fmt: skip
    assigned = assign_districts(parcels, districts.set_index("id"))
    assert assigned.fillna("-").tolist() == ["-", "A", "B", "B", "-"]
    parts = district_parts(parcels, districts.set_index("id"))
    shares = {(r.parcel, r.district): r.share for r in parts.itertuples()}
    assert shares[(0, "A")] == pytest.approx(0.04) and shares[(2, "B")] == pytest.approx(0.5)
