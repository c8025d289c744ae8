"""Layer data out: every format reads back with the same features, attributes and CRS."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import wkt

from geo.errors import SipAtlasError
from geo.export import export_layer, shapefile_field_names

TEXT = ["id", "name_zh", "current_use_zh", "status", "planned_use_zh"]


def _read_back(path: Path) -> gpd.GeoDataFrame:
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
        return gpd.GeoDataFrame(frame, geometry=frame.pop("wkt").map(wkt.loads), crs="EPSG:4326")
    return gpd.read_file(path)


@pytest.mark.parametrize(
    ("suffix", "encoding"),
    [
        (".gpkg", "utf-8"),
        (".geojson", "utf-8"),
        (".zip", "utf-8"),
        (".zip", "gbk"),
        (".csv", "utf-8"),
    ],
)
def test_round_trip(tmp_path, layers_by_id, suffix, encoding):
    parcels = layers_by_id["land_reuse_parcels"]
    out = tmp_path / f"parcels{suffix}"
    info = export_layer(parcels, out, encoding=encoding, name="低效用地")
    back = _read_back(out)
    names = info.get("fields", {c: c for c in parcels.columns})
    assert len(back) == len(parcels) and info["features"] == len(parcels)
    assert back.crs.to_epsg() == 4326
    for column in TEXT:
        assert back[names[column]].astype(str).tolist() == parcels[column].tolist(), column
    assert back[names["area_m2"]].astype(float).tolist() == pytest.approx(
        parcels["area_m2"].tolist()
    )
    same = back.geometry.normalize().geom_equals_exact(parcels.geometry.normalize(), tolerance=1e-7)
    assert same.all()  # vertex for vertex (shapefiles may turn the rings round)
    if suffix == ".zip":
        with zipfile.ZipFile(out) as zf:
            cpg = next(n for n in zf.namelist() if n.endswith(".cpg"))
            assert zf.read(cpg).decode() == {"utf-8": "UTF-8", "gbk": "GBK"}[encoding]
            assert {n.rsplit(".", 1)[1] for n in zf.namelist()} >= {
                "shp",
                "shx",
                "dbf",
                "prj",
                "cpg",
            }
            fields = pd.read_csv(zf.open("fields.csv"), encoding="utf-8-sig")
            assert (
                dict(zip(fields["column"], fields["field"], strict=True))["current_use_zh"]
                == names["current_use_zh"]
            )


def test_gbk_dbf_is_really_gbk(tmp_path, layers_by_id):
    out = tmp_path / "p.zip"
    export_layer(layers_by_id["land_reuse_parcels"], out, encoding="gbk")
    with zipfile.ZipFile(out) as zf:
        dbf = zf.read(next(n for n in zf.namelist() if n.endswith(".dbf")))
    assert "苏虹路片区".encode("gbk") in dbf or "唯亭片区".encode("gbk") in dbf


def test_field_names_fit_ten_bytes_at_character_boundaries():
    names = shapefile_field_names(["用地性质代码", "用地性质名称", "id"], "utf-8")
    assert all(len(n.encode("utf-8")) <= 10 for n in names.values())
    assert len(set(names.values())) == 3
    gbk = shapefile_field_names(["用地性质代码"], "gbk")
    assert gbk["用地性质代码"] == "用地性质代"  # 5 characters of 2 bytes


def test_export_refuses_what_it_cannot_write(tmp_path, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    with pytest.raises(SipAtlasError, match="Cannot export"):
        export_layer(parcels, tmp_path / "p.xlsx")
    with pytest.raises(SipAtlasError, match="utf-8 or gbk"):
        export_layer(parcels, tmp_path / "p.zip", encoding="big5")
    with pytest.raises(SipAtlasError, match="writable"):
        export_layer(parcels, tmp_path / "missing" / "p.gpkg")
    assert not list(tmp_path.rglob("*.part*"))


def test_cli_export_of_an_uploaded_layer(tmp_path):
    from tests.helpers import parcels, write_shapefile, zip_files

    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "a.zip", {p.name: p for p in parts})
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    report = json.loads(subprocess.run([exe, "ingest", str(archive), "--json"], capture_output=True,
                                       text=True, check=True).stdout)  # fmt: skip
    out = tmp_path / "back.gpkg"
    command = [exe, "export", "--layer", report["layer_id"], "--out", str(out), "--json"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    back = gpd.read_file(out)
    assert list(back["名称"]) == ["星湖街东地块", "金鸡湖大道北地块", "唯亭工业坊"]


def test_download_names_follow_the_title_and_the_day():
    from datetime import date

    from layers.i18n import download_name

    day = date(2026, 11, 26)
    name = download_name("苏州工业园区规划图集", ".png", day)
    assert name == "苏州工业园区规划图集-2026-11-26.png"
    assert download_name("a/b: c?", ".csv", day) == "a_b_c-2026-11-26.csv"
    assert download_name("  ", ".pdf", day) == "sip-atlas-2026-11-26.pdf"
    assert len(download_name("长" * 300, ".gpkg", day)) < 100


def test_a_gbk_export_says_what_gbk_cannot_hold_and_writes_the_rest(tmp_path):
    """Issue 24: values with an emoji, a right-to-left mark or characters outside GBK (𠀋𡈽)
    vanished from a GBK export that said "wrote 4 features"; a field name with an emoji
    crashed it."""
    import zipfile

    from shapely.geometry import box

    from geo.uploads.ingest import IngestOptions, inspect_upload

    gdf = gpd.GeoDataFrame(
        {
            "名称": ["星湖街🌳", "\u200f金鸡湖", "𠀋𡈽地块", "普通地块"],
            "备注🌟": ["甲", "乙", "丙", "丁"],
        },
        geometry=[box(120.70 + i / 100, 31.30, 120.705 + i / 100, 31.305) for i in range(4)],
        crs=4326,
    )
    out = tmp_path / "gbk.zip"
    info = export_layer(gdf, out, encoding="gbk")
    lost = {(item["column"], item["row"]) for item in info["not_in_encoding"]}
    assert lost == {("名称", 0), ("名称", 1), ("名称", 2)}
    assert info["renamed_for_encoding"] == {"备注🌟": "备注_"}
    result = inspect_upload([out], tmp_path / "w", IngestOptions())
    names = list(result.gdf["名称"])
    assert names[3] == "普通地块" and names[0].startswith("星湖街") and "?" in names[0]
    with zipfile.ZipFile(out) as zf:  # the full names travel in fields.csv
        assert "备注🌟" in zf.read("fields.csv").decode("utf-8-sig")
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    gdf.to_file(tmp_path / "名录.geojson")
    ingest = subprocess.run([exe, "ingest", str(tmp_path / "名录.geojson"), "--json"],
                            capture_output=True, text=True)  # fmt: skip
    layer = json.loads(ingest.stdout)["layer_id"]
    cli = subprocess.run([exe, "export", "--layer", layer, "--encoding", "gbk", "--out",
                          str(tmp_path / "cli.zip")], capture_output=True, text=True)  # fmt: skip
    assert cli.returncode == 0 and "GBK cannot hold 3 values" in cli.stderr
    assert "--encoding utf-8" in cli.stderr and "星湖街🌳" in cli.stderr
