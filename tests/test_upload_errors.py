"""Bad uploads: each gets a clear message in both languages, and nothing is saved."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from geo.errors import IngestError
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.report import Change
from layers.folium_map import display_frame
from layers.uploads import upload_spec
from tests.helpers import parcels, write_shapefile, zip_files


def _fails(files, tmp_path, match: str, **options) -> IngestError:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    with pytest.raises(IngestError, match=match) as err:
        inspect_upload(list(files), work, IngestOptions(**options))
    assert err.value.zh and err.value.zh != err.value.en
    assert not any(
        outside.exists() for outside in (tmp_path / "evil.txt", tmp_path.parent / "evil.txt")
    )
    return err.value


def test_not_a_geodata_file(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK-not-really\x00" * 10)
    _fails([path], tmp_path, "not a geodata file")


def test_empty_file(tmp_path):
    path = tmp_path / "parcels.geojson"
    path.write_bytes(b"")
    _fails([path], tmp_path, "empty")


def test_corrupt_and_truncated_zips(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels())
    good = zip_files(tmp_path / "good.zip", {p.name: p for p in parts}).read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good[: len(good) // 2])
    _fails([truncated], tmp_path, "damaged|truncated|not a readable zip")
    corrupt = tmp_path / "corrupt.zip"
    data = bytearray(good)
    data[60:400] = b"\x00" * 340
    corrupt.write_bytes(bytes(data))
    _fails([corrupt], tmp_path, "damaged|truncated|cannot be read|complete")


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/tmp/evil.txt", "a/../../evil.txt", "C:\\evil.txt"]
)
def test_zip_members_pointing_outside_are_refused(tmp_path, name):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok.geojson", '{"type":"FeatureCollection","features":[]}')
        zf.writestr(name, "pwned")
    _fails([archive], tmp_path, "outside")


def test_zip_bomb_is_refused_before_extracting(tmp_path, monkeypatch):
    monkeypatch.setenv("SIP_ATLAS_MAX_UNZIPPED_MB", "1")
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.geojson", b" " * (5 * 1024 * 1024))
    _fails([archive], tmp_path, "unpack to")
    assert not list((tmp_path / "work").rglob("big.geojson"))


def test_zip_bomb_by_ratio(tmp_path):
    archive = tmp_path / "ratio.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.csv", b"0" * (40 * 1024 * 1024))
    _fails([archive], tmp_path, "compressed .* times")


def test_file_over_the_size_cap(tmp_path, monkeypatch):
    monkeypatch.setenv("SIP_ATLAS_MAX_UPLOAD_MB", "0.001")
    path = tmp_path / "parcels.geojson"
    parcels("EPSG:4326").to_file(path, driver="GeoJSON")
    _fails([path], tmp_path, "over the")


@pytest.mark.parametrize("missing", [".shx", ".dbf"])
def test_shp_without_its_parts(tmp_path, missing):
    parts = [p for p in write_shapefile(tmp_path / "src", parcels()) if p.suffix != missing]
    (tmp_path / "src" / f"地块{missing}").unlink()
    err = _fails(parts, tmp_path, missing)
    assert missing in err.zh


def test_only_sidecars(tmp_path):
    parts = [p for p in write_shapefile(tmp_path / "src", parcels()) if p.suffix != ".shp"]
    _fails(parts, tmp_path, "no .shp")


def test_zero_features(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type":"FeatureCollection","features":[]}')
    _fails([path], tmp_path, "no features")


def test_no_geometry(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("名称,面积\n地块,100\n", encoding="utf-8")
    _fails([path], tmp_path, "no geometry")


def test_nonsense_coordinates(tmp_path):
    path = tmp_path / "nan.csv"
    path.write_text("name,lon,lat\na,nan,31.3\nb,120.7,inf\n", encoding="utf-8")
    _fails([path], tmp_path, "usable geometry")
    far = tmp_path / "far.csv"
    far.write_text("name,lon,lat\na,500,31.3\nb,120.7,95\n", encoding="utf-8")
    _fails([far], tmp_path, "coordinate system|lon/lat", crs="EPSG:4326")


def test_some_bad_coordinates_are_dropped_and_reported(tmp_path):
    path = tmp_path / "some.csv"
    path.write_text("name,lon,lat\na,120.70,31.30\nb,nan,31.3\nc,120.71,31.31\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = inspect_upload([path], work, IngestOptions())
    assert result.report.features_kept == 2 and result.report.dropped == 1
    assert result.report.changes == [Change(1, "dropped: coordinates that are NaN or infinite")]


def test_unknown_encoding_and_crs_names(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels())
    _fails(parts, tmp_path, "Unknown text encoding", encoding="klingon")
    _fails(parts, tmp_path, "Unknown CRS", crs="EPSG:999999")


def test_html_in_attributes_stays_text(tmp_path):
    gdf = parcels()
    gdf.loc[0, "名称"] = '<script>alert("x")</script>'
    parts = write_shapefile(tmp_path / "src", gdf)
    work = tmp_path / "work"
    work.mkdir()
    result = inspect_upload(parts, work, IngestOptions())
    assert (
        result.gdf.loc[0, "名称"] == '<script>alert("x")</script>'
    )  # kept verbatim, escaped on display
    spec = upload_spec(
        {"id": "t", "name": "t", "mapping": result.report.mapping}, 0, list(result.gdf.columns)
    )
    shown = display_frame(spec, result.gdf, "zh")
    assert shown.loc[0, "名称"].startswith("&lt;script&gt;")


def test_error_is_readable_in_the_cli_without_traceback(tmp_path):
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    exe = Path(sys.executable).with_name("sip-atlas")
    env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(tmp_path / "ws")}
    done = subprocess.run(
        [exe, "ingest", str(empty), "--json"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2 and "empty" in done.stderr and "空文件" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "ws" / "manifest.json").exists()
