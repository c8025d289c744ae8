"""What changes on a map already drawn in the browser: the clicked or found feature's highlight,
what is near it, their legend rows, and a zoom to a found feature.

The app hands these to streamlit-folium as a feature group it adds to the map in the page
(``feature_group_to_add``) instead of building a new map: the planner's view, popup and sketch
stay, and the map does not blink (ui/map_cache.py). Each piece is a Leaflet layer of the group,
so that it is undone when streamlit-folium takes the group off for the next one.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from layers.i18n import Lang
from layers.legend import LegendEntry, legend_entries, legend_row
from layers.registry import LayerSpec
from layers.view import LEGEND_WIDTH_PX, bounds_as_drawn

__all__ = ["FitOnAdd", "LegendRows", "ShowLayers", "dynamic_group"]


class LegendRows(MacroElement):
    """Rows added at the top of the map's legend while the group holding them is on the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new (L.Layer.extend({
            onAdd: function (map) {
                var box = map.getContainer().querySelector('.sip-atlas-legend details');
                if (!box) { return; }
                this._rows = document.createElement('div');
                this._rows.className = 'sip-legend-dynamic';
                this._rows.innerHTML = {{ this.html|tojson }};
                var title = box.querySelector('summary');  // first: what was just asked
                box.insertBefore(this._rows, title ? title.nextSibling : box.firstChild);
            },
            onRemove: function () { if (this._rows) { this._rows.remove(); } }
        }))();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, entries: Sequence[LegendEntry]):
        super().__init__()
        self._name = "LegendRows"
        self.html = "".join(legend_row(e) for e in entries)


class ShowLayers(MacroElement):
    """Switches the map's layers to ``ids`` when its group is added (``map.sipShow`` of a map
    built ``switchable``: layers.view.LayerSwitch)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new (L.Layer.extend({
            onAdd: function (map) { if (map.sipShow) { map.sipShow({{ this.ids|tojson }}); } },
            onRemove: function () {}
        }))();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, ids: Collection[str]):
        super().__init__()
        self._name = "ShowLayers"
        self.ids = sorted(ids)


class FitOnAdd(MacroElement):
    """Zooms the map to ``bounds`` (lon/lat degrees of the map's datum: min x, min y, max x,
    max y) when its group is added, the legend's corner kept clear."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new (L.Layer.extend({
            onAdd: function (map) {
                var b = {{ this.bounds|tojson }};
                map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {
                    paddingTopLeft: [10, 10], paddingBottomRight: [{{ this.pad }}, 10],
                    animate: false});
            },
            onRemove: function () {}
        }))();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Sequence[float]):
        super().__init__()
        self._name = "FitOnAdd"
        self.bounds = [float(v) for v in bounds]
        self.pad = LEGEND_WIDTH_PX


def dynamic_group(
    layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
    *,
    lang: Lang,
    datum: str = "wgs84",
    fit_wgs84: Sequence[float] | None = None,
    visible: Collection[str] | None = None,
) -> folium.FeatureGroup:
    """A feature group of ``layers`` (derived highlights, any CRS, drawn as the map draws
    them: shifted on a GCJ-02 ``datum``), their legend rows, the map's layers switched to
    ``visible`` (ids) when given, and a zoom to ``fit_wgs84`` (lon/lat degrees, EPSG:4326) when
    given; for ``show_cached_map(dynamic=...)``."""
    from layers.folium_map import feature_layer  # the map's own drawing of a layer

    group = folium.FeatureGroup(name=html.escape("dynamic"), control=False)
    if visible is not None:
        ShowLayers(visible).add_to(group)
    for spec, gdf in layers:
        feature_layer(spec, gdf, lang=lang, datum=datum).add_to(group)
    if layers:
        LegendRows(legend_entries([s for s, _ in layers], lang)).add_to(group)
    if fit_wgs84 is not None:
        FitOnAdd(bounds_as_drawn(fit_wgs84, datum)).add_to(group)
    return group
