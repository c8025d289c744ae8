"""Tiled layers in the app: their tiles are built (folder store, in the background) and the
planner is told how far the build is; the map is drawn again when they are ready."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import streamlit as st

from geo.errors import SipAtlasError
from geo.tile_source import tile_source
from layers.i18n import Lang, t_md
from layers.registry import LayerSpec
from layers.uploads import ensure_tiles

__all__ = ["tile_states", "tiles_panel"]


def tile_states(workspace, layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]) -> dict:
    """Each tiled layer's tile state (``{"state": ...}`` by layer id), starting the build of
    tiles that are missing (in a background thread of this server); a workspace that does not
    answer makes the state failed, with its reason."""
    states = {}
    for spec, gdf in layers:
        if spec.tiles:
            try:
                states[spec.id] = ensure_tiles(workspace, spec, lambda g=gdf: g)
            except SipAtlasError as exc:
                states[spec.id] = {"state": "failed", "reason": str(exc)}
    return states


def tiles_panel(workspace, layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
                states: dict, lang: Lang) -> None:  # fmt: skip
    """What the planner must know of tiled layers: a build's progress (looked at again every
    two seconds, the page redrawn when it is done), a failed build's reason, or a note."""
    building = {i for i, s in states.items() if s["state"] == "building"}
    for spec, _ in layers:
        state = states.get(spec.id)
        if state is None:
            continue
        if state["state"] == "failed":
            st.warning(t_md("vt_failed", lang, name=spec.name(lang), why=state.get("reason", "")))
        elif state["state"] == "ready":
            st.caption(t_md("vt_tiled", lang, name=spec.name(lang), n=spec.tiles))
    if building:
        _progress(workspace, {s.id: s for s, _ in layers if s.id in building}, lang)


@st.fragment(run_every=2)
def _progress(workspace, specs: dict[str, LayerSpec], lang: Lang) -> None:
    done = True
    for layer_id, spec in specs.items():
        try:
            state = tile_source(workspace, layer_id).state()
        except SipAtlasError:  # said by the app's next run (tile_states)
            continue
        if state["state"] == "building":
            done = False
            share = min(1.0, state.get("progress", 0.0))
            said = t_md("vt_building", lang, name=spec.name(lang), n=spec.tiles, pct=100 * share)
            st.progress(share, text=said)
    if done:
        st.rerun(scope="app")
