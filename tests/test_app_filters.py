"""Analysis filters a planner can trust (issue 13, part 1): they follow the grouping and the
language, and whenever they hide anything the page says what and offers to clear them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
DISTRICT = "f_district_land_reuse_parcels_lake_districts"


@pytest.fixture
def app():
    """The app with the parcels grouped by lake district (the default is their own 片区)."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    return at.selectbox(key="an_by").set_value("lake_districts").run()


def _count(at) -> tuple[int, int]:
    """(shown, total) from the caption under the filters, in either language."""
    caption = next(
        c.value for c in at.caption if "筛选后" in c.value or "after filtering" in c.value
    )
    if caption.startswith("筛选后"):
        shown, total = caption.removeprefix("筛选后 ").split(" 个地块")[0].split(" / ")
    else:
        shown, total = caption.split(" parcels")[0].split(" of ")
    return int(shown), int(total)


def _hidden_notice(at) -> str | None:
    texts = [w.value for w in at.warning if "筛选" in w.value or "filter" in w.value.lower()]
    return texts[0] if texts else None


def test_switching_the_language_hides_nothing(app, layers_by_id):
    n = len(layers_by_id["land_reuse_parcels"])
    app.radio(key="lang").set_value("English").run()
    assert _count(app) == (n, n) and _hidden_notice(app) is None
    app.radio(key="lang").set_value("中文").run()
    assert _count(app) == (n, n) and _hidden_notice(app) is None


def test_a_district_filter_keeps_its_meaning_in_the_other_language(app):
    app.multiselect(key=DISTRICT).set_value(["district-yangcheng"]).run()
    chosen = _count(app)
    assert chosen[0] < chosen[1]
    app.radio(key="lang").set_value("English").run()
    assert _count(app) == chosen
    assert app.multiselect(key=DISTRICT).value == ["district-yangcheng"]
    assert "Around Yangcheng Lake" in _hidden_notice(app) or "Around Yangcheng Lake" in str(
        app.multiselect(key=DISTRICT).format_func("district-yangcheng")
    )


def test_a_new_grouping_starts_with_every_district(app, layers_by_id):
    n = len(layers_by_id["land_reuse_parcels"])
    app.multiselect(key=DISTRICT).set_value(["district-jinji"]).run()
    assert _count(app)[0] < n
    app.selectbox(key="an_by").set_value("service_districts").run()
    assert _count(app) == (n, n) and _hidden_notice(app) is None


def test_what_is_hidden_is_said_and_can_be_cleared(app, layers_by_id):
    parcels = layers_by_id["land_reuse_parcels"]
    app.multiselect(key="f_status_land_reuse_parcels").set_value(["vacated"]).run()
    hidden = len(parcels) - int((parcels["status"] == "vacated").sum())
    notice = _hidden_notice(app)
    assert notice and str(hidden) in notice and "状态" in notice
    app.button(key="f_clear_land_reuse_parcels").click().run()
    assert _count(app) == (len(parcels), len(parcels)) and _hidden_notice(app) is None


def test_status_choices_read_in_the_interface_language(app):
    status = app.multiselect(key="f_status_land_reuse_parcels")
    assert status.format_func("completed") == "已完成"
    app.radio(key="lang").set_value("English").run()
    status = app.multiselect(key="f_status_land_reuse_parcels")
    assert status.format_func("completed") == "Completed"


def test_land_use_and_status_read_in_english_after_the_switch(app):
    app.radio(key="lang").set_value("English").run()
    land_use = app.multiselect(key="f_land_use_land_reuse_parcels")
    assert land_use.format_func("一类工业用地") == "Class-1 industrial"
    app.radio(key="an_split").set_value("land_use").run()
    table = next(d.value for d in app.dataframe if "Land use" in d.value.columns)
    assert not table["Land use"].str.contains(r"[\u4e00-\u9fff]").any()
    app.radio(key="an_split").set_value("status").run()
    table = next(d.value for d in app.dataframe if "Status" in d.value.columns)
    assert "Completed" in set(table["Status"]) or "Identified" in set(table["Status"])
