"""Life circles along the streets in the app: the walking network chosen (and its check),
coverage by both methods, the life-circle facility check, and the walk from a click."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st

from geo.crs import METRIC_CRS, WGS84, to_metric
from geo.errors import SipAtlasError, message_of
from geo.gcj02 import gcj02_to_wgs84
from geo.life_check import class_column, life_circle_check
from geo.network import WalkNetwork
from geo.network_check import NetworkCheck
from geo.service_areas import METHOD_NETWORK, LifeCircles, life_circles, network_areas
from layers.derived import derived_layer
from layers.i18n import t
from layers.registry import Lang, LayerSpec
from layers.walk import coverage_both, network_layer, origin_differences, origin_names
from ui.relabel import relabelled

__all__ = ["NETWORK_KEY", "chosen_network", "life_check_panel", "network_coverage",
           "walk_from_click"]  # fmt: skip

NETWORK_KEY = "w_net"  # the id of the layer walked along, or "" for straight lines
_PEOPLE = ("人口", "常住人口", "居住人口", "population", "pop", "people", "rk")
_HOMES = ("户数", "住户数", "套数", "住宅套数", "homes", "dwellings", "households", "hs")


@st.cache_resource(show_spinner=False, max_entries=4)
def _network(layer_id: str, count: int, bounds: tuple, _spec: LayerSpec, _gdf):
    """The walking graph of a line layer and its check, kept between runs (a click's walk is
    then a shortest-path search, not a new graph)."""
    return network_layer(_spec, _gdf)


def settings(*, say: bool = True) -> LifeCircles | None:
    """The life-circle settings, or None after saying (with ``say``) why they cannot be read."""
    try:
        return life_circles()
    except SipAtlasError as exc:
        if say:
            st.error(str(exc))
        return None


def _graph(spec: LayerSpec, gdf) -> tuple[WalkNetwork, NetworkCheck]:
    bounds = tuple(round(float(v), 6) for v in gdf.total_bounds) if len(gdf) else ()
    return _network(spec.id, len(gdf), bounds, spec, gdf)


def chosen_network(by_id: dict, lang: Lang):
    """The method choice (straight line, or along a line layer's streets) and, for a network,
    its check said in ``lang``; returns (spec, network, check) or None for straight lines."""
    lines = [i for i, (s, _) in by_id.items() if s.geometry_type == "LineString"]
    if st.session_state.get(NETWORK_KEY) not in ["", *lines]:
        st.session_state[NETWORK_KEY] = ""
    chosen = st.selectbox(
        t("walk_method", lang), ["", *lines], key=relabelled(NETWORK_KEY),
        format_func=lambda i: t("walk_along", lang, name=by_id[i][0].name(lang)) if i
        else t("walk_straight", lang), help=t("walk_method_help", lang),
    )  # fmt: skip
    if not lines:
        st.caption(t("walk_no_lines", lang))
    if not chosen:
        return None
    spec, gdf = by_id[chosen]
    try:
        with st.spinner(t("walk_check", lang, name=spec.name(lang))):
            net, check = _graph(spec, gdf)
    except SipAtlasError as exc:
        st.error(message_of(exc, lang))
        return None
    f = check.figures
    findings = check.said(lang)
    if check.far:  # the whole network elsewhere: said where it cannot be missed
        st.warning(check.far[lang == "zh"])
    serious = (
        bool(check.far) or f["main_part_share"] < 0.95 or f["near_misses"] > 0.05 * f["dead_ends"]
    )
    with st.expander(t("walk_check", lang, name=spec.name(lang)), expanded=serious):
        st.caption(t("walk_figures", lang, segments=f["segments"], km=f["length_m"] / 1000,
                     parts=f["parts"], main=f["main_part_share"], ends=f["dead_ends"],
                     crossings=f["crossings"]))  # fmt: skip
        for line in findings:
            st.markdown(f"- {line}")
    return spec, net, check


def _weights(parcels: gpd.GeoDataFrame, lang: Lang) -> dict[str, str]:
    numeric = [c for c in parcels.columns if c != parcels.geometry.name
               and pd.api.types.is_numeric_dtype(parcels[c])
               and not str(c).startswith(("area_", "floor_"))]  # fmt: skip
    if not numeric:
        return {}
    cols, chosen = st.columns(2), {}
    for col, key, words in ((cols[0], "people", _PEOPLE), (cols[1], "homes", _HOMES)):
        guess = next((c for c in numeric if str(c).lower() in words), "")
        options = ["", *numeric]
        chosen[key] = col.selectbox(
            t(f"walk_{key}", lang), options, index=options.index(guess), key=f"w_{key}",
            format_func=lambda c: c or t("walk_none", lang),
        )  # fmt: skip
    return {k: v for k, v in chosen.items() if v}


def network_coverage(filtered, origins: list, names: list, choice, circles_m: dict, view,
                     show: bool, lang: Lang, shown, circles: LifeCircles) -> pd.Series:  # fmt: skip
    """Coverage along the streets beside the straight-line figure, handed to ``shown`` to be
    put on the page; the network's areas drawn under the features when ``show``, and the
    difference per place; ``circles``: the life circles' settings (its band, standard).
    Returns the 15-minute inside flags along the streets."""
    _, net, check = choice
    weights = _weights(filtered, lang)
    table, inside, areas = coverage_both(filtered, [g for _, g in origins], net, circles,
                                         circles_m, weights)  # fmt: skip
    table["method"] = table["method"].map(lambda m: t(f"method_{m}", lang))
    shown(table)
    levels = ("、" if lang == "zh" else ", ").join(f"{r:.0f}" for r in circles_m.values())
    st.caption(t("walk_method_note", lang, levels=f"{levels} m", band=circles.band_m,
                 source=circles.source_zh if lang == "zh" else circles.source_en))  # fmt: skip
    if show:
        minutes = {r: m for m, r in circles_m.items()}
        for _, area in areas.iterrows():
            m, r = minutes.get(area["distance_m"], area["minutes"]), area["distance_m"]
            names_ = (t("network_layer", "zh", m=m, r=r), t("network_layer", "en", m=m, r=r))
            gdf = gpd.GeoDataFrame({"id": [f"{m} min"], "name": [names_[lang != "zh"]]},
                                   geometry=[area.geometry], crs=METRIC_CRS)  # fmt: skip
            view.below.append(derived_layer("circles", f"circles_{m}", names_, gdf, ("name",)))
        if len(check.places):
            issues = check.places.assign(id=check.places[f"note_{lang}"])[["id", "geometry"]]
            said = (t("walk_issues_layer", "zh"), t("walk_issues_layer", "en"))
            view.extra.append(derived_layer("issues", "network_issues", said, issues,
                                            geometry_type="Point"))  # fmt: skip
    largest = max(circles_m.values())
    with st.expander(t("walk_differences", lang, m=max(circles_m), r=largest)):
        rows = [origin_differences(filtered, g, n, net, circles, largest)
                for (_, g), n in zip(origins, names, strict=True)]  # fmt: skip
        st.dataframe(pd.concat(rows, ignore_index=True), hide_index=True, width="stretch")
    return inside[(METHOD_NETWORK, float(largest))]


def life_check_panel(homes: gpd.GeoDataFrame, by_id: dict, home_id: str, choice, view,
                     lang: Lang, circles: LifeCircles) -> None:  # fmt: skip
    """Which of the standard's facility classes (``circles``: the life circles' settings) each
    parcel of ``homes`` reaches at its level (along the network when one is chosen): a table,
    and the parcels missing one on the map."""
    st.markdown(f"**{t('check_title', lang)}**")
    layers = [i for i, (s, _) in by_id.items()
              if s.geometry_type in ("Point", "Polygon") and i != home_id
              and s.group not in ("context", "analysis")]  # fmt: skip
    cols = st.columns(2)
    facility_id = cols[0].selectbox(
        t("check_facilities", lang), ["", *layers], key=relabelled("chk_layer"),
        format_func=lambda i: by_id[i][0].name(lang) if i else t("walk_none", lang),
    )  # fmt: skip
    if not facility_id:
        st.caption(t("check_no_points", lang))
        return
    facilities = by_id[facility_id][1]
    texts = [c for c in facilities.columns if c != facilities.geometry.name
             and not pd.api.types.is_numeric_dtype(facilities[c])]  # fmt: skip
    guess = class_column(facilities, circles)
    column = cols[1].selectbox(t("check_column", lang), texts, key=f"chk_col_{facility_id}",
                               index=texts.index(guess) if guess in texts else 0)  # fmt: skip
    if column is None:
        return
    net = choice[1] if choice else None
    per_home, per_class = life_circle_check(homes, facilities, column, circles, net)
    if per_class["facilities"].sum() == 0:
        st.warning(t("check_no_column", lang, column=column, path=circles.path))
        return
    named = {c["id"]: c[lang] for c in circles.classes}
    missing = per_home["missing"] > 0
    st.caption(t("check_summary", lang, n=len(homes), complete=int((~missing).sum()),
                 missing=int(missing.sum())))  # fmt: skip
    shown = pd.DataFrame({t("col_name", lang): origin_names(by_id[home_id][0], homes, lang)})
    for level in sorted(circles.levels):
        shown[t("check_missing", lang, m=level)] = [
            ("、" if lang == "zh" else ", ").join(named[i] for i in ids) or "—"
            for ids in per_home[f"missing_{level}"]
        ]  # fmt: skip
    shown[t("check_missing_count", lang)] = per_home["missing"].to_numpy()
    st.dataframe(shown, hide_index=True, width="stretch", key="life_check_table")
    clauses = {c["id"]: c["clause"] for c in circles.classes}
    summary = pd.DataFrame({
        t("check_class", lang): per_class["class"].map(named),
        t("check_level", lang): per_class["level"], t("check_clause", lang):
        per_class["class"].map(clauses), t("check_found", lang): per_class["facilities"],
        t("check_reached", lang): per_class["homes_reached"],
        t("check_share", lang): per_class["share"].map(lambda v: f"{v:.0%}"),
    })  # fmt: skip
    st.dataframe(summary, hide_index=True, width="stretch", key="life_check_classes")
    method = t("walk_straight_note" if net is None else "method_network", lang)
    st.caption(t("check_source", lang, path=circles.path.name, method=method))
    if missing.any():
        said = (t("check_layer", "zh"), t("check_layer", "en"))
        lacking = homes.loc[missing.to_numpy(), ["geometry"]].assign(id=shown.loc[
            missing.to_numpy(), t("col_name", lang)].to_numpy())  # fmt: skip
        view.extra.append(derived_layer("lacking", "life_check_missing", said,
                                        lacking[["id", "geometry"]]))  # fmt: skip


def walk_from_click(layers: list, state: dict | None, datum: str, lang: Lang) -> list:
    """With a network chosen: the three life circles along its streets from the point clicked,
    said beside the map and returned as highlight layers for it."""
    chosen = st.session_state.get(NETWORK_KEY)
    clicked = (state or {}).get("last_object_clicked")
    found = next(((s, g) for s, g in layers if s.id == chosen), None) if chosen else None
    if not clicked or found is None:
        return []
    circles = settings(say=False)
    if circles is None:
        return []
    try:
        net, _ = _graph(*found)
    except SipAtlasError:
        return []
    lon, lat = clicked["lng"], clicked["lat"]
    if datum == "gcj02":
        lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
    point = to_metric(gpd.GeoSeries([shapely.Point(lon, lat)], crs=WGS84)).to_numpy()
    areas = network_areas(net, point, list(circles.levels.values()), circles)
    st.markdown(f"**{t('walk_click', lang)}**")
    if not np.isfinite(areas["to_street_m"].iloc[0]) or areas["area_m2"].sum() == 0:
        st.caption(t("walk_click_far", lang))
        return []
    lines, drawn = [], []
    for _, area in areas.sort_values("distance_m").iterrows():
        m, r = area["minutes"], area["distance_m"]
        lines.append(t("walk_click_row", lang, m=f"{m:g}", r=r, street=area["street_m"],
                       ha=area["area_m2"] / 10_000))  # fmt: skip
        names = (t("walk_click_layer", "zh", m=f"{m:g}", r=r),
                 t("walk_click_layer", "en", m=f"{m:g}", r=r))  # fmt: skip
        gdf = gpd.GeoDataFrame({"id": [names[lang != "zh"]]}, geometry=[area.geometry],
                               crs=METRIC_CRS)  # fmt: skip
        drawn.append(derived_layer("walk", f"walk_{m:g}", names, gdf))
    st.caption("  \n".join(lines))
    return drawn[::-1]
