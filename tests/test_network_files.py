"""Networks as planners bring them: an OpenStreetMap extract and an institute's GBK road
shapefile without .prj, used through ``sip-atlas`` as a user runs it."""

from __future__ import annotations

import io
import json
import os
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import geopandas as gpd
import pyogrio
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point, box

from geo.uploads.ingest import IngestOptions, inspect_upload
from layers.cli import main
from tests.helpers import write_shapefile
from tests.test_cli import _run

X0, Y0 = 566_000.0, 3_465_000.0
_TO_LONLAT = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)


def lonlat(x: float, y: float) -> tuple[float, float]:
    return _TO_LONLAT.transform(X0 + x, Y0 + y)


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    """``sip-atlas ARGS`` run in this process (the console script is run once, by the OSM
    test): its exit status, stdout and stderr as ``_run`` gives them."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env), redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def write_osm(path: Path) -> Path:
    """An OSM XML extract: a residential street, a footway on from its end, and what people do
    not walk on: a motorway with its link, a service road with foot=no, a river."""
    points = {1: (0, 0), 2: (1000, 0), 3: (1000, 600), 4: (0, 600), 5: (0, -400),
              6: (500, 50), 7: (500, 900)}  # fmt: skip
    ways = [
        (10, [1, 2], {"highway": "residential", "name": "星湖街"}),
        (11, [2, 3], {"highway": "footway"}),
        (12, [1, 4], {"highway": "motorway"}),
        (13, [4, 3], {"highway": "motorway_link"}),
        (14, [1, 5], {"highway": "service", "foot": "no"}),
        (15, [6, 7], {"waterway": "river"}),
    ]
    nodes = "".join(
        f'<node id="{n}" version="1" lat="{lonlat(*xy)[1]:.8f}" lon="{lonlat(*xy)[0]:.8f}"/>'
        for n, xy in points.items()
    )
    body = "".join(
        f'<way id="{w}" version="1">' + "".join(f'<nd ref="{r}"/>' for r in refs)
        + "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items()) + "</way>"
        for w, refs, tags in ways
    )  # fmt: skip
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?><osm version="0.6">{nodes}{body}'
                    "</osm>", encoding="utf-8")  # fmt: skip
    return path


def test_an_osm_extract_keeps_the_ways_people_walk(tmp_path):
    osm = write_osm(tmp_path / "sip.osm")
    result = inspect_upload([osm], tmp_path / "work", IngestOptions())
    assert result.source.layer == "lines" and result.report.geometry_type == "LineString"
    assert sorted(result.gdf["highway"]) == ["footway", "residential"]
    said = " ".join(result.report.warnings_both.en)
    assert "left out 2 motorway or trunk ways (1 motorway, 1 motorway_link)" in said
    assert "1 ways closed to people on foot" in said and "1 lines that are not streets" in said
    assert "保留了 2 条可步行道路" in " ".join(result.report.warnings_both.zh)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A workspace with an OSM network, the institute's canal roads (GBK, no .prj), parcels
    with their population, and one consumption scene south of the canal."""
    root = tmp_path_factory.mktemp("network")
    env = {"SIP_ATLAS_WORKSPACE": str(root / "ws"), "SIP_ATLAS_DATABASE_URL": ""}
    roads = gpd.GeoDataFrame(
        {"道路名": ["南岸路", "北岸路", "星港桥"]},
        geometry=[LineString([(X0, Y0 - 10), (X0 + 2000, Y0 - 10)]),
                  LineString([(X0, Y0 + 70), (X0 + 2000, Y0 + 70)]),
                  LineString([(X0 + 1000, Y0 - 10), (X0 + 1000, Y0 + 70)])], crs="EPSG:4549",
    )  # fmt: skip
    shp = write_shapefile(root / "roads", roads, stem="道路中心线", encoding="GBK", cpg=False,
                          prj=False)  # fmt: skip
    parcels = gpd.GeoDataFrame(
        {"地块编号": ["N1", "S1"], "人口": [100, 50]},
        geometry=[box(X0 + 80, Y0 + 110, X0 + 120, Y0 + 150),
                  box(X0 + 180, Y0 - 60, X0 + 220, Y0 - 20)], crs="EPSG:4549",
    ).to_crs("EPSG:4326")  # fmt: skip
    parcels.to_file(root / "parcels.geojson")
    scene = gpd.GeoDataFrame({"名称": ["湖畔集市"]}, geometry=[Point(X0 + 100, Y0 - 20)],
                             crs="EPSG:4549").to_crs("EPSG:4326")  # fmt: skip
    scene.to_file(root / "scene.geojson")
    ids = {}
    for key, files, kind in [
        ("osm", [write_osm(root / "sip.osm")], "line"),
        ("roads", [p for p in shp if p.suffix in (".shp", ".shx", ".dbf")], "line"),
        ("parcels", [root / "parcels.geojson"], "polygon"),
        ("scene", [root / "scene.geojson"], "point"),
    ]:
        done = _cli("ingest", *map(str, files), "--geometry", kind, "--json", env=env)
        assert done.returncode == 0, done.stderr
        ids[key] = json.loads(done.stdout)
    return env, ids


def test_circles_on_an_osm_network_walk_only_the_walkable_ways(workspace):
    env, ids = workspace
    at = ",".join(f"{v:.7f}" for v in lonlat(0, -5))
    done = _run("circles", "--network", ids["osm"]["layer_id"], "--at", at, "--distances",
                "300", "1500", "--json", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    levels = {x["distance_m"]: x for x in summary["levels"]}
    assert summary["check"]["parts"] == 1 and summary["check"]["dead_ends"] == 2
    assert any("2 个断头" in line for line in summary["findings_zh"])
    assert any("2 dead ends" in line for line in summary["findings_en"])
    assert levels[300]["street_m"] == pytest.approx(300, abs=0.5)
    # 1,000 m of the street and 500 m of the footway: not the motorway, nor the closed road
    assert levels[1500]["street_m"] == pytest.approx(1500, abs=0.5)
    assert levels[1500]["minutes"] == pytest.approx(22.5, abs=0.1)  # 4 km/h


def test_a_gbk_road_file_without_prj_is_a_network(workspace, tmp_path):
    env, ids = workspace
    report = ids["roads"]
    assert (report["crs"]["name"], report["crs"]["how"]) == ("EPSG:4549", "guessed")
    assert report["encoding"]["name"] == "GB18030" and "道路名" in report["columns"]
    out = tmp_path / "circles.gpkg"
    done = _cli("circles", "--network", report["layer_id"], "--from", ids["scene"]["layer_id"],
                "--out", str(out), "--lang", "en", env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    areas = pyogrio.read_dataframe(out)
    assert len(areas) == 3 and set(areas["origin"]) == {"湖畔集市"}
    assert set(areas["method"]) == {"network"}
    assert sorted(areas["minutes"]) == [5, 10, 15]
    assert sorted(areas["distance_m"]) == [300, 500, 1000]


def test_stats_on_the_network_beside_the_straight_line(workspace):
    env, ids = workspace
    done = _cli("stats", "--layer", ids["parcels"]["layer_id"], "--of", ids["scene"]["layer_id"],
                "--network", ids["roads"]["layer_id"], "--people", "人口", "--json",
                env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    coverage = json.loads(done.stdout)["coverage"]
    rows = {(r["method"], r["radius_m"]): r for r in coverage["rows"]}
    assert rows["straight_line", 300.0]["parcels_inside"] == 2
    assert rows["straight_line", 300.0]["people_inside"] == 150
    assert rows["network", 300.0]["parcels_inside"] == 1  # the parcel across the canal is not
    assert rows["network", 1000.0]["people_inside"] == 50
    assert rows["network", 1000.0]["share_people"] == pytest.approx(1 / 3, abs=1e-4)
    (difference,) = coverage["differences"]
    assert difference["origin"] == "湖畔集市" and difference["difference"] == -1


def test_circles_say_what_to_do_with_a_wrong_layer_or_point(workspace):
    env, ids = workspace
    done = _cli("circles", "--network", ids["parcels"]["layer_id"], "--at", "120.7,31.3", env=env)
    assert done.returncode == 2 and "the walking network is a layer of lines" in done.stderr
    done = _cli("circles", "--network", ids["roads"]["layer_id"], "--at", "31.3", env=env)
    assert done.returncode == 2 and "--at takes LON,LAT" in done.stderr
    done = _cli("circles", "--network", ids["roads"]["layer_id"], "--at", "120.5,31.1", env=env)
    assert done.returncode == 0 and "more than 500 m from every street" in done.stderr


def test_an_osm_entity_bomb_is_refused_with_a_message(tmp_path):
    from geo.errors import IngestError

    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = tmp_path / "bomb.osm"
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE osm [{entities}]><osm version="0.6">'
        '<node id="1" lat="31.3" lon="120.7"/><node id="2" lat="31.31" lon="120.71"/>'
        '<way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/>'
        '<tag k="name" v="&a9;"/></way></osm>'
    )
    with pytest.raises(IngestError, match="has no features"):
        inspect_upload([bomb], tmp_path / "work", IngestOptions())


def test_an_osm_pbf_extract_is_read_as_the_xml_one(tmp_path):
    import osmium

    xml = write_osm(tmp_path / "sip.osm")
    pbf = tmp_path / "苏州工业园区.osm.pbf"
    writer = osmium.SimpleWriter(str(pbf))

    class Copy(osmium.SimpleHandler):
        def node(self, n):
            writer.add_node(n)

        def way(self, w):
            writer.add_way(w)

    Copy().apply_file(str(xml))
    writer.close()
    result = inspect_upload([pbf], tmp_path / "work", IngestOptions())
    assert result.source.layer == "lines"
    assert sorted(result.gdf["highway"]) == ["footway", "residential"]
    from_xml = inspect_upload([xml], tmp_path / "work-xml", IngestOptions()).gdf
    assert result.gdf.to_crs(4549).length.sum() == pytest.approx(1600, abs=0.5)  # 1,000 + 600
    assert from_xml.to_crs(4549).length.sum() == pytest.approx(1600, abs=0.5)
