"""Large polygon layers for the map: simplified, quantised, delta-encoded, drawn on a canvas.

A district's cadastre of 100,000 parcels would make a folium GeoJSON page of tens of megabytes,
drawn as as many SVG elements. Here each outline is simplified to about 3 m (under a pixel at
zoom 15; shapely's topology-preserving simplify, per polygon), rounded to about a metre, and
written as integer steps from one vertex to the next; only the id and the tooltip fields
travel with each feature. In the page one canvas draws the features in view after each move,
with no Leaflet object per feature, and a grid finds the feature under the mouse for the
tooltip and the click (which the app reads like any other layer's).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from folium.map import Layer
from jinja2 import Template

from layers.registry import Lang, LayerSpec, field_label

__all__ = ["LARGE_LAYER", "CompactPolygons", "encode_polygons"]

_SCRIPT = Path(__file__).with_name("web") / "compact_layer.js"
LARGE_LAYER = 5_000  # features; above this a polygon layer takes the compact path
QUANTUM_DEG = 1e-5  # about 1 m in Suzhou
SIMPLIFY_DEG = 3e-5  # about 3 m: under one pixel at zoom 15, where a cadastre is read


def encode_polygons(geoms: np.ndarray, origin: np.ndarray) -> list[list[list[int]]]:
    """Each (multi)polygon as parts of rings of integer steps (quanta of QUANTUM_DEG degrees);
    the first step of a ring is counted from ``origin`` (lon, lat), the others from the vertex
    before. Closing vertices and steps of zero are left out. Vectorised over all rings."""
    parts, part_geom = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    q = np.round((coords - origin) / QUANTUM_DEG).astype(np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(coord_ring)) + 1]
    first = np.zeros(len(q), dtype=bool)
    first[starts] = True
    last = np.r_[starts[1:] - 1, len(q) - 1] if len(q) else np.array([], dtype=int)
    steps = q - np.vstack([np.zeros((1, 2), np.int64), q[:-1]]) if len(q) else q
    steps[first] = q[first]
    keep = first | (steps != 0).any(axis=1)
    keep[last] = False
    flat = steps[keep]
    owner = coord_ring[keep]
    bounds = np.searchsorted(owner, np.arange(len(rings) + 1))
    values = flat.ravel().tolist()
    ring_lists = [values[2 * bounds[i] : 2 * bounds[i + 1]] for i in range(len(rings))]
    part_lists: list[list[list[int]]] = [[] for _ in range(len(parts))]
    for ring_index, part in enumerate(ring_part.tolist()):
        part_lists[part].append(ring_lists[ring_index])
    encoded: list[list[list[list[int]]]] = [[] for _ in range(len(geoms))]
    for part_index, geom in enumerate(part_geom.tolist()):
        encoded[geom].append(part_lists[part_index])
    return encoded


class CompactPolygons(Layer):
    """A named, toggleable polygon layer decoded and drawn by a small script on a canvas."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
            {{ this.code }}
            var layer = sipCompactLayer({{ this.payload }});
            {% if this.show %}layer.addTo(map);{% endif %}
            return layer;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: LayerSpec, frame: gpd.GeoDataFrame, *, lang: Lang, show: bool,
                 fields: list[str], category: str | None = None):  # fmt: skip
        super().__init__(name=html.escape(spec.name(lang)), show=show)
        self._name = "CompactPolygons"
        geoms = shapely.simplify(frame.geometry.to_numpy(), SIMPLIFY_DEG, preserve_topology=True)
        x0, y0 = np.floor(frame.total_bounds[:2] / QUANTUM_DEG) * QUANTUM_DEG
        values = frame[fields].astype(str).to_numpy().tolist()
        cats = frame[category].astype(str).tolist() if category else [""] * len(frame)
        style = spec.style
        payload = {
            "q": QUANTUM_DEG, "x0": round(x0 / QUANTUM_DEG), "y0": round(y0 / QUANTUM_DEG),
            "labels": [html.escape(field_label(f, lang)) for f in fields],
            "style": {"color": style.color, "weight": style.weight, "fillColor": style.fill_color,
                      "fillOpacity": style.fill_opacity, "fill": style.fill_opacity > 0},
            "colors": {c.value: c.fill_color for c in spec.categories},
            "f": [[v, parts, c] for v, parts, c in
                  zip(values, encode_polygons(geoms, np.array([x0, y0])), cats, strict=True)],
        }  # fmt: skip
        # Inside <script>, "</" must not appear; the values are already HTML-escaped text.
        self.spec, self.lang = spec, lang
        self.code = _SCRIPT.read_text(encoding="utf-8")
        self.payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace(
            "</", "<\\/"
        )

    def copy_shown(self, show: bool) -> CompactPolygons:
        """A new map element with the same encoded data, switched on or off."""
        twin = object.__new__(CompactPolygons)
        Layer.__init__(twin, name=html.escape(self.spec.name(self.lang)), show=show)
        twin._name = self._name
        twin.spec, twin.lang, twin.code, twin.payload = (
            self.spec,
            self.lang,
            self.code,
            self.payload,
        )
        return twin
