"""Walking distances along streets: networks drawn by the tests, distances worked out by hand.

Coordinates are EPSG:4549 metres near Jinji Lake, offset from (X0, Y0).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from geo.crs import METRIC_CRS
from geo.network import build_network
from geo.service_areas import life_circles, network_areas
from geo.walking import area_coverage, circle_coverage

X0, Y0 = 566_000.0, 3_465_000.0


def lines(*coords) -> gpd.GeoDataFrame:
    """A line layer from lists of (x, y) offsets."""
    geoms = [LineString([(X0 + x, Y0 + y) for x, y in c]) for c in coords]
    return gpd.GeoDataFrame({"name": [f"road {i}" for i in range(len(geoms))]},
                            geometry=geoms, crs=METRIC_CRS)  # fmt: skip


def at(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


@pytest.fixture(scope="module")
def canal():
    """Two streets along the banks of a canal (y = 0 to 60), one bridge at x = 1,000."""
    return lines([(0, -10), (2000, -10)], [(0, 70), (2000, 70)], [(1000, -10), (1000, 70)])


@pytest.fixture(scope="module")
def gated_grid():
    """A 400 m grid of 100 m blocks, each street a line of one block; the four middle blocks
    are one gated compound: the streets inside it (x = 200, y = 200 between 100 and 300) are
    not there."""
    inside = {((200, 100), (200, 200)), ((200, 200), (200, 300)),
              ((100, 200), (200, 200)), ((200, 200), (300, 200))}  # fmt: skip
    segments = []
    for i in range(5):
        for j in range(4):
            segments.append(((i * 100, j * 100), (i * 100, j * 100 + 100)))  # north-south
            segments.append(((j * 100, i * 100), (j * 100 + 100, i * 100)))  # west-east
    return lines(*(s for s in segments if s not in inside))


def test_the_canal_is_crossed_at_its_bridge(canal):
    graph = build_network(canal).attach(np.array([at(100, -20), at(100, 80)]))
    assert graph.to_street_m.tolist() == pytest.approx([10, 10])
    dist = graph.distances(graph.nodes[:1], 5_000, each=True)[0]
    # 900 m along the south bank, 80 m over the bridge, 900 m back on the north bank
    assert dist[graph.nodes[1]] == pytest.approx(1_880)


def test_service_areas_are_cut_where_the_walk_ends(canal):
    circles = life_circles()
    areas = network_areas(build_network(canal), np.array([at(100, -20)]), [300, 1000], circles)
    by = areas.set_index("distance_m")
    assert by.loc[300, "street_m"] == pytest.approx(100 + 300)  # to the street's end, and east
    # 1,100 m of the south bank, the bridge (80 m) and 20 m each way on the north bank
    assert by.loc[1000, "street_m"] == pytest.approx(1_100 + 80 + 40)
    assert (by["method"] == "network").all() and by.loc[1000, "minutes"] == 15
    band = by.loc[300, "geometry"]  # the stated band around the reached street
    assert band.contains(at(300, -10 + circles.band_m - 1))
    assert not band.contains(at(300, -10 + circles.band_m + 1))
    assert not band.contains(at(450, -10))  # 350 m along the street: past the 5-minute walk


def test_a_parcel_across_the_canal_is_in_the_circle_but_not_on_the_network(canal):
    across = gpd.GeoDataFrame({"id": ["N1", "S1"]},
                              geometry=[box(X0 + 80, Y0 + 110, X0 + 120, Y0 + 150),
                                        box(X0 + 180, Y0 - 60, X0 + 220, Y0 - 20)],
                              crs=METRIC_CRS)  # fmt: skip
    origin = gpd.GeoDataFrame(geometry=[at(100, -20)], crs=METRIC_CRS)
    _, straight = circle_coverage(across, origin, [300, 1000])
    assert straight[300.0].tolist() == [True, True]  # 150 m in a straight line
    areas = network_areas(build_network(canal), origin.geometry.to_numpy(), [300, 1000],
                          life_circles(), each=False)  # fmt: skip
    table, inside = area_coverage(across, dict(zip(areas["distance_m"], areas.geometry,
                                                   strict=True)))  # fmt: skip
    assert inside[300.0].tolist() == [False, True]  # the walk is 1,880 m: over the bridge
    assert inside[1000.0].tolist() == [False, True]
    assert table.set_index("radius_m").loc[1000.0, "share_parcels"] == 0.5


def test_a_gated_compound_is_walked_around(gated_grid):
    graph = build_network(gated_grid).attach(np.array([at(100, 200), at(300, 200)]))
    dist = graph.distances(graph.nodes[:1], 5_000, each=True)[0]
    assert dist[graph.nodes[1]] == pytest.approx(400)  # 200 m straight, 400 m around


def test_lines_that_cross_without_a_junction_do_not_meet_but_t_junctions_do():
    network = build_network(lines(
        [(0, 0), (1000, 0)],  # a street
        [(500, -500), (500, 500)],  # an overpass over it: no shared vertex
        [(200, 0.3), (200, 300)],  # a side street ending on the street, no vertex there
    ))  # fmt: skip
    assert network.joined_ends == 1
    graph = network.attach(np.array([at(0, 0), at(500, 400), at(200, 300)]))
    dist = graph.distances(graph.nodes[:1], 5_000, each=True)[0]
    assert np.isinf(dist[graph.nodes[1]])
    assert dist[graph.nodes[2]] == pytest.approx(200 + 0.3 + 299.7)


def test_each_origin_gets_its_own_areas_and_a_far_origin_an_empty_one(canal):
    origins = np.array([at(100, -20), at(1900, 80), at(100, 5_000)])
    areas = network_areas(build_network(canal), origins, [300, 500, 1000], life_circles(),
                          names=["a", "b", "far"])  # fmt: skip
    assert len(areas) == 9 and set(areas["origin"]) == {"a", "b", "far"}
    far = areas[areas["origin"] == "far"]
    assert (far["area_m2"] == 0).all() and far.geometry.is_empty.all()
    b = areas[(areas["origin"] == "b") & (areas["distance_m"] == 500)].iloc[0]
    assert b["street_m"] == pytest.approx(100 + 500)  # the north bank's east end is 100 m away
    assert shapely.area(b.geometry) > 0
    none = network_areas(build_network(canal), np.array([], dtype=object), [300], life_circles())
    assert none.empty and "street_m" in none and none.crs == METRIC_CRS


def test_the_check_names_parts_gaps_crossings_and_a_network_far_away():
    from geo.network_check import check_network

    network = build_network(lines(
        [(0, 0), (1000, 0)],
        [(500, -500), (500, 500)],  # crosses the first without a junction
        [(200, 4), (200, 300)],  # stops 4 m short of the first street
        [(3000, 0), (3100, 0)],  # a part on its own
    ))  # fmt: skip
    park = box(X0 - 100, Y0 - 100, X0 + 100, Y0 + 100)
    check = check_network(network, park)
    assert check.figures["parts"] == 4 and check.figures["crossings"] == 1
    assert check.figures["near_misses"] == 1 and check.figures["distance_to_park_m"] == 0
    zh, en = " ".join(check.said("zh")), " ".join(check.said("en"))
    assert "4 个互不连通" in zh and "1 处道路交叉但没有交点" in zh and "不足 10 米" in zh
    assert "cross without a junction at 1 place:" in en and "within 10 m" in en
    assert set(check.places["kind"]) == {"part", "gap", "crossing"}
    far = check_network(network, box(X0 + 10_000, Y0, X0 + 11_000, Y0 + 1000))
    assert any("6.9 km from the park" in line for line in far.said("en"))
    assert far.far and "路网距园区 6.9 公里" in far.far[1] and check.far is None


def test_the_life_circle_check_names_what_each_home_misses(canal):
    from geo.life_check import class_column, life_circle_check

    homes = gpd.GeoDataFrame({"id": ["N1", "S1"]},
                             geometry=[box(X0 + 80, Y0 + 80, X0 + 120, Y0 + 120),
                                       box(X0 + 180, Y0 - 60, X0 + 220, Y0 - 20)],
                             crs=METRIC_CRS)  # fmt: skip
    facilities = gpd.GeoDataFrame(
        {"code": ["A", "B", "C"], "类型": ["星海幼儿园", "Primary School", "公园"]},
        geometry=[at(300, -20), at(400, 80), at(0, 0)], crs=METRIC_CRS,
    )  # fmt: skip
    circles = life_circles()
    assert class_column(facilities, circles) == "类型"
    along, per_class = life_circle_check(homes, facilities, "类型", circles, build_network(canal))
    # N1 to the kindergarten: 900 + 80 + 700 m, over the bridge
    assert np.isinf(along.loc[0, "kindergarten"])
    # entered from their corners: S1's east edge at x = 220, N1's at x = 120
    assert along.loc[1, "kindergarten"] == pytest.approx(80)  # from x = 220 to x = 300
    assert along.loc[0, "primary_school"] == pytest.approx(280)  # from x = 120 to x = 400
    assert "kindergarten" in along.loc[0, "missing_5"]
    assert "kindergarten" not in along.loc[1, "missing_5"]
    assert "primary_school" in along.loc[1, "missing_10"]  # 200 + 1,000 + ... over the bridge
    straight, _ = life_circle_check(homes, facilities, "类型", circles)
    assert "kindergarten" not in straight.loc[0, "missing_5"]  # 200 m across the water
    by = per_class.set_index("class")
    assert (
        by.loc["kindergarten", "homes_reached"] == 1 and by.loc["middle_school", "facilities"] == 0
    )
    assert (along["missing"] > straight["missing"]).any()


def test_many_reached_streets_are_banded_cell_by_cell_to_the_same_area():
    from geo import service_areas

    grid = [((i * 50, j * 50), (i * 50, j * 50 + 50)) for i in range(41) for j in range(40)]
    grid += [((j * 50, i * 50), (j * 50 + 50, i * 50)) for i in range(41) for j in range(40)]
    pieces = lines(*grid).geometry.to_numpy()
    assert len(pieces) > service_areas._ONE_BUFFER
    by_cells = service_areas._band(pieces, 100)
    whole = shapely.buffer(shapely.line_merge(shapely.multilinestrings(pieces)), 100,
                           quad_segs=4, cap_style="flat")  # fmt: skip
    assert by_cells.area == pytest.approx(whole.area, rel=1e-3)
    assert shapely.symmetric_difference(by_cells, whole).area < 1e-3 * whole.area


def test_a_district_is_entered_from_all_along_its_outline(canal):
    from geo.service_areas import origin_points

    district = gpd.GeoDataFrame({"id": ["D"]}, geometry=[box(X0 + 200, Y0 - 100, X0 + 600,
                                                             Y0 - 20)], crs=METRIC_CRS)  # fmt: skip
    points, owner = origin_points(district)
    assert len(points) > 5 and set(owner) == {0}
    areas = network_areas(build_network(canal), points, [300], life_circles(), owner=owner,
                          names=["D"])  # fmt: skip
    # its edge on the bank runs from x = 200 to 600: 300 m beyond either end
    assert areas.loc[0, "street_m"] == pytest.approx(200 + 400 + 300)
    assert areas.loc[0, "origin"] == "D"


def test_the_planners_own_settings_are_read_or_refused_with_the_file_named(tmp_path):
    from geo.errors import SipAtlasError
    from geo.service_areas import DEFAULT_FILE

    text = DEFAULT_FILE.read_text(encoding="utf-8")
    own = tmp_path / "life_circles.toml"
    own.write_text(text.replace("distance_m = 1000", "distance_m = 800"), encoding="utf-8")
    assert life_circles(own).levels == {5: 300.0, 10: 500.0, 15: 800.0}
    own.write_text(text.replace("walking_speed_m_per_min = 66.7", "walking_speed = 1"),
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(SipAtlasError, match=r"life_circles\.toml cannot be read"):
        life_circles(own)
    own.write_text(text.replace("level = 15", "level = 20"), encoding="utf-8")
    with pytest.raises(SipAtlasError, match=r"one of \[5, 10, 15\] minutes \(not \[20\]\)"):
        life_circles(own)
