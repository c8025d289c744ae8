"""The SIP planning atlas app: the map, its layers, the clicked feature, a layer summary, and
the upload of planners' own parcel files."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.errors import SipAtlasError
from geo.workspace import Workspace
from layers.basemaps import basemap
from layers.catalog import layer_info, load_base_layers
from layers.folium_map import CONTEXT_GROUP, build_map
from layers.i18n import t
from layers.uploads import load_uploaded_layers, upload_spec
from ui.panels import details_panel, sidebar, summary_table
from ui.upload import upload_panel, workspace_panel

st.set_page_config(page_title="SIP Atlas 园区规划图集", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False)
def base_layers():
    """The validated base layers, loaded once per server process."""
    return load_base_layers()


@st.cache_data(show_spinner=False)
def base_infos() -> list[dict]:
    """Counts, bboxes and areas of the base layers."""
    return [layer_info(spec, gdf) for spec, gdf in base_layers()]


@st.cache_resource(show_spinner=False, max_entries=4)
def uploaded_layers(root: str, manifest_mtime_ns: int):
    """The workspace's layers with their infos; reloaded whenever the manifest changes."""
    layers = load_uploaded_layers(Workspace(root))
    return layers, [layer_info(spec, gdf) for spec, gdf in layers]


def _manifest_mtime(workspace: Workspace) -> int:
    path = workspace.root / "manifest.json"
    return path.stat().st_mtime_ns if path.exists() else 0


def main() -> None:
    """Lay out the page."""
    workspace = Workspace()
    try:
        layers = list(base_layers())
        infos = list(base_infos())
    except SipAtlasError as exc:
        st.error(t("load_error", "zh", error=exc) + "\n\n" + t("load_error", "en", error=exc))
        st.stop()
    try:
        uploads, upload_infos = uploaded_layers(str(workspace.root), _manifest_mtime(workspace))
    except SipAtlasError as exc:
        st.error(t("workspace_error", "zh", error=exc))
        uploads, upload_infos = [], []
    layers += uploads
    infos += upload_infos
    lang, basemap_id, shown = sidebar([s for s, _ in layers])
    base = basemap(basemap_id)
    st.title(t("title", lang))
    st.caption(t("subtitle", lang))
    if base.tiles is None:
        shown |= {s.id for s, _ in layers if s.group == CONTEXT_GROUP}
        st.info(t("no_basemap_note", lang))
    elif base.datum == "gcj02":
        st.info(t("gcj_note", lang, name=base.name(lang)))
    if any(s.illustrative and s.id in shown for s, _ in layers):
        st.warning(t("illustrative", lang))
    st.caption(t("shown", lang, n=len(shown), total=len(layers)))
    map_slot = st.container()
    st.subheader(t("summary", lang))
    st.dataframe(summary_table(infos, shown, lang), hide_index=True, width="stretch")
    preview = upload_panel(lang, workspace)
    workspace_panel(lang, workspace)
    st.caption(t("sources", lang))
    drawn = list(layers)
    if preview is not None:
        entry = {"id": "preview", "name": t("preview_layer", lang, name=preview.source.label),
                 "mapping": preview.report["mapping"],
                 "geometry_type": preview.report["geometry_type"]}  # fmt: skip
        drawn.append((upload_spec(entry, len(uploads), list(preview.gdf.columns)), preview.gdf))
        shown.add("preview")
    fmap = build_map(drawn, lang=lang, basemap_id=basemap_id, visible=shown)
    with map_slot:
        col_map, col_details = st.columns([5, 2])
        with col_map:
            state = st_folium(
                fmap, key="atlas_map", height=680, use_container_width=True,
                returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
            )  # fmt: skip
        with col_details:
            details_panel(drawn, shown, state, base.datum, lang)


main()
