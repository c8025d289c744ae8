"""The sidebar switches, the clicked feature's details, and the layer summary."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from geo.crs import METRIC_CRS, WGS84, to_metric
from geo.gcj02 import gcj02_to_wgs84
from geo.pick import around, pick_feature
from geo.settings import default_basemap
from layers.basemaps import available_basemaps, basemap
from layers.derived import derived_layer
from layers.i18n import LANGS, md, t, t_md
from layers.registry import (
    Lang,
    LayerSpec,
    field_label,
    field_value,
    group_name,
    load_registry,
)
from ui.relabel import relabel_after_switch, relabelled

__all__ = [
    "details_panel",
    "label_choice",
    "nearby_panel",
    "picked_feature",
    "sidebar",
    "summary_table",
]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]

# A layer switched in the sidebar is switched on the map at once, by the page (the map already
# holds every layer: layers.view.LayerSwitch); the app's run that follows says the same. Our own
# constant script, run once per page.
SWITCH_SCRIPT = """<script>
(function () {
    if (window.sipLayerSwitch) { return; }
    window.sipLayerSwitch = true;
    document.addEventListener('click', function (event) {  // before the box turns
        var holder = event.target.closest && event.target.closest('[class*="st-key-layer_"]');
        var box = holder && holder.querySelector('input[type=checkbox]');
        if (!box || box.disabled) { return; }
        var key = Array.from(holder.classList).find(function (c) {
            return c.indexOf('st-key-layer_') === 0;
        });
        var frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
        var map = frame && frame.contentWindow && frame.contentWindow.map;
        if (key && map && map.sipToggle) {
            map.sipToggle(key.slice('st-key-layer_'.length), !box.checked);
        }
    }, true);
})();
</script>"""


def sidebar(specs: Sequence[LayerSpec]) -> tuple[Lang, str, set[str]]:
    """Language, basemap and layer switches; returns (lang, basemap id, ids switched on)."""
    lang = LANGS[st.sidebar.radio(t("language", "zh"), list(LANGS), key="lang", horizontal=True)]
    relabel_after_switch(lang)
    choices = [b.id for b in available_basemaps()]
    start = default_basemap() if default_basemap() in choices else choices[0]
    basemap_id = st.sidebar.selectbox(
        t("basemap", lang), choices, index=choices.index(start), key=relabelled("basemap"),
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
            if st.sidebar.checkbox(md(spec.name(lang)), value=spec.visible, key=f"layer_{spec.id}"):
                shown.add(spec.id)
    with st.sidebar:
        st.html(SWITCH_SCRIPT, unsafe_allow_javascript=True)
    return lang, basemap_id, shown


def _title(row: pd.Series, lang: Lang) -> str:
    """What a feature is called in ``lang``: its name (in English with the Chinese one after
    it, the name planners use), a proposal's title, else its number."""
    if "name_zh" in row and "name_en" in row:
        return row["name_zh"] if lang == "zh" else f"{row['name_en']} · {row['name_zh']}"
    if "title" in row and str(row["title"] or "").strip():
        return str(row["title"])
    return str(row.get("parcel_id") or row["id"])


def label_choice(specs: Sequence[LayerSpec], lang: Lang) -> set[str]:
    """The sidebar's choice of labelled layers (those the registry gives a label), all at
    first; returns their ids."""
    labelled = [s.id for s in specs if s.label]
    names = {s.id: s.name(lang) for s in specs}
    chosen = st.sidebar.multiselect(t("labels", lang), labelled, default=labelled,
                                    key=relabelled("labels"), format_func=names.get,
                                    placeholder=t("choose_many", lang))  # fmt: skip
    return set(chosen)


def picked_feature(
    layers: Layers, shown: set[str], state: dict | None, datum: str
) -> tuple[LayerSpec, pd.Series] | None:
    """The feature of a shown layer under the last map click, or None."""
    clicked = (state or {}).get("last_object_clicked")
    if not clicked:
        return None
    lon, lat = clicked["lng"], clicked["lat"]
    if datum == "gcj02":
        lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
    candidates = [(s.id, g) for s, g in layers if s.id in shown and s.group != "analysis"]
    tooltip = (state or {}).get("last_object_clicked_tooltip")
    hit = pick_feature(candidates, lon, lat, tooltip_text=tooltip)
    if hit is None:
        return None
    spec, gdf = next((s, g) for s, g in layers if s.id == hit[0])
    return spec, gdf.loc[hit[1]]


def _shown(column: str, value: object, lang: Lang) -> str:
    """A value as the details table shows it: named in ``lang`` (yes/no, the registry's
    values), '—' for none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if isinstance(value, bool | np.bool_):
        return t("yes" if value else "no", lang)
    return str(field_value(column, value, lang))


def details_panel(picked: tuple[LayerSpec, pd.Series] | None, clicked: bool, lang: Lang) -> None:
    """The attributes of the clicked feature, as plain text (never HTML)."""
    st.subheader(t("details", lang))
    if picked is None:
        st.caption(t("details_none" if clicked else "details_hint", lang))
        return
    spec, row = picked
    st.markdown(f"**{md(_title(row, lang))}**")
    st.caption(md(spec.name(lang)))
    labels = spec.category_labels(lang)
    table = pd.DataFrame(
        {
            t("field", lang): [field_label(c, lang) for c in spec.popup],
            t("value", lang): [_shown(c, labels.get(row[c], row[c]), lang) for c in spec.popup],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="details_table")


def _extent_m(geom) -> float:
    """Half the diagonal of a WGS84 shape's bounding box, in metres (about)."""
    minx, miny, maxx, maxy = geom.bounds
    return 0.5 * float(np.hypot(maxx - minx, maxy - miny)) * 111_000


def nearby_panel(
    picked: tuple[LayerSpec, pd.Series] | None, layers: Layers, shown: set[str], lang: Lang
) -> list[tuple[LayerSpec, gpd.GeoDataFrame]]:
    """What lies within a chosen distance (metres, EPSG:4549) of the clicked feature; returns a
    highlight layer of it for the map."""
    st.subheader(t("nearby_title", lang))
    distance = st.number_input(t("nearby_distance", lang), 10.0, 10_000.0, 500.0, 50.0,
                               key="nearby_m")  # fmt: skip
    if picked is None:
        st.caption(t("nearby_hint", lang))
        return []
    spec, row = picked
    origin = to_metric(gpd.GeoSeries([row.geometry], crs=WGS84)).iloc[0]
    centre = row.geometry.centroid
    reach = distance + _extent_m(row.geometry)
    rows, geoms = [], []
    for other, whole in layers:
        if other.id not in shown or other.group in ("context", "analysis") or whole.empty:
            continue
        gdf = around(whole, centre.x, centre.y, reach)  # only what may be near is measured
        metric = to_metric(gdf).geometry
        gap = metric.distance(origin)
        near = gap[(gap <= distance) & ~((other.id == spec.id) & (gdf.index == row.name))]
        for label, metres in near.items():
            rows.append({t("col_layer", lang): other.name(lang),
                         t("value", lang): _title(gdf.loc[label], lang),
                         t("nearby_distance", lang): round(float(metres), 1)})  # fmt: skip
            geoms.append(metric[label].buffer(25) if metric[label].geom_type == "Point"
                         else metric[label])  # fmt: skip
    st.caption(t_md("nearby_of", lang, name=_title(row, lang), d=distance, n=len(rows)))
    if not rows:
        return []
    table = pd.DataFrame(rows).sort_values(t("nearby_distance", lang))
    st.dataframe(table, hide_index=True, width="stretch", key="nearby_table")
    hits = gpd.GeoDataFrame({"id": [str(i) for i in range(len(geoms))]}, geometry=geoms,
                            crs=METRIC_CRS)  # fmt: skip
    names = (t("nearby_layer", "zh", d=distance), t("nearby_layer", "en", d=distance))
    return [derived_layer("nearby", "nearby", names, hits)]


def summary_table(infos: Sequence[dict], shown: set[str], lang: Lang) -> pd.DataFrame:
    """One row per layer: name, group, feature count, area in ha and mu, floor area in 万m²
    (layers with a FAR), shown or not."""
    rows = []
    for info in infos:
        area_ha = info["area_ha"]
        rows.append({
            t("col_layer", lang): info[f"name_{lang}"],
            t("col_group", lang): group_name(info["group"], lang),
            t("col_count", lang): info["feature_count"],
            t("col_area_ha", lang): area_ha,
            t("col_area_mu", lang): None if area_ha is None else round(area_ha * 15, 1),
            t("col_floor", lang): info.get("floor_area_wan_m2"),
            t("col_shown", lang): "✓" if info["id"] in shown else "–",
        })  # fmt: skip
    return pd.DataFrame(rows)
