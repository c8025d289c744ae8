"""A tiled layer on the folium map: a layer too large for the page, drawn from the server's
vector tiles (``ui/tile_routes.py``) by protomaps-leaflet, with the app's tooltip, click,
filters, labels and GCJ-02 shift.

The page carries the layer's style, its tooltip fields and, only when filters hide some
features, one bit a feature saying which are kept; never the features themselves, so its size
does not grow with the layer (one filtered million-feature layer adds 167 KB).
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from geo.gcj02 import wgs84_to_gcj02
from geo.tiles import MAX_DATA_ZOOM
from layers.assets import plugin_js_url
from layers.registry import Lang, LayerSpec, field_label

__all__ = ["PANE_Z_INDEX", "TiledPolygons", "gcj_grid", "kept_mask"]

_SCRIPT = Path(__file__).with_name("web") / "tiled_layer.js"
PANE_Z_INDEX = 350  # above the basemap (200), below the atlas's own vector layers (400)
# Labels of a tiled layer from zoom 16, where a parcel of ~100 m is wide enough to hold one
# (and laying out thousands of labels a tile at lower zooms stalls the map).
LABEL_MIN_ZOOM = 16
_GCJ_STEP_DEG = 0.02  # the shift's grid: about 2 km; interpolated, it is off by < 0.3 m
_GCJ_MAX_STEPS = 120


def kept_mask(positions: np.ndarray, total: int) -> str:
    """One bit a feature (row numbers 0..total-1), set for the ``positions`` kept, base64."""
    bits = np.zeros(total, dtype=bool)
    bits[positions[(positions >= 0) & (positions < total)]] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def gcj_grid(bounds_wgs84: tuple[float, float, float, float]) -> dict:
    """The GCJ-02 shift (degrees) on a grid over ``bounds_wgs84`` (lon/lat, with a margin),
    for the page to interpolate: origin, step, size and the dx, dy of each node, rows first."""
    minx, miny, maxx, maxy = bounds_wgs84
    margin = 2 * _GCJ_STEP_DEG
    step = max(_GCJ_STEP_DEG, (max(maxx - minx, maxy - miny) + 2 * margin) / _GCJ_MAX_STEPS)
    xs = np.arange(minx - margin, maxx + margin + step, step)
    ys = np.arange(miny - margin, maxy + margin + step, step)
    lon, lat = np.meshgrid(xs, ys)
    glon, glat = wgs84_to_gcj02(lon.ravel(), lat.ravel())
    return {
        "x0": float(xs[0]), "y0": float(ys[0]), "step": float(step),
        "nx": len(xs), "ny": len(ys),
        "dx": np.round(glon - lon.ravel(), 8).tolist(),
        "dy": np.round(glat - lat.ravel(), 8).tolist(),
    }  # fmt: skip


class TiledPolygons(JSCSSMixin, Layer):
    """A named, toggleable layer of the server's vector tiles of the saved layer ``spec.id``.

    ``gdf`` is the layer as the map should show it (EPSG:4326 or any CRS, row labels the
    feature's row numbers in the saved layer); when it holds fewer rows than the saved layer
    (``spec.tiles``), the others are hidden. ``bounds``: the layer's (minx, miny, maxx, maxy)
    in EPSG:4326 degrees, where the GCJ-02 shift (``datum`` 'gcj02') is worked out."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (map) {
            if (!map.getPane('sipTiles')) {
                map.createPane('sipTiles').style.zIndex = {{ this.z_index }};
            }
            {{ this.code }}
            var layer = sipTiledLayer({{ this.payload }});
            {% if this.show %}layer.addTo(map);{% endif %}
            return layer;
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, spec: LayerSpec, gdf: gpd.GeoDataFrame, *, lang: Lang, show: bool,
                 datum: str = "wgs84", bounds: tuple | None = None):  # fmt: skip
        super().__init__(name=html.escape(spec.name(lang)), show=show)
        self._name = "TiledPolygons"
        self.default_js = [("protomaps_leaflet", plugin_js_url("protomaps"))]
        fields = list(dict.fromkeys([*spec.tooltip, "id"]))
        style = spec.style
        label = spec.label if spec.label and spec.label != "name" else None
        filtered = len(gdf) < spec.tiles
        positions = gdf.index.to_numpy(dtype=np.int64, na_value=-1) if filtered else None
        payload = {
            "layer": spec.id, "maxDataZoom": MAX_DATA_ZOOM, "pane": "sipTiles",
            "fields": fields, "labels": [html.escape(field_label(f, lang)) for f in fields],
            "valueLabels": {style.by: spec.category_labels(lang)} if style.by else {},
            "style": {"color": style.color, "weight": style.weight,
                      "fillColor": style.fill_color, "fillOpacity": style.fill_opacity},
            "colors": {c.value: c.fill_color for c in spec.categories},
            "mask": kept_mask(positions, spec.tiles) if filtered else None,
            "label": {"field": label, "minZoom": max(spec.label_min_zoom, LABEL_MIN_ZOOM)}
            if label else None,
            "gcj": gcj_grid(bounds) if datum == "gcj02" and bounds else None,
            "attribution": " · ".join(spec.attribution),
        }  # fmt: skip
        self.z_index = PANE_Z_INDEX
        self.code = _SCRIPT.read_text(encoding="utf-8")
        # Inside <script>, "</" must not appear; the tooltip escapes values, labels are escaped.
        self.payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace(
            "</", "<\\/"
        )
