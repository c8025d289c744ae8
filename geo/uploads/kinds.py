"""What kinds of thing an upload holds besides the features of one layer: a KML/KMZ's image
overlays, 3-D models and network links (pictures and links, never parcels), and features of
another geometry kind than the one kept (points beside polygons). Each is named in the report,
in both languages; none goes without a word."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.errors import IngestError
from geo.uploads.repair import FAMILY
from geo.uploads.report import Warnings

__all__ = ["geometry_kinds", "warn_other_kinds", "without_overlays"]

_EXTRAS = ("icon", "model", "networklink")  # LIBKML's fields of overlays, models and links
_WORDS = {"Point": ("points", "个点"), "LineString": ("lines", "条线"),
          "Polygon": ("polygons", "个面")}  # fmt: skip
_CHOICE = {"Point": "point", "LineString": "line", "Polygon": "polygon"}


def without_overlays(raw: gpd.GeoDataFrame, label: str, warnings: Warnings) -> gpd.GeoDataFrame:
    """``raw`` (read from a KML or KMZ) without its image overlays, models and network links;
    IngestError if nothing else is there."""
    extra = np.zeros(len(raw), dtype=bool)
    for column in (c for c in _EXTRAS if c in raw.columns):
        values = raw[column]
        extra |= (values.notna() & (values.astype(str).str.strip() != "")).to_numpy()
    if not extra.any():
        return raw
    names = [str(n) for n in raw.loc[extra, "Name"].dropna()][:5] if "Name" in raw else []
    named = f" ({', '.join(names)})" if names else ""
    if extra.all():
        raise IngestError(
            f"{label} holds only {extra.sum()} image overlay(s), model(s) or link(s){named}: "
            "pictures laid on the map, not parcels. Upload the parcels drawn as polygons; to "
            "compare with the plan image, use it as a reference outside the atlas.",
            f"{label} 中只有 {extra.sum()} 个叠加图片、模型或网络链接{named}：它们是叠放在"
            "地图上的图片，不是地块。请上传以多边形绘制的地块。",
        )
    warnings.add(
        f"{extra.sum()} image overlay(s), model(s) or link(s){named} not read: they are "
        "pictures or links laid on the map, not parcels.",
        f"未读取 {extra.sum()} 个叠加图片、模型或网络链接{named}：它们是叠放在地图上的图片"
        "或链接，不是地块。",
    )
    return raw[~extra]


def geometry_kinds(raw: gpd.GeoDataFrame) -> dict[str, int]:
    """How many features of each kind ('Point', 'LineString', 'Polygon') ``raw`` holds."""
    types = shapely.get_type_id(np.asarray(raw.geometry.values, dtype=object))
    kinds = [FAMILY.get(int(t)) for t in types]
    return {k: kinds.count(k) for k in ("Polygon", "LineString", "Point") if k in kinds}


def warn_other_kinds(kinds: dict[str, int], kept: str, warnings: Warnings) -> None:
    """Name the features of other kinds than ``kept`` that the layer leaves out, and how to
    keep them instead."""
    others = {k: n for k, n in kinds.items() if k != kept}
    if not others:
        return
    en = ", ".join(f"{n} {_WORDS[k][0]}" for k, n in others.items())
    zh = "、".join(f"{n} {_WORDS[k][1]}" for k, n in others.items())
    choices = " or ".join(f"--geometry {_CHOICE[k]}" for k in others)
    warnings.add(
        f"{en} not kept: a layer holds one kind of geometry, {_WORDS[kept][0]} here. To keep "
        f"the others instead, choose them ('Geometry kept' in the app, {choices}); for both, "
        "upload the file once for each.",
        f"未保留{zh}：一个图层只能包含一种几何类型，此处保留的是{_WORDS[kept][1][1:]}。"
        "如需保留其他类型，请在“保留的几何类型”中选择；两者都要时，请分别上传一次。",
    )
