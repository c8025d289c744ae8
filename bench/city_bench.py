"""Benchmark: a city's land-use survey (synthetic parcels, 20-vertex outlines, 180 m apart)
through ingest, vector tiles and the app, in each store.

For each store (folder, PostGIS) and size (default 10,000, 100,000 and 1,000,000 parcels):
- ingest: the upload path (read, check, areas, save) in its own process, seconds and peak RSS;
- tiles: what ``sip-atlas ingest`` builds after saving, seconds, peak RSS and file size: the
  folder store's PMTiles and overview; PostGIS makes tiles on request (the route's answer times
  are reported), so only its overview;
- app: the real server (``app_server.py``) and headless Chromium, the network cut off: the map
  page's bytes, seconds from opening the app's page to the first drawn shape of the layer (with
  the server's first load of the layer, and again on a second visit), from the map page's own
  start to that shape (as ``large_layer_bench.py`` measures a map page), the worst gap between two
  drawn frames while zooming through 11-16 and panning at each zoom, tile answer times, and
  whether hovering over 10 random parcels names each one and a click shows its details.
Then geopandas' ``explore()`` at 50,000 parcels as the peer (page bytes, first shape).

Usage: ``python bench/city_bench.py [--sizes 10000 100000 1000000] [--stores folder postgis]``
(PostGIS: the server ``bash .ci/setup --test`` starts; ``SIP_ATLAS_TEST_DATABASE_URL`` names its
maintenance database). Prints one JSON line per measurement and a table at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAINTED = """() => {
    for (const c of document.querySelectorAll('.leaflet-sipTiles-pane canvas')) {
        if (!c.width) continue;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 16) {
            if (d[i] > 0) {
                window.__paintedAt = window.__paintedAt || performance.now();
                return true;
            }
        }
    }
    return false;
}"""
FRAME_GAPS = """() => { window.__gaps = []; let last = performance.now();
    const step = (t) => { window.__gaps.push(t - last); last = t; requestAnimationFrame(step); };
    requestAnimationFrame(step); }"""
LAYER = "Object.keys(window).filter(k => k.startsWith('tiled_polygons')).map(k => window[k])[0]"


def _peak_mb() -> float:
    """This process's peak resident memory (MiB). Linux's VmHWM, not ``ru_maxrss``: a child
    started by a large parent inherits the parent's ``ru_maxrss`` across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_ingest(n: int, env: dict) -> dict:
    """Make ``n`` parcels into a GeoPackage, then ingest and save it as an upload is."""
    from bench.make_parcels import synthetic_parcels
    from geo.uploads.ingest import IngestOptions, inspect_upload
    from geo.uploads.save import save_upload
    from geo.workspace import open_workspace

    gdf = synthetic_parcels(n)
    gdf["名称"] = "地块" + gdf["DKBH"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "国土调查.gpkg"
        gdf.to_file(path)
        del gdf
        start = time.perf_counter()
        options = IngestOptions(mapping={"parcel_id": "DKBH", "status": "状态"})
        result = inspect_upload([path], Path(tmp) / "work", options)
        report = save_upload(result, [path], name="国土调查", workspace=open_workspace(),
                             actor="local:bench")  # fmt: skip
        seconds = time.perf_counter() - start
    return {"layer_id": report["layer_id"], "ingest_s": round(seconds, 1),
            "ingest_peak_mb": round(_peak_mb())}  # fmt: skip


def phase_tiles(layer_id: str) -> dict:
    """Build the layer's tiles (folder store) or overview (PostGIS), as ``sip-atlas ingest``
    does (the app does it in the background)."""
    from geo.tile_source import tile_source
    from geo.workspace import open_workspace
    from layers.uploads import ensure_tiles, upload_spec

    workspace = open_workspace()
    entry = workspace.entry(layer_id)
    gdf = workspace.load(layer_id)
    spec = upload_spec(entry, 0, list(gdf.columns))
    start = time.perf_counter()
    state = ensure_tiles(workspace, spec, lambda: gdf, wait=True)
    seconds = time.perf_counter() - start
    source = tile_source(workspace, layer_id)
    size = getattr(source, "path", None)
    return {"tiles_state": state["state"], "tiles_s": round(seconds, 1),
            "tiles_peak_mb": round(_peak_mb()),
            "tiles_mb": round(size.stat().st_size / 2**20, 1) if size else None}  # fmt: skip


def _in_child(phase: str, arg: str, env: dict) -> dict:
    """Run a phase in a process of its own (its own peak memory); its JSON answer."""
    out = subprocess.run([sys.executable, __file__, "--phase", phase, arg], env=env,
                         capture_output=True, text=True, check=False, cwd=ROOT)  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _first_shape(page, url: str) -> tuple[float, float, float]:
    """Seconds from opening the app's page to the map being there (the app has run, the map
    page is loaded), and to the first drawn shape of the tiled layer; and seconds from the map
    page's own start to that shape (as bench/large_layer_bench.py measures a map page)."""
    start = time.perf_counter()
    page.goto(url, timeout=900_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-sipTiles-pane").wait_for(state="attached", timeout=900_000)
    ready = time.perf_counter() - start
    map_frame = next(f for f in page.frames if "st_folium" in f.url)
    map_frame.wait_for_function(PAINTED, timeout=120_000, polling=50)
    drawn = time.perf_counter() - start
    return ready, drawn, map_frame.evaluate("() => window.__paintedAt") / 1000


def _step(what: str) -> None:
    """Say on stderr which step of a long run has begun."""
    print(f"{time.strftime('%H:%M:%S')} {what}", file=sys.stderr, flush=True)


def _stalls(page, lat: float, lon: float) -> tuple[int, int]:
    """The worst gap between two drawn frames of the map (ms), and how many gaps were over
    400 ms, while zooming from 11 to 16 and panning at each zoom."""
    frame = _map_frame(page)
    frame.evaluate(FRAME_GAPS)
    for zoom in range(11, 17):
        frame.evaluate(f"() => window.map.setView([{lat}, {lon}], {zoom}, {{animate: 0}})")
        page.wait_for_timeout(700)
        for dx, dy in ((400, 200), (-800, 0), (400, -200)):
            frame.evaluate(f"() => window.map.panBy([{dx}, {dy}])")
            page.wait_for_timeout(500)
    gaps = frame.evaluate("() => window.__gaps")[1:]
    return round(max(gaps)), sum(g > 400 for g in gaps)


def _map_frame(page):
    return next(f for f in page.frames if "st_folium" in f.url)


def measure_app(env: dict, layer_id: str, sample) -> dict:
    """The app in headless Chromium over the saved layer; ``sample``: (id, lon, lat) of
    parcels to hover over."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.server import serve_app

    lon0, lat0 = sample[0][1], sample[0][2]
    url = f"/?layers={layer_id}&basemap=none&center={lat0},{lon0}&zoom=12"
    result: dict = {}
    with (open(os.devnull, "w") as log, serve_app(env, log=log, wait_s=600) as (base, _),
          sync_playwright() as p):  # fmt: skip
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        tile_ms: list[float] = []
        page.on("requestfinished", lambda r: tile_ms.append(r.timing["responseEnd"])
                if "/sip-tiles/" in r.url else None)  # fmt: skip
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                   else r.abort())  # fmt: skip
        _step("first shape, cold server")
        result["first_shape_cold_s"] = round(_first_shape(page, base + url)[1], 2)
        ready, drawn, in_map = _first_shape(page, base + url)
        result["map_ready_s"], result["first_shape_s"] = round(ready, 2), round(drawn, 2)
        result["first_shape_in_map_page_s"] = round(in_map, 2)
        frame = _map_frame(page)
        result["page_kb"] = round(
            frame.evaluate(
                "() => new TextEncoder().encode(document.documentElement.outerHTML).length"
            )
            / 1024
        )
        _step("frame gaps while zooming and panning")
        result["worst_frame_gap_ms"], result["frames_over_400ms"] = _stalls(page, lat0, lon0)
        # the same moves with the tiled layer taken off the map: what the rest of the map costs
        _map_frame(page).evaluate(f"() => window.map.removeLayer({LAYER})")
        _step("frame gaps without the tiled layer")
        result["worst_gap_without_layer_ms"] = _stalls(page, lat0, lon0)[0]
        _step("map ready with a small layer only")
        page.goto(base + url.replace(f"layers={layer_id}", "layers=sip_boundary"))
        page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=300_000)
        start = time.perf_counter()
        page.goto(base + url.replace(f"layers={layer_id}", "layers=sip_boundary"))
        page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive").first.wait_for(
            state="attached", timeout=300_000)  # fmt: skip
        result["map_ready_without_layer_s"] = round(time.perf_counter() - start, 2)
        page.goto(base + url)
        page.frame_locator(MAP_FRAME).locator(".leaflet-sipTiles-pane").wait_for(
            state="attached", timeout=300_000)  # fmt: skip
        frame = _map_frame(page)
        tile_ms.sort()
        if tile_ms:
            result["tile_ms_p50"] = round(tile_ms[len(tile_ms) // 2])
            result["tile_ms_max"] = round(tile_ms[-1])
            result["tiles_fetched"] = len(tile_ms)
        _step("hover over 10 parcels")
        right = 0
        for feature_id, lon, lat in sample:
            frame.evaluate(f"() => window.map.setView([{lat}, {lon}], 16, {{animate: false}})")
            frame.wait_for_function(
                f"() => {{ const p = {LAYER}.featureAt(L.latLng({lat}, {lon}));"
                f" return p && p.id === {json.dumps(feature_id)}; }}", timeout=30_000)  # fmt: skip
            right += 1
        result["hover_right"] = f"{right}/{len(sample)}"
        _step("click to details")
        feature_id, lon, lat = sample[0]
        frame.evaluate(f"() => window.map.setView([{lat}, {lon}], 16, {{animate: false}})")
        page.wait_for_timeout(1500)
        start = time.perf_counter()
        frame.evaluate(f"() => {LAYER}._click({{latlng: L.latLng({lat}, {lon})}})")
        page.get_by_text(f"{feature_id} 周边").wait_for(timeout=120_000)
        result["click_to_details_s"] = round(time.perf_counter() - start, 2)
        browser.close()
    return result


def _database(admin: str) -> str:
    import psycopg
    from psycopg.conninfo import make_conninfo

    name = f"sip_bench_{secrets.token_hex(3)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_conninfo(admin, dbname=name)


def _drop(admin: str, url: str) -> None:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{conninfo_to_dict(url)["dbname"]}" WITH (FORCE)')


def run(store: str, n: int) -> dict:
    """Ingest, tiles and app for ``n`` parcels in ``store``."""
    import numpy as np

    admin = os.environ.get("SIP_ATLAS_TEST_DATABASE_URL", "postgresql:///postgres")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(Path(tmp) / "ws"),
               "SIP_ATLAS_DATABASE_URL": _database(admin) if store == "postgis" else "",
               "SIP_ATLAS_BASEMAP": "none", "PYTHONPATH": str(ROOT),
               # a shared workspace with no sign-in: open on purpose, on this machine only
               "SIP_ATLAS_OPEN_SERVER": "1",
               # every size drawn from tiles, to compare like with like (default: above 50,000)
               "SIP_ATLAS_TILED_LAYER": "1000",
               # a million parcels make a 555 MiB GeoPackage: over the default 200 MiB limit
               "SIP_ATLAS_MAX_UPLOAD_MB": "4096", "SIP_ATLAS_MAX_UNZIPPED_MB": "8192"}  # fmt: skip
        try:
            result = {"store": store, "parcels": n, **_in_child("ingest", str(n), env)}
            result.update(_in_child("tiles", result["layer_id"], env))
            os.environ.update({k: v for k, v in env.items() if k.startswith("SIP_ATLAS")})
            from geo.workspace import open_workspace

            gdf = open_workspace().load(result["layer_id"])
            rng = np.random.default_rng(5)
            picks = rng.choice(len(gdf), 10, replace=False)
            points = gdf.geometry.iloc[picks].representative_point()
            sample = [(str(gdf["id"].iloc[i]), p.x, p.y) for i, p in zip(picks, points,
                                                                        strict=True)]  # fmt: skip
            del gdf
            result.update(measure_app(env, result.pop("layer_id"), sample))
        finally:
            if store == "postgis":
                _drop(admin, env["SIP_ATLAS_DATABASE_URL"])
    print(json.dumps(result), flush=True)
    return result


def peer(n: int = 50_000) -> dict:
    """geopandas' explore() of ``n`` parcels: page bytes and first shape (as in
    bench/large_layer_bench.py)."""
    from playwright.sync_api import sync_playwright

    from bench.large_layer_bench import ARGS, EXPLORE_DRAWN, first_drawn_s
    from bench.make_parcels import synthetic_parcels

    gdf = synthetic_parcels(n).to_crs(4326)
    html = gdf.explore().get_root().render()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "explore.html"
        path.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        seconds = first_drawn_s(browser, path, EXPLORE_DRAWN)
        browser.close()
    result = {"store": "explore()", "parcels": n, "page_kb": round(len(html.encode()) / 1024),
              "first_shape_s": round(seconds, 2)}  # fmt: skip
    print(json.dumps(result), flush=True)
    return result


def main() -> None:
    """Run the benchmark, or one phase of it in a child process (``--phase``)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--stores", nargs="+", default=["folder", "postgis"])
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--phase", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, value = args.phase
        answer = phase_ingest(int(value), {}) if name == "ingest" else phase_tiles(value)
        print(json.dumps(answer))
        return
    rows = [run(store, n) for store in args.stores for n in args.sizes]
    if not args.no_peer:
        rows.append(peer())
    columns = ["store", "parcels", "ingest_s", "ingest_peak_mb", "tiles_s", "tiles_peak_mb",
               "tiles_mb", "page_kb", "first_shape_cold_s", "map_ready_s", "first_shape_s",
               "first_shape_in_map_page_s",
               "worst_frame_gap_ms", "frames_over_400ms", "worst_gap_without_layer_ms",
               "map_ready_without_layer_s", "tile_ms_p50", "tile_ms_max",
               "hover_right", "click_to_details_s"]  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")


if __name__ == "__main__":
    main()
