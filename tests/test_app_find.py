"""Search and the attribute table in the app (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def test_searching_a_name_selects_the_feature_and_opens_the_map_on_it():
    at = _app()
    at.sidebar.text_input(key="search").set_value("苏州中心").run()
    hit = next(b for b in at.sidebar.button if b.key and b.key.startswith("hit_"))
    assert "苏州中心" in hit.label
    hit.click().run()
    assert not at.exception
    assert any("苏州中心" in m.value for m in at.markdown)  # the details panel
    chosen = at.session_state["selected_feature"]
    assert chosen["layer"] == "consumption_scenes"
    minx, miny, maxx, maxy = chosen["bounds"]
    assert minx < 120.6765 < maxx and miny < 31.3215 < maxy and maxx - minx < 0.02


def test_a_number_not_shown_is_said_not_found():
    at = _app()
    at.sidebar.text_input(key="search").set_value("没有这个编号").run()
    assert any("没有找到" in c.value for c in at.sidebar.caption)


def test_the_attribute_table_lists_the_layer_as_the_analysis_filters_it(layers_by_id):
    at = _app()
    at.selectbox(key="table_layer").set_value("land_reuse_parcels").run()
    table = next(d.value for d in at.dataframe if d.key == "table_land_reuse_parcels")
    parcels = layers_by_id["land_reuse_parcels"]
    assert len(table) == len(parcels) and "编号" in table.columns
    assert set(table["编号"]) == set(parcels["id"])
    status = next(m for m in at.multiselect if m.key and m.key.startswith("f_status"))
    status.set_value(status.value[:1]).run()
    table = next(d.value for d in at.dataframe if d.key == "table_land_reuse_parcels")
    assert 0 < len(table) < len(parcels)
    assert any(f"{len(table)} / {len(parcels)}" in c.value for c in at.caption)
    assert any(b.key == "csv_land_reuse_parcels-table" for b in at.get("download_button"))


def test_the_attribute_table_adds_up_to_the_analysis_by_hand():
    """Issue 22: the table's LR-WT-11 was 81,626.9 m², the analysis's 81,630.4 m², and the
    table had no district column: a district's total could not be checked from it."""
    at = _app()
    at.selectbox(key="an_by").set_value("lake_districts").run()
    at.selectbox(key="table_layer").set_value("land_reuse_parcels").run()
    table = next(d.value for d in at.dataframe if d.key == "table_land_reuse_parcels")
    overlay = next(d.value for d in at.dataframe if "地块数" in d.value.columns)
    assert "环湖地区" in table.columns  # the grouping the analysis counts each parcel in
    by_hand = table.groupby("环湖地区")["面积（m²）"].sum()
    for _, row in overlay.iterrows():
        assert by_hand.get(row["片区"], 0.0) == pytest.approx(row["面积（m²）"], abs=0.05)
        assert int((table["环湖地区"] == row["片区"]).sum()) == row["地块数"]
    parcel = table.set_index("编号").loc["LR-WT-11"]
    assert parcel["面积（m²）"] == 81_630.4  # the one figure, measured from the shape
