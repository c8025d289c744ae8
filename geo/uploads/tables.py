"""Tables that carry their geometry in columns (a CSV, an Excel sheet: a WKT column, or lon/lat
or x/y columns, no CRS attached) and GeoParquet files (read with pyarrow: this GDAL has no
Parquet driver)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import wkt as shapely_wkt
from shapely.errors import GEOSException

from geo.errors import IngestError

__all__ = ["excel_sheets", "pick_columns", "read_excel", "read_geoparquet", "table_geometry"]

_WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "shape", "几何")
_LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "东经", "x坐标")
_LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬", "y坐标")


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in columns}
    return next((lowered[n] for n in names if n in lowered), None)


def pick_columns(columns: list[str]) -> tuple[str | None, str | None, str | None]:
    """The WKT column, and the lon (x) and lat (y) columns, of a table's ``columns``."""
    return _pick(columns, _WKT_NAMES), _pick(columns, _LON_NAMES), _pick(columns, _LAT_NAMES)


def table_geometry(frame: pd.DataFrame, what: str = "CSV") -> gpd.GeoDataFrame:
    """``frame`` (text cells) with its geometry from a WKT column or lon/lat (x/y) columns; no
    CRS (decided from the numbers, or chosen). IngestError naming the row at fault, or saying
    which columns are needed."""
    wkt_col, lon_col, lat_col = pick_columns(list(frame.columns))
    if wkt_col:
        geoms = []
        for row, value in enumerate(frame[wkt_col]):
            text = "" if pd.isna(value) else str(value).strip()
            if text.lower() in ("nan", "null", "none", "<null>"):  # an empty cell, exported
                text = ""
            try:
                geoms.append(shapely_wkt.loads(text) if text else None)
            except (GEOSException, ValueError) as exc:
                raise IngestError(
                    f"Row {row + 2} of column {wkt_col!r} holds text that is not WKT "
                    f"({str(exc)[:80]}): {text[:40]!r}. Correct or empty that cell.",
                    f"列 {wkt_col!r} 第 {row + 2} 行不是 WKT 文本：{text[:40]!r}。"
                    "请改正或清空该单元格。",
                ) from exc
        return gpd.GeoDataFrame(frame.drop(columns=wkt_col), geometry=geoms)
    if lon_col and lat_col:
        lon = pd.to_numeric(frame[lon_col], errors="coerce")
        lat = pd.to_numeric(frame[lat_col], errors="coerce")
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat))
    raise IngestError(
        f"The {what} has no geometry: add a WKT column (wkt/geometry) or lon and lat (x and y) "
        "columns.",
        f"{what} 中没有几何信息：请加入 WKT 列（wkt/geometry）或经度、纬度列（lon/lat、x/y）。",
    )


def excel_sheets(path: Path) -> list[str]:
    """The sheets of an Excel workbook whose first row names geometry columns, in order (all
    sheets where none does, so that the refusal can name them)."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, nrows=0, engine="openpyxl")
    except Exception as exc:  # openpyxl fails in many ways on damaged workbooks
        raise IngestError(
            f"{path.name} cannot be opened as an Excel workbook (.xlsx). Save it again from "
            "Excel or WPS as .xlsx.",
            f"{path.name} 无法作为 Excel 工作簿（.xlsx）打开。请在 Excel 或 WPS 中另存为 .xlsx。",
        ) from exc
    usable = [name for name, head in sheets.items()
              if any(pick_columns([str(c) for c in head.columns])[:1])
              or all(pick_columns([str(c) for c in head.columns])[1:])]  # fmt: skip
    return usable or list(sheets)


def read_excel(path: Path, sheet: str | None) -> gpd.GeoDataFrame:
    """One sheet of an Excel workbook as a layer (see ``table_geometry``)."""
    frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
    frame = frame.dropna(how="all")
    frame.columns = [str(c).strip() for c in frame.columns]
    return table_geometry(frame.fillna(""), f"Excel sheet {sheet or ''}".strip())


def read_geoparquet(path: Path) -> gpd.GeoDataFrame:
    """A GeoParquet file, its CRS as the file says."""
    try:
        return gpd.read_parquet(path)
    except Exception as exc:  # no geo metadata, or not a Parquet file
        raise IngestError(
            f"{path.name} is not a GeoParquet file ({str(exc)[:120]}). Export it again as "
            "GeoParquet, or as GeoPackage.",
            f"{path.name} 不是 GeoParquet 文件。请重新导出为 GeoParquet 或 GeoPackage。",
        ) from exc
