"""Share a view: the page address holds the view, layers, basemap, language and scenario."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from layers.i18n import LANGS, t
from layers.registry import LayerSpec

__all__ = ["copy_link_button", "restore_from_address", "view_from_address", "write_address"]

_RESTORED = "_address_restored"


def restore_from_address(specs: Sequence[LayerSpec], basemaps: Sequence[str]) -> None:
    """On a session's first run, set the widgets from the address's query parameters
    (``lang``, ``basemap``, ``layers``, ``scenario``); unknown values are ignored."""
    if st.session_state.get(_RESTORED):
        return
    st.session_state[_RESTORED] = True
    params = st.query_params
    lang = params.get("lang")
    names = {code: name for name, code in LANGS.items()}
    if lang in names:
        st.session_state["lang"] = names[lang]
    if params.get("basemap") in basemaps:
        st.session_state["basemap"] = params["basemap"]
    if "layers" in params:
        wanted = set(params["layers"].split(","))
        for spec in specs:
            st.session_state[f"layer_{spec.id}"] = spec.id in wanted
    if params.get("scenario"):
        st.session_state["scenario"] = params["scenario"]


def view_from_address() -> tuple[float, float, float] | None:
    """(lat, lon, zoom) from ``center=lat,lon`` and ``zoom=z``, if both are present and sane."""
    try:
        lat, lon = (float(v) for v in st.query_params["center"].split(","))
        zoom = float(st.query_params["zoom"])
    except (KeyError, ValueError):
        return None
    if -90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= zoom <= 20:
        return lat, lon, zoom
    return None


def write_address(lang: str, basemap_id: str, shown: set[str], scenario: str | None) -> None:
    """Put the current choices into the address (the map itself keeps centre and zoom there)."""
    wanted = {"lang": lang, "basemap": basemap_id, "layers": ",".join(sorted(shown))}
    if scenario:
        wanted["scenario"] = scenario
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    if not scenario and "scenario" in st.query_params:
        del st.query_params["scenario"]


_COPY = """
<button id="copy" style="font:14px sans-serif;padding:4px 12px;border:1px solid #ccc;
        border-radius:6px;background:#fff;cursor:pointer">🔗 {label}</button>
<script>
document.getElementById("copy").addEventListener("click", function () {{
  var button = this, url = window.parent.location.href;
  function done() {{ button.textContent = "✓ {copied}"; }}
  function fallback() {{  // plain http on an intranet: no clipboard API
    var area = document.createElement("textarea");
    area.value = url; document.body.appendChild(area); area.select();
    try {{ document.execCommand("copy"); done(); }} finally {{ area.remove(); }}
  }}
  if (navigator.clipboard && window.isSecureContext) {{
    navigator.clipboard.writeText(url).then(done, fallback);
  }} else {{ fallback(); }}
}});
</script>
"""


def copy_link_button(lang: str) -> None:
    """A button that copies the page's address (the view, layers, basemap, language and
    scenario it holds) for sharing."""
    from streamlit.components.v1 import html

    html(_COPY.format(label=t("copy_link", lang), copied=t("copied", lang)), height=40)
