"""The SIP planning atlas app: the map, its layers, the clicked feature and a layer summary."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import SipAtlasError
from geo.gcj02 import gcj02_to_wgs84
from geo.pick import pick_feature
from geo.settings import default_basemap
from layers.basemaps import available_basemaps, basemap
from layers.catalog import layer_info, load_base_layers
from layers.folium_map import CONTEXT_GROUP, build_map
from layers.i18n import LANGS, t
from layers.registry import Lang, LayerSpec, field_label, group_name, load_registry

st.set_page_config(page_title="SIP Atlas 园区规划图集", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False)
def base_layers():
    """The validated base layers, loaded once per server process."""
    return load_base_layers()


@st.cache_data(show_spinner=False)
def layer_infos() -> list[dict]:
    """Counts, bboxes and areas of the base layers."""
    return [layer_info(spec, gdf) for spec, gdf in base_layers()]


def sidebar() -> tuple[Lang, str, set[str]]:
    """Language, basemap and layer switches; returns (lang, basemap id, ids switched on)."""
    lang = LANGS[st.sidebar.radio(t("language", "zh"), list(LANGS), key="lang", horizontal=True)]
    choices = [b.id for b in available_basemaps()]
    start = default_basemap() if default_basemap() in choices else choices[0]
    basemap_id = st.sidebar.selectbox(
        t("basemap", lang), choices, index=choices.index(start), key="basemap",
        format_func=lambda b: basemap(b).name(lang),
    )  # fmt: skip
    st.sidebar.subheader(t("layers", lang))
    shown: set[str] = set()
    for group in load_registry().groups:
        specs = [s for s in load_registry().layers if s.group == group]
        st.sidebar.markdown(f"**{group_name(group, lang)}**")
        for spec in specs:
            if st.sidebar.checkbox(spec.name(lang), value=spec.visible, key=f"layer_{spec.id}"):
                shown.add(spec.id)
    return lang, basemap_id, shown


def details_panel(layers, shown: set[str], state: dict | None, datum: str, lang: Lang) -> None:
    """The attributes of the clicked feature, as plain text (never HTML)."""
    clicked = (state or {}).get("last_object_clicked")
    tooltip = (state or {}).get("last_object_clicked_tooltip")
    st.subheader(t("details", lang))
    if not clicked:
        st.caption(t("details_hint", lang))
        return
    lon, lat = clicked["lng"], clicked["lat"]
    if datum == "gcj02":
        lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
    candidates = [(s.id, g) for s, g in layers if s.id in shown]
    hit = pick_feature(candidates, lon, lat, tooltip_text=tooltip)
    if hit is None:
        st.caption(t("details_none", lang))
        return
    spec: LayerSpec = next(s for s, _ in layers if s.id == hit[0])
    row = next(g for s, g in layers if s is spec).loc[hit[1]]
    st.markdown(f"**{row['name_zh']}** · {row['name_en']}")
    st.caption(spec.name(lang))
    labels = {c.value: getattr(c, lang) for c in spec.categories}
    table = pd.DataFrame(
        {
            t("field", lang): [field_label(c, lang) for c in spec.popup],
            t("value", lang): [str(labels.get(row[c], row[c])) for c in spec.popup],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="details_table")


def summary_table(shown: set[str], lang: Lang) -> pd.DataFrame:
    """One row per layer: name, group, feature count, area in ha and mu, shown or not."""
    rows = []
    for info in layer_infos():
        area_ha = info["area_ha"]
        rows.append({
            t("col_layer", lang): info[f"name_{lang}"],
            t("col_group", lang): group_name(info["group"], lang),
            t("col_count", lang): info["feature_count"],
            t("col_area_ha", lang): area_ha,
            t("col_area_mu", lang): None if area_ha is None else round(area_ha * 15, 1),
            t("col_shown", lang): "✓" if info["id"] in shown else "–",
        })  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    """Lay out the page."""
    lang, basemap_id, shown = sidebar()
    base = basemap(basemap_id)
    st.title(t("title", lang))
    st.caption(t("subtitle", lang))
    try:
        layers = base_layers()
    except SipAtlasError as exc:
        st.error(t("load_error", lang, error=exc))
        st.stop()
    if base.tiles is None:
        shown |= {s.id for s, _ in layers if s.group == CONTEXT_GROUP}
        st.info(t("no_basemap_note", lang))
    elif base.datum == "gcj02":
        st.info(t("gcj_note", lang, name=base.name(lang)))
    if any(s.illustrative and s.id in shown for s, _ in layers):
        st.warning(t("illustrative", lang))
    st.caption(t("shown", lang, n=len(shown), total=len(layers)))
    fmap = build_map(layers, lang=lang, basemap_id=basemap_id, visible=shown)
    col_map, col_details = st.columns([5, 2])
    with col_map:
        state = st_folium(
            fmap, key="atlas_map", height=680, use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        )  # fmt: skip
    with col_details:
        details_panel(layers, shown, state, base.datum, lang)
    st.subheader(t("summary", lang))
    st.dataframe(summary_table(shown, lang), hide_index=True, width="stretch")
    st.caption(t("sources", lang))


main()
