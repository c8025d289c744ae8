"""Take README's screenshot: the app in Chinese with no basemap, one land-reuse parcel clicked,
on a 1440x900 laptop screen.

Starts the app on a free local port with an empty workspace, drives Debian's Chromium with
Playwright, and writes ``tests/screenshots/atlas.png``. Usage (after ``bash .ci/setup --test``):
``.venv/bin/python tests/screenshots/take.py [PARCEL_ID]``
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import geopandas as gpd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.server import serve_app  # noqa: E402

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def main(parcel_id: str = "LR-LF-10") -> None:
    """Write the screenshot with ``parcel_id`` clicked."""
    from playwright.sync_api import sync_playwright

    parcels = gpd.read_file(ROOT / "data" / "land_reuse_parcels.geojson").set_index("id")
    spot = parcels.geometry[parcel_id].representative_point()
    with tempfile.TemporaryDirectory() as workspace:
        env = {**os.environ, "SIP_ATLAS_BASEMAP": "none", "SIP_ATLAS_WORKSPACE": workspace}
        with serve_app(env) as (url, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(url)
            frame = page.frame_locator(MAP_FRAME)
            frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
            page.wait_for_timeout(3_000)
            container = frame.locator(".leaflet-container")
            x, y = container.evaluate(
                f"(el) => {{ const p = window.map.latLngToContainerPoint([{spot.y}, {spot.x}]);"
                " return [p.x, p.y]; }"
            )
            box = container.bounding_box()
            page.mouse.click(box["x"] + x, box["y"] + y)
            page.get_by_text(parcel_id).first.wait_for(state="attached", timeout=60_000)
            page.wait_for_timeout(2_000)
            page.evaluate("() => document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
            page.wait_for_timeout(500)
            box = container.bounding_box()
            page.mouse.move(box["x"] + x, box["y"] + y)
            page.wait_for_timeout(1_000)
            page.screenshot(path=str(ROOT / "tests" / "screenshots" / "atlas.png"))
            browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
