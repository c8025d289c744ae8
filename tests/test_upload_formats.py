"""The formats planners have (issue 24): Excel sheets of facilities (lon/lat or x/y columns, as
for CSV), GeoParquet, FlatGeobuf, and a zip inside a zip (as e-mail and chat tools deliver),
read with the same checks as the other formats."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import pandas as pd
import pytest

from geo.uploads.ingest import IngestOptions, inspect_upload
from tests.helpers import parcels, write_shapefile, zip_files


def _read(path, tmp_path, **options):
    return inspect_upload([path], tmp_path / "work", IngestOptions(**options))


def test_an_excel_sheet_of_facilities_with_lon_lat_columns(tmp_path):
    path = tmp_path / "设施清单.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame(
            {
                "名称": ["社区中心", "卫生站", "幼儿园"],
                "经度": [120.70, 120.71, 120.72],
                "纬度": [31.30, 31.31, 31.32],
            }
        ).to_excel(book, sheet_name="设施", index=False)
        pd.DataFrame({"说明": ["坐标为 WGS84"]}).to_excel(book, sheet_name="说明", index=False)
    result = _read(path, tmp_path)
    assert result.report.geometry_type == "Point" and result.report.features_kept == 3
    assert list(result.gdf["名称"]) == ["社区中心", "卫生站", "幼儿园"]
    assert result.gdf.geometry.iloc[1].x == pytest.approx(120.71)
    assert result.source.layer == "设施"  # the first sheet with coordinates


def test_an_excel_sheet_with_x_y_metres_is_placed_by_its_numbers(tmp_path):
    metres = gpd.GeoSeries(gpd.points_from_xy([120.70, 120.71], [31.30, 31.31]), crs=4326)
    xy = metres.to_crs(4549)
    path = tmp_path / "点位.xlsx"
    pd.DataFrame({"编号": ["A", "B"], "X": xy.x, "Y": xy.y}).to_excel(path, index=False)
    result = _read(path, tmp_path)
    assert result.report.crs.name == "EPSG:4549"
    assert result.gdf.geometry.iloc[0].distance(metres.iloc[0]) < 1e-5  # degrees, about 1 m


@pytest.mark.parametrize("suffix", [".parquet", ".fgb"])
def test_geoparquet_and_flatgeobuf(tmp_path, suffix):
    gdf = parcels("EPSG:4549")
    path = tmp_path / f"地块{suffix}"
    gdf.to_parquet(path) if suffix == ".parquet" else gdf.to_file(path, driver="FlatGeobuf")
    result = _read(path, tmp_path)
    assert result.report.features_kept == len(gdf) and result.report.crs.name == "EPSG:4549"
    assert set(result.gdf["名称"]) == set(gdf["名称"])


def test_a_zip_inside_a_zip(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    inner = zip_files(tmp_path / "地块.zip", {p.name: p for p in parts}, gbk_names=True)
    outer = tmp_path / "转发.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "资料/地块.zip")
    result = _read(outer, tmp_path)
    assert result.report.features_kept == len(parcels())
    assert "地块" in result.report.source


def test_refusals_name_the_part_at_fault_and_no_server_path(tmp_path):
    """Issue 24: clashing names in a zip were "damaged or truncated" with the server's
    temporary folder in the message; a raster-only GeoPackage was "incomplete"."""
    import sqlite3

    from shapely.geometry import box

    from geo.errors import IngestError

    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[box(120.70, 31.30, 120.71, 31.31)], crs=4326)
    gdf.to_file(tmp_path / "a.shp")
    clash = tmp_path / "重名.zip"
    with zipfile.ZipFile(clash, "w") as zf:
        for ext in ("shp", "shx", "dbf"):
            zf.write(tmp_path / f"a.{ext}", f"a.{ext}")
        zf.writestr("a.shp/说明.txt", "a folder named like the file")
    with pytest.raises(IngestError) as refused:
        _read(clash, tmp_path)
    said = refused.value.en + refused.value.zh
    assert "a.shp" in said and "same name" in refused.value.en and str(tmp_path) not in said
    raster = tmp_path / "影像.gpkg"
    gdf.to_file(raster, layer="img")
    with sqlite3.connect(raster) as db:  # its only table now holds tiles, as an image's does
        db.execute("UPDATE gpkg_contents SET data_type = 'tiles'")
        db.execute("DELETE FROM gpkg_geometry_columns")
    with pytest.raises(IngestError) as refused:
        inspect_upload([raster], tmp_path / "w2", IngestOptions())
    assert "no vector" in refused.value.en and "栅格" in refused.value.zh
    assert str(tmp_path) not in refused.value.en + refused.value.zh


def test_an_empty_or_nan_wkt_cell_drops_its_row_only(tmp_path):
    path = tmp_path / "清单.csv"
    path.write_text('名称,wkt\n甲,"POLYGON((120.7 31.3,120.71 31.3,120.71 31.31,120.7 31.3))"\n'
                    "乙,nan\n丙,\n", encoding="utf-8")  # fmt: skip
    result = _read(path, tmp_path)
    assert result.report.features_kept == 1 and result.report.dropped == 2
    assert {c.feature for c in result.report.changes} == {1, 2}


def test_gdals_chatter_stays_in_the_log(tmp_path):
    """Issue 24: GDAL's warnings echoed kilobytes of the input to stderr."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    square = {
        "type": "Polygon",
        "coordinates": [[[120.7, 31.3], [120.71, 31.3], [120.71, 31.31], [120.7, 31.3]]],
    }
    features = [
        {
            "type": "Feature",
            "properties": {"v": 1},
            "geometry": {"type": "Polygon", "coordinates": "x" * 3000},
        },
        {"type": "Feature", "properties": {"v": "y" * 3000}, "geometry": square},
    ]
    path = tmp_path / "坏.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(tmp_path / "ws"), "SIP_ATLAS_DATABASE_URL": ""}
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    done = subprocess.run([exe, "ingest", str(path)], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "1 of 2 features" in done.stdout
    assert "xxxx" not in done.stderr and len(done.stderr) < 300, done.stderr
