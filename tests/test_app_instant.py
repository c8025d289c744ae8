"""What makes the atlas answer at once (issue 25), through Streamlit's AppTest: a click, a
highlight or a layer switched does not build a new map (the map in the page is changed in
place: layers.dynamic, layers.view.LayerSwitch); Enter on a whole number goes to it."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit_folium
from streamlit.testing.v1 import AppTest

import layers.folium_map

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def watched(monkeypatch):
    """The app run once, with a record of the maps it builds and of what it hands the map's
    component in the page (streamlit-folium's arguments: the map's script, the groups')."""
    built, handed = [], []
    build_map = layers.folium_map.build_map

    def counting_build(*args, **kwargs):
        built.append(kwargs)
        return build_map(*args, **kwargs)

    component = streamlit_folium._component_func

    def recording(**kwargs):
        handed.append(kwargs)
        return component(**kwargs)

    monkeypatch.setattr(layers.folium_map, "build_map", counting_build)
    monkeypatch.setattr(streamlit_folium, "_component_func", recording)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    return at, built, handed


def _dynamic_text(handed: list[dict]) -> str:
    """The script of the feature groups last handed to the map in the page."""
    return handed[-1]["feature_group"] or ""


def test_a_click_and_a_layer_switch_build_no_new_map(watched):
    at, built, handed = watched
    before = len(built)
    at.session_state["atlas_map"] = {  # the Modern Services Industrial Park clicked
        "last_object_clicked": {"lat": 31.322, "lng": 120.743},
        "last_object_clicked_tooltip": "名称 现代服务业产业园 编号 carrier-modern-services",
    }
    at.run()
    assert any("现代服务业产业园" in m.value for m in at.markdown)  # the details panel
    assert "sip-highlight-nearby" in _dynamic_text(handed)  # its highlight, added in the page
    at.checkbox(key="layer_carrier_parks").uncheck().run()
    assert not at.exception
    assert len(built) == before  # neither the click nor the switch built a map
    shown = _dynamic_text(handed).split("sipShow(", 1)[1].split(")", 1)[0]
    assert "land_reuse_parcels" in shown and "carrier_parks" not in shown
    at.checkbox(key="layer_carrier_parks").check().run()
    assert len(built) == before


def test_enter_on_a_whole_number_goes_to_its_feature(watched):
    at, _, handed = watched
    at.sidebar.text_input(key="search").set_value("LR-SH").run()
    assert "selected_feature" not in at.session_state  # several: the planner picks one
    at.sidebar.text_input(key="search").set_value("lr-sh-01").run()
    chosen = at.session_state["selected_feature"]
    assert (chosen["layer"], chosen["id"]) == ("land_reuse_parcels", "LR-SH-01")
    assert any("苏虹路片区01号地块" in m.value for m in at.markdown)  # the details panel
    assert "fitBounds" in _dynamic_text(handed)  # the map goes there, once
    at.run()
    assert "fitBounds" not in _dynamic_text(handed)  # and lets the planner move it after
    assert "sip-selected" in _dynamic_text(handed)
    at.session_state["atlas_map"] = {"last_object_clicked": {"lat": 31.322, "lng": 120.743}}
    at.run()  # a click elsewhere ends the selection; the text still there does not bring it back
    assert "selected_feature" not in at.session_state


def test_a_search_is_not_done_again_on_later_runs(watched, monkeypatch):
    """The text stays in the search box: a later run (here one with nothing changed) does not
    search every shown layer again (a million parcels took seconds a run)."""
    import ui.find

    at, _, _ = watched
    calls = []
    find = ui.find.find_features
    monkeypatch.setattr(ui.find, "find_features", lambda *a, **k: calls.append(a) or find(*a, **k))
    at.sidebar.text_input(key="search").set_value("LR-SH").run()
    assert len(calls) == 1 and any(b.key == "hit_0" for b in at.sidebar.button)
    at.run()
    assert len(calls) == 1 and any(b.key == "hit_0" for b in at.sidebar.button)
    at.sidebar.text_input(key="search").set_value("LR-SH-0").run()
    assert len(calls) == 2
