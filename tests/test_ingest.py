"""Reading planners' files: every format, encoding case and CRS case."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from geo.errors import IngestError
from geo.gcj02 import wgs84_to_gcj02
from geo.uploads.ingest import IngestOptions, inspect_upload
from tests.helpers import PARCEL_NAMES, parcels, write_shapefile, zip_files

MEASURED_HA = [1.0, 2.0, 3.0]


def _inspect(files, tmp_path, **options):
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return inspect_upload(list(files), work, IngestOptions(**options))


def _assert_parcels(result, *, names=True):
    gdf = result.gdf
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == 3
    assert sorted(gdf["area_ha"]) == pytest.approx(MEASURED_HA, rel=2e-3)
    minx, miny, maxx, maxy = result.report.bbox_wgs84
    assert 120.70 < minx < maxx < 120.75 and 31.30 < miny < maxy < 31.33
    if names:
        assert list(gdf["名称"]) == PARCEL_NAMES
        assert result.report.preview[0]["名称"] == PARCEL_NAMES[0]


# --- encodings -------------------------------------------------------------------------------


def test_gbk_shapefile_without_cpg_is_decided_from_the_bytes(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    result = _inspect(parts, tmp_path)
    _assert_parcels(result)
    assert result.report.encoding.name == "GB18030"
    assert result.report.encoding.how == "bytes"
    assert result.report.encoding_preview["GB18030"][0] in {"DKBH", "名称", "用地性质"} or any(
        "地块" in v or "用地" in v for v in result.report.encoding_preview["GB18030"]
    )
    assert result.report.warnings == []


def test_utf8_shapefile_without_cpg_is_decided_from_the_bytes(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="UTF-8", cpg=False)
    result = _inspect(parts, tmp_path)
    _assert_parcels(result)
    assert (result.report.encoding.name, result.report.encoding.how) == (
        "UTF-8",
        "bytes",
    )


@pytest.mark.parametrize("encoding", ["GBK", "UTF-8"])
def test_cpg_is_honoured(tmp_path, encoding):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding=encoding, cpg=True)
    result = _inspect(parts, tmp_path)
    _assert_parcels(result)
    assert result.report.encoding.how == "cpg"


def test_language_driver_byte_is_honoured(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False, ldid=0x4D)
    result = _inspect(parts, tmp_path)
    _assert_parcels(result)
    assert result.report.encoding.how == "ldid"
    assert "0x4D" in result.report.encoding.detail


def test_ansi_language_byte_lets_the_bytes_decide(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False, ldid=0x57)
    result = _inspect(parts, tmp_path)
    _assert_parcels(result)
    assert result.report.encoding.how == "bytes"


def test_a_wrong_cpg_is_warned_about_and_can_be_overridden(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    (tmp_path / "src" / "地块.cpg").write_text("UTF-8")
    result = _inspect(parts, tmp_path)  # the text is GBK: read so, and said (issue 24)
    assert any(".cpg says UTF-8 but the text reads as GB18030" in w
               for w in result.report.warnings)  # fmt: skip
    _assert_parcels(result)
    fixed = _inspect(parts, tmp_path, encoding="GBK")
    _assert_parcels(fixed)
    assert fixed.report.encoding.how == "user"


def test_gbk_zip_member_names_show_as_chinese(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "up.zip", {f"成果/{p.name}": p for p in parts}, gbk_names=True)
    result = _inspect([archive], tmp_path)
    _assert_parcels(result)
    assert result.report.source == "成果/地块.shp"


# --- formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".zip", ".shp.zip"])
def test_zipped_shapefile_in_a_sub_folder(tmp_path, suffix):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=True)
    archive = zip_files(tmp_path / f"parcels{suffix}", {f"a/b/{p.name}": p for p in parts})
    _assert_parcels(_inspect([archive], tmp_path))


def test_zip_with_several_layers_lets_the_planner_pick(tmp_path):
    one = write_shapefile(tmp_path / "s1", parcels(), stem="一期", encoding="GBK")
    two = write_shapefile(tmp_path / "s2", parcels().iloc[:2], stem="二期", encoding="GBK")
    archive = zip_files(tmp_path / "both.zip", {p.name: p for p in one + two})
    with pytest.raises(IngestError, match="2 layers") as err:
        _inspect([archive], tmp_path)
    assert "一期.shp" in err.value.zh
    picked = _inspect([archive], tmp_path, layer="二期.shp")
    assert len(picked.gdf) == 2 and picked.report.sources == ["一期.shp", "二期.shp"]


def test_loose_shapefile_parts_uploaded_together(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="UTF-8", cpg=True)
    _assert_parcels(_inspect(parts, tmp_path))


def test_geojson(tmp_path):
    path = tmp_path / "parcels.geojson"
    parcels("EPSG:4326").to_file(path, driver="GeoJSON")
    result = _inspect([path], tmp_path)
    _assert_parcels(result)
    assert result.report.crs.how == "file"


def test_geopackage_with_two_layers(tmp_path):
    path = tmp_path / "parcels.gpkg"
    pyogrio.write_dataframe(parcels(), path, layer="现状", driver="GPKG")
    pyogrio.write_dataframe(parcels().iloc[:1], path, layer="规划", driver="GPKG", append=True)
    with pytest.raises(IngestError, match="Pick one"):
        _inspect([path], tmp_path)
    result = _inspect([path], tmp_path, layer="现状")
    _assert_parcels(result)
    assert result.report.crs.name == "EPSG:4549"


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_kml_and_kmz(tmp_path, suffix):
    kml = tmp_path / "parcels.kml"
    pyogrio.write_dataframe(parcels("EPSG:4326"), kml, driver="KML")
    path = kml
    if suffix == ".kmz":
        path = tmp_path / "parcels.kmz"
        with zipfile.ZipFile(path, "w") as zf:
            zf.write(kml, "doc.kml")
        kml.unlink()
    result = _inspect([path], tmp_path)
    _assert_parcels(result, names=False)
    assert "名称" in result.report.columns or "Name" in result.report.columns


def test_csv_with_wkt(tmp_path):
    frame = parcels("EPSG:4326")
    frame = frame.assign(wkt=frame.geometry.to_wkt()).drop(columns="geometry")
    path = tmp_path / "parcels.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    result = _inspect([path], tmp_path)
    _assert_parcels(result)
    assert result.report.encoding.name == "GB18030"
    assert result.report.crs.how == "guessed"


def test_csv_with_lon_lat_columns(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(
        "名称,经度,纬度\n苏州中心,120.6765,31.3215\n月光码头,120.6803,31.3105\n", "utf-8"
    )
    result = _inspect([path], tmp_path)
    assert list(result.gdf["名称"]) == ["苏州中心", "月光码头"]
    assert result.report.geometry_type == "Point"


# --- CRS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("crs", "prj", "expected"),
    [
        ("EPSG:4326", False, ("guessed", "EPSG:4326")),
        ("EPSG:4490", False, ("guessed", "EPSG:4326")),  # CGCS2000 = WGS84 at map scale
        ("EPSG:4490", True, ("file", "EPSG:4490")),
        ("EPSG:4549", False, ("guessed", "EPSG:4549")),
        ("EPSG:4528", False, ("guessed", "EPSG:4528")),
        ("EPSG:4549", True, ("file", "EPSG:4549")),
        ("EPSG:4528", True, ("file", "EPSG:4528")),
    ],
)
def test_crs_cases(tmp_path, crs, prj, expected):
    parts = write_shapefile(tmp_path / "src", parcels(crs), encoding="UTF-8", prj=prj)
    result = _inspect(parts, tmp_path)
    _assert_parcels(result)
    assert (result.report.crs.how, result.report.crs.name) == expected


def test_gcj02_coordinates_are_converted_to_wgs84(tmp_path):
    truth = parcels("EPSG:4326")
    shifted = truth.copy()
    shifted.geometry = truth.geometry.map(
        lambda g: box(
            *wgs84_to_gcj02(g.bounds[0], g.bounds[1]), *wgs84_to_gcj02(g.bounds[2], g.bounds[3])
        )
    )
    parts = write_shapefile(tmp_path / "src", shifted, encoding="UTF-8", prj=False)
    result = _inspect(parts, tmp_path, crs="gcj02")
    assert result.report.crs.detail.startswith("GCJ-02")
    got = result.gdf.to_crs("EPSG:4549").centroid.reset_index(drop=True)
    want = truth.to_crs("EPSG:4549").centroid.reset_index(drop=True)
    assert got.distance(want).max() < 1.0  # metres
    with pytest.raises(IngestError, match="lon/lat"):
        _inspect(write_shapefile(tmp_path / "gk", parcels(), prj=False), tmp_path, crs="gcj02")


def test_unknown_coordinates_ask_for_a_crs(tmp_path):
    gk = parcels()
    far = gpd.GeoDataFrame(gk.drop(columns="geometry"), geometry=gk.geometry.translate(5e6).values)
    parts = write_shapefile(tmp_path / "src", far, prj=False)
    with pytest.raises(IngestError, match="--crs"):
        _inspect(parts, tmp_path)
    forced = _inspect(parts, tmp_path, crs="EPSG:3857")
    assert any("outside Suzhou" in w for w in forced.report.warnings)


def test_swapped_axes_are_pointed_out(tmp_path):
    truth = parcels("EPSG:4326")
    swapped = truth.set_geometry(
        truth.geometry.map(lambda g: box(g.bounds[1], g.bounds[0], g.bounds[3], g.bounds[2]))
    )
    parts = write_shapefile(tmp_path / "src", swapped, prj=False)
    with pytest.raises(IngestError, match="swapped") as err:
        _inspect(parts, tmp_path)
    assert "颠倒" in err.value.zh


# --- geometry and attributes -----------------------------------------------------------------


def test_invalid_empty_and_3d_geometries_are_reported_per_feature(tmp_path):
    gdf = parcels("EPSG:4326")
    x0, y0, x1, y1 = gdf.geometry[0].bounds
    from shapely.geometry import Point, Polygon

    bowtie = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    gdf.loc[0, "geometry"] = bowtie
    gdf.loc[1, "geometry"] = Polygon()
    gdf.loc[2, "geometry"] = Polygon([(x, y, 5.0) for x, y in gdf.geometry[2].exterior.coords])
    extra = gdf.iloc[[2]].assign(DKBH="A-04", geometry=[Point(x0, y0)])
    path = tmp_path / "mixed.gpkg"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(__import__("pandas").concat([gdf, extra]), crs=gdf.crs),
        path,
        driver="GPKG",
    )
    result = _inspect([path], tmp_path)
    report = result.report
    assert (report.features_read, report.features_kept) == (4, 2)
    assert (report.repaired, report.dropped) == (1, 2)
    changes = {c.feature: c.change for c in report.changes}
    assert (
        changes[0].startswith("repaired")
        and "empty" in changes[1]
        and "not a polygon" in changes[3]
    )
    assert result.gdf.geometry.is_valid.all() and not result.gdf.geometry.has_z.any()
    assert any("Z/M" in w for w in report.warnings)


def test_column_mapping_is_guessed_and_can_be_overridden(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK")
    result = _inspect(parts, tmp_path)
    mapping = result.report.mapping
    assert mapping["parcel_id"] == "DKBH" and mapping["land_use"] == "用地性质"
    assert mapping["area"] == "面积" and mapping["status"] == "状态"
    assert result.report.declared_area_unit == "m2"
    assert list(result.gdf["id"]) == ["A-01", "A-02", "A-03"]
    assert list(result.gdf["area_mu"].round(1)) == [15.0, 30.0, 45.0]
    overridden = _inspect(parts, tmp_path, mapping={"parcel_id": "名称", "status": None})
    assert list(overridden.gdf["id"]) == PARCEL_NAMES
    assert set(overridden.gdf["status"]) == {""}


def test_report_is_json(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    json.dumps(_inspect(parts, tmp_path).report.to_json(), ensure_ascii=False)


def test_geopackage_is_not_sqlite_garbage(tmp_path):
    path = tmp_path / "broken.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("create table t (a int)")
    with pytest.raises(IngestError):
        _inspect([path], tmp_path)
