"""Benchmark: how long a planner waits for the atlas's ordinary answers, in the browser.

The app on its real server (``app_server.py``), headless Chromium at 1366×768, the network cut
off, the atlas's base layers (and, with ``--parcels N``, a tiled layer of N synthetic parcels
shown over them). For each store (folder, PostGIS), median and worst of ``--tries``:

- open: from opening the app's page until the map has shapes (the server's first visit apart);
- click: from a click on a land-reuse parcel until the map shows its details (the popup) and
  until the details panel beside the map names it (two parcels in turn, so each click changes
  the answer);
- search: from pressing Enter on a parcel number in the search box until the panel names it
  (the hit's button pressed as soon as it shows, where Enter does not go to it by itself);
- layer off: from switching 五大载体 off in the sidebar until the map has redrawn without it;
- save: from pressing 保存为方案 on a sketch until the proposal is drawn on the map.

Usage: ``python bench/interaction_bench.py [--stores folder postgis] [--parcels 1000000]
[--tries 5]`` (PostGIS: the server ``bash .ci/setup --test`` starts;
``SIP_ATLAS_TEST_DATABASE_URL`` names its maintenance database). One JSON line per store.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SHAPES = "path.leaflet-interactive"
# Two land-reuse parcels, a point inside each (lat, lon, EPSG:4326) and their names.
PARCELS = [("LR-SH-01", "苏虹路片区01号地块"), ("LR-SH-02", "苏虹路片区02号地块")]
_IN_MAP = f"document.querySelector('{MAP_FRAME}')?.contentDocument"
_DETAILS = """(name) => { const m = document.querySelector('[data-testid=stMain]');
    const after = m ? m.innerText.split('要素详情') : [];
    return after.length > 1 && after[1].trim().startsWith(name); }"""
_POPUP = f"""(name) => {{ const d = {_IN_MAP};
    const p = d && d.querySelector('.leaflet-popup-content');
    return !!p && p.innerText.includes(name); }}"""
_DETAILS_OR_HIT = f"""(name) => ({_DETAILS})(name) || [...document.querySelectorAll(
    '[data-testid=stSidebar] button')].some(b => b.innerText.includes(name))"""
_COUNT = f"(sel) => ({_IN_MAP}?.querySelectorAll(sel).length ?? 0)"
_IDLE = "() => !document.querySelector('[data-testid=stStatusWidget]')"


def _step(what: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {what}", file=sys.stderr, flush=True)


def _settle(page) -> None:
    """Until the app's run has ended and the map has shapes, and a moment more."""
    page.wait_for_function(_IDLE, timeout=600_000, polling=100)
    page.wait_for_function(_COUNT, arg=SHAPES, timeout=600_000, polling=100)
    page.wait_for_timeout(800)


def _timed(page, act, done: str, arg=None) -> float:
    """Seconds from ``act()`` until the page's ``done(arg)`` holds (polled every frame)."""
    start = time.perf_counter()
    act()
    page.wait_for_function(done, arg=arg, timeout=120_000, polling="raf")
    return time.perf_counter() - start


def _summary(name: str, seconds: list[float]) -> dict:
    return {f"{name}_median_s": round(statistics.median(seconds), 2),
            f"{name}_worst_s": round(max(seconds), 2)}  # fmt: skip


def _parcel_points() -> dict[str, tuple[float, float]]:
    from layers.catalog import load_base_layers

    layers = dict((s.id, g) for s, g in load_base_layers())
    gdf = layers["land_reuse_parcels"].to_crs(4326).set_index("id")
    return {i: (p.y, p.x) for i, p in gdf.geometry.representative_point().items()}


def _click_at(page, lat: float, lon: float) -> None:
    frame = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    x, y = frame.evaluate(f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
                          " return [p.x, p.y]; }")  # fmt: skip
    box = frame.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def _sketch(page, n: int) -> None:
    """Draw a small square on the map (the n-th, each in a place of its own)."""
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-draw-draw-polygon").click()
    box = frame.locator(".leaflet-container").bounding_box()
    x0, y0 = box["x"] + box["width"] * (0.15 + 0.12 * n), box["y"] + box["height"] * 0.55
    for x, y in [(x0, y0), (x0 + 60, y0), (x0 + 60, y0 + 60), (x0, y0 + 60), (x0, y0)]:
        page.mouse.click(x, y)
        page.wait_for_timeout(400)
    try:
        page.get_by_text("新草图").wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path="/tmp/bench-sketch.png")
        raise
    page.get_by_label("标题").first.fill(f"测速方案{n}")


def measure(base: str, query: str, tries: int) -> dict:
    """The interactions in headless Chromium against the app at ``base``."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    points = _parcel_points()
    result: dict = {}
    with sync_playwright() as p:
        # offline: every host but this one unresolvable (intercepting each request instead
        # would slow the page's hundred script chunks down, and the figures with them)
        offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, offline])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        _step("open")
        url = base + "/" + query
        cold = _timed(page, lambda: page.goto(url), _COUNT, SHAPES)
        _settle(page)
        opens = []
        for _ in range(3):  # each a planner opening the app on the server as it is
            opens.append(_timed(page, lambda: page.goto(url), _COUNT, SHAPES))
            _settle(page)
        result.update(open_cold_s=round(cold, 2), **_summary("open", opens))
        _settle(page)
        _step("click")
        lat, lon = points[PARCELS[0][0]]
        page.frame_locator(MAP_FRAME).locator(".leaflet-container").evaluate(
            f"() => window.map.setView([{lat}, {lon}], 15, {{animate: false}})")  # fmt: skip
        page.wait_for_timeout(800)
        popups, details = [], []
        for n in range(tries + 1):
            parcel, name = PARCELS[n % 2]
            close = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-close-button")
            if close.count():  # the last popup closed as a planner does: it covers the next
                close.click()
                page.wait_for_timeout(400)  # its fade-out
            start = time.perf_counter()
            _click_at(page, *points[parcel])
            page.wait_for_function(_POPUP, arg=name, timeout=120_000, polling="raf")
            popup = time.perf_counter() - start
            page.wait_for_function(_DETAILS, arg=name, timeout=120_000, polling="raf")
            if n:  # the first click apart: the map's first answer
                popups.append(popup)
                details.append(time.perf_counter() - start)
            _settle(page)
        result.update(**_summary("click_popup", popups), **_summary("click_details", details))
        _step("search")
        searches = []
        box = page.get_by_label("查找编号或名称")
        for n in range(tries):
            parcel, name = PARCELS[(n + 1) % 2]
            box.fill(parcel)
            start = time.perf_counter()
            box.press("Enter")
            hit = page.get_by_role("button", name=name)
            page.wait_for_function(_DETAILS_OR_HIT, arg=name, timeout=120_000, polling="raf")
            if not page.evaluate(_DETAILS, name):  # the run may still be on its way to them
                page.wait_for_function(_IDLE, timeout=120_000, polling="raf")
            if not page.evaluate(_DETAILS, name):  # the hit's button pressed once the run ends
                hit.first.click()
                page.wait_for_function(_DETAILS, arg=name, timeout=120_000, polling="raf")
            searches.append(time.perf_counter() - start)
            _settle(page)
        result.update(_summary("search", searches))
        box.fill("")
        box.press("Enter")
        _settle(page)
        _step("layer off")
        switch = (
            page.locator("[data-testid=stSidebar] [data-testid=stCheckbox]")
            .filter(has_text="五大载体")
            .locator("label")
        )
        offs = []
        for _ in range(tries):
            shapes = page.evaluate(_COUNT, SHAPES)
            fewer = f"() => ({_COUNT})('{SHAPES}') === {shapes - 5}"
            switch.scroll_into_view_if_needed()
            at = switch.bounding_box()  # a plain click there, as a planner's hand does
            x, y = at["x"] + at["width"] / 2, at["y"] + at["height"] / 2
            offs.append(_timed(page, lambda: page.mouse.click(x, y), fewer))  # noqa: B023
            _settle(page)
            page.mouse.click(x, y)
            _settle(page)
        result.update(_summary("layer_off", offs))
        _step("save a proposal")
        saves = []
        for n in range(tries):
            page.goto(url)  # a sketch is drawn on the map as opened
            _settle(page)
            _sketch(page, n % 5)
            drawn = page.evaluate(_COUNT, "path.sip-proposal")
            more = f"() => ({_COUNT})('path.sip-proposal') === {drawn + 1}"
            saves.append(_timed(page, page.get_by_role("button", name="保存为方案").click, more))
            _settle(page)
        result.update(_summary("save", saves))
        browser.close()
    return result


def run(store: str, parcels: int, tries: int) -> dict:
    """The measures in ``store`` (with a tiled layer of ``parcels`` shown when not 0)."""
    from bench.city_bench import _database, _drop, _in_child
    from tests.server import serve_app

    admin = os.environ.get("SIP_ATLAS_TEST_DATABASE_URL", "postgresql:///postgres")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(Path(tmp) / "ws"),
               "SIP_ATLAS_DATABASE_URL": _database(admin) if store == "postgis" else "",
               "SIP_ATLAS_BASEMAP": "none", "PYTHONPATH": str(ROOT),
               "SIP_ATLAS_OPEN_SERVER": "1",  # a shared workspace on this machine only
               "SIP_ATLAS_MAX_UPLOAD_MB": "4096", "SIP_ATLAS_MAX_UNZIPPED_MB": "8192"}  # fmt: skip
        result: dict = {"store": store, "parcels": parcels}
        try:
            query = "?basemap=none"
            if parcels:
                _step(f"ingest and tiles of {parcels:,} parcels")
                layer_id = _in_child("ingest", str(parcels), env)["layer_id"]
                _in_child("tiles", layer_id, env)
                from layers.catalog import load_base_layers
                from ui.plans import PROPOSALS_SPEC

                shown = [s.id for s, _ in load_base_layers() if s.visible]
                shown += [PROPOSALS_SPEC.id, layer_id]
                query += "&layers=" + ",".join(shown)
            with (open(os.devnull, "w") as log,
                  serve_app(env, log=log, wait_s=600) as (base, _)):  # fmt: skip
                result.update(measure(base, query, tries))
        finally:
            if store == "postgis":
                _drop(admin, env["SIP_ATLAS_DATABASE_URL"])
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    """Measure each store and print one JSON line each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stores", nargs="+", default=["folder", "postgis"])
    parser.add_argument("--parcels", type=int, default=0)
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    for store in args.stores:
        run(store, args.parcels, args.tries)


if __name__ == "__main__":
    main()
