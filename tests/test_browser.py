"""The real app in headless Chromium, with every request outside localhost blocked."""

from __future__ import annotations

import re
from datetime import date

import geopandas as gpd
import pytest

from geo.walking import circle_coverage, merge_origins
from tests.conftest import ARTIFACTS
from tests.helpers import parcels, write_shapefile, zip_files

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Shapes of the layers themselves, not of the analysis drawn over them.
FEATURES = "path.leaflet-interactive:not(.sip-walking-circle):not(.sip-highlight-outside)"


def _settle(page) -> None:
    """Wait until the app has finished its run (no status widget, one map on the page)."""
    for _ in range(120):
        running = page.locator("[data-testid=stStatusWidget]").count()
        if not running and page.locator(MAP_FRAME).count() == 1:
            break
        page.wait_for_timeout(500)
    page.wait_for_timeout(1_000)  # let every layer finish drawing


def _open_map(page, url: str):
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    _settle(page)
    return page.frame_locator(MAP_FRAME)


def test_map_draws_every_layer_family_offline(app_url, offline_page, layers_by_id):
    frame = _open_map(offline_page, app_url)
    shapes = frame.locator(FEATURES).count()
    shown = [k for k in layers_by_id if k != "cooperation_parks"]
    expected = sum(len(layers_by_id[k]) for k in shown)
    assert shapes == expected, f"{shapes} Leaflet shapes drawn, {expected} features shown"
    legend = frame.locator(".sip-atlas-legend")
    assert "五大载体" in legend.inner_text() and "示意数据" in legend.inner_text()
    assert frame.locator(".leaflet-control-layers").count() == 0  # switched in the sidebar
    # Issue 14: tiles that cannot load are said on the map, with what to do, and the park's own
    # context layers are drawn instead (never a blank map on an intranet).
    notice = frame.locator(".sip-tile-trouble")
    notice.wait_for(timeout=30_000)
    assert "无底图" in notice.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "app-offline.png"), full_page=True)
    assert offline_page.failed_assets == []
    assert offline_page.console_errors == []


def test_clicking_a_feature_keeps_the_planners_view(app_url, offline_page):
    """A click redraws the map with the feature's highlights: it stays where the planner had
    zoomed and panned to (the view was the one the page was opened with: a planner zoomed in to
    a parcel of a city-scale layer was thrown back out)."""
    frame = _open_map(offline_page, app_url)
    for _ in range(3):
        frame.locator(".leaflet-control-zoom-in").click()
        offline_page.wait_for_timeout(600)
    frame.locator(".leaflet-container").evaluate(
        "() => window.map.panTo([31.322, 120.743], {animate: false})")  # fmt: skip
    offline_page.wait_for_timeout(800)
    before = frame.locator(".leaflet-container").evaluate("() => window.map.getZoom()")
    x, y = frame.locator(".leaflet-container").evaluate(
        "(el) => { const p = window.map.latLngToContainerPoint([31.322, 120.743]);"
        " return [p.x, p.y]; }"
    )
    box = frame.locator(".leaflet-container").bounding_box()
    offline_page.mouse.click(box["x"] + x, box["y"] + y)
    offline_page.get_by_role("heading", name="要素详情").wait_for(timeout=30_000)
    offline_page.get_by_text("现代服务业产业园", exact=True).first.wait_for(timeout=30_000)
    _settle(offline_page)
    frame = offline_page.frame_locator(MAP_FRAME)
    zoom, lat, lon = frame.locator(".leaflet-container").evaluate(
        "() => [window.map.getZoom(), window.map.getCenter().lat,"
        " window.map.getCenter().lng]")  # fmt: skip
    assert zoom == before > 12
    assert abs(lat - 31.322) < 1e-3 and abs(lon - 120.743) < 1e-3


def _sent(page) -> tuple[list[bytes], list[bytes]]:
    """What the app's server sends the page, and the page the server, from now on (the
    websocket's frames)."""
    received: list[bytes] = []
    sent: list[bytes] = []

    def watch(ws) -> None:
        ws.on("framereceived", lambda f: received.append(f if isinstance(f, bytes) else f.encode()))
        ws.on("framesent", lambda f: sent.append(f if isinstance(f, bytes) else f.encode()))

    page.on("websocket", watch)
    return received, sent


def test_a_click_answers_in_the_map_already_drawn(app_url, offline_page):
    """Issue 25: a click reaches the app at once (not streamlit-folium's debounced report) and
    changes the map in the page (its frame, view and popup kept: it does not blink), its
    highlights and their legend row added there, and reruns only the map and the details
    beside it: the tabs below are not sent again. A layer switched keeps the frame too."""
    sent, told = _sent(offline_page)
    frame = _open_map(offline_page, app_url)
    page_map = offline_page.locator(MAP_FRAME)
    page_map.evaluate("(f) => { f.contentWindow.__before_click = true; }")
    x, y = frame.locator(".leaflet-container").evaluate(
        "(el) => { const p = window.map.latLngToContainerPoint([31.322, 120.743]);"
        " return [p.x, p.y]; }"
    )
    box = frame.locator(".leaflet-container").bounding_box()
    sent.clear()
    told.clear()
    offline_page.mouse.click(box["x"] + x, box["y"] + y)
    frame.locator(".leaflet-popup-content").get_by_text("现代服务业产业园").wait_for(timeout=5_000)
    offline_page.get_by_text("现代服务业产业园", exact=True).first.wait_for(timeout=30_000)
    _settle(offline_page)
    assert page_map.evaluate("(f) => f.contentWindow.__before_click === true")  # same frame
    assert frame.locator(".leaflet-popup-content").count() == 1  # the popup stays open
    frame.locator("path.sip-highlight-nearby").first.wait_for(state="attached", timeout=10_000)
    assert "周边 500 米内的要素" in frame.locator(".sip-atlas-legend").inner_text()
    said = b"".join(sent)
    assert "现代服务业产业园".encode() in said  # the details panel, sent again
    assert "按片区统计".encode() not in said  # the analysis tab: not rerun
    # the click went through the atlas's relay (ui/click_relay.py), as streamlit-folium reads it
    relayed = [f for f in told if b"click_relay" in f]
    assert relayed and b"carrier-modern-services" in relayed[0], told
    # A layer switched in the sidebar goes off the map in the same frame (the page holds every
    # layer), its legend rows with it; the app's run agrees, the address (permalink) says it.
    own = f"{FEATURES}:not(.sip-highlight-nearby):not(.sip-selected)"
    shapes = frame.locator(own).count()
    row = frame.locator('.sip-legend-row[data-sip-layer="carrier_parks"]').first
    assert row.is_visible()
    switch = offline_page.locator(".st-key-layer_carrier_parks label")
    switch.click()
    _settle(offline_page)
    assert page_map.evaluate("(f) => f.contentWindow.__before_click === true")  # same frame
    assert frame.locator(own).count() == shapes - 5  # the five carrier parks
    assert not row.is_visible()
    assert "carrier_parks" not in offline_page.url.split("layers=", 1)[1].split("&")[0]
    switch.click()
    _settle(offline_page)
    assert frame.locator(own).count() == shapes and row.is_visible()
    assert page_map.evaluate("(f) => f.contentWindow.__before_click === true")


def test_clicking_a_feature_shows_its_details(app_url, offline_page):
    frame = _open_map(offline_page, app_url)
    # The centre of the Modern Services Industrial Park, lon/lat (EPSG:4326).
    x, y = frame.locator(".leaflet-container").evaluate(
        "(el) => { const p = window.map.latLngToContainerPoint([31.322, 120.743]);"
        " return [p.x, p.y]; }"
    )
    box = frame.locator(".leaflet-container").bounding_box()
    offline_page.mouse.click(box["x"] + x, box["y"] + y)
    details = offline_page.get_by_text("现代服务业产业园", exact=True).first
    details.wait_for(timeout=30_000)
    # Issue 22: the Chinese page names it in Chinese only (it said "… · Modern Services …").
    main = offline_page.locator("[data-testid=stMain]").inner_text()
    head = main.split("要素详情", 1)[1].split()[0]
    assert head == "现代服务业产业园", head
    offline_page.screenshot(path=str(ARTIFACTS / "app-details.png"), full_page=True)


def test_uploading_a_gbk_zip_draws_its_parcels(app_url, offline_page, layers_by_id, tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "地块.zip", {f"成果/{p.name}": p for p in parts}, gbk_names=True)
    frame = _open_map(offline_page, app_url)
    before = frame.locator(FEATURES).count()
    offline_page.get_by_role("tab", name="上传").click()
    offline_page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        str(archive)
    )
    save = offline_page.get_by_role("button", name="保存到工作区")
    save.wait_for(timeout=60_000)
    # The attribute preview (a canvas grid, with its cells in an accessible table) reads right.
    offline_page.get_by_text("星湖街东地块").first.wait_for(state="attached")
    save.click()
    offline_page.get_by_text("已保存").first.wait_for(timeout=60_000)
    _settle(offline_page)
    frame = offline_page.frame_locator(MAP_FRAME)
    expected = before + len(parcels())
    for _ in range(60):
        if frame.locator(FEATURES).count() == expected:
            break
        offline_page.wait_for_timeout(500)
    assert frame.locator(FEATURES).count() == expected
    assert "地块" in frame.locator(".sip-atlas-legend").inner_text()
    offline_page.screenshot(path=str(ARTIFACTS / "app-upload.png"), full_page=True)
    assert offline_page.failed_assets == [] and offline_page.console_errors == []


def test_parcels_outside_the_walking_circles_are_highlighted(app_url, offline_page, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    origins = merge_origins(layers_by_id["consumption_scenes"], layers_by_id["service_districts"])
    _, inside = circle_coverage(parcels, origins, [1000.0])
    outside = int((~inside[1000.0]).sum())
    assert 0 < outside < len(parcels)
    frame = _open_map(offline_page, app_url)
    assert frame.locator("path.sip-highlight-outside").count() == outside
    assert frame.locator("path.sip-walking-circle").count() == 3
    legend = frame.locator(".sip-atlas-legend").inner_text()
    assert "15分钟步行圈外的地块" in legend
    # Issue 14: the outline drawn over a parcel outside the circles does not hide the parcel's
    # own tooltip (before: only "编号 LR-XL-07" on hover).
    parcel = parcels[~inside[1000.0]].to_crs(4326).iloc[0]
    point = parcel.geometry.representative_point()
    x, y = frame.locator(".leaflet-container").evaluate(
        f"(el) => {{ const p = window.map.latLngToContainerPoint([{point.y}, {point.x}]);"
        " return [p.x, p.y]; }"
    )
    box = frame.locator(".leaflet-container").bounding_box()
    offline_page.mouse.move(box["x"] + x, box["y"] + y)
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=10_000)
    assert parcel["name_zh"] in tip.inner_text(), tip.inner_text()


def _download(page, button_name: str, target):
    """Wait for a download button, click it, save what arrives to ``target``."""
    button = page.get_by_role("button", name=button_name)
    button.wait_for(timeout=90_000)
    with page.expect_download() as download:
        button.click()
    download.value.save_as(target)
    page.last_download_name = download.value.suggested_filename
    return target


def test_export_tab_downloads_a_map_and_data(app_url, offline_page, tmp_path, layers_by_id):
    _open_map(offline_page, app_url)
    offline_page.get_by_role("tab", name="导出").click()
    offline_page.get_by_role("button", name="生成文件").first.click()
    today = date.today().isoformat()  # files are named by their title or layer and the day
    png = _download(offline_page, f"下载 苏州工业园区规划图集-{today}.png", tmp_path / "map.png")
    assert offline_page.last_download_name == f"苏州工业园区规划图集-{today}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 100_000
    _settle(offline_page)
    offline_page.get_by_role("button", name="生成文件").nth(1).click()
    gpkg = _download(offline_page, f"下载 低效产业用地（示意）-{today}.gpkg", tmp_path / "p.gpkg")
    assert len(gpd.read_file(gpkg)) == len(layers_by_id["land_reuse_parcels"])


def test_drawing_a_polygon_makes_a_proposal_with_its_area(app_url, offline_page):
    frame = _open_map(offline_page, app_url)
    assert frame.locator(".leaflet-draw-draw-polygon").get_attribute("title") == "绘制多边形"
    frame.locator(".leaflet-draw-draw-polygon").click()
    box = frame.locator(".leaflet-container").bounding_box()
    # A square of about 80 x 80 pixels in the middle of the map, then back to the first corner.
    x0, y0 = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55
    corners = [(x0, y0), (x0 + 80, y0), (x0 + 80, y0 + 80), (x0, y0 + 80), (x0, y0)]
    for x, y in corners:
        offline_page.mouse.click(x, y)
        offline_page.wait_for_timeout(300)
    offline_page.get_by_text("新草图").wait_for(timeout=60_000)
    area = offline_page.get_by_text("面积：").first.inner_text()
    assert "公顷" in area and "亩" in area
    offline_page.get_by_label("标题").first.fill("口袋公园试点")
    offline_page.get_by_role("button", name="保存为方案").click()
    saved = offline_page.get_by_text("已保存方案：口袋公园试点")  # in the Proposals tab
    saved.wait_for(state="attached", timeout=60_000)
    _settle(offline_page)
    frame = offline_page.frame_locator(MAP_FRAME)
    frame.locator("path.sip-proposal").first.wait_for(timeout=30_000)
    assert frame.locator("path.sip-proposal").count() == 1
    offline_page.screenshot(path=str(ARTIFACTS / "app-proposal.png"), full_page=True)


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar or page selectbox labelled ``label``."""
    page.get_by_label(label).first.click()
    page.get_by_role("option", name=option).click()
    _settle(page)


def test_a_saved_sketch_leaves_no_ghost_after_a_basemap_change(app_url, offline_page):
    """Issue 13: a sketch saved on one basemap came back as a shifted new sketch once the map
    was redrawn on a GCJ-02 basemap (the old datum's drawing read in the new one)."""
    frame = _open_map(offline_page, app_url)
    frame.locator(".leaflet-draw-draw-polygon").click()
    box = frame.locator(".leaflet-container").bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    for x, y in [(x0, y0), (x0 + 60, y0), (x0 + 60, y0 + 60), (x0, y0 + 60), (x0, y0)]:
        offline_page.mouse.click(x, y)
        offline_page.wait_for_timeout(300)
    offline_page.get_by_text("新草图").wait_for(timeout=60_000)
    offline_page.get_by_label("标题").first.fill("换底图前的草图")
    offline_page.get_by_role("button", name="保存为方案").click()
    offline_page.get_by_text("已保存方案：换底图前的草图").wait_for(
        state="attached", timeout=60_000
    )
    _settle(offline_page)
    proposals = offline_page.frame_locator(MAP_FRAME).locator("path.sip-proposal").count()
    _choose(offline_page, "底图", "高德道路图（GCJ-02）")
    offline_page.get_by_text("底图为 GCJ-02 坐标").first.wait_for(timeout=60_000)
    _settle(offline_page)
    assert offline_page.get_by_text("新草图").count() == 0
    frame = offline_page.frame_locator(MAP_FRAME)
    assert frame.locator("path.sip-proposal").count() == proposals
    _choose(offline_page, "底图", "浅灰底图")  # later tests start from the default


def test_every_choice_shows_its_pick_after_a_language_switch(app_url, offline_page):
    """Issue 13: in English the analysis 'Split by' radio showed no choice."""
    _open_map(offline_page, app_url)
    offline_page.get_by_text("English", exact=True).click()
    _settle(offline_page)
    try:
        for group in offline_page.locator("[data-testid=stRadio]").all():
            if group.is_visible():
                assert group.locator("input[type=radio]:checked").count() == 1, group.inner_text()
        split = offline_page.locator("[data-testid=stRadio]").filter(has_text="Split by")
        assert split.locator("input[type=radio]:checked").count() == 1
        for box in offline_page.locator("[data-testid=stSelectbox]").all():
            if box.is_visible():  # the shown choice is in English too (no Chinese left over)
                assert not re.search(r"[\u4e00-\u9fff]", box.inner_text()), box.inner_text()
    finally:
        offline_page.get_by_text("中文", exact=True).click()
        _settle(offline_page)
