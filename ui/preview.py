"""Finding an upload on the map: the preview layer (and, for lon/lat data, where it would lie
read in the other datum), and zooming the map to a layer, once, when asked or when an upload
is first previewed or saved."""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import streamlit as st

from geo.crs import SUZHOU_BOX_WGS84, to_wgs84
from geo.gcj02 import gcj02_to_wgs84, shift_gdf, wgs84_to_gcj02
from geo.uploads.ingest import IngestResult
from layers.i18n import t
from layers.registry import Lang, LayerSpec, Style
from layers.uploads import upload_spec

__all__ = ["preview_layers", "request_zoom", "take_zoom", "zoom_control"]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]
_ZOOM = "zoom_request"  # bounds (lon/lat) the next map opens on, once
_ZOOMED = "preview_zoomed"  # the preview the map last zoomed to
_SHIFTED = "preview_shifted"  # (the preview, where the other datum puts it)
_OTHER = Style(color="#c51b7d", weight=2, fill_color="#c51b7d", fill_opacity=0.0,
               dash_array="6 4", class_name="sip-preview-other", interactive=False)  # fmt: skip


def request_zoom(bounds_wgs84: Sequence[float]) -> None:
    """Open the next map on ``bounds_wgs84`` (min lon, min lat, max lon, max lat, EPSG:4326)."""
    minx, miny, maxx, maxy = (float(v) for v in bounds_wgs84)
    if all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):  # NaN: an empty layer
        pad = 0.15 * max(maxx - minx, maxy - miny, 0.002)  # some of the park around it
        st.session_state[_ZOOM] = (minx - pad, miny - pad, maxx + pad, maxy + pad)


def take_zoom() -> tuple[float, float, float, float] | None:
    """The bounds asked for by ``request_zoom``, once (the map after it keeps its own view)."""
    return st.session_state.pop(_ZOOM, None)


def _other_position(result: IngestResult) -> tuple[str, gpd.GeoDataFrame] | None:
    """For lon/lat data in Suzhou: the other reading's datum name and the features there
    (read as plain lon/lat: where GCJ-02 would put them; converted from GCJ-02: where they lie
    unconverted)."""
    crs = result.report.crs
    if crs.name not in ("EPSG:4326", "EPSG:4490") or crs.datum not in ("", "gcj02"):
        return None
    minx, miny, maxx, maxy = result.report.bbox_wgs84
    x0, y0, x1, y1 = SUZHOU_BOX_WGS84
    if not (x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1):
        return None
    if crs.datum == "gcj02":
        return "WGS84", shift_gdf(result.gdf, wgs84_to_gcj02)
    return "GCJ-02", shift_gdf(result.gdf, gcj02_to_wgs84)


def preview_layers(
    drawn: list, shown: set[str], preview: IngestResult | None, lang: Lang
) -> tuple[list, set[str]]:
    """The drawn layers and shown ids, with the upload being inspected as a preview layer and,
    for lon/lat data in Suzhou, a dashed outline of where it lies read in the other datum (so
    that a planner can see which one fits the park). The map zooms to a new preview once."""
    if preview is None:
        return drawn, shown
    report = preview.report
    entry = {"id": "preview", "name": t("preview_layer", lang, name=preview.source.label),
             **report.entry_fields()}  # fmt: skip
    spec = upload_spec(entry, len(drawn), list(preview.gdf.columns))
    layers, ids = [*drawn, (spec, preview.gdf)], shown | {"preview"}
    seen = (report.source, report.crs.name, report.crs.datum, tuple(report.bbox_wgs84))
    kept = st.session_state.get(_SHIFTED)
    if kept is None or kept[0] != seen:  # shifted once a preview, not on every rerun
        kept = st.session_state[_SHIFTED] = (seen, _other_position(preview))
    other = kept[1]
    if other is not None:
        datum, gdf = other
        names = (t("preview_other", "zh", datum=datum), t("preview_other", "en", datum=datum))
        other_spec = LayerSpec(
            id="preview_other", file="", name_zh=names[0], name_en=names[1], group="analysis",
            geometry_type=spec.geometry_type, schema={"id": "str"}, style=_OTHER,
            tooltip=("id",), popup=("id",),
        )  # fmt: skip
        layers.append((other_spec, gdf[["id", gdf.geometry.name]]))
        ids = ids | {"preview_other"}
    if st.session_state.get(_ZOOMED) != seen:
        st.session_state[_ZOOMED] = seen
        request_zoom(report.bbox_wgs84)
    return layers, ids


def layer_bounds(layers: Layers, layer_id: str | None) -> tuple | None:
    """The WGS84 bounds (minx, miny, maxx, maxy, degrees) of the layer ``layer_id`` among
    ``layers``; None where it is not there (gone since the choice was offered) or empty."""
    gdf = next((g for s, g in layers if s.id == layer_id), None)
    if gdf is None or gdf.empty:
        return None
    return tuple(to_wgs84(gdf).total_bounds)


def zoom_control(layers: Layers, shown: set[str], lang: Lang) -> None:
    """The sidebar's "zoom to layer": choosing a shown layer opens the map on it."""
    ids = [s.id for s, g in layers if s.id in shown and not g.empty and s.group != "context"]
    names = {s.id: s.name(lang) for s, _ in layers}

    def zoom() -> None:
        if (bounds := layer_bounds(layers, st.session_state.get("zoom_layer"))) is not None:
            request_zoom(bounds)
        st.session_state["zoom_layer"] = ""

    st.sidebar.selectbox(
        t("zoom_to_layer", lang), ["", *ids], key="zoom_layer", on_change=zoom,
        format_func=lambda i: names.get(i, i) if i else t("zoom_choose", lang),
    )  # fmt: skip
