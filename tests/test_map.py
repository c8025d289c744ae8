"""The folium map builder, asserted on the folium object and on its rendered HTML."""

from __future__ import annotations

import json
import re

import folium
import pytest

from layers.folium_map import build_map, display_frame
from layers.legend import ILLUSTRATIVE_NOTE
from layers.registry import layer_spec

CDN_HOSTS = ("jsdelivr", "cdnjs", "unpkg", "bootstrapcdn", "code.jquery", "googleapis", "d3js")


def _geojson_children(m: folium.Map) -> list[folium.GeoJson]:
    return [c for c in m._children.values() if isinstance(c, folium.GeoJson)]


@pytest.fixture(scope="module")
def zh_map(base_layers):
    return build_map(base_layers, lang="zh", basemap_id="osm")


@pytest.fixture(scope="module")
def zh_html(zh_map):
    return zh_map.get_root().render()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_named_layer_per_registry_entry(base_layers, lang):
    m = build_map(base_layers, lang=lang)
    names = [g.layer_name for g in _geojson_children(m)]
    assert names == [spec.name(lang) for spec, _ in base_layers]
    assert any(isinstance(c, folium.LayerControl) for c in m._children.values())


def test_registry_visibility_and_explicit_switches(base_layers):
    default = {g.layer_name: g.show for g in _geojson_children(build_map(base_layers, lang="en"))}
    assert default["Cooperation parks"] is False and default["Carrier parks"] is True
    only = build_map(base_layers, lang="en", basemap_id="osm", visible={"carrier_parks"})
    shown = [g.layer_name for g in _geojson_children(only) if g.show]
    assert shown == ["Carrier parks"]


def test_no_basemap_draws_no_tiles_and_always_shows_the_park_context(base_layers):
    m = build_map(base_layers, lang="en", basemap_id="none", visible=set())
    assert not [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    shown = [g.layer_name for g in _geojson_children(m) if g.show]
    assert shown == ["SIP boundary", "Lake water"]


def _legend_text(html: str) -> str:
    match = re.search(r"div\.innerHTML = (\".*?\");", html)
    assert match, "legend script missing"
    return json.loads(match.group(1))


def test_legend_lists_shown_layers_categories_and_the_illustrative_note(zh_html):
    legend = _legend_text(zh_html)
    for text in (
        "图例",
        "五大载体",
        "低效产业用地（示意）",
        "腾退中",
        "已完成",
        ILLUSTRATIVE_NOTE["zh"],
    ):
        assert text in legend
    assert "合作园区" not in legend  # hidden by default, so not in the legend


def test_legend_drops_the_note_without_illustrative_layers(base_layers):
    m = build_map(base_layers, lang="en", basemap_id="osm", visible={"carrier_parks"})
    legend = _legend_text(m.get_root().render())
    assert "Carrier parks" in legend and ILLUSTRATIVE_NOTE["en"] not in legend


def test_every_asset_is_inline_and_no_cdn_is_named(zh_html):
    urls = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", zh_html)
    assert urls, "the page should load Leaflet"
    assert all(u.startswith("data:") for u in urls), urls
    for host in CDN_HOSTS:
        assert host not in zh_html
    assert "L.map(" in zh_html


def test_attribute_text_is_escaped_in_tooltips_popups_and_legend(base_layers):
    spec = layer_spec("consumption_scenes")
    gdf = dict((s.id, g) for s, g in base_layers)["consumption_scenes"].copy()
    gdf.loc[0, "name_en"] = '<script>alert("x")</script>'
    gdf.loc[0, "kinds_zh"] = "<img src=x onerror=alert(1)>"
    frame = display_frame(spec, gdf, "en")
    assert frame.loc[0, "name_en"] == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    m = build_map([(spec, gdf)], lang="en")
    sent = _geojson_children(m)[0].data["features"][0]["properties"]
    assert sent["name_en"].startswith("&lt;script&gt;")
    assert sent["kinds_zh"] == "&lt;img src=x onerror=alert(1)&gt;"
    html = m.get_root().render()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_categories_show_their_label_and_keep_their_colour(base_layers):
    spec = layer_spec("land_reuse_parcels")
    gdf = dict((s.id, g) for s, g in base_layers)["land_reuse_parcels"]
    frame = display_frame(spec, gdf, "zh")
    assert set(frame["status"]) <= {"已识别", "腾退中", "已腾退", "再开发中", "已完成"}
    html = build_map([(spec, gdf)], lang="zh").get_root().render()
    assert "#a50f15" in html and "#fee5d9" in html


def test_gcj02_basemap_shifts_overlays_to_match(base_layers):
    spec = layer_spec("carrier_parks")
    gdf = dict((s.id, g) for s, g in base_layers)["carrier_parks"]
    wgs = build_map([(spec, gdf)], basemap_id="osm")
    gcj = build_map([(spec, gdf)], basemap_id="gaode_road")
    x_wgs = _geojson_children(wgs)[0].data["features"][0]["geometry"]["coordinates"][0][0][0]
    x_gcj = _geojson_children(gcj)[0].data["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 0.003 < x_gcj - x_wgs < 0.006  # about 400 m east in Suzhou
    assert "autonavi" in gcj.get_root().render()


def test_tianditu_is_offered_with_a_key_and_draws_without_a_shift(base_layers, monkeypatch):
    from layers.basemaps import available_basemaps

    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    assert "tianditu_vector" not in [b.id for b in available_basemaps()]
    monkeypatch.setenv("TIANDITU_KEY", "test-key-123")
    ids = [b.id for b in available_basemaps()]
    assert {"tianditu_vector", "tianditu_imagery", "gaode_road", "gaode_satellite", "osm",
            "light", "none"} <= set(ids)  # fmt: skip
    spec, gdf = base_layers[3]
    html = build_map([(spec, gdf)], basemap_id="tianditu_imagery").get_root().render()
    assert "tk=test-key-123" in html and "img_w" in html
    wgs = build_map([(spec, gdf)], basemap_id="osm")
    tdt = build_map([(spec, gdf)], basemap_id="tianditu_vector")
    assert _geojson_children(wgs)[0].data == _geojson_children(tdt)[0].data  # CGCS2000: no shift


def test_drawing_tools_and_synchronised_maps_load_inline(base_layers):
    from layers.folium_map import build_dual_map

    page = build_map(base_layers, draw=True, permalink=True).get_root().render()
    assert "L.Control.Draw" in page and "moveend" in page
    dual = build_dual_map(base_layers[:2], base_layers[:3]).get_root().render()
    urls = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", page + dual)
    assert urls and all(u.startswith("data:") for u in urls)
    assert ".sync(" in dual


def test_the_real_boundary_is_shifted_to_gcj02_vertex_by_vertex_on_gaode(base_layers):
    import geopandas as gpd
    import numpy as np
    from shapely.geometry import Point

    from geo.gcj02 import wgs84_to_gcj02

    gdf = dict((s.id, g) for s, g in base_layers)["sip_boundary"]
    m = build_map([(layer_spec("sip_boundary"), gdf)], basemap_id="gaode_road")
    drawn = np.array(_geojson_children(m)[0].data["features"][0]["geometry"]["coordinates"][0])
    truth = np.array(gdf.geometry.iloc[0].exterior.coords)
    assert len(drawn) == len(truth) > 700
    expected = np.column_stack(wgs84_to_gcj02(truth[:, 0], truth[:, 1]))
    assert np.abs(drawn - expected).max() < 1e-6
    metric = gpd.GeoSeries([Point(*truth[0]), Point(*drawn[0])], crs="EPSG:4326").to_crs(4549)
    assert 300 < metric.iloc[0].distance(metric.iloc[1]) < 700  # metres, as GCJ-02 in Suzhou


def test_the_comparison_maps_carry_their_titles_and_one_legend(base_layers):
    from layers.folium_map import build_dual_map

    parcels = [(s, g) for s, g in base_layers if s.id in ("sip_boundary", "land_reuse_parcels")]
    page = build_dual_map(parcels, parcels, lang="zh", titles=["（现状）", "方案甲"])
    html = page.get_root().render()
    assert "\\uff08\\u73b0\\u72b6\\uff09" in html or "（现状）" in html
    assert "\\u65b9\\u6848\\u7532" in html or "方案甲" in html
    assert html.count("L.DomUtil.create('div', 'sip-atlas-legend')") == 1


@pytest.mark.parametrize(("lang", "word"), [("zh", "完成"), ("en", "Finish")])
def test_the_drawing_tools_speak_the_interface_language(base_layers, lang, word):
    html = build_map(base_layers[:1], lang=lang, draw=True).get_root().render()
    tools = html.index("new L.Control.Draw")
    assert html.index("L.drawLocal.draw") < tools  # set before the tools are made
    assert html.index(json.dumps(word)[1:-1]) < tools


def test_context_layers_are_shown_whenever_there_is_no_basemap(base_layers):
    from layers.folium_map import shown_with_context

    specs = [s for s, _ in base_layers]
    assert shown_with_context(specs, {"carrier_parks"}, tiles=True) == {"carrier_parks"}
    assert shown_with_context(specs, {"carrier_parks"}, tiles=False) == {
        "carrier_parks", "sip_boundary", "lakes",
    }  # fmt: skip


def test_an_uploaded_layer_is_named_on_hover_and_shows_its_number_once():
    """Issue 14: uploads showed their id twice on hover and never their name column."""
    from layers.uploads import upload_spec

    entry = {"id": "up-1", "name": "区", "geometry_type": "Polygon",
             "mapping": {"parcel_id": "编号", "status": "状态"}}  # fmt: skip
    columns = ["名称", "编号", "状态", "parcel_id", "status", "id", "area_ha", "geometry"]
    spec = upload_spec(entry, 0, columns)
    assert spec.tooltip[0] == "名称"
    shown = list(dict.fromkeys([*spec.tooltip, "id"]))  # what the map's tooltip holds
    assert sum(f in ("id", "parcel_id") for f in shown) == 1
    assert "status" in spec.tooltip
    for columns, name in ((["NAME", "x"], "NAME"), (["地块名称", "x"], "地块名称"), (["x"], None)):
        tip = upload_spec({**entry, "mapping": {}}, 0, [*columns, "id"]).tooltip
        assert (tip[0] == name) if name else tip == ("id",), tip


def test_uploads_are_drawn_above_the_background_and_below_the_atlas_layers(base_layers):
    """Issue 14: a saved district layer drawn on top tinted the map and took the parcels'
    hover; uploads now lie between the context layers and the atlas' own."""
    from layers.folium_map import stacked
    from layers.uploads import upload_spec

    upload = upload_spec({"id": "up-1", "name": "区", "geometry_type": "Polygon"}, 0, ["id"])
    order = [s.group for s, _ in stacked([*base_layers, (upload, base_layers[0][1])])]
    assert order.index("uploads") > max(i for i, g in enumerate(order) if g == "context")
    assert order.index("uploads") < min(i for i, g in enumerate(order) if g not in
                                        ("context", "uploads"))  # fmt: skip


def test_a_map_on_tiles_falls_back_to_the_context_layers_when_tiles_fail(base_layers):
    """Issue 14: offline, a tiled basemap is blank; the page watches its tiles and, when none
    load, says so and adds the park's context layers (which it carries, switched off)."""
    m = build_map(base_layers, basemap_id="light", visible={"carrier_parks"})
    page = m.get_root().render()
    assert "tileerror" in page and "sip-tile-trouble" in page
    context = [s for s, _ in base_layers if s.group == "context"]
    carried = re.search(r"var context = \[([^\]]*)\];", page).group(1).split(", ")
    assert len(carried) == len(context) == 2
    assert all(f"var {name} = " in page for name in carried)
    assert "tileerror" not in build_map(base_layers, basemap_id="none").get_root().render()


def test_a_selected_point_is_drawn_as_a_circle_not_an_image_marker(base_layers):
    """A searched scene was highlighted with Leaflet's default image marker, whose picture is
    not in the page: offline it showed as a broken image."""
    import geopandas as gpd
    from shapely.geometry import Point

    from layers.derived import derived_layer

    spec, gdf = derived_layer("selected", "selected", ("选中", "Selected"),
                              gpd.GeoDataFrame({"id": ["s"]}, geometry=[Point(120.67, 31.32)],
                                               crs=4326), geometry_type="Point")  # fmt: skip
    page = build_map([(spec, gdf)], basemap_id="none").get_root().render()
    assert "L.CircleMarker" in page and '"interactive": false' in page


@pytest.mark.parametrize(
    "value",
    [{"k": "<img src=x onerror=alert(1)>"}, ["<img src=x onerror=alert(1)>"],
     ("<img src=x onerror=alert(1)>",), {"<img src=x onerror=alert(1)>": 1}],
)  # fmt: skip
def test_values_of_any_type_reach_the_page_as_text(base_layers, value):
    """Issue 23: an object-valued property (as PostGIS gives back a JSON value) went into the
    popup as HTML, and its script ran for whoever clicked the feature."""
    spec = layer_spec("consumption_scenes")
    gdf = dict((s.id, g) for s, g in base_layers)["consumption_scenes"].copy()
    gdf["kinds_zh"] = gdf["kinds_zh"].astype(object)
    gdf.at[gdf.index[0], "kinds_zh"] = value
    sent = display_frame(spec, gdf, "zh").iloc[0]["kinds_zh"]
    assert isinstance(sent, str) and "<img" not in sent and "&lt;img src=x" in sent
    html = build_map([(spec, gdf)], lang="zh").get_root().render()
    assert "<img src=x" not in html
