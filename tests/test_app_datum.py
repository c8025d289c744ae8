"""Datum help for planners (issue 22): data traced on Gaode or Tencent maps (GCJ-02) is placed
about 460 m off unless converted; the names of the file and its folders hint at it, the choice
is offered in words planners know, and the report names the datum in both languages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.gcj02 import shift_gdf, wgs84_to_gcj02
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.place import datum_hint
from tests.helpers import parcels

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def traced_on_gaode(tmp_path) -> Path:
    """Three parcels east of Jinji Lake with GCJ-02 coordinates, zipped in a folder 高德描绘."""
    gdf = shift_gdf(parcels("EPSG:4326"), wgs84_to_gcj02)
    source = tmp_path / "districts_gcj02.geojson"
    gdf.to_file(source, driver="GeoJSON")
    archive = tmp_path / "片区.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(source, "高德描绘/districts.geojson")
    return archive


@pytest.mark.parametrize(
    ("names", "datum"),
    [(["districts_gcj02.geojson"], "gcj02"), (["高德描绘/a.shp"], "gcj02"),
     (["AMap export.kml"], "gcj02"), (["百度/poi.csv"], "bd09"), (["x_bd09.geojson"], "bd09"),
     (["腾讯地图取点.xlsx"], "gcj02"), (["地块.shp", 'GEOGCS["GCS_WGS_1984"]'], "")],
)  # fmt: skip
def test_names_that_hint_at_a_web_map_datum(names, datum):
    assert datum_hint(names) == datum


def test_a_gcj02_named_upload_is_said_to_be_off_and_converts_on_request(traced_on_gaode, tmp_path):
    read = inspect_upload([traced_on_gaode], tmp_path / "w1", IngestOptions())
    assert read.report.crs.hint == "gcj02" and read.report.crs.datum == ""
    assert any("460 m" in w for w in read.report.warnings)
    assert any("高德或腾讯地图" in w for w in read.report.warnings_zh)
    converted = inspect_upload([traced_on_gaode], tmp_path / "w2", IngestOptions(crs="gcj02"))
    assert converted.report.crs.datum == "gcj02"
    assert not any("460 m" in w for w in converted.report.warnings)  # nothing left to say
    truth = parcels("EPSG:4549").geometry.centroid.reset_index(drop=True)
    moved = read.gdf.to_crs(4549).geometry.centroid.reset_index(drop=True).distance(truth)
    back = converted.gdf.to_crs(4549).geometry.centroid.reset_index(drop=True).distance(truth)
    assert moved.min() > 300 and back.max() < 1.0  # metres: about 460 m off, then on the spot


def test_the_report_names_the_datum_in_both_languages(traced_on_gaode):
    at = AppTest.from_file(APP, default_timeout=90).run()
    uploader = next(u for u in at.file_uploader if u.key and u.key.startswith("upload_files"))
    uploader.set_value(("片区.zip", traced_on_gaode.read_bytes(), "application/zip")).run()
    assert not at.exception
    assert any("高德或腾讯地图" in w.value for w in at.warning)
    crs = next(s for s in at.selectbox if s.key and s.key.startswith("crs_"))
    assert crs.label == "数据从哪里来（坐标系）"
    assert crs.format_func("gcj02") == "在高德或腾讯地图上描绘或取点（GCJ-02）"
    crs.set_value("gcj02").run()
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # markdown escapes
    assert "在高德或腾讯地图上描绘或取点（GCJ-02），已转换为 WGS84（用户指定）" in captions
    assert "EPSG:4326（用户指定）" not in captions
    at.radio(key="lang").set_value("English").run()
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # markdown escapes
    assert "Traced on Gaode / Tencent map (GCJ-02), converted to WGS84 (chosen)" in captions
