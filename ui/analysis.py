"""The analysis panel: overlay statistics, filters, walking circles and what is nearby."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import altair as alt
import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis import UNASSIGNED
from geo.cells import inert_cells
from geo.crs import METRIC_CRS
from geo.walking import LIFE_CIRCLES_M, merge_origins, walking_circles
from layers.analysis import (
    DISTRICT_COLUMN,
    AnalysisLayer,
    column_names,
    coverage_table,
    filter_parcels,
    overlay_table,
)
from layers.derived import derived_layer
from layers.i18n import download_name, t, t_md
from layers.registry import Lang, LayerSpec, field_label, status_labels, with_role
from layers.walk import origin_names
from ui.relabel import relabelled
from ui.walk import chosen_network, life_check_panel, network_coverage
from ui.walk import settings as life_settings

__all__ = ["AnalysisView", "analysis_panel", "table_downloads"]

Layers = Sequence[tuple[LayerSpec, gpd.GeoDataFrame]]
_HEADERS = {
    "zh": {"group": "片区", "status": "状态", "land_use": "用地性质", "count": "地块数",
           "area_m2": "面积（m²）", "area_ha": "面积（公顷）", "area_mu": "面积（亩）",
           "minutes": "步行时间（分钟）", "radius_m": "步行距离（米）", "parcels": "地块总数",
           "parcels_inside": "圈内地块数", "share_parcels": "地块占比",
           "area_inside_m2": "圈内面积（m²）", "share_area": "面积占比",
           "floor_area_m2": "建筑面积（m²）", "floor_area_wan_m2": "建筑面积（万m²）",
           "method": "量法", "people_inside": "圈内人口", "share_people": "人口占比",
           "homes_inside": "圈内住户", "share_homes": "住户占比"},
    "en": {"group": "District", "status": "Status", "land_use": "Land use", "count": "Parcels",
           "area_m2": "Area (m²)", "area_ha": "Area (ha)", "area_mu": "Area (mu)",
           "minutes": "Walk (min)", "radius_m": "Walk (m)", "parcels": "Parcels",
           "parcels_inside": "Parcels inside", "share_parcels": "Share of parcels",
           "area_inside_m2": "Area inside (m²)", "share_area": "Share of area",
           "floor_area_m2": "Floor area (m²)", "floor_area_wan_m2": "Floor area (10,000 m²)",
           "method": "Measured", "people_inside": "People inside",
           "share_people": "Share of people", "homes_inside": "Homes inside",
           "share_homes": "Share of homes"},
}  # fmt: skip


@dataclass
class AnalysisView:
    """What the analysis puts on the map: filtered layers, derived layers drawn under the
    features (walking circles, so they never catch a click) and over them (highlights)."""

    filtered: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    below: list[tuple[LayerSpec, gpd.GeoDataFrame]] = field(default_factory=list)
    extra: list[tuple[LayerSpec, gpd.GeoDataFrame]] = field(default_factory=list)
    table: tuple[str, pd.DataFrame] | None = None  # the overlay table, titled, for a print
    # the analysed layer's groups (its id -> the grouping's name, each feature's group), so
    # that the attribute table shows them and a group's total can be checked by hand
    groups: dict[str, tuple[str, pd.Series]] = field(default_factory=dict)


COLUMN_PREFIX = "column:"  # a grouping by one of the layer's own columns, not a district layer


def own_column(grouping: str) -> str | None:
    """The column of a grouping by the layer's own column ('column:area_zh'), else None."""
    return grouping.removeprefix(COLUMN_PREFIX) if grouping.startswith(COLUMN_PREFIX) else None


def _group_header(grouping: str, by_id: dict, lang: Lang) -> str:
    """What the groups are, in ``lang``: the column's label (片区) or the district layer's
    name (环湖地区)."""
    column = own_column(grouping)
    return field_label(column, lang) if column else by_id[grouping][0].name(lang)


def _grouping_name(grouping: str, by_id: dict, lang: Lang) -> str:
    """A grouping as the choice names it: '片区（地块属性）', '环湖地区'."""
    if own_column(grouping):
        return t("group_by_column", lang, name=_group_header(grouping, by_id, lang))
    return _group_header(grouping, by_id, lang)


@st.cache_resource(show_spinner=False, max_entries=8)
def _prepared(key: tuple, _spec: LayerSpec, _gdf, _districts) -> AnalysisLayer:
    return AnalysisLayer.prepare(_spec, _gdf, _districts, key[-1], column=own_column(key[1]))


def _display(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The table with its column headers in ``lang``."""
    return table.rename(columns=_HEADERS[lang])


def table_downloads(tables: dict[str, pd.DataFrame], stem: str, lang: Lang, title: str) -> None:
    """CSV (the first table) and Excel (every table, a sheet each) download buttons; the files
    are named by ``title`` and the day, the buttons keyed by ``stem``. The files are made when a
    button is clicked, not on every run (an Excel file of 10,000 rows takes seconds)."""
    tables = {sheet: inert_cells(table) for sheet, table in tables.items()}  # nothing runs
    first = next(iter(tables.values()))
    cols = st.columns(2)
    cols[0].download_button(
        t("download_csv", lang),
        lambda: first.to_csv(index=False).encode("utf-8-sig"),
        download_name(title, ".csv"),
        "text/csv",
        key=f"csv_{stem}",
    )

    def excel() -> bytes:
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for sheet, table in tables.items():
                table.to_excel(writer, sheet_name=sheet[:31], index=False)
        return buffer.getvalue()

    cols[1].download_button(
        t("download_xlsx", lang),
        excel,
        download_name(title, ".xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx_{stem}",
    )


def _charts(table: pd.DataFrame, split: str | None, lang: Lang) -> None:
    if table.empty:
        return
    colour = (
        alt.Color(f"{split}:N", title=t(f"split_{split}", lang)) if split else alt.value("#08519c")
    )
    measure = (alt.X("sum(area_ha):Q", title=t("chart_area", lang)) if "area_ha" in table
               else alt.X("sum(count):Q", title=t("chart_count", lang)))  # fmt: skip
    bar = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=measure,
            y=alt.Y("group:N", sort="-x", title=None),
            color=colour,
        )
    )
    part = split or "group"
    donut = (
        alt.Chart(table)
        .mark_arc(innerRadius=55)
        .encode(
            theta=alt.Theta("sum(count):Q", title=t("chart_count", lang)),
            color=alt.Color(f"{part}:N", title=None),
        )
    )
    cols = st.columns([3, 2])
    cols[0].altair_chart(bar, width="stretch")
    cols[1].altair_chart(donut, width="stretch")


def _clear_filters(keys: list[str]) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def value_labels(layer: AnalysisLayer, lang: Lang) -> dict[str, str]:
    """Status and land-use values as a planner reads them in ``lang``: category names from the
    registry (an upload's status codes as the atlas' parcels' are named), and a Chinese
    column's values through its English twin (current_use_zh -> current_use_en) in the English
    interface."""
    labels = layer.spec.category_labels(lang)
    if not labels:  # an upload whose status column uses the atlas' codes (vacated ...)
        labels = status_labels(lang)
    column = layer.column("land_use")
    return labels | (column_names(layer.gdf, column, lang) if column else {})


def _said(name: str, values: list[str], lang: Lang) -> str:
    """'状态：已识别、已完成' / 'Status: Identified, Completed'."""
    return f"{name}：{'、'.join(values)}" if lang == "zh" else f"{name}: {', '.join(values)}"


def _district_choices(layer: AnalysisLayer, lang: Lang) -> dict:
    """Group key -> its name in ``lang``, for the groups the layer's features fall in (the
    filter keeps keys, so that a choice means the same in either language)."""
    present = set(layer.gdf[DISTRICT_COLUMN])
    choices = {i: n for i, n in layer.groups.items() if n in present}
    if UNASSIGNED in present:
        choices[UNASSIGNED] = t("district_none", lang)
    return choices


def _filters(
    layer: AnalysisLayer, district_id: str, lang: Lang, key: str
) -> tuple[gpd.GeoDataFrame, list[str] | None]:
    """The filter widgets, the features they keep and the groups chosen (None: all). Widgets
    hold language-independent values (status codes, district ids) and are keyed by the
    grouping, so a new grouping starts with everything chosen and a new language changes only
    the labels."""
    gdf, chosen, hidden = layer.gdf, {}, []
    grouping = district_id.replace(":", "_")
    keys = [f"f_status_{key}", f"f_land_use_{key}", f"f_district_{key}_{grouping}", f"f_area_{key}"]
    labels = value_labels(layer, lang)
    with st.expander(t("filters", lang), expanded=True):
        cols = st.columns(4)
        for col, widget, (role, arg) in zip(
            cols, keys, (("status", "statuses"), ("land_use", "land_uses")), strict=False
        ):
            column = layer.column(role)
            if column:
                options = sorted(gdf[column].dropna().astype(str).unique())
                picked = col.multiselect(
                    t(f"filter_{role}", lang),
                    options,
                    default=options,
                    key=relabelled(widget),
                    placeholder=t("choose_many", lang),
                    format_func=lambda v: labels.get(v, v),
                )
                chosen[arg] = None if len(picked) == len(options) else picked
                if chosen[arg] is not None:
                    left = [labels.get(v, v) for v in options if v not in picked]
                    hidden.append(_said(t(f"filter_{role}", lang), left, lang))
        if DISTRICT_COLUMN in gdf:
            names = _district_choices(layer, lang)
            options = list(names)
            picked = cols[2].multiselect(
                t("filter_district", lang),
                options,
                default=options,
                key=relabelled(keys[2]),
                placeholder=t("choose_many", lang),
                format_func=lambda i: names.get(i, i),
            )
            if len(picked) < len(options):
                chosen["districts"] = [
                    UNASSIGNED if i == UNASSIGNED else names[i] for i in picked if i in names
                ]
                left = [names[i] for i in options if i not in picked]
                hidden.append(_said(t("filter_district", lang), left, lang))
        low, high = float(gdf["area_ha"].min()), float(gdf["area_ha"].max())
        if high > low:
            span = cols[3].slider(t("filter_area", lang), low, high, (low, high), key=keys[3])
            chosen["area_ha"] = None if span == (low, high) else span
            if chosen["area_ha"] is not None:
                hidden.append(_said(t("filter_area", lang), [f"{span[0]:.2f}-{span[1]:.2f}"], lang))
    filtered = filter_parcels(layer, **chosen)
    if hidden:
        cols = st.columns([4, 1])
        joiner = "；" if lang == "zh" else "; "
        cols[0].warning(
            t_md("filters_hide", lang, n=len(gdf) - len(filtered), what=joiner.join(hidden))
        )
        cols[1].button(t("filters_clear", lang), key=f"f_clear_{key}",
                       on_click=_clear_filters, args=(keys,))  # fmt: skip
    return filtered, chosen.get("districts")


def _walking(filtered, by_id, lang: Lang, view: AnalysisView, key: str) -> None:
    st.markdown(f"**{t('walking_title', lang)}**")
    network = chosen_network(by_id, lang)
    settings = life_settings()  # the planner's life_circles.toml, else the standard's values
    levels = settings.levels if settings else LIFE_CIRCLES_M
    network = network if settings else None  # along streets needs the settings' band
    cols = st.columns([3, *[1] * len(levels)])
    specs = [s for s, _ in by_id.values()]
    available = with_role(specs, "walking_origin")
    chosen = [i for i in available if i in with_role(specs, "walking_default")]
    origin_ids = cols[0].multiselect(
        t("walking_of", lang),
        available,
        default=chosen,
        format_func=lambda i: by_id[i][0].name(lang),
        key=relabelled("w_of"),
        placeholder=t("choose_many", lang),
    )
    circles = {
        m: cols[i + 1].number_input(
            t("radius_for", lang, m=m), 50.0, 5_000.0, r, 50.0, key=f"w_{m}"
        )
        for i, (m, r) in enumerate(levels.items())
    }
    show = st.checkbox(t("show_circles", lang), value=True, key="w_show")
    highlight = st.checkbox(t("highlight_outside", lang), value=True, key="w_outside")
    if origin_ids and not filtered.empty:
        if network is None:
            inside = _straight(filtered, by_id, origin_ids, circles, show, view, lang, key)
        else:
            origins = [by_id[i] for i in origin_ids]
            names = [origin_names(s, g, lang) for s, g in origins]
            title = f"{by_id[key][0].name(lang)}-{t('coverage_table', lang)}"
            inside = network_coverage(
                filtered,
                origins,
                names,
                network,
                circles,
                view,
                show,
                lang,
                shown=lambda table: _coverage(table, key, title, lang),
                circles=settings,
            )
        if highlight:
            outside = filtered[~inside]
            name = (t("outside_layer", "zh"), t("outside_layer", "en"))
            view.extra.append(
                derived_layer("outside", "outside_15min", name, outside[["id", "geometry"]])
            )
    if settings is not None:  # else the walking section has said what is wrong with them
        life_check_panel(filtered, by_id, key, network, view, lang, settings)


def _coverage(table: pd.DataFrame, key: str, title: str, lang: Lang) -> None:
    """The coverage table with its downloads."""
    st.dataframe(_display(table, lang), hide_index=True, width="stretch", key="coverage_table")
    table_downloads({"coverage": _display(table, lang)}, f"coverage_{key}", lang, title)


def _straight(filtered, by_id, origin_ids, circles, show, view, lang, key) -> pd.Series:
    """Coverage of the straight-line circles (the default), drawn when ``show``; returns the
    15-minute inside flags."""
    origins = merge_origins(*(by_id[i][1] for i in origin_ids))
    table, inside = coverage_table(filtered, origins, circles)
    _coverage(table, key, f"{by_id[key][0].name(lang)}-{t('coverage_table', lang)}", lang)
    st.caption(t("walk_straight_note", lang))
    if show:
        rings = walking_circles(origins, list(circles.values()))
        minutes = {r: m for m, r in circles.items()}
        for _, ring in rings.iterrows():
            m = minutes[ring["radius_m"]]
            name = (
                t("circles_layer", "zh", m=m, r=ring["radius_m"]),
                t("circles_layer", "en", m=m, r=ring["radius_m"]),
            )
            said = {"id": [f"{m} min"], "name": [name[0 if lang == "zh" else 1]]}
            gdf = gpd.GeoDataFrame(said, geometry=[ring.geometry], crs=METRIC_CRS)
            view.below.append(derived_layer("circles", f"circles_{m}", name, gdf, ("name",)))
    return inside[float(circles[max(circles)])]


def analysis_panel(layers: Layers, lang: Lang) -> AnalysisView:
    """Overlay statistics with filters, charts and downloads, and walking-circle coverage."""
    view = AnalysisView()
    by_id = {s.id: (s, g) for s, g in layers}
    polygons = [  # and point layers: consumption scenes counted by lake district
        s.id
        for s, _ in layers
        if s.geometry_type in ("Polygon", "Point") and s.group not in ("context", "analysis")
    ]
    if not polygons:
        st.caption(t("no_polygons", lang))
        return view
    cols = st.columns(3)
    parcels = [i for i in with_role((s for s, _ in layers), "parcels") if i in polygons]
    default = polygons.index(parcels[0]) if parcels else 0
    layer_id = cols[0].selectbox(
        t("analysis_layer", lang),
        polygons,
        index=default,
        key=relabelled("an_layer"),
        format_func=lambda i: by_id[i][0].name(lang),
    )
    spec, gdf = by_id[layer_id]
    own = [f"{COLUMN_PREFIX}{c}" for c in (spec.analysis.get("group"),) if c and c in gdf]
    groupings = [*own, *(d for d in with_role((s for s, _ in layers), "district") if d != layer_id)]
    if st.session_state.get("an_by") not in groupings:  # another layer was chosen
        st.session_state.pop("an_by", None)
    district_id = cols[1].selectbox(
        t("analysis_by", lang),
        groupings,
        key=relabelled("an_by"),
        format_func=lambda i: _grouping_name(i, by_id, lang),
    )
    split = cols[2].radio(
        t("analysis_split", lang),
        ["none", "status", "land_use"],
        horizontal=True,
        key=relabelled("an_split"),
        format_func=lambda v: t(f"split_{v}", lang),
    )
    key = (layer_id, district_id, len(gdf), lang)
    layer = _prepared(key, spec, gdf, None if own_column(district_id) else by_id[district_id])
    filtered, groups = _filters(layer, district_id, lang, layer_id)
    header = _group_header(district_id, by_id, lang)
    view.groups[layer_id] = (
        header,
        layer.gdf[DISTRICT_COLUMN].replace(UNASSIGNED, t("district_none", lang)),
    )
    if len(filtered) < len(gdf):  # the map keeps the very same data when nothing is filtered
        view.filtered[layer_id] = gdf.loc[filtered.index]
    points = spec.geometry_type == "Point"  # counted, not measured
    area = {"ha": filtered["area_ha"].sum(), "mu": filtered["area_mu"].sum()}
    said = "filtered_points" if points else "filtered"
    st.caption(t(said, lang, n=len(filtered), total=len(gdf), **area))
    by_share = (
        layer.parts is not None
        and not points
        and st.toggle(
            t("split_by_share", lang), key="an_share", help=t("split_by_share_help", lang)
        )
    )
    table = overlay_table(layer, filtered, None if split == "none" else split, groups=groups,
                          by_share=by_share)  # fmt: skip
    if split != "none" and split in table:
        labels = value_labels(layer, lang)
        table[split] = table[split].map(lambda v: labels.get(v, v))
    st.markdown(f"**{t('overlay_table', lang)}**")
    table["group"] = table["group"].replace(UNASSIGNED, t("district_none", lang))
    if points:  # a point has no area: its table counts
        table = table[[c for c in table.columns if not c.startswith(("area_", "floor_"))]]
    shown = _display(table, lang)
    st.dataframe(shown, hide_index=True, width="stretch", key="overlay_table")
    rule = "group_rule_share" if by_share else "group_rule_district"
    st.caption(t("group_rule_column" if own_column(district_id) else rule, lang, name=header))
    title = f"{spec.name(lang)}-{t('overlay_table', lang)}"
    table_downloads({"overlay": shown}, f"overlay_{layer_id}", lang, title)
    printed = [c for c in ("group", split, "count", "area_ha", "floor_area_wan_m2") if c in table]
    view.table = (f"{spec.name(lang)} · {_grouping_name(district_id, by_id, lang)}",
                  _display(table[printed], lang))  # fmt: skip
    _charts(table, None if split == "none" else split, lang)
    if points:
        st.caption(t("walking_polygons_only", lang))
    else:
        _walking(filtered, by_id, lang, view, layer_id)
    return view
