"""The app through Streamlit's AppTest: it starts, and its switches do what they say."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def app(monkeypatch):
    monkeypatch.delenv("SIP_ATLAS_BASEMAP", raising=False)
    return AppTest.from_file(APP, default_timeout=60).run()


def _captions(at) -> list[str]:
    return [c.value for c in at.caption]


def _summary(at):
    return at.dataframe[-1].value


def test_starts_in_chinese_without_exception(app):
    assert not app.exception
    assert app.title[0].value == "苏州工业园区规划图集"
    assert "已显示图层：9 / 10" in _captions(app)
    assert any("示意数据" in w.value for w in app.warning)
    summary = _summary(app)
    assert len(summary) == 9
    assert summary.set_index("图层").loc["低效产业用地（示意）", "要素数"] >= 40


def test_language_switch_to_english(app):
    app.radio(key="lang").set_value("English").run()
    assert not app.exception
    assert app.title[0].value == "Suzhou Industrial Park Planning Atlas"
    assert "Layers shown: 9 of 10" in _captions(app)
    assert "Carrier parks" in set(_summary(app)["Layer"])
    assert app.checkbox(key="layer_carrier_parks").label == "Carrier parks"


def test_layer_switches_change_what_is_shown(app):
    app.checkbox(key="layer_land_reuse_parcels").uncheck().run()
    assert "已显示图层：8 / 10" in _captions(app)
    assert not app.warning  # the illustrative notice goes with the parcels
    shown = _summary(app).set_index("图层")["显示"]
    assert shown["低效产业用地（示意）"] == "–" and shown["五大载体"] == "✓"
    app.checkbox(key="layer_cooperation_parks").check().run()
    assert "已显示图层：9 / 10" in _captions(app)


def test_basemap_switch_to_gaode_announces_the_gcj02_shift(app):
    app.selectbox(key="basemap").set_value("gaode_road").run()
    assert not app.exception
    assert any("GCJ-02" in i.value for i in app.info)


def test_no_basemap_keeps_the_context_layers_on(app):
    app.checkbox(key="layer_sip_boundary").uncheck()
    app.checkbox(key="layer_lakes").uncheck().run()
    assert "已显示图层：7 / 10" in _captions(app)
    app.selectbox(key="basemap").set_value("none").run()
    assert any("离线" in i.value for i in app.info)
    assert "已显示图层：9 / 10" in _captions(app)


@pytest.fixture
def fresh_caches():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_missing_data_shows_what_to_do_instead_of_crashing(monkeypatch, tmp_path, fresh_caches):
    monkeypatch.setenv("SIP_ATLAS_DATA", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.error and "data/" in at.error[0].value


def test_zooming_to_a_layer_gone_meanwhile_is_no_crash(base_layers):
    """Found walking the app at 1920×1080: a zoom choice the layers no longer held (a rerun
    between the choice and its handling) raised StopIteration in the callback."""
    from ui.preview import layer_bounds

    assert layer_bounds(base_layers, "up-gone") is None and layer_bounds(base_layers, None) is None
    minx, miny, maxx, maxy = layer_bounds(base_layers, "carrier_parks")
    assert 120.5 < minx < maxx < 121.0 and 31.2 < miny < maxy < 31.5  # the park, lon/lat
