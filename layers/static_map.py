"""Print-ready static maps of registry layers: PNG at 300 dpi or vector PDF.

A map layout (title, date, legend, scale bar, north arrow, CRS note, sources), with Chinese
set in Noto Sans CJK SC, which the mplfonts package brings (a fresh machine has no CJK font).
"""

from __future__ import annotations

import math
import socket
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

import geopandas as gpd
import matplotlib
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib_scalebar.scalebar import ScaleBar

from geo.crs import METRIC_CRS, WGS84, to_metric
from geo.settings import workspace_dir
from layers.folium_map import SIP_BOUNDS_WGS84, shown_with_context
from layers.labels import label_avoided, labelled
from layers.legend import ILLUSTRATIVE_NOTE, legend_entries
from layers.registry import Lang, LayerSpec, attributions
from layers.sheet import (
    MARGIN_MM,
    REGION_ATTRIBUTION,
    drawn_box,
    fit_text,
    locator_inset,
    place_labels,
    print_zoom,
    sheet_boxes,
    sheet_table,
)

__all__ = ["PAPER_MM", "cjk_font_family", "render_snapshot", "tiles_reachable"]

PAPER_MM = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape width, height
_TILE_HOST = ("tile.openstreetmap.org", 443)
_TEXT = {
    "legend": {"zh": "图例", "en": "Legend"},
    "date": {"zh": "制图日期：{d}", "en": "Drawn {d}"},
    "crs": {"zh": "坐标系：CGCS2000 / 3度带高斯-克吕格 中央经线120°E（EPSG:4549），米",
            "en": "CRS: CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), metres"},
    "sources": {"zh": "数据来源：sip-atlas 项目（data/SOURCES.md）{data}{extra}",
                "en": "Sources: the sip-atlas project (data/SOURCES.md){data}{extra}"},
    "tiles": {"zh": "；底图 © OpenStreetMap 贡献者",
              "en": "; basemap © OpenStreetMap contributors"},
    "north": {"zh": "北", "en": "N"},
}  # fmt: skip


@cache
def cjk_font_family() -> str:
    """Register Noto Sans CJK SC (shipped by the mplfonts package) and return its family name."""
    path = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def tiles_reachable(timeout_s: float = 2.0) -> bool:
    """Whether the OpenStreetMap tile server answers (False offline)."""
    try:
        with socket.create_connection(_TILE_HOST, timeout=timeout_s):
            return True
    except OSError:
        return False


def _extent(bbox_wgs84, ax_ratio: float) -> tuple[float, float, float, float]:
    """The bbox in EPSG:4549 metres, widened to the axes' width/height ratio, with 3% margin."""
    corners = gpd.GeoSeries(gpd.points_from_xy(bbox_wgs84[::2], bbox_wgs84[1::2]), crs=WGS84)
    (x0, y0), (x1, y1) = [(p.x, p.y) for p in to_metric(corners)]
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 1.06, (y1 - y0) * 1.06
    w, h = max(w, h * ax_ratio), max(h, w / ax_ratio)
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def _draw(ax, spec: LayerSpec, gdf: gpd.GeoDataFrame) -> None:
    if gdf.empty:  # e.g. filtered to nothing: its legend row stays, there is nothing to draw
        return
    metric = to_metric(gdf)
    st = spec.style
    fills = {c.value: c.fill_color for c in spec.categories}
    colours = (metric[st.by].astype(str).map(fills).fillna(st.fill_color)
               if st.by and st.by in metric else st.fill_color)  # fmt: skip
    if spec.geometry_type == "Point":
        ax.scatter(metric.geometry.x, metric.geometry.y, s=(st.radius * 1.6) ** 2, c=colours,
                   edgecolors=st.color if st.color != "#ffffff" else "#333333", linewidths=0.6,
                   zorder=5)  # fmt: skip
        return
    metric.plot(ax=ax, facecolor=colours if st.fill_opacity > 0 else "none", edgecolor=st.color,
                linewidth=st.weight * 0.6, alpha=None, linestyle="--" if st.dash_array else "-",
                zorder=2)  # fmt: skip
    if st.fill_opacity > 0:
        for collection in ax.collections[-1:]:
            collection.set_alpha(min(1.0, st.fill_opacity + 0.15))


def _handles(specs: Sequence[LayerSpec], lang: Lang) -> list:
    handles = []
    for entry in legend_entries(specs, lang):
        label = ("    " if entry.indent else "") + entry.label
        if entry.symbol == "line":
            handles.append(Line2D([], [], color=entry.color, linestyle="--", label=label))
        elif entry.symbol == "circle":
            handles.append(Line2D([], [], marker="o", linestyle="", markersize=8, label=label,
                                  markerfacecolor=entry.fill_color,
                                  markeredgecolor="#333333"))  # fmt: skip
        else:
            handles.append(Patch(facecolor=entry.fill_color, edgecolor=entry.color, label=label,
                                 alpha=min(1.0, entry.fill_opacity + 0.15)))  # fmt: skip
    return handles


def round_length_m(most_m: float) -> float:
    """The longest round length (1, 2 or 5 times a power of ten metres) up to ``most_m``: what
    a scale bar shows (it showed an odd 750 m)."""
    power = 10 ** math.floor(math.log10(most_m))
    return max(step * power for step in (1, 2, 5) if step * power <= most_m)


def _label_points(drawn, zoom: float, lang: Lang, extent) -> list[tuple[float, float, str]]:
    """(x, y, text) in EPSG:4549 of the labels of layers whose labels show at ``zoom``, inside
    the map's ``extent`` (x0, x1, y0, y1)."""
    x0, x1, y0, y1 = extent
    points = []
    for spec, gdf in drawn:
        if spec.label_min_zoom <= zoom:
            found = to_metric(labelled(spec, gdf, lang, label_avoided(spec, drawn)))
            found = found.cx[x0:x1, y0:y1]
            points += list(zip(found.geometry.x, found.geometry.y, found["text"], strict=True))
    return points


def _legend(fig, box: list[float], specs: Sequence[LayerSpec], lang: Lang, renderer):
    """The legend in ``box`` (figure fractions), one column so that a layer's classes stay
    together; its font shrinks until it fits the box."""
    legend_ax = fig.add_axes(box)
    legend_ax.axis("off")
    room = legend_ax.get_window_extent(renderer)
    size = 8.0
    while True:
        legend = legend_ax.legend(handles=_handles(specs, lang), loc="upper left",
                                  title=_TEXT["legend"][lang], fontsize=size,
                                  title_fontsize=size + 2, frameon=False, ncol=1,
                                  borderaxespad=0, alignment="left")  # fmt: skip
        extent = legend.get_window_extent(renderer)
        if (extent.height <= room.height and extent.width <= room.width) or size <= 4.5:
            return legend
        size *= 0.92


def render_snapshot(
    layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
    out: Path,
    *,
    title: str,
    subtitle: str = "",
    visible: set[str] | None = None,
    bbox_wgs84: tuple[float, float, float, float] = SIP_BOUNDS_WGS84,
    paper: str = "A4",
    orientation: str = "landscape",
    lang: Lang = "zh",
    tiles: bool | None = None,
    dpi: int = 300,
    table: tuple[str, pd.DataFrame] | None = None,
) -> dict:
    """Draw the visible layers into a map layout and save it as ``out`` (.png or .pdf).

    ``bbox_wgs84`` is the map's extent in lon/lat degrees (EPSG:4326); the map is drawn in
    EPSG:4549 so that the scale bar is true. ``tiles`` None means: OpenStreetMap tiles when the
    tile server answers, else the park's own context layers on a plain background.
    ``table`` (a title and a DataFrame) puts a statistics table on the sheet.
    Returns what was drawn: size in pixels, dpi, the basemap used, the layers, the labels and
    the box each part of the sheet covers (pixels from the bottom left).
    """
    width_mm, height_mm = PAPER_MM[paper]
    if orientation == "portrait":
        width_mm, height_mm = height_mm, width_mm
    family = cjk_font_family()
    chosen = {s.id for s, _ in layers if s.visible} if visible is None else set(visible)
    use_tiles = tiles_reachable() if tiles is None else tiles
    # text.parse_math off: a title or layer name with $...$ is text, not TeX to typeset
    with plt.rc_context({"font.family": [family, "DejaVu Sans"], "pdf.fonttype": 42,
                         "axes.unicode_minus": False, "text.parse_math": False}):  # fmt: skip
        fig = plt.figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=dpi)
        boxes = sheet_boxes(width_mm, height_mm, orientation == "landscape", table is not None)
        ax = fig.add_axes(boxes["map"])
        ratio = (boxes["map"][2] * width_mm) / (boxes["map"][3] * height_mm)
        x0, x1, y0, y1 = _extent(bbox_wgs84, ratio)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("#f4f3ef")
        basemap = "context"
        if use_tiles:
            try:
                import contextily

                contextily.set_cache_dir(str(workspace_dir() / "tile-cache"))
                source = contextily.providers.OpenStreetMap.Mapnik
                contextily.add_basemap(ax, crs=METRIC_CRS, attribution=False, source=source)
                basemap = "tiles"
            except Exception:  # any tile failure falls back to the context layers
                basemap = "context"
        shown = shown_with_context((s for s, _ in layers), chosen, basemap == "tiles")
        drawn = [(s, g) for s, g in layers if s.id in shown]
        for spec, gdf in drawn:
            _draw(ax, spec, gdf)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("")
        ax.set_ylabel("")
        zoom = print_zoom((x0, x1, y0, y1), boxes["map"][2] * width_mm)
        names = place_labels(ax, _label_points(drawn, zoom, lang, (x0, x1, y0, y1)))
        scale_m = round_length_m(0.2 * (x1 - x0))
        metres = scale_m < 1000
        ax.add_artist(ScaleBar(1, units="m", location="lower left", box_alpha=0.8,
                               fixed_value=scale_m if metres else scale_m / 1000,
                               fixed_units="m" if metres else "km",
                               scale_formatter=lambda value, unit: f"{value:g} {unit}",
                               font_properties={"family": family, "size": 8}))  # fmt: skip
        ax.annotate(_TEXT["north"][lang], xy=(0.95, 0.95), xytext=(0.95, 0.86),
                    xycoords="axes fraction", ha="center", va="center", fontsize=12,
                    arrowprops={"facecolor": "black", "width": 4, "headwidth": 12})  # fmt: skip
        locator = fig.add_axes(boxes["locator"])
        locator_inset(locator, (x0, x1, y0, y1), lang, size_pt=6.5)
        renderer = fig.canvas.get_renderer()
        inner_px = (width_mm - 2 * MARGIN_MM) / 25.4 * dpi
        top, left = 1 - MARGIN_MM / height_mm, MARGIN_MM / width_mm
        texts = {"title": fig.text(left, top, title, fontsize=19, va="top")}
        if subtitle:
            texts["subtitle"] = fig.text(left, top - 9.5 / height_mm, subtitle, fontsize=10.5,
                                         va="top", color="#444444")  # fmt: skip
        for text in texts.values():
            fit_text(text, inner_px, renderer)
        day = _TEXT["date"][lang].format(d=date.today().isoformat())
        texts["date"] = fig.text(1 - left, MARGIN_MM / height_mm, day, fontsize=7.5,
                                 va="bottom", ha="right", color="#444444")  # fmt: skip
        extra = _TEXT["tiles"][lang] if basemap == "tiles" else ""
        data = "".join(f"; {a}" for a in attributions(s for s, _ in drawn))
        if REGION_ATTRIBUTION not in data:
            data += f"; {REGION_ATTRIBUTION}"
        notes = [_TEXT["crs"][lang], _TEXT["sources"][lang].format(data=data, extra=extra)]
        if any(s.illustrative for s, _ in drawn):
            notes.append(ILLUSTRATIVE_NOTE[lang])
        texts["notes"] = fig.text(left, MARGIN_MM / height_mm, "\n".join(notes), fontsize=7.5,
                                  va="bottom", color="#333333")  # fmt: skip
        date_px = texts["date"].get_window_extent(renderer).width
        fit_text(texts["notes"], inner_px - date_px - 5 / 25.4 * dpi, renderer, smallest_pt=4.5)
        legend = _legend(fig, boxes["legend"], [s for s, _ in drawn], lang, renderer)
        table_ax = sheet_table(fig, boxes["table"], *table, renderer) if table else None
        fig.canvas.draw()
        drawn_boxes = {name: drawn_box(text, renderer) for name, text in texts.items()}
        label_boxes = [drawn_box(name, renderer) for name in names]
        if table_ax is not None:
            drawn_boxes["table"] = drawn_box(table_ax, renderer, tight=True)
        locator_labels = [drawn_box(name, renderer) for name in locator.sip_names]
        drawn_boxes |= {"map": drawn_box(ax, renderer), "legend": drawn_box(legend, renderer),
                        "locator": drawn_box(locator, renderer, tight=True)}  # fmt: skip
        # columns the legend's rows were set in, as drawn (one: a layer's classes stay together)
        columns = len({round(t.get_window_extent(renderer).x0) for t in legend.get_texts()})
        fig.savefig(out, dpi=dpi)
        pixels = fig.canvas.get_width_height(physical=True)
        plt.close(fig)
    return {"path": str(out), "width_px": pixels[0], "height_px": pixels[1], "dpi": dpi,
            "paper": paper, "orientation": orientation, "basemap": basemap,
            "layers": [s.id for s, _ in drawn], "boxes": drawn_boxes,
            "labels": [n.get_text() for n in names], "label_boxes": label_boxes,
            "legend_columns": columns, "scale_m": scale_m,
            "table_pt": getattr(table_ax, "sip_font_pt", None),
            "locator_label_boxes": locator_labels}  # fmt: skip
