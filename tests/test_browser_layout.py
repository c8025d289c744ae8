"""The page on a laptop screen (issue 14): the map fills the first screen, the tabs follow it,
and nothing on the map covers anything else."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import MAP_FRAME, _open_map, _settle

pytestmark = pytest.mark.browser


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])  # fmt: skip


# 1366x650: a 1366x768 laptop's browser window (its tabs and bars take about 120 px)
@pytest.mark.parametrize("size", [(1366, 650), (1366, 768), (1440, 900), (1920, 1080)],
                         ids=lambda s: f"{s[0]}x{s[1]}")  # fmt: skip
def test_the_map_fills_a_laptop_screen_and_its_controls_do_not_overlap(
    app_url, offline_page, layers_by_id, size
):
    width, height = size
    offline_page.set_viewport_size({"width": width, "height": height})
    frame = _open_map(offline_page, app_url)
    frame.locator(".sip-tile-trouble").wait_for(timeout=30_000)  # offline: the notice is shown
    title = offline_page.locator("h1").first  # the title shows, not under Streamlit's header bar
    covered = title.evaluate(
        "(el) => { const r = el.getBoundingClientRect();"
        " const top = document.elementFromPoint(r.x + 10, r.y + r.height / 2);"
        " return !(top && el.contains(top)); }"
    )
    assert not covered
    box = offline_page.locator(MAP_FRAME).bounding_box()
    assert box["y"] < 180 and box["y"] + box["height"] <= height, box  # the head: one row
    assert box["height"] >= 0.6 * height
    # Issue 22: the map reaches down to the window's bottom (it stayed 580 px at 1920x1080).
    assert box["y"] + box["height"] >= height - 40, box
    inner = frame.locator(".leaflet-container").bounding_box()
    assert inner["height"] >= box["height"] - 4, (inner, box)  # the map fills its frame
    assert frame.locator(".leaflet-control-scale-line").count() == 1  # metres, no miles
    assert "km" in frame.locator(".leaflet-control-scale-line").inner_text()
    tabs = offline_page.locator("[data-testid=stTabs] [role=tablist]").first.bounding_box()
    assert tabs["y"] < height + 80, tabs  # the tabs follow right below the map
    assert frame.locator(".leaflet-control-layers").count() == 0  # layers switch in the sidebar
    controls = {
        name: frame.locator(selector).first.bounding_box()
        for name, selector in (
            ("legend", ".sip-atlas-legend"),
            ("zoom", ".leaflet-control-zoom"),
            ("draw", ".leaflet-draw"),
            ("notice", ".sip-tile-trouble"),
            ("scale", ".leaflet-control-scale"),
            ("sources", ".leaflet-control-attribution"),
        )
    }
    names = sorted(controls)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not _overlap(controls[a], controls[b]), (a, b, controls[a], controls[b])
    # No parcel lies under the legend at the opening view (LR-SP-02, the easternmost, did).
    parcels = layers_by_id["land_reuse_parcels"].to_crs(4326)
    legend = controls["legend"]
    container = frame.locator(".leaflet-container").bounding_box()
    for point in parcels.geometry.representative_point():
        x, y = frame.locator(".leaflet-container").evaluate(
            f"(el) => {{ const p = window.map.latLngToContainerPoint([{point.y}, {point.x}]);"
            " return [p.x, p.y]; }"
        )
        spot = {"x": container["x"] + x, "y": container["y"] + y, "width": 1, "height": 1}
        assert not _overlap(spot, legend), point
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / f"app-{width}x{height}.png"))


def _visible_labels(frame) -> list[dict]:
    return frame.locator(".sip-label-text").evaluate_all(
        "(els) => els.filter(e => e.style.visibility !== 'hidden' && e.offsetParent)"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return {text: e.textContent, x: r.x, y: r.y, width: r.width, height: r.height}; })"
    )


def test_the_map_names_what_it_shows_without_labels_covering_each_other(
    app_url, offline_page, layers_by_id
):
    frame = _open_map(offline_page, app_url)
    shown = _visible_labels(frame)
    texts = {label["text"] for label in shown}
    assert texts & set(layers_by_id["carrier_parks"]["name_zh"]), texts
    assert texts & set(layers_by_id["lake_districts"]["name_zh"]), texts
    parcels = layers_by_id["land_reuse_parcels"]
    assert not texts & set(parcels["id"])  # parcel numbers only close up
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    point = parcels.to_crs(4326).geometry.iloc[0].representative_point()
    frame.locator(".leaflet-container").evaluate(
        f"(el) => window.map.setView([{point.y}, {point.x}], 16, {{animate: false}})"
    )
    offline_page.wait_for_timeout(1_000)
    close = _visible_labels(frame)
    assert parcels["id"].iloc[0] in {label["text"] for label in close}
    for i, a in enumerate(close):
        for b in close[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "app-labels-close.png"))


def test_a_row_ticked_in_the_attribute_table_is_selected_and_shown_on_the_map(
    app_url, offline_page, layers_by_id
):
    frame = _open_map(offline_page, app_url)
    before = frame.locator(".leaflet-container").evaluate("(el) => window.map.getZoom()")
    offline_page.get_by_role("tab", name="属性表").click()
    grid = offline_page.locator("[data-testid=stDataFrame] >> visible=true").first
    grid.wait_for(timeout=30_000)
    box = grid.bounding_box()
    offline_page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's tick box
    first = layers_by_id["lake_districts"]["name_zh"].iloc[0]
    heading = offline_page.locator("[data-testid=stMain] strong", has_text=first).first
    heading.wait_for(timeout=30_000)  # its details, named in the page's language
    _settle(offline_page)
    frame = offline_page.frame_locator(MAP_FRAME)
    frame.locator("path.sip-selected").first.wait_for(state="attached", timeout=30_000)
    zoom = frame.locator(".leaflet-container").evaluate("(el) => window.map.getZoom()")
    assert zoom > before  # the map opened on the feature
    details = offline_page.locator("[data-testid=stMain]").inner_text()
    assert "要素详情" in details and heading.inner_text() == first


def test_a_vertex_drawn_under_the_legend_is_kept(app_url, offline_page):
    """Issue 22: the legend swallowed drawing clicks, so a corner drawn under it was lost."""
    offline_page.set_viewport_size({"width": 1366, "height": 768})
    frame = _open_map(offline_page, app_url)
    frame.locator(".leaflet-draw-draw-polygon").click()
    legend = frame.locator(".sip-atlas-legend").bounding_box()
    x, y = legend["x"] + 30, legend["y"] + 40  # a corner inside the legend's box
    corners = [(x - 120, y), (x, y), (x, y + 80), (x - 120, y + 80), (x - 120, y)]
    for cx, cy in corners:
        offline_page.mouse.click(cx, cy)
        offline_page.wait_for_timeout(300)
    ring = frame.locator(".leaflet-container").evaluate(
        "() => window.drawnItems.toGeoJSON().features.map(f => f.geometry.coordinates[0].length)"
    )
    assert ring == [5], ring  # four corners and the closing one: none lost under the legend
    assert (
        frame.locator(".sip-atlas-legend").evaluate("(el) => getComputedStyle(el).pointerEvents")
        != "none"
    )  # the legend takes clicks again once the drawing is done
