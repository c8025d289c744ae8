"""A map click reaches the app at once.

streamlit-folium sends a click to the app a quarter of a second late (its frontend debounces
every update by 250 ms) and with the whole map's state. The map (``layers.view.ClickRelay``)
also hands each feature click, as streamlit-folium will describe it, to this small component in
the page (``st.components.v2``: our own script, no frame), which reruns the map's fragment
with it at once; streamlit-folium's own report of the same click follows and changes nothing.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["RELAY_KEY", "quick_click"]

RELAY_KEY = "click_relay"
_JS = """
export default function (component) {
    const { setTriggerValue } = component;
    window.sipMapClick = (click) => setTriggerValue("click", click);
    return () => { delete window.sipMapClick; };
}
"""
_relay = st.components.v2.component("sip_atlas_click_relay", js=_JS)


def quick_click(state_key: str) -> dict | None:
    """Mount the relay (in the map's fragment) and, when a click has just come through it, put
    it into the map's state under ``state_key`` as streamlit-folium will
    (``last_object_clicked`` {lat, lng} in the map's datum, ``last_object_clicked_tooltip``);
    returns the map's state."""
    result = _relay(key=RELAY_KEY, on_click_change=lambda: None)
    click = getattr(result, "click", None)
    if isinstance(click, dict) and isinstance(click.get("last_object_clicked"), dict):
        state = dict(st.session_state.get(state_key) or {})
        state["last_object_clicked"] = click["last_object_clicked"]
        state["last_object_clicked_tooltip"] = click.get("last_object_clicked_tooltip")
        st.session_state[state_key] = state
    return st.session_state.get(state_key)
