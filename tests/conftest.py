"""Shared fixtures: the base layers, and for browser tests a live app and headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import settings

from layers.catalog import load_base_layers

# CI explores the same examples every run (a failure found there can be replayed); a developer's
# run explores new ones and keeps failures in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("SIP_ATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def isolated_workspace(tmp_path, monkeypatch):
    """Every test gets an empty workspace of its own (never the user's)."""
    root = tmp_path / "workspace"
    monkeypatch.setenv("SIP_ATLAS_WORKSPACE", str(root))
    return root


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database (PostGIS available) for one test, dropped afterwards.

    The server is the one ``bash .ci/setup --test`` starts; ``SIP_ATLAS_TEST_DATABASE_URL``
    names its maintenance database (default: the local socket, database postgres).
    """
    import secrets

    import psycopg
    from psycopg.conninfo import make_conninfo

    admin = os.environ.get("SIP_ATLAS_TEST_DATABASE_URL", "postgresql:///postgres")
    name = f"sip_test_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not running ({exc}); `bash .ci/setup --test` starts it")
    yield make_conninfo(admin, dbname=name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["folder", "postgis"])
def store(request, tmp_path):
    """Each workspace backend in turn: the GeoPackage folder and PostgreSQL/PostGIS."""
    from geo.pgstore import PostgisWorkspace
    from geo.workspace import Workspace

    if request.param == "folder":
        return Workspace(tmp_path / "store")
    return PostgisWorkspace(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def base_layers():
    """Every registry layer with its GeoDataFrame, loaded once."""
    return load_base_layers()


@pytest.fixture(scope="session")
def layers_by_id(base_layers):
    """Base layers keyed by id."""
    return {spec.id: gdf for spec, gdf in base_layers}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app started with ``streamlit run`` on 127.0.0.1, stopped after the session."""
    port = _free_port()
    workspace = tmp_path_factory.mktemp("browser-workspace")
    env = {**os.environ, "SIP_ATLAS_BASEMAP": "osm", "SIP_ATLAS_WORKSPACE": str(workspace)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
        "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
    ]  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "streamlit.log").open("w")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("streamlit did not start within 60 s; see test-artifacts/streamlit.log")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (bash .ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def offline_page(browser):
    """A page whose requests outside localhost are blocked; records failed assets and errors."""
    page = browser.new_page(viewport={"width": 1500, "height": 1100})
    page.failed_assets = []
    page.console_errors = []

    def guard(route):
        host = route.request.url.split("/")[2] if "://" in route.request.url else ""
        local = host.split(":")[0] in {"127.0.0.1", "localhost"}
        if route.request.url.startswith(("http://", "https://", "ws")) and not local:
            route.abort()
        else:
            route.continue_()

    def on_failed(request):
        if request.resource_type in {"script", "stylesheet", "font"}:
            page.failed_assets.append(request.url[:120])

    def on_response(response):
        if response.status >= 400 and response.request.resource_type in {"script", "stylesheet"}:
            page.failed_assets.append(f"{response.status} {response.url[:120]}")

    page.context.route("**/*", guard)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    page.close()
