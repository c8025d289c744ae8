"""The second red team's kinds of input (issue 24) as one table: each is refused with a message
that says what to do, read right, or read with a warning that names what changed. The files are
written by the tests; the dedicated tests beside this one check each case more closely."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

from geo.crs import reproject
from geo.errors import IngestError
from geo.uploads.ingest import IngestOptions, inspect_upload

SQUARES = [box(120.70 + i / 100, 31.30, 120.705 + i / 100, 31.305) for i in range(5)]


def _shp(folder: Path, gdf: gpd.GeoDataFrame, encoding: str = "UTF-8") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(gdf, folder / "p.shp", encoding=encoding)
    return sorted(folder.glob("p.*"))


def beijing54(d: Path) -> list[Path]:
    gdf = gpd.GeoDataFrame({"名称": ["甲"]}, geometry=SQUARES[:1], crs=4326)
    return _shp(d, reproject(gdf, "EPSG:2437"))


def dbf_longer_than_shp(d: Path) -> list[Path]:
    gdf = gpd.GeoDataFrame({"名称": list("甲乙丙丁戊")}, geometry=SQUARES, crs=4326)
    pyogrio.write_dataframe(gdf.iloc[:3], d / "g.shp")
    parts = _shp(d / "p", gdf)
    for suffix in (".shp", ".shx"):
        (d / "p" / f"p{suffix}").write_bytes((d / f"g{suffix}").read_bytes())
    return parts


def kmz_with_overlay(d: Path) -> list[Path]:
    parcel = ("<Placemark><name>地块</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
              "120.70,31.30 120.71,31.30 120.71,31.31 120.70,31.30</coordinates></LinearRing>"
              "</outerBoundaryIs></Polygon></Placemark>")  # fmt: skip
    overlay = ("<GroundOverlay><name>规划图</name><Icon><href>p.png</href></Icon><LatLonBox>"
               "<north>31.4</north><south>31.25</south><east>120.8</east><west>120.6</west>"
               "</LatLonBox></GroundOverlay>")  # fmt: skip
    path = d / "规划.kmz"
    with zipfile.ZipFile(path, "w") as kmz:
        kmz.writestr("doc.kml", '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
                     f"{overlay}{parcel}</Document></kml>")  # fmt: skip
    return [path]


def points_beside_a_polygon(d: Path) -> list[Path]:
    features = [{"type": "Feature", "properties": {"n": i},
                 "geometry": json.loads(gpd.GeoSeries([g]).to_json())["features"][0]["geometry"]}
                for i, g in enumerate([SQUARES[0], *(Point(120.7 + i / 1000, 31.32)
                                                     for i in range(10))])]  # fmt: skip
    path = d / "混合.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return [path]


def excel_facilities(d: Path) -> list[Path]:
    path = d / "设施.xlsx"
    pd.DataFrame({"名称": ["卫生站"], "经度": [120.71], "纬度": [31.31]}).to_excel(
        path, index=False
    )
    return [path]


def zip_in_zip(d: Path) -> list[Path]:
    parts = _shp(d / "src", gpd.GeoDataFrame({"名称": ["甲"]}, geometry=SQUARES[:1], crs=4326))
    inner, outer = d / "地块.zip", d / "转发.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        for part in parts:
            zf.write(part, part.name)
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "资料/地块.zip")
    return [outer]


def utf8_under_a_gbk_cpg(d: Path) -> list[Path]:
    parts = _shp(d, gpd.GeoDataFrame({"名称": ["星湖街东地块"]}, geometry=SQUARES[:1], crs=4326))
    (d / "p.cpg").write_text("GBK", encoding="ascii")
    return parts


def overlay_alone(d: Path) -> list[Path]:
    path = d / "图.kml"
    path.write_text('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><GroundOverlay>'
                    "<name>图</name><Icon><href>p.png</href></Icon><LatLonBox><north>31.4</north>"
                    "<south>31.25</south><east>120.8</east><west>120.6</west></LatLonBox>"
                    "</GroundOverlay></Document></kml>", "utf-8")  # fmt: skip
    return [path]


def file_and_folder_of_one_name(d: Path) -> list[Path]:
    parts = _shp(d / "src", gpd.GeoDataFrame({"n": [1]}, geometry=SQUARES[:1], crs=4326))
    path = d / "重名.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for part in parts:
            zf.write(part, part.name)
        zf.writestr("p.shp/说明.txt", "x")
    return [path]


# (builder, class, what the planner is told or what is read)
TABLE = [
    (beijing54, "warned", "Beijing 1954"),
    (dbf_longer_than_shp, "warned", "5 records"),
    (kmz_with_overlay, "warned", "overlay"),
    (points_beside_a_polygon, "warned", "10 points"),
    (utf8_under_a_gbk_cpg, "warned", ".cpg says GBK"),
    (excel_facilities, "right", "卫生站"),
    (zip_in_zip, "right", "甲"),
    (overlay_alone, "refused", "image overlay"),
    (file_and_folder_of_one_name, "refused", "same name"),
]


@pytest.mark.parametrize(("build", "kind", "said"), TABLE, ids=[t[0].__name__ for t in TABLE])
def test_each_kind_is_refused_read_right_or_warned(tmp_path, build, kind, said):
    files = build(tmp_path)
    if kind == "refused":
        with pytest.raises(IngestError) as refused:
            inspect_upload(files, tmp_path / "work", IngestOptions())
        assert said in refused.value.en and str(tmp_path) not in refused.value.en
        assert refused.value.zh and refused.value.zh != refused.value.en
        return
    result = inspect_upload(files, tmp_path / "work", IngestOptions())
    warnings = " ".join(result.report.warnings)
    if kind == "warned":
        assert said in warnings and result.report.warnings_zh
    else:
        assert not warnings, warnings
        assert said in set(result.gdf.astype(str).stack())


def test_one_feature_far_away_does_not_sink_the_file(tmp_path):
    """Issue 24: one bad feature across the antimeridian sank the whole file as "no coordinate
    system"; the rest decide it now, and the odd one is named."""
    path = tmp_path / "点位.csv"
    path.write_text("名称,lon,lat\n甲,120.70,31.30\n乙,120.71,31.31\n丙,120.72,31.32\n"
                    "丁,-179.9,31.3\n", encoding="utf-8")  # fmt: skip
    result = inspect_upload([path], tmp_path / "work", IngestOptions())
    assert (result.report.crs.name, result.report.crs.how) == ("EPSG:4326", "guessed")
    said = " ".join(result.report.warnings)
    assert "feature 3" in said and "3 of 4" in said
