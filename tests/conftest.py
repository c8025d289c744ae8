"""Shared fixtures: the base layers, and for browser tests a live app and headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from layers.catalog import load_base_layers
from tests.server import serve_app

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


@pytest.fixture(autouse=True)
def error_details_shown():
    """A team server's app hides error details (a process-wide Streamlit option); AppTest runs
    the app in this process, so each test starts with them shown again."""
    from streamlit import config

    yield
    config.set_option("client.showErrorDetails", "full")


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


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app started with ``streamlit run`` on 127.0.0.1, stopped after the session."""
    workspace = tmp_path_factory.mktemp("browser-workspace")
    env = {**os.environ, "SIP_ATLAS_BASEMAP": "osm", "SIP_ATLAS_WORKSPACE": str(workspace)}
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "streamlit.log").open("w") as log:
        try:
            with serve_app(env, log=log) as (url, _):
                yield url
        except RuntimeError as exc:
            pytest.fail(f"{exc}; see test-artifacts/streamlit.log")


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


@pytest.fixture
def server_address():
    """Set the address the app's server listens on (Streamlit's ``server.address``) for AppTest,
    which runs the app in this process; the default is restored afterwards."""
    from streamlit import config

    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)
