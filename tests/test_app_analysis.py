"""The analysis panel and the nearby query through AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def app():
    return AppTest.from_file(APP, default_timeout=90).run()


_MARKERS = {
    "overlay_table": "片区",
    "coverage_table": "步行时间（分钟）",
    "nearby_table": "距离（米）",
}


def _table(at, name: str):
    """A table of the page, known by a column only it has (AppTest shows no dataframe keys)."""
    marker = _MARKERS[name]
    if name == "overlay_table" and at.radio(key="lang").value == "English":
        marker = "District"
    return next(d.value for d in at.dataframe if marker in d.value.columns)


def _caption(at, start: str) -> str:
    return next(c.value for c in at.caption if c.value.startswith(start))


def test_overlay_defaults_to_parcels_by_their_planning_area(app, layers_by_id):
    """Issue 22: the default grouping (by lake district) left 50 of 55 parcels in a "—" row;
    the parcels are grouped by their own 片区 now, every one of them in a named group."""
    assert not app.exception
    parcels = layers_by_id["land_reuse_parcels"]
    n = len(parcels)
    assert _caption(app, "筛选后").startswith(f"筛选后 {n} / {n}")
    table = _table(app, "overlay_table")
    assert table["地块数"].sum() == n
    assert sorted(table["片区"]) == sorted(parcels["area_zh"].unique())
    assert any(c.value.startswith("按要素自身的“片区”属性分组") for c in app.caption)
    coverage = _table(app, "coverage_table")
    assert coverage["步行时间（分钟）"].tolist() == [5, 10, 15]
    assert (coverage["地块总数"] == n).all()


def test_by_lake_district_every_district_shows_and_most_of_a_parcel_decides(app, layers_by_id):
    """Issue 22: 环金鸡湖 and 环独墅湖 were missing instead of 0; the outside row was an
    unexplained "—"; LR-WT-05, 4% inside 环阳澄湖, counted wholly in it."""
    app.selectbox(key="an_by").set_value("lake_districts").run()
    table = _table(app, "overlay_table").set_index("片区")
    districts = layers_by_id["lake_districts"]
    assert set(districts["name_zh"]) <= set(table.index)
    parcels = layers_by_id["land_reuse_parcels"].to_crs(4549)
    yangcheng = districts.to_crs(4549).set_index("name_zh").geometry["环阳澄湖"]
    share = parcels.geometry.intersection(yangcheng).area / parcels.geometry.area
    assert table.loc["环阳澄湖", "地块数"] == int((share >= 0.5).sum())
    for name in set(districts["name_zh"]) - {"环阳澄湖"}:
        assert table.loc[name, "地块数"] == 0 and table.loc[name, "面积（公顷）"] == 0
    assert table.index[-1] == "（不在任何片区）"
    assert table["地块数"].sum() == len(parcels)
    assert any("占其面积最多" in c.value for c in app.caption)


def test_filters_drive_the_table_and_the_coverage(app, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    app.multiselect(key="f_status_land_reuse_parcels").set_value(["vacated"]).run()
    expected = int((parcels["status"] == "vacated").sum())
    assert _caption(app, "筛选后").startswith(f"筛选后 {expected} / {len(parcels)}")
    assert _table(app, "overlay_table")["地块数"].sum() == expected
    assert (_table(app, "coverage_table")["地块总数"] == expected).all()
    app.radio(key="an_split").set_value("status").run()
    assert set(_table(app, "overlay_table")["状态"]) == {"已腾退"}  # the status, in Chinese


def test_area_range_and_district_filters(app, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    smallest = float(app.slider(key="f_area_land_reuse_parcels").min)
    app.slider(key="f_area_land_reuse_parcels").set_value((smallest, 5.0)).run()
    expected = int((parcels["area_ha"] <= 5.0).sum())
    assert 0 < expected < len(parcels)
    assert _table(app, "overlay_table")["地块数"].sum() == expected
    app.selectbox(key="an_by").set_value("lake_districts").run()
    district = app.multiselect(key="f_district_land_reuse_parcels_lake_districts")
    district.set_value(["district-yangcheng"]).run()
    assert set(_table(app, "overlay_table")["片区"]) == {"环阳澄湖"}


def test_radius_is_configurable(app):
    app.number_input(key="w_15").set_value(5000.0).run()
    coverage = _table(app, "coverage_table")
    assert coverage.iloc[-1]["步行距离（米）"] == 5000.0
    assert coverage.iloc[-1]["地块占比"] > coverage.iloc[0]["地块占比"]


def test_other_district_layers_and_english(app):
    app.selectbox(key="an_by").set_value("carrier_parks").run()
    app.radio(key="lang").set_value("English").run()
    table = _table(app, "overlay_table")
    assert "District" in table.columns and not app.exception


def test_clicked_feature_details_and_what_is_nearby(app):
    app.session_state["atlas_map"] = {
        "last_object_clicked": {"lat": 31.322, "lng": 120.743},
        "last_object_clicked_tooltip": "名称 现代服务业产业园 编号 carrier-modern-services",
    }
    app.number_input(key="nearby_m").set_value(1000.0).run()
    assert not app.exception
    assert any("现代服务业产业园" in m.value for m in app.markdown)
    nearby = _table(app, "nearby_table")
    assert len(nearby) > 0 and (nearby["距离（米）"] <= 1000).all()
    assert "现代服务业产业园" not in set(nearby["值"])  # not itself


def test_the_overlay_table_gives_floor_area_beside_land_area(app, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    table = _table(app, "overlay_table")
    expected = float((parcels["area_m2"] * parcels["target_far"]).sum()) / 10_000
    assert table["建筑面积（万m²）"].sum() == pytest.approx(expected, abs=0.1)
    assert table["面积（公顷）"].sum() == pytest.approx(parcels["area_ha"].sum(), rel=1e-3)


def test_the_summary_gives_floor_area_beside_land_area(app, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    summary = next(
        d.value for d in app.dataframe if {"图层", "建筑面积（万m²）"} <= set(d.value.columns)
    )
    row = summary.set_index("图层").loc["低效产业用地（示意）"]
    expected = float((parcels["area_m2"] * parcels["target_far"]).sum()) / 10_000
    assert row["建筑面积（万m²）"] == pytest.approx(expected, abs=0.05)


def test_the_analysis_table_can_go_on_a_printed_sheet():
    """Issue 14: an optional statistics table on the printed sheet (the district table)."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    next(b for b in at.button if b.key == "snap_make").click().run()
    _, plain = at.session_state["snapshot_file"]
    box = at.checkbox(key="snap_table")
    assert not box.disabled
    box.check().run()
    next(b for b in at.button if b.key == "snap_make").click().run()
    assert not at.exception and not at.error
    name, data = at.session_state["snapshot_file"]
    assert name.endswith(".png") and data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data != plain  # the sheet changed: the table took the legend's lower part


def test_areas_can_be_split_among_districts_by_share(app, layers_by_id):
    """Issue 22: "or, where chosen, split by area share": the areas add up to the layer's and
    环阳澄湖 holds exactly the parcels' parts inside it."""
    app.selectbox(key="an_by").set_value("lake_districts").run()
    app.toggle(key="an_share").set_value(True).run()
    table = _table(app, "overlay_table").set_index("片区")
    parcels = layers_by_id["land_reuse_parcels"].to_crs(4549)
    districts = layers_by_id["lake_districts"].to_crs(4549).set_index("name_zh")
    inside = parcels.geometry.intersection(districts.geometry["环阳澄湖"]).area.sum()
    assert table.loc["环阳澄湖", "面积（m²）"] == pytest.approx(inside, abs=1.0)
    assert table["面积（m²）"].sum() == pytest.approx(parcels["area_m2"].sum(), abs=1.0)
    touching = int((parcels.geometry.intersection(districts.geometry["环阳澄湖"]).area > 0).sum())
    assert table.loc["环阳澄湖", "地块数"] == touching
    assert any("按其落在各" in c.value for c in app.caption)


def test_consumption_scenes_are_counted_by_lake_district(app, layers_by_id):
    """Issue 22: the pairing the park's plan makes. Points are counted in the district they lie
    in; they have no area, so their table counts only."""
    app.selectbox(key="an_layer").set_value("consumption_scenes").run()
    app.selectbox(key="an_by").set_value("lake_districts").run()
    assert not app.exception
    table = _table(app, "overlay_table").set_index("片区")
    scenes = layers_by_id["consumption_scenes"]
    districts = layers_by_id["lake_districts"]
    for name, shape in zip(districts["name_zh"], districts.geometry, strict=True):
        assert table.loc[name, "地块数"] == int(scenes.within(shape).sum()), name
    assert table["地块数"].sum() == len(scenes)
    assert not any(c.startswith(("面积", "建筑面积")) for c in table.columns)
    assert _caption(app, "筛选后").startswith(f"筛选后 {len(scenes)} / {len(scenes)} 个要素")
