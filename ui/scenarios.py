"""Scenarios in the app: the editor (asks before replacing), rename, duplicate and delete with
undo, the side-by-side comparison, and the plans tab that holds them with the proposals."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.errors import SipAtlasError
from geo.plans import STATUSES, Plans, ScenarioExistsError
from geo.scenario_stats import compare_scenarios, scenario_stats
from layers.folium_map import build_dual_map
from layers.i18n import t, t_md
from layers.registry import Lang, status_labels
from ui.analysis import table_downloads
from ui.errors import show_error
from ui.map_cache import map_key, show_cached_map
from ui.plans import Layers, apply_scenario, offer_undo, proposal_layer, proposals_list, undo_notice
from ui.relabel import relabelled
from ui.workspace import history_by_target, history_table

__all__ = ["plans_panel"]


def _save(plans: Plans, pending: tuple, lang: Lang, *, replace: bool = False) -> None:
    name, chosen, changes = pending
    plans.save_scenario(name, chosen, changes, replace=replace)
    st.session_state.pop("sc_pending", None)
    for key in ("sc_name", "sc_props", "sc_parcels"):  # an empty form for the next one
        st.session_state.pop(key, None)
    st.session_state["plans_message"] = t_md("scenario_saved", lang, name=name)
    st.rerun()


def _scenario_editor(
    plans: Plans, proposals: gpd.GeoDataFrame, parcels: gpd.GeoDataFrame, lang: Lang
) -> None:
    st.subheader(t("scenarios_title", lang))
    with st.form("scenario_form"):
        name = st.text_input(t("scenario_name", lang), key="sc_name")
        titles = dict(zip(proposals["id"], proposals["title"], strict=True))
        chosen = st.multiselect(t("scenario_proposals", lang), list(proposals["id"]),
                                key="sc_props", format_func=titles.get,
                                placeholder=t("choose_many", lang))  # fmt: skip
        cols = st.columns([3, 1])
        picked = cols[0].multiselect(
            t("scenario_parcels", lang),
            list(parcels["id"]),
            key="sc_parcels",
            placeholder=t("choose_many", lang),
        )
        labels = status_labels(lang)
        status = cols[1].selectbox(
            t("scenario_status", lang),
            STATUSES,
            key=relabelled("sc_status"),
            format_func=lambda s: labels.get(s, s),
        )
        submitted = st.form_submit_button(t("scenario_save", lang))
    try:
        if submitted:
            st.session_state["sc_pending"] = (name.strip(), chosen, dict.fromkeys(picked, status))
            _save(plans, st.session_state["sc_pending"], lang)
        if pending := st.session_state.get("sc_pending"):
            cols = st.columns([3, 1, 1])
            cols[0].warning(t_md("scenario_exists", lang, name=pending[0]))
            if cols[1].button(t("scenario_replace", lang), key="sc_replace"):
                _save(plans, pending, lang, replace=True)
            if cols[2].button(t("cancel", lang), key="sc_cancel"):
                st.session_state.pop("sc_pending", None)
                st.rerun()
    except ScenarioExistsError:
        st.rerun()  # asks on the next run (the warning above), nothing replaced
    except SipAtlasError as exc:
        st.session_state.pop("sc_pending", None)
        show_error("plans_error", lang, exc)
    _scenario_list(plans, lang)


def _scenario_list(plans: Plans, lang: Lang) -> None:
    """Each scenario with rename, duplicate and (confirmed) delete."""
    scenarios = plans.scenarios()
    history = history_by_target(plans.workspace) if scenarios else {}
    for scenario in scenarios:
        name = scenario["name"]
        with st.expander(t_md("scenario_item", lang, name=name,
                              n=len(scenario["proposals"]),
                              m=len(scenario["status_changes"]))):  # fmt: skip
            history_table(history, "scenario", name, lang)
            new = st.text_input(t("scenario_new_name", lang), key=f"scn_new_{name}")
            cols = st.columns(4)
            try:
                if cols[0].button(t("rename", lang), key=f"scn_rename_{name}"):
                    plans.rename_scenario(name, new)
                    st.rerun()
                if cols[1].button(t("duplicate", lang), key=f"scn_copy_{name}"):
                    plans.rename_scenario(name, new, copy=True)
                    st.rerun()
                sure = cols[2].checkbox(t("confirm_remove", lang), key=f"scn_sure_{name}")
                if cols[3].button(t("remove", lang), key=f"scn_delete_{name}", disabled=not sure):
                    removed = plans.delete_scenario(name)
                    offer_undo(("scenario", removed), t_md("scenario_deleted", lang, name=name))
                    st.rerun()
            except SipAtlasError as exc:
                show_error("plans_error", lang, exc)


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
        key=relabelled("cmp_a"),
        format_func=lambda n: n or t("scenario_none", lang),
    )
    b = cols[1].selectbox(
        t("compare_b", lang),
        options,
        key=relabelled("cmp_b"),
        index=1,
        format_func=lambda n: n or t("scenario_none", lang),
    )
    proposals = plans.proposals()
    parcels = next(g for s, g in layers if "parcels" in s.roles)
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
    table_downloads({"comparison": table}, "scenario_comparison", lang,
                    f"{t('compare_title', lang)}-{titles[0]}-{titles[1]}")  # fmt: skip
    (_, left), (_, right) = sides
    show_cached_map(map_key([*left, *right], dual=len(left), lang=lang, titles=tuple(titles)),
                    lambda: build_dual_map(left, right, lang=lang, titles=titles),
                    key="compare_map", height=460, use_container_width=True,
                    returned_objects=[])  # fmt: skip


def _readable(table: pd.DataFrame, titles: list[str], parcels, lang: Lang) -> pd.DataFrame:
    """The comparison with its rows and columns named in ``lang``, shares as percentages."""
    statuses = status_labels(lang)

    def label(measure: str) -> str:
        kind, _, value = measure.partition(":")
        if kind == "area_ha":
            return t("cmp_area", lang, status=statuses.get(value, value))
        if kind == "floor_wan_m2":
            return t("cmp_floor", lang, status=statuses.get(value, value))
        if kind == "proposal_ha":
            return t("cmp_proposal", lang, kind=t(f"kind_{value}", lang))
        if kind == "proposal_floor_wan_m2":
            return t("cmp_proposal_floor", lang, kind=t(f"kind_{value}", lang))
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


def plans_panel(
    plans: Plans, layers: Layers, origins: gpd.GeoDataFrame, lang: Lang, editor: bool = True
) -> None:
    """Proposals (edit, delete), the scenario editor and the side-by-side comparison; a viewer
    (``editor`` False) reads and compares only."""
    if message := st.session_state.pop("plans_message", None):
        st.success(message)
    undo_notice(plans, lang)
    st.caption(t("share_hint", lang))
    try:
        proposals = proposals_list(plans, lang, editor)
        parcels = next((g for s, g in layers if "parcels" in s.roles), None)
        if parcels is not None:
            if editor:
                _scenario_editor(plans, proposals, parcels, lang)
            _compare(plans, layers, origins, lang)
    except SipAtlasError as exc:
        show_error("plans_error", lang, exc)
