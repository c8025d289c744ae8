"""Turn registry layers into a folium map: named toggleable layers, legend, basemap, offline."""

from __future__ import annotations

import html
import json
import weakref
from collections.abc import Collection, Iterable, Sequence

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.plugins import Draw, DualMap

from geo.crs import to_wgs84
from geo.gcj02 import shift_gdf
from layers.assets import leaflet_css_url, leaflet_js_url, plugin_css_url, plugin_js_url
from layers.basemaps import Basemap, basemap
from layers.compact import LARGE_LAYER, CompactPolygons
from layers.i18n import DRAW_TEXTS, t
from layers.labels import LabelLayers, label_avoided, label_points
from layers.legend import (
    DataAttribution,
    DrawTexts,
    Legend,
    MapBackground,
    MapTitle,
    TileTrouble,
    ViewInAddress,
    legend_entries,
)
from layers.registry import Lang, LayerSpec, attributions, field_label, field_value
from layers.tiled import TiledPolygons
from layers.view import (
    LEGEND_WIDTH_PX,
    ClearWhileDrawing,
    ClickRelay,
    FillWindow,
    FitWhenShown,
    LayerSwitch,
    MetricScale,
    bounds_as_drawn,
)

UPLOAD_GROUP = "uploads"  # the group of uploaded layers (layers.uploads)

__all__ = [
    "CONTEXT_GROUP",
    "SIP_BOUNDS_WGS84",
    "build_dual_map",
    "build_map",
    "display_frame",
    "feature_layer",
    "shown_with_context",
    "stacked",
]

CONTEXT_GROUP = "context"
PROPOSALS_GROUP = "proposals"  # the group of the planners' proposals (ui.plans)
# Fallback view, lon/lat degrees (EPSG:4326): the park's extent.
SIP_BOUNDS_WGS84 = (120.63, 31.23, 120.86, 31.44)  # the OSM outline, rounded out
_YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
CATEGORY_KEY = "_category"


def _as_text(value: object, lang: Lang) -> object:
    """A value as the page may carry it: yes/no, a number, or escaped text; anything else (a
    JSON object or list from the team store, a date) is written out as text and escaped."""
    if isinstance(value, bool | np.bool_):
        return _YES_NO[lang][0 if value else 1]
    if value is None or isinstance(value, int | float | np.integer | np.floating):
        return value
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return html.escape(str(value))


def display_frame(spec: LayerSpec, gdf: gpd.GeoDataFrame, lang: Lang) -> gpd.GeoDataFrame:
    """The columns the map shows, in EPSG:4326, with every text value HTML-escaped.

    folium writes tooltip and popup values into the page as HTML, so attribute text such as
    ``<script>`` must arrive escaped to show as text. Category values (e.g. parcel status) are
    replaced by their label in ``lang``; the raw value is kept in ``_category`` for styling.
    """
    columns = list(dict.fromkeys(["id", *spec.tooltip, *spec.popup]))
    out = to_wgs84(gdf)[[*columns, "geometry"]].copy()
    for column in columns:
        named = out[column].map(lambda v, c=column: field_value(c, v, lang))
        out[column] = named.map(lambda v: _as_text(v, lang)).astype(object)
    if spec.style.by:
        raw = gdf[spec.style.by].astype(str)
        out[CATEGORY_KEY] = raw.values
        labels = {v: html.escape(name) for v, name in spec.category_labels(lang).items()}
        out[spec.style.by] = raw.map(lambda v: labels.get(v, html.escape(v))).values
    return out


def shown_with_context(specs: Iterable[LayerSpec], shown: set[str], tiles: bool) -> set[str]:
    """The layers shown: ``shown``, and the park's context layers whenever there are no
    basemap ``tiles`` (they are the background then). The one place this rule lives, for the
    interactive map and the printed one."""
    if tiles:
        return set(shown)
    return set(shown) | {s.id for s in specs if s.group == CONTEXT_GROUP}


def stacked(layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]) -> list:
    """``layers`` bottom to top: the park's context, then uploaded layers, then the atlas' own
    (each kept in its order), so that an upload never covers the parcels or takes their hover;
    the upload being previewed goes on top, to be seen.
    Proposals go right under the parcels: a proposal drawn over parcels keeps them in sight
    and clickable, and is itself clicked where no parcel is."""
    rank = {CONTEXT_GROUP: 0, UPLOAD_GROUP: 1}
    top = ("preview", "preview_other")  # an upload being looked at lies over everything

    def place(layer: tuple[LayerSpec, gpd.GeoDataFrame]) -> int:
        return 3 if layer[0].id in top else rank.get(layer[0].group, 2)

    ordered = sorted(layers, key=place)
    proposals = [x for x in ordered if x[0].group == PROPOSALS_GROUP]
    rest = [x for x in ordered if x[0].group != PROPOSALS_GROUP]
    at = next((i for i, (s, _) in enumerate(rest) if "parcels" in s.roles), len(rest))
    return [*rest[:at], *proposals, *rest[at:]]


def _style_function(spec: LayerSpec):
    style = spec.style
    fills = {c.value: c.fill_color for c in spec.categories}

    def style_function(feature: dict) -> dict:
        category = feature["properties"].get(CATEGORY_KEY)
        result = {
            "color": style.color,
            "weight": style.weight,
            "fillColor": fills.get(category, style.fill_color),
            "fillOpacity": style.fill_opacity,
            "fill": style.fill_opacity > 0,
        }
        if style.dash_array:
            result["dashArray"] = style.dash_array
        if style.class_name:
            result["className"] = style.class_name
        return result

    return style_function


def feature_layer(
    spec: LayerSpec,
    gdf: gpd.GeoDataFrame,
    *,
    lang: Lang = "zh",
    datum: str = "wgs84",
    show: bool = True,
) -> folium.GeoJson | folium.FeatureGroup | CompactPolygons | TiledPolygons:
    """One registry layer as a named, toggleable folium layer with tooltip and popup.

    ``gdf`` may be in any CRS; it is drawn in WGS84 lon/lat, or shifted to GCJ-02 when
    ``datum`` is 'gcj02' so that it lines up with a Gaode basemap.
    """
    if gdf.empty:  # still a named layer, so that the layer list and legend stay whole
        return folium.FeatureGroup(name=html.escape(spec.name(lang)), show=show)
    if spec.tiles:
        return _tiled_layer(spec, gdf, lang=lang, datum=datum, show=show)
    if spec.geometry_type == "Polygon" and len(gdf) > LARGE_LAYER:
        return _compact_layer(spec, gdf, lang=lang, datum=datum, show=show)
    frame = display_frame(spec, gdf, lang)
    if datum == "gcj02":
        frame = shift_gdf(frame)
    if spec.geometry_type == "Point":  # Leaflet draws a marker for a Point, not a MultiPoint
        frame = frame.explode(index_parts=False)
    frame = _lightened(frame)

    def aliases(fields: Sequence[str]) -> list[str]:
        return [html.escape(field_label(f, lang)) for f in fields]

    is_point = spec.geometry_type == "Point"
    # points as circles drawn by Leaflet: its default marker is a picture the page does not have
    marker = folium.CircleMarker(radius=spec.style.radius, fill=True) if is_point else None
    if not spec.style.interactive:  # an outline over other layers: their tooltips show through
        return folium.GeoJson(frame, name=html.escape(spec.name(lang)), show=show,
                              style_function=_style_function(spec), marker=marker,
                              interactive=False)  # fmt: skip
    tooltip = list(dict.fromkeys([*spec.tooltip, "id"]))  # the id lets the app find the feature
    return folium.GeoJson(
        frame,
        name=html.escape(spec.name(lang)),
        show=show,
        style_function=_style_function(spec),
        highlight_function=lambda _: {"weight": spec.style.weight + 2, "fillOpacity": 0.8},
        tooltip=folium.GeoJsonTooltip(tooltip, aliases=aliases(tooltip)),
        popup=folium.GeoJsonPopup(list(spec.popup), aliases=aliases(spec.popup), max_width=380),
        marker=marker,
        zoom_on_click=False,
    )


# A map page carries every vertex: above this many, shapes are simplified for display only.
_MAX_VERTICES = 200_000
_DEG_PER_M = 1 / 111_000  # about, at Suzhou's latitude (north-south)


def _lightened(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` (EPSG:4326) with its shapes simplified for display, 1 m first and coarser
    until it holds at most ``_MAX_VERTICES`` vertices (one polygon of millions of vertices
    would otherwise make a page of hundreds of MB). Measurements never use this."""
    geoms = frame.geometry.to_numpy()
    tolerance_m = 1.0
    while shapely.get_num_coordinates(geoms).sum() > _MAX_VERTICES and tolerance_m <= 64:
        geoms = shapely.simplify(frame.geometry.to_numpy(), tolerance_m * _DEG_PER_M)
        tolerance_m *= 2
    if geoms is frame.geometry.to_numpy():
        return frame
    return frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))


_COMPACT_MEMO: dict[int, tuple] = {}  # id(gdf) -> (weak reference, key, encoded layer)


def _compact_layer(spec: LayerSpec, gdf: gpd.GeoDataFrame, *, lang: Lang, datum: str,
                   show: bool) -> CompactPolygons:  # fmt: skip
    """The compact canvas layer of a large polygon layer; the encoding (seconds for 100,000
    parcels) is kept for as long as the same GeoDataFrame is drawn again in the same way."""
    key = (spec, lang, datum, len(gdf))
    memo = _COMPACT_MEMO.get(id(gdf))
    if memo is not None and memo[0]() is gdf and memo[1] == key:
        layer = memo[2]
    else:
        frame = display_frame(spec, gdf, lang)
        if datum == "gcj02":
            frame = shift_gdf(frame)
        fields = list(dict.fromkeys([*spec.tooltip, "id"]))
        category = CATEGORY_KEY if spec.style.by else None
        layer = CompactPolygons(spec, frame, lang=lang, show=show, fields=fields,
                                category=category)  # fmt: skip
        _COMPACT_MEMO.clear()  # keep one: large layers are few and their encodings big
        _COMPACT_MEMO[id(gdf)] = (weakref.ref(gdf), key, layer)
    return layer.copy_shown(show)


def _tiled_layer(spec: LayerSpec, gdf: gpd.GeoDataFrame, *, lang: Lang, datum: str,
                 show: bool) -> TiledPolygons:  # fmt: skip
    """A saved layer drawn from the server's vector tiles (see layers/tiled.py)."""
    wgs84 = gdf if gdf.crs is not None and gdf.crs.equals(4326) else gdf.to_crs(4326)
    bounds = tuple(float(v) for v in wgs84.total_bounds)
    return TiledPolygons(spec, gdf, lang=lang, show=show, datum=datum, bounds=bounds)


def _fit_bounds(m: folium.Map, bounds: tuple[float, float, float, float], base: Basemap) -> None:
    minx, miny, maxx, maxy = bounds_as_drawn(bounds, base.datum)
    # the legend sits in the bottom-right corner: keep the features out from under it
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=(10, 10),
                 padding_bottom_right=(LEGEND_WIDTH_PX, 10))  # fmt: skip


def build_map(
    layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
    *,
    lang: Lang = "zh",
    basemap_id: str = "none",
    visible: Collection[str] | None = None,
    bounds_wgs84: tuple[float, float, float, float] | None = None,
    height: str = "100%",
    title: str = "",
    subtitle: str = "",
    draw: bool = False,
    view: tuple[float, float, float] | None = None,
    permalink: bool = False,
    layer_control: bool = True,
    labels: Collection[str] | None = None,
    fill_window: bool = False,
    switchable: bool = False,
) -> folium.Map:
    """Build the atlas map from registry layers, loading nothing from the network but tiles.

    Parameters
    ----------
    layers
        (registry entry, GeoDataFrame) pairs, drawn in this order (later on top).
    lang
        'zh' or 'en': layer names, legend, tooltip and popup labels.
    basemap_id
        A basemap id from ``layers.basemaps``; 'none' draws no tiles and always shows the
        park's context layers instead. With a GCJ-02 basemap the overlays are shifted to match.
    visible
        Ids of the layers switched on; default: those the registry marks visible.
    bounds_wgs84
        Initial view, (minx, miny, maxx, maxy) in lon/lat degrees (EPSG:4326); default: the
        park's extent.
    title, subtitle
        Shown in a box on the map when given (for exported pages).
    draw
        Add the drawing tools (polygon, rectangle, line, point) for sketching proposals.
    view
        (lat, lon, zoom) to open at instead of ``bounds_wgs84`` (WGS84 degrees).
    permalink
        Keep the page address's ``center`` and ``zoom`` up to date as the map moves, and
        (unless ``bounds_wgs84`` is given) open where the address says.
    fill_window
        In the app: the map's frame reaches down to the bottom of the browser's window.
    layer_control
        Leaflet's layer switcher on the map (off in the app, whose sidebar switches layers).
    labels
        Ids of the layers whose features are labelled; default: every layer the registry gives
        a label. Labels show while their layer is shown, from its ``label_min_zoom``.
    switchable
        In the app: the page switches layers on and off in the map as drawn
        (``layers.view.LayerSwitch``, ``layers.dynamic.dynamic_group(visible=...)``), so the
        map's page does not depend on ``visible``; and hands clicks to the page at once
        (``layers.view.ClickRelay``, ui/click_relay.py).
    """
    base = basemap(basemap_id)
    m = folium.Map(tiles=None, height=height, zoom_snap=0.25, zoom_delta=0.5)
    MetricScale().add_to(m)
    m.default_js = [("leaflet", leaflet_js_url())]
    m.default_css = [("leaflet_css", leaflet_css_url())]
    tiles = None
    if base.tiles:
        tiles = folium.TileLayer(
            tiles=base.tiles, attr=base.attribution, name=base.name(lang), overlay=False,
            control=False, max_zoom=base.max_zoom, subdomains=base.subdomains,
        ).add_to(m)  # fmt: skip
    shown = {s.id for s, _ in layers if s.visible} if visible is None else set(visible)
    shown = shown_with_context((s for s, _ in layers), shown, base.tiles is not None)
    MapBackground("#eef1ec" if base.tiles is None else "#ffffff").add_to(m)
    context, labelled, drawn = [], [], {}
    for spec, gdf in layers:
        layer = feature_layer(spec, gdf, lang=lang, datum=base.datum, show=spec.id in shown)
        layer.add_to(m)
        drawn[spec.id] = layer
        if spec.group == CONTEXT_GROUP:
            context.append(layer)
        if spec.label and (labels is None or spec.id in labels):
            labelled.append((spec.label_min_zoom, len(labelled), layer,
                             label_points(spec, gdf, lang, base.datum,
                                          label_avoided(spec, layers))))  # fmt: skip
    if labelled:  # names of large areas first, then the smaller things, numbers last
        LabelLayers([(layer, zoom, items) for zoom, _, layer, items in sorted(labelled)]).add_to(m)
    if tiles is not None:
        TileTrouble(tiles, context, t("tiles_failed", lang), t("close", lang)).add_to(m)
    DataAttribution(attributions(s for s, _ in layers)).add_to(m)
    if switchable:  # every layer's rows, those of hidden layers hidden until switched on
        specs = [s for s, _ in layers]
        Legend(legend_entries(specs, lang), lang, shown=shown,
               illustrative=any(s.illustrative for s in specs)).add_to(m)  # fmt: skip
        LayerSwitch(drawn, [s.id for s in specs if s.illustrative]).add_to(m)
        ClickRelay().add_to(m)
    else:
        on = [s for s, _ in layers if s.id in shown]
        Legend(legend_entries(on, lang), lang,
               illustrative=any(s.illustrative for s in on)).add_to(m)  # fmt: skip
    if title:
        MapTitle(title, subtitle).add_to(m)
    if draw:
        DrawTexts(DRAW_TEXTS[lang]).add_to(m)
        _drawing_tools().add_to(m)
        ClearWhileDrawing().add_to(m)
    if fill_window:
        FillWindow().add_to(m)
    if layer_control:
        folium.LayerControl(collapsed=True).add_to(m)
    if view is None:
        _fit_bounds(m, bounds_wgs84 or SIP_BOUNDS_WGS84, base)
    else:
        lat, lon, zoom = view
        m.location, m.options["zoom"] = [lat, lon], zoom
        m.options["center"] = [lat, lon]
    if permalink:  # after the view: a map drawn again goes back to where the planner was
        ViewInAddress(restore=bounds_wgs84 is None).add_to(m)
    return m


def _drawing_tools() -> Draw:
    """Leaflet.draw with its script and stylesheet inline (no CDN); points as circle markers."""
    tools = Draw(
        export=False, position="topleft", show_geometry_on_click=False,
        draw_options={"marker": False, "circle": False, "circlemarker": True, "polyline": True,
                      "polygon": {"allowIntersection": False}, "rectangle": True},
        edit_options={"edit": False, "remove": False},
    )  # fmt: skip
    tools.default_js = [("leaflet_draw_js", plugin_js_url("draw"))]
    tools.default_css = [("leaflet_draw_css", plugin_css_url("draw"))]
    return tools


def build_dual_map(
    left: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
    right: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
    *,
    lang: Lang = "zh",
    bounds_wgs84: tuple[float, float, float, float] = SIP_BOUNDS_WGS84,
    titles: Sequence[str] = ("", ""),
) -> DualMap:
    """Two maps side by side that pan and zoom together (Leaflet.Sync inline), no basemap,
    for comparing two scenarios; each side draws its own layers (WGS84) under its title
    (``titles``), and the right one carries the legend of both."""
    dual = DualMap(tiles=None, layout="horizontal", zoom_snap=0.25, zoom_delta=0.5)
    for side in (dual.m1, dual.m2):
        MetricScale().add_to(side)
    dual.default_js = [("Leaflet.Sync", plugin_js_url("sync"))]
    for side, layers in ((dual.m1, left), (dual.m2, right)):
        side.default_js = [("leaflet", leaflet_js_url())]
        side.default_css = [("leaflet_css", leaflet_css_url())]
        MapBackground("#eef1ec").add_to(side)
        for spec, gdf in layers:
            feature_layer(spec, gdf, lang=lang).add_to(side)
    for side, title in zip((dual.m1, dual.m2), titles, strict=True):
        if title:
            MapTitle(title).add_to(side)
    specs = list({s.id: s for s, _ in (*left, *right)}.values())
    Legend(
        legend_entries(specs, lang), lang, illustrative=any(s.illustrative for s in specs)
    ).add_to(dual.m2)
    for side in (dual.m1, dual.m2):  # the comparison is written into a tab not yet open
        FitWhenShown(bounds_wgs84).add_to(side)
    return dual
