"""The texts of a drawing written into the parcels they lie in: a parcel's number and its
land-use code, as planning institutes place them (TEXT, MTEXT, or a block's attributes)."""

from __future__ import annotations

import re

import geopandas as gpd
import shapely

from geo.uploads.columns import guess_mapping
from geo.uploads.report import Warnings

__all__ = ["LAND_USE", "PARCEL_ID", "TEXT_KINDS", "drawing_texts", "place_texts"]

PARCEL_ID, LAND_USE = "地块编号", "用地代码"  # the columns texts inside a parcel fill
TEXT_KINDS = {"TEXT", "MTEXT", "INSERT"}
# GB 50137-2011 land-use codes (R2, B1, A33, M1, G1, S42, U12, Rb, R2/B1 ...)
_CODE = r"[RABMWSUGHE]\d{0,3}[a-z]?"
_LAND_USE_CODE = re.compile(rf"^{_CODE}(?:[/／+、]?{_CODE})*$")


def _text_of(entity) -> list[tuple[str | None, str, tuple[float, float]]]:
    """(tag or None, text, where) for a text, an mtext or a block reference's attributes."""
    kind = entity.dxftype()
    if kind == "INSERT":
        where = (entity.dxf.insert.x, entity.dxf.insert.y)
        return [(a.dxf.tag, a.dxf.text.strip(), where) for a in entity.attribs if a.dxf.text]
    if kind == "MTEXT":
        text, point = entity.plain_text(split=False), entity.dxf.insert
    else:
        text = entity.plain_text()
        align, insert, second = entity.get_placement()
        point = insert if align.name == "LEFT" or second is None else second
        if align.name in ("ALIGNED", "FIT") and second is not None:
            point = (insert + second) / 2
    return [(None, text.strip(), (point.x, point.y))] if text.strip() else []


def drawing_texts(doc, scale: float) -> list[tuple[str | None, str, tuple[float, float], str]]:
    found = []
    for entity in doc.modelspace():
        if entity.dxftype() in TEXT_KINDS:
            found += [(tag, text, (x * scale, y * scale), entity.dxf.layer)
                      for tag, text, (x, y) in _text_of(entity)]  # fmt: skip
    return found


def _column(tag: str | None, text: str) -> str:
    """The column a text goes under: a block attribute's tag (DKBH, YDXZ: the parcel columns),
    else 用地代码 for a land-use code and 地块编号 for any other text."""
    if tag:
        field = next((f for f, c in guess_mapping([tag]).items() if c == tag), None)
        return {"parcel_id": PARCEL_ID, "land_use": LAND_USE}.get(field or "", tag)
    return LAND_USE if _LAND_USE_CODE.match(text) else PARCEL_ID


def place_texts(gdf: gpd.GeoDataFrame, texts: list, warnings: Warnings) -> dict:
    """Write each text (``drawing_texts``, in metres) into the smallest parcel it lies in: a
    block attribute under its tag, a land-use code (R2, B1 ...) under 用地代码, any other text
    under 地块编号."""
    if not texts:
        return {"inside": 0, "outside": [], "ambiguous": []}
    points = shapely.points([t[2] for t in texts])
    which, where = gdf.sindex.query(points, predicate="within")
    areas = gdf.geometry.area.to_numpy()
    best: dict[int, int] = {}
    for t, p in zip(which.tolist(), where.tolist(), strict=True):
        if t not in best or areas[p] < areas[best[t]]:
            best[t] = p
    values: dict[tuple[int, str], list[str]] = {}
    for t, p in best.items():
        tag, text, _, _ = texts[t]
        column = _column(tag, text)
        values.setdefault((p, column), []).append(text)
    ambiguous = []
    for (p, column), found in values.items():
        if column not in gdf:
            gdf[column] = None
        gdf.iat[p, gdf.columns.get_loc(column)] = found[0]
        if len(set(found)) > 1:
            ambiguous.append({"feature": p, "column": column, "texts": found})
    outside = [{"text": texts[t][1], "layer": texts[t][3]}
               for t in range(len(texts)) if t not in best]  # fmt: skip
    _warn_texts(outside, ambiguous, warnings)
    return {"inside": len(best), "outside": outside, "ambiguous": ambiguous}


def _warn_texts(outside: list, ambiguous: list, warnings: Warnings) -> None:
    if outside:
        shown = "、".join(o["text"] for o in outside[:8])
        warnings.add(
            f"{len(outside)} text{'s lie' if len(outside) > 1 else ' lies'} outside every parcel "
            f"and {'were' if len(outside) > 1 else 'was'} not used: {shown}. "
            f"Move {'them' if len(outside) > 1 else 'it'} inside the parcel in the drawing if "
            "it belongs to one.",
            f"有 {len(outside)} 个文字不在任何地块内，未使用：{shown}。如属于某个地块，"
            "请在图纸中把它移到该地块内。",
        )
    for a in ambiguous[:8]:
        said = " / ".join(a["texts"])
        warnings.add(
            f"Feature {a['feature'] + 1} holds {len(a['texts'])} texts for {a['column']} "
            f"({said}): the first, {a['texts'][0]!r}, was kept. Check it in the drawing.",
            f"第 {a['feature'] + 1} 个地块内有 {len(a['texts'])} 个{a['column']}文字（{said}）："
            f"已采用第一个「{a['texts'][0]}」。请在图纸中核对。",
        )
