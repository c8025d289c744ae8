"""The real app in headless Chromium, with every request outside localhost blocked."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _open_map(page, url: str):
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1_000)  # let every layer finish drawing
    return frame


def test_map_draws_every_layer_family_offline(app_url, offline_page, layers_by_id):
    frame = _open_map(offline_page, app_url)
    shapes = frame.locator("path.leaflet-interactive").count()
    shown = [k for k in layers_by_id if k != "cooperation_parks"]
    expected = sum(len(layers_by_id[k]) for k in shown)
    assert shapes == expected, f"{shapes} Leaflet shapes drawn, {expected} features shown"
    legend = frame.locator(".sip-atlas-legend")
    assert "五大载体" in legend.inner_text() and "示意数据" in legend.inner_text()
    assert frame.locator(".leaflet-control-layers").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "app-offline.png"), full_page=True)
    assert offline_page.failed_assets == []
    assert offline_page.console_errors == []


def test_clicking_a_feature_shows_its_details(app_url, offline_page):
    frame = _open_map(offline_page, app_url)
    # The centre of the Modern Services Industrial Park, lon/lat (EPSG:4326).
    x, y = frame.locator(".leaflet-container").evaluate(
        "(el) => { const p = window.map.latLngToContainerPoint([31.322, 120.743]);"
        " return [p.x, p.y]; }"
    )
    box = frame.locator(".leaflet-container").bounding_box()
    offline_page.mouse.click(box["x"] + x, box["y"] + y)
    details = offline_page.get_by_text("Modern Services Industrial Park")
    details.wait_for(timeout=30_000)
    assert "现代服务业产业园" in offline_page.locator("[data-testid=stMain]").inner_text()
    offline_page.screenshot(path=str(ARTIFACTS / "app-details.png"), full_page=True)
