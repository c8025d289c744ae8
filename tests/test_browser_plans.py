"""Proposals and scenarios in the real browser (issue 22): the comparison maps open on the park,
drawn, at every screen size and after tab switches; proposals are named by their titles."""

from __future__ import annotations

import os

import pytest
from shapely.geometry import box

from geo.plans import Plans
from geo.workspace import Workspace
from tests.conftest import ARTIFACTS
from tests.server import serve_app
from tests.test_browser import MAP_FRAME

pytestmark = pytest.mark.browser

GREEN = box(120.700, 31.300, 120.706, 31.305)  # lon/lat, west of Jinji Lake
SCENE = box(120.740, 31.320, 120.746, 31.325)


@pytest.fixture(scope="module")
def plans_app(tmp_path_factory):
    """The app on a workspace holding two proposals and a scenario made of them."""
    root = tmp_path_factory.mktemp("plans-workspace")
    plans = Plans(Workspace(root))
    green = plans.add_proposal(GREEN, title="湖西口袋公园", kind="green_space")
    scene = plans.add_proposal(SCENE, title="夜间消费街区", kind="consumption_scene", far=2.0)
    plans.save_scenario("近期方案", [green, scene], {"LR-SH-01": "vacated"})
    env = {**os.environ, "SIP_ATLAS_BASEMAP": "none", "SIP_ATLAS_WORKSPACE": str(root)}
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "streamlit-plans.log").open("w") as log, serve_app(env, log=log) as (url, _):
        yield url


def _settle(page) -> None:
    """Wait until the app has finished its run (the page holds two maps: the comparison's)."""
    for _ in range(120):
        if not page.locator("[data-testid=stStatusWidget]").count():
            break
        page.wait_for_timeout(500)
    page.wait_for_timeout(1_000)


def _open_map(page, url: str):
    """The page opened on ``url``, the main map (the first) drawn; that map's frame."""
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    _settle(page)
    return frame


_SIDES = """() => [map_div, map_div2].map((m) => {
    const c = m.getContainer().getBoundingClientRect(), b = m.getBounds();
    const inView = [...m.getContainer().querySelectorAll('path.leaflet-interactive')]
        .filter((p) => { const r = p.getBoundingClientRect();
                         return r.width > 0 && r.right > c.left && r.left < c.right
                                && r.bottom > c.top && r.top < c.bottom; }).length;
    return {zoom: m.getZoom(), lat: m.getCenter().lat, lon: m.getCenter().lng,
            width: c.width, inView: inView, span: b.getEast() - b.getWest()};
})"""


def _comparison(page):
    """Open the plans tab and scroll to the comparison maps; their state, left and right."""
    page.get_by_role("tab", name="方案讨论").click()
    maps = page.locator(MAP_FRAME).nth(1)
    maps.wait_for(timeout=60_000)
    maps.scroll_into_view_if_needed()
    frame = page.frame_locator(MAP_FRAME).nth(1)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(1_500)
    return frame.locator(".leaflet-container").first.evaluate(_SIDES)


def _on_the_park(sides: list[dict]) -> None:
    for side in sides:
        assert side["width"] > 200, side
        assert side["zoom"] >= 9, side  # not the world at zoom 0 with the park a dot
        assert 120.6 < side["lon"] < 120.9 and 31.2 < side["lat"] < 31.5, side
        assert side["span"] < 1.0, side
        assert side["inView"] >= 50, side  # the parcels and proposals are drawn, in view


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_scenario_comparison_opens_on_the_park(plans_app, offline_page, size):
    offline_page.set_viewport_size({"width": size[0], "height": size[1]})
    _open_map(offline_page, plans_app)
    sides = _comparison(offline_page)
    offline_page.screenshot(path=str(ARTIFACTS / f"compare-{size[0]}.png"))
    _on_the_park(sides)
    # Away to another tab and back: still on the park, still drawn.
    offline_page.get_by_role("tab", name="规划分析").click()
    offline_page.wait_for_timeout(800)
    _on_the_park(_comparison(offline_page))
    assert offline_page.console_errors == []


def test_a_clicked_proposal_is_named_by_its_title(plans_app, offline_page):
    frame = _open_map(offline_page, plans_app)
    spot = GREEN.centroid  # zoomed in on it, so that the click lands on the proposal itself
    frame.locator(".leaflet-container").evaluate(
        f"() => window.map.setView([{spot.y}, {spot.x}], 15, {{animate: false}})"
    )
    offline_page.wait_for_timeout(800)
    x, y = frame.locator(".leaflet-container").evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{spot.y}, {spot.x}]);"
        " return [p.x, p.y]; }"
    )
    where = frame.locator(".leaflet-container").bounding_box()
    offline_page.mouse.click(where["x"] + x, where["y"] + y)
    try:
        offline_page.get_by_text("湖西口袋公园").first.wait_for(timeout=30_000)
        _settle(offline_page)
    finally:
        offline_page.screenshot(path=str(ARTIFACTS / "proposal-details.png"))
    text = offline_page.locator("[data-testid=stMain]").inner_text()
    details = text.split("要素详情", 1)[1].split("周边查询", 1)[0]
    assert details.split()[0] == "湖西口袋公园", details  # its title heads it, not "p-..."
    # The kind in the page's language, in the details table (a canvas with a table for readers).
    offline_page.get_by_text("绿地", exact=True).first.wait_for(state="attached")
    assert offline_page.get_by_text("green_space").count() == 0


def test_the_copy_link_button_copies_the_page_address(plans_app, offline_page):
    """Issue 22: there was no copy-link button; the address holds view, layers and scenario."""
    offline_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _open_map(offline_page, plans_app + "/?scenario=近期方案")
    button = offline_page.frame_locator("iframe[title='st.iframe']").get_by_text("复制链接")
    button.click()
    offline_page.frame_locator("iframe[title='st.iframe']").get_by_text("已复制").wait_for()
    copied = offline_page.evaluate("() => navigator.clipboard.readText()")
    assert copied == offline_page.url and "scenario=" in copied and "center=" in copied
