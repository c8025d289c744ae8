"""Take README's screenshots, on a 1440x900 laptop screen with no basemap: the app in Chinese
with one land-reuse parcel clicked (``atlas.png``); the scenario comparison (``compare-zh.png``,
``compare-en.png``); and a file traced on Gaode maps zoomed to on upload, with where GCJ-02
would put it dashed (``upload-zh.png``, ``upload-en.png``); and the planner's guides'
pictures at 1366x768 (``guide-*-zh.png``, ``guide-*-en.png``).

Starts the app on a free local port with a workspace of its own, drives Debian's Chromium with
Playwright, and writes ``tests/screenshots/*.png``. Usage (after ``bash .ci/setup --test``):
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


def _seed(workspace: str) -> None:
    """Two proposals and a near-term scenario of them, as a planner would have made."""
    from shapely.geometry import box

    from geo.plans import Plans
    from geo.workspace import Workspace

    plans = Plans(Workspace(workspace))
    green = plans.add_proposal(box(120.700, 31.300, 120.706, 31.305), title="湖西口袋公园",
                               kind="green_space")  # fmt: skip
    scene = plans.add_proposal(box(120.740, 31.320, 120.746, 31.325), title="夜间消费街区",
                               kind="consumption_scene", far=2.0)  # fmt: skip
    plans.save_scenario("近期方案", [green, scene], {"LR-SH-01": "vacated", "LR-LF-03": "vacated"})


def _gaode_file(folder: Path) -> Path:
    """Three blocks east of Jinji Lake with GCJ-02 coordinates, in a file named for Gaode."""
    from shapely.geometry import box

    from geo.gcj02 import shift_gdf, wgs84_to_gcj02

    blocks = [box(120.725 + i * 0.008, 31.300, 120.731 + i * 0.008, 31.305) for i in range(3)]
    gdf = gpd.GeoDataFrame({"名称": ["星湖街东片区", "现代大道南片区", "苏虹路西片区"]},
                           geometry=blocks, crs="EPSG:4326")  # fmt: skip
    path = folder / "高德描绘_片区.geojson"
    shift_gdf(gdf, wgs84_to_gcj02).to_file(path, driver="GeoJSON")
    return path


def more() -> None:
    """The comparison and the zoomed upload, in both languages."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as workspace, tempfile.TemporaryDirectory() as files:
        _seed(workspace)
        upload = _gaode_file(Path(files))
        env = {**os.environ, "SIP_ATLAS_BASEMAP": "none", "SIP_ATLAS_WORKSPACE": workspace}
        with serve_app(env) as (url, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang, tab_plans, tab_upload, warned in (
                ("zh", "方案讨论", "上传", "高德或腾讯地图"),
                ("en", "Proposals", "Upload", "Gaode"),
            ):
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(f"{url}/?lang={lang}")
                page.frame_locator(MAP_FRAME).first.locator("path.leaflet-interactive").first \
                    .wait_for(timeout=60_000)  # fmt: skip
                page.get_by_role("tab", name=tab_plans).click()
                maps = page.locator(MAP_FRAME).nth(1)
                maps.scroll_into_view_if_needed()
                page.wait_for_timeout(2_500)
                page.evaluate("() => window.scrollBy(0, 0)")
                maps.evaluate("(el) => el.scrollIntoView({block: 'end'})")
                page.mouse.move(5, 5)
                page.wait_for_timeout(1_500)
                page.screenshot(path=str(ROOT / "tests" / "screenshots" / f"compare-{lang}.png"))
                page.get_by_role("tab", name=tab_upload).click()
                page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
                    str(upload)
                )
                page.get_by_text(warned).first.wait_for(timeout=60_000)
                page.wait_for_timeout(3_000)
                page.evaluate(
                    "() => document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })"
                )
                page.mouse.move(5, 5)  # no tooltip over the upload
                page.wait_for_timeout(1_000)
                page.screenshot(path=str(ROOT / "tests" / "screenshots" / f"upload-{lang}.png"))
                page.close()
            browser.close()


def _shot(page, name: str, where: str | None = None) -> None:
    """A screenshot of the page scrolled so that ``where`` (a CSS selector) is at the top."""
    if where:
        page.locator(where).first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    page.mouse.move(5, 5)
    page.wait_for_timeout(1_000)
    page.screenshot(path=str(ROOT / "tests" / "screenshots" / f"{name}.png"))


def guide() -> None:
    """The planner's guides' pictures at 1366x768 in both languages: the worked example's
    upload report, the analysis, a CAD drawing's layers, the export tab."""
    from playwright.sync_api import sync_playwright

    from tests.cad import draw_parcels

    with tempfile.TemporaryDirectory() as workspace, tempfile.TemporaryDirectory() as files:
        drawing = draw_parcels(Path(files) / "控规地块.dxf", version="R2000", gbk=True)
        example = ROOT / "docs" / "example" / "示例地块.zip"
        env = {**os.environ, "SIP_ATLAS_BASEMAP": "none", "SIP_ATLAS_WORKSPACE": workspace}
        with serve_app(env) as (url, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang, tabs in (("zh", ("上传", "规划分析", "导出")),
                               ("en", ("Upload", "Analysis", "Export"))):  # fmt: skip
                page = browser.new_page(viewport={"width": 1366, "height": 768})
                page.goto(f"{url}/?lang={lang}")
                page.frame_locator(MAP_FRAME).first.locator("path.leaflet-interactive").first \
                    .wait_for(timeout=60_000)  # fmt: skip
                page.get_by_role("tab", name=tabs[0]).click()
                picker = page.locator("[data-testid=stFileUploader] input[type=file]")
                picker.set_input_files(str(example))
                page.locator("[data-testid=stMetric]").first.wait_for(timeout=60_000)
                page.wait_for_timeout(2_000)
                _shot(page, f"guide-upload-{lang}", "[data-testid=stMetric]")
                picker.set_input_files(str(drawing))
                page.locator("[class*=st-key-cad_]").first.wait_for(timeout=60_000)
                page.wait_for_timeout(2_000)
                _shot(page, f"guide-cad-{lang}", "[class*=st-key-cad_]")
                page.get_by_role("tab", name=tabs[1]).click()
                page.wait_for_timeout(1_500)
                _shot(page, f"guide-analysis-{lang}", ".st-key-an_layer")
                page.get_by_role("tab", name=tabs[2]).click()
                page.wait_for_timeout(1_500)
                _shot(page, f"guide-export-{lang}", ".st-key-snap_title")
                page.close()
            browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
    more()
    guide()
