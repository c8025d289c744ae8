"""Errors shown to the planner: in the interface's language, each message once a page."""

from __future__ import annotations

import logging

import streamlit as st

from geo.errors import BilingualError, message_of
from layers.i18n import Lang, t_md

__all__ = ["new_page", "show_error"]

_SHOWN = "errors_shown"


def new_page() -> None:
    """Start a page run with no error shown yet (called first thing by the app's ``main``)."""
    st.session_state[_SHOWN] = set()


def show_error(key: str, lang: Lang, error: Exception) -> None:
    """Show ``error`` under the interface text ``key`` (which has an ``{error}`` slot), in
    ``lang``; a message already shown on this page (the same store failing for every panel)
    is not repeated. On a team server the error's detail (a database host, a path) goes to the
    server's log, not to the page."""
    from ui.auth import team_server

    team = team_server()
    message = message_of(error, lang, detail=not team)
    if team and isinstance(error, BilingualError) and error.detail:
        logging.getLogger("sip_atlas").warning("%s (%s)", error.en, error.detail)
    shown = st.session_state.setdefault(_SHOWN, set())
    if message not in shown:
        shown.add(message)
        st.error(t_md(key, lang, error=message))
