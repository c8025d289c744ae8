"""The administrator's panel: who has which role, the whole workspace's history, and emptying
the trash. Shown to admins only; the store checks the role again for every change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.errors import SipAtlasError
from geo.plans import Plans
from geo.store import ROLES, WorkspaceStore
from layers.i18n import Lang, t, t_md
from ui.auth import current_actor
from ui.errors import show_error
from ui.relabel import relabelled
from ui.workspace import history_frame

__all__ = ["admin_panel"]

_LATEST = 200  # history rows shown; sip-atlas history gives all


def admin_panel(workspace: WorkspaceStore, lang: Lang) -> None:
    """Roles (set, remove), the workspace's latest changes, and emptying the trash."""
    with st.expander(t("admin_title", lang)):
        try:
            _roles(workspace, lang)
            events = workspace.history()[-_LATEST:][::-1]
            st.markdown(f"**{t('admin_history', lang, n=len(events))}**")
            if events:
                st.dataframe(history_frame(events, lang, targets=True), hide_index=True,
                             width="stretch", height=260)  # fmt: skip
            plans = Plans(workspace, current_actor())
            trashed = len(workspace.trash()) + len(plans.trash())
            sure = st.checkbox(t("admin_empty_sure", lang, n=trashed), key="adm_empty_sure",
                               disabled=not trashed)  # fmt: skip
            if st.button(t("admin_empty", lang), key="adm_empty", disabled=not (sure and trashed)):
                gone = workspace.empty_trash(actor=current_actor()) + plans.empty_trash()
                st.success(t("admin_emptied", lang, n=len(gone)))
        except SipAtlasError as exc:
            show_error("workspace_error", lang, exc)


def _roles(workspace: WorkspaceStore, lang: Lang) -> None:
    users = workspace.users()
    st.markdown(f"**{t('admin_roles', lang)}**")
    if message := st.session_state.pop("admin_message", None):
        st.success(message)
    if users:
        st.dataframe(pd.DataFrame({t("admin_account", lang): list(users),
                                   t("admin_role", lang): [t(f"role_{r}", lang)
                                                          for r in users.values()]}),
                     hide_index=True, width="stretch")  # fmt: skip
    else:
        st.caption(t("admin_no_roles", lang))
    cols = st.columns([3, 2, 1, 1])
    email = cols[0].text_input(t("admin_account", lang), key="adm_email").strip()
    role = cols[1].selectbox(t("admin_role", lang), ROLES, key=relabelled("adm_role"),
                             format_func=lambda r: t(f"role_{r}", lang))  # fmt: skip
    if cols[2].button(t("admin_set", lang), key="adm_set", disabled=not email):
        workspace.set_role(email, role, actor=current_actor())
        st.session_state["admin_message"] = t_md("admin_role_set", lang, who=email,
                                                 role=t(f"role_{role}", lang))  # fmt: skip
        st.rerun()
    if cols[3].button(t("remove", lang), key="adm_remove", disabled=email not in users):
        workspace.remove_user(email, actor=current_actor())
        st.rerun()
