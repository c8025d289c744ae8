"""Choice widgets whose option labels are in the interface's language.

Streamlit's browser side keeps a keyed choice by its *label*: after a language switch the old
label matches no new option and the widget shows no choice (the "Split by" radio in English),
or keeps the old language's label. The choice itself is stored language-free (status codes,
layer ids); a switch hands each such choice to the browser again, so it is shown with the new
label.
"""

from __future__ import annotations

import streamlit as st

from layers.i18n import Lang

__all__ = ["relabel_after_switch", "relabelled"]

_KEYS = "relabelled_keys"
_LANG = "relabelled_lang"


def relabelled(key: str) -> str:
    """``key``, registered as a choice whose labels follow the language (use as ``key=``)."""
    st.session_state.setdefault(_KEYS, set()).add(key)
    return key


def relabel_after_switch(lang: Lang) -> None:
    """Called once a run before the choices are drawn: after a language switch, re-set each
    registered choice to its own value so that the browser shows it with the new label."""
    if st.session_state.get(_LANG, lang) != lang:
        for key in st.session_state.get(_KEYS, set()):
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state[_LANG] = lang
