"""Uploads in the real app and headless Chromium: a point layer draws with the rest of the map,
and a planner's text (layer name, attribute values) stays text: no markup, no requests out."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from tests.conftest import ARTIFACTS
from tests.hostile import geojson_file, points
from tests.test_browser import FEATURES, MAP_FRAME, _open_map, _settle

pytestmark = pytest.mark.browser

HOST = "192.0.2.1"  # TEST-NET-1: nothing answers there; the page must not even ask
NAME = f"![t](http://{HOST}/x.png) **兴趣点**"
VALUE = f'<img src="http://{HOST}/y.png" onerror="alert(1)">月光码头'


def test_a_point_upload_named_in_markdown_draws_as_points_and_text(app_url, offline_page, tmp_path):
    asked = []
    offline_page.on("request", lambda r: asked.append(r.url) if HOST in r.url else None)
    dialogs = []
    offline_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    names = [VALUE, "苏州中心", "李公堤", "东方之门"]
    path = geojson_file(tmp_path / "poi.geojson", [{"名称": n} for n in names], points(4))
    frame = _open_map(offline_page, app_url)
    before = frame.locator(FEATURES).count()
    offline_page.get_by_role("tab", name="上传").click()
    offline_page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    save = offline_page.get_by_role("button", name="保存到工作区")
    save.wait_for(timeout=60_000)
    name = offline_page.get_by_label("图层名称").first  # the upload's, above the saved ones
    name.fill(NAME)
    name.press("Enter")
    _settle(offline_page)
    offline_page.get_by_role("button", name="保存到工作区").click()
    offline_page.get_by_text("已保存").first.wait_for(timeout=60_000)
    _settle(offline_page)
    frame = offline_page.frame_locator(MAP_FRAME)
    for _ in range(60):
        if frame.locator(FEATURES).count() == before + 4:
            break
        offline_page.wait_for_timeout(500)
    assert frame.locator(FEATURES).count() == before + 4  # four circle markers
    assert frame.locator(".sip-atlas-legend").count() == 1  # the map script ran to its end
    legend = frame.locator(".sip-atlas-legend").inner_text()
    assert NAME in legend  # the name as typed, not rendered
    sidebar = offline_page.locator("[data-testid=stSidebar]").inner_text()
    assert NAME in sidebar
    offline_page.screenshot(path=str(ARTIFACTS / "app-upload-points.png"), full_page=True)
    assert offline_page.locator(f'img[src*="{HOST}"]').count() == 0
    assert frame.locator(f'img[src*="{HOST}"]').count() == 0
    assert asked == [] and dialogs == []
    assert offline_page.console_errors == [] and offline_page.failed_assets == []


def _view(frame) -> dict:
    return frame.locator(".leaflet-container").evaluate(
        "() => { const b = window.map.getBounds();"
        " return {w: b.getWest(), s: b.getSouth(), e: b.getEast(), n: b.getNorth(),"
        " zoom: window.map.getZoom()}; }"
    )


def test_an_upload_is_zoomed_to_and_a_gaode_one_shows_both_positions(
    app_url, offline_page, tmp_path
):
    """Issue 22: a nationwide file showed nothing at the park's view (the map never went to an
    upload); a file named for Gaode gets its converted position drawn beside it, dashed."""
    lakes = [box(116.30, 39.90, 116.40, 39.95), box(113.25, 23.10, 113.30, 23.15),
             box(120.68, 31.30, 120.70, 31.32)]  # fmt: skip
    nationwide = geojson_file(tmp_path / "全国湖泊.geojson", [{"名称": n} for n in "甲乙丙"], lakes)
    frame = _open_map(offline_page, app_url)
    offline_page.get_by_role("tab", name="上传").click()
    upload = offline_page.locator("[data-testid=stFileUploader] input[type=file]")
    upload.set_input_files(str(nationwide))
    offline_page.get_by_role("button", name="保存到工作区").wait_for(timeout=60_000)
    _settle(offline_page)
    frame = offline_page.frame_locator(MAP_FRAME)
    view = _view(frame)
    assert view["w"] <= 113.25 and view["e"] >= 120.70 and view["s"] <= 23.10, view
    assert view["n"] >= 39.95 and view["zoom"] > 3, view  # the whole file, not the world
    offline_page.screenshot(path=str(ARTIFACTS / "upload-zoomed.png"))
    # A file traced on Gaode, named so: drawn where it says and, dashed, where GCJ-02 puts it.
    squares = [box(120.72 + i * 0.01, 31.30, 120.725 + i * 0.01, 31.305) for i in range(3)]
    gaode = geojson_file(tmp_path / "片区_gcj02.geojson", [{"名称": n} for n in "丁戊己"], squares)
    upload.set_input_files(str(gaode))
    offline_page.get_by_text("高德或腾讯地图").first.wait_for(timeout=60_000)
    _settle(offline_page)
    frame = offline_page.frame_locator(MAP_FRAME)
    assert frame.locator("path.sip-preview-other").count() == 3
    legend = frame.locator(".sip-atlas-legend").inner_text()
    assert legend.count("预览：片区_gcj02.geojson") == 1 and "环湖地区" in legend  # none lost
    view = _view(frame)
    assert view["zoom"] >= 12 and view["w"] <= 120.72 and view["e"] >= 120.745, view
    offline_page.screenshot(path=str(ARTIFACTS / "upload-gcj02-both.png"))
    assert offline_page.console_errors == []
