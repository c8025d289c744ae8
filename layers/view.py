"""How a map keeps a sensible view: fitted to the park once it is first seen, whatever size its
frame had when it was written (a map in a tab that is not open has no size at all)."""

from __future__ import annotations

from collections.abc import Sequence

from branca.element import MacroElement
from jinja2 import Template

__all__ = ["FitWhenShown"]


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
