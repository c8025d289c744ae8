"""Errors shown to the planner: in the interface's language, each message once a page."""

from __future__ import annotations

import streamlit as st

from geo.errors import message_of
from layers.i18n import Lang, t_md

__all__ = ["new_page", "show_error"]

_SHOWN = "errors_shown"


def new_page() -> None:
    """Start a page run with no error shown yet (called first thing by the app's ``main``)."""
    st.session_state[_SHOWN] = set()


def show_error(key: str, lang: Lang, error: Exception) -> None:
    """Show ``error`` under the interface text ``key`` (which has an ``{error}`` slot), in
    ``lang``; a message already shown on this page (the same store failing for every panel)
    is not repeated."""
    message = message_of(error, lang)
    shown = st.session_state.setdefault(_SHOWN, set())
    if message not in shown:
        shown.add(message)
        st.error(t_md(key, lang, error=message))
