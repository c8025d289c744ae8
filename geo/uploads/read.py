"""Find the layers in an upload and read one into a GeoDataFrame, as the file has it."""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.cells import restored_cells
from geo.errors import IngestError
from geo.export import STYLES_TABLE
from geo.settings import max_upload_bytes
from geo.uploads.archive import unpack_zip
from geo.uploads.charsets import clean_text, decode_lenient, python_codec, shown_text
from geo.uploads.dxf import refuse_dwg
from geo.uploads.tables import (
    excel_sheets,
    pick_columns,
    read_excel,
    read_geoparquet,
    table_geometry,
)

__all__ = ["Source", "find_sources", "read_csv", "read_source"]

_LOG = logging.getLogger("sip_atlas")

# Extension -> (GDAL driver, multi-layer container?)
_FORMATS = {
    ".shp": ("ESRI Shapefile", False),
    ".gpkg": ("GPKG", True),
    ".geojson": ("GeoJSON", False),
    ".json": ("GeoJSON", False),
    ".kml": ("LIBKML", True),
    ".kmz": ("LIBKML", True),
    ".csv": ("CSV", False),
    ".xlsx": ("XLSX", True),
    ".fgb": ("FlatGeobuf", False),
    ".parquet": ("GeoParquet", False),
    ".geoparquet": ("GeoParquet", False),
    ".osm": ("OSM", True),  # OpenStreetMap XML; .osm.pbf too (the name ends in .pbf)
    ".pbf": ("OSM", True),
    ".dxf": ("DXF", False),  # AutoCAD drawings, read by geo.uploads.dxf (ezdxf)
}
_NOT_LAYERS = {STYLES_TABLE, "qgis_projects"}  # QGIS's tables in a GeoPackage: not data
_NESTED = 3  # zips inside zips unpacked this deep
# A ring that does not close is a broken geometry: GDAL then gives no geometry for that feature
# (dropped and reported) instead of one shapely cannot build.
pyogrio.set_gdal_config_options({"OGR_GEOMETRY_ACCEPT_UNCLOSED_RING": "NO"})
_SIDECARS = {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".qmd", ".fix"}
_NOT_GEODATA = (
    "{name} is not a geodata file. Upload a zipped shapefile, the .shp with its .shx and .dbf, "
    "a GeoPackage, GeoJSON, KML/KMZ, FlatGeobuf, GeoParquet, an OpenStreetMap extract (.osm, "
    ".osm.pbf), an AutoCAD drawing saved as DXF, or a CSV or Excel sheet with a WKT or "
    "lon/lat columns.",
    "{name} 不是地理数据文件。请上传压缩的 shapefile、.shp 及其 .shx 和 .dbf、GeoPackage、"
    "GeoJSON、KML/KMZ、FlatGeobuf、GeoParquet、OpenStreetMap 数据（.osm、.osm.pbf）、"
    "另存为 DXF 的 AutoCAD 图纸，"
    "或带 WKT / 经纬度列的 CSV 或 Excel 表格。",
)


@dataclass(frozen=True)
class Source:
    """One readable layer of an upload: the file, the layer inside it, and a label to pick."""

    path: Path
    driver: str
    layer: str | None
    label: str


def _ingest_error(pair: tuple[str, str], **values: object) -> IngestError:
    return IngestError(pair[0].format(**values), pair[1].format(**values))


def _check_upload(path: Path, *, unpacked: bool = False) -> None:
    """Refuse an empty file, and one over the upload limit: also a file unpacked from a zip,
    since that limit is on what is parsed (memory), not on what was sent."""
    size = path.stat().st_size
    name = shown_text(path.name)
    if size == 0:
        raise IngestError(
            f"{name} is empty (0 bytes). Export it again.",
            f"{name} 是空文件（0 字节）。请重新导出。",
        )
    if size > max_upload_bytes():
        cap = max_upload_bytes() / 1024 / 1024
        where_en, where_zh = (" once unpacked", "（解压后）") if unpacked else ("", "")
        raise IngestError(
            f"{name} is {size / 1024 / 1024:,.1f} MiB{where_en}, over the {cap:,.0f} MiB limit "
            "(SIP_ATLAS_MAX_UPLOAD_MB). Upload a smaller extract.",
            f"{name}{where_zh}大小 {size / 1024 / 1024:,.1f} MiB，超过 {cap:,.0f} MiB 上限。"
            "请上传较小的数据。",
        )


def _has_geometry_columns(csv: Path) -> bool:
    """Whether a CSV's header names a WKT column or lon/lat columns."""
    with csv.open("rb") as fh:
        header = decode_lenient(fh.readline(64 * 1024), "UTF-8+GB18030").lstrip("\ufeff")
    columns = [c.strip().strip('"') for c in header.split(",")]
    wkt_col, lon_col, lat_col = pick_columns(columns)
    return bool(wkt_col or (lon_col and lat_col))


def _check_shapefile(shp: Path) -> None:
    present = {p.suffix.lower() for p in shp.parent.glob(shp.stem + ".*")}
    missing = [ext for ext in (".shx", ".dbf") if ext not in present]
    if missing:
        name = clean_text(shp.name)
        raise IngestError(
            f"{name} comes without its {' and '.join(missing)}. A shapefile needs the .shp, "
            ".shx and .dbf together: upload all parts, or zip them.",
            f"{name} 缺少 {'、'.join(missing)} 文件。shapefile 需要 .shp、.shx、.dbf 一起上传，"
            "或将它们压缩后上传。",
        )


def _layers_of(path: Path, driver: str, multi: bool, label: str) -> list[Source]:
    if driver == "ESRI Shapefile":
        _check_shapefile(path)
    if not multi:
        return [Source(path, driver, None, label)]
    if driver == "XLSX":
        names = excel_sheets(path)
        return [Source(path, driver, n, label if len(names) == 1 else f"{label} : {n}")
                for n in names]  # fmt: skip
    try:
        names = [str(n) for n, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL and pyogrio fail in many ways on damaged files
        if driver == "GPKG" and _tables_only(path):
            names = []
        else:
            said = str(exc).replace(str(path), label)[:200]
            raise IngestError(
                f"{label} cannot be opened ({said}). Check that the file is complete.",
                f"{label} 无法打开（{said}）。请检查文件是否完整。",
            ) from exc
    names = [n for n in names if n not in _NOT_LAYERS]
    if not names:
        raise IngestError(
            f"{label} holds no vector layers (only raster tiles, or nothing): the atlas reads "
            "parcels drawn as points, lines or polygons. Export the vector layer instead.",
            f"{label} 中没有矢量图层（只有栅格影像，或为空）：图集读取以点、线、面绘制的数据。"
            "请导出矢量图层后上传。",
        )
    if len(names) == 1:
        return [Source(path, driver, names[0], label)]
    return [Source(path, driver, n, f"{label} : {n}") for n in names]


def _unpack_nested(archive: Path, target: Path, depth: int = 1) -> list[Path]:
    """The files of ``archive`` unpacked into ``target``, a zip among them unpacked beside it
    (into ``<name>.unzipped``), up to ``_NESTED`` levels: as e-mail and chat tools deliver."""
    files = []
    for member in unpack_zip(archive, target if depth == 1 else archive.with_suffix(".unzipped")):
        if member.suffix.lower() == ".zip" and depth < _NESTED and zipfile.is_zipfile(member):
            files += _unpack_nested(member, target, depth + 1)
        else:
            files.append(member)
    return files


def _tables_only(gpkg: Path) -> bool:
    """Whether a GeoPackage's contents list holds no vector ('features') table."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True) as db:
            kinds = [r[0] for r in db.execute("SELECT data_type FROM gpkg_contents")]
    except sqlite3.Error:
        return False
    return "features" not in kinds


def find_sources(files: list[Path], workdir: Path) -> list[Source]:
    """Every layer in the uploaded ``files``: one zip, one file, or a shapefile's loose parts.

    Zips are unpacked into ``workdir`` (safely, with their Chinese names restored).
    """
    for path in files:
        _check_upload(path)
    candidates: list[tuple[Path, Path]] = []  # (file, folder its label is relative to)
    for n, path in enumerate(files):
        if zipfile.is_zipfile(path) and path.suffix.lower() not in (".kmz", ".xlsx"):
            target = workdir / f"unzipped-{n}"
            target.mkdir(parents=True, exist_ok=True)
            candidates += [(member, target) for member in _unpack_nested(path, target)]
        elif path.suffix.lower() == ".zip":
            name = shown_text(path.name)
            raise IngestError(
                f"{name} is not a readable zip (damaged or truncated). Zip the files again.",
                f"{name} 不是有效的压缩包（已损坏或不完整）。请重新压缩。",
            )
        else:
            candidates.append((path, path.parent))
    layers = [(p, r) for p, r in sorted(candidates) if p.suffix.lower() in _FORMATS
              and not p.name.startswith("._") and "__MACOSX" not in p.parts]  # fmt: skip
    if len(layers) > 1:  # a CSV beside other layers that has no geometry is a table (fields.csv)
        layers = [(p, r) for p, r in layers
                  if p.suffix.lower() != ".csv" or _has_geometry_columns(p)]  # fmt: skip
    sources: list[Source] = []
    for path, root in layers:
        if root != path.parent or path not in files:
            for part in path.parent.glob(path.stem + ".*"):
                if part.suffix.lower() in (path.suffix.lower(), ".dbf"):
                    _check_upload(part, unpacked=True)
        driver, multi = _FORMATS[path.suffix.lower()]
        sources += _layers_of(path, driver, multi, shown_text(str(path.relative_to(root))))
    if not sources:
        dwg = next((p for p, _ in candidates if p.suffix.lower() == ".dwg"), None)
        if dwg is not None:
            raise refuse_dwg(shown_text(dwg.name))
        only_parts = candidates and all(p.suffix.lower() in _SIDECARS for p, _ in candidates)
        if only_parts:
            raise IngestError(
                "The upload has shapefile parts but no .shp. Add the .shp file.",
                "上传的文件中有 shapefile 的组成部分，但缺少 .shp 文件。请一并上传 .shp。",
            )
        raise _ingest_error(_NOT_GEODATA, name=", ".join(clean_text(p.name) for p in files))
    return sources


def _redecode(gdf: gpd.GeoDataFrame, encoding: str) -> gpd.GeoDataFrame:
    """Turn text read as Latin-1 (one character per byte) back into ``encoding`` text.

    Column names come out unique (a damaged .dbf may repeat one).
    """
    geometry = gdf.geometry.name
    names: list[str] = []
    for position, column in enumerate(gdf.columns):
        name = (
            column
            if column == geometry
            else decode_lenient(str(column).encode("latin-1"), encoding)
        )
        while name in names:
            name += "_"
        names.append(name)
        values = gdf.iloc[:, position]
        if column != geometry and (pd.api.types.is_string_dtype(values) or values.dtype == object):
            gdf.isetitem(position, values.map(
                lambda v: decode_lenient(v.encode("latin-1"), encoding) if isinstance(v, str) else v
            ))  # fmt: skip
    gdf.columns = names
    return gdf.set_geometry(geometry)


def _restore_field_names(gdf: gpd.GeoDataFrame, shp: Path) -> gpd.GeoDataFrame:
    """Give back the full column names that the atlas' own shapefile export cut to 10 bytes
    (its ``fields.csv``: field, column)."""
    table = shp.parent / "fields.csv"
    if not table.is_file():
        return gdf
    try:
        names = pd.read_csv(table, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        renames = dict(zip(names["field"], names["column"], strict=True))
    except (ValueError, KeyError, UnicodeDecodeError, pd.errors.ParserError):
        return gdf
    taken = set(gdf.columns)
    renames = {f: c for f, c in renames.items() if f in taken and c and c not in taken}
    return gdf.rename(columns=renames) if len(set(renames.values())) == len(renames) else gdf


def shapefile_counts(shp: Path) -> tuple[int, int] | None:
    """(records in the .dbf, shapes in the .shx) of a shapefile, from their headers; None where
    a part is missing or too short to say."""
    parts = {p.suffix.lower(): p for p in shp.parent.glob(shp.stem + ".*")}
    try:
        with parts[".dbf"].open("rb") as dbf:
            header = dbf.read(8)
        size = parts[".shx"].stat().st_size
    except (KeyError, OSError):
        return None
    if len(header) < 8 or size < 100:
        return None
    return int.from_bytes(header[4:8], "little"), (size - 100) // 8


def _read_without_prj(source: Path) -> gpd.GeoDataFrame:
    """A shapefile read as if it had no .prj (its .prj is damaged): the CRS is left unset."""
    with tempfile.TemporaryDirectory(prefix="sip-atlas-noprj-") as tmp:
        for part in source.parent.glob(source.stem + ".*"):
            if part.suffix.lower() != ".prj":
                os.symlink(part.resolve(), Path(tmp) / part.name)
        return pyogrio.read_dataframe(Path(tmp) / source.name, encoding="ISO-8859-1",
                                      use_arrow=True)  # fmt: skip


def read_source(source: Source, *, encoding: str | None = None) -> gpd.GeoDataFrame:
    """``_read_source`` with GDAL's and pyogrio's warnings kept in the server's log, shortened
    (they may echo kilobytes of the file); what matters to the planner is in the report."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        gdf = _read_source(source, encoding=encoding)
    for warning in said:
        _LOG.info("reading %s: %s", source.label, str(warning.message)[:200])
    return gdf


def _read_source(source: Source, *, encoding: str | None = None) -> gpd.GeoDataFrame:
    """Read a source as the file has it (its own CRS, or none); text decoded with ``encoding``.

    Shapefile text is read byte for byte (as Latin-1) and decoded here, because GDAL fails on
    field names that a writer cut in the middle of a character (.dbf names hold 10 bytes).
    A shapefile whose .prj cannot be parsed is read without it; ``gdf.attrs['prj_error']``
    then says why, so that the CRS is chosen or guessed instead.
    """
    try:
        if source.driver == "ESRI Shapefile" and encoding:
            try:
                gdf = pyogrio.read_dataframe(source.path, encoding="ISO-8859-1", use_arrow=True)
                problem = None
            except pyogrio.errors.CRSError as exc:
                gdf, problem = _read_without_prj(source.path), str(exc)
            gdf = _restore_field_names(_redecode(gdf, encoding), source.path)
            if problem:
                gdf.attrs["prj_error"] = problem
            counts = shapefile_counts(source.path)
            if counts and counts[0] != counts[1]:  # GDAL reads as many as both parts hold
                gdf.attrs["parts_disagree"] = counts
            return gdf
        if source.driver == "XLSX":
            return read_excel(source.path, source.layer)
        if source.driver == "GeoParquet":
            return read_geoparquet(source.path)
        return pyogrio.read_dataframe(
            source.path, layer=source.layer, encoding=encoding, use_arrow=True
        )
    except IngestError:
        raise
    except Exception as exc:  # GDAL and pyogrio fail in many ways on damaged files
        said = str(exc).replace(str(source.path), source.label)[:200]
        parts = (" and that its parts (.shp, .shx, .dbf) belong together"
                 if source.driver == "ESRI Shapefile" else "")  # fmt: skip
        raise IngestError(
            f"{source.label} cannot be read ({said}). Check that the file is complete{parts}.",
            f"{source.label} 无法读取（{said}）。请检查文件是否完整"
            f"{'、各组成文件是否匹配' if parts else ''}。",
        ) from exc


def read_csv(path: Path, *, encoding: str) -> gpd.GeoDataFrame:
    """Read a CSV whose geometry is a WKT column or lon/lat columns (no CRS attached)."""
    try:
        frame = pd.read_csv(path, encoding=python_codec(encoding), dtype=str, keep_default_na=False)
        frame = restored_cells(frame)  # the atlas' own CSV export reads back as it was
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise IngestError(
            f"The CSV cannot be read ({exc}). Check its encoding and separators.",
            f"CSV 无法读取（{exc}）。请检查编码和分隔符。",
        ) from exc
    return table_geometry(frame)
