"""Nothing deleted for good by a click, and a history of every change (issue 15), in both
stores: the folder of GeoPackages and PostgreSQL/PostGIS."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import PlanError, WorkspaceError
from geo.pgstore import PostgisWorkspace
from geo.store import WorkspaceStore
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from tests.helpers import PARCEL_NAMES, parcels, store_env, write_shapefile, zip_files

EXE = str(Path(sys.executable).with_name("sip-atlas"))


@pytest.fixture(autouse=True)
def admins(store):
    """The planners of these tests are administrators (roles fail closed: none without)."""
    for who in ("wang@sip.gov", "li@sip.gov", "admin@sip.gov"):
        store.set_role(who, "admin", actor="local:test")


def _changes(store) -> list[dict]:
    """The history but for the roles the ``admins`` fixture set."""
    return [e for e in store.history() if e["action"] != "set_role"]


@pytest.fixture
def saved(store, tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "地块.zip", {p.name: p for p in parts}, gbk_names=True)
    (tmp_path / "work").mkdir()
    result = inspect_upload([archive], tmp_path / "work", IngestOptions())
    report = save_upload(result, [archive], name="一期", workspace=store, actor="wang@sip.gov")
    return report["layer_id"], archive.read_bytes()


def test_both_stores_share_one_interface(store):
    assert isinstance(store, WorkspaceStore)


def test_a_removed_layer_goes_to_the_trash_and_comes_back_whole(store, saved):
    layer_id, original = saved
    store.remove(layer_id, actor="li@sip.gov")
    assert store.list_layers() == []
    [trashed] = store.trash()
    assert trashed["id"] == layer_id and trashed["removed_by"] == "li@sip.gov"
    with pytest.raises(WorkspaceError):
        store.load(layer_id)  # not a layer while in the trash
    store.restore(layer_id, actor="li@sip.gov")
    [entry] = store.list_layers()
    assert entry["id"] == layer_id and "removed_by" not in entry
    assert list(store.load(layer_id)["名称"]) == PARCEL_NAMES
    assert store.original(layer_id, "地块.zip") == original
    assert store.trash() == []


def test_emptying_the_trash_deletes_for_good(store, saved):
    layer_id, _ = saved
    store.remove(layer_id, actor="li@sip.gov")
    assert store.empty_trash(actor="admin@sip.gov") == [layer_id]
    assert store.trash() == [] and store.list_layers() == []
    with pytest.raises(WorkspaceError):
        store.restore(layer_id, actor="admin@sip.gov")
    with pytest.raises(WorkspaceError):
        store.original(layer_id, "地块.zip")


def test_the_history_holds_each_change_with_who_and_what(store, saved):
    layer_id, _ = saved
    store.rename(layer_id, "一期地块", actor="li@sip.gov")
    store.remove(layer_id, actor="li@sip.gov")
    store.restore(layer_id, actor="wang@sip.gov")
    events = _changes(store)
    assert [(e["action"], e["actor"]) for e in events] == [
        ("upload", "wang@sip.gov"), ("rename", "li@sip.gov"), ("remove", "li@sip.gov"),
        ("restore", "wang@sip.gov"),
    ]  # fmt: skip
    assert all(e["target"] == layer_id for e in events)
    rename = events[1]
    assert rename["before"]["name"] == "一期" and rename["after"]["name"] == "一期地块"
    assert events[0]["at"] <= events[-1]["at"]
    assert store.history(since=events[-1]["at"])[-1]["action"] == "restore"
    assert store.history(target=layer_id) == events


def test_a_failed_change_leaves_no_history(store, saved):
    layer_id, _ = saved
    with pytest.raises(WorkspaceError):
        store.rename(layer_id, "   ", actor="li@sip.gov")
    with pytest.raises(WorkspaceError):
        store.remove("up-nope", actor="li@sip.gov")
    assert [e["action"] for e in _changes(store)] == ["upload"]


def test_cli_trash_restore_and_history(store, saved):
    layer_id, _ = saved
    env = store_env(store)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([EXE, *args], capture_output=True, text=True, env=env)

    assert cli("uploads", "remove", layer_id).returncode == 0
    trash = json.loads(cli("trash", "--json").stdout)["trash"]
    assert [t["id"] for t in trash] == [layer_id]
    assert cli("restore", layer_id).returncode == 0
    assert [e["id"] for e in store.list_layers()] == [layer_id]
    history = json.loads(cli("history", "--json").stdout)["history"]
    history = [e for e in history if e["action"] != "set_role"]
    assert [e["action"] for e in history] == ["upload", "remove", "restore"]
    assert history[1]["actor"].startswith("local:")  # no sign-in on the command line
    bad = cli("restore", "up-nope")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "sip-atlas trash" in bad.stderr
    from shapely.geometry import box

    from geo.plans import Plans

    plans = Plans(store, actor="wang@sip.gov")
    pid = plans.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="甲", kind="other")
    plans.delete_proposal(pid)
    assert [t["item"]["id"] for t in json.loads(cli("trash", "--json").stdout)["plans"]] == [pid]
    assert cli("restore", pid).returncode == 0
    assert list(Plans(store).proposals()["id"]) == [pid]


def test_proposals_and_scenarios_go_to_the_trash_with_their_history(store):
    from shapely.geometry import box

    from geo.plans import Plans

    wang = Plans(store, actor="wang@sip.gov")
    pid = wang.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="口袋公园", kind="green_space")
    wang.edit_proposal(pid, title="口袋公园（二期）")
    wang.save_scenario("近期", [pid], {"LR-SH-01": "vacated"})
    wang.delete_scenario("近期")
    wang.delete_proposal(pid)
    assert [(t["kind"], t["removed_by"]) for t in wang.trash()] == [
        ("scenario", "wang@sip.gov"), ("proposal", "wang@sip.gov"),
    ]  # fmt: skip
    assert wang.restore(pid) == "proposal" and wang.restore("近期") == "scenario"
    assert wang.scenario("近期")["proposals"] == [pid]  # back whole, with its proposal
    assert wang.trash() == []
    events = [(e["action"], e["target"]) for e in _changes(store)]
    assert events == [
        ("proposal_create", pid), ("proposal_edit", pid), ("scenario_save", "近期"),
        ("scenario_delete", "近期"), ("proposal_delete", pid), ("proposal_restore", pid),
        ("scenario_restore", "近期"),
    ]  # fmt: skip
    edit = _changes(store)[1]
    assert edit["before"]["title"] == "口袋公园" and edit["after"]["title"] == "口袋公园（二期）"
    assert {e["actor"] for e in _changes(store)} == {"wang@sip.gov"}


def test_two_planners_editing_at_once_both_keep_their_work_and_the_history_holds_both(store):
    import threading

    from shapely.geometry import box

    from geo.plans import Plans

    store.set_role("wang@sip.gov", "editor", actor="local:test")
    store.set_role("li@sip.gov", "editor", actor="local:test")
    errors = []

    def draw(actor: str, x: float) -> None:
        try:
            plans = Plans(store.__class__(store.location) if isinstance(store, PostgisWorkspace)
                          else store.__class__(store.root), actor=actor)  # fmt: skip
            for i in range(5):
                square = box(x + i * 0.001, 31.30, x + i * 0.001 + 0.0005, 31.3005)
                plans.add_proposal(square, title=f"{actor}-{i}", kind="other")
        except Exception as exc:  # reported below, with the thread's work lost
            errors.append(exc)

    threads = [threading.Thread(target=draw, args=("wang@sip.gov", 120.70)),
               threading.Thread(target=draw, args=("li@sip.gov", 120.72))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    titles = sorted(Plans(store).proposals()["title"])
    assert titles == sorted([f"{a}-{i}" for a in ("wang@sip.gov", "li@sip.gov") for i in range(5)])
    created = [e["actor"] for e in store.history() if e["action"] == "proposal_create"]
    assert sorted(created) == ["li@sip.gov"] * 5 + ["wang@sip.gov"] * 5


def test_only_layer_changes_move_the_version_the_app_reloads_layers_by(store, saved):
    from shapely.geometry import box

    from geo.plans import Plans

    layer_id, _ = saved
    before = store.version()
    Plans(store).add_proposal(box(120.70, 31.30, 120.71, 31.31), title="甲", kind="other")
    store.set_role("wang@sip.gov", "editor")
    assert store.version() == before  # a proposal or a role does not reload every layer
    store.remove(layer_id)
    assert store.version() != before


def test_history_targets_are_typed(store, saved):
    """Issue 23: a scenario named like a layer's id showed in that layer's history."""
    from shapely.geometry import box

    from geo.plans import Plans
    from ui.workspace import history_by_target

    layer_id, _ = saved
    wang = Plans(store, actor="wang@sip.gov")
    pid = wang.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="甲", kind="other")
    wang.save_scenario(layer_id, [pid], {})  # a scenario named like the layer's id
    assert [e["action"] for e in store.history(target=layer_id, kind="layer")] == ["upload"]
    assert [e["action"] for e in store.history(target=layer_id, kind="scenario")] == [
        "scenario_save"
    ]
    assert {e["kind"] for e in store.history()} == {"user", "layer", "proposal", "scenario"}
    grouped = history_by_target(store)
    assert [e["action"] for e in grouped[("layer", layer_id)]] == ["upload"]
    assert [e["action"] for e in grouped[("scenario", layer_id)]] == ["scenario_save"]


def test_a_scenario_saved_over_goes_to_the_trash_and_comes_back_beside_the_new(store):
    from shapely.geometry import box

    from geo.plans import Plans

    wang = Plans(store, actor="wang@sip.gov")
    pid = wang.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="甲", kind="other")
    wang.save_scenario("近期", [pid], {"LR-SH-01": "vacated"})
    wang.save_scenario("近期", [], {}, replace=True)
    [old] = wang.trash()
    assert old["kind"] == "scenario" and old["item"]["proposals"] == [pid]
    assert wang.restore("近期") == "scenario"  # the name is taken: back under a free one
    assert {s["name"]: s["proposals"] for s in wang.scenarios()} == {"近期": [], "近期 (2)": [pid]}


def test_emptying_the_trash_deletes_proposals_and_scenarios_for_good(store, saved):
    from shapely.geometry import box

    from geo.plans import Plans

    layer_id, _ = saved
    wang = Plans(store, actor="wang@sip.gov")
    pid = wang.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="甲", kind="other")
    wang.save_scenario("近期", [pid], {})
    wang.delete_scenario("近期")
    wang.delete_proposal(pid)
    store.remove(layer_id, actor="wang@sip.gov")
    cli = subprocess.run([EXE, "trash", "--empty"], capture_output=True, text=True,
                         env=store_env(store))  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    assert layer_id in cli.stdout and pid in cli.stdout and "近期" in cli.stdout
    assert store.trash() == [] and wang.trash() == []
    with pytest.raises(PlanError):
        wang.restore(pid)
    purged = [(e["action"], e["target"]) for e in store.history() if "purge" in e["action"]]
    assert purged == [("scenario_purge", "近期"), ("proposal_purge", pid)]


def test_deleting_a_proposal_in_another_planners_scenario_asks_first(store):
    """Issue 23: it was dropped from other planners' scenarios without a word."""
    from shapely.geometry import box

    from geo.plans import InOthersScenariosError, Plans

    wang, li = Plans(store, actor="wang@sip.gov"), Plans(store, actor="li@sip.gov")
    pid = wang.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="甲", kind="other")
    wang.save_scenario("王的情景", [pid], {})
    li.save_scenario("李的情景", [pid], {})
    with pytest.raises(InOthersScenariosError) as asked:
        wang.delete_proposal(pid)
    assert "李的情景" in asked.value.message("zh") and "li@sip.gov" in asked.value.message("en")
    assert "王的情景" not in asked.value.message("zh")  # one's own need no asking
    assert li.scenario("李的情景")["proposals"] == [pid]  # nothing changed
    _, touched = wang.delete_proposal(pid, others_too=True)
    assert sorted(touched) == ["李的情景", "王的情景"]
