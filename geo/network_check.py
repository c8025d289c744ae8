"""What a planner should know about a street network before walking on it, in both languages:
parts not connected, dead ends that nearly meet a street, lines that cross without a junction
(bridges, overpasses, or a missing vertex), and a network far from the park. EPSG:4549 metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from geo.crs import METRIC_CRS
from geo.network import JOIN_M, WalkNetwork

__all__ = ["GAP_M", "NetworkCheck", "check_network"]

GAP_M = 10.0  # a dead end this close to another street probably was meant to meet it (metres)
FAR_M = 2_000.0  # a network this far from the park is probably in the wrong place (metres)


@dataclass
class NetworkCheck:
    """The check's figures, its findings (English, Chinese) and where they are: ``places``,
    points in EPSG:4549 with ``kind`` ('gap', 'crossing', 'part') and a ``note_en``/``note_zh``."""

    figures: dict
    findings: list[tuple[str, str]] = field(default_factory=list)
    places: gpd.GeoDataFrame | None = None
    far: tuple[str, str] | None = None  # the finding that the network lies far from the park

    def said(self, lang: str) -> list[str]:
        """The findings in ``lang`` ('zh' or 'en')."""
        return [zh if lang == "zh" else en for en, zh in self.findings]


def check_network(net: WalkNetwork, park=None) -> NetworkCheck:
    """Check ``net``; ``park`` (a polygon in EPSG:4549, optional) is where it should lie."""
    n = len(net.xy)
    graph = coo_array((net.length, (net.u, net.v)), shape=(n, n))
    used = np.zeros(n, dtype=bool)
    used[net.u], used[net.v] = True, True
    _, label = connected_components(graph, directed=False)
    per_part = np.bincount(label[net.u], weights=net.length)
    main = int(np.argmax(per_part))
    total = float(net.length.sum())
    figures = {
        "segments": len(net.u), "length_m": round(total, 1),
        "parts": len(np.unique(label[used])),
        "main_part_share": round(float(per_part[main] / total), 4) if total else 0.0,
        "dead_ends": 0, "near_misses": 0, "crossings": 0, "joined_ends": net.joined_ends,
        "distance_to_park_m": None,
    }  # fmt: skip
    check = NetworkCheck(figures)
    places = [_parts(net, label, main, per_part, check), _gaps(net, check), _crossings(net, check)]
    if park is not None and not shapely.is_empty(park):
        _where(net, park, check)
    if net.joined_ends:
        check.findings.append((
            f"{net.joined_ends} line ends lay on another street's middle (within {JOIN_M} m) "
            "and were joined to it as T-junctions.",
            f"{net.joined_ends} 个线端落在另一条道路中间（{JOIN_M} 米内），已作为丁字路口连接。",
        ))  # fmt: skip
    check.places = gpd.GeoDataFrame(
        [row for rows in places for row in rows], columns=["kind", "note_en", "note_zh",
                                                           "geometry"],
        geometry="geometry", crs=METRIC_CRS,
    )  # fmt: skip
    return check


def _parts(net, label, main, per_part, check) -> list:
    small = [p for p in np.unique(label[net.u]) if p != main]
    if not small:
        return []
    metres = float(per_part[small].sum())
    check.findings.append((
        f"The network is in {len(small) + 1} parts: {len(small)} of them ({metres:,.0f} m of "
        "street) do not connect to the main part. A place joined to one reaches only that "
        "part; connect them in the drawing if people can walk between them.",
        f"路网分为 {len(small) + 1} 个互不连通的部分：其中 {len(small)} 个"
        f"（共 {metres:,.0f} 米道路）与主路网不相连，接入其上的地点只能到达该部分。"
        "如实际可步行连通，请在图中连接。",
    ))  # fmt: skip
    first = {p: np.flatnonzero(label[net.u] == p)[0] for p in small[:200]}
    return [("part", "not connected to the main network", "与主路网不相连",
             shapely.Point(net.xy[net.u[e]])) for e in first.values()]  # fmt: skip


def _gaps(net, check) -> list:
    degree = np.bincount(np.concatenate([net.u, net.v]), minlength=len(net.xy))
    ends = np.flatnonzero(degree == 1)
    check.figures["dead_ends"] = len(ends)
    points = shapely.points(net.xy[ends])
    end_i, edge = net.tree.query(points, predicate="dwithin", distance=GAP_M)
    other = (net.u[edge] != ends[end_i]) & (net.v[edge] != ends[end_i])
    near = np.unique(end_i[other])
    check.figures["near_misses"] = len(near)
    if len(ends):
        check.findings.append((
            f"{len(ends)} dead ends (a street that stops). {len(near)} of them stop within "
            f"{GAP_M:.0f} m of another street without meeting it: probably a gap in the "
            "drawing; the walk does not cross it.",
            f"共 {len(ends)} 个断头（道路在此终止），其中 {len(near)} 个距另一条道路不足 "
            f"{GAP_M:.0f} 米却未相连：可能是绘图缺口，步行路线不会跨越它。",
        ) if len(near) else (
            f"{len(ends)} dead ends (a street that stops); none stops just short of another.",
            f"共 {len(ends)} 个断头（道路在此终止），没有差一点就接上另一条道路的。",
        ))  # fmt: skip
    en, zh = f"stops {GAP_M:.0f} m or less from a street", f"距道路不足 {GAP_M:.0f} 米而未相连"
    return [("gap", en, zh, points[i]) for i in near[:500]]


def _crossings(net, check) -> list:
    left, right = net.tree.query(net.edges, predicate="crosses")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    check.figures["crossings"] = len(left)
    if not len(left):
        return []
    check.findings.append((
        f"Two streets cross without a junction at {len(left)} "
        f"place{'s' if len(left) != 1 else ''}: kept apart, as bridges and overpasses are. "
        "Where people can turn there, add a vertex to both lines.",
        f"{len(left)} 处道路交叉但没有交点：按桥梁或立交处理，不相连通。如行人可在此转向，"
        "请在两条线上都加上交点。",
    ))  # fmt: skip
    where = shapely.intersection(net.edges[left[:500]], net.edges[right[:500]])
    return [("crossing", "crossing without a junction (bridge?)", "交叉无交点（桥梁？）",
             shapely.point_on_surface(w)) for w in where]  # fmt: skip


def _where(net, park, check) -> None:
    hull = shapely.convex_hull(shapely.multipoints(net.xy))
    distance = float(shapely.distance(hull, park))
    check.figures["distance_to_park_m"] = round(distance, 1)
    if distance > FAR_M:
        check.far = (
            f"The network lies {distance / 1000:,.1f} km from the park: check its coordinate "
            "system (a Gaode/GCJ-02 or zone-prefixed file lands elsewhere).",
            f"路网距园区 {distance / 1000:,.1f} 公里：请检查其坐标系（高德/GCJ-02 或带带号的坐标会"
            "落在别处）。",
        )  # fmt: skip
        check.findings.append(check.far)
