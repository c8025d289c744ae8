"""Proposal snapshots: a static map (PNG, PDF) or a self-contained interactive page (HTML)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import to_wgs84
from geo.errors import SipAtlasError
from geo.tile_source import overview_of
from layers.folium_map import SIP_BOUNDS_WGS84, build_map
from layers.i18n import t
from layers.registry import Lang, LayerSpec
from layers.static_map import render_snapshot, tiles_reachable

__all__ = ["EMBED_LIMIT", "SNAPSHOT_FORMATS", "embeddable", "write_snapshot"]

SNAPSHOT_FORMATS = (".png", ".pdf", ".html")
EMBED_LIMIT = 100_000  # features of one layer a snapshot carries (an HTML page of ~14 MB)


def embeddable(
    layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]], visible: set[str] | None,
    bbox_wgs84: tuple[float, float, float, float], lang: Lang,
) -> tuple[list[tuple[LayerSpec, gpd.GeoDataFrame]], list[dict]]:  # fmt: skip
    """The layers as a snapshot can carry them, and what was done to which: a tiled layer (one
    drawn from the server's tiles, which a file cannot reach) keeps its features within the
    extent (``bbox_wgs84``, lon/lat degrees) when they are at most ``EMBED_LIMIT``; with more,
    its overview (features merged by class on a grid, as the map shows below zoom 11) stands
    in. Each note has the layer, how many features, what was embedded and a sentence."""
    out, notes = [], []
    minx, miny, maxx, maxy = bbox_wgs84
    for spec, gdf in layers:
        if not spec.tiles or (visible is not None and spec.id not in visible):
            out.append((spec, gdf))
            continue
        inside = to_wgs84(gdf).cx[minx:maxx, miny:maxy]
        if len(inside) <= EMBED_LIMIT:
            out.append((replace(spec, tiles=0), gdf.loc[inside.index]))
            notes.append({"layer": spec.id, "features": len(inside), "embedded": "features",
                          "note": t("snap_embedded", lang, name=spec.name(lang),
                                    n=len(inside))})  # fmt: skip
            continue
        overview = to_wgs84(overview_of(inside, spec.style.by)).rename(columns={"_c": "id"})
        style = replace(spec.style, interactive=False)
        out.append((replace(spec, tiles=0, style=style, tooltip=(), popup=(), label=None),
                    overview))  # fmt: skip
        notes.append({"layer": spec.id, "features": len(inside), "embedded": "overview",
                      "note": t("snap_overview", lang, name=spec.name(lang), n=len(inside),
                                limit=EMBED_LIMIT)})  # fmt: skip
    return out, notes


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
    layers, notes = embeddable(layers, visible, bbox_wgs84, lang)
    said = " ".join(n["note"] for n in notes)
    subtitle = f"{subtitle} {said}".strip() if said else subtitle  # said on the map itself
    if ext == ".html":
        use_tiles = tiles_reachable() if tiles is None else tiles
        fmap = build_map(layers, lang=lang, basemap_id="osm" if use_tiles else "none",
                         visible=visible, bounds_wgs84=bbox_wgs84, title=title,
                         subtitle=subtitle)  # fmt: skip
        fmap.get_root().title = html.escape(title)  # the page's <title>: text, not markup
        out.write_text(fmap.get_root().render(), encoding="utf-8")
        return {"path": str(out), "format": "html", "bytes": out.stat().st_size,
                "basemap": "tiles" if use_tiles else "context", "large_layers": notes}  # fmt: skip
    written = render_snapshot(
        layers, out, title=title, subtitle=subtitle, visible=visible, bbox_wgs84=bbox_wgs84,
        paper=paper, orientation=orientation, lang=lang, tiles=tiles, table=table,
    )  # fmt: skip
    return {**written, "large_layers": notes}
