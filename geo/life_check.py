"""The life-circle check: which of the standard's facility classes each home parcel reaches at
its level (GB 50180-2018 附录 B), along the streets or, without a network, in a straight line.

Along streets, homes and facilities are entered from points on their outlines every 100 m
(``origin_points``), each joined to its nearest street (the few metres to the street are not
counted); in a straight line, from edge to edge. EPSG:4549 metres.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import to_metric
from geo.network import WalkNetwork
from geo.service_areas import LifeCircles, origin_points

__all__ = ["class_column", "facility_classes", "life_circle_check"]


def facility_classes(values: pd.Series, circles: LifeCircles) -> pd.DataFrame:
    """For each value (a facility's kind, e.g. '星海幼儿园' or 'Kindergarten'), whether it is of
    each class: a boolean frame, one column per class id, aligned to ``values``."""
    text = values.astype("string").str.lower().fillna("")
    found = {}
    for c in circles.classes:
        words = {*c["match"], c["id"].lower(), c["zh"].lower(), c["en"].lower()}
        hit = np.zeros(len(text), dtype=bool)
        for word in (w for w in words if w):
            hit |= text.str.contains(word, regex=False).to_numpy()
        found[c["id"]] = hit
    return pd.DataFrame(found, index=values.index)


_KIND_WORDS = ("类型", "类别", "分类", "设施", "type", "kind", "class", "category")


def class_column(facilities: gpd.GeoDataFrame, circles: LifeCircles) -> str | None:
    """The text column whose values name the most facilities of a class (on a tie, one named
    like 类型 / type, then the one with fewer distinct values), or None."""
    best, most = None, (0,)
    for column in facilities.columns:
        values = facilities[column]
        if column == facilities.geometry.name or not (
            pd.api.types.is_string_dtype(values) or values.dtype == object
        ):
            continue
        named = int(facility_classes(values, circles).any(axis=1).sum())
        hinted = any(w in str(column).lower() for w in _KIND_WORDS)
        score = (named, hinted, -values.nunique())
        if named and score > most:
            best, most = column, score
    return best


def life_circle_check(
    homes: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    column: str,
    circles: LifeCircles,
    net: WalkNetwork | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check each home (a residential parcel or block, any CRS) against ``facilities``, whose
    ``column`` names their kind.

    Returns ``per_home`` (aligned to ``homes.index``: for each class id the walking metres to
    the nearest facility of that class, ``inf`` beyond its level; ``missing_<minutes>`` the
    ids missing at each level; ``missing`` how many in all) and ``per_class`` (``class``,
    ``level``, ``distance_m``, ``facilities``, ``homes_reached``, ``share`` 0-1).
    """
    kinds = facility_classes(facilities[column], circles)
    home_points, home_of = origin_points(homes)
    facility_points, facility_of = origin_points(facilities)
    home_shapes = to_metric(homes).geometry.to_numpy()
    facility_shapes = to_metric(facilities).geometry.to_numpy()
    per_home = pd.DataFrame(index=homes.index)
    rows = []
    if net is not None:
        graph = net.attach(np.concatenate([home_points, facility_points]))
        home_nodes = graph.nodes[: len(home_points)]
        facility_nodes = graph.nodes[len(home_points) :]
    for c in circles.classes:
        limit = circles.levels[c["level"]]
        chosen = kinds[c["id"]].to_numpy()
        metres = np.full(len(homes), np.inf)
        if chosen.any() and net is not None:
            sources = facility_nodes[chosen[facility_of] & (facility_nodes >= 0)]
            if len(sources):
                dist = graph.distances(sources, limit, each=False)[0]
                joined = home_nodes >= 0
                np.minimum.at(metres, home_of[joined], dist[home_nodes[joined]])
        elif chosen.any():  # in a straight line: from the home's edge to the facility's
            tree = shapely.STRtree(facility_shapes[chosen])
            _, gap = tree.query_nearest(home_shapes, return_distance=True, all_matches=False)
            metres = np.where(gap <= limit, gap, np.inf)
        per_home[c["id"]] = np.round(metres, 1)
        reached = np.isfinite(metres) & (metres <= limit)
        rows.append({"class": c["id"], "level": c["level"], "distance_m": limit,
                     "facilities": int(chosen.sum()), "homes_reached": int(reached.sum()),
                     "share": round(float(reached.mean()), 4) if len(homes) else 0.0})  # fmt: skip
    for level in sorted(circles.levels):
        ids = [c["id"] for c in circles.classes if c["level"] == level]
        per_home[f"missing_{level}"] = [
            [i for i in ids if not np.isfinite(row[i])] for _, row in per_home[ids].iterrows()
        ] if ids else [[] for _ in range(len(homes))]  # fmt: skip
    per_home["missing"] = sum(per_home[f"missing_{m}"].map(len) for m in sorted(circles.levels))
    return per_home, pd.DataFrame(rows)
