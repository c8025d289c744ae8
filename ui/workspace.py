"""The workspace panel: saved uploads (rename, remove to the trash), the trash (restore), and
each layer's history of changes."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from geo.errors import SipAtlasError
from geo.store import WorkspaceStore
from layers.i18n import Lang, has_text, md, t, t_md
from ui.auth import current_actor
from ui.errors import show_error

__all__ = [
    "action_text",
    "history_by_target",
    "history_frame",
    "history_table",
    "local_time",
    "workspace_panel",
]


def local_time(stamp: str) -> str:
    """An ISO time stamp (UTC) as the server's local time, to the minute."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def action_text(action: str, lang: Lang) -> str:
    """A history action (upload, rename, proposal_edit ...) in ``lang``."""
    return t(f"action_{action}", lang) if has_text(f"action_{action}") else action


def history_frame(events: list[dict], lang: Lang, *, targets: bool = False) -> pd.DataFrame:
    """History ``events`` as a table in ``lang``: when (local time), who, what, and the name
    of what they changed, or with ``targets`` its id (the whole workspace's history)."""
    if targets:
        colon = "：" if lang == "zh" else ": "
        last = {t("history_target", lang): [f"{t('target_' + e['kind'], lang)}{colon}{e['target']}"
                                            for e in events]}  # fmt: skip
    else:
        last = {t("history_name", lang): [_named(e) for e in events]}
    return pd.DataFrame({
        t("history_when", lang): [local_time(e["at"]) for e in events],
        t("history_who", lang): [e["actor"] for e in events],
        t("history_what", lang): [action_text(e["action"], lang) for e in events],
        **last,
    })  # fmt: skip


def history_by_target(workspace: WorkspaceStore) -> dict[tuple[str, str], list[dict]]:
    """The workspace's history read once, grouped by what each change was made to: (kind,
    target), e.g. ('scenario', '近期') apart from a layer of that id."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for event in workspace.history():
        grouped.setdefault((event["kind"], event["target"]), []).append(event)
    return grouped


def history_table(history: dict[tuple[str, str], list[dict]], kind: str, target: str,
                  lang: Lang) -> None:  # fmt: skip
    """The recorded changes of one layer, proposal or scenario (``kind``, ``target``;
    ``history`` from ``history_by_target``), as a table."""
    if events := history.get((kind, target)):
        st.dataframe(history_frame(events, lang), hide_index=True, width="stretch",
                     key=f"history_{kind}_{target}")  # fmt: skip


def _named(event: dict) -> str:
    state = event["after"] or event["before"] or {}
    return str(state.get("name") or state.get("title") or "")


def _trash(workspace: WorkspaceStore, lang: Lang, editor: bool) -> None:
    from geo.plans import Plans

    trashed = workspace.trash()
    plans = Plans(workspace, actor=current_actor())
    deleted = plans.trash()
    if not trashed and not deleted:
        return
    with st.expander(t("trash_title", lang, n=len(trashed) + len(deleted))):
        st.caption(t("trash_help", lang))
        for entry in trashed:
            cols = st.columns([4, 1])
            cols[0].markdown(t_md("trash_item", lang, name=entry["name"], who=entry["removed_by"],
                                  when=local_time(entry["removed_at"])))  # fmt: skip
            if editor and cols[1].button(t("restore", lang), key=f"restore_{entry['id']}"):
                workspace.restore(entry["id"], actor=current_actor())
                st.session_state["workspace_message"] = t_md("restored", lang, name=entry["name"])
                st.rerun()
        for number, entry in enumerate(deleted):
            item = entry["item"]
            key = item["id"] if entry["kind"] == "proposal" else item["name"]
            name = item.get("title") or item["name"]
            cols = st.columns([4, 1])
            said = f"trash_{entry['kind']}" + ("_replaced" if entry.get("replaced") else "")
            cols[0].markdown(t_md(said, lang, name=name,
                                  who=entry["removed_by"],
                                  when=local_time(entry["removed_at"])))  # fmt: skip
            if editor and cols[1].button(t("restore", lang), key=f"restore_plan_{number}"):
                plans.restore(key)
                st.session_state["workspace_message"] = t_md("restored", lang, name=name)
                st.rerun()


def workspace_panel(lang: Lang, workspace: WorkspaceStore, editor: bool = True) -> None:
    """The saved uploads, each with rename, remove (to the trash) and its history; the trash.
    A viewer (``editor`` False) sees them without the controls (the store refuses anyway)."""
    st.subheader(t("workspace_title", lang))
    if message := st.session_state.pop("workspace_message", None):
        st.success(message)
    try:
        entries = workspace.list_layers()
        history = history_by_target(workspace) if entries else {}
        if not entries:
            st.caption(t("workspace_empty", lang))
        for entry in entries:
            layer_id = entry["id"]
            created = local_time(entry["created"])
            with st.expander(f"{md(entry['name'])} · {entry['feature_count']} · {created}"):
                history_table(history, "layer", layer_id, lang)
                if not editor:
                    continue
                new_name = st.text_input(t("layer_name", lang), entry["name"], key=f"rn_{layer_id}")
                cols = st.columns(3)
                if cols[0].button(t("rename", lang), key=f"rnb_{layer_id}"):
                    workspace.rename(layer_id, new_name, actor=current_actor())
                    st.rerun()
                sure = cols[1].checkbox(t("confirm_remove", lang), key=f"rmc_{layer_id}")
                if cols[2].button(t("remove", lang), key=f"rmb_{layer_id}", disabled=not sure):
                    workspace.remove(layer_id, actor=current_actor())
                    st.session_state["workspace_message"] = t_md("removed_to_trash", lang,
                                                                 name=entry["name"])  # fmt: skip
                    st.rerun()
        _trash(workspace, lang, editor)
    except SipAtlasError as exc:
        show_error("workspace_error", lang, exc)
