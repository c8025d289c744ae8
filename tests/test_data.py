"""The base layers: they load, are valid, and sit where the park really is."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.area import area_columns
from geo.crs import METRIC_CRS, WGS84
from layers.registry import load_registry

# Published figures (mission.md) and the 15% tolerance the foundation issue allows.
LAKE_WATER_KM2 = {
    "lake-jinji": (7.2, 7.4),
    "lake-dushu": (11.5, 11.5),
    "lake-yangcheng": (119, 119),
}
OSM_SOURCE = Path(__file__).resolve().parents[1] / "data" / "sources" / "sip_boundary_osm.geojson"
LOTUS_ISLAND = Point(120.8225, 31.4355)
GATE_TO_THE_EAST = Point(120.679, 31.317)
JINJI_REF = Point(120.692, 31.314)
YANGCHENG_REF = Point(120.813, 31.431)
ARTICLE_SERVICE_TYPES = {
    "finance", "exhibition", "logistics", "human_resources", "business", "tech_services",
    "information", "testing", "accounting", "consulting", "legal",
}  # fmt: skip
SCENE_KINDS = {"commercial", "street", "night", "online", "culture_tourism"}


def _km2(geom) -> float:
    return float(gpd.GeoSeries([geom], crs=WGS84).to_crs(METRIC_CRS).area.iloc[0]) / 1e6


@pytest.fixture(scope="module")
def sip(layers_by_id):
    return layers_by_id["sip_boundary"].geometry.iloc[0]


@pytest.fixture(scope="module")
def lakes(layers_by_id):
    return layers_by_id["lakes"].set_index("id").geometry


def test_every_registry_layer_loads_valid_in_wgs84_with_both_names(base_layers):
    assert [s.id for s, _ in base_layers] == [s.id for s in load_registry().layers]
    for spec, gdf in base_layers:
        assert len(gdf) > 0, spec.id
        assert gdf.crs.to_epsg() == 4326, spec.id
        assert gdf.geometry.is_valid.all(), spec.id
        assert (gdf.geom_type.str.replace("Multi", "") == spec.geometry_type).all(), spec.id
        assert gdf["id"].is_unique, spec.id
        assert (gdf["name_zh"].str.len() > 0).all() and (gdf["name_en"].str.len() > 0).all()
        assert gdf["name_zh"].str.contains(r"[\u4e00-\u9fff]").all(), spec.id


def test_sip_boundary_has_about_the_published_area(sip):
    assert _km2(sip) == pytest.approx(278, rel=0.02)  # OSM: 281.5 km²
    minx, miny, maxx, maxy = sip.bounds
    assert 120.62 < minx < 120.66 and 120.84 < maxx < 120.88
    assert 31.21 < miny < 31.25 and 31.42 < maxy < 31.46


def test_sip_boundary_is_openstreetmaps(sip):
    source = gpd.read_file(OSM_SOURCE).geometry.iloc[0]
    metric = gpd.GeoSeries([sip, source], crs=WGS84).to_crs(METRIC_CRS)
    ours, theirs = metric
    assert ours.intersection(theirs).area / ours.union(theirs).area > 0.9999
    assert ours.hausdorff_distance(theirs) < 1.0  # metres: six decimals of a degree
    assert len(sip.exterior.coords) == len(source.exterior.coords)


def test_yangcheng_lake_is_gshhgs_where_the_lake_is(lakes, layers_by_id):
    lake = lakes["lake-yangcheng"]
    assert _km2(lake) == pytest.approx(118.9, rel=0.01)  # GSHHG, less Lotus Island
    minx, miny, maxx, maxy = lake.bounds
    assert minx == pytest.approx(120.640, abs=0.003) and maxx == pytest.approx(120.866, abs=0.003)
    assert miny == pytest.approx(31.348, abs=0.003) and maxy == pytest.approx(31.481, abs=0.003)
    assert lake.contains(YANGCHENG_REF)
    assert not lake.contains(LOTUS_ISLAND)  # the island is land
    source = layers_by_id["lakes"].set_index("id").loc["lake-yangcheng"]
    assert source["licence"] == "LGPL-3.0-or-later" and "GSHHG" in source["source"]


@pytest.mark.parametrize(("lake_id", "published_km2"), [("lake-jinji", 7.3), ("lake-dushu", 11.5)])
def test_hand_traced_lakes_lie_inside_the_real_park_at_their_published_area(
    lakes, sip, lake_id, published_km2
):
    assert sip.contains(lakes[lake_id])
    assert _km2(lakes[lake_id]) == pytest.approx(published_km2, rel=0.02)


def test_lake_districts_do_not_overlap_and_stay_in_the_park(layers_by_id, sip):
    districts = layers_by_id["lake_districts"].to_crs(METRIC_CRS).geometry.tolist()
    for n, one in enumerate(districts):
        for other in districts[n + 1 :]:
            assert one.intersection(other).area < 100.0  # m²: slivers of six-decimal rounding
    assert layers_by_id["lake_districts"].within(sip).all()


def test_every_layer_from_a_real_source_names_it_for_attribution(base_layers):
    by_id = {spec.id: spec for spec, _ in base_layers}
    assert "OpenStreetMap" in " ".join(by_id["sip_boundary"].attribution)
    assert "GSHHG" in " ".join(by_id["lakes"].attribution)
    assert "OpenStreetMap" in " ".join(by_id["lake_districts"].attribution)
    licences = Path(__file__).resolve().parents[1] / "data" / "licences"
    assert "Open Database License" in (licences / "ODbL-1.0.txt").read_text(encoding="utf-8")
    assert "LESSER GENERAL PUBLIC" in (licences / "LGPL-3.0.txt").read_text(encoding="utf-8")


def test_every_sip_feature_lies_inside_the_boundary(base_layers, sip):
    for spec, gdf in base_layers:
        if spec.inside_sip:
            outside = gdf.loc[~gdf.within(sip), "id"].tolist()
            assert outside == [], f"{spec.id}: {outside} outside the SIP boundary"


def test_cooperation_parks_lie_outside_the_park(layers_by_id, sip):
    parks = layers_by_id["cooperation_parks"]
    assert len(parks) == 5
    assert not parks.intersects(sip).any()


@pytest.mark.parametrize("lake_id", sorted(LAKE_WATER_KM2))
def test_lake_water_area_within_15_percent_of_published(lakes, lake_id):
    low, high = LAKE_WATER_KM2[lake_id]
    assert low * 0.85 <= _km2(lakes[lake_id]) <= high * 1.15


def test_lakes_are_outlines_not_boxes_or_circles(lakes):
    for lake_id, geom in lakes.items():
        metric = gpd.GeoSeries([geom], crs=WGS84).to_crs(METRIC_CRS).iloc[0]
        rectangularity = metric.area / metric.minimum_rotated_rectangle.area
        circularity = 4 * 3.14159 * metric.area / metric.length**2
        assert len(geom.exterior.coords) >= 20, lake_id
        assert rectangularity < 0.9, lake_id
        assert circularity < 0.9, lake_id


def test_lakes_are_where_the_lakes_are(lakes):
    assert lakes["lake-jinji"].contains(JINJI_REF)
    assert lakes["lake-yangcheng"].contains(YANGCHENG_REF)
    # The Gate to the East stands on Jinji Lake's west bank: dry, and within 500 m of the water.
    assert not lakes["lake-jinji"].contains(GATE_TO_THE_EAST)
    metric = gpd.GeoSeries([lakes["lake-jinji"], GATE_TO_THE_EAST], crs=WGS84).to_crs(METRIC_CRS)
    assert metric.iloc[0].distance(metric.iloc[1]) < 500
    assert metric.iloc[1].x < metric.iloc[0].centroid.x
    # Dushu Lake lies south of Jinji Lake; Yangcheng Lake north-east of both.
    assert lakes["lake-dushu"].centroid.y < lakes["lake-jinji"].bounds[1]
    assert lakes["lake-yangcheng"].centroid.y > lakes["lake-jinji"].bounds[3]
    assert lakes["lake-yangcheng"].centroid.x > lakes["lake-jinji"].centroid.x


def test_each_lake_has_its_planning_district_around_it(layers_by_id, lakes):
    districts = layers_by_id["lake_districts"].set_index("lake_id")
    assert set(districts["name_zh"]) == {"环金鸡湖", "环独墅湖", "环阳澄湖"}
    for lake_id, district in districts.geometry.items():
        assert district.intersection(lakes[lake_id]).area > 0
        assert district.area > 0
    assert districts.geometry["lake-jinji"].contains(lakes["lake-jinji"].buffer(-1e-4))


def test_five_carrier_parks_of_the_article(layers_by_id):
    parks = layers_by_id["carrier_parks"]
    assert set(parks["name_zh"]) == {
        "中新生物技术岛", "企业总部基地", "金光科技产业园", "上市企业产业园", "现代服务业产业园",
    }  # fmt: skip
    assert (parks["industries_zh"].str.len() > 0).all()
    assert (parks["building_types_zh"].str.contains("楼宇")).all()


def test_biotech_island_is_near_biobay_by_dushu_lake(layers_by_id, lakes):
    island = layers_by_id["carrier_parks"].set_index("id").geometry["carrier-biotech-island"]
    metric = gpd.GeoSeries([island, lakes["lake-dushu"]], crs=WGS84).to_crs(METRIC_CRS)
    assert metric.iloc[0].distance(metric.iloc[1]) < 2_000


def test_land_reuse_parcels_carry_what_planners_use(layers_by_id, lakes):
    parcels = layers_by_id["land_reuse_parcels"]
    assert len(parcels) >= 40
    assert set(parcels["status"]) <= {
        "identified",
        "vacating",
        "vacated",
        "redeveloping",
        "completed",
    }
    assert set(parcels["current_use_code"]) <= {"1001", "1002"}
    assert set(parcels["current_use_legacy"]) <= {"M1", "M2"}
    assert parcels["illustrative"].all()
    assert parcels["target_far"].between(0.1, 6).all()
    measured = area_columns(parcels)
    assert (parcels["area_m2"] == measured["area_m2"]).all()  # one figure (issue 22)
    assert parcels["area_mu"].to_numpy() == pytest.approx(measured["area_mu"].to_numpy(), rel=1e-3)
    assert parcels["area_ha"].to_numpy() == pytest.approx(measured["area_ha"].to_numpy(), rel=1e-3)
    assert not parcels.intersects(lakes.union_all()).any()


def test_service_districts_cover_every_service_type_of_the_article(layers_by_id):
    types = layers_by_id["service_districts"]["service_types"].str.split(";").explode()
    assert set(types) == ARTICLE_SERVICE_TYPES


def test_consumption_scenes_around_the_three_lakes(layers_by_id):
    scenes = layers_by_id["consumption_scenes"]
    assert {"苏州中心", "李公堤", "月光码头", "阳澄湖半岛"} <= set(scenes["name_zh"])
    assert set(scenes["lake_district"]) == {"环金鸡湖", "环独墅湖", "环阳澄湖"}
    kinds = scenes["kinds"].str.split(";").explode()
    assert set(kinds) == SCENE_KINDS


def test_scenes_stand_on_land(layers_by_id, lakes):
    scenes = layers_by_id["consumption_scenes"]
    wet = scenes.loc[scenes.intersects(lakes.union_all()), "name_zh"].tolist()
    assert wet == []


def test_innovation_platforms_of_the_article(layers_by_id):
    names = set(layers_by_id["innovation_platforms"]["name_zh"])
    assert {"姑苏实验室", "纳米真空互联实验站", "国家生物药技术创新中心"} <= names
    assert len(names) == 5


def test_the_locator_region_is_gshhgs_taihu_and_yangcheng_lake():
    """The printed map's locator (issue 14) draws the real great lakes beside the park."""
    from shapely.geometry import Point

    from geo.settings import data_dir

    region = gpd.read_file(data_dir() / "region.geojson").set_index("id")
    assert set(region.index) == {"taihu", "yangcheng"}
    assert all(s.startswith("GSHHG 2.3.6") for s in region["source"])
    km2 = region.to_crs(4549).area / 1e6
    assert 2_200 < km2["taihu"] < 2_700 and 100 < km2["yangcheng"] < 140
    assert region.loc["taihu"].geometry.contains(Point(120.2, 31.2))  # open water of Taihu
