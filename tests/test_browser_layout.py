"""The page on a laptop screen (issue 14): the map fills the first screen, the tabs follow it,
and nothing on the map covers anything else."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.test_browser import MAP_FRAME, _open_map

pytestmark = pytest.mark.browser


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])  # fmt: skip


@pytest.mark.parametrize("size", [(1366, 768), (1440, 900)])
def test_the_map_fills_a_laptop_screen_and_its_controls_do_not_overlap(
    app_url, offline_page, layers_by_id, size
):
    width, height = size
    offline_page.set_viewport_size({"width": width, "height": height})
    frame = _open_map(offline_page, app_url)
    frame.locator(".sip-tile-trouble").wait_for(timeout=30_000)  # offline: the notice is shown
    box = offline_page.locator(MAP_FRAME).bounding_box()
    assert box["y"] < 0.25 * height and box["y"] + box["height"] <= height, box
    assert box["height"] >= 0.6 * height
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
