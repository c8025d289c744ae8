"""Read a planner's upload into a clean GeoDataFrame (EPSG:4326) and report what was done."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.area import area_columns
from geo.crs import WGS84
from geo.errors import IngestError
from geo.uploads.charsets import clean_text, shown_name, suspect_values
from geo.uploads.columns import (
    declared_area_unit,
    guess_mapping,
    join_added,
    parcel_columns,
    storable_names,
)
from geo.uploads.dxf import dxf_encoding, read_dxf
from geo.uploads.encoding import (
    EncodingDecision,
    dbf_text_samples,
    decide_csv_encoding,
    decide_dbf_encoding,
    preview_encodings,
)
from geo.uploads.kinds import geometry_kinds, warn_other_kinds, without_overlays
from geo.uploads.osm import walkable_ways
from geo.uploads.place import (
    check_location,
    datum_hint,
    decide_crs,
    drop_out_of_range,
    warn_datum_hint,
    warn_old_datum,
)
from geo.uploads.read import Source, find_sources, read_csv, read_source
from geo.uploads.repair import clean_geometries
from geo.uploads.report import EncodingInfo, UploadReport, Warnings

__all__ = ["IngestOptions", "IngestResult", "inspect_upload"]

_PREVIEW_ROWS = 5


@dataclass
class IngestOptions:
    """What the planner said: encoding ('auto' or a name), CRS ('auto', 'EPSG:N', 'gcj02',
    'bd09'), which layer of a multi-layer upload, and column mapping overrides."""

    encoding: str = "auto"
    crs: str = "auto"
    layer: str | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)
    geometry: str = "auto"  # or the kind kept where a file mixes them: Point, LineString ...
    cad_layers: list[str] | None = None  # a DXF drawing's layers to read (None: those with shapes)
    close_gaps_m: float = 0.0  # a DXF's open polylines with ends this close are closed (metres)


@dataclass
class IngestResult:
    """The clean layer (EPSG:4326, parcel columns and areas added) and the report."""

    gdf: gpd.GeoDataFrame
    report: UploadReport
    source: Source
    sources: list[Source]


def _choose(sources: list[Source], label: str | None) -> Source:
    if label is None and sources and all(s.driver == "OSM" for s in sources):
        label = next((s.layer for s in sources if s.layer == "lines"), None)  # its streets
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


def _dbf_of(source: Source) -> Path:
    return next(p for p in source.path.parent.glob(source.path.stem + ".*")
                if p.suffix.lower() == ".dbf")  # fmt: skip


def _read(source: Source, options: IngestOptions, warnings: Warnings):
    """The raw layer, how its text was decoded, and the encoding preview."""
    samples: list[bytes] = []
    if source.driver == "ESRI Shapefile":
        dbf = _dbf_of(source)
        samples = dbf_text_samples(dbf)
        decision = decide_dbf_encoding(dbf, samples, user=options.encoding)
        gdf = read_source(source, encoding=decision.encoding)
        _check_attributes(gdf, dbf, warnings)
    elif source.driver == "CSV":
        decision = decide_csv_encoding(source.path, user=options.encoding)
        samples = source.path.read_bytes()[: 1024 * 1024].splitlines()[:200]
        gdf = read_csv(source.path, encoding=decision.encoding)
    elif source.driver == "DXF":
        gdf, cad = read_dxf(source.path, options.cad_layers, options.close_gaps_m, warnings)
        decision = dxf_encoding(source.path)
        gdf.attrs["cad"] = cad
    else:
        decision = EncodingDecision("UTF-8", "format", f"{source.driver} text is UTF-8")
        gdf = read_source(source)
    if decision.warning:
        warnings.add(*decision.warning)
    suspect, better = suspect_values(samples, decision.encoding)
    if suspect:
        hint_en = f" {shown_name(better)} fits them better." if better else ""
        hint_zh = f"{shown_name(better, 'zh')} 更合适。" if better else ""
        warnings.add(
            f"{suspect} text values do not read cleanly as {shown_name(decision.encoding)}: they "
            f"may show garbled.{hint_en} Compare the encoding preview and choose another encoding.",
            f"有 {suspect} 个文字值按 {shown_name(decision.encoding, 'zh')} 读取不正常，可能显示为"
            f"乱码。{hint_zh}请对照编码预览选择其他编码。",
        )
    shown = [decision.encoding, *decision.candidates, "UTF-8", "GB18030"]
    if better:
        shown.insert(1, better)
    preview = preview_encodings(samples, shown) if samples else {}
    info = EncodingInfo(decision.encoding, decision.how, decision.detail, suspect,
                        list(decision.candidates))  # fmt: skip
    return gdf, info, preview


def _check_attributes(gdf: gpd.GeoDataFrame, dbf: Path, warnings: Warnings) -> None:
    """Say so when a .dbf that has fields (or bytes) gave no attribute columns."""
    if len(gdf.columns) > 1 or dbf.stat().st_size <= 33:
        return
    name = clean_text(dbf.name)
    warnings.add(
        f"{name} was read but no attributes came out of it (its header may be damaged): "
        "the layer has shapes and no attributes. Export the shapefile again if they matter.",
        f"已读取 {name}，但没有得到任何属性（文件头可能已损坏）：图层只有图形、没有属性。"
        "如需属性，请重新导出 shapefile。",
    )


def _geometries(raw: gpd.GeoDataFrame, source: Source, family: str = "auto"):
    """The usable features (column ``_row``: the row in the file) and the cleaning report."""
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
    raw = raw.reset_index(drop=True)
    raw["_row"] = np.arange(len(raw))
    clean, geometry = clean_geometries(raw, None if family == "auto" else family)
    if len(clean) == 0:
        raise IngestError(
            f"None of the {len(raw)} features has a usable geometry "
            f"({geometry.changes[0].change if geometry.changes else 'no geometry'}).",
            f"{len(raw)} 个要素都没有可用的几何图形。",
        )
    return raw, clean, geometry


def _storable(raw: gpd.GeoDataFrame, warnings: Warnings) -> tuple[gpd.GeoDataFrame, dict]:
    """``raw`` with columns a GeoPackage cannot hold renamed, and the renames."""
    columns = [c for c in raw.columns if c not in (raw.geometry.name, "_row")]
    renames = storable_names(columns)
    if renames:
        said = ", ".join(f"{a} → {b}" for a, b in renames.items())
        warnings.add(
            f"Columns renamed so that they can be stored (names differing only in case, or "
            f"reserved): {said}.",
            f"为便于保存，已重命名以下列（仅大小写不同或为保留名）：{said}。",
        )
    return raw.rename(columns=renames), renames


def _without_nul(raw: gpd.GeoDataFrame, warnings: Warnings) -> gpd.GeoDataFrame:
    """``raw`` with NUL characters removed from its text: invisible, and no store keeps them
    (GeoPackage and PostgreSQL text end or refuse at NUL)."""
    count = 0
    for column in raw.columns:
        values = raw[column]
        if column == raw.geometry.name or not (
            pd.api.types.is_string_dtype(values) or values.dtype == object
        ):
            continue
        has_nul = values.map(lambda v: isinstance(v, str) and "\x00" in v)
        if has_nul.any():
            count += int(has_nul.sum())
            raw[column] = values.map(lambda v: v.replace("\x00", "") if isinstance(v, str) else v)
    if count:
        warnings.add(
            f"{count} text values held NUL characters (invisible; no store keeps them): removed.",
            f"有 {count} 个文字值含有 NUL 字符（不可见，无法保存），已删除。",
        )
    return raw


def _names_and_prj(files: list[Path], workdir: Path, source: Source) -> list[str]:
    """What may name the data's datum: the uploaded files' names, the layer's path inside
    them (folders of a zip), and its .prj's text."""
    texts = [f"{p.parent.name}/{p.name}" for p in files] + [source.label, str(source.layer or "")]
    try:
        texts.append(str(source.path.relative_to(workdir)))
    except ValueError:
        texts.append(source.path.name)
    prj = source.path.with_suffix(".prj")
    if prj.is_file() and prj.stat().st_size < 100_000:
        texts.append(prj.read_text(errors="replace"))
    return texts


def _warn_parts_disagree(raw: gpd.GeoDataFrame, warnings: Warnings) -> int:
    """Say so where a shapefile's .dbf and .shp hold different numbers of features (parts of
    two files, or one cut short); the number of features that could not be read."""
    if "parts_disagree" not in raw.attrs:
        return 0
    records, shapes = raw.attrs["parts_disagree"]
    if len(raw) == 0:
        raise IngestError(
            f"The .dbf's header counts {records} records but the .shp holds {shapes} shapes: "
            "the .dbf is damaged or belongs to another file. Export the shapefile again.",
            f".dbf 文件头记录数为 {records}，而 .shp 中有 {shapes} 个图形：.dbf 已损坏或不属于"
            "该文件。请重新导出 shapefile。",
        )
    lost = max(records, shapes) - len(raw)
    kept = f"the first {len(raw)}"
    warnings.add(
        f"The .dbf holds {records} records but the .shp {shapes} shapes: the parts do not "
        f"belong together, or one was cut short. Kept {kept}, each with its record; {lost} "
        f"{'record had no shape' if records > shapes else 'shape had no record'}"
        f"{'s' if lost != 1 else ''} and could not be read. Check the files with whoever sent "
        "them.",
        f".dbf 中有 {records} 条记录，而 .shp 中有 {shapes} 个图形：各组成文件不匹配或有文件"
        f"不完整。已保留前 {len(raw)} 个要素；另有 {lost} 条"
        f"{'记录没有图形' if records > shapes else '图形没有属性记录'}，未能读取。"
        "请与文件提供方核对。",
    )
    return lost


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
    warnings = Warnings()
    raw, encoding, encoding_preview = _read(source, options, warnings)
    cad = raw.attrs.get("cad", {})
    if raw.attrs.get("prj_error") and options.crs == "auto":
        warnings.add(
            f"The .prj cannot be read ({raw.attrs['prj_error']}); the CRS was decided from the "
            "coordinates instead. Choose the CRS (--crs EPSG:N) if the parcels are misplaced.",
            f".prj 文件无法解析（{raw.attrs['prj_error']}），已根据坐标推断坐标系。"
            "如位置不对，请指定坐标系。",
        )
    unread = _warn_parts_disagree(raw, warnings)
    if source.driver in ("LIBKML", "KML"):
        raw = without_overlays(raw, source.label, warnings)
    if source.driver == "OSM" and source.layer == "lines":
        raw = walkable_ways(raw, source.label, warnings)
    raw, renamed = _storable(raw, warnings)
    raw = _without_nul(raw, warnings)
    raw, clean, geometry = _geometries(raw, source, options.geometry)
    kinds = geometry_kinds(raw)
    warn_other_kinds(kinds, geometry.family, warnings)
    changes = list(geometry.changes)
    wgs, crs_info = decide_crs(clean, options.crs, warnings)
    crs_info.hint = datum_hint(_names_and_prj(files, workdir, source))
    warn_datum_hint(crs_info, warnings)
    warn_old_datum(crs_info, warnings)
    wgs = drop_out_of_range(wgs, changes)
    if len(wgs) == 0:
        raise IngestError(
            "Every feature lies outside the range of lon/lat once projected: the CRS is wrong. "
            "Choose the right one (--crs EPSG:N).",
            "转换后所有要素都超出经纬度范围：坐标系有误。请指定正确的坐标系。",
        )
    check_location(wgs, warnings)
    columns = [c for c in raw.columns if c not in (raw.geometry.name, "_row")]
    mapping = {**guess_mapping(columns), **options.mapping}
    unknown = [c for c in mapping.values() if c is not None and c not in columns]
    if unknown:
        raise IngestError(
            f"No column {unknown[0]!r} in the file. Columns: {', '.join(map(str, columns))}",
            f"文件中没有列 {unknown[0]!r}。现有列：{'、'.join(map(str, columns))}",
        )
    frame = pd.DataFrame(wgs.drop(columns=[wgs.geometry.name, "_row"]))
    added = pd.concat([parcel_columns(frame, mapping), area_columns(wgs)], axis=1)
    joined, kept_aside = join_added(frame, added)
    _say_kept_aside(kept_aside, warnings)
    result = gpd.GeoDataFrame(joined, geometry=wgs.geometry.values, crs=WGS84)
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
    report = UploadReport(
        source=source.label, sources=[s.label for s in sources], features_read=len(raw) + unread,
        features_kept=len(result), repaired=geometry.repaired,
        dropped=len(raw) + unread - len(result),
        geometry_type=geometry.family, geometry_kinds=kinds, encoding=encoding,
        encoding_preview=encoding_preview,
        crs=crs_info, bbox_wgs84=[round(float(v), 6) for v in result.total_bounds],
        columns=[str(c) for c in columns], renamed_columns={**renamed, **kept_aside},
        mapping=mapping, declared_area_unit=unit,
        area_m2=round(float(result["area_m2"].sum()), 1),
        area_ha=round(float(result["area_ha"].sum()), 3),
        area_mu=round(float(result["area_mu"].sum()), 2),
        preview=_preview(raw[columns]), changes=sorted(changes, key=lambda c: c.feature),
        warnings_both=warnings, cad=cad,
    )  # fmt: skip
    return IngestResult(result.reset_index(drop=True), report, source, sources)


def _say_kept_aside(renames: dict[str, str], warnings: Warnings) -> None:
    for old, new in renames.items():
        warnings.add(
            f"The file's own column {old!r} differs from the atlas' {old!r} (parcel id or "
            f"measured area); it is kept as {new!r}.",
            f"文件自带的列 {old!r} 与图集生成的 {old!r}（地块编号或实测面积）不同，"
            f"已保留为 {new!r}。",
        )


def _preview(frame: pd.DataFrame) -> list[dict]:
    head = frame.head(_PREVIEW_ROWS)
    return [{str(k): (None if pd.isna(v) else str(v)) for k, v in row.items()}
            for _, row in head.iterrows()]  # fmt: skip
