"""Unusual but real uploads: each is read right (with warnings that say what was changed or
guessed) or refused with a message in both languages. Never a traceback, never a silent guess."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import MultiPoint, Point, box

from geo.errors import IngestError
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from layers.cli import main as cli
from layers.folium_map import build_map
from layers.uploads import upload_spec
from tests.helpers import parcels, write_shapefile, zip_files
from tests.hostile import (
    PLACES,
    geojson_file,
    huge_polygon,
    mixed_encoding_shapefile,
    points,
    shapefile_in,
    squares,
    zip_raw_names,
)


def _inspect(files, tmp_path, **options):
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return inspect_upload(list(files), work, IngestOptions(**options))


def _warned(report, *words: str) -> bool:
    return any(all(w in text for w in words) for text in report.warnings) and bool(
        report.warnings_zh
    )


# --- 1. the atlas reads its own exports ------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "extra"),
    [("p.geojson", []), ("p.gpkg", []), ("p.zip", []), ("p.zip", ["--encoding", "gbk"]),
     ("p.csv", [])],
)  # fmt: skip
def test_the_atlas_reads_back_every_format_it_exports(tmp_path, capsys, layers_by_id, out, extra):
    original = layers_by_id["land_reuse_parcels"]
    path = str(tmp_path / out)
    assert cli(["export", "--layer", "land_reuse_parcels", "--out", path, *extra]) == 0
    capsys.readouterr()
    assert cli(["ingest", path, "--json"]) == 0, capsys.readouterr().err
    report = json.loads(capsys.readouterr().out)
    assert report["features_kept"] == len(original)
    assert report["mapping"]["parcel_id"] == "id"
    assert report["area_ha"] == pytest.approx(original["area_ha"].sum(), rel=1e-3)
    assert (
        cli(["export", "--layer", report["layer_id"], "--out", str(tmp_path / "again.gpkg")]) == 0
    )
    again = gpd.read_file(tmp_path / "again.gpkg", layer=report["layer_id"])  # beside its style
    assert list(again["id"]) == list(original["id"])
    # the full column names come back, also from a shapefile (its fields.csv), and only once
    assert list(again["name_zh"]) == list(original["name_zh"])
    assert again.columns.is_unique and "area_m2_file" not in again.columns
    assert again["area_m2"].to_numpy() == pytest.approx(original["area_m2"].to_numpy(), rel=1e-3)


def test_a_files_own_area_and_id_columns_are_kept_beside_the_measured_ones(tmp_path):
    gdf = parcels("EPSG:4326").assign(id=["x", "x", "y"], area_m2=[1.0, 2.0, 3.0])
    path = tmp_path / "p.gpkg"
    gdf.to_file(path, driver="GPKG")
    result = _inspect([path], tmp_path)
    assert list(result.gdf["id"]) == ["A-01", "A-02", "A-03"]  # DKBH: unique ids
    assert list(result.gdf["id_file"]) == ["x", "x", "y"]
    assert list(result.gdf["area_m2_file"]) == [1.0, 2.0, 3.0]
    assert result.gdf["area_m2"].round(-2).tolist() == [10_000, 20_000, 30_000]
    assert result.report.renamed_columns == {"id": "id_file", "area_m2": "area_m2_file"}
    assert _warned(result.report, "id_file") and _warned(result.report, "area_m2_file")


# --- 2. point layers ---------------------------------------------------------------------------


def test_a_point_upload_is_saved_as_points_and_drawn_as_markers(tmp_path, store):
    path = geojson_file(tmp_path / "poi.geojson", [{"名称": p} for p in PLACES[:4]], points(4))
    result = _inspect([path], tmp_path)
    assert result.report.geometry_type == "Point"
    layer_id = save_upload(result, [path], name="兴趣点", workspace=store)["layer_id"]
    gdf = store.load(layer_id)
    assert set(gdf.geom_type) == {"Point"}
    spec = upload_spec(store.entry(layer_id), 0, list(gdf.columns))
    assert spec.geometry_type == "Point"
    page = build_map([(spec, gdf)], lang="zh", basemap_id="none").get_root().render()
    assert page.count('"type": "Point"') == 4 and "L.CircleMarker" in page


def test_multipoints_are_drawn_as_single_markers(tmp_path):
    geoms = [MultiPoint(points(3)), MultiPoint(points(2)), Point(120.75, 31.32)]
    path = geojson_file(tmp_path / "mp.geojson", [{"n": i} for i in range(3)], geoms)
    result = _inspect([path], tmp_path)
    spec = upload_spec({"id": "mp", "name": "mp", **result.report.entry_fields()}, 0)
    page = build_map([(spec, result.gdf)], lang="zh", basemap_id="none").get_root().render()
    assert '"MultiPoint"' not in page and page.count('"type": "Point"') == 6


# --- 3. encodings --------------------------------------------------------------------------


def test_records_in_utf8_and_gbk_are_each_read_right_and_the_planner_is_told(tmp_path):
    result = _inspect(mixed_encoding_shapefile(tmp_path / "src"), tmp_path)
    assert "名称" in result.gdf.columns
    assert list(result.gdf["名称"]) == PLACES
    encoding = result.report.encoding
    assert encoding.how == "bytes" and "UTF-8" in encoding.name and "GB18030" in encoding.name
    assert _warned(result.report, "1 of 21", "GBK")  # 20 names and the column name
    # the one value in GBK is among those the preview shows, so the planner can check it
    assert PLACES[19] in result.report.encoding_preview[encoding.name]


def test_big5_text_is_recognised_and_said(tmp_path):
    names = ["臺北市信義區", "園區測試地塊", "蘇州工業園區", "香港九龍灣仔"]
    gdf = gpd.GeoDataFrame({"名稱": names}, geometry=squares(4), crs="EPSG:4326")
    result = _inspect(shapefile_in(tmp_path / "src", gdf, stem="b5", encoding="CP950"), tmp_path)
    assert list(result.gdf["名稱"]) == names
    assert result.report.encoding.name == "Big5"
    assert "GB18030" in result.report.encoding.candidates
    assert _warned(result.report, "Big5")


def test_garbled_text_is_never_reported_as_clean(tmp_path):
    names = ["臺北市信義區", "園區測試地塊", "蘇州工業園區", "香港九龍灣仔"]
    gdf = gpd.GeoDataFrame({"名稱": names}, geometry=squares(4), crs="EPSG:4326")
    parts = shapefile_in(tmp_path / "src", gdf, stem="b5", encoding="CP950")
    forced = _inspect(parts, tmp_path, encoding="GBK")
    assert forced.report.encoding.undecodable_values >= 3
    assert _warned(forced.report, "Big5")


def test_nul_characters_are_removed_and_said(tmp_path, store):
    path = tmp_path / "nul.csv"
    path.write_text("名称,lon,lat\n苏州\x00中心,120.6765,31.3215\n月光码头,120.68,31.31\n", "utf-8")
    result = _inspect([path], tmp_path)
    layer_id = save_upload(result, [path], name="nul", workspace=store)["layer_id"]
    assert store.load(layer_id)["名称"].tolist() == ["苏州中心", "月光码头"]
    assert _warned(result.report, "NUL")


# --- 6. columns a GeoPackage cannot hold ----------------------------------------------------


def test_columns_a_geopackage_cannot_hold_are_renamed_and_said(tmp_path, store):
    props = [{"Name": f"A{i}", "name": f"b{i}", "geom": "g", "Fid": i, "FID_src": 10 + i}
             for i in range(3)]  # fmt: skip
    path = geojson_file(tmp_path / "cols.geojson", props, squares(3))
    result = _inspect([path], tmp_path)
    renamed = result.report.renamed_columns
    assert set(renamed) == {"name", "geom", "Fid"}
    layer_id = save_upload(result, [path], name="cols", workspace=store)["layer_id"]
    gdf = store.load(layer_id)
    assert list(gdf["Name"]) == ["A0", "A1", "A2"]
    assert list(gdf[renamed["name"]]) == ["b0", "b1", "b2"]
    assert list(gdf[renamed["geom"]]) == ["g"] * 3
    assert list(gdf[renamed["Fid"]]) == [0, 1, 2] and list(gdf["FID_src"]) == [10, 11, 12]
    assert _warned(result.report, "renamed")


# --- 7. names that are not UTF-8 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("gbk", "地块成果"), ("cp950", "臺北地塊測試"), ("cp932", "東京土地区画")],
)
def test_zip_member_names_in_gbk_big5_and_shift_jis(tmp_path, encoding, name):
    parts = write_shapefile(tmp_path / "src", parcels())
    members = {f"{name}/{name}{p.suffix}".encode(encoding): p.read_bytes() for p in parts}
    result = _inspect([zip_raw_names(tmp_path / "n.zip", members)], tmp_path)
    assert result.source.label == f"{name}/{name}.shp"


# --- 8. damaged attribute tables --------------------------------------------------------------


def test_a_dbf_whose_header_is_damaged_is_said(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels())
    dbf = next(p for p in parts if p.suffix == ".dbf")
    data = bytearray(dbf.read_bytes())
    data[8:10] = (65535).to_bytes(2, "little")
    dbf.write_bytes(bytes(data))
    try:
        result = _inspect(parts, tmp_path)
    except IngestError as exc:
        assert ".dbf" in exc.en and ".dbf" in exc.zh
    else:
        assert _warned(result.report, ".dbf", "no attributes")


def test_a_zip_with_two_files_of_one_name_is_refused(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels())
    archive = zip_files(tmp_path / "dup.zip", {p.name: p for p in parts})
    with zipfile.ZipFile(archive, "a") as zf, pytest.warns(UserWarning, match="Duplicate"):
        zf.writestr("地块.dbf", b"garbage" * 20)
    with pytest.raises(IngestError, match=r"地块\.dbf") as err:
        _inspect([archive], tmp_path)
    assert "twice" in err.value.en and "地块.dbf" in err.value.zh


# --- 9. location ----------------------------------------------------------------------------


def test_a_polygon_across_the_antimeridian_is_named(tmp_path):
    across = box(-179.9, 31.30, 179.9, 31.31)
    path = geojson_file(tmp_path / "a.geojson", [{"n": i} for i in range(4)], [*squares(3), across])
    result = _inspect([path], tmp_path)
    assert _warned(result.report, "feature 3")


def test_features_far_from_the_rest_are_named(tmp_path):
    geoms = [Point(120.72, 31.31), Point(0.5, 89.9), Point(1.5, 89.95)]
    path = geojson_file(tmp_path / "pole.geojson", [{"n": i} for i in range(3)], geoms)
    result = _inspect([path], tmp_path)
    assert _warned(result.report, "features 1, 2", "far from")


def test_utm_51n_metres_from_the_kunshan_side_land_in_kunshan(tmp_path):
    truth = gpd.GeoDataFrame({"n": [1, 2]}, geometry=squares(2, x0=120.95, y0=31.35),
                             crs="EPSG:4326")  # fmt: skip
    parts = write_shapefile(tmp_path / "src", truth.to_crs("EPSG:32651"), prj=False)
    result = _inspect(parts, tmp_path)
    assert result.report.crs.name == "EPSG:32651"
    got = result.gdf.to_crs("EPSG:4549").centroid.reset_index(drop=True)
    assert got.distance(truth.to_crs("EPSG:4549").centroid).max() < 1.0  # metres
    assert _warned(result.report, "UTM")


# --- 10. messages that say what is really wrong -----------------------------------------------


def test_a_malformed_prj_can_be_overridden(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels())
    next(p for p in parts if p.suffix == ".prj").write_text("PROJCS[nonsense", encoding="ascii")
    try:
        plain = _inspect(parts, tmp_path)
    except IngestError as exc:
        assert ".prj" in exc.en and "--crs" in exc.en
    else:
        assert _warned(plain.report, ".prj")
    result = _inspect(parts, tmp_path, crs="EPSG:4549")
    assert result.report.features_kept == 3 and result.report.crs.name == "EPSG:4549"


def test_an_over_long_member_name_is_said_as_such(tmp_path):
    archive = tmp_path / "long.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("地" * 120 + ".geojson", "{}")
    with pytest.raises(IngestError, match="too long") as err:
        _inspect([archive], tmp_path)
    assert "过长" in err.value.zh


def test_a_colon_in_a_folder_name_is_fine(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels())
    archive = zip_files(tmp_path / "c.zip", {f"2024:成果/{p.name}": p for p in parts})
    assert _inspect([archive], tmp_path).report.features_kept == 3


def test_one_huge_polygon_makes_a_small_map_page(tmp_path):
    ring = huge_polygon(500_000)
    path = geojson_file(tmp_path / "huge.geojson", [{"n": 1}], [ring])
    result = _inspect([path], tmp_path)
    spec = upload_spec({"id": "huge", "name": "huge", **result.report.entry_fields()}, 0)
    page = build_map([(spec, result.gdf)], lang="zh", basemap_id="none").get_root().render()
    assert len(page) < 3_000_000
    full = gpd.GeoSeries([ring], crs="EPSG:4326").to_crs("EPSG:4549").area.iloc[0]
    assert result.report.area_m2 == pytest.approx(full, rel=1e-6)  # measured on the full ring


def test_report_keeps_its_documented_json_keys(tmp_path):
    result = _inspect(write_shapefile(tmp_path / "src", parcels(), encoding="GBK"), tmp_path)
    document = json.loads(json.dumps(result.report.to_json(), ensure_ascii=False))
    for key in ("features_read", "features_kept", "repaired", "dropped", "encoding", "crs",
                "bbox_wgs84", "columns", "mapping", "preview", "changes", "warnings",
                "warnings_zh", "area_m2", "area_ha", "area_mu", "geometry_type"):  # fmt: skip
        assert key in document, key
    assert {"name", "how", "detail"} <= set(document["encoding"])
    assert pd.DataFrame(document["changes"]).empty or "feature" in document["changes"][0]


@pytest.mark.parametrize(("records", "shapes"), [(5, 3), (3, 5)])
def test_shapefile_parts_that_disagree_are_said(tmp_path, records, shapes):
    """Issue 24: a .dbf of 5 records beside a .shp of 3 shapes (and the reverse) gave "3 read,
    0 dropped": two parcels vanished without a word."""
    import shutil

    from shapely.geometry import box as square

    many = gpd.GeoDataFrame({"名称": list("甲乙丙丁戊")},
                            geometry=[square(120.70 + i * 0.01, 31.30, 120.705 + i * 0.01, 31.305)
                                      for i in range(5)], crs=4326)  # fmt: skip
    pyogrio.write_dataframe(many.iloc[:records], tmp_path / "d.shp", encoding="UTF-8")
    pyogrio.write_dataframe(many.iloc[:shapes], tmp_path / "g.shp", encoding="UTF-8")
    for suffix in (".shp", ".shx"):
        shutil.copy(tmp_path / f"g{suffix}", tmp_path / f"d{suffix}")
    parts = sorted(tmp_path.glob("d.*"))
    result = inspect_upload(parts, tmp_path / "work", IngestOptions())
    said = " ".join(result.report.warnings)
    assert f"{records} records" in said and f"{shapes} shapes" in said
    assert "记录" in " ".join(result.report.warnings_zh)
    assert (result.report.features_read, result.report.features_kept) == (5, 3)
    assert result.report.dropped == 2


_OVERLAY = """<GroundOverlay><name>规划图</name><Icon><href>plan.png</href></Icon>
<LatLonBox><north>31.40</north><south>31.25</south><east>120.80</east><west>120.60</west>
</LatLonBox></GroundOverlay>"""
_PARCEL = """<Placemark><name>地块{n}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
{x},31.30 {x2},31.30 {x2},31.31 {x},31.30</coordinates></LinearRing></outerBoundaryIs>
</Polygon></Placemark>"""


def _kmz(path, body: str):
    doc = ('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
           f"<Document><name>规划</name>{body}</Document></kml>")  # fmt: skip
    with zipfile.ZipFile(path, "w") as kmz:
        kmz.writestr("doc.kml", doc)
        kmz.writestr("plan.png", b"\x89PNG\r\n\x1a\n")
    return path


def test_a_kmz_image_overlay_is_no_parcel(tmp_path):
    """Issue 24: a Google Earth plan image overlay was saved as a 73.9 km² parcel."""
    parcels = "".join(_PARCEL.format(n=n, x=120.70 + n / 100, x2=120.705 + n / 100)
                      for n in range(3))  # fmt: skip
    result = inspect_upload([_kmz(tmp_path / "规划.kmz", _OVERLAY + parcels)], tmp_path / "w",
                            IngestOptions())  # fmt: skip
    assert result.report.features_kept == 3 and result.report.area_ha < 100
    assert "overlay" in " ".join(result.report.warnings)
    assert "叠加图片" in " ".join(result.report.warnings_zh)
    with pytest.raises(IngestError, match="image overlay") as refused:  # an overlay alone
        inspect_upload([_kmz(tmp_path / "图.kmz", _OVERLAY)], tmp_path / "w2", IngestOptions())
    assert "叠加图片" in refused.value.zh


def test_points_beside_polygons_are_named_and_can_be_chosen(tmp_path):
    """Issue 24: a file of 100 points and 1 polygon kept the polygon; only counts said the
    points went."""
    geometries = [box(120.70, 31.30, 120.71, 31.31)]
    geometries += [Point(120.70 + i / 1000, 31.32) for i in range(100)]
    path = geojson_file(tmp_path / "混合.geojson", [{"n": i} for i in range(101)], geometries)
    result = inspect_upload([path], tmp_path / "w", IngestOptions())
    said = " ".join(result.report.warnings)
    assert result.report.features_kept == 1 and "100 points" in said and "--geometry" in said
    assert "100 个点" in " ".join(result.report.warnings_zh)
    points = inspect_upload([path], tmp_path / "w2", IngestOptions(geometry="Point"))
    assert (points.report.geometry_type, points.report.features_kept) == ("Point", 100)


@pytest.mark.parametrize(
    ("cpg", "written", "values"),
    [("GBK", "UTF-8", ["星湖街东地块", "金鸡湖西片区", "独墅湖科教创新区"]),
     ("UTF-8", "CP1252", ["Straße", "München", "Café"])],
)  # fmt: skip
def test_a_cpg_that_contradicts_the_text_is_overruled_and_said(tmp_path, cpg, written, values):
    """Issue 24: UTF-8 text under a .cpg saying GBK was saved garbled (13 values, 4 column
    names) with a warning about "2 values"; "Straße" under a UTF-8 .cpg over Latin-1 bytes was
    saved as "Stra"."""
    from shapely.geometry import box as square

    gdf = gpd.GeoDataFrame({"名称" if written == "UTF-8" else "Name": values},
                           geometry=[square(120.70 + i / 100, 31.30, 120.705 + i / 100, 31.305)
                                     for i in range(3)], crs=4326)  # fmt: skip
    pyogrio.write_dataframe(gdf, tmp_path / "p.shp", encoding=written)
    (tmp_path / "p.cpg").write_text(cpg, encoding="ascii")
    result = inspect_upload(sorted(tmp_path.glob("p.*")), tmp_path / "w", IngestOptions())
    column = "名称" if written == "UTF-8" else "Name"
    assert list(result.gdf[column]) == values
    said = " ".join(result.report.warnings)
    assert f".cpg says {cpg}" in said and ".cpg" in " ".join(result.report.warnings_zh)


def test_a_lone_shp_given_keeps_all_its_parts_as_the_original(tmp_path, store):
    """Issue 24: `sip-atlas ingest 地块.shp` (its parts beside it) kept only the .shp."""
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=True)
    shp = next(p for p in parts if p.suffix == ".shp")
    result = inspect_upload([shp], tmp_path / "w", IngestOptions())
    saved = save_upload(result, [shp], name="一期", workspace=store)
    kept = store.entry(saved["layer_id"])["files"]
    assert sorted(kept) == sorted(p.name for p in parts)
    for part in parts:
        assert store.original(saved["layer_id"], part.name) == part.read_bytes()


def test_a_dbf_whose_header_counts_no_records_is_said_to_be_damaged(tmp_path):
    """Issue 24: a damaged .dbf header said "no features" though the .shp held them."""
    from shapely.geometry import box as square

    gdf = gpd.GeoDataFrame({"名称": ["甲", "乙"]}, crs=4326,
                           geometry=[square(120.70, 31.30, 120.71, 31.31),
                                     square(120.72, 31.30, 120.73, 31.31)])  # fmt: skip
    pyogrio.write_dataframe(gdf, tmp_path / "a.shp", encoding="UTF-8")
    dbf = bytearray((tmp_path / "a.dbf").read_bytes())
    dbf[4:8] = (0).to_bytes(4, "little")  # the header's record count
    (tmp_path / "a.dbf").write_bytes(bytes(dbf))
    with pytest.raises(IngestError) as refused:
        inspect_upload(sorted(tmp_path.glob("a.*")), tmp_path / "w", IngestOptions())
    assert ".dbf" in refused.value.en and "2 shapes" in refused.value.en
    assert "damaged" in refused.value.en and "损坏" in refused.value.zh
