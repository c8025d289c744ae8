"""Maps kept between reruns: the page is the one streamlit-folium writes for a fresh map, it
does not change on a rerun (nor when a layer is switched: the page switches it), and any
change of data or options gives a new map."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.map_cache import layer_fingerprint, map_key

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
FOLIUM_RANDOM_NAME = re.compile(r"\b[a-z_]+_[0-9a-f]{32}\b")  # e.g. geo_json_5f9d46...


def _map_args(at) -> dict:
    (component,) = [c for c in at.get("component_instance")
                    if c.proto.component_name == "streamlit_folium.st_folium"]  # fmt: skip
    return json.loads(component.proto.json_args)


def _fresh(kind: str, dual: bool) -> None:
    """A tiny app: the base map (or two side by side) through st_folium as usual, or through
    the cache."""
    import streamlit as st  # noqa: F401  (AppTest runs this function's source as the script)
    from streamlit_folium import st_folium

    from layers.catalog import load_base_layers
    from layers.folium_map import build_dual_map, build_map
    from ui.map_cache import map_key, show_cached_map

    layers = load_base_layers()

    def build():
        return build_dual_map(layers[:3], layers[3:]) if dual else build_map(layers, draw=True)

    if kind == "plain":
        st_folium(build(), key="m", returned_objects=[])
    else:
        show_cached_map(map_key(layers, dual=dual), build, key="m", returned_objects=[])


@pytest.mark.parametrize("dual", [False, True], ids=["map", "two maps"])
def test_a_cached_map_is_the_page_streamlit_folium_writes_for_a_fresh_one(dual):
    plain = _map_args(AppTest.from_function(_fresh, args=("plain", dual), default_timeout=60).run())
    at = AppTest.from_function(_fresh, args=("cached", dual), default_timeout=60).run()
    first = _map_args(at)
    second = _map_args(at.run())  # the rerun takes the kept map
    assert not at.exception
    for args in (first, second):
        assert args["script"] == plain["script"]
        assert args["key"] == plain["key"]  # the same key: the browser keeps the map it has
        assert args["js_links"] == plain["js_links"] and args["css_links"] == plain["css_links"]
        assert not FOLIUM_RANDOM_NAME.findall(args["script"])


@pytest.mark.parametrize("base", ["none", "light"])  # light: the tile watcher names layers too
def test_a_rerun_sends_the_same_map_and_no_stale_names(monkeypatch, base):
    monkeypatch.setenv("SIP_ATLAS_BASEMAP", base)
    at = AppTest.from_file(APP, default_timeout=60).run()
    first = _map_args(at)
    at.run()
    assert _map_args(at) == first
    at.checkbox(key="layer_carrier_parks").uncheck().run()
    off = _map_args(at)
    # issue 25: a layer switched is the same map in the page, switched by its dynamic group
    assert off["key"] == first["key"] and off["script"] == first["script"]
    shown = off["feature_group"].split("sipShow(", 1)[1].split(")", 1)[0]
    assert "carrier_parks" not in shown and "carrier_parks" in first["feature_group"]
    at.checkbox(key="layer_carrier_parks").check().run()
    again = _map_args(at)
    assert again == first  # back to the map already kept
    for args in (first, off, again):
        assert not FOLIUM_RANDOM_NAME.findall(args["script"] + args["header"])
    assert not at.exception


def test_the_key_follows_data_and_options(layers_by_id, base_layers):
    parcels = layers_by_id["land_reuse_parcels"]
    spec = next(s for s, _ in base_layers if s.id == "land_reuse_parcels")
    key = map_key([(spec, parcels)], lang="zh", visible={"a", "b"})
    assert map_key([(spec, parcels.copy(deep=True))], lang="zh", visible={"b", "a"}) == key
    renamed = parcels.copy()
    renamed.loc[renamed.index[0], "name_zh"] = "另一个名字"
    moved = parcels.copy()
    moved.geometry = moved.geometry.translate(0.00001, 0.0)  # about a metre east (EPSG:4326)
    assert map_key([(spec, renamed)], lang="zh", visible={"a", "b"}) != key
    assert map_key([(spec, moved)], lang="zh", visible={"a", "b"}) != key
    assert map_key([(spec, parcels)], lang="en", visible={"a", "b"}) != key
    assert map_key([(spec, parcels)], lang="zh", visible={"a"}) != key
    assert layer_fingerprint(parcels.to_crs("EPSG:4549")) != layer_fingerprint(parcels)
