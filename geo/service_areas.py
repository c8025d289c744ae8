"""Life circles along streets: service areas on a walking network, and their coverage.

The levels (minutes, metres), the walking speed and the band drawn around reached streets come
from ``life_circles.toml`` (GB 50180-2018), or the planner's copy named by
``SIP_ATLAS_LIFE_CIRCLES``. All measures in EPSG:4549 metres.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import METRIC_CRS, to_metric
from geo.errors import SipAtlasError
from geo.network import Attached, WalkNetwork, reached_pieces

__all__ = [
    "METHOD_NETWORK",
    "METHOD_STRAIGHT",
    "LifeCircles",
    "life_circles",
    "network_areas",
    "origin_points",
]

METHOD_NETWORK = "network"  # along the streets of the walking network
METHOD_STRAIGHT = "straight_line"  # a circle of the distance around each origin
DEFAULT_FILE = Path(__file__).with_name("life_circles.toml")


@dataclass(frozen=True)
class LifeCircles:
    """The life circles' settings: ``levels`` minutes -> metres, walking speed (m/min), the
    band around reached streets (m), facility ``classes`` and the standard's citation."""

    levels: dict[int, float]
    speed_m_per_min: float
    band_m: float
    classes: list[dict]
    source_zh: str
    source_en: str
    path: Path

    def minutes(self, distance_m: float) -> float:
        """The level's minutes for one of its distances, else metres / walking speed."""
        level = next((m for m, d in self.levels.items() if d == distance_m), None)
        return float(level) if level is not None else round(distance_m / self.speed_m_per_min, 1)


def life_circles(path: Path | None = None) -> LifeCircles:
    """Read the life circles' settings from ``path``, ``SIP_ATLAS_LIFE_CIRCLES`` or the
    atlas's defaults; SipAtlasError naming the file and what is wrong."""
    path = Path(path or os.environ.get("SIP_ATLAS_LIFE_CIRCLES") or DEFAULT_FILE)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        levels = {int(x["minutes"]): float(x["distance_m"]) for x in raw["levels"]}
        classes = [
            {"id": str(c["id"]), "zh": str(c["zh"]), "en": str(c["en"]),
             "level": int(c["level"]), "clause": str(c.get("clause", "")),
             "match": [str(w).lower() for w in c.get("match", [])]}
            for c in raw.get("classes", [])
        ]  # fmt: skip
        settings = LifeCircles(
            levels, float(raw["walking_speed_m_per_min"]), float(raw["band_m"]), classes,
            raw["standard"]["zh"], raw["standard"]["en"], path,
        )  # fmt: skip
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise SipAtlasError(
            f"The life-circle settings {path} cannot be read ({type(exc).__name__}: {exc}). "
            f"Compare it with {DEFAULT_FILE} and correct it."
        ) from None
    unknown = sorted({c["level"] for c in classes} - set(levels))
    if unknown or any(d <= 0 for d in levels.values()) or settings.speed_m_per_min <= 0:
        raise SipAtlasError(
            f"The life-circle settings {path}: distances and speed must be above 0, and each "
            f"class's level one of {sorted(levels)} minutes (not {unknown})."
        )
    return settings


ACCESS_EVERY_M = 100.0  # a polygon or line is reached from points this far apart on it


def origin_points(layer: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where each feature of ``layer`` (any CRS) is entered, as points in EPSG:4549, and the
    row (0-based) each point belongs to: a point as it is; a line or a polygon's outline every
    ``ACCESS_EVERY_M`` metres along it, and a point on it (a small one has that one only)."""
    geoms = to_metric(layer).geometry.to_numpy()
    kind = shapely.get_type_id(geoms)
    outline = np.where(np.isin(kind, (3, 6)), shapely.boundary(geoms), geoms)
    dense = shapely.segmentize(np.where(np.isin(kind, (0, 4)), None, outline), ACCESS_EVERY_M)
    coords, owner = shapely.get_coordinates(dense, return_index=True)
    inside = shapely.point_on_surface(geoms)
    points = np.concatenate([inside, shapely.points(coords)])
    return points, np.concatenate([np.arange(len(geoms)), owner])


_ONE_BUFFER = 800  # up to this many street pieces one buffer is quicker than cells
_PER_CELL = 25  # a 600 m cell with 12 times this many is cut into 100 m cells


def _band(pieces: np.ndarray, band_m: float):
    """The area within ``band_m`` of the reached street ``pieces``: pieces merged into
    continuous lines with flat ends (the band stops where the walk stops); many pieces are
    buffered cell by cell (600 m squares, 100 m where streets are dense) and then joined:
    one buffer of everything took 10 to 100 times as long on a dense network
    (bench/network_bench.py)."""
    if len(pieces) == 0:
        return shapely.Polygon()
    if len(pieces) <= _ONE_BUFFER:
        lines = shapely.line_merge(shapely.multilinestrings(pieces))
        return shapely.buffer(lines, band_m, quad_segs=4, cap_style="flat")
    middle = shapely.get_coordinates(shapely.line_interpolate_point(pieces, 0.5, normalized=True))
    coarse = np.floor(middle / 600.0)
    _, which, count = np.unique(coarse, axis=0, return_inverse=True, return_counts=True)
    side = np.where(count[which.ravel()] > _PER_CELL * 12, 100.0, 600.0)[:, None]
    cell = np.hstack([np.floor(middle / side), side]).astype(np.int64)
    order = np.lexsort(cell.T[::-1])
    ordered = cell[order]
    starts = np.flatnonzero((ordered[1:] != ordered[:-1]).any(axis=1)) + 1
    parts = [
        shapely.buffer(shapely.line_merge(shapely.multilinestrings(pieces[group])), band_m,
                       quad_segs=4, cap_style="flat")
        for group in np.split(order, starts)
    ]  # fmt: skip
    return shapely.union_all(np.array(parts)) if len(parts) > 1 else parts[0]


def network_areas(
    net: WalkNetwork,
    origins: np.ndarray,
    distances_m: Sequence[float],
    circles: LifeCircles,
    *,
    each: bool = True,
    names: Sequence[str] | None = None,
    owner: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Service areas along ``net`` around ``origins`` (Points, EPSG:4549) for each distance.

    ``owner`` says which origin each point is (``origin_points``: a polygon is entered from
    several); by default each point is one. With ``each`` one area per origin and distance,
    else one per distance for all origins.
    Columns: ``origin`` (its name, or 'all'), ``distance_m``, ``minutes``, ``method``
    ('network'), ``street_m`` (metres of street reached), ``area_m2``, ``to_street_m`` (the
    origin's distance to its street), ``geometry`` (EPSG:4549); largest distance first.
    Origins more than 500 m from every street get an empty area.
    """
    graph = net.attach(origins)
    owner = np.arange(len(origins)) if owner is None else np.asarray(owner)
    count = int(owner.max()) + 1 if len(owner) else 0
    names = list(names) if names is not None else [str(i) for i in range(count)]
    limit = max(distances_m)
    rows = []
    order = np.argsort(owner, kind="stable")
    split = np.split(order, np.flatnonzero(np.diff(owner[order])) + 1) if len(owner) else []
    groups = [list(g) for g in split] if each else [list(range(len(origins)))]
    for group in groups:  # one search per origin: from the nearest of its points
        sources = graph.nodes[group]
        sources = sources[sources >= 0]
        dist = graph.distances(sources, limit, each=False)[0] if len(sources) else None
        name = names[owner[group[0]]] if each and group else "all"
        rows += _rows(graph, dist, group, name, distances_m, circles)
    columns = ["origin", "distance_m", "minutes", "method", "street_m", "area_m2", "to_street_m",
               "geometry"]  # fmt: skip
    table = gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry",
                             crs=METRIC_CRS)  # fmt: skip
    return table.sort_values("distance_m", ascending=False, kind="stable", ignore_index=True)


def _rows(graph: Attached, dist, group, name: str, distances_m, circles: LifeCircles):
    rows = []
    for distance in sorted(set(float(d) for d in distances_m), reverse=True):
        pieces = reached_pieces(graph, dist, distance) if dist is not None else np.array([])
        area = _band(pieces, circles.band_m)
        rows.append({
            "origin": name,
            "distance_m": distance, "minutes": circles.minutes(distance),
            "method": METHOD_NETWORK, "street_m": round(float(shapely.length(pieces).sum()), 1),
            "area_m2": round(float(area.area), 1),
            "to_street_m": round(float(np.min(graph.to_street_m[group])), 1) if group else None,
            "geometry": area,
        })  # fmt: skip
    return rows
