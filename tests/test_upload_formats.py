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
