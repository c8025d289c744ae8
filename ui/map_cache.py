"""Build and render each distinct atlas map once, and show it again on later reruns.

Every click, toggle or upload reruns the whole app, and building plus rendering the folium map
is most of a rerun's time (folium compiles a Jinja template for every element it renders). A
map's page depends only on its layers' data and a few options, so maps are kept by a content
key, shared by all sessions of the server, and handed to ``st_folium`` already rendered
(``render=False``, the way streamlit-folium provides for cached maps).

streamlit-folium renames every element by its place in the map's tree ("div", "div_0",
"div_0_1", ...) when it writes the page. A map rendered again after that rename would refer to
its old names, so the names are given before the first render and every later render is the
same text.

A rendered map (not a comparison's DualMap, whose script streamlit-folium works out while
rendering) is not rendered again: ``st_folium`` renders the map it is given on every call
(tens of Jinja templates, about 0.1 s a rerun for the atlas), though the text it reads back is
the same. What changes between reruns without a new map (a clicked feature's highlight, what is
near it, a zoom to a found feature) is handed over as ``dynamic`` feature groups, which
streamlit-folium adds to the map already in the browser: the map's frame is kept, with the
planner's view, popup and drawing.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from branca.element import Element
from folium.plugins import DualMap
from streamlit_folium import st_folium

from layers.memo import ObjectMemo
from layers.registry import LayerSpec

__all__ = ["CachedMap", "cached_map", "layer_fingerprint", "map_key", "show_cached_map"]

_FINGERPRINTS: ObjectMemo[str] = ObjectMemo()  # a layer's digest, while the layer lives


def layer_fingerprint(gdf: gpd.GeoDataFrame) -> str:
    """A digest of a layer's CRS, columns, attribute values and geometry (any CRS).

    Computed once per GeoDataFrame object (100,000 parcels take about 0.3 s) and remembered
    for as long as the object lives, so cached layers cost nothing on later reruns. A layer
    must not be changed in place once drawn; the app never does (filters and scenarios make
    new frames).
    """
    return _FINGERPRINTS.get(gdf, None, lambda: _digest(gdf))


def _digest(gdf: gpd.GeoDataFrame) -> str:
    digest = hashlib.sha1(str(gdf.crs).encode())
    digest.update("\x1f".join(map(str, gdf.columns)).encode())
    attributes = gdf.drop(columns=gdf.geometry.name)
    try:
        hashed = pd.util.hash_pandas_object(attributes, index=True)
    except TypeError:  # unhashable cells (lists, dicts): hash their text instead
        hashed = pd.util.hash_pandas_object(attributes.astype(str), index=True)
    digest.update(hashed.to_numpy().tobytes())
    for wkb in shapely.to_wkb(gdf.geometry.to_numpy()):
        digest.update(wkb or b"-")
    return digest.hexdigest()


def map_key(layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]], **options: object) -> str:
    """The content key of a map: every layer's registry entry and data, and the options
    (language, basemap, visible layer ids, view ...) that change the page."""
    digest = hashlib.sha1()
    for spec, gdf in layers:
        digest.update(repr(spec).encode())
        digest.update(layer_fingerprint(gdf).encode())
    for name, value in sorted(options.items()):
        if isinstance(value, Collection) and not isinstance(value, str):
            value = sorted(map(str, value))
        digest.update(f"{name}={value!r}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedMap:
    """A built map, rendered once, and the lock its renders take (sessions share it)."""

    fmap: folium.Map | DualMap
    lock: threading.Lock


def _rendered(**_kwargs: object) -> None:
    """A rendered map's ``render``: its page is written already (see the module's note)."""


def _name_by_place(element: Element, name: str = "div") -> None:
    """Give every element the name streamlit-folium will give it (its place in the tree)."""
    element._id = name
    for place, child in enumerate(element._children.values()):
        _name_by_place(child, f"{name}_{place}")


@st.cache_resource(max_entries=24, ttl=3600, show_spinner=False)
def cached_map(content_key: str, _build: Callable[[], folium.Map | DualMap]) -> CachedMap:
    """The map for ``content_key``: built by ``_build`` and rendered the first time, then
    kept (at most 24 maps, each for an hour)."""
    fmap = _build()
    if isinstance(fmap, DualMap):  # streamlit-folium names the two maps' trees div and div2
        fmap._id = "div"
        _name_by_place(fmap.m1, "div")
        _name_by_place(fmap.m2, "div2")
        fmap.render()  # rendered again by each st_folium: its two maps need it
    else:
        _name_by_place(fmap)
        fmap.get_root().render()
        fmap.render = _rendered
    return CachedMap(fmap, threading.Lock())


def show_cached_map(
    content_key: str,
    build: Callable[[], folium.Map | DualMap],
    /,
    dynamic: Sequence[folium.FeatureGroup] = (),
    **st_folium_args: object,
) -> dict | None:
    """``st_folium`` (with ``st_folium_args``) on the cached map for ``content_key``, built by
    ``build`` the first time, with the ``dynamic`` feature groups added to it in the browser
    (not to the cached map, nor to its key); returns what the map sends back."""
    cached = cached_map(content_key, build)
    with cached.lock:  # a render writes into the map's figure: one session at a time
        try:
            return st_folium(cached.fmap, render=False, feature_group_to_add=list(dynamic),
                             **st_folium_args)  # fmt: skip
        finally:  # streamlit-folium adds the groups to the map it is given: not to the cache's
            for place in range(len(dynamic)):
                cached.fmap._children.pop(f"feature_group_feature_group_{place}", None)
