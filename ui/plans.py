"""Sketching proposals, keeping scenarios, and comparing two of them side by side."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import streamlit as st
from shapely.geometry import shape

from geo.crs import WGS84
from geo.errors import SipAtlasError
from geo.gcj02 import gcj02_to_wgs84, shift_gdf
from geo.plans import KINDS, STATUSES, Plans, compare_scenarios, measure, scenario_stats, touching
from layers.folium_map import build_dual_map
from layers.i18n import md, t, t_md
from layers.registry import Lang, LayerSpec, Style, load_registry
from ui.analysis import table_downloads
from ui.map_cache import map_key, show_cached_map

__all__ = ["PROPOSALS_SPEC", "apply_scenario", "plans_panel", "proposal_layer", "sketch_form"]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]
_TOUCHED = ("land_reuse_parcels", "service_districts", "carrier_parks", "lake_districts")
PROPOSALS_SPEC = LayerSpec(
    id="proposals", file="", name_zh="方案草图", name_en="Proposals", group="proposals",
    geometry_type="Polygon", schema={"id": "str", "title": "str", "kind": "str"},
    style=Style(color="#54278f", weight=3, fill_color="#9e9ac8", fill_opacity=0.35,
                dash_array="6 3", radius=8, class_name="sip-proposal"),
    tooltip=("title", "kind"), popup=("title", "kind", "comment", "author"),
)  # fmt: skip


def proposal_layer(plans: Plans, scenario: dict | None) -> tuple[LayerSpec, gpd.GeoDataFrame]:
    """The proposals for the map: all, or those of the scenario shown."""
    gdf = plans.proposals()
    if scenario is not None:
        gdf = gdf[gdf["id"].isin(scenario["proposals"])]
    return PROPOSALS_SPEC, gdf


def apply_scenario(layers: Layers, scenario: dict | None) -> list:
    """The layers with the scenario's parcel status changes applied."""
    if not scenario or not scenario.get("status_changes"):
        return list(layers)
    changes = scenario["status_changes"]
    out = []
    for spec, gdf in layers:
        if spec.id == "land_reuse_parcels":
            gdf = gdf.assign(
                status=[changes.get(i, s) for i, s in zip(gdf["id"], gdf["status"], strict=True)]
            )
        out.append((spec, gdf))
    return out


def _drawn_geometry(state: dict | None, datum: str):
    # Not last_active_drawing: streamlit-folium also sets that to any feature clicked.
    drawings = (state or {}).get("all_drawings") or []
    drawing = drawings[-1] if drawings else None
    if not drawing or not drawing.get("geometry"):
        return None
    geometry = shape(drawing["geometry"])
    if datum == "gcj02":  # drawn over a GCJ-02 basemap: back to WGS84
        one = gpd.GeoDataFrame(geometry=[geometry], crs=WGS84)
        geometry = shift_gdf(one, gcj02_to_wgs84).geometry.iloc[0]
    return geometry


def sketch_form(plans: Plans, layers: Layers, state: dict | None, datum: str, lang: Lang) -> None:
    """When a shape has just been drawn: its size, what it touches, and a form to save it."""
    geometry = _drawn_geometry(state, datum)
    if geometry is None:
        return
    key = hashlib.sha1(geometry.wkb).hexdigest()[:12]
    if key in st.session_state.setdefault("saved_sketches", set()):
        return
    st.subheader(t("sketch_title", lang))
    size = measure(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        st.markdown(
            t(
                "sketch_measure_area",
                lang,
                m2=size["area_m2"],
                ha=size["area_ha"],
                mu=size["area_mu"],
            )
        )
    elif geometry.geom_type in ("LineString", "MultiLineString"):
        st.markdown(t("sketch_measure_length", lang, m=size["length_m"]))
    else:
        st.markdown(t("sketch_point", lang))
    by_id = dict((s.id, (s, g)) for s, g in layers)
    hits = touching(geometry, {by_id[i][0].name(lang): by_id[i][1] for i in _TOUCHED if i in by_id},
                    label=f"name_{lang}")  # fmt: skip
    names = "；".join(f"{k}：{'、'.join(v)}" for k, v in hits.items() if v)
    st.caption(
        t_md("sketch_touches", lang, names=names) if names else t("sketch_touches_none", lang)
    )
    with st.form(f"sketch_{key}"):
        title = st.text_input(t("proposal_title", lang), key=f"sk_title_{key}")
        kind = st.selectbox(t("proposal_kind", lang), KINDS, key=f"sk_kind_{key}",
                            format_func=lambda k: t(f"kind_{k}", lang))  # fmt: skip
        comment = st.text_area(t("proposal_comment", lang), key=f"sk_comment_{key}")
        author = st.text_input(t("proposal_author", lang), key=f"sk_author_{key}")
        if st.form_submit_button(t("proposal_save", lang)):
            try:
                plans.add_proposal(geometry, title=title, kind=kind, comment=comment, author=author)
            except SipAtlasError as exc:
                st.error(t_md("plans_error", lang, error=exc))
                return
            st.session_state["saved_sketches"].add(key)
            st.session_state["plans_message"] = t_md("proposal_saved", lang, title=title)
            st.rerun()


def _proposals_list(plans: Plans, lang: Lang) -> gpd.GeoDataFrame:
    proposals = plans.proposals()
    st.subheader(t("proposals_title", lang))
    if proposals.empty:
        st.caption(t("proposals_empty", lang))
    for _, row in proposals.iterrows():
        size = measure(row.geometry)
        extent = f"{size['area_ha']:.2f} ha" if size["area_m2"] else f"{size['length_m']:.0f} m"
        with st.expander(f"{md(row['title'])} · {t('kind_' + row['kind'], lang)} · {extent}"):
            title = st.text_input(t("proposal_title", lang), row["title"], key=f"pt_{row['id']}")
            kind = st.selectbox(t("proposal_kind", lang), KINDS, index=KINDS.index(row["kind"]),
                                key=f"pk_{row['id']}",
                                format_func=lambda k: t(f"kind_{k}", lang))  # fmt: skip
            comment = st.text_area(
                t("proposal_comment", lang), row["comment"], key=f"pc_{row['id']}"
            )
            cols = st.columns(2)
            try:
                if cols[0].button(t("proposal_update", lang), key=f"pu_{row['id']}"):
                    plans.edit_proposal(row["id"], title=title, kind=kind, comment=comment)
                    st.rerun()
                if cols[1].button(t("proposal_delete", lang), key=f"pd_{row['id']}"):
                    plans.delete_proposal(row["id"])
                    st.rerun()
            except SipAtlasError as exc:
                st.error(t_md("plans_error", lang, error=exc))
    return proposals


def _scenario_editor(
    plans: Plans, proposals: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, lang: Lang
) -> None:
    st.subheader(t("scenarios_title", lang))
    with st.form("scenario_form"):
        name = st.text_input(t("scenario_name", lang), key="sc_name")
        titles = dict(zip(proposals["id"], proposals["title"], strict=True))
        chosen = st.multiselect(t("scenario_proposals", lang), list(proposals["id"]),
                                key="sc_props", format_func=titles.get)  # fmt: skip
        cols = st.columns([3, 1])
        picked = cols[0].multiselect(
            t("scenario_parcels", lang), list(parcels["id"]), key="sc_parcels"
        )
        status = cols[1].selectbox(t("scenario_status", lang), STATUSES, key="sc_status")
        if st.form_submit_button(t("scenario_save", lang)):
            try:
                plans.save_scenario(name, chosen, dict.fromkeys(picked, status))
                st.session_state["plans_message"] = t_md("scenario_saved", lang, name=name)
                st.rerun()
            except SipAtlasError as exc:
                st.error(t_md("plans_error", lang, error=exc))


def _compare(plans: Plans, layers: Layers, origins: gpd.GeoDataFrame, lang: Lang) -> None:
    names = [s["name"] for s in plans.scenarios()]
    if not names:
        return
    st.subheader(t("compare_title", lang))
    options = ["", *names]
    cols = st.columns(2)
    a = cols[0].selectbox(
        t("compare_a", lang),
        options,
        key="cmp_a",
        format_func=lambda n: n or t("scenario_none", lang),
    )
    b = cols[1].selectbox(
        t("compare_b", lang),
        options,
        key="cmp_b",
        index=1,
        format_func=lambda n: n or t("scenario_none", lang),
    )
    proposals = plans.proposals()
    parcels = dict((s.id, g) for s, g in layers)["land_reuse_parcels"]
    sides = []
    for name in (a, b):
        scenario = plans.scenario(name) if name else {"proposals": [], "status_changes": {}}
        stats = scenario_stats(parcels, scenario, proposals, origins)
        kept = [(s, g) for s, g in apply_scenario(layers, scenario)
                if s.group in ("context", "land_reuse")]  # fmt: skip
        drawn = [*kept, proposal_layer(plans, scenario)]
        sides.append((stats, drawn))
    titles = [n or t("scenario_none", lang) for n in (a, b)]
    table = _readable(compare_scenarios(sides[0][0], sides[1][0]), titles, parcels, lang)
    st.dataframe(table, hide_index=True, width="stretch", key="compare_table")
    table_downloads({"comparison": table}, "scenario_comparison", lang)
    (_, left), (_, right) = sides
    show_cached_map(map_key([*left, *right], dual=len(left), lang=lang, titles=tuple(titles)),
                    lambda: build_dual_map(left, right, lang=lang, titles=titles),
                    key="compare_map", height=460, use_container_width=True,
                    returned_objects=[])  # fmt: skip


def _readable(table: pd.DataFrame, titles: list[str], parcels, lang: Lang) -> pd.DataFrame:
    """The comparison with its rows and columns named in ``lang``, shares as percentages."""
    spec = next((s for s in load_registry().layers if s.id == "land_reuse_parcels"), None)
    statuses = {c.value: getattr(c, lang) for c in (spec.categories if spec else ())}

    def label(measure: str) -> str:
        kind, _, value = measure.partition(":")
        if kind == "area_ha":
            return t("cmp_area", lang, status=statuses.get(value, value))
        if kind == "floor_wan_m2":
            return t("cmp_floor", lang, status=statuses.get(value, value))
        if kind == "proposal_ha":
            return t("cmp_proposal", lang, kind=t(f"kind_{value}", lang))
        return t(f"cmp_{kind}", lang)

    def shown(measure: str, value: float, signed: bool = False) -> str:
        if measure.startswith("share_"):
            return f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"
        return f"{value:+,.2f}" if signed else f"{value:,.2f}"

    a, b = titles
    delta = t("cmp_delta", lang, a=a, b=b)
    return pd.DataFrame({
        t("cmp_measure", lang): [label(m) for m in table["measure"]],
        a: [shown(m, v) for m, v in zip(table["measure"], table["a"], strict=True)],
        b: [shown(m, v) for m, v in zip(table["measure"], table["b"], strict=True)],
        delta: [shown(m, v, True) for m, v in zip(table["measure"], table["delta"], strict=True)],
    })  # fmt: skip


def plans_panel(plans: Plans, layers: Layers, origins: gpd.GeoDataFrame, lang: Lang) -> None:
    """Proposals (edit, delete), the scenario editor and the side-by-side comparison."""
    if message := st.session_state.pop("plans_message", None):
        st.success(message)
    st.caption(t("share_hint", lang))
    try:
        proposals = _proposals_list(plans, lang)
        parcels = dict((s.id, g) for s, g in layers).get("land_reuse_parcels")
        if parcels is not None:
            _scenario_editor(plans, proposals, parcels, lang)
            _compare(plans, layers, origins, lang)
    except SipAtlasError as exc:
        st.error(t_md("plans_error", lang, error=exc))
