"""Sign-in and roles in the app (issue 15), without a browser: the server that must not open,
and what a viewer is offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.mark.parametrize("address", ["0.0.0.0", "127.0.0.1"])
def test_a_shared_workspace_without_sign_in_refuses_to_start_whatever_the_address(
    monkeypatch, pg_url, server_address, address
):
    """Issue 23: keyed on the address, a loopback server behind a same-host reverse proxy (the
    README's own set-up) served everyone as admin."""
    monkeypatch.setenv("SIP_ATLAS_DATABASE_URL", pg_url)
    server_address(address)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "拒绝启动" in error and "[auth]" in error and "SIP_ATLAS_OPEN_SERVER" in error
    assert not at.tabs  # nothing of the atlas is served
    monkeypatch.setenv("SIP_ATLAS_OPEN_SERVER", "1")  # said explicitly: open on purpose
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.error and at.tabs


def test_the_folder_workspace_on_a_planners_machine_needs_no_sign_in():
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception and not at.error and at.tabs


def test_an_admin_assigns_roles_sees_the_whole_history_and_empties_the_trash(isolated_workspace):
    """On a planner's own machine the planner is the admin: the admin panel is there."""
    from geo.workspace import Workspace
    from tests.hostile import geojson_file, squares

    at = AppTest.from_file(APP, default_timeout=90).run()
    at.text_input(key="adm_email").set_value("wang@sip.gov").run()
    at.selectbox(key="adm_role").set_value("editor").run()
    next(b for b in at.button if b.key == "adm_set").click().run()
    assert not at.exception
    assert Workspace().users() == {"wang@sip.gov": "editor"}
    roles = next(d.value for d in at.dataframe if "角色" in d.value.columns)
    assert list(roles["账号"]) == ["wang@sip.gov"]
    history = next(d.value for d in at.dataframe if "对象" in d.value.columns)
    assert "分配角色" in set(history["操作"])
    # the trash, emptied for good after a confirmation
    from geo.uploads.ingest import IngestOptions, inspect_upload
    from geo.uploads.save import save_upload

    folder = Path(isolated_workspace).parent
    path = geojson_file(folder / "a.geojson", [{"名称": "甲"}], squares(1))
    (folder / "w").mkdir()
    saved = save_upload(inspect_upload([path], folder / "w", IngestOptions()), [path],
                        name="甲", workspace=Workspace())  # fmt: skip
    Workspace().remove(saved["layer_id"])
    at.run()
    at.checkbox(key="adm_empty_sure").check().run()
    next(b for b in at.button if b.key == "adm_empty").click().run()
    assert Workspace().trash() == []


@pytest.mark.parametrize("team", [False, True])
def test_a_team_servers_page_shows_no_error_details(monkeypatch, pg_url, team):
    """Issue 23: full tracebacks and the database host reached the page."""

    def broken(*args, **kwargs):
        raise RuntimeError("connection to server at db.internal:5432 failed")

    monkeypatch.setattr("ui.auth.account_box", broken)
    if team:
        monkeypatch.setenv("SIP_ATLAS_DATABASE_URL", pg_url)
        monkeypatch.setenv("SIP_ATLAS_OPEN_SERVER", "1")
    at = AppTest.from_file(APP, default_timeout=90).run()
    [exception] = at.exception
    said = exception.message + "".join(exception.stack_trace)
    assert ("db.internal" in said) is not team  # the planner's own machine: all of it
