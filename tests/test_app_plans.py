"""Proposals, scenarios and the shared view through AppTest."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo.plans import Plans

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def _square():
    return gpd.GeoSeries([box(568_000, 3_466_000, 568_100, 3_466_100)], crs="EPSG:4549").to_crs(
        4326
    )[0]


def test_address_restores_the_view_and_follows_the_choices():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"
    at.query_params["basemap"] = "none"
    at.query_params["layers"] = "lakes,carrier_parks"
    at.query_params["center"] = "31.30,120.72"
    at.query_params["zoom"] = "13"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Suzhou Industrial Park Planning Atlas"
    assert at.selectbox(key="basemap").value == "none"
    assert at.checkbox(key="layer_carrier_parks").value is True
    assert at.checkbox(key="layer_land_reuse_parcels").value is False
    at.radio(key="lang").set_value("中文").run()
    assert at.query_params["lang"] == "zh"
    at.checkbox(key="layer_service_districts").check().run()
    assert "service_districts" in at.query_params["layers"].split(",")


def test_scenario_from_the_address_and_the_comparison(isolated_workspace, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    parcel = parcels.loc[parcels["status"] != "vacated", "id"].iloc[0]
    plans = Plans()
    pid = plans.add_proposal(_square(), title="新消费场景试点", kind="consumption_scene")
    plans.save_scenario("方案甲", [pid], {parcel: "vacated"})
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["scenario"] = "方案甲"
    at.run()
    assert not at.exception
    assert at.selectbox(key="scenario").value == "方案甲"
    assert any("新消费场景试点" in e.label for e in at.expander)
    at.selectbox(key="cmp_a").set_value("").run()
    at.selectbox(key="cmp_b").set_value("方案甲").run()
    table = next(d.value for d in at.dataframe if "指标" in d.value.columns).set_index("指标")
    assert list(table.columns) == ["（现状）", "方案甲", "差值（方案甲 − （现状））"]
    expected = parcels.set_index("id").loc[parcel, "area_ha"]
    assert (
        abs(float(table.loc["已腾退 地块面积（公顷）", "差值（方案甲 − （现状））"]) - expected)
        < 0.01
    )
    share = table.loc["15分钟步行圈内地块占比", "方案甲"]
    assert share.endswith("%") and 0 < float(share.rstrip("%")) <= 100
    assert "已腾退 建筑面积（万m²）" in table.index
    assert "新消费场景 方案面积（公顷）" in table.index
    at.radio(key="lang").set_value("English").run()
    table = next(d.value for d in at.dataframe if "Measure" in d.value.columns).set_index("Measure")
    assert "Vacated parcel area (ha)" in table.index and "(as is)" in table.columns
    assert not at.exception


def test_proposals_are_edited_and_deleted_in_the_app(isolated_workspace):
    pid = Plans().add_proposal(_square(), title="旧标题", kind="other")
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.text_input(key=f"pt_{pid}").set_value("新标题")
    at.button(key=f"pu_{pid}").click().run()
    assert Plans().proposals().set_index("id").loc[pid, "title"] == "新标题"
    at.button(key=f"pd_{pid}").click().run()
    assert Plans().proposals().empty and not at.exception


def test_clicking_a_feature_does_not_offer_it_as_a_sketch():
    at = AppTest.from_file(APP, default_timeout=90).run()
    parcel = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[
        [120.70, 31.30], [120.71, 31.30], [120.71, 31.31], [120.70, 31.30]]]}}  # fmt: skip
    # What streamlit-folium reports after a click on a parcel: no drawing of the planner's own.
    at.session_state["atlas_map"] = {"last_object_clicked": {"lat": 31.305, "lng": 120.705},
                                     "last_active_drawing": parcel, "all_drawings": []}  # fmt: skip
    at.run()
    assert not any(s.value == "新草图" for s in at.subheader)
    at.session_state["atlas_map"] = {"all_drawings": [parcel]}  # the planner drew it
    at.run()
    assert any(s.value == "新草图" for s in at.subheader)
    assert any("公顷" in m.value for m in at.markdown)


def test_a_saved_sketch_does_not_come_back_shifted_after_a_basemap_change(isolated_workspace):
    at = AppTest.from_file(APP, default_timeout=90).run()
    drawn = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[
        [120.70, 31.30], [120.71, 31.30], [120.71, 31.31], [120.70, 31.31],
        [120.70, 31.30]]]}}  # fmt: skip
    at.session_state["atlas_map"] = {"all_drawings": [drawn]}  # drawn on the light basemap
    at.run()
    at.text_input(key=next(t.key for t in at.text_input if t.key.startswith("sk_title_"))).input(
        "口袋公园"
    )
    next(b for b in at.button if "保存为方案" in b.label).click().run()
    assert len(Plans().proposals()) == 1
    # The map is redrawn on Gaode (GCJ-02); streamlit-folium still reports the drawing from the
    # map the planner drew on, until the new map reports.
    at.selectbox(key="basemap").set_value("gaode_road").run()
    assert not at.exception
    assert not any(s.value == "新草图" for s in at.subheader)
    assert len(Plans().proposals()) == 1


def _save_scenario_form(at, name: str, parcel: str):
    at.text_input(key="sc_name").input(name)
    at.multiselect(key="sc_parcels").set_value([parcel])
    next(b for b in at.button if b.label in ("保存情景", "Save the scenario")).click().run()


def test_saving_over_a_scenario_asks_first_and_the_form_is_cleared(isolated_workspace):
    Plans().save_scenario("近期", [], {})
    at = AppTest.from_file(APP, default_timeout=90).run()
    _save_scenario_form(at, "近期", "LR-SH-01")
    assert not at.exception
    assert any("近期" in w.value for w in at.warning)  # asks before replacing
    assert Plans().scenario("近期")["status_changes"] == {}
    at.button(key="sc_replace").click().run()
    assert Plans().scenario("近期")["status_changes"] == {"LR-SH-01": "identified"}
    assert at.text_input(key="sc_name").value == "" and at.multiselect(key="sc_parcels").value == []


def test_scenarios_are_renamed_duplicated_and_deleted_with_undo(isolated_workspace):
    Plans().save_scenario("甲", [], {"LR-SH-01": "vacated"})
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.text_input(key="scn_new_甲").input("乙")
    at.button(key="scn_rename_甲").click().run()
    assert [s["name"] for s in Plans().scenarios()] == ["乙"]
    at.text_input(key="scn_new_乙").input("丙")
    at.button(key="scn_copy_乙").click().run()
    assert [s["name"] for s in Plans().scenarios()] == ["乙", "丙"]
    assert at.button(key="scn_delete_丙").disabled  # not before it is confirmed
    at.checkbox(key="scn_sure_丙").check().run()
    at.button(key="scn_delete_丙").click().run()
    assert [s["name"] for s in Plans().scenarios()] == ["乙"]
    assert any("丙" in i.value for i in at.info)
    at.button(key="plans_undo").click().run()
    assert [s["name"] for s in Plans().scenarios()] == ["乙", "丙"] and not at.exception


def test_deleting_a_proposal_says_what_it_touched_and_can_be_undone(isolated_workspace):
    pid = Plans().add_proposal(_square(), title="口袋公园", kind="green_space")
    Plans().save_scenario("甲", [pid], {})
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.button(key=f"pd_{pid}").click().run()
    assert Plans().proposals().empty
    notice = next(i.value for i in at.info if "口袋公园" in i.value)
    assert "甲" in notice
    at.button(key="plans_undo").click().run()
    assert Plans().proposals()["id"].tolist() == [pid]
    assert Plans().scenario("甲")["proposals"] == [pid]


def test_a_sketch_saved_with_a_far_counts_its_floor_area(isolated_workspace):
    at = AppTest.from_file(APP, default_timeout=90).run()
    drawn = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[
        [120.70, 31.30], [120.71, 31.30], [120.71, 31.31], [120.70, 31.31],
        [120.70, 31.30]]]}}  # fmt: skip
    at.session_state["atlas_map"] = {"all_drawings": [drawn]}
    at.run()
    at.text_input(key=next(t.key for t in at.text_input if t.key.startswith("sk_title_"))).input(
        "新楼"
    )
    at.number_input(
        key=next(n.key for n in at.number_input if n.key.startswith("sk_far_"))
    ).set_value(2.0)
    next(b for b in at.button if "保存为方案" in b.label).click().run()
    [far] = Plans().proposals()["far"].tolist()
    assert far == 2.0 and not at.exception


def test_a_deleted_proposal_waits_in_the_trash_and_its_history_shows(isolated_workspace):
    """Issue 15: deleting a proposal (beyond this session's undo) can be undone from the trash,
    and the proposal's changes are listed under it."""
    pid = Plans().add_proposal(_square(), title="口袋公园", kind="green_space")
    Plans().edit_proposal(pid, title="口袋公园（二期）")
    at = AppTest.from_file(APP, default_timeout=90).run()
    history = next(d.value for d in at.dataframe if "操作" in d.value.columns)
    assert list(history["操作"]) == ["新建方案", "修改方案"]
    Plans().delete_proposal(pid)
    at = AppTest.from_file(APP, default_timeout=90).run()  # a later session: no undo button
    assert any("口袋公园（二期）" in m.value for m in at.markdown)  # listed in the trash
    next(b for b in at.button if b.key == "restore_plan_0").click().run()
    assert list(Plans().proposals()["id"]) == [pid]


def test_a_link_to_a_scenario_renamed_since_says_so(isolated_workspace):
    """Issue 22: a link to a renamed scenario opened the as-is map without a word."""
    plans = Plans()
    plans.save_scenario("方案甲", [], {})
    plans.rename_scenario("方案甲", "方案乙")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["scenario"] = "方案甲"
    at.run()
    assert not at.exception
    assert at.selectbox(key="scenario").value == ""
    [said] = [w.value for w in at.sidebar.warning]
    assert "方案甲" in said and "已不存在" in said
    at.selectbox(key="scenario").set_value("方案乙").run()
    assert not at.sidebar.warning  # said once the planner has chosen


def test_deleting_a_proposal_in_another_planners_scenario_asks_first(isolated_workspace):
    """Issue 23: it was taken out of other planners' scenarios without a word."""
    from geo.workspace import Workspace

    Workspace().set_role("li@sip.gov", "editor")
    pid = Plans().add_proposal(_square(), title="口袋公园", kind="green_space")
    Plans(actor="li@sip.gov").save_scenario("李的近期", [pid], {})
    Plans().save_scenario("我的近期", [pid], {})  # one's own: no need to ask
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.button(key=f"pd_{pid}").click().run()
    asked = next(w.value for w in at.warning if "李的近期" in w.value)
    assert "li@sip.gov" in asked and "我的近期" not in asked
    assert Plans().proposals()["id"].tolist() == [pid]  # nothing deleted yet
    at.button(key=f"pd_yes_{pid}").click().run()
    assert Plans().proposals().empty and not at.exception
    assert Plans().scenario("李的近期")["proposals"] == []


def test_a_scenario_saved_over_waits_in_the_trash_said_as_such(isolated_workspace):
    pid = Plans().add_proposal(_square(), title="口袋公园", kind="green_space")
    Plans().save_scenario("近期", [pid], {})
    Plans().save_scenario("近期", [], {}, replace=True)
    at = AppTest.from_file(APP, default_timeout=90).run()
    said = [m.value for m in at.markdown if "近期" in m.value and "旧版本" in m.value]
    assert said and not at.exception
    next(b for b in at.button if b.key == "restore_plan_0").click().run()
    assert {s["name"]: s["proposals"] for s in Plans().scenarios()} == {
        "近期": [], "近期 (2)": [pid]
    }  # fmt: skip
