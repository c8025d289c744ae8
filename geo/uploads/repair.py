"""Clean an upload's geometries: drop empty and broken ones, drop Z/M, repair invalid ones."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from geo.uploads.report import Change, GeometryType

__all__ = ["FAMILY", "GeometryReport", "clean_geometries"]

FAMILY: dict[int, GeometryType] = {  # shapely type id -> the layer's geometry type
    0: "Point", 4: "Point", 1: "LineString", 2: "LineString", 5: "LineString", 3: "Polygon",
    6: "Polygon",
}  # fmt: skip
_PARTS = {"Polygon": (3, 6), "LineString": (1, 2, 5), "Point": (0, 4)}
_WORD = {"Polygon": "polygon", "LineString": "line", "Point": "point"}


@dataclass
class GeometryReport:
    """What cleaning did: per-feature changes (row number in the file, what happened)."""

    family: GeometryType = "Polygon"
    changes: list[Change] = field(default_factory=list)
    repaired: int = 0
    dropped: int = 0
    z_dropped: int = 0

    def note(self, rows: np.ndarray, change: str) -> None:
        """Record ``change`` for each of ``rows`` (0-based feature numbers in the file)."""
        self.changes.extend(Change(int(r), change) for r in rows)


def _family(types: np.ndarray) -> GeometryType:
    families = {FAMILY.get(int(t)) for t in np.unique(types)} - {None}
    for family in ("Polygon", "LineString", "Point"):
        if family in families:
            return family
    return "Polygon"


def _keep_family(geoms: np.ndarray, family: str) -> np.ndarray:
    """The parts of each geometry of ``family`` (others removed); None where nothing is left."""
    wanted = _PARTS[family]
    out = geoms.copy()
    for i in np.flatnonzero(~np.isin(shapely.get_type_id(geoms), wanted)):
        parts = shapely.get_parts(geoms[i])
        parts = parts[np.isin(shapely.get_type_id(parts), wanted)]
        out[i] = shapely.union_all(parts) if len(parts) else None
    return out


def clean_geometries(gdf: gpd.GeoDataFrame, family: GeometryType | None = None
                     ) -> tuple[gpd.GeoDataFrame, GeometryReport]:  # fmt: skip
    """Return the usable features of ``gdf`` (2-D, valid, one geometry family) and a report.

    Empty or missing geometries and ones with NaN or infinite coordinates are dropped;
    Z and M are dropped; invalid polygons are repaired with make_valid, keeping the polygonal
    part; features of another family than ``family`` (default: the file's main one, polygon
    over line over point) are dropped. Each change names the feature's 0-based row number in
    the file.
    """
    report = GeometryReport()
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    rows = np.arange(len(gdf))
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    report.note(rows[missing], "dropped: empty or missing geometry")
    coords, owner = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    bad = np.zeros(len(geoms), dtype=bool)
    bad_coords = ~np.isfinite(coords[:, :2]).all(axis=1)
    bad[np.unique(owner[bad_coords])] = True
    bad &= ~missing
    report.note(rows[bad], "dropped: coordinates that are NaN or infinite")
    keep = ~(missing | bad)
    geoms, rows = geoms[keep], rows[keep]
    has_z = shapely.has_z(geoms)
    report.z_dropped = int(has_z.sum())
    geoms = shapely.force_2d(geoms)
    report.family = family or _family(shapely.get_type_id(geoms))
    mixed = ~np.isin(shapely.get_type_id(geoms), _PARTS[report.family])
    same = _keep_family(geoms, report.family)
    other = shapely.is_missing(same)
    word = _WORD[report.family]
    report.note(rows[other], f"dropped: not a {word}")
    report.note(rows[mixed & ~other], f"kept only the {word} parts")
    geoms, rows = same[~other], rows[~other]
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = _keep_family(shapely.make_valid(geoms[invalid]), report.family)
        lost = shapely.is_missing(fixed) | shapely.is_empty(fixed)
        report.note(rows[invalid][~lost], "repaired: invalid geometry (make_valid)")
        report.note(rows[invalid][lost], "dropped: invalid, nothing usable after repair")
        geoms[invalid] = fixed
        report.repaired = int((~lost).sum())
        keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        geoms, rows = geoms[keep], rows[keep]
    report.dropped = len(gdf) - len(rows)
    report.changes.sort(key=lambda c: c.feature)
    out = gdf.iloc[rows].copy()
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=gdf.crs))
    return out, report
