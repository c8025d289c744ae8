"""Write a layer out for desktop GIS: GeoPackage, GeoJSON, zipped shapefile or CSV (EPSG:4326),
or an AutoCAD drawing (DXF, EPSG:4549 metres).

A GeoPackage carries the layer's style for QGIS in its ``layer_styles`` table (QGIS's
GeoPackage styling extension: the layer opens with the atlas' colours, categories and labels).

Shapefiles carry a .cpg saying their encoding (UTF-8, or GBK for older desktop GIS), and field
names cut to the .dbf's 10 bytes at a character boundary, with ``fields.csv`` in the zip
giving each full name.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.cells import inert_cells
from geo.crs import to_wgs84
from geo.errors import SipAtlasError

__all__ = ["EXPORT_FORMATS", "STYLES_TABLE", "ExportStyle", "add_layer_style", "export_layer",
           "fit_encoding", "shapefile_field_names", "without_helpers",
           "write_styled_layer"]  # fmt: skip

EXPORT_FORMATS = {".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".zip": "zipped shapefile",
                  ".csv": "CSV (WKT geometry)", ".dxf": "AutoCAD DXF"}  # fmt: skip
STYLES_TABLE = "layer_styles"  # where QGIS reads a GeoPackage layer's styles


@dataclass(frozen=True)
class ExportStyle:
    """What an export carries of how the atlas draws a layer: its QGIS style (QML), its name,
    the column its categories come from with their colours ('#rrggbb'), its one colour, and
    the column whose values are written as texts in a drawing."""

    qml: str = ""
    name: str = "layer"
    by: str | None = None
    colours: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # category value -> its name
    colour: str = "#999999"
    label: str | None = None


def add_layer_style(gpkg: Path, table: str, qml: str, name: str) -> None:
    """Add ``qml`` as the default style of ``table`` in ``gpkg``'s ``layer_styles`` (the
    table QGIS creates when a style is saved in a GeoPackage: same columns, registered as an
    attributes table)."""
    import sqlite3

    with sqlite3.connect(gpkg) as db:
        geometry = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name=?",
                              (table,)).fetchone()  # fmt: skip
    row = pd.DataFrame({"f_table_catalog": [""], "f_table_schema": [""], "f_table_name": [table],
                        "f_geometry_column": [geometry[0] if geometry else ""],
                        "styleName": [name[:30]], "styleQML": [qml], "styleSLD": [""],
                        "useAsDefault": [True], "description": ["sip-atlas"], "owner": [""],
                        "ui": [""], "update_time": [pd.Timestamp.now(tz="UTC")]})  # fmt: skip
    present = STYLES_TABLE in {str(n) for n, _ in pyogrio.list_layers(gpkg)}
    pyogrio.write_dataframe(row, gpkg, layer=STYLES_TABLE, driver="GPKG", append=present,
                            layer_options={} if present else {"FID": "id"})  # fmt: skip


_ENCODINGS = {"utf-8": "UTF-8", "gbk": "GBK"}
# extension -> (driver, where the attribution goes)
_ATTRIBUTED = {
    ".gpkg": ("GPKG", lambda text: {"layer_metadata": {"ATTRIBUTION": text}}),
    ".geojson": ("GeoJSON", lambda text: {"layer_options": {"DESCRIPTION": text}}),
}


def shapefile_field_names(columns: list[str], encoding: str) -> dict[str, str]:
    """Each column's .dbf field name: at most 10 bytes in ``encoding``, cut between characters,
    made unique with a number."""
    names: dict[str, str] = {}
    for column in columns:
        short = ""
        for char in str(column):
            if len((short + char).encode(encoding, errors="replace")) > 10:
                break
            short += char
        candidate, n = short or "field", 1
        while candidate in names.values():
            suffix = str(n)
            base = short
            while len((base + suffix).encode(encoding, errors="replace")) > 10:
                base = base[:-1]
            candidate, n = base + suffix, n + 1
        names[column] = candidate
    return names


def without_helpers(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` with text column names and its helper columns (leading underscore) dropped:
    what an export writes."""
    out = gdf[[c for c in gdf.columns if not str(c).startswith("_")]]
    return out.rename(columns={c: str(c) for c in out.columns})


def write_styled_layer(
    gdf: gpd.GeoDataFrame,
    gpkg: Path,
    layer: str,
    *,
    attribution: str = "",
    style: ExportStyle | None = None,
    multi: bool | None = None,
) -> None:
    """``gdf`` as ``layer`` of the GeoPackage ``gpkg`` (added when the file exists), with its
    ``attribution`` in the layer's metadata and ``style``'s QML in ``layer_styles``;
    ``multi`` True writes polygons and lines as their multi-part kinds."""
    credit = _ATTRIBUTED[".gpkg"][1](attribution) if attribution else {}
    pyogrio.write_dataframe(gdf, gpkg, driver="GPKG", layer=layer, append=gpkg.exists(),
                            promote_to_multi=multi, **credit)  # fmt: skip
    if style and style.qml:
        add_layer_style(gpkg, layer, style.qml, style.name)


_NOTICE = (
    "Data sources and attribution: {attribution}\n\n"
    "Their licences require this notice to travel with the data. ODbL 1.0: "
    "https://opendatacommons.org/licenses/odbl/1-0/ ; LGPL-3.0: "
    "https://www.gnu.org/licenses/lgpl-3.0.html . How each layer was made: data/SOURCES.md of "
    "sip-atlas.\n"
)


def _holdable(text: str, codec: str, mark: str) -> str:
    """``text`` with each character ``codec`` cannot hold replaced by ``mark``."""
    return "".join(c if _fits(c, codec) else mark for c in text)


def _fits(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def fit_encoding(gdf: gpd.GeoDataFrame, codec: str) -> tuple[gpd.GeoDataFrame, dict, list]:
    """``gdf`` with what ``codec`` (e.g. 'gbk') cannot hold made holdable: column names with
    ``_`` and text values with ``?`` in place of such characters (an emoji, a right-to-left
    mark, characters outside GBK such as 𠀋); the renamed columns, and each value changed as
    {'column', 'row' (0-based), 'value'}."""
    renamed = {c: _holdable(str(c), codec, "_") for c in gdf.columns if c != gdf.geometry.name}
    renamed = {c: n for c, n in renamed.items() if n != c}
    out, lost = gdf.rename(columns=renamed), []
    for column in [c for c in gdf.columns if c != gdf.geometry.name]:
        values = gdf[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        for row, value in enumerate(values):
            if isinstance(value, str) and not all(_fits(c, codec) for c in value):
                lost.append({"column": str(column), "row": row, "value": value})
                out.iat[row, out.columns.get_loc(renamed.get(column, column))] = _holdable(
                    value, codec, "?"
                )
    return out, renamed, lost


def _renamed_qml(qml: str, names: dict[str, str]) -> str:
    """``qml`` with the columns it names (categories, labels) renamed as the .dbf names them."""
    for column, field_name in names.items():
        for attribute in ("attr", "fieldName"):
            qml = qml.replace(f'{attribute}="{column}"', f'{attribute}="{field_name}"')
    return qml


def _write_shapefile_zip(
    gdf: gpd.GeoDataFrame, out: Path, stem: str, encoding: str, attribution: str, qml: str = ""
) -> dict:
    codec = _ENCODINGS[encoding]
    full = [c for c in gdf.columns if c != gdf.geometry.name]
    gdf, renamed, lost = fit_encoding(gdf, encoding)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    names = shapefile_field_names(columns, "gbk" if encoding == "gbk" else "utf-8")
    with tempfile.TemporaryDirectory(prefix="sip-atlas-shp-") as tmp:
        shp = Path(tmp) / f"{stem}.shp"
        pyogrio.write_dataframe(gdf.rename(columns=names), shp, encoding=codec)
        (Path(tmp) / f"{stem}.cpg").write_text(codec, encoding="ascii")
        if qml:  # QGIS opens a shapefile with the style of the .qml beside it
            (Path(tmp) / f"{stem}.qml").write_text(_renamed_qml(qml, names), encoding="utf-8")
        pd.DataFrame({"field": list(names.values()), "column": full}).to_csv(
            Path(tmp) / "fields.csv", index=False, encoding="utf-8-sig"
        )
        if attribution:
            notice = _NOTICE.format(attribution=attribution)
            (Path(tmp) / "NOTICE.txt").write_text(notice, encoding="utf-8")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in sorted(Path(tmp).iterdir()):
                zf.write(part, part.name)
    return {"fields": dict(zip(full, names.values(), strict=True)), "encoding": codec,
            "renamed_for_encoding": renamed, "not_in_encoding": lost}  # fmt: skip


def export_layer(
    gdf: gpd.GeoDataFrame,
    out: Path,
    *,
    encoding: str = "utf-8",
    name: str = "layer",
    attribution: str = "",
    style: ExportStyle | None = None,
) -> dict:
    """Write ``gdf`` to ``out``, its format chosen by the extension (see EXPORT_FORMATS).

    Coordinates are written in WGS84 (EPSG:4326). ``encoding`` ('utf-8' or 'gbk') applies to
    zipped shapefiles (what GBK cannot hold is written as ``?``, and said in the returned
    ``not_in_encoding`` and ``renamed_for_encoding``); ``name`` is the layer and shapefile
    name. ``attribution`` (the sources the data's licences require to be credited) travels
    with the data: a NOTICE.txt in a zipped shapefile, the layer's metadata in a GeoPackage, its
    description in GeoJSON. The file appears whole or not at all (written beside it, then
    renamed). Returns what was written.

    ``style`` (the layer's look): a GeoPackage stores its QML in ``layer_styles``; a DXF (in
    EPSG:4549 metres) puts each category on its own coloured layer and the ``label`` column's
    values as texts.
    """
    out = Path(out)
    ext = ".zip" if out.name.lower().endswith(".zip") else out.suffix.lower()
    if ext not in EXPORT_FORMATS:
        msg = f"Cannot export to {out.name}: use one of {', '.join(EXPORT_FORMATS)}."
        raise SipAtlasError(msg)
    if encoding not in _ENCODINGS:
        msg = f"Encoding {encoding!r} is not offered: use utf-8 or gbk."
        raise SipAtlasError(msg)
    plain = without_helpers(to_wgs84(gdf))
    tmp = out.with_name(f".{out.stem}.part{ext}")
    info: dict = {"path": str(out), "format": EXPORT_FORMATS[ext], "features": len(plain),
                  "crs": "EPSG:4326"}  # fmt: skip
    try:
        if ext == ".zip":
            info |= _write_shapefile_zip(plain, tmp, name, encoding, attribution,
                                         style.qml if style else "")  # fmt: skip
        elif ext == ".dxf":
            from geo.dxf_out import write_dxf

            look = style or ExportStyle(name=name)
            info |= write_dxf(plain, tmp, name=look.name, by=look.by, colours=look.colours,
                              names=look.names, colour=look.colour, label=look.label,
                              attribution=attribution)  # fmt: skip
        elif ext == ".csv":
            frame = inert_cells(pd.DataFrame(plain.drop(columns=plain.geometry.name)))
            frame["wkt"] = plain.geometry.to_wkt()
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        elif ext == ".gpkg":
            write_styled_layer(plain, tmp, name, attribution=attribution, style=style)
            if style and style.qml:
                info["styles"] = STYLES_TABLE
        else:
            driver, credit = _ATTRIBUTED[ext]
            pyogrio.write_dataframe(plain, tmp, driver=driver, layer=name,
                                    **(credit(attribution) if attribution else {}))  # fmt: skip
        os.replace(tmp, out)
    except (OSError, pyogrio.errors.DataSourceError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        msg = f"Could not write {out.name} ({exc}). Check the folder exists and is writable."
        raise SipAtlasError(msg) from exc
    return info
