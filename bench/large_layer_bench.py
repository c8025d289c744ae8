"""Benchmark: the atlas' map page against geopandas' GeoDataFrame.explore() on the same parcels.

For 10,000, 50,000 and 100,000 synthetic parcels (20-vertex outlines): page bytes, seconds to
build the page, and seconds from navigation to the first drawn frame with the layer in it, in
headless Chromium with the network cut off (explore()'s CDN scripts are answered with the
installed Leaflet, so that it is measured drawing, not failing). Usage:
``python bench/large_layer_bench.py [--sizes 10000 50000 100000]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.make_parcels import synthetic_parcels
from layers.folium_map import build_map
from layers.registry import layer_spec

LEAFLET = Path(xstatic_leaflet.BASE_DIR)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
# The atlas' canvas layer sets .drawn after its first full draw; explore() draws SVG paths.
ATLAS_DRAWN = ("() => Object.keys(window).some(k => k.startsWith('compact_polygons_')"
               " && window[k] && window[k].drawn)")  # fmt: skip
EXPLORE_DRAWN = "() => !!document.querySelector('path.leaflet-interactive')"
DRAWN = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
    () => done(performance.now() / 1000))))"""


def _offline(route) -> None:
    url = route.request.url
    if url.startswith("file:") or url.startswith("data:"):
        route.continue_()
    elif url.endswith("leaflet.js"):
        route.fulfill(body=(LEAFLET / "leaflet.js").read_bytes(), content_type="text/javascript")
    elif url.endswith("leaflet.css"):
        route.fulfill(body=(LEAFLET / "leaflet.css").read_bytes(), content_type="text/css")
    else:
        route.fulfill(body=b"", content_type="text/plain")


def first_drawn_s(browser, page_path: Path, ready: str) -> float:
    """Seconds from navigation to the first frame drawn once ``ready`` (a JS predicate) holds.

    Raises if the page reports a script error: a broken page must not look fast.
    """
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.route("**/*", _offline)
    page.goto(page_path.as_uri(), timeout=600_000)
    page.wait_for_function(ready, timeout=600_000)
    seconds = page.evaluate(DRAWN)
    page.close()
    if errors:
        msg = f"{page_path.name}: {errors[0]}"
        raise RuntimeError(msg)
    return seconds


def main() -> None:
    """Print one line per size and page kind."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    args = parser.parse_args()
    spec = replace(layer_spec("land_reuse_parcels"), id="parcels", tooltip=("DKBH", "status"),
                   popup=("DKBH", "status"))  # fmt: skip
    print("parcels  page     MB  build_s  first_shape_s")
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for n in args.sizes:
            gdf = synthetic_parcels(n).rename(columns={"状态": "status"}).to_crs("EPSG:4326")
            gdf["id"] = gdf["DKBH"]
            pages = {
                "atlas": (lambda g=gdf: build_map([(spec, g)], bounds_wgs84=tuple(g.total_bounds)),
                          ATLAS_DRAWN),
                "explore": (lambda g=gdf: g.explore(), EXPLORE_DRAWN),
            }  # fmt: skip
            for kind, (make, ready) in pages.items():
                start = time.perf_counter()
                html = make().get_root().render()
                build = time.perf_counter() - start
                path = Path(tmp) / f"{kind}-{n}.html"
                path.write_text(html, encoding="utf-8")
                drawn = first_drawn_s(browser, path, ready)
                print(f"{n:>7}  {kind:<7} {len(html) / 1e6:6.1f}  {build:7.2f}  {drawn:13.2f}",
                      flush=True)  # fmt: skip
        browser.close()


if __name__ == "__main__":
    main()
