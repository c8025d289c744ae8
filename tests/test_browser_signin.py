"""Signing in through the browser (issue 15): a real OpenID Connect provider on localhost
(``oidc-provider-mock``), Streamlit's ``st.login`` on a real app server, over both stores."""

from __future__ import annotations

import os
import secrets

import pytest

from geo.pgstore import PostgisWorkspace
from geo.workspace import Workspace
from tests.conftest import ARTIFACTS
from tests.server import free_port, serve_app
from tests.test_browser import MAP_FRAME, _settle

pytestmark = pytest.mark.browser

PEOPLE = {"boss@sip.gov": "admin", "wang@sip.gov": "editor", "zhao@sip.gov": "viewer"}


@pytest.fixture(params=["folder", "postgis"])
def signed_server(request, tmp_path):
    """An app server that needs sign-in, its workspace with three roles set, in each store
    (``down``: a PostgreSQL workspace that does not answer)."""
    from oidc_provider_mock import User, run_server_in_thread

    if request.param == "postgis":
        url = request.getfixturevalue("pg_url")
        store, env = PostgisWorkspace(url), {"SIP_ATLAS_DATABASE_URL": url}
    elif request.param == "down":
        store = None
        env = {"SIP_ATLAS_DATABASE_URL": "postgresql://127.0.0.1:1/none?connect_timeout=2"}
    else:  # "empty": a folder workspace with no roles set yet
        store = Workspace(tmp_path / "ws")
        env = {"SIP_ATLAS_WORKSPACE": str(tmp_path / "ws"), "SIP_ATLAS_DATABASE_URL": ""}
    for email, role in PEOPLE.items() if request.param in ("folder", "postgis") else ():
        store.set_role(email, role, actor="local:test")
    users = [User(sub=email, claims={"email": email, "email_verified": True})
             for email in [*PEOPLE, "nobody@sip.gov"]]  # fmt: skip
    # a provider's user who set their e-mail to the admin's without verifying it, and one
    # whose subject is in the namespace of the planner's own machine
    users += [User(sub="mallory", claims={"email": "boss@sip.gov", "email_verified": False}),
              User(sub="local:root", claims={})]  # fmt: skip
    with run_server_in_thread(user_claims=users) as provider:
        port = free_port()
        path = tmp_path / "secrets.toml"
        path.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(16)}"\n'
            'client_id = "sip-atlas"\nclient_secret = "not-a-secret"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}'
            '/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "SIP_ATLAS_BASEMAP": "none", "SIP_ATLAS_TILED_LAYER": "100", **env}
        ARTIFACTS.mkdir(exist_ok=True)
        with (
            (ARTIFACTS / f"streamlit-signin-{request.param}.log").open("w") as log,
            serve_app(env, log=log, port=port, options=(f"--secrets.files={path}",)) as (
                app_url,
                _,
            ),
        ):
            yield app_url, store


def _provider_user(browser, app_url: str, sub: str):
    """A new page that pressed 登录 and chose the provider's predefined user ``sub``."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(app_url)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name=sub).click()  # the provider's page: a predefined user
    return page


def _sign_in(browser, app_url: str, email: str):
    page = _provider_user(browser, app_url, email)
    page.get_by_text(f"已登录：{email}").wait_for(timeout=60_000)
    return page


def test_planners_sign_in_and_see_what_their_role_allows(signed_server, browser, tmp_path,
                                                         monkeypatch):  # fmt: skip
    """Issue 15: what each role sees; issues 16 and 23: tiles, uploads and Streamlit's own
    routes by role, and a role taken away in the app stops the tiles at once."""
    from tests.hostile import geojson_file, squares

    app_url, store = signed_server
    first = browser.new_page()
    first.goto(app_url)
    first.get_by_role("button", name="登录").wait_for(timeout=60_000)
    assert first.locator(MAP_FRAME).count() == 0  # nothing of the atlas before sign-in
    first.close()

    viewer = _sign_in(browser, app_url, "zhao@sip.gov")
    _settle(viewer)
    viewer.get_by_role("tab", name="上传").click()
    viewer.get_by_text("您的角色为“查看”").wait_for(timeout=30_000)
    assert viewer.locator("[data-testid=stFileUploader]").count() == 0
    assert viewer.frame_locator(MAP_FRAME).locator(".leaflet-draw").count() == 0

    editor = _sign_in(browser, app_url, "wang@sip.gov")
    _settle(editor)
    editor.get_by_role("tab", name="上传").click()
    editor.locator("[data-testid=stFileUploader]").first.wait_for(timeout=30_000)
    assert editor.frame_locator(MAP_FRAME).locator(".leaflet-draw").count() == 1
    path = geojson_file(tmp_path / "一期.geojson", [{"名称": "甲"}], squares(1))
    editor.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    editor.get_by_role("button", name="保存到工作区").click()
    editor.get_by_text("已保存").first.wait_for(timeout=60_000)
    # the signed-in identity, not a typed name, is the uploader, in the layer and the history
    [entry] = store.list_layers()
    assert entry["author"] == "wang@sip.gov"
    assert (store.history()[-1]["action"], store.history()[-1]["actor"]) == (
        "upload", "wang@sip.gov",
    )  # fmt: skip
    editor.screenshot(path=str(ARTIFACTS / "app-signed-in.png"))
    editor.close()

    stranger = _sign_in_no_role(browser, app_url, "nobody@sip.gov")
    assert "没有角色" in stranger.locator("[data-testid=stMain]").inner_text()
    assert stranger.locator(MAP_FRAME).count() == 0
    _tiles_and_routes_by_role(app_url, store, browser, viewer, stranger, monkeypatch)
    stranger.close()
    viewer.close()


def _tiles_and_routes_by_role(app_url, store, browser, viewer, stranger, monkeypatch) -> None:
    import mercantile

    from layers.uploads import ensure_tiles, load_uploaded_layers
    from tests.test_tiles import save_parcels

    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", "100")
    save_parcels(store, 150)
    [(spec, gdf)] = [(s, g) for s, g in load_uploaded_layers(store) if s.tiles]
    ensure_tiles(store, spec, lambda: gdf, wait=True)
    centre = gdf.geometry.iloc[75].centroid
    tile = mercantile.tile(centre.x, centre.y, 14)
    url = f"{app_url}/sip-tiles/{spec.id}/{tile.z}/{tile.x}/{tile.y}.mvt"
    anonymous = browser.new_context()
    assert anonymous.request.get(url).status == 401  # not signed in
    # issue 23: Streamlit's metrics are closed and a signed-out browser uploads nothing
    assert anonymous.request.get(f"{app_url}/_stcore/metrics").status == 404
    put = anonymous.request.put(f"{app_url}/_stcore/upload_file/s/f", data=b"x" * 1000)
    assert put.status == 403 and b"editor role" in put.body()
    anonymous.close()
    answer = viewer.request.get(url)  # the page's cookies: the signed-in viewer
    assert answer.status == 200 and len(answer.body()) > 100
    put = viewer.request.put(f"{app_url}/_stcore/upload_file/s/f", data=b"x" * 1000)
    assert put.status == 403 and b"editor role" in put.body()  # a viewer uploads nothing
    assert stranger.request.get(url).status == 403  # signed in, but no role here
    # issue 23: an admin takes the viewer's role away in the app; tiles stop at once (they
    # went on for 10 s)
    admin = _sign_in(browser, app_url, "boss@sip.gov")
    _settle(admin)  # the admin panel comes after the map in the first run: let it end
    admin.get_by_role("tab", name="上传").click()
    admin.get_by_text("管理（角色、全部历史、回收站）").click()
    admin.get_by_label("账号").fill("zhao@sip.gov")
    admin.get_by_label("账号").press("Enter")
    admin.get_by_role("button", name="删除", exact=True).last.click()
    for _ in range(60):  # the click's rerun removes the role
        if "zhao@sip.gov" not in store.users():
            break
        admin.wait_for_timeout(500)
    assert "zhao@sip.gov" not in store.users()
    assert viewer.request.get(url).status == 403
    admin.close()


def _sign_in_no_role(browser, app_url: str, email: str):
    page = _provider_user(browser, app_url, email)
    page.get_by_text("没有角色").wait_for(timeout=60_000)
    return page


@pytest.mark.parametrize("signed_server", ["empty"], indirect=True)
def test_no_role_by_accident_and_no_claim_taken_as_it_comes(signed_server, browser):
    """Issue 23: while no roles were set, whoever signed in first was admin and could make
    themselves the only one; an unverified e-mail claim made anyone the admin it named; a
    subject ``local:...`` was admin whatever the roles said."""
    app_url, store = signed_server
    page = _provider_user(browser, app_url, "boss@sip.gov")
    page.get_by_text("尚未指定任何角色").wait_for(timeout=60_000)
    assert "sip-atlas users set-role" in page.locator("[data-testid=stMain]").inner_text()
    assert page.locator(MAP_FRAME).count() == 0 and store.users() == {}
    page.screenshot(path=str(ARTIFACTS / "signin-no-admin-yet.png"))
    page.close()
    store.set_role("boss@sip.gov", "admin", actor="local:test")  # sip-atlas users set-role
    mallory = _sign_in_no_role(browser, app_url, "mallory")
    said = mallory.locator("[data-testid=stMain]").inner_text()
    assert "mallory" in said and "boss@sip.gov" not in said  # the subject, not the claim
    assert mallory.locator(MAP_FRAME).count() == 0
    mallory.close()
    local = _provider_user(browser, app_url, "local:root")
    local.get_by_text("无法确认您是谁").wait_for(timeout=60_000)
    local.screenshot(path=str(ARTIFACTS / "signin-bad-identity.png"))
    assert local.locator(MAP_FRAME).count() == 0
    local.close()


@pytest.mark.parametrize("signed_server", ["down"], indirect=True)
def test_a_role_that_cannot_be_looked_up_opens_nothing(signed_server, browser):
    """Issue 23: a failed role query gave "viewer", and the team's layers with it."""
    app_url, _ = signed_server
    page = _provider_user(browser, app_url, "zhao@sip.gov")
    page.get_by_text("工作区暂时无法访问").wait_for(timeout=60_000)
    said = page.locator("[data-testid=stMain]").inner_text()
    assert page.locator(MAP_FRAME).count() == 0
    assert "127.0.0.1" not in said and "Traceback" not in said  # no server details
    page.screenshot(path=str(ARTIFACTS / "signin-workspace-unreachable.png"))
    page.close()
