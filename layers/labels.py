"""Labels on the interactive map: names of districts, parks and scenes, parcel numbers from the
zoom where they fit, never one over another (placed by ``layers/web/labels.js``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template
from shapely.ops import polylabel

from geo.crs import to_wgs84
from geo.gcj02 import shift_gdf
from layers.registry import Lang, LayerSpec

__all__ = [
    "MAX_LABELLED",
    "LabelLayers",
    "label_avoided",
    "label_points",
    "label_text",
    "labelled",
]

MAX_LABELLED = 2_000  # features; a larger layer is not labelled (the labels would be the page)

_SCRIPT = (Path(__file__).with_name("web") / "labels.js").read_text(encoding="utf-8")
_STYLE = (
    ".sip-label-text{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;"
    "font:600 12px sans-serif;color:#1a1a1a;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}"
)


def label_text(spec: LayerSpec, row: pd.Series, lang: Lang) -> str:
    """A feature's label: its name in ``lang`` when the layer labels by 'name', else the
    value of the layer's label column (e.g. a parcel's number); '' when there is none."""
    if spec.label == "name":
        for column in (f"name_{lang}", "name_zh", "name_en"):
            if column in row.index and isinstance(row[column], str) and row[column]:
                return row[column]
        return ""
    value = row.get(spec.label) if spec.label else None
    return "" if value is None or pd.isna(value) else str(value)


def label_avoided(spec: LayerSpec, layers) -> gpd.GeoSeries | None:
    """The shapes ``spec``'s labels keep off (its registry ``label_avoid`` layer, if drawn)."""
    if not spec.label_avoid:
        return None
    return next((g.geometry for s, g in layers if s.id == spec.label_avoid), None)


def _inside_but(geometry, avoid):
    """A point inside ``geometry`` and outside ``avoid`` where it can be (a lake district's
    name on its land, not on the lake that carries a name of its own)."""
    rest = geometry.difference(avoid) if avoid is not None else geometry
    if rest.is_empty:
        return geometry.representative_point()
    widest = max(getattr(rest, "geoms", [rest]), key=lambda part: part.area)
    return polylabel(widest, tolerance=1e-5) if widest.geom_type == "Polygon" else widest.centroid


def labelled(
    spec: LayerSpec,
    gdf: gpd.GeoDataFrame,
    lang: Lang,
    avoid: gpd.GeoSeries | None = None,
) -> gpd.GeoDataFrame:
    """Each labelled feature's label (``text``) at a point inside it (outside the shapes of
    ``avoid``, any CRS, where it can), in ``gdf``'s CRS; empty for a layer without labels or
    with more than MAX_LABELLED features (the interactive map and the printed one both label
    from this)."""
    texts = ([label_text(spec, row, lang) for _, row in gdf.iterrows()]
             if spec.label and 0 < len(gdf) <= MAX_LABELLED else [])  # fmt: skip
    points = gdf.geometry.representative_point() if texts else gdf.geometry.iloc[:0]
    if texts and avoid is not None and not avoid.empty:
        shapes = avoid.to_crs(gdf.crs).union_all()
        points = gpd.GeoSeries([_inside_but(g, shapes) for g in gdf.geometry], crs=gdf.crs)
    found = gpd.GeoDataFrame({"text": texts}, geometry=points.values, crs=gdf.crs)
    return found[found["text"] != ""]


def label_points(
    spec: LayerSpec,
    gdf: gpd.GeoDataFrame,
    lang: Lang,
    datum: str = "wgs84",
    avoid: gpd.GeoSeries | None = None,
) -> list[list]:
    """[lat, lon, escaped text] of each labelled feature: at a point inside it, in WGS84
    degrees, or GCJ-02 when ``datum`` is 'gcj02' (to sit on a Gaode basemap). None for a tiled
    layer: its labels come with its tiles (layers/tiled.py). ``avoid``: see ``labelled``."""
    if spec.tiles:
        return []
    points = to_wgs84(labelled(spec, gdf, lang, avoid))
    if datum == "gcj02":
        points = shift_gdf(points)
    return [[round(p.y, 6), round(p.x, 6), html.escape(text)]
            for p, text in zip(points.geometry, points["text"], strict=True)]  # fmt: skip


class LabelLayers(MacroElement):
    """The labels of the map's labelled layers, in priority order (first placed first); each
    group is tied to its drawn layer (shown only while that layer is) and has a least zoom."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        if (!document.getElementById("sip-label-style")) {
            var sipLabelStyle = document.createElement("style");
            sipLabelStyle.id = "sip-label-style";
            sipLabelStyle.textContent = {{ this.style|tojson }};
            document.head.appendChild(sipLabelStyle);
        }
        sipPlaceLabels({{ this._parent.get_name() }}, [
        {%- for layer, min_zoom, items in this.groups %}
            {layer: {{ layer.get_name() }}, minZoom: {{ min_zoom }}, items: {{ items|tojson }}},
        {%- endfor %}
        ]);
        {% endmacro %}
        """
    )

    def __init__(self, groups: Sequence[tuple[object, float, list]]):
        super().__init__()
        self._name = "LabelLayers"
        self.groups = list(groups)
        self.style = _STYLE
        self.code = _SCRIPT
