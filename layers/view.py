"""How a map keeps a sensible view: fitted to the park once it is first seen, whatever size its
frame had when it was written (a map in a tab that is not open has no size at all)."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from geo.gcj02 import shift_gdf

__all__ = [
    "LEGEND_WIDTH_PX",
    "ClearWhileDrawing",
    "ClickRelay",
    "FillWindow",
    "FitWhenShown",
    "LayerSwitch",
    "MetricScale",
    "bounds_as_drawn",
]

LEGEND_WIDTH_PX = 210  # the legend's width on the map, about (layers.legend): fits keep clear


def bounds_as_drawn(bounds: Sequence[float], datum: str) -> list[float]:
    """WGS84 bounds (lon/lat degrees: min x, min y, max x, max y) as a map of ``datum`` draws
    them: shifted to GCJ-02 on such a map, else as given."""
    if datum != "gcj02":
        return [float(v) for v in bounds]
    minx, miny, maxx, maxy = bounds
    corners = gpd.GeoDataFrame(geometry=gpd.points_from_xy([minx, maxx], [miny, maxy]),
                               crs="EPSG:4326")  # fmt: skip
    shifted = shift_gdf(corners).geometry
    return [float(shifted.x[0]), float(shifted.y[0]), float(shifted.x[1]), float(shifted.y[1])]


class FitWhenShown(MacroElement):
    """Fits the map to ``bounds_wgs84`` (lon/lat degrees, EPSG:4326: min x, min y, max x,
    max y) whenever its container is shown or resized, until the planner moves it; after that
    a container hidden and shown again (a tab switched away and back) keeps their view.

    Leaflet fits a map of no size to the whole world at zoom 0, and never looks again: the
    scenario comparison, written into a tab that is not open, opened grey with the park a dot.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var bounds = L.latLngBounds({{ this.bounds|tojson }});
            var el = map.getContainer(), touched = false, kept = null;
            function shown() { return el.clientWidth > 0 && el.clientHeight > 0; }
            ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function (name) {
                el.addEventListener(name, function () { touched = true; }, {passive: true});
            });
            map.on('moveend', function () {
                if (shown()) { kept = [map.getCenter(), map.getZoom()]; }
            });
            function look() {
                if (!shown()) { return; }
                map.invalidateSize({animate: false, pan: false});
                if (!touched) {  // the park, fitted to the frame's size now
                    map.fitBounds(bounds, {animate: false});
                } else if (kept) {  // where the planner had moved it
                    map.setView(kept[0], kept[1], {animate: false});
                }
            }
            if (window.ResizeObserver) { new ResizeObserver(look).observe(el); }
            look();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds_wgs84: Sequence[float]):
        super().__init__()
        self._name = "FitWhenShown"
        minx, miny, maxx, maxy = bounds_wgs84
        self.bounds = [[miny, minx], [maxy, maxx]]


class FillWindow(MacroElement):
    """Makes the map's frame reach from where it starts down to the bottom of the browser's
    window (at least ``min_px`` high, ``margin_px`` left below), and again when the window is
    resized: a map 580 px high left half of a 1080-pixel screen empty. A frame drawn again
    while the page is scrolled keeps the height found before."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var frame = null, page = null;
            try { frame = window.frameElement; page = window.parent; } catch (e) { return; }
            if (!frame || !page) { return; }
            function fit() {
                var top = frame.getBoundingClientRect().top, height = page.__sipMapHeight;
                if (top >= 0 && top < page.innerHeight / 2) {
                    height = Math.max({{ this.min_px }},
                                      Math.round(page.innerHeight - top - {{ this.margin_px }}));
                    page.__sipMapHeight = height;
                }
                if (!height) { return; }
                if (Math.abs(frame.getBoundingClientRect().height - height) >= 2) {
                    frame.style.height = height + 'px';
                }
                if (Math.abs(map.getContainer().clientHeight - height) >= 2) {
                    map.getContainer().style.height = height + 'px';
                    map.invalidateSize({animate: false});
                }
            }
            page.addEventListener('resize', fit);
            fit();
            setTimeout(fit, 400);  // after the page around the frame has settled
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, min_px: int = 420, margin_px: int = 12):
        super().__init__()
        self._name = "FillWindow"
        self.min_px = min_px
        self.margin_px = margin_px


class ClearWhileDrawing(MacroElement):
    """While a shape is being drawn, the map's boxes (legend, notices, title) let clicks
    through to the map and fade, so that no vertex drawn under them is lost."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var style = document.createElement('style');
            style.textContent = '.sip-drawing .sip-atlas-legend, .sip-drawing .sip-tile-trouble,'
                + ' .sip-drawing .sip-atlas-title {pointer-events: none; opacity: .35}';
            document.head.appendChild(style);
            var el = map.getContainer();
            map.on('draw:drawstart', function () { el.classList.add('sip-drawing'); });
            map.on('draw:drawstop', function () { el.classList.remove('sip-drawing'); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ClearWhileDrawing"


class MetricScale(MacroElement):
    """A scale bar in metres and kilometres only (Leaflet's own also shows miles and feet)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 150}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class LayerSwitch(MacroElement):
    """Lets the page switch the map's layers without drawing the map again: defines
    ``map.sipShow(ids)``, which adds the layers whose ids are given and takes off the others
    (each only when its state changes, so that what the map does by itself, such as the park's
    context drawn when tiles fail, stays), and ``map.sipToggle(key, on)`` for one layer (by its
    sidebar key, as the page's script ``ui.panels.SWITCH_SCRIPT`` finds it); both show the
    legend rows of the layers shown, the note on illustrative data while one of
    ``illustrative`` (ids) is shown, and place labels again.
    ``layers``: {layer id: the folium layer drawn for it}."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var layers = {
            {%- for id, layer in this.layers.items() %}
                {{ id|tojson }}: {{ layer.get_name() }},
            {%- endfor %}
            };
            var illustrative = {{ this.illustrative|tojson }};
            var on = null;  // the ids switched on, as last said by the page
            function show() {
                var legend = map.getContainer().querySelector('.sip-atlas-legend');
                if (legend) {
                    legend.querySelectorAll('.sip-legend-row[data-sip-layer]').forEach(
                        function (row) {
                            var id = row.getAttribute('data-sip-layer');
                            if (id in layers) { row.style.display = on[id] ? '' : 'none'; }
                        });
                    var note = legend.querySelector('.sip-legend-note');
                    if (note) {
                        note.style.display = illustrative.some(function (id) { return on[id]; })
                            ? '' : 'none';
                    }
                }
                map.fire('moveend');  // labels follow their layers
            }
            function turn(id, wanted) {
                var was = on ? !!on[id] : map.hasLayer(layers[id]);
                if (wanted && !was) { map.addLayer(layers[id]); }
                if (!wanted && was) { map.removeLayer(layers[id]); }
            }
            map.sipShow = function (ids) {
                var wanted = {};
                ids.forEach(function (id) { wanted[id] = true; });
                Object.keys(layers).forEach(function (id) { turn(id, !!wanted[id]); });
                on = wanted;
                show();
            };
            // one layer switched in the page's sidebar: at once, before the app's run says so
            map.sipToggle = function (key, wanted) {
                var id = Object.keys(layers).find(function (id) {
                    return id.replace(/[^A-Za-z0-9_-]/g, '-') === key;
                });
                if (id === undefined) { return; }
                if (!on) {
                    on = {};
                    Object.keys(layers).forEach(function (i) { on[i] = map.hasLayer(layers[i]); });
                }
                turn(id, wanted);
                on[id] = wanted;
                show();
            };
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, layers: dict[str, object], illustrative: Sequence[str]):
        super().__init__()
        self._name = "LayerSwitch"
        self.layers = dict(layers)
        self.illustrative = list(illustrative)


class ClickRelay(MacroElement):
    """Hands each feature click, described as streamlit-folium describes it (the click's lat/lng
    and the clicked feature's tooltip text), to ``window.parent.sipMapClick`` when the page has
    one (ui/click_relay.py): the app hears of it without streamlit-folium's delay."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var last = null, pending = false;
            function tooltip(e) {  // as streamlit-folium's own onLayerClick reads it
                try {
                    var s = e.sourceTarget, t = e.target;
                    if (s && s.getTooltip && s._tooltip && s._tooltip._content) {
                        var span = document.createElement('span');
                        span.innerHTML = s.getTooltip().getContent();
                        return (span.textContent || span.innerText).trim();
                    }
                    if (t && t.getTooltip && t._tooltip && t._tooltip._content) {
                        return t.getTooltip().getContent()(s).innerText;
                    }
                } catch (err) { /* a tooltip of another kind: the click alone */ }
                return last && last.last_object_clicked_tooltip;
            }
            function heard(e) {
                if (!e.latlng) { return; }
                last = {last_object_clicked: {lat: e.latlng.lat, lng: e.latlng.lng},
                        last_object_clicked_tooltip: tooltip(e) || null};
                if (pending) { return; }
                pending = true;  // the feature and its layer both hear one click: send once
                setTimeout(function () {
                    pending = false;
                    var send = window.parent && window.parent !== window
                        && window.parent.sipMapClick;
                    if (send) { send(last); }
                    last = null;
                }, 0);
            }
            function listen(layer) {
                if (layer && layer.on) { layer.off('click', heard); layer.on('click', heard); }
            }
            map.eachLayer(listen);
            map.on('layeradd', function (e) { listen(e.layer); });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ClickRelay"
