"""Read a planner's upload into a clean GeoDataFrame (EPSG:4326) and report what was done."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from pyproj.exceptions import CRSError, ProjError

from geo.area import area_columns
from geo.crs import WGS84, guess_crs_from_bounds, to_wgs84
from geo.errors import IngestError
from geo.gcj02 import bd09_to_wgs84, gcj02_to_wgs84, shift_gdf
from geo.uploads.columns import apply_mapping, declared_area_unit, guess_mapping
from geo.uploads.encoding import (
    EncodingDecision,
    dbf_text_samples,
    decide_csv_encoding,
    decide_dbf_encoding,
    decodes_cleanly,
    preview_encodings,
)
from geo.uploads.read import Source, find_sources, read_csv, read_source
from geo.uploads.repair import clean_geometries

__all__ = ["IngestOptions", "IngestResult", "inspect_upload"]

SUZHOU_BOX = (119.9, 30.7, 121.4, 32.1)  # lon/lat degrees, with a margin
_DATUMS = {"gcj02": ("GCJ-02", gcj02_to_wgs84), "bd09": ("BD-09", bd09_to_wgs84)}
_PREVIEW_ROWS = 5


@dataclass
class IngestOptions:
    """What the planner said: encoding ('auto' or a name), CRS ('auto', 'EPSG:N', 'gcj02',
    'bd09'), which layer of a multi-layer upload, and column mapping overrides."""

    encoding: str = "auto"
    crs: str = "auto"
    layer: str | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)


class Warnings:
    """Warnings in English and Chinese, kept side by side."""

    def __init__(self) -> None:
        self.en: list[str] = []
        self.zh: list[str] = []

    def add(self, en: str, zh: str) -> None:
        """Record one warning in both languages."""
        self.en.append(en)
        self.zh.append(zh)


@dataclass
class IngestResult:
    """The clean layer (EPSG:4326, parcel columns and areas added) and the report."""

    gdf: gpd.GeoDataFrame
    report: dict
    source: Source
    sources: list[Source]


def _choose(sources: list[Source], label: str | None) -> Source:
    if label is None:
        if len(sources) > 1:
            names = "; ".join(s.label for s in sources)
            raise IngestError(
                f"The upload holds {len(sources)} layers: {names}. Pick one (--layer LABEL).",
                f"上传的文件包含 {len(sources)} 个图层：{names}。请选择一个。",
            )
        return sources[0]
    for source in sources:
        if label in (source.label, source.layer):
            return source
    raise IngestError(
        f"No layer {label!r} in the upload. Layers: {'; '.join(s.label for s in sources)}",
        f"上传的文件中没有图层 {label!r}。现有图层：{'；'.join(s.label for s in sources)}",
    )


def _read(source: Source, options: IngestOptions) -> tuple[gpd.GeoDataFrame, dict, dict]:
    """The raw layer, the encoding decision and the encoding preview."""
    if source.driver == "ESRI Shapefile":
        dbf = next(p for p in source.path.parent.glob(source.path.stem + ".*")
                   if p.suffix.lower() == ".dbf")  # fmt: skip
        decision = decide_dbf_encoding(dbf, user=options.encoding)
        samples = dbf_text_samples(dbf)
        gdf = read_source(source, encoding=decision.encoding)
    elif source.driver == "CSV":
        decision = decide_csv_encoding(source.path, user=options.encoding)
        samples = source.path.read_bytes()[: 1024 * 1024].splitlines()[:200]
        gdf = read_csv(source.path, encoding=decision.encoding)
    else:
        decision = EncodingDecision("UTF-8", "format", f"{source.driver} text is UTF-8")
        samples = []
        gdf = read_source(source)
    preview = preview_encodings(samples, ["UTF-8", "GB18030"]) if samples else {}
    undecodable = sum(not decodes_cleanly(s, decision.encoding) for s in samples if not s.isascii())
    info = {"name": decision.encoding, "how": decision.how, "detail": decision.detail,
            "undecodable_values": undecodable}  # fmt: skip
    return gdf, info, preview


def _looks_lonlat(bounds: np.ndarray) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    try:
        return to_wgs84(gdf)
    except (ProjError, CRSError, ValueError) as exc:
        raise IngestError(
            f"The coordinates cannot be converted from {gdf.crs.name} to WGS84 ({exc}). "
            "The .prj may be damaged: choose the CRS (--crs EPSG:N).",
            f"无法将坐标从 {gdf.crs.name} 转换为 WGS84（{exc}）。"
            ".prj 文件可能已损坏，请指定坐标系。",
        ) from exc


def _decide_crs(gdf: gpd.GeoDataFrame, choice: str, warnings: Warnings) -> tuple:
    """(GeoDataFrame in EPSG:4326, crs info dict)."""
    bounds = gdf.total_bounds
    key = choice.strip().lower()
    if key in _DATUMS:
        label, to_wgs = _DATUMS[key]
        if not _looks_lonlat(bounds):
            raise IngestError(
                f"{label} coordinates are lon/lat degrees, but these are not. Choose another CRS.",
                f"{label} 坐标应为经纬度，但该数据不是。请选择其他坐标系。",
            )
        out = shift_gdf(gdf.set_crs(WGS84, allow_override=True), to_wgs)
        return out, {"name": "EPSG:4326", "how": "user",
                     "detail": f"{label} lon/lat converted to WGS84"}  # fmt: skip
    if key != "auto":
        try:
            crs = CRS.from_user_input(choice)
        except CRSError as exc:
            raise IngestError(
                f"Unknown CRS {choice!r}. Use auto, EPSG:4326, EPSG:4490, EPSG:4549, "
                "EPSG:4528, gcj02 or bd09.",
                f"未知坐标系 {choice!r}。可用：auto、EPSG:4326、EPSG:4490、EPSG:4549、EPSG:4528、"
                "gcj02、bd09。",
            ) from exc
        info = {"name": crs.to_string(), "how": "user", "detail": f"chosen: {choice}"}
        return _to_wgs84(gdf.set_crs(crs, allow_override=True)), info
    if gdf.crs is not None and not (gdf.crs.is_geographic and not _looks_lonlat(bounds)):
        epsg = gdf.crs.to_epsg(min_confidence=70)
        name = f"EPSG:{epsg}" if epsg else gdf.crs.name
        info = {"name": name, "how": "file", "detail": f"the file says {gdf.crs.name}"}
        return _to_wgs84(gdf), info
    guess = guess_crs_from_bounds(*bounds)
    if guess is None:
        swapped = guess_crs_from_bounds(bounds[1], bounds[0], bounds[3], bounds[2])
        hint_en = (
            " The axes look swapped (lat/lon instead of lon/lat): fix the export."
            if swapped
            else ""
        )
        hint_zh = "坐标轴疑似颠倒（纬度在前）：请修正导出设置。" if swapped else ""
        raise IngestError(
            "The file does not say its coordinate system and its coordinates fit none the atlas "
            f"knows (bounds {np.round(bounds, 2).tolist()}). Choose one (--crs EPSG:N).{hint_en}",
            f"文件未说明坐标系，且坐标不符合已知坐标系（范围 {np.round(bounds, 2).tolist()}）。"
            f"请指定坐标系。{hint_zh}",
        )
    if gdf.crs is not None:
        warnings.add(
            f"The file says {gdf.crs.name} but its coordinates are not lon/lat.",
            f"文件声明坐标系为 {gdf.crs.name}，但坐标并非经纬度。",
        )
    info = {"name": guess.crs, "how": "guessed", "detail": guess.reason}
    return _to_wgs84(gdf.set_crs(guess.crs, allow_override=True)), info


def _check_location(gdf: gpd.GeoDataFrame, warnings: Warnings) -> None:
    minx, miny, maxx, maxy = gdf.total_bounds
    x0, y0, x1, y1 = SUZHOU_BOX
    if maxx < x0 or minx > x1 or maxy < y0 or miny > y1:
        swapped = x0 <= miny <= x1 and y0 <= minx <= y1
        hint_en = " The axes look swapped (lat/lon instead of lon/lat)." if swapped else ""
        hint_zh = "坐标轴疑似颠倒。" if swapped else ""
        warnings.add(
            f"The data lies outside Suzhou (lon {minx:.3f}-{maxx:.3f}, lat {miny:.3f}-{maxy:.3f})."
            f"{hint_en} Check the CRS, the Gauss-Kruger zone or the axis order.",
            f"数据不在苏州范围内（经度 {minx:.3f}-{maxx:.3f}，纬度 {miny:.3f}-{maxy:.3f}）。"
            f"{hint_zh}请检查坐标系、高斯-克吕格分带或坐标轴顺序。",
        )


def _drop_out_of_range(gdf: gpd.GeoDataFrame, report: dict) -> gpd.GeoDataFrame:
    b = gdf.geometry.bounds
    bad = ~((b.minx >= -180) & (b.maxx <= 180) & (b.miny >= -90) & (b.maxy <= 90))
    change = "dropped: coordinates out of lon/lat range"
    for row in np.flatnonzero(bad.to_numpy()):
        report["changes"].append({"feature": int(gdf["_row"].iloc[row]), "change": change})
    return gdf[~bad.to_numpy()]


def inspect_upload(
    files: list[Path],
    workdir: Path,
    options: IngestOptions,
    *,
    sources: list[Source] | None = None,
) -> IngestResult:
    """Read the uploaded ``files`` (unpacking into ``workdir``) without saving anything.

    ``sources`` may pass on what ``find_sources`` already found. Raises IngestError, in English
    and Chinese, for anything that cannot be read.
    """
    sources = sources if sources is not None else find_sources(files, workdir)
    source = _choose(sources, options.layer)
    raw, encoding, encoding_preview = _read(source, options)
    if not isinstance(raw, gpd.GeoDataFrame) or raw.geometry.name not in raw:
        raise IngestError(
            f"{source.label} has no geometry column: it is a plain table.",
            f"{source.label} 没有几何列，只是普通表格。",
        )
    if len(raw) == 0:
        raise IngestError(
            f"{source.label} has no features. Check that the right layer was exported.",
            f"{source.label} 中没有要素。请检查导出的图层是否正确。",
        )
    warnings = Warnings()
    if encoding["undecodable_values"]:
        warnings.add(
            f"{encoding['undecodable_values']} text values are not valid {encoding['name']}: "
            "they may show garbled. Compare the encoding preview and choose another encoding.",
            f"有 {encoding['undecodable_values']} 个文字值不是有效的 {encoding['name']} 编码，"
            "可能显示为乱码。请对照编码预览选择其他编码。",
        )
    raw = raw.reset_index(drop=True)
    raw["_row"] = np.arange(len(raw))
    clean, geometry = clean_geometries(raw)
    report = {"changes": geometry.changes}
    if len(clean) == 0:
        raise IngestError(
            f"None of the {len(raw)} features has a usable geometry "
            f"({geometry.changes[0]['change'] if geometry.changes else 'no geometry'}).",
            f"{len(raw)} 个要素都没有可用的几何图形。",
        )
    wgs, crs_info = _decide_crs(clean, options.crs, warnings)
    wgs = _drop_out_of_range(wgs, report)
    if len(wgs) == 0:
        raise IngestError(
            "Every feature lies outside the range of lon/lat once projected: the CRS is wrong. "
            "Choose the right one (--crs EPSG:N).",
            "转换后所有要素都超出经纬度范围：坐标系有误。请指定正确的坐标系。",
        )
    _check_location(wgs, warnings)
    columns = [c for c in raw.columns if c not in (raw.geometry.name, "_row")]
    mapping = {**guess_mapping(columns), **options.mapping}
    result = apply_mapping(wgs.drop(columns="_row"), mapping)
    result = pd.concat([result, area_columns(result)], axis=1)
    result = gpd.GeoDataFrame(result, geometry=wgs.geometry.name, crs=WGS84)
    unit = declared_area_unit(result["declared_area"], result["area_m2"])
    if mapping.get("area") and unit is None:
        warnings.add(
            f"Column {mapping['area']!r} does not match the measured areas in m², ha or mu.",
            f"列 {mapping['area']!r} 与实测面积（m²、公顷、亩）都不相符。",
        )
    if geometry.z_dropped:
        warnings.add(
            f"Z/M values dropped from {geometry.z_dropped} features.",
            f"已去除 {geometry.z_dropped} 个要素的 Z/M 值。",
        )
    report["changes"].sort(key=lambda c: c["feature"])
    dropped = len(raw) - len(result)
    report.update({
        "source": source.label, "sources": [s.label for s in sources],
        "features_read": len(raw), "features_kept": len(result), "repaired": geometry.repaired,
        "dropped": dropped, "geometry_type": geometry.family, "encoding": encoding,
        "encoding_preview": encoding_preview, "crs": crs_info,
        "bbox_wgs84": [round(float(v), 6) for v in result.total_bounds],
        "columns": columns, "mapping": mapping, "declared_area_unit": unit,
        "area_m2": round(float(result["area_m2"].sum()), 1),
        "area_ha": round(float(result["area_ha"].sum()), 3),
        "area_mu": round(float(result["area_mu"].sum()), 2),
        "preview": _preview(raw[columns]), "warnings": warnings.en,
        "warnings_zh": warnings.zh,
    })  # fmt: skip
    return IngestResult(result, report, source, sources)


def _preview(frame: pd.DataFrame) -> list[dict]:
    head = frame.head(_PREVIEW_ROWS)
    return [{k: (None if pd.isna(v) else str(v)) for k, v in row.items()} for _, row in
            head.iterrows()]  # fmt: skip
