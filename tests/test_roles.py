"""Roles in the workspace (issue 15): viewer, editor, admin, kept in both stores, managed by
admins and ``sip-atlas users``, and enforced by the store itself (not only the app)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import NotAllowedError
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from tests.helpers import store_env
from tests.hostile import geojson_file, squares

EXE = str(Path(sys.executable).with_name("sip-atlas"))


def _save(store, tmp_path, actor: str) -> str:
    path = geojson_file(tmp_path / f"{actor}.geojson", [{"名称": "甲"}], squares(1))
    work = tmp_path / f"w-{actor}"
    work.mkdir()
    result = inspect_upload([path], work, IngestOptions())
    return save_upload(result, [path], name=actor, workspace=store, actor=actor)["layer_id"]


@pytest.fixture
def team(store):
    store.set_role("boss@sip.gov", "admin", actor="local:root")
    store.set_role("wang@sip.gov", "editor", actor="boss@sip.gov")
    store.set_role("li@sip.gov", "editor", actor="boss@sip.gov")
    store.set_role("zhao@sip.gov", "viewer", actor="boss@sip.gov")
    return store


def test_roles_are_kept_and_listed(team):
    assert team.users() == {"boss@sip.gov": "admin", "li@sip.gov": "editor",
                            "wang@sip.gov": "editor", "zhao@sip.gov": "viewer"}  # fmt: skip
    assert team.role_of("zhao@sip.gov") == "viewer"
    assert team.role_of("local:anyone") == "admin"  # the server's own command line
    assert team.role_of("stranger@example.com") is None
    changes = [e for e in team.history() if e["action"] == "set_role"]
    assert changes[-1]["actor"] == "boss@sip.gov" and changes[-1]["after"] == {"role": "viewer"}


def test_a_viewer_cannot_upload_and_an_editor_cannot_touch_anothers_layer(team, tmp_path):
    with pytest.raises(NotAllowedError):
        _save(team, tmp_path, "zhao@sip.gov")
    with pytest.raises(NotAllowedError):
        _save(team, tmp_path, "stranger@example.com")
    layer = _save(team, tmp_path, "wang@sip.gov")
    for act in (lambda: team.rename(layer, "x", actor="li@sip.gov"),
                lambda: team.remove(layer, actor="li@sip.gov"),
                lambda: team.remove(layer, actor="zhao@sip.gov"),
                lambda: team.empty_trash(actor="wang@sip.gov")):  # fmt: skip
        with pytest.raises(NotAllowedError):
            act()
    assert [e["name"] for e in team.list_layers()] == ["wang@sip.gov"]  # untouched
    team.remove(layer, actor="wang@sip.gov")  # one's own
    with pytest.raises(NotAllowedError):
        team.restore(layer, actor="li@sip.gov")
    team.restore(layer, actor="boss@sip.gov")  # an admin may
    assert [e["id"] for e in team.list_layers()] == [layer]


def test_only_admins_assign_roles_and_roles_are_checked(team):
    with pytest.raises(NotAllowedError):
        team.set_role("li@sip.gov", "admin", actor="wang@sip.gov")
    with pytest.raises(ValueError, match="viewer, editor or admin"):
        team.set_role("li@sip.gov", "owner", actor="boss@sip.gov")
    team.remove_user("zhao@sip.gov", actor="boss@sip.gov")
    assert "zhao@sip.gov" not in team.users()


def test_a_workspace_with_no_users_gives_nobody_a_role_until_an_admin_is_named(store, tmp_path):
    """Fail closed: with no users, a signed-in identity has no role (it could otherwise make
    itself the only admin); the planner's own command line and app (``local:``) still may."""
    assert store.role_of("anyone@example.com") is None
    with pytest.raises(NotAllowedError):
        _save(store, tmp_path, "anyone@example.com")
    with pytest.raises(NotAllowedError):
        store.set_role("anyone@example.com", "admin", actor="anyone@example.com")
    layer = _save(store, tmp_path, "local:me")
    store.rename(layer, "改名", actor="local:me")
    store.set_role("boss@sip.gov", "admin", actor="local:me")  # sip-atlas users set-role
    assert store.role_of("boss@sip.gov") == "admin"
    assert store.role_of("anyone@example.com") is None


def test_the_last_admin_can_be_neither_removed_nor_demoted(team):
    from geo.errors import WorkspaceError

    for act in (lambda: team.remove_user("boss@sip.gov", actor="boss@sip.gov"),
                lambda: team.set_role("boss@sip.gov", "editor", actor="local:root")):  # fmt: skip
        with pytest.raises(WorkspaceError, match="last administrator") as caught:
            act()
        assert "最后一位管理员" in caught.value.message("zh")
    assert team.users()["boss@sip.gov"] == "admin"  # unchanged
    team.set_role("li@sip.gov", "admin", actor="boss@sip.gov")
    team.remove_user("boss@sip.gov", actor="li@sip.gov")  # another admin is named now
    assert team.role_of("boss@sip.gov") is None and team.role_of("li@sip.gov") == "admin"


def test_cli_users(store):
    env = store_env(store)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([EXE, "users", *args], capture_output=True, text=True, env=env)

    assert cli("set-role", "boss@sip.gov", "admin").returncode == 0
    assert cli("set-role", "li@sip.gov", "editor").returncode == 0
    listed = json.loads(cli("list", "--json").stdout)["users"]
    assert listed == {"boss@sip.gov": "admin", "li@sip.gov": "editor"}
    assert cli("remove", "li@sip.gov").returncode == 0
    bad = cli("set-role", "x@sip.gov", "owner")
    assert bad.returncode == 2 and "viewer, editor or admin" in bad.stderr
    assert store.users() == {"boss@sip.gov": "admin"}
    last = cli("remove", "boss@sip.gov")
    assert last.returncode == 2 and "last administrator" in last.stderr
    assert store.users() == {"boss@sip.gov": "admin"}


def test_proposals_and_scenarios_follow_the_roles(team):
    from shapely.geometry import box

    from geo.plans import Plans

    square = box(120.70, 31.30, 120.71, 31.31)
    with pytest.raises(NotAllowedError):
        Plans(team, actor="zhao@sip.gov").add_proposal(square, title="口袋公园", kind="green_space")
    wang = Plans(team, actor="wang@sip.gov")
    pid = wang.add_proposal(square, title="口袋公园", kind="green_space")
    wang.save_scenario("近期", [pid], {})
    li = Plans(team, actor="li@sip.gov")
    for act in (lambda: li.delete_proposal(pid), lambda: li.edit_proposal(pid, title="改"),
                lambda: li.delete_scenario("近期"), lambda: li.rename_scenario("近期", "远期"),
                lambda: li.save_scenario("近期", [], {}, replace=True)):  # fmt: skip
        with pytest.raises(NotAllowedError):
            act()
    li.rename_scenario("近期", "近期副本", copy=True)  # a copy is li's own
    li.delete_scenario("近期副本")
    assert wang.proposals()["created_by"].tolist() == ["wang@sip.gov"]
    from geo.plans import InOthersScenariosError

    with pytest.raises(InOthersScenariosError):  # in wang's scenario: asked first
        Plans(team, actor="boss@sip.gov").delete_proposal(pid)
    Plans(team, actor="boss@sip.gov").delete_proposal(pid, others_too=True)  # an admin may
