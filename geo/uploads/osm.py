"""OpenStreetMap extracts (.osm, .osm.pbf, read by GDAL's OSM driver): the ways people walk.

Of an extract's ``lines`` layer the atlas keeps the streets and paths people may walk on:
every ``highway=*`` way except motorways, trunk roads (快速路, mostly elevated expressways
without footways here) and their links, ways under construction or only proposed, race tracks,
bus-only ways and platforms; a way tagged ``foot=no``, or ``access=no``/``private`` without
``foot=yes``/``designated``, is left out too. Rivers, railways and power lines are not streets.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np

from geo.errors import IngestError
from geo.uploads.report import Warnings

__all__ = ["NOT_WALKABLE", "walkable_ways"]

NOT_WALKABLE = frozenset({
    "motorway", "motorway_link", "trunk", "trunk_link", "construction", "proposed",
    "raceway", "bus_guideway", "busway", "platform", "abandoned", "razed",
})  # fmt: skip


def _tag(other_tags: object, key: str) -> str | None:
    """A tag's value from GDAL's ``other_tags`` text ("foot"=>"no","lit"=>"yes")."""
    if not isinstance(other_tags, str):
        return None
    found = re.search(rf'"{key}"=>"([^"]*)"', other_tags)
    return found.group(1) if found else None


def walkable_ways(raw: gpd.GeoDataFrame, label: str, warnings: Warnings) -> gpd.GeoDataFrame:
    """The ways of an OSM ``lines`` layer people may walk on (see the module), the rest named
    in ``warnings``; IngestError when none is left (an empty layer is left to the reader's
    own message)."""
    if len(raw) == 0:
        return raw
    highway = raw["highway"] if "highway" in raw else gpd.pd.Series(None, index=raw.index)
    other = raw["other_tags"] if "other_tags" in raw else gpd.pd.Series(None, index=raw.index)
    foot = other.map(lambda v: _tag(v, "foot"))
    access = other.map(lambda v: _tag(v, "access"))
    street = highway.notna().to_numpy()
    fast = highway.isin(NOT_WALKABLE).to_numpy()
    barred = (
        (foot == "no")
        | (access.isin(["no", "private"]) & ~foot.isin(["yes", "designated", "permissive"]))
    ).to_numpy()
    keep = street & ~fast & ~barred
    if not keep.any():
        raise IngestError(
            f"{label} holds no way people may walk on ({len(raw)} lines: no highway=* way but "
            "motorways or trunk roads). Export an extract with the streets.",
            f"{label} 中没有可步行的道路（{len(raw)} 条线，除高速或快速路外没有 highway=* 道路）。"
            "请导出包含街道的数据。",
        )
    kinds = highway[fast].value_counts()
    said_fast = ", ".join(f"{n} {k}" for k, n in kinds.items())
    dropped = {"not streets": int((~street).sum()), "fast": int(fast.sum()),
               "barred": int((street & ~fast & barred).sum())}  # fmt: skip
    warnings.add(
        f"OpenStreetMap extract: kept the {int(keep.sum())} ways people may walk on "
        f"(footways, paths, streets); left out {dropped['fast']} motorway or trunk ways"
        f"{f' ({said_fast})' if said_fast else ''}, {dropped['barred']} ways closed to people on "
        f"foot (foot=no, access=private) and {dropped['not streets']} lines that are not streets "
        "(rivers, railways, power lines).",
        f"OpenStreetMap 数据：保留了 {int(keep.sum())} 条可步行道路（人行道、小路、街道）；未保留 "
        f"{dropped['fast']} 条高速或快速路{f'（{said_fast}）' if said_fast else ''}、"
        f"{dropped['barred']} 条禁止步行的道路（foot=no、access=private）和 "
        f"{dropped['not streets']} 条非道路的线（河流、铁路、电力线）。",
    )
    return raw[np.asarray(keep)]
