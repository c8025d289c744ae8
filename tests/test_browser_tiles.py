"""Tiled layers on a real app server (issue 16), in both stores: the tile route serves live
layers only, under any base path; headless Chromium draws the tiles, and hovering and clicking
name the right feature, also shifted onto a GCJ-02 basemap; the overview below zoom 11."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import mapbox_vector_tile
import mercantile
import pytest

from geo.gcj02 import wgs84_to_gcj02
from layers.uploads import ensure_tiles, load_uploaded_layers
from tests.conftest import ARTIFACTS
from tests.helpers import store_env
from tests.server import serve_app
from tests.test_browser import MAP_FRAME, _settle
from tests.test_tiles import save_parcels

pytestmark = pytest.mark.browser


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@pytest.fixture
def tiled_app(store, monkeypatch, tmp_path):
    """An app server over ``store``, under the base path /atlas (``server.baseUrlPath``, as
    behind a reverse proxy), holding a tiled layer of 300 parcels and a second one that is then
    put in the trash; yields (url, store, spec, layer, trashed id)."""
    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", "100")
    save_parcels(store, 300)
    trashed, _ = save_parcels(store, 150)
    for spec, gdf in load_uploaded_layers(store):
        ensure_tiles(store, spec, lambda g=gdf: g, wait=True)
    store.remove(trashed["id"], actor="local:t")
    [(spec, gdf)] = load_uploaded_layers(store)
    env = {
        **store_env(store),
        "SIP_ATLAS_TILED_LAYER": "100",
        "SIP_ATLAS_BASEMAP": "none",
        "SIP_ATLAS_OPEN_SERVER": "1",
    }  # a shared workspace without sign-in: on purpose
    ARTIFACTS.mkdir(exist_ok=True)
    with (
        (ARTIFACTS / "streamlit-tiles.log").open("w") as log,
        serve_app(env, log=log, base_path="atlas") as (url, _),
    ):
        yield url, store, spec, gdf, trashed["id"]


def test_the_tile_route_serves_live_tiled_layers_only(tiled_app):
    url, _, spec, gdf, trashed = tiled_app
    centre = gdf.geometry.iloc[150].centroid
    tile = mercantile.tile(centre.x, centre.y, 14)
    path = f"{tile.z}/{tile.x}/{tile.y}.mvt"
    status, body = _get(f"{url}/sip-tiles/{spec.id}/{path}")
    assert status == 200
    features = mapbox_vector_tile.decode(gzip.decompress(body))["features"]["features"]
    assert gdf["id"].iloc[150] in {f["properties"]["id"] for f in features}
    # behind a reverse proxy that strips the prefix, the same tile
    root = url.removesuffix("/atlas")
    assert _get(f"{root}/sip-tiles/{spec.id}/{path}") == (200, body)
    assert _get(f"{url}/sip-tiles/{trashed}/{path}")[0] == 404  # in the trash: no tiles
    assert _get(f"{url}/sip-tiles/up-unknown/{path}")[0] == 404
    assert _get(f"{url}/sip-tiles/{spec.id}/30/1/1.mvt")[0] == 404


def _frame_point(page, lat: float, lon: float) -> tuple[float, float]:
    """The page position of (lat, lon) on the map, measured just before it is used."""
    frame = page.frame_locator(MAP_FRAME)
    x, y = frame.locator(".leaflet-container").evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; }"
    )
    box = frame.locator(".leaflet-container").bounding_box()
    return box["x"] + x, box["y"] + y


def _painted_tiles(page) -> int:
    """How many of the tiled layer's canvases have something drawn on them."""
    return (
        page.frame_locator(MAP_FRAME)
        .locator(".leaflet-sipTiles-pane canvas")
        .evaluate_all(
            """(tiles) => tiles.filter((c) => {
            if (!c.width) return false;
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; }
            return false;
        }).length"""
        )
    )


def _open(page, url: str, layer_id: str, lat: float, lon: float, zoom: int, basemap="none"):
    page.goto(f"{url}/?layers={layer_id}&basemap={basemap}&center={lat},{lon}&zoom={zoom}")
    page.frame_locator(MAP_FRAME).locator(".leaflet-sipTiles-pane").wait_for(
        state="attached", timeout=60_000
    )
    _settle(page)
    for _ in range(40):
        if _painted_tiles(page):
            break
        page.wait_for_timeout(250)


def test_tiles_draw_and_hover_and_click_name_the_feature(tiled_app, offline_page):
    url, _, spec, gdf, _ = tiled_app
    inside = gdf.geometry.iloc[150].representative_point()
    tiles = []
    offline_page.on("response", lambda r: tiles.append(r) if "/sip-tiles/" in r.url else None)
    _open(offline_page, url, spec.id, inside.y, inside.x, 16)
    assert _painted_tiles(offline_page) >= 1
    assert tiles and all(r.status == 200 for r in tiles)
    offline_page.mouse.move(*_frame_point(offline_page, inside.y, inside.x))
    tooltip = offline_page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert gdf["id"].iloc[150] in tooltip.inner_text()
    assert gdf["名称"].iloc[150] in tooltip.inner_text()
    offline_page.mouse.click(*_frame_point(offline_page, inside.y, inside.x))
    details = offline_page.get_by_text(f"{gdf['id'].iloc[150]} 周边")
    details.wait_for(timeout=30_000)  # the nearby panel names the clicked parcel
    offline_page.screenshot(path=str(ARTIFACTS / "app-tiled-layer.png"))
    # the attribute table's CSV is made when asked for (not on every run), and is whole
    offline_page.get_by_role("tab", name="属性表").click()
    with offline_page.expect_download(timeout=60_000) as download:
        offline_page.get_by_role("button", name="下载 CSV").first.click()
    csv = download.value.path().read_text(encoding="utf-8-sig")
    assert len(csv.strip().splitlines()) == len(gdf) + 1 and gdf["id"].iloc[299] in csv
    # zoomed out below the tiled zooms: the overview is drawn, from the same route
    tiles.clear()
    _open(offline_page, url, spec.id, inside.y, inside.x, 9)
    assert _painted_tiles(offline_page) >= 1
    assert any(int(r.url.split("/sip-tiles/")[1].split("/")[1]) < 11 for r in tiles)
    assert offline_page.console_errors == []


def test_on_a_gcj02_basemap_the_tiles_are_shifted_with_the_other_layers(tiled_app, offline_page):
    url, _, spec, gdf, _ = tiled_app
    inside = gdf.geometry.iloc[150].representative_point()
    lon, lat = (float(v) for v in wgs84_to_gcj02(inside.x, inside.y))
    _open(offline_page, url, spec.id, lat, lon, 16, basemap="gaode_road")
    # hovering where the parcel is drawn on the Gaode map (about 500 m from its WGS84 place)
    offline_page.mouse.move(*_frame_point(offline_page, lat, lon))
    tooltip = offline_page.frame_locator(MAP_FRAME).locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert gdf["id"].iloc[150] in tooltip.inner_text()
    # and the drawn parcel is there: the pixel under the GCJ-02 position is painted
    painted = (
        offline_page.frame_locator(MAP_FRAME)
        .locator(".leaflet-container")
        .evaluate(
            f"""() => {{
            const p = window.map.latLngToContainerPoint([{lat}, {lon}]);
            for (const c of document.querySelectorAll('.leaflet-sipTiles-pane canvas')) {{
                const r = c.getBoundingClientRect(), box = window.map.getContainer()
                    .getBoundingClientRect();
                const x = p.x + box.left - r.left, y = p.y + box.top - r.top;
                if (x < 0 || y < 0 || x >= r.width || y >= r.height) continue;
                const s = c.width / r.width;
                return c.getContext('2d').getImageData(x * s, y * s, 1, 1).data[3];
            }}
            return -1;
        }}"""
        )
    )
    assert painted > 0
