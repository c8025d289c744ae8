"""Walking distance along streets: a planner's line layer as a graph, service areas on it.

Everything is measured in EPSG:4549 metres. Lines meet where they share a vertex (to
``SNAP_M``); lines that cross without one do not meet (a bridge, an overpass). The shortest
paths are scipy's Dijkstra (``scipy.sparse.csgraph``). Places (origins, homes, facilities) are
joined to their nearest street at the foot of the perpendicular; the walk from the place to
the street is not counted (it is reported as ``to_street_m``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import dijkstra

from geo.crs import to_metric
from geo.errors import SipAtlasError

__all__ = ["SNAP_M", "Attached", "WalkNetwork", "build_network", "reached_pieces"]

SNAP_M = 0.01  # vertices closer than this are one junction (metres)
JOIN_M = 0.5  # a line's end this close to another line's middle meets it there (a T-junction)
_EPS = 1e-6  # csgraph drops zero weights: a place on a junction is this far from it


@dataclass(frozen=True)
class WalkNetwork:
    """A street network in EPSG:4549: ``xy`` junctions and vertices (n, 2) in metres, straight
    edges ``u``-``v`` of ``length`` metres, an STRtree over the edges for joining places."""

    xy: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    tree: shapely.STRtree
    joined_ends: int = 0  # line ends joined to the middle of another line (T-junctions)

    @property
    def edges(self) -> np.ndarray:
        """The edges as straight LineStrings (EPSG:4549)."""
        return self.tree.geometries

    def attach(self, points: np.ndarray, max_m: float = 500.0) -> Attached:
        """Join ``points`` (shapely Points, EPSG:4549) to their nearest edge, splitting it there.

        Points farther than ``max_m`` metres from every street get node -1 (not joined).
        """
        return _attach(self, np.asarray(points, dtype=object), max_m)


@dataclass(frozen=True)
class Attached:
    """A network with places joined: its edges (``u``, ``v``, ``length``) and ``xy`` include
    the places' feet; ``nodes`` is each place's node (-1: too far from any street) and
    ``to_street_m`` its distance to the street (metres)."""

    xy: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    nodes: np.ndarray
    to_street_m: np.ndarray

    @cached_property
    def graph(self):
        """The edges as a sparse matrix of metres (scipy CSR), made once."""
        n = len(self.xy)
        return coo_array((self.length, (self.u, self.v)), shape=(n, n)).tocsr()

    def distances(self, sources: np.ndarray, limit_m: float, *, each: bool) -> np.ndarray:
        """Walking metres from ``sources`` (node numbers) to every node, ``inf`` past ``limit_m``:
        one row per source with ``each``, else the nearest source's distance (one row)."""
        n = len(self.xy)
        graph = self.graph
        sources = np.asarray(sources, dtype=np.int64)
        if len(sources) == 0:
            return np.full((1 if not each else 0, n), np.inf)
        found = dijkstra(graph, directed=False, indices=sources, limit=limit_m, min_only=not each)
        return np.atleast_2d(found)


def build_network(lines: gpd.GeoDataFrame) -> WalkNetwork:
    """The walking graph of ``lines`` (any CRS; multi-part lines are split into their parts).

    Raises SipAtlasError when the layer holds no line of any length.
    """
    geoms = to_metric(lines).geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    geoms = shapely.get_parts(geoms[np.isin(kinds, (1, 5))])
    coords, line = shapely.get_coordinates(geoms, return_index=True)
    same = line[1:] == line[:-1]
    start, end = coords[:-1][same], coords[1:][same]
    keys = np.round(np.vstack([start, end]) / SNAP_M).astype(np.int64)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    u, v = inverse[: len(start)], inverse[len(start) :]
    xy = unique.astype(float) * SNAP_M
    keep = u != v
    a, b = np.minimum(u, v)[keep], np.maximum(u, v)[keep]
    length = np.hypot(*(xy[b] - xy[a]).T)
    if not len(a):
        raise SipAtlasError(
            "The network layer holds no street lines: choose a layer of lines (road centrelines)."
        )
    pairs = pd.DataFrame({"a": a, "b": b, "length": length})
    pairs = pairs.groupby(["a", "b"], as_index=False)["length"].min()  # one edge per pair
    a, b, length = (pairs[c].to_numpy() for c in ("a", "b", "length"))
    xy, a, b, length, joined = _join_t_junctions(xy, a, b, length)
    edges = shapely.linestrings(np.stack([xy[a], xy[b]], axis=1))
    return WalkNetwork(xy, a, b, length, shapely.STRtree(edges), joined)


def _join_t_junctions(xy, a, b, length):
    """Join each dead end lying within ``JOIN_M`` of another line's middle to that line (a
    T-junction drawn without a vertex on the through street)."""
    degree = np.bincount(np.concatenate([a, b]), minlength=len(xy))
    ends = np.flatnonzero(degree == 1)
    edges = shapely.linestrings(np.stack([xy[a], xy[b]], axis=1))
    points = shapely.points(xy[ends])
    end_i, edge = shapely.STRtree(edges).query(points, predicate="dwithin", distance=JOIN_M)
    other = (a[edge] != ends[end_i]) & (b[edge] != ends[end_i])
    end_i, edge = end_i[other], edge[other]
    if not len(end_i):
        return xy, a, b, length, 0
    gap = shapely.distance(points[end_i], edges[edge])
    best = pd.DataFrame({"end": end_i, "edge": edge, "gap": gap}).sort_values("gap")
    best = best.drop_duplicates("end")
    end_i, edge, gap = (best[c].to_numpy() for c in ("end", "edge", "gap"))
    t = shapely.line_locate_point(edges[edge], points[end_i], normalized=True)
    xy, a, b, length, feet = _split(xy, a, b, length, edge, t)
    return (xy, np.concatenate([a, ends[end_i]]), np.concatenate([b, feet]),
            np.concatenate([length, np.maximum(gap, _EPS)]), len(end_i))  # fmt: skip


def _split(xy, u, v, length, edge: np.ndarray, t: np.ndarray):
    """Edges ``edge`` cut at fractions ``t`` (0-1 from ``u``): new nodes at the cuts (numbered
    after ``xy``); returns (xy, u, v, length, the cuts' nodes)."""
    n = len(xy)
    cuts = xy[u[edge]] + t[:, None] * (xy[v[edge]] - xy[u[edge]])
    cut_nodes = n + np.arange(len(edge))
    split = np.unique(edge)
    chain = pd.DataFrame({
        "edge": np.concatenate([edge, split, split]),
        "t": np.concatenate([t, np.zeros(len(split)), np.ones(len(split))]),
        "node": np.concatenate([cut_nodes, u[split], v[split]]),
    }).sort_values(["edge", "t"], kind="stable")  # fmt: skip
    e, tt, node = (chain[c].to_numpy() for c in ("edge", "t", "node"))
    step = e[1:] == e[:-1]
    pieces = np.maximum((tt[1:] - tt[:-1])[step] * length[e[1:][step]], _EPS)
    kept = np.ones(len(u), dtype=bool)
    kept[split] = False
    return (
        np.vstack([xy, cuts]),
        np.concatenate([u[kept], node[:-1][step]]),
        np.concatenate([v[kept], node[1:][step]]),
        np.concatenate([length[kept], pieces]),
        cut_nodes,
    )


def _attach(net: WalkNetwork, points: np.ndarray, max_m: float) -> Attached:
    nodes = np.full(len(points), -1, dtype=np.int64)
    gap = np.full(len(points), np.inf)
    if len(points) == 0:
        return Attached(net.xy, net.u, net.v, net.length, nodes, gap)
    (place, edge), dist = net.tree.query_nearest(points, return_distance=True, all_matches=False)
    near = dist <= max_m
    place, edge, dist = place[near], edge[near], dist[near]
    gap[place] = dist
    t = shapely.line_locate_point(net.edges[edge], points[place], normalized=True)
    xy, u, v, length, feet = _split(net.xy, net.u, net.v, net.length, edge, t)
    nodes[place] = feet
    return Attached(xy, u, v, length, nodes, gap)


def reached_pieces(graph: Attached, dist: np.ndarray, distance_m: float) -> np.ndarray:
    """The street pieces (LineStrings, EPSG:4549) within ``distance_m`` walking metres, given
    ``dist``, the metres to each node of ``graph``: whole edges, and edges reached from one
    or both ends cut at the distance left."""
    du, dv = dist[graph.u], dist[graph.v]
    ru = np.clip(distance_m - du, 0, graph.length)  # reached from u, along the edge
    rv = np.clip(distance_m - dv, 0, graph.length)
    whole = ru + rv >= graph.length
    start, end = graph.xy[graph.u], graph.xy[graph.v]
    step = (end - start) / graph.length[:, None]
    pieces = [np.stack([start[whole], end[whole]], axis=1)]
    from_u = ~whole & (ru > 0)
    pieces.append(np.stack([start[from_u], start[from_u] + step[from_u] * ru[from_u, None]], 1))
    from_v = ~whole & (rv > 0)
    pieces.append(np.stack([end[from_v] - step[from_v] * rv[from_v, None], end[from_v]], 1))
    coords = np.concatenate(pieces)
    return shapely.linestrings(coords) if len(coords) else np.array([], dtype=object)
