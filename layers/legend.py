"""The map legend and background, as Leaflet controls written into the map's own script."""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template

from layers.registry import Lang, LayerSpec

__all__ = [
    "ILLUSTRATIVE_NOTE",
    "DataAttribution",
    "DrawTexts",
    "Legend",
    "LegendEntry",
    "MapBackground",
    "MapTitle",
    "TileTrouble",
    "ViewInAddress",
    "legend_entries",
    "legend_row",
]

ILLUSTRATIVE_NOTE = {
    "zh": "示意数据，非官方规划成果",
    "en": "Illustrative data, not an official plan",
}
_TITLE = {"zh": "图例", "en": "Legend"}


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a label and how its symbol is drawn."""

    label: str
    symbol: str  # 'fill', 'line' or 'circle'
    color: str
    fill_color: str
    fill_opacity: float
    indent: bool = False
    layer: str = ""  # the id of the layer it stands for


def legend_entries(specs: Sequence[LayerSpec], lang: Lang) -> list[LegendEntry]:
    """Legend rows for the shown layers; a layer whose categories have colours of their own
    gets one row per category."""
    rows: list[LegendEntry] = []
    for spec in specs:
        st = spec.style
        symbol = "circle" if spec.geometry_type == "Point" else "fill"
        if spec.geometry_type == "Polygon" and st.fill_opacity == 0:
            symbol = "line"
        rows.append(LegendEntry(spec.name(lang), symbol, st.color, st.fill_color, st.fill_opacity,
                                layer=spec.id))  # fmt: skip
        if len({c.fill_color for c in spec.categories}) < 2:
            continue  # classes drawn alike (a proposal's kind) need no rows of their own
        rows.extend(
            LegendEntry(
                getattr(c, lang), symbol, st.color, c.fill_color, st.fill_opacity, True, spec.id
            )
            for c in spec.categories
        )
    return rows


def _swatch(entry: LegendEntry) -> str:
    base = "display:inline-block;width:16px;height:12px;margin-right:6px;vertical-align:middle;"
    if entry.symbol == "line":
        return f'<span style="{base}border-top:2px dashed {entry.color};height:0"></span>'
    radius = "border-radius:50%;width:12px;" if entry.symbol == "circle" else ""
    return (
        f'<span style="{base}{radius}background:{entry.fill_color};'
        f'opacity:{max(entry.fill_opacity, 0.35)};border:1px solid {entry.color}"></span>'
    )


def legend_row(entry: LegendEntry, shown: bool = True) -> str:
    """One legend row's HTML, its label escaped; hidden while its layer is not ``shown`` (the
    app's map shows it again when the layer is switched on: layers.view.LayerSwitch)."""
    style = f"margin:2px 0 2px {14 if entry.indent else 0}px" + ("" if shown else ";display:none")
    label, layer = html.escape(entry.label), html.escape(entry.layer)
    return (f'<div class="sip-legend-row" data-sip-layer="{layer}" style="{style}">'
            f"{_swatch(entry)}{label}</div>")  # fmt: skip


def legend_html(
    entries: Sequence[LegendEntry],
    lang: Lang,
    *,
    illustrative: bool,
    shown: Collection[str] | None = None,
) -> str:
    """The legend's HTML; every label is escaped; the rows of layers not ``shown`` (ids; default
    all shown) are there but hidden."""
    rows = "".join(legend_row(e, shown is None or e.layer in shown) for e in entries)
    note = (
        f'<div class="sip-legend-note" style="margin-top:6px;color:#a50f15;font-size:11px">'
        f"{html.escape(ILLUSTRATIVE_NOTE[lang])}</div>"
        if illustrative
        else ""
    )
    style = "font-weight:600;margin-bottom:4px;cursor:pointer"
    title = f'<summary style="{style}">{_TITLE[lang]}</summary>'
    return f"<details open>{title}{rows}{note}</details>"  # folds away on a small screen


class Legend(MacroElement):
    """A legend control in the map's bottom-right corner."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'bottomright'});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'sip-atlas-legend');
            div.style.cssText = 'background:rgba(255,255,255,.92);padding:8px 10px;'
                + 'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px sans-serif;'
                + 'max-width:190px;overflow:auto';
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            var map = {{ this._parent.get_name() }};
            function fit() {  // at most under half the map's height; it scrolls, or folds away
                div.style.maxHeight = Math.round(map.getSize().y * 0.45) + 'px';
            }
            map.on('resize', fit);
            fit();
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, entries: Sequence[LegendEntry], lang: Lang, *, illustrative: bool,
                 shown: Collection[str] | None = None):  # fmt: skip
        super().__init__()
        self._name = "Legend"
        self.entries = list(entries)
        self.html = legend_html(entries, lang, illustrative=illustrative, shown=shown)


class MapBackground(MacroElement):
    """Sets the map container's background colour (seen where no tiles are drawn)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().style.background = {{ this.color|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, color: str):
        super().__init__()
        self._name = "MapBackground"
        self.color = color


class DataAttribution(MacroElement):
    """Adds the data's sources (escaped text) to the map's attribution control, beside the
    basemap's, so that they show wherever the map is shown, offline pages included."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (el) {  // small, and no wider than half the map: it shares the bottom edge
            el.style.fontSize = "10px";
            el.style.maxWidth = "50%";
            el.style.lineHeight = "1.3";
        })({{ this._parent.get_name() }}.attributionControl.getContainer());
        {% for text in this.texts %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ text|tojson }});
        {% endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, texts: Sequence[str]):
        super().__init__()
        self._name = "DataAttribution"
        self.texts = [html.escape(t) for t in texts]


class TileTrouble(MacroElement):
    """Watches the basemap's tiles: when several fail and none has loaded (offline, or an
    intranet without the tile server), the map says so with what to do and adds the park's
    context layers it carries, so that it is never blank; a tile that loads later removes
    the notice."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, tiles = {{ this.tiles.get_name() }};
            var context = [{% for layer in this.context -%}
                {{ layer.get_name() }}{{ ", " if not loop.last }}
            {%- endfor %}];
            var failed = 0, loaded = 0, box = null;
            tiles.on("tileload", function () {
                loaded += 1;
                if (box) { box.remove(); box = null; }
            });
            tiles.on("tileerror", function () {
                failed += 1;
                if (box || loaded || failed < 3) { return; }
                context.forEach(function (l) { if (!map.hasLayer(l)) { map.addLayer(l); } });
                box = L.control({position: "topright"});
                box.onAdd = function () {
                    var div = L.DomUtil.create("div", "sip-tile-trouble");
                    var text = L.DomUtil.create("span", "", div);
                    text.textContent = {{ this.text|tojson }};
                    var close = L.DomUtil.create("a", "sip-tile-trouble-close", div);
                    close.textContent = "×";
                    close.href = "#";
                    close.title = {{ this.close|tojson }};
                    close.style.cssText = "float:right;margin-left:6px;font-size:16px;" +
                        "line-height:14px;color:#613400;text-decoration:none";
                    L.DomEvent.on(close, "click", function (e) {
                        L.DomEvent.preventDefault(e);
                        if (box) { box.remove(); box = null; }
                    });
                    L.DomEvent.disableClickPropagation(div);
                    div.style.cssText = "background:#fff7e6;border:1px solid #d48806;" +
                        "padding:5px 8px;max-width:230px;font:12px sans-serif;color:#613400;";
                    return div;
                };
                box.addTo(map);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, tiles: MacroElement, context: Sequence[MacroElement], text: str, close: str = ""
    ):
        """``tiles``: the basemap's tile layer; ``context``: the context layers to add (their
        names are read when the page is written, after any renaming of the map's elements);
        ``text`` the notice, ``close`` its close button's title."""
        super().__init__()
        self._name = "TileTrouble"
        self.tiles = tiles
        self.context = list(context)
        self.text = text
        self.close = close


class DrawTexts(MacroElement):
    """Sets the drawing tools' texts (``L.drawLocal.draw``, by dotted path) before the tools
    are added, so that they speak the interface's language."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        Object.entries({{ this.texts|tojson }}).forEach(function (item) {
            var keys = item[0].split('.'), node = L.drawLocal.draw;
            keys.slice(0, -1).forEach(function (k) { node = node[k] = node[k] || {}; });
            node[keys[keys.length - 1]] = item[1];
        });
        {% endmacro %}
        """
    )

    def __init__(self, texts: dict[str, str]):
        super().__init__()
        self._name = "DrawTexts"
        self.texts = texts


class MapTitle(MacroElement):
    """A title (and optional subtitle) box in the map's top-left corner; text is escaped."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'topleft'});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'sip-atlas-title');
            div.style.cssText = 'background:rgba(255,255,255,.92);padding:6px 10px;'
                + 'border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font:14px sans-serif';
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, subtitle: str = ""):
        super().__init__()
        self._name = "MapTitle"
        sub = f'<div style="font-size:12px;color:#444">{html.escape(subtitle)}</div>'
        self.html = f"<b>{html.escape(title)}</b>" + (sub if subtitle else "")


class ViewInAddress(MacroElement):
    """Writes the map's centre and zoom into the page address (``?center=lat,lon&zoom=z``) as
    it moves, without reloading, so that the address shares the view. With ``restore``, a map
    drawn again in the same page (a click, a filter) opens where the address says, where the
    planner had moved it: the server only knows the address the page was opened with. Add it
    after the map's own view is set."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            function page() {
                return window.parent && window.parent !== window ? window.parent : window;
            }
            function remember() {
                try {
                    var url = new URL(page().location.href);
                    var c = map.getCenter();
                    url.searchParams.set('center', c.lat.toFixed(5) + ',' + c.lng.toFixed(5));
                    url.searchParams.set('zoom', map.getZoom().toFixed(2));
                    page().history.replaceState(page().history.state, '', url.toString());
                } catch (e) { /* a page of another origin: leave its address alone */ }
            }
            {% if this.restore %}
            try {
                var said = new URL(page().location.href).searchParams;
                var c = (said.get('center') || '').split(',').map(Number);
                var z = Number(said.get('zoom'));
                if (c.length === 2 && c.every(isFinite) && Math.abs(c[0]) <= 90 &&
                        Math.abs(c[1]) <= 180 && isFinite(z) && z >= 1 && z <= 20) {
                    map.setView(c, z, {animate: false});
                }
            } catch (e) { /* a page of another origin: keep the view the server gave */ }
            {% endif %}
            map.on('moveend', remember);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, restore: bool = False):
        super().__init__()
        self._name = "ViewInAddress"
        self.restore = restore
