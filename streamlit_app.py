"""The SIP planning atlas app: the map, its layers, the clicked feature and what is near it,
planning analysis, the upload of planners' own parcel files, and a layer summary."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.errors import SipAtlasError
from geo.plans import Plans
from geo.walking import merge_origins
from geo.workspace import Workspace, open_workspace
from layers.basemaps import available_basemaps, basemap
from layers.catalog import layer_info, load_base_layers
from layers.dynamic import dynamic_group
from layers.folium_map import (
    CONTEXT_GROUP,
    UPLOAD_GROUP,
    build_map,
    shown_with_context,
    stacked,
)
from layers.i18n import t, t_md
from layers.uploads import load_uploaded_layers
from ui.admin import admin_panel
from ui.analysis import analysis_panel
from ui.auth import account_box, sign_in
from ui.click_relay import quick_click
from ui.errors import new_page, show_error
from ui.export import export_panel
from ui.find import (
    attribute_table,
    search_box,
    selected_feature,
    selection_layer,
    zoom_to_selected,
)
from ui.map_cache import map_key, show_cached_map
from ui.panels import (
    details_panel,
    label_choice,
    nearby_panel,
    picked_feature,
    sidebar,
    summary_table,
)
from ui.permalink import (
    copy_link_button,
    restore_from_address,
    view_from_address,
    write_address,
)
from ui.plans import PROPOSALS_SPEC, apply_scenario, proposal_layer, sketch_form
from ui.preview import preview_layers, take_zoom, zoom_control
from ui.relabel import relabelled
from ui.scenarios import plans_panel
from ui.tiles import tile_states, tiles_panel
from ui.upload import upload_panel
from ui.walk import walk_from_click
from ui.workspace import workspace_panel

st.set_page_config(page_title="SIP Atlas 园区规划图集", page_icon="🗺️", layout="wide")
MAP_STATE = "atlas_map"  # st_folium copies the map's last click here
MAP_HEIGHT_PX = 580  # the frame first sent; in the browser it reaches the window's bottom
PAGE_CSS = f"<style>{(Path(__file__).parent / 'ui' / 'page.css').read_text()}</style>"
MAP_DATUM = "atlas_map_datum"  # the datum (wgs84, gcj02) of the map last drawn


@st.cache_resource(show_spinner=False)
def base_layers():
    """The validated base layers, loaded once per server process."""
    return load_base_layers()


@st.cache_data(show_spinner=False)
def base_infos() -> list[dict]:
    """Counts, bboxes and areas of the base layers."""
    return [layer_info(spec, gdf) for spec, gdf in base_layers()]


@st.cache_resource(show_spinner=False, max_entries=4)
def uploaded_layers(where: str, version: int, _workspace: Workspace):
    """The workspace's layers with their infos; reloaded whenever a layer changes."""
    layers = load_uploaded_layers(_workspace)
    return layers, [layer_info(spec, gdf) for spec, gdf in layers]


def _all_layers(workspace: Workspace):
    """The base and uploaded layers with their infos, and the workspace's error if its
    layers could not be read (said once the interface's language is known)."""
    try:
        layers, infos = list(base_layers()), list(base_infos())
    except SipAtlasError as exc:
        st.error(t_md("load_error", "zh", error=exc) + "\n\n" + t_md("load_error", "en", error=exc))
        st.stop()
    try:
        uploads, upload_infos = uploaded_layers(workspace.location, workspace.version(), workspace)
    except SipAtlasError as exc:
        return layers, infos, exc
    return layers + uploads, infos + upload_infos, None


def _origins(layers) -> gpd.GeoDataFrame:
    """The layers where walking circles start by default (registry role walking_default:
    consumption scenes and service districts), EPSG:4549."""
    return merge_origins(*(g for s, g in layers if "walking_default" in s.roles))


def _scenario(plans: Plans, lang: str) -> dict | None:
    names = [s["name"] for s in plans.scenarios()]
    asked = st.session_state.get("scenario")
    if asked not in ["", *names]:
        if asked:  # a shared link to a scenario renamed or deleted since: said, not silent
            st.session_state["scenario_gone"] = asked
        st.session_state["scenario"] = ""
    chosen = st.sidebar.selectbox(
        t("scenario_show", lang),
        ["", *names],
        key=relabelled("scenario"),
        format_func=lambda n: n or t("scenario_none", lang),
    )
    if chosen:
        st.session_state.pop("scenario_gone", None)
    elif gone := st.session_state.get("scenario_gone"):
        st.sidebar.warning(t("scenario_gone", lang, name=gone))
    return plans.scenario(chosen) if chosen else None


def _with_scenario(plans: Plans, layers: list, lang: str) -> tuple[list, dict | None]:
    """The layers as the chosen scenario changes them, with its proposals; and the scenario."""
    try:
        scenario = _scenario(plans, lang)
        return [*apply_scenario(layers, scenario), proposal_layer(plans, scenario)], scenario
    except SipAtlasError as exc:
        show_error("plans_error", lang, exc)
        return list(layers), None


def _notes(base, layers: list, shown: set[str], lang: str) -> None:
    """Title, and what a planner must know about this map before reading it, side by side in
    a compact head (ui/page.css) so that the map fills the rest of a laptop's first screen."""
    st.html(PAGE_CSS)
    head, notes = st.columns([3, 2], vertical_alignment="center")
    head.title(t("title", lang))
    head.caption(f"{t('subtitle', lang)}")
    if base.tiles is None:
        notes.info(t("no_basemap_note", lang))
    elif base.datum == "gcj02":
        notes.info(t("gcj_note", lang, name=base.name(lang)))
    if any(s.illustrative and s.id in shown for s, _ in layers):
        notes.warning(t("illustrative", lang))
    head.caption(t("shown", lang, n=len(shown), total=len(layers)))


def _reported_datum(base) -> str:
    """The datum of what the map reports (clicks, drawings): that of the map drawn in the
    previous run, which differs from this run's right after a basemap change."""
    reported = st.session_state.get(MAP_DATUM, base.datum)
    st.session_state[MAP_DATUM] = base.datum
    return reported


def _map_layers(drawn: list, view) -> tuple[list, list]:
    """What the map draws, bottom to top (context, uploads, circles, features, analysis
    highlights), and the derived layers among them; a feature's own highlights are added in
    the page (layers.dynamic). ``stacked`` puts an upload being previewed on top: it stays
    among the features."""
    ordered = stacked(drawn)
    under = [s.group in (CONTEXT_GROUP, UPLOAD_GROUP) and s.id != "preview" for s, _ in ordered]
    below = [layer for layer, low in zip(ordered, under, strict=True) if low]
    features = [layer for layer, low in zip(ordered, under, strict=True) if not low]
    derived = view.below + view.extra
    return below + view.below + features + view.extra, derived


def _tiles_ready(drawn: list, tiles: dict) -> list:
    """The drawn layers, a tiled layer whose tiles are not ready yet left empty for now."""
    waiting = {i for i, state in tiles.items() if state["state"] != "ready"}
    return [(s, g.iloc[:0] if s.id in waiting else g) for s, g in drawn]


def main() -> None:
    """Lay out the page: notes, the map with details beside it, then the tabs below."""
    new_page()
    workspace = open_workspace()
    actor, role = sign_in(workspace)
    plans = Plans(workspace, actor)
    as_is, infos, trouble = _all_layers(workspace)
    tiles = tile_states(workspace, as_is)
    specs = [*(s for s, _ in as_is), PROPOSALS_SPEC]
    restore_from_address(specs, [b.id for b in available_basemaps()])
    lang, basemap_id, chosen = sidebar(specs)
    account_box(actor, role, lang)
    if trouble:
        show_error("workspace_error", lang, trouble)
    layers, scenario = _with_scenario(plans, as_is, lang)
    write_address(lang, basemap_id, chosen, scenario["name"] if scenario else None)
    with st.sidebar:
        copy_link_button(lang)
    base = basemap(basemap_id)
    shown = shown_with_context((s for s, _ in layers), chosen, base.tiles is not None)
    state = st.session_state.get(MAP_STATE)
    search_box(layers, shown, state, lang)
    labelled = label_choice([s for s, _ in layers], lang)
    zoom_control(layers, shown, lang)
    _notes(base, layers, shown, lang)
    tiles_panel(workspace, as_is, tiles, lang)
    map_slot = st.container()
    tab_analysis, tab_table, tab_plans, tab_upload, tab_export, tab_summary = st.tabs(
        [t("tab_analysis", lang), t("tab_table", lang), t("tab_plans", lang),
         t("tab_upload", lang), t("tab_export", lang), t("tab_summary", lang)]
    )  # fmt: skip
    # What the map draws comes first (the analysis' filters and circles, an upload being
    # previewed), then the map, then the tabs it does not depend on: the map is sent and starts
    # loading in the browser while they are worked out.
    with tab_analysis:
        view = analysis_panel(layers, lang)
    editor = role != "viewer"
    with tab_upload:
        preview = upload_panel(lang, workspace) if editor else None
        if not editor:
            st.info(t("viewer_no_upload", lang))
    filtered = [(s, view.filtered.get(s.id, g)) for s, g in layers]
    drawn, on_map = preview_layers(filtered, shown, preview, lang)
    reported_datum = _reported_datum(base)
    with map_slot:
        _map_and_details(drawn, on_map, tiles, view, plans, editor, basemap_id, labelled,
                         reported_datum, lang)  # fmt: skip
    with tab_table:
        attribute_table(layers, shown, view.filtered, state, lang, view.groups)
    with tab_plans:
        plans_panel(plans, as_is, _origins(as_is), lang, editor)
    with tab_upload:
        workspace_panel(lang, workspace, editor)
        if role == "admin":
            admin_panel(workspace, lang)
    with tab_summary:
        summary = summary_table(infos, shown, lang).style.format(precision=1, na_rep="—")
        st.dataframe(summary, hide_index=True, width="stretch")
        st.caption(t("sources", lang))
    selected = selected_feature(drawn, state)
    picked = (  # for the export tab; the map's fragment works it out again after a click
        selected[:2] if selected else picked_feature(stacked(drawn), on_map, state, reported_datum)
    )
    with tab_export:  # prints carry the analysis' circles and highlights, named by method
        derived = view.below + view.extra
        export_panel([*layers, *derived], on_map | {s.id for s, _ in derived}, view.filtered,
                     picked, lang, view.table)  # fmt: skip


@st.fragment
def _map_and_details(drawn: list, shown: set[str], tiles: dict, view, plans: Plans, editor: bool,
                     basemap_id: str, labelled: set[str], reported_datum: str,
                     lang: str) -> None:  # fmt: skip
    """The map with the clicked feature's details and what is near it beside it. A fragment: a
    click, a sketch or the nearby distance reruns only this, with the arguments of the app's
    last whole run; the map already in the page is kept, its highlights changed in place."""
    state = quick_click(MAP_STATE)  # a click heard at once, before streamlit-folium says it
    selected = selected_feature(drawn, state)
    picked = (
        selected[:2] if selected else picked_feature(stacked(drawn), shown, state, reported_datum)
    )
    col_map, col_details = st.columns([5, 2])
    with col_details:
        if editor:
            sketch_form(plans, drawn, state, reported_datum, lang)
        details_panel(picked, bool((state or {}).get("last_object_clicked")), lang)
        nearby = nearby_panel(picked, drawn, shown, lang) + selection_layer(selected and picked)
        nearby += walk_from_click(drawn, state, reported_datum, lang)
    on_map, derived = _map_layers(_tiles_ready(drawn, tiles), view)
    base = basemap(basemap_id)
    visible = shown | {s.id for s, _ in derived}
    highlights = dynamic_group(nearby, lang=lang, datum=base.datum, visible=visible,
                               fit_wgs84=take_zoom() or zoom_to_selected())  # fmt: skip
    # the map's page depends on neither the layers switched on (the page switches them) nor
    # a feature's highlights (added to it in the page): those change without a new map
    options = {"lang": lang, "basemap_id": basemap_id, "draw": editor, "permalink": True,
               "layer_control": False, "labels": labelled, "fill_window": True,
               "view": view_from_address(), "switchable": True}  # fmt: skip
    with col_map:
        show_cached_map(
            map_key(on_map, **options), lambda: build_map(on_map, visible=visible, **options),
            dynamic=[highlights], key=MAP_STATE, height=MAP_HEIGHT_PX, use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip",
                              "all_drawings"],
        )  # fmt: skip


main()
