"""Map an upload's columns onto the parcel schema, with guesses a planner can override."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.area import M2_PER_HA, M2_PER_MU

__all__ = [
    "PARCEL_FIELDS",
    "declared_area_unit",
    "guess_mapping",
    "join_added",
    "parcel_columns",
    "storable_names",
]

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


def parcel_columns(frame: pd.DataFrame, mapping: dict[str, str | None]) -> pd.DataFrame:
    """The parcel schema's columns taken from the mapped ones, aligned to ``frame.index``.

    ``parcel_id``, ``land_use``, ``status``, ``planned_use`` (text, '' where unmapped),
    ``declared_area`` (number or NaN) and ``id``: the parcel id where it is unique and present,
    else ``F00001`` ... by row.
    """
    out = pd.DataFrame(index=frame.index)
    for field in ("parcel_id", "land_use", "status", "planned_use"):
        column = mapping.get(field)
        out[field] = _as_text(frame[column]) if column else ""
    column = mapping.get("area")
    out["declared_area"] = pd.to_numeric(frame[column], errors="coerce") if column else np.nan
    ids = out["parcel_id"]
    if mapping.get("parcel_id") and ids.is_unique and (ids != "").all():
        out["id"] = ids.values
    else:
        out["id"] = [f"F{n:05d}" for n in range(1, len(out) + 1)]
    return out


def _unique(name: str, taken: set[str], suffix: str) -> str:
    candidate, n = f"{name}{suffix}", 2
    while candidate.casefold() in taken:
        candidate, n = f"{name}{suffix}{n}", n + 1
    return candidate


def storable_names(columns: list[str]) -> dict[str, str]:
    """New names for the columns a GeoPackage (and SQL) cannot hold as they are: a name equal
    to another but for case (``Name`` beside ``name``), and the reserved ``fid`` and ``geom``.
    The first of a kind keeps its name; the others get ``_2``, ``_3`` ... Returns old -> new."""
    taken = {"fid", "geom", "geometry"}
    every = {str(c).casefold() for c in columns}
    renames = {}
    for column in columns:
        name, n = str(column), 2
        while name.casefold() in taken or (name != str(column) and name.casefold() in every):
            name, n = f"{column}_{n}", n + 1
        if name != str(column):
            renames[column] = name
        taken.add(name.casefold())
    return renames


def _same(own: pd.Series, ours: pd.Series) -> bool:
    """Whether the file's column says what the atlas' column of the same name says."""
    if pd.api.types.is_numeric_dtype(ours) and ours.name != "id":
        theirs = pd.to_numeric(own, errors="coerce")
        return bool(np.allclose(theirs, ours, rtol=5e-3, atol=0.05, equal_nan=True))
    return bool((_as_text(own) == _as_text(ours)).all())


def join_added(frame: pd.DataFrame, added: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` (the file's columns) with the atlas' ``added`` columns (parcel schema, areas).

    A file column of the same name (in any case) that says the same thing is replaced; one
    that says something else is kept renamed ``<name>_file``. Returns the joined frame and the
    renames (old -> new)."""
    ours = {c.casefold(): c for c in added.columns}
    renames, dropped = {}, []
    for column in frame.columns:
        key = str(column).casefold()
        if key not in ours:
            continue
        if str(column) == ours[key] and _same(frame[column], added[ours[key]]):
            dropped.append(column)
        else:
            taken = {str(c).casefold() for c in (*frame.columns, *added.columns, *renames.values())}
            renames[column] = _unique(str(column), taken, "_file")
    kept = frame.drop(columns=dropped).rename(columns=renames)
    return pd.concat([kept, added], axis=1), renames


def declared_area_unit(declared: pd.Series, measured_m2: pd.Series) -> str | None:
    """The unit the file's area column seems to be in ('m2', 'ha', 'mu', 'km2'), or None."""
    ok = declared.notna() & (declared > 0) & (measured_m2 > 0)
    if not ok.any():
        return None
    ratio = float(np.median(measured_m2[ok] / declared[ok]))
    units = {"m2": 1.0, "ha": M2_PER_HA, "mu": M2_PER_MU, "km2": 1e6}
    return next((u for u, f in units.items() if abs(ratio / f - 1) < 0.1), None)
