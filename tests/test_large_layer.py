"""Large parcel layers take the compact canvas path and still say what they are."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest
from shapely.geometry import Polygon

from bench.make_parcels import synthetic_parcels
from layers.compact import LARGE_LAYER, QUANTUM_DEG, CompactPolygons
from layers.folium_map import build_map, feature_layer
from layers.registry import layer_spec

# The 100,000-parcel page measured 14.2 MB in bench/RESULTS.md; it must not grow past 16 MB.
PAGE_LIMIT_MB = 16.0


def _parcels(n: int):
    gdf = synthetic_parcels(n).rename(columns={"状态": "status"}).to_crs("EPSG:4326")
    gdf["id"] = gdf["DKBH"]
    spec = replace(layer_spec("land_reuse_parcels"), id="parcels", tooltip=("DKBH", "status"),
                   popup=("DKBH",))  # fmt: skip
    return spec, gdf


def _payload(html: str) -> dict:
    return json.loads(re.search(r"sipCompactLayer\((\{.*?\})\);\n", html, re.S).group(1))


def _decode(ring: list[int], d: dict) -> list[tuple[float, float]]:
    x, y, points = d["x0"], d["y0"], []
    for i in range(0, len(ring), 2):
        x, y = x + ring[i], y + ring[i + 1]
        points.append((x * d["q"], y * d["q"]))
    return points


def test_small_layers_stay_svg_and_large_ones_go_compact():
    spec, gdf = _parcels(LARGE_LAYER + 1)
    assert isinstance(feature_layer(spec, gdf), CompactPolygons)
    assert not isinstance(feature_layer(spec, gdf.iloc[:100]), CompactPolygons)


def test_a_100000_parcel_page_stays_small_and_keeps_every_parcel():
    spec, gdf = _parcels(100_000)
    page = build_map([(spec, gdf)], bounds_wgs84=tuple(gdf.total_bounds)).get_root().render()
    assert len(page) / 1e6 < PAGE_LIMIT_MB
    d = _payload(page)
    assert len(d["f"]) == 100_000
    rng = np.random.default_rng(1)
    for i in rng.choice(100_000, 20, replace=False):
        values, parts, category = d["f"][i]
        assert (values[0], values[-1]) == (gdf["DKBH"].iloc[i], gdf["id"].iloc[i])
        assert category == gdf["status"].iloc[i]  # styles by the raw status; shows its label
        shape = Polygon(_decode(parts[0][0], d))
        original = gdf.geometry.iloc[i]
        # Simplified to ~3 m and rounded to ~1 m: the outline stays within 5 m (5e-5 degrees).
        assert shape.hausdorff_distance(original) < 5e-5
        assert shape.area == pytest.approx(original.area, rel=0.05)
    assert d["q"] == QUANTUM_DEG and set(d["colors"]) >= {"vacated", "completed"}


@pytest.mark.browser
def test_the_canvas_layer_draws_and_names_what_is_under_the_mouse(browser, tmp_path):
    spec, gdf = _parcels(LARGE_LAYER + 500)
    page_path = tmp_path / "large.html"
    fmap = build_map([(spec, gdf)], bounds_wgs84=tuple(gdf.total_bounds))
    page_path.write_text(fmap.get_root().render(), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.route("**/*", lambda r: r.abort() if r.request.url.startswith("http") else r.continue_())
    page.goto(page_path.as_uri())
    page.wait_for_selector("canvas.sip-compact-layer", state="attached")
    count = page.evaluate(
        "() => Object.keys(window).filter(k => k.startsWith('compact_polygons_'))"
        ".map(k => window[k].featureCount)"
    )
    assert count == [len(gdf)]
    target = gdf.geometry.iloc[len(gdf) // 2].representative_point()
    map_name = fmap.get_name()
    page.evaluate(
        f"() => window['{map_name}'].setView([{target.y}, {target.x}], 17, {{animate: false}})"
    )
    page.wait_for_timeout(500)
    x, y = page.evaluate(
        f"() => {{ const p = window['{map_name}'].latLngToContainerPoint([{target.y}, {target.x}]);"
        " return [p.x, p.y]; }"
    )
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=10_000)
    assert gdf["DKBH"].iloc[len(gdf) // 2] in tooltip.inner_text()
    page.close()
