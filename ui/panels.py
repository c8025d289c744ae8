"""The sidebar switches, the clicked feature's details, and the layer summary."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.gcj02 import gcj02_to_wgs84
from geo.pick import pick_feature
from geo.settings import default_basemap
from layers.basemaps import available_basemaps, basemap
from layers.i18n import LANGS, t
from layers.registry import Lang, LayerSpec, field_label, group_name, load_registry

__all__ = ["details_panel", "sidebar", "summary_table"]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]


def sidebar(specs: Sequence[LayerSpec]) -> tuple[Lang, str, set[str]]:
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
        members = [s for s in specs if s.group == group]
        if not members:
            continue
        st.sidebar.markdown(f"**{group_name(group, lang)}**")
        for spec in members:
            if st.sidebar.checkbox(spec.name(lang), value=spec.visible, key=f"layer_{spec.id}"):
                shown.add(spec.id)
    return lang, basemap_id, shown


def _title(row: pd.Series) -> str:
    if "name_zh" in row and "name_en" in row:
        return f"**{row['name_zh']}** · {row['name_en']}"
    return f"**{row.get('parcel_id') or row['id']}**"


def details_panel(layers: Layers, shown: set[str], state: dict | None, datum: str, lang: Lang):
    """The attributes of the clicked feature, as plain text (never HTML)."""
    st.subheader(t("details", lang))
    clicked = (state or {}).get("last_object_clicked")
    tooltip = (state or {}).get("last_object_clicked_tooltip")
    if not clicked:
        st.caption(t("details_hint", lang))
        return
    lon, lat = clicked["lng"], clicked["lat"]
    if datum == "gcj02":
        lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
    hit = pick_feature([(s.id, g) for s, g in layers if s.id in shown], lon, lat,
                       tooltip_text=tooltip)  # fmt: skip
    if hit is None:
        st.caption(t("details_none", lang))
        return
    spec, gdf = next((s, g) for s, g in layers if s.id == hit[0])
    row = gdf.loc[hit[1]]
    st.markdown(_title(row))
    st.caption(spec.name(lang))
    labels = {c.value: getattr(c, lang) for c in spec.categories}
    table = pd.DataFrame(
        {
            t("field", lang): [field_label(c, lang) for c in spec.popup],
            t("value", lang): [str(labels.get(row[c], row[c])) for c in spec.popup],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="details_table")


def summary_table(infos: Sequence[dict], shown: set[str], lang: Lang) -> pd.DataFrame:
    """One row per layer: name, group, feature count, area in ha and mu, shown or not."""
    rows = []
    for info in infos:
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
