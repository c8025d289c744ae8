"""Find features by number or name across layers (the app's search box, ``sip-atlas find``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import to_wgs84
from layers.memo import ObjectMemo
from layers.registry import Lang, LayerSpec

__all__ = ["Hit", "find_features", "searched_fields"]

_SEPARATORS = re.compile(r"[\s\-_/·.]+")


@dataclass(frozen=True)
class Hit:
    """One feature found: its layer, row label (``index``) and id, the text to show
    (``label``), the field that matched and its extent in lon/lat degrees (EPSG:4326)."""

    layer_id: str
    layer_name: str
    index: object
    feature_id: str
    label: str
    matched: str
    bounds_wgs84: tuple[float, float, float, float]

    def to_json(self) -> dict:
        """The hit as ``sip-atlas find --json`` prints it (degrees, EPSG:4326)."""
        minx, miny, maxx, maxy = self.bounds_wgs84
        centre = [round((minx + maxx) / 2, 6), round((miny + maxy) / 2, 6)]
        return {"layer": self.layer_id, "layer_name": self.layer_name, "id": self.feature_id,
                "name": self.label, "matched": self.matched,
                "bbox_wgs84": [round(v, 6) for v in self.bounds_wgs84],
                "centre_wgs84": centre}  # fmt: skip


def _plain(text: object) -> str:
    """Text compared without case, spaces or separators ('LR-XL-07' = 'lr xl 07' = 'lrxl07')."""
    return _SEPARATORS.sub("", str(text)).casefold()


def searched_fields(spec: LayerSpec, columns: Iterable[str]) -> list[str]:
    """The fields a layer is searched in: its id and the names its tooltip shows (never a
    category such as status, which would match half a layer)."""
    skip = {spec.style.by, "status", "land_use"}
    wanted = dict.fromkeys(["id", *spec.tooltip])
    return [f for f in wanted if f in set(columns) and f not in skip]


def _label(row: pd.Series, fields: Sequence[str], lang: Lang) -> str:
    names = [f for f in (f"name_{lang}", "name_zh", "name_en") if f in row.index and row[f]]
    if names:
        return str(row[names[0]])
    named = [f for f in fields if f != "id" and isinstance(row[f], str) and row[f]]
    return str(row[named[0]]) if named else str(row["id"])


_PLAIN: ObjectMemo[pd.DataFrame] = ObjectMemo()  # a layer's searched fields as plain text


def _plain_columns(gdf: gpd.GeoDataFrame, fields: list[str]) -> pd.DataFrame:
    """``gdf``'s searched fields as plain text (``_plain``), worked out once per layer object
    and kept while it lives: a search again, or the same search on the next rerun, over a
    million parcels does not pay for it again."""

    def plain() -> pd.DataFrame:
        text = gdf[fields].astype(str)
        return pd.DataFrame({f: text[f].str.replace(_SEPARATORS, "", regex=True).str.casefold()
                             for f in fields}, index=gdf.index)  # fmt: skip

    return _PLAIN.get(gdf, tuple(fields), plain)


def _ranks(plain: pd.Series, wanted: str) -> np.ndarray:
    """Each value's rank for ``wanted``: 0 equal, 1 starting with it, 2 holding it, 3 not."""
    return np.select(
        [plain.eq(wanted), plain.str.startswith(wanted), plain.str.contains(wanted, regex=False)],
        [0, 1, 2],
        default=3,
    )


def find_features(
    layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
    text: str,
    *,
    lang: Lang = "zh",
    limit: int = 20,
) -> list[Hit]:
    """Features whose number or name holds ``text`` (without case or separators), best first:
    exact matches, then those starting with it, then the rest; at most ``limit``."""
    wanted = _plain(text)
    if not wanted:
        return []
    found = []
    for spec, gdf in layers:
        fields = searched_fields(spec, gdf.columns)
        if gdf.empty or not fields:
            continue
        plain = _plain_columns(gdf, fields)
        rank = np.column_stack([_ranks(plain[f], wanted) for f in fields])
        best = rank.min(axis=1)
        places = np.flatnonzero(best < 3)
        for place in places[np.argsort(best[places], kind="stable")][:limit]:  # the layer's best
            field = fields[int(rank[place].argmin())]
            found.append((best[place], spec, gdf, fields, place, field))
    found.sort(key=lambda item: item[0])
    hits = []
    for _, spec, gdf, fields, place, field in found[:limit]:
        row, index = gdf.iloc[place], gdf.index[place]
        shape = to_wgs84(gdf.iloc[[place]]).geometry.iloc[0]
        label, number = _label(row, fields, lang), str(row["id"])
        if field == "id" and label != number:  # found by its number: say the number too
            label = f"{number} · {label}"
        hits.append(Hit(spec.id, spec.name(lang), index, number, label, field,
                        tuple(float(v) for v in shape.bounds)))  # fmt: skip
    return hits
