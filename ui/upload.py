"""The upload panel: read a planner's file, show what was found and fixed, match columns, save."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from geo.errors import IngestError, SipAtlasError
from geo.settings import max_upload_bytes
from geo.uploads.columns import PARCEL_FIELDS
from geo.uploads.dxf import cad_layers, default_layers
from geo.uploads.ingest import IngestOptions, IngestResult, inspect_upload
from geo.uploads.read import Source, find_sources
from geo.uploads.report import CrsInfo
from geo.uploads.save import save_upload
from geo.workspace import Workspace
from layers.i18n import change_text, md, t, t_md
from layers.registry import Lang
from ui.auth import current_actor
from ui.errors import show_error
from ui.preview import request_zoom
from ui.relabel import relabelled
from ui.scratch import Scratch, sweep_stale

__all__ = ["upload_panel"]

ENCODINGS = ["auto", "UTF-8", "GB18030", "Big5", "Shift_JIS", "CP1252"]
_LOG = logging.getLogger(__name__)
T = TypeVar("T")
# where a planner's data comes from: the web maps', surveyed CGCS2000, older institute data in
# Beijing 1954 and Xi'an 1980 (3-degree zone 40, with or without the zone prefix), UTM
CRS_CHOICES = ["auto", "EPSG:4326", "EPSG:4490", "EPSG:4549", "EPSG:4528", "gcj02", "bd09",
               "EPSG:2437", "EPSG:2416", "EPSG:2385", "EPSG:2364", "EPSG:32651"]  # fmt: skip
FILE_TYPES = ["zip", "shp", "shx", "dbf", "prj", "cpg", "gpkg", "geojson", "json", "kml", "kmz",
              "csv", "xlsx", "fgb", "parquet", "osm", "pbf", "dxf", "dwg"]  # fmt: skip


# the types the upload box names in its one line (the help above it names every format)
_NAMED_TYPES = ["zip", "shp", "gpkg", "geojson", "kml", "csv", "xlsx", "dxf", "osm"]


def _kind_choice(key: str, kinds: dict[str, int], kept: str, lang: Lang) -> None:
    """Where a file mixes geometry kinds, which one the layer keeps (a rerun reads it so)."""
    if len(kinds) < 2:
        return
    st.selectbox(
        t("upload_geometry", lang), list(kinds), index=list(kinds).index(kept),
        key=f"geometry_{key}",
        format_func=lambda k: t("geometry_kind", lang, kind=t(f"kind_{k}", lang), n=kinds[k]),
    )  # fmt: skip


def _scratch() -> Scratch:
    """This session's scratch folder (removed with the session); stale ones of sessions that
    never ended (a killed server) are swept when a session first uploads."""
    if "upload_scratch" not in st.session_state:
        sweep_stale()
        st.session_state["upload_scratch"] = Scratch()
    return st.session_state["upload_scratch"]


def _marks(uploaded: list) -> list[tuple[str, str]]:
    """Each file's name and content digest: what tells one upload from another (computed once
    a run; a large cadastre takes a moment to hash)."""
    return [(item.name, hashlib.sha256(item.getvalue()).hexdigest()) for item in uploaded]


def _stage(uploaded: list, marks: list[tuple[str, str]]) -> tuple[str, list[Path], Path]:
    """Write the uploaded files to the session's scratch folder, in a folder named by their
    content (``marks``; reused on reruns); what was staged before is removed."""
    key = hashlib.sha256(repr(marks).encode()).hexdigest()[:16]
    folder = _scratch().stage(key)
    files = [folder / "files" / Path(item.name).name for item in uploaded]
    if not all(p.exists() for p in files):
        (folder / "files").mkdir(parents=True, exist_ok=True)
        for item, path in zip(uploaded, files, strict=True):
            path.write_bytes(item.getvalue())
    (folder / "work").mkdir(exist_ok=True)
    return key, files, folder / "work"


@dataclass(frozen=True)
class _Held:
    """A file taken from the upload box and kept in the session (the box itself emptied)."""

    name: str
    data: bytes

    def getvalue(self) -> bytes:
        """The file's bytes (as Streamlit's UploadedFile gives them)."""
        return self.data


# Files that make an upload by themselves; a shapefile's other parts only complete one.
_WHOLE = (".zip", ".shp", ".gpkg", ".geojson", ".json", ".kml", ".kmz", ".csv")


def _files_in_use(uploaded: list, lang: Lang) -> tuple[list, list[tuple[str, str]]]:
    """The files to read and their ``_marks``: the box's, except that files making a whole new
    upload, dropped on a box that already held one, replace what was there (Streamlit's box
    only adds files). The new files are then held in the session and the box emptied."""
    seen = _marks(uploaded)
    before = st.session_state.get("upload_seen", [])
    st.session_state["upload_seen"] = seen
    new = [f for f, mark in zip(uploaded, seen, strict=True) if mark not in before]
    old = [f.name for f, mark in zip(uploaded, seen, strict=True) if mark in before]
    if old and new and any(f.name.lower().endswith(_WHOLE) for f in new):
        st.session_state["upload_held"] = [_Held(f.name, f.getvalue()) for f in new]
        st.session_state["upload_replaced"] = t("upload_replaced", lang, old="、".join(old),
                                                new="、".join(f.name for f in new))  # fmt: skip
        st.session_state["upload_seen"] = []
        st.session_state["upload_generation"] += 1
        st.rerun()
    if uploaded:
        st.session_state.pop("upload_held", None)
        if not old:  # a fresh upload: no longer the one that replaced another
            st.session_state.pop("upload_replaced", None)
        return uploaded, seen
    held = st.session_state.get("upload_held", [])
    return held, _marks(held)


def _forget_upload() -> None:
    """Drop the staged files and what was read from them."""
    for key in ("upload_inspected", "upload_sources", "upload_held", "upload_seen",
                "upload_replaced"):  # fmt: skip
        st.session_state.pop(key, None)
    if "upload_scratch" in st.session_state:
        st.session_state["upload_scratch"].clear()


def _label(choice: str, lang: Lang) -> str:
    return t(choice, lang) if choice in ("auto", "gcj02", "bd09") else choice


def crs_said(crs: CrsInfo, lang: Lang) -> str:
    """How the upload's CRS was decided, in ``lang``: a web-map datum by the name planners
    know it by (both languages say it was converted)."""
    how = t(f"how_{crs.how}", lang)
    if crs.datum:
        return t("crs_found_datum", lang, datum=t(f"crs_choice_{crs.datum}", lang), how=how)
    return t("crs_found", lang, name=crs.name, how=how, detail=crs.detail)


def _report(result: IngestResult, lang: Lang) -> None:
    report = result.report
    st.markdown(f"**{t('report_title', lang)}** · {md(report.source)}")
    cols = st.columns(4)
    for col, key in zip(cols, ("features_read", "features_kept", "repaired", "dropped"),
                        strict=True):  # fmt: skip
        col.metric(t(key, lang), getattr(report, key))
    encoding = report.encoding
    st.caption(md(t("encoding_found", lang, name=encoding.name, how=t(f"how_{encoding.how}", lang),
                    detail=encoding.detail)))  # fmt: skip
    st.caption(md(crs_said(report.crs, lang)))
    st.caption(t("area_found", lang, m2=report.area_m2, ha=report.area_ha, mu=report.area_mu))
    if report.cad:
        merged = report.cad["hatches_merged"]
        st.caption(t("cad_found", lang, unit=report.cad["unit"],
                     inside=report.cad["texts"].get("inside", 0),
                     merged=t("cad_merged", lang, n=merged) if merged else ""))  # fmt: skip
    for warning in report.warnings_zh if lang == "zh" else report.warnings:
        st.warning(md(warning))
    if report.encoding_preview:
        with st.expander(t("encoding_preview", lang), expanded=bool(report.warnings)):
            st.dataframe(pd.DataFrame(report.encoding_preview), hide_index=True, width="stretch")
    if report.changes:
        with st.expander(f"{t('changes', lang)} ({len(report.changes)})"):
            changes = pd.DataFrame(
                [(c.feature, change_text(c.change, lang)) for c in report.changes],
                columns=[t("change_feature", lang), t("change_what", lang)],
            )
            st.dataframe(changes, hide_index=True, width="stretch")
    st.markdown(f"**{t('attribute_preview', lang)}**")
    st.dataframe(pd.DataFrame(report.preview), hide_index=True, width="stretch")


def _mapping_keys(key: str) -> dict[str, str]:
    return {field: f"map_{key}_{field}" for field in PARCEL_FIELDS}


def _mapping_overrides(key: str) -> dict[str, str | None]:
    """The planner's column choices from the last run, read before the file is inspected
    ('' is "no column", whatever the language)."""
    chosen = {}
    for field, widget in _mapping_keys(key).items():
        if widget in st.session_state:
            chosen[field] = st.session_state[widget] or None
    return chosen


def _mapping_step(result: IngestResult, key: str, lang: Lang) -> None:
    st.markdown(f"**{t('mapping_title', lang)}**")
    none_label = t("mapping_none", lang)
    options = ["", *result.report.columns]
    cols = st.columns(len(PARCEL_FIELDS))
    for col, (field, widget) in zip(cols, _mapping_keys(key).items(), strict=True):
        current = result.report.mapping.get(field) or ""
        col.selectbox(PARCEL_FIELDS[field][lang], options, index=options.index(current),
                      key=relabelled(widget), format_func=lambda c: c or none_label)  # fmt: skip


def _kept(slot: str, key: object, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the session under ``slot`` for as long as ``key`` is the same."""
    kept = st.session_state.get(slot)
    if kept is None or kept[0] != key:
        kept = (key, compute())
        st.session_state[slot] = kept
    return kept[1]


def _sources(key: str, files: list[Path], workdir: Path) -> list[Source]:
    """The layers in the staged upload, kept in the session while the same files are staged."""
    return _kept("upload_sources", key, lambda: find_sources(files, workdir))


def _inspected(key: str, files: list[Path], workdir: Path, options: IngestOptions,
               sources: list[Source]) -> IngestResult:  # fmt: skip
    """The upload read with these options; kept in the session, so that reruns caused by other
    widgets do not read the file again (seconds for a large cadastre)."""
    wanted = (key, options.encoding, options.crs, options.layer,
              tuple(sorted(options.mapping.items(), key=str)),
              tuple(options.cad_layers or ()), options.close_gaps_m)  # fmt: skip
    return _kept("upload_inspected", wanted,
                 lambda: inspect_upload(files, workdir, options, sources=sources))  # fmt: skip


def _cad_choice(source: Source, key: str, options: IngestOptions, lang: Lang) -> bool:
    """A drawing's layers to read (each with what it holds) and the gap to close, written into
    ``options``; False (and a word) while no layer is picked."""
    layers = {c.name: c for c in cad_layers(source.path)}
    cols = st.columns([3, 1])
    picked = cols[0].multiselect(
        t("cad_layers", lang), list(layers), default=default_layers(list(layers.values())),
        format_func=lambda n: f"{n}（{layers[n].counts(lang)}）" if lang == "zh"
        else f"{n} ({layers[n].counts(lang)})",
        key=f"cad_{key}", help=t("cad_layers_help", lang),
    )  # fmt: skip
    gap = cols[1].number_input(t("cad_gap", lang), min_value=0.0, max_value=100.0, value=0.0,
                               step=0.1, key=f"gap_{key}",
                               help=t("cad_gap_help", lang))  # fmt: skip
    if not picked:
        st.info(t("cad_pick", lang))
        return False
    options.cad_layers, options.close_gaps_m = list(picked), float(gap)
    return True


def _uploader_texts(lang: Lang) -> None:
    """The file uploader's own button and limit line in ``lang``: Streamlit writes them in
    English only and lets no app set them, so the page's style sheet swaps the text."""
    mb = max_upload_bytes() // (1024 * 1024)
    joiner = "、" if lang == "zh" else ", "
    shown = joiner.join(x.upper() for x in _NAMED_TYPES)
    limit = t("uploader_limit", lang, mb=mb, types=shown)
    zone = "[data-testid=stFileUploaderDropzone]"
    rules = {
        f"{zone} button [data-testid=stMarkdownContainer] p": t("uploader_button", lang),
        f"{zone} [data-testid=stFileUploaderDropzoneInstructions] span": limit,
    }
    said = {where: json.dumps(text, ensure_ascii=False) for where, text in rules.items()}
    css = "".join(
        f"{where}{{font-size:0}}{where}::after{{content:{text};font-size:14px}}"
        for where, text in said.items()
    )
    st.html(f"<style>{css}</style>")


def upload_panel(lang: Lang, workspace: Workspace) -> IngestResult | None:
    """The upload panel; returns the inspected, not yet saved, upload to preview on the map."""
    st.subheader(t("upload_title", lang))
    st.caption(t("upload_help", lang))
    if message := st.session_state.pop("upload_saved", None):
        st.success(message)
    generation = st.session_state.setdefault("upload_generation", 0)
    _uploader_texts(lang)
    uploaded = st.file_uploader(
        t("upload_files", lang), type=FILE_TYPES, accept_multiple_files=True,
        key=f"upload_files_{generation}",
    )  # fmt: skip
    uploaded, marks = _files_in_use(uploaded or [], lang)
    if not uploaded:
        _forget_upload()
        return None
    if replaced := st.session_state.get("upload_replaced"):
        st.caption(md(replaced))
    key, files, workdir = _stage(uploaded, marks)
    try:
        sources = _sources(key, files, workdir)
        cols = st.columns(3)
        labels = [s.label for s in sources]
        layer = cols[0].selectbox(t("upload_layer", lang), labels, key=f"layer_{key}")
        encoding = cols[1].selectbox(
            t("upload_encoding", lang), ENCODINGS, key=relabelled(f"encoding_{key}"),
            format_func=lambda c: _label(c, lang),
        )  # fmt: skip
        crs = cols[2].selectbox(
            t("upload_crs", lang), CRS_CHOICES, key=relabelled(f"crs_{key}"),
            format_func=lambda c: t(f"crs_choice_{c}", lang),
        )  # fmt: skip
        options = IngestOptions(
            encoding=encoding, crs=crs, layer=layer,
            mapping=_mapping_overrides(key),
            geometry=st.session_state.get(f"geometry_{key}", "auto"),
        )  # fmt: skip
        source = next(s for s in sources if s.label == layer)
        if source.driver == "DXF" and not _cad_choice(source, key, options, lang):
            return None
        result = _inspected(key, files, workdir, options, sources)
        _kind_choice(key, result.report.geometry_kinds, result.report.geometry_type, lang)
    except IngestError as exc:
        _forget_upload()  # a refused file leaves nothing behind; a rerun stages it again
        st.error(md(exc.message(lang)))
        return None
    except Exception as exc:  # a bug: the planner gets a message, the server log the details
        _LOG.exception("reading an upload failed")
        _forget_upload()
        st.error(t_md("upload_unexpected", lang, error=type(exc).__name__))
        return None
    _report(result, lang)
    _mapping_step(result, key, lang)
    name = st.text_input(t("layer_name", lang), value=Path(result.source.label).stem,
                         key=f"name_{key}")  # fmt: skip
    if st.button(t("save", lang), type="primary", key=f"save_{key}"):
        try:
            report = save_upload(
                result, files, name=name, workspace=workspace, actor=current_actor()
            )
        except SipAtlasError as exc:
            show_error("workspace_error", lang, exc)
            return result
        st.session_state["upload_saved"] = t_md(
            "saved", lang, name=report["name"], n=report["features_kept"]
        )
        st.session_state[f"layer_{report['layer_id']}"] = True  # on for its uploader only
        request_zoom(result.report.bbox_wgs84)  # the map opens on what was just saved
        st.session_state["upload_generation"] = generation + 1
        _forget_upload()
        st.rerun()
    return result
