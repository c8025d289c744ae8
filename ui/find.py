"""Find and select: the search box, the attribute table, and the feature they select.

A feature chosen here is selected (details, nearby, a highlight on the map) and the map opens on
it, until the planner clicks something else on the map.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import streamlit as st

from layers.derived import derived_layer
from layers.find import find_features
from layers.i18n import Lang, md, t
from layers.registry import LayerSpec, field_label
from ui.analysis import table_downloads
from ui.map_cache import layer_fingerprint
from ui.relabel import relabelled

__all__ = [
    "TABLE_ROWS",
    "attribute_table",
    "search_box",
    "selected_feature",
    "selection_layer",
    "zoom_to_selected",
]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]
_SELECTED = "selected_feature"
_TABLE_CHOICE = "table_choice"
_SEARCHED = "searched"  # the search text whose one exact hit was last selected
_FOUND = "search_found"  # (text, language, layers) and its hits
TABLE_ROWS = 10_000  # rows the attribute table shows at most (the export tab has the rest)
_MARGIN_DEG = 0.004  # about 400 m around a selected feature when the map opens on it


def _select(layer_id: str, feature_id: str, bounds: Sequence[float], state: dict | None) -> None:
    minx, miny, maxx, maxy = bounds
    st.session_state[_SELECTED] = {
        "layer": layer_id, "id": feature_id,
        "bounds": (minx - _MARGIN_DEG, miny - _MARGIN_DEG, maxx + _MARGIN_DEG, maxy + _MARGIN_DEG),
        "click": (state or {}).get("last_object_clicked"),
    }  # fmt: skip


def selected_feature(
    layers: Layers, state: dict | None
) -> tuple[LayerSpec, pd.Series, tuple[float, float, float, float]] | None:
    """The feature chosen by search or table, its layer and the extent to open the map on
    (lon/lat degrees, EPSG:4326); None once the planner has clicked the map since."""
    chosen = st.session_state.get(_SELECTED)
    if not chosen:
        return None
    click = (state or {}).get("last_object_clicked")
    found = [(s, g) for s, g in layers if s.id == chosen["layer"]]
    rows = found[0][1].loc[lambda g: g["id"].astype(str) == chosen["id"]] if found else None
    if (click is not None and click != chosen["click"]) or rows is None or rows.empty:
        del st.session_state[_SELECTED]
        return None
    return found[0][0], rows.iloc[0], chosen["bounds"]


def zoom_to_selected() -> tuple[float, float, float, float] | None:
    """The extent (lon/lat degrees, EPSG:4326) to zoom the map to for a feature just chosen;
    once per choice, so that the planner may move the map while it stays selected."""
    chosen = st.session_state.get(_SELECTED)
    if not chosen or chosen.get("zoomed"):
        return None
    chosen["zoomed"] = True
    return chosen["bounds"]


def selection_layer(picked: tuple[LayerSpec, pd.Series] | None) -> list:
    """The selected feature (of a layer in EPSG:4326, as the app's are) as a highlight layer
    for the map; none when nothing is selected."""
    if picked is None:
        return []
    spec, row = picked
    gdf = gpd.GeoDataFrame({"id": [str(row["id"])]}, geometry=[row.geometry], crs="EPSG:4326")
    names = (t("selected_layer", "zh"), t("selected_layer", "en"))
    kind = "Point" if spec.geometry_type == "Point" else "Polygon"
    return [derived_layer("selected", "selected", names, gdf, geometry_type=kind)]


def _found(layers: Layers, text: str, lang: Lang) -> list:
    """The hits for ``text`` in ``layers``, kept for the session while the text and the layers
    stay: the text stays in the box, and every later run (a layer switched, a tab used) would
    search a million parcels again."""
    key = (text, lang, tuple((s.id, layer_fingerprint(g)) for s, g in layers))
    memo = st.session_state.get(_FOUND)
    if memo is None or memo[0] != key:
        memo = st.session_state[_FOUND] = (key, find_features(layers, text, lang=lang, limit=8))
    return memo[1]


def search_box(layers: Layers, shown: set[str], state: dict | None, lang: Lang) -> None:
    """The sidebar's search: a number or name, found in the shown layers; a hit's button
    selects it and opens the map on it, as Enter does on a whole number or name that only one
    feature has."""
    text = st.sidebar.text_input(t("search", lang), key="search",
                                 placeholder=t("search_hint", lang))  # fmt: skip
    if not text.strip():
        st.session_state.pop(_SEARCHED, None)
        return
    hits = _found([(s, g) for s, g in layers if s.id in shown], text, lang)
    if not hits:
        st.sidebar.caption(t("search_none", lang))
    exact = [
        h for h in hits if text.strip().casefold() in (h.feature_id.casefold(), h.label.casefold())
    ]
    if len(exact) == 1 and st.session_state.get(_SEARCHED) != text:  # a whole number: go there
        _select(exact[0].layer_id, exact[0].feature_id, exact[0].bounds_wgs84, state)
    st.session_state[_SEARCHED] = text
    for number, hit in enumerate(hits):
        label = f"{hit.label} · {hit.layer_name}"
        if st.sidebar.button(md(label), key=f"hit_{number}", width="stretch"):
            _select(hit.layer_id, hit.feature_id, hit.bounds_wgs84, state)


def _headers(columns: list[str], lang: Lang) -> list[str]:
    """Column headers in ``lang``, each once: a file's own column whose label an earlier column
    has already (an upload's 状态 beside the mapped status) keeps its name beside the label."""
    headers: list[str] = []
    for column in columns:
        label = field_label(column, lang)
        headers.append(f"{label} ({column})" if label in headers else label)
    return headers


def attribute_table(
    layers: Layers,
    shown: set[str],
    filtered: dict,
    state: dict | None,
    lang: Lang,
    groups: dict[str, tuple[str, pd.Series]] | None = None,
) -> None:
    """A layer's features as a sortable table (the analysis filters applied to its layer, and
    the analysis' group of each feature in a column of its own, from ``groups``); choosing a
    row selects the feature and opens the map on it; CSV and Excel downloads."""
    ids = [s.id for s, g in layers if s.id in shown and s.group != "context" and not g.empty]
    if not ids:
        st.caption(t("table_empty", lang))
        return
    by_id = {s.id: (s, g) for s, g in layers}
    layer_id = st.selectbox(t("data_layer", lang), ids, key=relabelled("table_layer"),
                            format_func=lambda i: by_id[i][0].name(lang))  # fmt: skip
    spec, gdf = by_id[layer_id]
    rows = filtered.get(layer_id, gdf)
    st.caption(t("table_hint", lang))
    if len(rows) < len(gdf):
        st.caption(t("table_filtered", lang, n=len(rows), total=len(gdf)))
    if len(rows) > TABLE_ROWS:  # a browser table of a million rows would not open
        st.info(t("table_first", lang, n=TABLE_ROWS, total=len(rows)))
        rows = rows.iloc[:TABLE_ROWS]
    columns = list(dict.fromkeys(["id", *spec.popup]))
    labels = spec.category_labels(lang)
    table = pd.DataFrame(rows.drop(columns=rows.geometry.name))[columns].reset_index(drop=True)
    if spec.style.by in table:
        table[spec.style.by] = table[spec.style.by].map(lambda v: labels.get(v, v))
    headers = _headers(columns, lang)
    if groups and layer_id in groups:  # beside the id: the district the analysis counts it in
        name, of_feature = groups[layer_id]
        table.insert(1, "_group", of_feature.reindex(rows.index).to_numpy())
        headers.insert(1, name if name not in headers else f"{name} ({t('analysis_by', lang)})")
    shown_table = table.set_axis(headers, axis=1)
    event = st.dataframe(shown_table, hide_index=True, width="stretch", height=320,
                         key=f"table_{layer_id}", on_select="rerun",
                         selection_mode="single-row")  # fmt: skip
    picked = event.selection.rows if event else []
    row = rows.iloc[picked[0]] if picked else None
    choice = (layer_id, str(row["id"])) if row is not None else None
    if choice != st.session_state.get(_TABLE_CHOICE):  # a row newly chosen (not one left ticked)
        st.session_state[_TABLE_CHOICE] = choice
        if row is not None:
            bounds = gpd.GeoSeries([row.geometry], crs=rows.crs).to_crs(4326).total_bounds
            _select(layer_id, str(row["id"]), bounds, state)
            st.rerun()
    table_downloads({spec.name(lang): shown_table}, f"{layer_id}-table", lang, spec.name(lang))
