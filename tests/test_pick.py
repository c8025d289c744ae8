"""Finding the clicked feature."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point, box

from geo.pick import pick_feature


def _layers():
    big = gpd.GeoDataFrame(
        {"id": ["district"]}, geometry=[box(120.70, 31.30, 120.74, 31.34)], crs="EPSG:4326"
    )
    small = gpd.GeoDataFrame(
        {"id": ["parcel"]}, geometry=[box(120.71, 31.31, 120.72, 31.32)], crs="EPSG:4326"
    )
    points = gpd.GeoDataFrame(
        {"id": ["scene"]}, geometry=[Point(120.715, 31.315)], crs="EPSG:4326"
    ).to_crs("EPSG:4549")  # any CRS is accepted
    return [("districts", big), ("parcels", small), ("scenes", points)]


def test_topmost_smallest_polygon_under_the_click():
    assert pick_feature(_layers(), 120.711, 31.311) == ("parcels", 0)
    assert pick_feature(_layers(), 120.735, 31.335) == ("districts", 0)
    assert pick_feature(_layers(), 120.80, 31.40) is None


def test_points_win_within_the_tolerance_in_metres():
    # 0.0004 degrees of latitude is about 44 m.
    assert pick_feature(_layers(), 120.715, 31.3154, tolerance_m=60) == ("scenes", 0)
    assert pick_feature(_layers(), 120.715, 31.3154, tolerance_m=30) == ("parcels", 0)


def test_the_tooltip_id_decides_when_present():
    layers = _layers()
    text = "Name\tWhatever\nID\tdistrict"
    assert pick_feature(layers, 120.715, 31.315, tooltip_text=text) == ("districts", 0)
    assert pick_feature(layers, 120.711, 31.311, tooltip_text="ID unknown") == ("parcels", 0)


def test_around_finds_every_feature_within_the_distance():
    """Nearby and click picking measure only what the spatial index finds around the point; that
    must hold every feature within the distance (measured in EPSG:4549)."""
    import numpy as np

    from bench.make_parcels import synthetic_parcels
    from geo.crs import to_metric
    from geo.pick import around

    parcels = synthetic_parcels(2_500).to_crs(4326)
    metric = to_metric(parcels)
    rng = np.random.default_rng(3)
    minx, miny, maxx, maxy = parcels.total_bounds
    for lon, lat, metres in zip(rng.uniform(minx, maxx, 20), rng.uniform(miny, maxy, 20),
                                rng.uniform(10, 2_000, 20), strict=True):  # fmt: skip
        point = to_metric(gpd.GeoSeries([Point(lon, lat)], crs=4326)).iloc[0]
        within = set(metric.index[metric.distance(point) <= metres])
        found = set(around(parcels, lon, lat, metres).index)
        assert within <= found
        assert len(found) < len(parcels)  # and it is not simply everything


def test_a_parcel_under_a_proposal_stays_clickable(base_layers):
    """Issue 22: a click on a parcel that a proposal covers selected the proposal. The map
    draws proposals under the parcels now, and the click is picked in that order."""
    from layers.folium_map import stacked
    from ui.plans import PROPOSALS_SPEC

    specs = {s.id: (s, g) for s, g in base_layers}
    parcel = specs["land_reuse_parcels"][1].to_crs(4326).iloc[0]
    minx, miny, maxx, maxy = parcel.geometry.buffer(0.004).bounds
    proposal = gpd.GeoDataFrame(
        {"id": ["p-1"], "title": ["片区更新"], "kind": ["redevelop"]},
        geometry=[box(minx, miny, maxx, maxy)],
        crs="EPSG:4326",
    )
    drawn = stacked([*base_layers, (PROPOSALS_SPEC, proposal)])
    order = [s.id for s, _ in drawn]
    assert order.index("proposals") < order.index("land_reuse_parcels")
    layers = [(s.id, g) for s, g in drawn if s.group != "context"]
    inside = parcel.geometry.representative_point()
    assert pick_feature(layers, inside.x, inside.y)[0] == "land_reuse_parcels"
    assert pick_feature(layers, minx + 0.0005, miny + 0.0005) == ("proposals", 0)
