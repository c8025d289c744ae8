"""The upload report: one typed record of what reading a planner's file found, fixed and guessed.

Every module that shows or keeps a report reads these fields; ``to_json`` is the document
``sip-atlas ingest --json`` prints (its keys are documented in docs/reference.md),
``summary`` is what the workspace keeps with a saved layer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

__all__ = [
    "GEOMETRY_TYPES",
    "Change",
    "CrsInfo",
    "EncodingInfo",
    "GeometryType",
    "UploadReport",
    "Warnings",
    "geometry_type_of",
]

# One vocabulary for geometry types: the registry's.
GeometryType = Literal["Polygon", "LineString", "Point"]
GEOMETRY_TYPES: tuple[GeometryType, ...] = ("Polygon", "LineString", "Point")
_LEGACY = {"polygon": "Polygon", "line": "LineString", "point": "Point"}  # saved before 0.8


def geometry_type_of(entry: dict) -> GeometryType:
    """The geometry type a saved layer's entry names (entries saved by older versions said
    'polygon', 'line' or 'point')."""
    value = entry.get("geometry_type", "Polygon")
    return _LEGACY.get(value, value) if value in (*_LEGACY, *GEOMETRY_TYPES) else "Polygon"


@dataclass
class Warnings:
    """Warnings in English and Chinese, kept side by side."""

    en: list[str] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)

    def add(self, en: str, zh: str) -> None:
        """Record one warning in both languages."""
        self.en.append(en)
        self.zh.append(zh)


@dataclass(frozen=True)
class Change:
    """One feature changed or dropped: its 0-based row in the file, and what happened."""

    feature: int
    change: str


@dataclass
class EncodingInfo:
    """How the attribute text was decoded: ``name`` (e.g. 'GB18030', 'Big5', or
    'UTF-8+GB18030' when records differ), ``how`` ('cpg', 'ldid', 'bytes', 'user', 'format'),
    a sentence why, the values that did not read cleanly, and the encodings that fit."""

    name: str
    how: str
    detail: str
    undecodable_values: int = 0
    candidates: list[str] = field(default_factory=list)


@dataclass
class CrsInfo:
    """The CRS the file was read in (``name``, e.g. 'EPSG:4549'), ``how`` it was decided
    ('file', 'guessed', 'user') and why; ``datum`` the Chinese map datum converted from
    ('gcj02', 'bd09'; '' for none), and ``hint`` the datum that the file's and folders' names or
    its .prj suggest ('' for none)."""

    name: str
    how: str
    detail: str
    datum: str = ""
    hint: str = ""


@dataclass
class UploadReport:
    """What reading one upload found and did. Areas are measured in EPSG:4549 (m², ha, mu);
    ``bbox_wgs84`` is lon/lat degrees (EPSG:4326)."""

    source: str
    sources: list[str]
    features_read: int
    features_kept: int
    repaired: int
    dropped: int
    geometry_type: GeometryType
    encoding: EncodingInfo
    encoding_preview: dict[str, list[str]]
    crs: CrsInfo
    bbox_wgs84: list[float]
    columns: list[str]
    renamed_columns: dict[str, str]
    mapping: dict[str, str | None]
    declared_area_unit: str | None
    area_m2: float
    area_ha: float
    area_mu: float
    preview: list[dict]
    changes: list[Change]
    warnings_both: Warnings
    geometry_kinds: dict[str, int] = field(default_factory=dict)  # features of each kind
    cad: dict = field(default_factory=dict)  # a DXF drawing: its layers, unit, texts placed

    @property
    def warnings(self) -> list[str]:
        """The warnings in English."""
        return self.warnings_both.en

    @property
    def warnings_zh(self) -> list[str]:
        """The warnings in Chinese."""
        return self.warnings_both.zh

    def to_json(self) -> dict:
        """The report as one JSON-ready document (the keys docs/reference.md documents)."""
        document = asdict(self)
        document.pop("warnings_both")
        return {**document, "warnings": self.warnings, "warnings_zh": self.warnings_zh}

    def summary(self) -> dict:
        """What the workspace keeps with a saved layer."""
        document = self.to_json()
        keys = ("features_read", "features_kept", "repaired", "dropped", "encoding", "crs",
                "warnings", "area_m2", "area_ha", "area_mu", "declared_area_unit",
                "renamed_columns", "cad")  # fmt: skip
        return {key: document[key] for key in keys}

    def entry_fields(self) -> dict:
        """The fields a layer entry takes from its report (for the map and the layer list)."""
        return {"source": self.source, "geometry_type": self.geometry_type,
                "bbox_wgs84": self.bbox_wgs84, "mapping": self.mapping,
                "report": self.summary()}  # fmt: skip
