"""Who is using the app: the identity signed in through the organisation's OpenID Connect
provider (Streamlit's ``st.login``, configured under ``[auth]`` in ``.streamlit/secrets.toml``),
or, with no sign-in configured, the planner on their own machine (``local:<user>``).

A shared workspace (PostgreSQL) with no sign-in refuses to open, whatever the listening
address (a reverse proxy on the same host makes loopback reachable from anywhere), unless
``SIP_ATLAS_OPEN_SERVER=1`` says that it is meant to be open; ``sip-atlas app`` says so before
the server starts.

Who a provider's sign-in is (``identity``): the e-mail claim where the provider marks it
verified (``email_verified``), else the subject (``sub``); an identity in the ``local:``
namespace of the planner's own machine is never taken from a provider.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import streamlit as st

from geo.errors import SipAtlasError
from geo.settings import database_url
from geo.store import WorkspaceStore, is_local, local_actor
from layers.i18n import LANGS, Lang, t, t_md

__all__ = [
    "account_box",
    "current_actor",
    "identity",
    "refusal",
    "sign_in",
    "sign_in_configured",
    "team_server",
]

_ACTOR = "actor"


def sign_in_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` (or ``secrets.files``) configures ``[auth]``."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error types
        return False


def team_server() -> bool:
    """Whether this server is a team's (sign-in configured, or a shared PostgreSQL workspace)
    rather than a planner's own: error details stay in the server's log then."""
    return sign_in_configured() or database_url() is not None


def refusal() -> str | None:
    """Why this server must not open, or None: a shared workspace (PostgreSQL) with no sign-in,
    unless ``SIP_ATLAS_OPEN_SERVER=1``; the listening address does not matter (a reverse proxy
    on the same host reaches a loopback server from anywhere)."""
    if database_url() is None or sign_in_configured():
        return None
    if os.environ.get("SIP_ATLAS_OPEN_SERVER") == "1":
        return None
    return "open_server_refused"


def identity(claims: Mapping[str, object]) -> str | None:
    """Who a provider's signed-in user is: the ``email`` claim where ``email_verified`` is true,
    else the subject (``sub``); None where there is neither, or where it would be the planner's
    own machine's (``local`` or ``local:...``), which only a server without sign-in gives."""
    email, sub = claims.get("email"), claims.get("sub")
    verified = claims.get("email_verified") in (True, "true", "True")
    who = str(email).strip() if email and verified else str(sub or "").strip()
    if not who or is_local(who):
        return None
    return who


def sign_in(workspace: WorkspaceStore) -> tuple[str, str]:
    """The planner's identity and role here, after sign-in where it is configured; stops the
    page with a sign-in button, or with a message when the identity has no role here."""
    lang: Lang = LANGS.get(st.session_state.get("lang", "中文"), "zh")
    if team_server():  # an unexpected error's traceback names files and hosts: the log has it
        st.set_option("client.showErrorDetails", "none")
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
        actor = identity(st.user.to_dict())
        if actor is None:
            _stop(lang, t("signin_bad_identity", lang))
    try:
        role = workspace.role_of(actor)
    except SipAtlasError as exc:  # fail closed: no role without the store's answer
        logging.getLogger("sip_atlas").warning("no role for %s: %s", actor, exc)
        st.title(t("title", lang))
        st.error(t("workspace_unreachable", lang))  # what is wrong is the server log's
        st.stop()
    if role is None:
        first = not _has_users(workspace)  # no admin named yet: say how to name one
        _stop(lang, t_md("signin_no_admin" if first else "signin_no_role", lang, who=actor))
    st.session_state[_ACTOR] = actor
    return actor, role


def _has_users(workspace: WorkspaceStore) -> bool:
    try:
        return bool(workspace.users())
    except SipAtlasError:
        return True


def _stop(lang: Lang, message: str) -> None:
    """The page of a signed-in identity that may not use the atlas: why, and a sign-out."""
    st.title(t("title", lang))
    st.warning(message)
    if st.button(t("signout", lang), key="signout_norole"):
        st.logout()
    st.stop()


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
