"""The printed sheet's layout: where the map, legend and locator go on a paper size, text that
shrinks to fit its room, and the locator inset (the park in its region).

Boxes are worked out in millimetres from the paper's edges, so that no part of the sheet
covers another in any size or orientation; ``render_snapshot`` reports the boxes it drew.
"""

from __future__ import annotations

import math
from functools import cache

import geopandas as gpd
from matplotlib import patheffects
from matplotlib.patches import Rectangle

from geo.crs import to_metric
from geo.settings import data_dir
from layers.registry import Lang

__all__ = [
    "MARGIN_MM",
    "REGION_ATTRIBUTION",
    "drawn_box",
    "fit_text",
    "locator_inset",
    "sheet_boxes",
]

MARGIN_MM = 10.0
HEAD_MM = 17.0  # title and subtitle
FOOT_MM = 13.0  # notes and the date
GAP_MM = 5.0
_REGION = {"zh": "区位", "en": "Location"}
_PARK = {"zh": "苏州工业园区", "en": "SIP"}


def sheet_boxes(
    width_mm: float, height_mm: float, landscape: bool, table: bool = False
) -> dict[str, list[float]]:
    """The map, legend, locator (and statistics ``table``) boxes as figure fractions [x, y,
    width, height]: beside the map on landscape paper, in a band under it on portrait."""
    m, g = MARGIN_MM, GAP_MM
    bottom = m + FOOT_MM + g
    body_h = height_mm - m - HEAD_MM - g - bottom
    inner_w = width_mm - 2 * m
    if landscape:
        side_w = max(62.0, inner_w * 0.24)
        inset_h = min(side_w * 0.8, body_h * 0.4)
        side_x = width_mm - m - side_w
        legend_y = bottom + inset_h + g
        boxes = {"map": (m, bottom, inner_w - side_w - g, body_h),
                 "locator": (side_x, bottom, side_w, inset_h),
                 "legend": (side_x, legend_y, side_w, body_h - inset_h - g)}  # fmt: skip
        if table:  # the legend's upper part keeps the legend, the lower takes the table
            room = body_h - inset_h - g
            boxes["table"] = (side_x, legend_y, side_w, room * 0.48)
            boxes["legend"] = (side_x, legend_y + room * 0.48 + g, side_w, room * 0.52 - g)
    else:
        band_h = body_h * 0.36
        inset_w = min(band_h * 1.25, inner_w * 0.4)
        legend_w = inner_w - inset_w - g
        boxes = {"map": (m, bottom + band_h + g, inner_w, body_h - band_h - g),
                 "legend": (m, bottom, legend_w, band_h),
                 "locator": (width_mm - m - inset_w, bottom, inset_w, band_h)}  # fmt: skip
        if table:  # the band's middle takes the table
            boxes["legend"] = (m, bottom, legend_w * 0.45, band_h)
            boxes["table"] = (m + legend_w * 0.45 + g, bottom, legend_w * 0.55 - g, band_h)
    return {k: [x / width_mm, y / height_mm, w / width_mm, h / height_mm]
            for k, (x, y, w, h) in boxes.items()}  # fmt: skip


def fit_text(artist, max_width_px: float, renderer, smallest_pt: float = 5.0) -> None:
    """Shrink a text ``artist``'s font until it is at most ``max_width_px`` wide (a long title
    on portrait paper), not below ``smallest_pt``."""
    while (artist.get_window_extent(renderer).width > max_width_px
           and artist.get_fontsize() > smallest_pt):  # fmt: skip
        artist.set_fontsize(artist.get_fontsize() * 0.92)


def drawn_box(artist, renderer, *, tight: bool = False) -> list[float]:
    """What ``artist`` covers on the sheet: [x0, y0, x1, y1] in pixels from the bottom left;
    ``tight`` for an axes with what it draws outside its frame (a title)."""
    box = artist.get_tightbbox(renderer) if tight else artist.get_window_extent(renderer)
    return [round(float(v), 1) for v in (box.x0, box.y0, box.x1, box.y1)]


def print_zoom(extent: tuple[float, float, float, float], width_mm: float) -> float:
    """The web-map zoom a printed map of ``extent`` (x0, x1, y0, y1, EPSG:4549 metres) that is
    ``width_mm`` wide reads like (96 dpi screen pixels), to pick the labels that fit."""
    metres_per_px = (extent[1] - extent[0]) / (width_mm / 25.4 * 96)
    return math.log2(156_543.03 * math.cos(math.radians(31.3)) / metres_per_px)


def place_labels(ax, points: list[tuple[float, float, str]], size_pt: float = 7.0) -> list:
    """Names at their points (EPSG:4549 metres) placed by textalloc so that none covers
    another; one that finds no free place is left out. Returns the drawn text artists."""
    if not points:
        return []
    import textalloc

    xs, ys, texts = zip(*points, strict=True)
    _, _, drawn, _ = textalloc.allocate(
        ax, list(xs), list(ys), list(texts), x_scatter=list(xs), y_scatter=list(ys),
        textsize=size_pt, draw_lines=False, draw_all=False, margin=0.004, min_distance=0.0,
        max_distance=0.04, nbr_candidates=100, textcolor="#1a1a1a", zorder=10,
        path_effects=[patheffects.withStroke(linewidth=2, foreground="white")],
    )  # fmt: skip
    return [text for text in drawn if text is not None]


_MAX_TABLE_ROWS = 14


def sheet_table(fig, box: list[float], title: str, table, renderer, size_pt: float = 7.0):
    """A statistics ``table`` (a DataFrame) titled ``title`` in ``box``, set at ``size_pt``
    (7 pt: readable on A4): the columns that do not fit are left out from the right (the
    first, the group, stays) and the rows that do not fit end in '…'. Returns the axes it is
    drawn on, with ``sip_font_pt`` and ``sip_shown`` (rows, columns) set."""
    x, y, w, h = box
    title_frac = (size_pt + 1.5) * 2.2 / 72 / fig.get_size_inches()[1]  # the title's room
    ax = fig.add_axes([x, y, w, h - title_frac])
    room = ax.get_window_extent(renderer)
    rows, columns = min(len(table), _MAX_TABLE_ROWS), table.shape[1]
    while True:
        shown = table.iloc[:rows, :columns]
        cells = [[f"{v:,.2f}" if isinstance(v, float) else str(v) for v in row]
                 for row in shown.itertuples(index=False)]  # fmt: skip
        if len(table) > rows:
            cells.append(["…"] * columns)
        ax.clear()
        ax.axis("off")
        ax.set_title(title, fontsize=size_pt + 1.5, loc="left", pad=3)
        drawn = ax.table(cellText=cells, colLabels=[str(c) for c in shown.columns],
                         loc="upper left", cellLoc="left", edges="horizontal")  # fmt: skip
        drawn.auto_set_font_size(False)
        drawn.set_fontsize(size_pt)
        drawn.auto_set_column_width(list(range(columns)))
        extent = drawn.get_window_extent(renderer)  # the title has its room above the axes
        if extent.width > room.width and columns > 1:
            columns -= 1
        elif extent.height > room.height and rows > 1:
            rows -= 1
        else:
            ax.sip_font_pt, ax.sip_shown = size_pt, (rows, columns)
            return ax


@cache
def _region() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Taihu and Yangcheng Lake (GSHHG, data/region.geojson) and the park's outline, EPSG:4549."""
    lakes = to_metric(gpd.read_file(data_dir() / "region.geojson", engine="pyogrio"))
    park = to_metric(gpd.read_file(data_dir() / "sip_boundary.geojson", engine="pyogrio"))
    return lakes, park


REGION_ATTRIBUTION = "GSHHG 2.3.6, Wessel & Smith 1996 (LGPL-3.0)"


def locator_inset(
    ax, extent: tuple[float, float, float, float], lang: Lang, size_pt: float
) -> None:
    """Draw the locator on ``ax``: the region's great lakes, the park and a frame round the
    main map's ``extent`` (x0, x1, y0, y1 in EPSG:4549 metres); names at ``size_pt``."""
    lakes, park = _region()
    lakes.plot(ax=ax, facecolor="#c6dbef", edgecolor="#6baed6", linewidth=0.4)
    park.plot(ax=ax, facecolor="#fdd0a2", edgecolor="#d94801", linewidth=0.6)
    x0, x1, y0, y1 = extent
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#a50f15",
                           linewidth=0.9))  # fmt: skip
    px0, py0, px1, _ = park.total_bounds
    bx0, by0, bx1, by1 = lakes.total_bounds
    bx0, by0 = min(bx0, px0, x0), min(by0, py0, y0)
    bx1, by1 = max(bx1, px1, x1), max(by1, park.total_bounds[3], y1)
    pad = 0.06 * max(bx1 - bx0, by1 - by0)
    ax.set_xlim(bx0 - pad, bx1 + pad)
    ax.set_ylim(by0 - pad, by1 + pad)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(_REGION[lang], fontsize=size_pt + 1, loc="left", pad=2)
    names = [ax.text(p.x, p.y, lake[f"name_{lang}"], fontsize=size_pt, ha="center",
                     va="center", color="#08519c")
             for p, (_, lake) in zip(lakes.geometry.representative_point(), lakes.iterrows(),
                                     strict=True)]  # fmt: skip
    names.append(ax.text((px0 + px1) / 2, py0, _PARK[lang], fontsize=size_pt, ha="center",
                         va="top", color="#7f2704"))  # fmt: skip
    for name in names:
        _keep_inside(ax, name)
    ax.sip_names = names


def _keep_inside(ax, text, pad_px: float = 2.0) -> None:
    """Move ``text`` (and if need be shrink it) so that it lies inside ``ax``: "Yangcheng
    Lake" ran over the locator's edge in English."""
    renderer = ax.figure.canvas.get_renderer()
    ax.apply_aspect()  # the box the equal aspect leaves, not the one first given
    frame = ax.get_window_extent(renderer)
    while True:
        box = text.get_window_extent(renderer)
        if box.width <= frame.width - 2 * pad_px or text.get_fontsize() <= 4:
            break
        text.set_fontsize(text.get_fontsize() * 0.9)
    dx = max(0.0, frame.x0 + pad_px - box.x0) - max(0.0, box.x1 - (frame.x1 - pad_px))
    dy = max(0.0, frame.y0 + pad_px - box.y0) - max(0.0, box.y1 - (frame.y1 - pad_px))
    if dx or dy:
        x, y = ax.transData.transform(text.get_position())
        text.set_position(ax.transData.inverted().transform((x + dx, y + dy)))
