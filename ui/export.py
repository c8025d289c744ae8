"""The export panel: proposal snapshots (PNG, PDF, HTML), layer data (GPKG with its QGIS
style, GeoJSON, zipped shapefile, CSV, DXF) and the shown layers as a QGIS project."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.crs import WGS84, to_metric, to_wgs84
from geo.errors import SipAtlasError
from geo.export import EXPORT_FORMATS, export_layer
from geo.settings import default_basemap
from layers.basemaps import basemap
from layers.folium_map import SIP_BOUNDS_WGS84, stacked
from layers.i18n import download_name, t, t_md
from layers.qgis_project import write_qgis_project
from layers.qgis_style import export_style
from layers.registry import Lang, LayerSpec, with_role
from layers.snapshot import SNAPSHOT_FORMATS, write_snapshot
from ui.errors import show_error
from ui.relabel import relabelled

__all__ = ["export_panel"]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]
_MIME = {".png": "image/png", ".pdf": "application/pdf", ".html": "text/html",
         ".gpkg": "application/geopackage+sqlite3", ".geojson": "application/geo+json",
         ".zip": "application/zip", ".csv": "text/csv", ".dxf": "image/vnd.dxf"}  # fmt: skip


def _extent(choice: str, layers: Layers, shown: set[str], picked) -> tuple:
    if choice == "extent_layers":
        frames = [to_wgs84(g).total_bounds for s, g in layers if s.id in shown and len(g)]
        if frames:
            return (min(f[0] for f in frames), min(f[1] for f in frames),
                    max(f[2] for f in frames), max(f[3] for f in frames))  # fmt: skip
    if choice == "extent_picked" and picked is not None:
        _, row = picked
        around = to_metric(gpd.GeoSeries([row.geometry], crs=WGS84)).buffer(1500)
        return tuple(to_wgs84(around).total_bounds)
    return SIP_BOUNDS_WGS84


def _offer(key: str, path: Path, title: str) -> None:
    """Keep the made file's bytes in the session and offer them for download, named by
    ``title`` and the day."""
    st.session_state[key] = (download_name(title, path.suffix), path.read_bytes())


def _download(key: str, lang: Lang) -> None:
    if key in st.session_state:
        name, data = st.session_state[key]
        st.download_button(t("download", lang, name=name), data, file_name=name,
                           mime=_MIME[Path(name).suffix], key=f"dl_{key}")  # fmt: skip


def export_panel(
    layers: Layers, shown: set[str], filtered: dict, picked, lang: Lang, table=None
) -> None:
    """Snapshot and data downloads; data of the analysed layer follows the Analysis filters;
    ``table`` (title, DataFrame: the analysis' overlay table) may go on a printed sheet."""
    st.subheader(t("snapshot_title", lang))
    cols = st.columns(2)
    title = cols[0].text_input(t("map_title", lang), t("title", lang), key="snap_title")
    subtitle = cols[1].text_input(t("map_subtitle", lang), "", key="snap_subtitle")
    cols = st.columns(4)
    paper = cols[0].radio(t("paper", lang), ["A4", "A3"], horizontal=True, key="snap_paper")
    orientation = cols[1].radio(
        t("orientation", lang),
        ["landscape", "portrait"],
        horizontal=True,
        key=relabelled("snap_orient"),
        format_func=lambda o: t(o, lang),
    )
    fmt = cols[2].radio(t("format", lang), list(SNAPSHOT_FORMATS), horizontal=True, key="snap_fmt")
    extent = cols[3].selectbox(
        t("extent", lang),
        ["extent_park", "extent_layers", "extent_picked"],
        key=relabelled("snap_extent"),
        format_func=lambda e: t(e, lang),
    )
    with_table = st.checkbox(t("snapshot_table", lang), key="snap_table",
                             disabled=table is None or fmt == ".html")  # fmt: skip
    drawn = [(s, filtered.get(s.id, g)) for s, g in layers]
    if st.button(t("prepare", lang), key="snap_make"):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"sip-atlas-map{fmt}"
            try:
                with st.spinner("…"):
                    write_snapshot(drawn, out, title=title, subtitle=subtitle, visible=shown,
                                   bbox_wgs84=_extent(extent, drawn, shown, picked), paper=paper,
                                   orientation=orientation, lang=lang,
                                   table=table if with_table else None)  # fmt: skip
                _offer("snapshot_file", out, title)
            except SipAtlasError as exc:
                show_error("export_error", lang, exc)
    _download("snapshot_file", lang)

    st.subheader(t("data_title", lang))
    ids = [s.id for s, _ in layers if s.group != "analysis"]
    names = {s.id: s.name(lang) for s, _ in layers}
    cols = st.columns(3)
    parcels = [i for i in with_role((s for s, _ in layers), "parcels") if i in ids]
    start = ids.index(parcels[0]) if parcels else 0
    layer_id = cols[0].selectbox(
        t("data_layer", lang), ids, index=start, key=relabelled("data_layer"), format_func=names.get
    )
    ext = cols[1].radio(t("format", lang), list(EXPORT_FORMATS), horizontal=True, key="data_fmt")
    encoding = cols[2].radio(t("data_encoding", lang), ["utf-8", "gbk"], horizontal=True,
                             key="data_enc", disabled=ext != ".zip")  # fmt: skip
    gdf = next(g for s, g in drawn if s.id == layer_id)
    if layer_id in filtered:
        st.caption(t("data_filtered", lang, n=len(gdf)))
    if ext in (".dxf", ".gpkg"):
        st.caption(t(f"data_{ext[1:]}", lang))
    if st.button(t("prepare", lang), key="data_make"):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{layer_id}{ext}"
            try:
                spec = next(s for s, _ in drawn if s.id == layer_id)
                info = export_layer(gdf, out, encoding=encoding, name=layer_id,
                                    attribution="; ".join(spec.attribution),
                                    style=export_style(spec, gdf, lang))  # fmt: skip
                _offer("data_file", out, spec.name(lang))
                if lost := info.get("not_in_encoding"):
                    said = "；".join(
                        f"{x['column']} {x['row'] + 1}：{x['value']}" for x in lost[:5]
                    )
                    st.warning(t_md("not_in_encoding", lang, n=len(lost), values=said))
            except SipAtlasError as exc:
                show_error("export_error", lang, exc)
    _download("data_file", lang)
    _qgis_section([(s, filtered.get(s.id, g)) for s, g in layers], shown, title, lang)


def _qgis_section(layers: Layers, shown: set[str], title: str, lang: Lang) -> None:
    """The shown layers as a QGIS project (a zip of sip-atlas.qgz and sip-atlas.gpkg)."""
    st.subheader(t("qgis_title", lang))
    st.caption(t("qgis_help", lang))
    if not st.button(t("prepare", lang), key="qgis_make"):
        _download("qgis_file", lang)
        return
    drawn = [(s, g) for s, g in stacked(layers) if s.id in shown]
    chosen = basemap(st.session_state.get("basemap") or default_basemap())
    with tempfile.TemporaryDirectory() as tmp:
        try:
            with st.spinner("…"):
                info = write_qgis_project(drawn, Path(tmp) / "qgis", lang=lang, title=title,
                                          basemap=chosen if chosen.tiles else None)  # fmt: skip
                bundle = Path(tmp) / "qgis.zip"
                with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
                    for part in (info["project"], info["data"]):
                        zf.write(part, Path(part).name)
            _offer("qgis_file", bundle, f"{title} QGIS")
            if info["basemap_left_out"]:
                st.info(t("qgis_gcj02", lang, name=chosen.name(lang)))
        except (SipAtlasError, OSError, ValueError) as exc:
            show_error("export_error", lang, exc)
    _download("qgis_file", lang)
