"""Proposal snapshots: a static map (PNG, PDF) or a self-contained interactive page (HTML)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import SipAtlasError
from layers.folium_map import SIP_BOUNDS_WGS84, build_map
from layers.registry import Lang, LayerSpec
from layers.static_map import render_snapshot, tiles_reachable

__all__ = ["SNAPSHOT_FORMATS", "write_snapshot"]

SNAPSHOT_FORMATS = (".png", ".pdf", ".html")


def write_snapshot(
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
    table: tuple[str, pd.DataFrame] | None = None,
) -> dict:
    """Write a snapshot of the visible layers to ``out``; the extension picks the kind.

    PNG is drawn at 300 dpi, PDF as vector; HTML is one file with Leaflet and the data inlined
    that opens offline (only its basemap tiles need the internet). ``bbox_wgs84`` is the extent
    in lon/lat degrees (EPSG:4326); ``table`` (title, DataFrame) puts a statistics table on a
    PNG or PDF sheet. Returns what was written.
    """
    out = Path(out)
    ext = out.suffix.lower()
    if ext not in SNAPSHOT_FORMATS:
        msg = f"Cannot make a snapshot as {out.name}: use .png, .pdf or .html."
        raise SipAtlasError(msg)
    minx, miny, maxx, maxy = bbox_wgs84
    in_range = minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90
    if not (minx < maxx and miny < maxy and in_range):
        msg = f"--bbox {bbox_wgs84} is not minx,miny,maxx,maxy in lon/lat degrees."
        raise SipAtlasError(msg)
    if ext == ".html":
        use_tiles = tiles_reachable() if tiles is None else tiles
        fmap = build_map(layers, lang=lang, basemap_id="osm" if use_tiles else "none",
                         visible=visible, bounds_wgs84=bbox_wgs84, title=title,
                         subtitle=subtitle)  # fmt: skip
        fmap.get_root().title = html.escape(title)  # the page's <title>: text, not markup
        out.write_text(fmap.get_root().render(), encoding="utf-8")
        return {"path": str(out), "format": "html", "bytes": out.stat().st_size,
                "basemap": "tiles" if use_tiles else "context"}  # fmt: skip
    return render_snapshot(
        layers, out, title=title, subtitle=subtitle, visible=visible, bbox_wgs84=bbox_wgs84,
        paper=paper, orientation=orientation, lang=lang, tiles=tiles, table=table,
    )  # fmt: skip
