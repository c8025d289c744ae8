"""A value worked out from a live layer is kept while the layer lives, and only then."""

from __future__ import annotations

import gc

import geopandas as gpd
from shapely.geometry import Point

from layers.memo import ObjectMemo


def test_a_value_is_kept_per_object_and_key_and_dropped_with_the_object():
    memo, made = ObjectMemo(), []
    layer = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(0, 0)], crs=4326)

    def make(tag: str):
        return lambda: made.append(tag) or tag

    assert memo.get(layer, ("id",), make("first")) == "first"
    assert memo.get(layer, ("id",), make("again")) == "first"  # kept: not worked out again
    assert memo.get(layer, ("id", "name"), make("other")) == "other"  # another key replaces it
    assert made == ["first", "other"]
    del layer
    gc.collect()
    assert memo._values == {}  # gone with the layer, before its id can be reused
