"""Sign-in and roles in the app (issue 15), without a browser: the server that must not open,
and what a viewer is offered."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def test_a_shared_workspace_open_to_the_network_without_sign_in_refuses_to_start(
    monkeypatch, pg_url, server_address
):
    monkeypatch.setenv("SIP_ATLAS_DATABASE_URL", pg_url)
    server_address("0.0.0.0")
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
