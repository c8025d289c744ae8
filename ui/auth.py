"""Who is using the app: the identity signed in through the organisation's OpenID Connect
provider (Streamlit's ``st.login``, configured under ``[auth]`` in ``.streamlit/secrets.toml``),
or, with no sign-in configured, the planner on their own machine (``local:<user>``).

A server that listens beyond this machine with a shared workspace (PostgreSQL) and no sign-in
refuses to open unless ``SIP_ATLAS_OPEN_SERVER=1`` says that it is meant to be open.
"""

from __future__ import annotations

import os

import streamlit as st

from geo.errors import SipAtlasError
from geo.settings import database_url
from geo.store import WorkspaceStore, local_actor
from layers.i18n import LANGS, Lang, t, t_md
from ui.errors import show_error

__all__ = ["account_box", "current_actor", "refusal", "sign_in", "sign_in_configured"]

_ACTOR = "actor"
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def sign_in_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` (or ``secrets.files``) configures ``[auth]``."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error types
        return False


def refusal(address: str | None = None) -> str | None:
    """Why this server must not open (a shared workspace reachable beyond this machine with no
    sign-in), or None. ``address`` is the server's listening address (Streamlit's
    ``server.address``; empty means every interface)."""
    address = st.get_option("server.address") if address is None else address
    if database_url() is None or sign_in_configured() or (address or "") in _LOOPBACK:
        return None
    if os.environ.get("SIP_ATLAS_OPEN_SERVER") == "1":
        return None
    return "open_server_refused"


def sign_in(workspace: WorkspaceStore) -> tuple[str, str]:
    """The planner's identity and role here, after sign-in where it is configured; stops the
    page with a sign-in button, or with a message when the identity has no role here."""
    lang: Lang = LANGS.get(st.session_state.get("lang", "中文"), "zh")
    if (reason := refusal()) is not None:
        st.error(t(reason, "zh") + "\n\n" + t(reason, "en"))
        st.stop()
    if not sign_in_configured():
        actor = local_actor()
    elif not st.user.is_logged_in:
        st.title(t("title", lang))
        st.info(t("signin_needed", lang))
        if st.button(t("signin", lang), type="primary", key="signin"):
            st.login()
        st.stop()
    else:
        actor = str(st.user.get("email") or st.user.get("sub"))
    try:
        role = workspace.role_of(actor)
    except SipAtlasError as exc:  # the store is down: browse only, and say why
        show_error("workspace_error", lang, exc)
        role = "viewer"
    if role is None:
        st.title(t("title", lang))
        st.warning(t_md("signin_no_role", lang, who=actor))
        if st.button(t("signout", lang), key="signout_norole"):
            st.logout()
        st.stop()
    st.session_state[_ACTOR] = actor
    return actor, role


def account_box(actor: str, role: str, lang: Lang) -> None:
    """The sidebar's line saying who is signed in with which role, and a sign-out button."""
    if not sign_in_configured():
        return
    st.sidebar.caption(t_md("signed_in_as", lang, who=actor, role=t(f"role_{role}", lang)))
    if st.sidebar.button(t("signout", lang), key="signout"):
        st.logout()


def current_actor() -> str:
    """The identity ``sign_in`` found for this session (``local:<user>`` before it runs)."""
    return st.session_state.get(_ACTOR) or local_actor()
