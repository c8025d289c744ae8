"""Life circles along streets in the app (AppTest): the planner's roads chosen as the walking
network, coverage by both methods, the network check, the life-circle check, a click's walk."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box
from streamlit.testing.v1 import AppTest

from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from geo.workspace import open_workspace

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
X0, Y0 = 566_000.0, 3_465_000.0  # EPSG:4549 metres near Jinji Lake


def _save(tmp_path: Path, name: str, gdf: gpd.GeoDataFrame, kind: str) -> str:
    path = tmp_path / f"{name}.geojson"
    gdf.to_crs("EPSG:4326").to_file(path)
    options = IngestOptions(geometry={"line": "LineString", "polygon": "Polygon",
                                      "point": "Point"}[kind])  # fmt: skip
    result = inspect_upload([path], tmp_path / f"work-{name}", options)
    return save_upload(result, [path], name=name, workspace=open_workspace())["layer_id"]


@pytest.fixture
def canal_app(tmp_path):
    """The app over a workspace with canal-side roads (a bridge at x = 1,000 m), two homes
    (one across the canal), and facilities: a kindergarten and a primary school."""
    crs = "EPSG:4549"
    ids = {
        "roads": _save(tmp_path, "滨河道路", gpd.GeoDataFrame(
            {"名称": ["南岸路", "北岸路", "星港桥"]},
            geometry=[LineString([(X0, Y0 - 10), (X0 + 2000, Y0 - 10)]),
                      LineString([(X0, Y0 + 70), (X0 + 2000, Y0 + 70)]),
                      LineString([(X0 + 1000, Y0 - 10), (X0 + 1000, Y0 + 70)])], crs=crs),
            "line"),
        "homes": _save(tmp_path, "居住地块", gpd.GeoDataFrame(
            {"地块编号": ["N1", "S1"], "人口": [100, 50]},
            geometry=[box(X0 + 80, Y0 + 110, X0 + 120, Y0 + 150),
                      box(X0 + 180, Y0 - 60, X0 + 220, Y0 - 20)], crs=crs), "polygon"),
        "facilities": _save(tmp_path, "配套设施", gpd.GeoDataFrame(
            {"名称": ["星海幼儿园", "星港小学"], "类型": ["幼儿园", "小学"]},
            geometry=[Point(X0 + 100, Y0 - 20), Point(X0 + 400, Y0 - 20)], crs=crs), "point"),
    }  # fmt: skip
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.selectbox(key="an_layer").set_value(ids["homes"]).run()
    at.multiselect(key="w_of").set_value([ids["facilities"]]).run()
    return at, ids


def _coverage(at):
    return next(d.value for d in at.dataframe if "量法" in d.value.columns)


def test_the_walk_follows_the_streets_beside_the_straight_line(canal_app):
    at, ids = canal_app
    assert not at.exception
    assert any("直线距离：以各地点为圆心的圆" in c.value for c in at.caption)
    at.selectbox(key="w_net").set_value(ids["roads"]).run()
    assert not at.exception
    table = _coverage(at).set_index(["量法", "步行时间（分钟）"])
    assert table.loc[("直线", 5), "圈内地块数"] == 2
    assert table.loc[("沿街道", 5), "圈内地块数"] == 1  # across the canal: over the bridge
    assert table.loc[("直线", 5), "圈内人口"] == 150  # the 人口 column, found by its name
    assert table.loc[("沿街道", 15), "人口占比"] == pytest.approx(1 / 3, abs=1e-3)
    note = next(c.value for c in at.caption if c.value.startswith("沿街道："))
    assert "两侧各 100 米" in note and "GB 50180-2018" in note
    check = next(e for e in at.expander if e.label.startswith("路网检查"))
    assert "3 段道路" in check.caption[0].value or "段道路" in check.caption[0].value
    differences = next(d.value for d in at.dataframe if "difference" in d.value.columns)
    assert set(differences["origin"]) == {"星海幼儿园", "星港小学"}
    assert (differences["difference"] < 0).all()


def test_the_life_circle_check_says_what_each_home_misses(canal_app):
    at, ids = canal_app
    at.selectbox(key="chk_layer").set_value(ids["facilities"]).run()
    assert at.selectbox(key=f"chk_col_{ids['facilities']}").value == "类型"
    straight = next(d.value for d in at.dataframe if "5 分钟内缺少" in d.value.columns)
    assert "幼儿园" not in straight.set_index("名称").loc["N1", "5 分钟内缺少"]
    at.selectbox(key="w_net").set_value(ids["roads"]).run()
    along = next(d.value for d in at.dataframe if "5 分钟内缺少" in d.value.columns)
    along = along.set_index("名称")
    assert "幼儿园" in along.loc["N1", "5 分钟内缺少"]  # 900 + 80 + 900 m over the bridge
    assert "幼儿园" not in along.loc["S1", "5 分钟内缺少"]
    assert "小学" not in along.loc["S1", "10 分钟内缺少"]
    classes = next(d.value for d in at.dataframe if "条文" in d.value.columns)
    assert "表 B.0.2" in set(classes["条文"])
    at.radio(key="lang").set_value("English").run()
    assert any(d for d in at.dataframe if "Missing within 5 min" in d.value.columns)


def test_a_click_walks_the_three_circles_and_a_print_names_the_method(canal_app, monkeypatch):
    from io import BytesIO

    import streamlit_folium
    from pypdf import PdfReader

    at, ids = canal_app
    handed = []
    component = streamlit_folium._component_func
    monkeypatch.setattr(streamlit_folium, "_component_func",
                        lambda **kw: handed.append(kw) or component(**kw))  # fmt: skip
    at.selectbox(key="w_net").set_value(ids["roads"]).run()
    lon, lat = gpd.GeoSeries([Point(X0 + 100, Y0 - 12)], crs="EPSG:4549").to_crs(4326).iloc[0].xy
    at.session_state["atlas_map"] = {"last_object_clicked": {"lat": lat[0], "lng": lon[0]}}
    at.run()
    assert not at.exception
    assert any(m.value == "**从点击处沿街道步行**" for m in at.markdown)
    said = next(c.value for c in at.caption if c.value.startswith("5 分钟（300 米）"))
    assert "可达道路 400 米" in said  # 100 m west to the street's end, 300 m east
    assert "15 分钟（1000 米）：可达道路 1,220 米" in said  # and 80 + 2 x 20 m over the bridge
    assert handed[-1]["feature_group"].count("sip-walk-click") >= 3
    at.radio(key="snap_fmt").set_value(".pdf").run()
    at.button(key="snap_make").click().run()
    assert not at.exception
    _, data = at.session_state["snapshot_file"]
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert "5分钟生活圈（沿街道 300 米）" in text.replace("\n", "")  # the legend says how


def test_the_planners_own_levels_are_the_apps(tmp_path, monkeypatch):
    from geo.service_areas import DEFAULT_FILE

    own = tmp_path / "life_circles.toml"
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace("distance_m = 1000", "distance_m = 800")
    own.write_text(text + "\n[[levels]]\nminutes = 20\ndistance_m = 1200\n", encoding="utf-8")
    monkeypatch.setenv("SIP_ATLAS_LIFE_CIRCLES", str(own))
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert at.number_input(key="w_15").value == 800 and at.number_input(key="w_20").value == 1200
    table = next(d.value for d in at.dataframe if "步行时间（分钟）" in d.value.columns)
    assert table["步行时间（分钟）"].tolist() == [5, 10, 15, 20]


def test_a_broken_settings_file_is_said_once_and_the_circles_go_on(tmp_path, monkeypatch):
    own = tmp_path / "life_circles.toml"
    own.write_text("levels = [", encoding="utf-8")
    monkeypatch.setenv("SIP_ATLAS_LIFE_CIRCLES", str(own))
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    said = [e.value for e in at.error if "life_circles.toml cannot be read" in e.value]
    assert len(said) == 1 and str(own) in said[0]
    table = next(d.value for d in at.dataframe if "步行时间（分钟）" in d.value.columns)
    assert table["步行时间（分钟）"].tolist() == [5, 10, 15]  # the standard's, straight lines
