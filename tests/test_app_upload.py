"""The upload panel through AppTest: read, report, match columns, save, rename, remove."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from geo.workspace import Workspace
from tests.helpers import parcels, write_shapefile, zip_files

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def gbk_zip(tmp_path) -> bytes:
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    return zip_files(
        tmp_path / "地块.zip", {f"成果/{p.name}": p for p in parts}, gbk_names=True
    ).read_bytes()


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def _table_with(at, column: str):
    """The first table with ``column``, not counting the attribute table tab's."""
    tables = [d for d in at.dataframe if not (d.key or "").startswith("table_")]
    return next(d.value for d in tables if column in d.value.columns)


def _uploader(at):
    return next(u for u in at.file_uploader if u.key and u.key.startswith("upload_files"))


def test_upload_reports_and_saves_a_gbk_shapefile(gbk_zip, isolated_workspace):
    at = _app()
    _uploader(at).set_value(("地块.zip", gbk_zip, "application/zip")).run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["3", "3"]
    captions = " ".join(c.value for c in at.caption)
    assert "GB18030" in captions and "EPSG:4549" in captions
    mapping = {box.value for box in at.selectbox if box.key and box.key.startswith("map_")}
    assert {"DKBH", "用地性质", "面积", "状态"} <= mapping
    preview = _table_with(at, "名称")
    assert "星湖街东地块" in set(preview["名称"])
    name = next(t for t in at.text_input if t.key and t.key.startswith("name_"))
    name.set_value("一期地块")
    next(b for b in at.button if b.key and b.key.startswith("save_")).click().run()
    assert not at.exception
    assert any("一期地块" in s.value for s in at.success)
    [entry] = Workspace(isolated_workspace).list_layers()
    assert entry["name"] == "一期地块" and entry["feature_count"] == 3
    assert at.checkbox(key=f"layer_{entry['id']}").value is True
    assert "一期地块" in set(_table_with(at, "图层")["图层"])
    # Another planner's session (or a restart) has the layer, switched off until they want it.
    again = _app()
    assert again.checkbox(key=f"layer_{entry['id']}").label == "一期地块"
    assert again.checkbox(key=f"layer_{entry['id']}").value is False
    assert "已显示图层：9 / 11" in [c.value for c in again.caption]


def test_bad_upload_shows_a_message_and_saves_nothing(isolated_workspace):
    at = _app()
    _uploader(at).set_value(("notes.zip", b"PK\x03\x04 truncated", "application/zip")).run()
    assert not at.exception
    assert at.error and "压缩包" in at.error[0].value
    assert Workspace(isolated_workspace).list_layers() == []


@pytest.fixture
def saved(gbk_zip, isolated_workspace, tmp_path):
    """Save the GBK zip as a layer named ``name`` in the test's workspace; its id."""

    def save(name: str) -> str:
        archive = tmp_path / "地块.zip"
        archive.write_bytes(gbk_zip)
        (tmp_path / "w").mkdir(exist_ok=True)
        result = inspect_upload([archive], tmp_path / "w", IngestOptions())
        return save_upload(result, [archive], name=name, workspace=Workspace())["layer_id"]

    return save


def test_rename_and_remove_in_the_app(saved):
    layer_id = saved("旧名")
    at = _app()
    at.text_input(key=f"rn_{layer_id}").set_value("新名")
    at.button(key=f"rnb_{layer_id}").click().run()
    assert Workspace().entry(layer_id)["name"] == "新名"
    assert at.checkbox(key=f"layer_{layer_id}").label == "新名"
    assert at.button(key=f"rmb_{layer_id}").disabled
    at.checkbox(key=f"rmc_{layer_id}").check().run()
    at.button(key=f"rmb_{layer_id}").click().run()
    assert not at.exception
    assert Workspace().list_layers() == []


@pytest.mark.parametrize("suffix", [".zip"])  # every format by the upload path: test_qgis
def test_the_app_reads_back_the_atlas_own_export(
    tmp_path, layers_by_id, isolated_workspace, suffix
):
    from geo.export import export_layer

    parcels_gdf = layers_by_id["land_reuse_parcels"]
    out = export_layer(parcels_gdf, tmp_path / f"p{suffix}", name="land_reuse_parcels")
    at = _app()
    data = Path(out["path"]).read_bytes()
    _uploader(at).set_value((f"p{suffix}", data, "application/octet-stream")).run()
    assert not at.exception and not at.error
    assert [m.value for m in at.metric][:2] == [str(len(parcels_gdf))] * 2
    next(b for b in at.button if b.key and b.key.startswith("save_")).click().run()
    assert not at.exception
    [entry] = Workspace(isolated_workspace).list_layers()
    saved = Workspace(isolated_workspace).load(entry["id"])
    assert list(saved["id"]) == list(parcels_gdf["id"])
    assert list(saved["name_zh"]) == list(parcels_gdf["name_zh"])


def test_a_new_file_dropped_on_the_upload_box_replaces_the_one_there(tmp_path):
    """Issue 14: the box added files, so a second upload put both in the layer list."""
    from tests.hostile import geojson_file, squares

    first = geojson_file(tmp_path / "一期.geojson", [{"名称": "甲"}], squares(1))
    second = geojson_file(tmp_path / "二期.geojson", [{"名称": "乙"}, {"名称": "丙"}], squares(2))
    at = _app()
    _uploader(at).set_value(("一期.geojson", first.read_bytes(), "application/geo+json")).run()
    assert any("一期.geojson" in m.value for m in at.markdown)
    both = [("一期.geojson", first.read_bytes(), "application/geo+json"),
            ("二期.geojson", second.read_bytes(), "application/geo+json")]  # fmt: skip
    _uploader(at).set_value(both).run()
    assert not at.exception
    report = " ".join(m.value for m in at.markdown)
    assert "二期.geojson" in report and "一期.geojson" not in report
    assert [m.value for m in at.metric][:2] == ["2", "2"]
    assert any("一期.geojson" in c.value and "二期.geojson" in c.value for c in at.caption)
    # the parts of one shapefile dropped one after another still make one upload
    parts = write_shapefile(tmp_path / "shp", parcels())
    at = _app()
    shp = next(p for p in parts if p.suffix == ".shp")
    _uploader(at).set_value((shp.name, shp.read_bytes(), "application/octet-stream")).run()
    rest = [(p.name, p.read_bytes(), "application/octet-stream") for p in parts]
    _uploader(at).set_value(rest).run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["3", "3"]


def test_a_layer_removed_in_the_app_waits_in_the_trash_and_comes_back(saved):
    """Issue 15: nothing is deleted for good by a click; the layer's history says who did what."""
    layer_id = saved("一期")
    at = _app()
    at.checkbox(key=f"rmc_{layer_id}").check().run()
    next(b for b in at.button if b.key == f"rmb_{layer_id}").click().run()
    assert not at.exception
    assert Workspace().list_layers() == []
    assert any("回收站" in s.value and "一期" in s.value for s in at.success)
    assert any(e.label.startswith("回收站") for e in at.expander)
    next(b for b in at.button if b.key == f"restore_{layer_id}").click().run()
    assert [e["id"] for e in Workspace().list_layers()] == [layer_id]
    history = next(d.value for d in at.dataframe if "操作" in d.value.columns)
    assert list(history["操作"]) == ["上传", "删除（移至回收站）", "恢复"]
    assert list(history["名称"]) == ["一期"] * 3


def test_a_file_mixing_points_and_polygons_offers_the_kind_to_keep(tmp_path, isolated_workspace):
    """Issue 24: the points of a file of 100 points and 1 polygon went without a word."""
    from shapely.geometry import Point, box

    from tests.hostile import geojson_file

    geometries = [box(120.70, 31.30, 120.71, 31.31), *[Point(120.70 + i / 1000, 31.32)
                                                       for i in range(100)]]  # fmt: skip
    path = geojson_file(tmp_path / "混合.geojson", [{"n": i} for i in range(101)], geometries)
    at = _app()
    _uploader(at).set_value(("混合.geojson", path.read_bytes(), "application/json")).run()
    assert any("100 个点" in w.value for w in at.warning)
    kept = next(b for b in at.selectbox if b.key and b.key.startswith("geometry_"))
    assert kept.value == "Polygon" and set(kept.options) == {"面（1）", "点（100）"}
    kept.set_value("Point").run()
    assert not at.exception and [m.value for m in at.metric][:2] == ["101", "100"]


def test_a_gbk_download_says_what_gbk_cannot_hold(tmp_path, isolated_workspace):
    """Issue 24: a GBK export dropped an emoji's value without a word."""
    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"名称": ["星湖街🌳", "普通"]}, crs=4326,
                           geometry=[box(120.70, 31.30, 120.71, 31.31),
                                     box(120.72, 31.30, 120.73, 31.31)])  # fmt: skip
    gdf.to_file(tmp_path / "名录.geojson")
    result = inspect_upload([tmp_path / "名录.geojson"], tmp_path / "w", IngestOptions())
    saved = save_upload(result, [tmp_path / "名录.geojson"], name="名录",
                        workspace=Workspace(isolated_workspace))  # fmt: skip
    at = _app()
    at.checkbox(key=f"layer_{saved['layer_id']}").check().run()
    at.selectbox(key="data_layer").set_value(saved["layer_id"]).run()
    at.radio(key="data_fmt").set_value(".zip").run()
    at.radio(key="data_enc").set_value("gbk").run()
    next(b for b in at.button if b.key == "data_make").click().run()
    assert not at.exception
    assert any("星湖街🌳" in w.value and "UTF-8" in w.value for w in at.warning)


def test_a_cad_drawing_lists_its_layers_and_reads_the_chosen(tmp_path, isolated_workspace):
    """Issue 27: a DXF's layers offered with what they hold; the gap to close; a DWG refused."""
    from tests.cad import draw_parcels

    drawing = draw_parcels(tmp_path / "控规.dxf").read_bytes()
    at = _app()
    _uploader(at).set_value(("控规.dxf", drawing, "image/vnd.dxf")).run()
    assert not at.exception
    layers = at.multiselect(key=next(m.key for m in at.multiselect if m.key.startswith("cad_")))
    assert layers.value == ["地块", "用地填充"]
    assert "地块（闭合图形 3、开放线 1）" in layers.options
    assert [m.value for m in at.metric][:2] == ["4", "4"]
    assert any("0.30 米" in w.value for w in at.warning)
    assert "DK-03" in set(_table_with(at, "地块编号")["地块编号"])
    said = "图纸单位：m；8 个文字写入所在地块；1 个填充与多段线地块重合，只保留一次。"
    assert said in [c.value for c in at.caption]
    next(n for n in at.number_input if n.key.startswith("gap_")).set_value(0.5).run()
    assert [m.value for m in at.metric][:2] == ["5", "5"]
    layers.set_value([]).run()
    assert any("至少选择一个图层" in i.value for i in at.info)
    at.multiselect(key=layers.key).set_value(["地块", "用地填充"]).run()
    next(b for b in at.button if b.key and b.key.startswith("save_")).click().run()
    [entry] = Workspace(isolated_workspace).list_layers()
    # back to AutoCAD and on to QGIS: the saved drawing as DXF, the map as a QGIS project
    at.selectbox(key="data_layer").set_value(entry["id"]).run()
    at.radio(key="data_fmt").set_value(".dxf").run()
    assert any("EPSG:4549" in c.value for c in at.caption)
    next(b for b in at.button if b.key == "data_make").click().run()
    name, data = at.session_state["data_file"]
    assert name.endswith(".dxf") and b"SIP_ATLAS" in data and b"DK-03" in data
    next(b for b in at.button if b.key == "qgis_make").click().run()
    assert not at.exception
    name, data = at.session_state["qgis_file"]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["sip-atlas.gpkg", "sip-atlas.qgz"]
        with zipfile.ZipFile(io.BytesIO(zf.read("sip-atlas.qgz"))) as project:
            assert f"layername={entry['id']}" in project.read("sip-atlas.qgs").decode()
    assert name.endswith(".zip") and "QGIS" in name
    _uploader(at).set_value(("总图.dwg", b"AC1032" + bytes(64), "image/vnd.dwg")).run()
    assert at.error and "另存为" in at.error[0].value
