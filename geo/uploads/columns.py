"""Map an upload's columns onto the parcel schema, with guesses a planner can override."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.area import M2_PER_HA, M2_PER_MU

__all__ = ["PARCEL_FIELDS", "apply_mapping", "declared_area_unit", "guess_mapping"]

PARCEL_FIELDS = {
    "parcel_id": {"zh": "地块编号", "en": "Parcel id"},
    "land_use": {"zh": "用地性质", "en": "Land use"},
    "area": {"zh": "面积", "en": "Area"},
    "status": {"zh": "状态", "en": "Status"},
    "planned_use": {"zh": "规划用途", "en": "Planned use"},
}
# Column names GIS departments use, most specific first (pinyin initials are common: DKBH).
_ALIASES = {
    "parcel_id": ["parcel_id", "parcelid", "parcel_no", "dkbh", "地块编号", "地块号", "dkdm",
                  "编号", "bh", "id", "code", "objectid", "fid"],
    "land_use": ["land_use", "landuse", "current_use", "ydxz", "用地性质", "现状用地", "用地代码",
                 "用地类型", "地类名称", "地类编码", "dlmc", "dlbm", "yddm", "xzyd", "地类", "use"],
    "area": ["area_m2", "area", "ydmj", "dkmj", "用地面积", "地块面积", "面积", "mj",
             "shape_area"],
    "status": ["status", "腾退状态", "状态", "zt", "进度", "state"],
    "planned_use": ["planned_use", "plan_use", "ghyt", "ghxz", "ghyd", "规划用途", "规划用地",
                    "规划性质", "plan"],
}  # fmt: skip


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    """For each parcel field, the column that most likely holds it (None if none does).

    Exact names win over names that contain an alias; a column is used for one field only.
    """
    used: set[str] = set()
    mapping: dict[str, str | None] = {}
    folded = {c: str(c).strip().casefold() for c in columns if c != "geometry"}
    for field, aliases in _ALIASES.items():
        found = next(
            (c for a in aliases for c, f in folded.items() if f == a and c not in used), None
        )
        if found is None:
            found = next(
                (
                    c
                    for a in aliases
                    if len(a) >= 2 and (not a.isascii() or len(a) >= 4)
                    for c, f in folded.items()
                    if a in f and c not in used
                ),
                None,
            )
        mapping[field] = found
        if found is not None:
            used.add(found)
    return mapping


def _as_text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def apply_mapping(gdf: gpd.GeoDataFrame, mapping: dict[str, str | None]) -> gpd.GeoDataFrame:
    """Add the parcel schema's columns from the mapped ones; the file's columns stay as they are.

    Adds ``parcel_id``, ``land_use``, ``status``, ``planned_use`` (text, '' where unmapped),
    ``declared_area`` (number or NaN) and ``id``: the parcel id where it is unique and present,
    else ``F00001`` ... by row.
    """
    out = gdf.copy()
    for field in ("parcel_id", "land_use", "status", "planned_use"):
        column = mapping.get(field)
        out[field] = _as_text(gdf[column]) if column else ""
    column = mapping.get("area")
    out["declared_area"] = pd.to_numeric(gdf[column], errors="coerce") if column else np.nan
    ids = out["parcel_id"]
    if mapping.get("parcel_id") and ids.is_unique and (ids != "").all():
        out["id"] = ids.values
    else:
        out["id"] = [f"F{n:05d}" for n in range(1, len(out) + 1)]
    return out


def declared_area_unit(declared: pd.Series, measured_m2: pd.Series) -> str | None:
    """The unit the file's area column seems to be in ('m2', 'ha', 'mu', 'km2'), or None."""
    ok = declared.notna() & (declared > 0) & (measured_m2 > 0)
    if not ok.any():
        return None
    ratio = float(np.median(measured_m2[ok] / declared[ok]))
    units = {"m2": 1.0, "ha": M2_PER_HA, "mu": M2_PER_MU, "km2": 1e6}
    return next((u for u, f in units.items() if abs(ratio / f - 1) < 0.1), None)
