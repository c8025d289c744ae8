"""A layer's atlas style as a QGIS style (QML): its colours, categories and labels.

Written as QGIS writes its own .qml files (``<qgis>`` with ``renderer-v2`` and ``labeling``;
symbol layers as an ``Option`` map, which QGIS 3 reads and writes), so that a GeoPackage's
``layer_styles`` table and a QGIS project open the layer as the planner saw it on the map.
Widths: the map's pixels at 96 dpi (0.2646 mm a pixel).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import geopandas as gpd
from matplotlib.colors import to_rgba

from geo.export import ExportStyle
from layers.registry import Lang, LayerSpec

__all__ = ["QGIS_VERSION", "export_style", "label_field", "qml", "zoom_scale"]

QGIS_VERSION = "3.34.0-Prizren"  # the long-term release whose format this follows
MM_PER_PX = 25.4 / 96
FONT = "Noto Sans CJK SC"  # the CJK font QGIS users in China have (and the atlas' prints use)
_SYMBOL = {"Polygon": ("fill", "SimpleFill"), "LineString": ("line", "SimpleLine"),
           "Point": ("marker", "SimpleMarker")}  # fmt: skip


def _rgba(colour: str, opacity: float = 1.0) -> str:
    """A colour ('#rrggbb' or a name) as QGIS's 'r,g,b,a'."""
    r, g, b, a = (round(255 * v) for v in to_rgba(colour, opacity))
    return f"{r},{g},{b},{a}"


def zoom_scale(zoom: float, lat: float = 31.3) -> float:
    """The map scale (1:N) of a web map ``zoom`` at latitude ``lat`` (degrees) at 96 dpi."""
    metres_per_px = 156_543.033_9 * math.cos(math.radians(lat)) / 2**zoom
    return round(metres_per_px / (MM_PER_PX / 1000))


def label_field(spec: LayerSpec, lang: Lang, columns: list[str]) -> str | None:
    """The column a layer is labelled by in ``lang`` ('name' is name_zh or name_en), if any."""
    if spec.label == "name":
        return next((c for c in (f"name_{lang}", "name_zh", "name_en") if c in columns), None)
    return spec.label if spec.label in columns else None


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    holder = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(holder, "Option", name=name, type="QString", value=value)


def _symbol(parent: ET.Element, spec: LayerSpec, name: str, fill: str) -> None:
    kind, klass = _SYMBOL[spec.geometry_type]
    style = spec.style
    symbol = ET.SubElement(parent, "symbol", type=kind, name=name, alpha="1",
                           clip_to_extent="1", force_rhr="0")  # fmt: skip
    layer = ET.SubElement(symbol, "layer", {"class": klass, "enabled": "1", "locked": "0",
                                            "pass": "0"})  # fmt: skip
    width = f"{style.weight * MM_PER_PX:.2f}"
    dash = {"outline_style": "dash"} if style.dash_array else {"outline_style": "solid"}
    if kind == "fill":
        values = {"color": _rgba(fill, style.fill_opacity), "outline_color": _rgba(style.color),
                  "outline_width": width, "outline_width_unit": "MM",
                  "style": "solid" if style.fill_opacity > 0 else "no", **dash}  # fmt: skip
    elif kind == "line":
        values = {"line_color": _rgba(style.color), "line_width": width,
                  "line_width_unit": "MM",
                  "line_style": "dash" if style.dash_array else "solid"}  # fmt: skip
    else:
        values = {"name": "circle", "color": _rgba(fill, style.fill_opacity),
                  "outline_color": _rgba(style.color), "outline_width": width,
                  "size": f"{2 * style.radius * MM_PER_PX:.2f}", "size_unit": "MM"}  # fmt: skip
    _options(layer, values)


def _renderer(root: ET.Element, spec: LayerSpec, lang: Lang, columns: list[str]) -> None:
    by = spec.style.by if spec.style.by in columns and spec.categories else None
    if by is None:
        renderer = ET.SubElement(root, "renderer-v2", type="singleSymbol", symbollevels="0",
                                 forceraster="0", enableorderby="0")  # fmt: skip
        _symbol(ET.SubElement(renderer, "symbols"), spec, "0", spec.style.fill_color)
        return
    renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=by,
                             symbollevels="0", forceraster="0", enableorderby="0")  # fmt: skip
    categories, symbols = ET.SubElement(renderer, "categories"), ET.Element("symbols")
    for n, category in enumerate(spec.categories):
        ET.SubElement(categories, "category", value=category.value, symbol=str(n),
                      label=getattr(category, lang), render="true")  # fmt: skip
        _symbol(symbols, spec, str(n), category.fill_color)
    renderer.append(symbols)


def _labeling(root: ET.Element, spec: LayerSpec, field: str) -> None:
    labeling = ET.SubElement(root, "labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    text = ET.SubElement(settings, "text-style", fieldName=field, isExpression="0",
                         fontFamily=FONT, fontSize="9", fontSizeUnit="Point",
                         textColor="40,40,40,255", textOpacity="1")  # fmt: skip
    ET.SubElement(text, "text-buffer", bufferDraw="1", bufferSize="1", bufferSizeUnits="MM",
                  bufferColor="255,255,255,255", bufferOpacity="0.8")  # fmt: skip
    # QGIS's placement numbers: 0 around a point, 1 over it (a polygon's centre, kept inside
    # it by centroidInside), 2 along a line
    place = {"Point": "0", "LineString": "2", "Polygon": "1"}[spec.geometry_type]
    ET.SubElement(settings, "placement", placement=place, centroidInside="1", dist="1")
    zoomed = spec.label_min_zoom > 0
    ET.SubElement(settings, "rendering", drawLabels="1", obstacle="1",
                  scaleVisibility="1" if zoomed else "0", scaleMin="0",
                  scaleMax=str(zoom_scale(spec.label_min_zoom)) if zoomed else "0")  # fmt: skip


def qml(spec: LayerSpec, lang: Lang, columns: list[str]) -> str:
    """The layer's style as a QML document: its symbol (or one per category, named in
    ``lang``) and its labels by ``label_field``; ``columns`` are those the data has."""
    field = label_field(spec, lang, columns)
    root = ET.Element("qgis", version=QGIS_VERSION, styleCategories="Symbology|Labeling",
                      labelsEnabled="1" if field else "0")  # fmt: skip
    _renderer(root, spec, lang, columns)
    if field:
        _labeling(root, spec, field)
    ET.SubElement(root, "layerOpacity").text = "1"
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"


def export_style(spec: LayerSpec, gdf: gpd.GeoDataFrame, lang: Lang) -> ExportStyle:
    """What an export carries of the layer's style: its QML (for a GeoPackage's
    ``layer_styles``) and, for a DXF, its category column, colours and label column."""
    columns = [str(c) for c in gdf.columns]
    by = spec.style.by if spec.style.by in columns else None
    if by is None:  # an upload: its mapped land use, else its status
        by = next((c for c in ("land_use", "status") if _has_values(gdf, c)), None)
    numbers = "parcel_id" if _has_values(gdf, "parcel_id") else label_field(spec, lang, columns)
    return ExportStyle(
        qml=qml(spec, lang, columns),
        name=spec.name(lang),
        by=by,
        colours={c.value: c.fill_color for c in spec.categories} if by else {},
        names=spec.category_labels(lang) if by else {},
        colour=spec.style.fill_color if spec.style.fill_opacity > 0 else spec.style.color,
        label=numbers,
    )


def _has_values(gdf: gpd.GeoDataFrame, column: str) -> bool:
    if column not in gdf:
        return False
    values = gdf[column].dropna().astype(str).str.strip()
    return bool((values != "").any())
