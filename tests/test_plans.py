"""Proposals and scenarios: storage that survives a restart, and statistics against hand sums."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geo.errors import SipAtlasError
from geo.plans import Plans, measure, touching
from geo.scenario_stats import compare_scenarios, scenario_stats
from geo.workspace import Workspace

X0, Y0 = 565_000.0, 3_465_000.0


def _wgs(geom):
    return gpd.GeoSeries([geom], crs="EPSG:4549").to_crs("EPSG:4326").iloc[0]


def test_proposals_are_created_edited_deleted_and_survive_a_restart(isolated_workspace):
    plans = Plans(Workspace(isolated_workspace))
    square = _wgs(box(X0, Y0, X0 + 100, Y0 + 100))
    pid = plans.add_proposal(square, title="星湖街口袋公园", kind="green_space", author="王工")
    line = plans.add_proposal(_wgs(LineString([(X0, Y0), (X0 + 300, Y0 + 400)])),
                              title="慢行道", kind="other")  # fmt: skip
    again = Plans(Workspace(isolated_workspace))  # as after a restart
    saved = again.proposals().set_index("id")
    assert saved.loc[pid, "title"] == "星湖街口袋公园" and saved.loc[pid, "author"] == "王工"
    assert measure(saved.loc[pid, "geometry"])["area_m2"] == pytest.approx(10_000, rel=1e-3)
    assert measure(saved.loc[pid, "geometry"])["area_mu"] == pytest.approx(15, rel=1e-3)
    assert measure(saved.loc[line, "geometry"])["length_m"] == pytest.approx(500, rel=1e-3)
    again.edit_proposal(pid, title="口袋公园", comment="保留大树")
    assert (
        Plans(Workspace(isolated_workspace)).proposals().set_index("id").loc[pid, "comment"]
        == "保留大树"
    )
    again.save_scenario("方案A", [pid, line], {})
    again.delete_proposal(pid)
    assert list(again.proposals()["id"]) == [line]
    assert again.scenario("方案A")["proposals"] == [line]


def test_bad_proposals_and_scenarios_are_refused(isolated_workspace):
    plans = Plans(Workspace(isolated_workspace))
    with pytest.raises(SipAtlasError, match="title"):
        plans.add_proposal(Point(120.7, 31.3), title=" ", kind="other")
    with pytest.raises(SipAtlasError, match="Kind"):
        plans.add_proposal(Point(120.7, 31.3), title="x", kind="castle")
    with pytest.raises(SipAtlasError, match="status"):
        plans.save_scenario("s", [], {"LR-1": "demolished"})
    with pytest.raises(SipAtlasError, match="No proposals"):
        plans.save_scenario("s", ["p-missing"], {})
    with pytest.raises(SipAtlasError, match="No scenario"):
        plans.scenario("nothing")


def test_touching_names_what_a_sketch_crosses(layers_by_id):
    sketch = box(120.70, 31.30, 120.75, 31.33)
    hits = touching(sketch, {k: layers_by_id[k] for k in ("lake_districts", "carrier_parks")})
    assert "环金鸡湖" in hits["lake_districts"]
    assert "现代服务业产业园" in hits["carrier_parks"]


def test_scenario_deltas_by_hand():
    # Three 1 ha parcels, 0 / 2,000 / 4,000 m east of a scene; a proposal adds a scene at 4,000 m.
    parcels = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "status": ["identified", "identified", "vacated"]},
        geometry=[box(X0 + d - 50, Y0 - 50, X0 + d + 50, Y0 + 50) for d in (0, 2000, 4000)],
        crs="EPSG:4549",
    )
    origins = gpd.GeoDataFrame(geometry=[Point(X0, Y0)], crs="EPSG:4549")
    proposals = gpd.GeoDataFrame(
        {"id": ["p1", "p2"], "kind": ["consumption_scene", "green_space"]},
        geometry=[Point(X0 + 4000, Y0), box(X0, Y0 + 500, X0 + 200, Y0 + 700)],  # 4 ha of green
        crs="EPSG:4549",
    )
    base = scenario_stats(parcels, {"proposals": [], "status_changes": {}}, proposals, origins)
    plan = scenario_stats(parcels, {"proposals": ["p1", "p2"], "status_changes": {"b": "vacated"}},
                          proposals, origins)  # fmt: skip
    assert base["area_ha_by_status"] == pytest.approx({"identified": 2.0, "vacated": 1.0})
    assert plan["area_ha_by_status"] == pytest.approx({"identified": 1.0, "vacated": 2.0})
    assert base["share_parcels"] == pytest.approx(1 / 3) and plan["share_parcels"] == pytest.approx(
        2 / 3
    )
    table = compare_scenarios(base, plan).set_index("measure")
    assert table.loc["area_ha:vacated", "delta"] == pytest.approx(1.0)
    assert table.loc["area_ha:identified", "delta"] == pytest.approx(-1.0)
    assert table.loc["share_parcels", "delta"] == pytest.approx(1 / 3, abs=1e-6)
    assert table.loc["proposal_ha:green_space", "delta"] == pytest.approx(4.0)


def test_cli_scenario_list_show_export(isolated_workspace, tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    plans = Plans(Workspace(isolated_workspace))
    pid = plans.add_proposal(
        _wgs(box(X0, Y0, X0 + 100, Y0 + 100)), title="广场", kind="green_space"
    )
    plans.save_scenario("近期", [pid], {"LR-SH-01": "vacating"})
    exe = str(Path(sys.executable).with_name("sip-atlas"))

    def run(*args):
        done = subprocess.run([exe, "scenario", *args, "--json"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    assert [s["name"] for s in run("list")["scenarios"]] == ["近期"]
    shown = run("show", "近期")
    assert shown["proposals"][0]["title"] == "广场"
    assert shown["proposals"][0]["area_m2"] == pytest.approx(10_000, rel=1e-3)
    assert shown["status_changes"] == {"LR-SH-01": "vacating"}
    out = tmp_path / "近期.gpkg"
    run("export", "近期", "--out", str(out))
    back = gpd.read_file(out)
    assert list(back["title"]) == ["广场"] and back.crs.to_epsg() == 4326
    missing = subprocess.run([exe, "scenario", "show", "远期"], capture_output=True, text=True)
    assert missing.returncode == 2 and "近期" in missing.stderr


def test_a_scenario_is_replaced_only_when_asked(isolated_workspace):
    from geo.plans import ScenarioExistsError

    plans = Plans()
    plans.save_scenario("近期", [], {})
    with pytest.raises(ScenarioExistsError, match="近期"):
        plans.save_scenario("近期", [], {"LR-SH-01": "vacated"})
    assert plans.scenario("近期")["status_changes"] == {}
    plans.save_scenario("近期", [], {"LR-SH-01": "vacated"}, replace=True)
    assert plans.scenario("近期")["status_changes"] == {"LR-SH-01": "vacated"}


def test_rename_duplicate_delete_and_restore_a_scenario(isolated_workspace):
    from geo.plans import ScenarioExistsError

    plans = Plans()
    pid = plans.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="绿地", kind="green_space")
    plans.save_scenario("甲", [pid], {"LR-SH-01": "vacated"})
    plans.rename_scenario("甲", "乙")
    plans.rename_scenario("乙", "丙", copy=True)
    assert [s["name"] for s in plans.scenarios()] == ["乙", "丙"]
    with pytest.raises(ScenarioExistsError):
        plans.rename_scenario("乙", "丙")
    removed = plans.delete_scenario("丙")
    assert [s["name"] for s in plans.scenarios()] == ["乙"]
    plans.restore_scenario(removed)
    assert plans.scenario("丙")["proposals"] == [pid]


def test_deleting_a_proposal_says_which_scenarios_it_left_and_can_be_undone(isolated_workspace):
    plans = Plans()
    pid = plans.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="绿地", kind="green_space")
    plans.save_scenario("甲", [pid], {})
    plans.save_scenario("乙", [], {})
    item, touched = plans.delete_proposal(pid)
    assert touched == ["甲"] and plans.proposals().empty
    assert plans.scenario("甲")["proposals"] == []
    plans.restore_proposal(item, touched)
    assert plans.proposals()["id"].tolist() == [pid]
    assert plans.scenario("甲")["proposals"] == [pid] and plans.scenario("乙")["proposals"] == []


def test_a_proposal_carries_its_own_far_and_its_floor_area_counts(isolated_workspace, layers_by_id):
    from geo.walking import merge_origins

    plans = Plans()
    square = gpd.GeoSeries([box(568_000, 3_466_000, 568_100, 3_466_100)], crs="EPSG:4549")
    pid = plans.add_proposal(square.to_crs(4326)[0], title="新楼", kind="redevelop", far=2.5)
    plans.add_proposal(square.translate(500).to_crs(4326)[0], title="绿地", kind="green_space")
    proposals = plans.proposals()
    assert proposals.set_index("id").loc[pid, "far"] == 2.5
    plans.edit_proposal(pid, far=3.0)
    proposals = plans.proposals()
    plans.save_scenario("甲", list(proposals["id"]), {})
    origins = merge_origins(layers_by_id["consumption_scenes"], layers_by_id["service_districts"])
    stats = scenario_stats(layers_by_id["land_reuse_parcels"], plans.scenario("甲"), proposals,
                           origins)  # fmt: skip
    assert stats["proposal_floor_wan_m2_by_kind"] == {"redevelop": pytest.approx(3.0, abs=0.01)}
    table = compare_scenarios(stats, stats).set_index("measure")
    assert table.loc["proposal_floor_wan_m2:redevelop", "b"] == pytest.approx(3.0, abs=0.01)
    with pytest.raises(SipAtlasError, match="FAR"):
        plans.edit_proposal(pid, far=-1.0)


def test_two_proposals_cannot_share_a_title(isolated_workspace):
    """Issue 22: two proposals titled alike could not be told apart in the scenario picker."""
    plans = Plans(Workspace(isolated_workspace))
    first = plans.add_proposal(Point(120.70, 31.30), title="口袋公园", kind="green_space")
    with pytest.raises(SipAtlasError, match="exists already") as refused:
        plans.add_proposal(Point(120.71, 31.30), title=" 口袋公园 ", kind="green_space")
    assert "请换一个标题" in refused.value.zh
    other = plans.add_proposal(Point(120.72, 31.30), title="夜间消费街区", kind="other")
    with pytest.raises(SipAtlasError, match="exists already"):
        plans.edit_proposal(other, title="口袋公园")
    plans.edit_proposal(first, title="口袋公园", comment="same title, its own")
    # A deleted proposal restored after another took its title comes back numbered, not lost.
    removed, scenarios = plans.delete_proposal(first)
    plans.edit_proposal(other, title="口袋公园")
    plans.restore_proposal(removed, scenarios)
    assert sorted(plans.proposals()["title"]) == ["口袋公园", "口袋公园 (2)"]
