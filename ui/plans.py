"""Proposals in the app: sketching them on the map, the list to edit or delete them (with
undo), and the scenario helpers the map and the scenarios tab share."""

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
from geo.plans import (
    KINDS,
    InOthersScenariosError,
    Plans,
    measure,
    touching,
)
from layers.i18n import md, t, t_md
from layers.registry import Category, Lang, LayerSpec, Style
from ui.auth import sign_in_configured
from ui.errors import show_error
from ui.relabel import relabelled
from ui.workspace import history_by_target, history_table

__all__ = [
    "PROPOSALS_SPEC",
    "apply_scenario",
    "offer_undo",
    "proposal_layer",
    "proposals_list",
    "sketch_form",
    "undo_notice",
]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]
_FILL = "#9e9ac8"
PROPOSALS_SPEC = LayerSpec(
    id="proposals", file="", name_zh="方案草图", name_en="Proposals", group="proposals",
    geometry_type="Polygon", schema={"id": "str", "title": "str", "kind": "str"},
    style=Style(color="#54278f", weight=3, fill_color=_FILL, fill_opacity=0.35,
                dash_array="6 3", radius=8, class_name="sip-proposal", by="kind"),
    tooltip=("title", "kind"), popup=("title", "kind", "comment", "author"),
    # the kinds, named in the page's language wherever a proposal is shown (one colour)
    categories=tuple(Category(k, t(f"kind_{k}", "zh"), t(f"kind_{k}", "en"), _FILL)
                     for k in KINDS),
    label="title", label_min_zoom=0,  # few, and what the discussion is about
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
        if "parcels" in spec.roles:
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
    hits = touching(geometry, {s.name(lang): g for s, g in layers if "sketch_target" in s.roles},
                    label=f"name_{lang}")  # fmt: skip
    names = "；".join(f"{k}：{'、'.join(v)}" for k, v in hits.items() if v)
    st.caption(
        t_md("sketch_touches", lang, names=names) if names else t("sketch_touches_none", lang)
    )
    with st.form(f"sketch_{key}"):
        title = st.text_input(t("proposal_title", lang), key=f"sk_title_{key}")
        kind = st.selectbox(t("proposal_kind", lang), KINDS, key=relabelled(f"sk_kind_{key}"),
                            format_func=lambda k: t(f"kind_{k}", lang))  # fmt: skip
        comment = st.text_area(t("proposal_comment", lang), key=f"sk_comment_{key}")
        # signed in, the author is the identity (recorded by the store), not a typed name
        author = ""
        if not sign_in_configured():
            author = st.text_input(t("proposal_author", lang), key=f"sk_author_{key}")
        far = st.number_input(t("proposal_far", lang), 0.0, 30.0, value=None, step=0.1,
                              key=f"sk_far_{key}")  # fmt: skip
        if st.form_submit_button(t("proposal_save", lang)):
            try:
                plans.add_proposal(geometry, title=title, kind=kind, comment=comment,
                                   author=author, far=far)  # fmt: skip
            except SipAtlasError as exc:
                show_error("plans_error", lang, exc)
                return
            st.session_state["saved_sketches"].add(key)
            st.session_state["plans_message"] = t_md("proposal_saved", lang, title=title)
            st.rerun()


def proposals_list(plans: Plans, lang: Lang, editor: bool = True) -> gpd.GeoDataFrame:
    """The proposals, each with its fields to edit and delete (read only for a viewer)."""
    proposals = plans.proposals()
    history = history_by_target(plans.workspace) if len(proposals) else {}
    st.subheader(t("proposals_title", lang))
    if proposals.empty:
        st.caption(t("proposals_empty", lang))
    for _, row in proposals.iterrows():
        size = measure(row.geometry)
        extent = (f"{size['area_ha']:.2f} {t('unit_ha', lang)}" if size["area_m2"]
                  else f"{size['length_m']:.0f} {t('unit_m', lang)}")  # fmt: skip
        with st.expander(f"{md(row['title'])} · {t('kind_' + row['kind'], lang)} · {extent}"):
            history_table(history, "proposal", row["id"], lang)
            if not editor:
                st.caption(md(f"{row['comment'] or ''} · {row['author'] or ''}"))
                continue
            title = st.text_input(t("proposal_title", lang), row["title"], key=f"pt_{row['id']}")
            kind = st.selectbox(t("proposal_kind", lang), KINDS, index=KINDS.index(row["kind"]),
                                key=relabelled(f"pk_{row['id']}"),
                                format_func=lambda k: t(f"kind_{k}", lang))  # fmt: skip
            comment = st.text_area(
                t("proposal_comment", lang), row["comment"], key=f"pc_{row['id']}"
            )
            known = None if pd.isna(row.get("far")) else float(row["far"])
            far = st.number_input(t("proposal_far", lang), 0.0, 30.0, value=known, step=0.1,
                                  key=f"pf_{row['id']}")  # fmt: skip
            cols = st.columns(2)
            try:
                if cols[0].button(t("proposal_update", lang), key=f"pu_{row['id']}"):
                    plans.edit_proposal(row["id"], title=title, kind=kind, comment=comment,
                                        far=far)  # fmt: skip
                    st.rerun()
                if cols[1].button(t("proposal_delete", lang), key=f"pd_{row['id']}"):
                    _delete(plans, row["id"], lang)
                if asked := st.session_state.get(f"pd_ask_{row['id']}"):
                    st.warning(md(asked))
                    if st.button(t("proposal_delete_anyway", lang), key=f"pd_yes_{row['id']}"):
                        _delete(plans, row["id"], lang, others_too=True)
            except SipAtlasError as exc:
                show_error("plans_error", lang, exc)
    return proposals


def _delete(plans: Plans, proposal_id: str, lang: Lang, *, others_too: bool = False) -> None:
    """Delete a proposal, offering the undo; where it is in other planners' scenarios, ask
    first (the question is kept for the next run, under the proposal)."""
    try:
        item, touched = plans.delete_proposal(proposal_id, others_too=others_too)
    except InOthersScenariosError as exc:
        st.session_state[f"pd_ask_{proposal_id}"] = exc.message(lang)
        st.rerun()
    st.session_state.pop(f"pd_ask_{proposal_id}", None)
    said = "、".join(touched) if touched else t("scenario_none_touched", lang)
    offer_undo(("proposal", item, touched),
               t_md("proposal_deleted", lang, title=item["title"], names=said))  # fmt: skip
    st.rerun()


def offer_undo(action: tuple, message: str) -> None:
    """Keep what was just deleted for the session, to be put back by the undo button."""
    st.session_state["plans_deleted"] = (action, message)


def undo_notice(plans: Plans, lang: Lang) -> None:
    """The last deletion, said, with a button that puts it back."""
    kept = st.session_state.get("plans_deleted")
    if not kept:
        return
    (kind, *payload), message = kept
    cols = st.columns([4, 1])
    cols[0].info(message)
    if cols[1].button(t("undo", lang), key="plans_undo"):
        try:
            if kind == "proposal":
                plans.restore_proposal(*payload)
            else:
                plans.restore_scenario(*payload)
            st.session_state.pop("plans_deleted", None)
            st.rerun()
        except SipAtlasError as exc:
            show_error("plans_error", lang, exc)
