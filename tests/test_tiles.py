"""Vector tiles of large layers (issue 16): built once per layer (folder store) or made by
PostGIS, every feature at full detail, thinned and overviewed below it; the page does not grow
with the layer. Small layers and a low threshold (``SIP_ATLAS_TILED_LAYER``) keep these fast."""

from __future__ import annotations

import base64
import gzip
import json
import re
import tempfile
import time
from pathlib import Path

import mapbox_vector_tile
import mercantile
import numpy as np
import pytest

from bench.make_parcels import synthetic_parcels
from geo.tile_source import tile_source
from geo.tiles import MAX_DATA_ZOOM, MIN_DATA_ZOOM, tile_bounds_3857
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from layers.folium_map import build_map, feature_layer
from layers.tiled import TiledPolygons
from layers.uploads import ensure_tiles, entry_tile_fields, load_uploaded_layers

THRESHOLD = 100


def save_parcels(store, n: int, *, spacing_m: float = 180.0, name: str = "名称"
                 ) -> tuple[dict, object]:  # fmt: skip
    """``n`` synthetic parcels (with a name in column ``name``, a status and a land use)
    ingested and saved in ``store`` the way an upload is; returns the saved entry and the layer
    as loaded."""
    gdf = synthetic_parcels(n, spacing_m=spacing_m)
    gdf[name] = "地块" + gdf["DKBH"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "普查.gpkg"
        gdf.to_file(path)
        options = IngestOptions(mapping={"parcel_id": "DKBH", "status": "状态"})
        result = inspect_upload([path], Path(tmp) / "work", options)
        report = save_upload(result, [path], name="国土调查", workspace=store, actor="local:t")
    return store.entry(report["layer_id"]), store.load(report["layer_id"])


@pytest.fixture
def tiled_layer(store, monkeypatch):
    """A layer of 300 parcels in ``store`` with the tiling threshold at 100, tiles ready."""
    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    _, gdf = save_parcels(store, 300)
    [(spec, _)] = load_uploaded_layers(store)
    assert ensure_tiles(store, spec, lambda: gdf, wait=True)["state"] == "ready"
    return store, spec, gdf


def _decoded(data: bytes | None) -> list[dict]:
    assert data is not None
    return mapbox_vector_tile.decode(gzip.decompress(data)).get("features", {}).get("features", [])


def _tiles_over(gdf, z: int) -> list[mercantile.Tile]:
    return list(mercantile.tiles(*gdf.to_crs(4326).total_bounds, zooms=[z]))


def test_large_polygon_layers_are_tiled_and_small_ones_are_not(store, monkeypatch):
    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    save_parcels(store, THRESHOLD)
    save_parcels(store, THRESHOLD + 1)
    small, large = (spec for spec, _ in load_uploaded_layers(store))
    assert (small.tiles, large.tiles) == (0, THRESHOLD + 1)
    assert not isinstance(feature_layer(small, load_uploaded_layers(store)[0][1]), TiledPolygons)


def test_full_detail_tiles_hold_every_feature_where_it_is(tiled_layer):
    store, spec, gdf = tiled_layer
    source = tile_source(store, spec.id)
    seen: dict[int, dict] = {}
    for tile in _tiles_over(gdf, MAX_DATA_ZOOM):
        for feature in _decoded(source.tile(tile.z, tile.x, tile.y, list(spec.tooltip), None)):
            seen[feature["properties"]["_n"]] = feature["properties"]
    assert sorted(seen) == list(range(len(gdf)))
    for n in (0, 137, 299):  # each feature carries its own id, name and status
        assert seen[n]["id"] == gdf["id"].iloc[n] and seen[n]["名称"] == gdf["名称"].iloc[n]
        assert seen[n]["status"] == gdf["status"].iloc[n]
    # and its shape is where the parcel is: the tile with the parcel's centre draws it there
    centre = gdf.geometry.iloc[137].centroid
    tile = mercantile.tile(centre.x, centre.y, MAX_DATA_ZOOM)
    features = _decoded(source.tile(tile.z, tile.x, tile.y, list(spec.tooltip), None))
    [hit] = [f for f in features if f["properties"]["_n"] == 137]
    minx, miny, maxx, maxy = tile_bounds_3857(tile.z, tile.x, tile.y)
    ring = np.array(hit["geometry"]["coordinates"][0][0] if hit["geometry"]["type"] ==
                    "MultiPolygon" else hit["geometry"]["coordinates"][0], dtype=float)  # fmt: skip
    xs = minx + ring[:, 0] / 4096 * (maxx - minx)
    ys = miny + ring[:, 1] / 4096 * (maxy - miny)
    x, y = mercantile.xy(centre.x, centre.y)
    assert abs(xs.mean() - x) < 10 and abs(ys.mean() - y) < 10  # metres (EPSG:3857)


def test_any_column_name_reaches_the_tiles(store, monkeypatch):
    """Issue 23: a ``%`` in a column's name made every tile of the layer fail (PostGIS)."""
    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    odd = 'name 100% "a" %(z)s'
    _, gdf = save_parcels(store, THRESHOLD + 1, name=odd)
    [(spec, _)] = load_uploaded_layers(store)
    assert spec.label == odd  # the layer's name column: in its tiles, for labels and tooltips
    assert ensure_tiles(store, spec, lambda: gdf, wait=True)["state"] == "ready"
    source = tile_source(store, spec.id)
    fields, category = entry_tile_fields(store.entry(spec.id))
    names = set()
    for tile in _tiles_over(gdf, MAX_DATA_ZOOM):
        features = _decoded(source.tile(tile.z, tile.x, tile.y, fields, category))
        names |= {f["properties"][odd] for f in features}
    assert names == set(gdf[odd])


def test_below_the_tiled_zooms_the_overview_covers_the_layer(tiled_layer):
    store, spec, gdf = tiled_layer
    source = tile_source(store, spec.id)
    [tile] = _tiles_over(gdf, MIN_DATA_ZOOM - 3)[:1]
    features = _decoded(source.tile(tile.z, tile.x, tile.y, list(spec.tooltip), None))
    assert features and all(f["properties"]["_n"] == -1 for f in features)


def test_the_overview_is_made_with_the_tiles_and_kept_with_the_layer(store, monkeypatch):
    """Below the tiled zooms the map draws the overview made when the layer's tiles were: kept
    with the layer (a new server reads it), never worked out while a planner pans (working it
    out for a large layer took the server's cores from the browser: stalls of 1-3 s)."""
    import geo.tile_source

    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    _, gdf = save_parcels(store, 300)
    [(spec, _)] = load_uploaded_layers(store)
    assert tile_source(store, spec.id).state()["state"] == "missing"  # the route says 503
    ensure_tiles(store, spec, lambda: gdf)  # as the app does: in the background
    for _ in range(600):
        if tile_source(store, spec.id).state()["state"] != "building":
            break
        time.sleep(0.05)
    assert tile_source(store, spec.id).state()["state"] == "ready"

    def not_now(*args, **kwargs):
        raise AssertionError("the overview is worked out while a tile is asked for")

    monkeypatch.setattr(geo.tile_source, "overview_of", not_now)
    monkeypatch.setattr(geo.tile_source, "overview_frame", not_now)
    geo.tile_source._OVERVIEWS.clear()  # a new server process: nothing in memory
    geo.tile_source._CACHE.clear()
    [tile] = _tiles_over(gdf, MIN_DATA_ZOOM - 1)[:1]
    source = tile_source(store, spec.id)
    assert source.state()["state"] == "ready"
    features = _decoded(source.tile(tile.z, tile.x, tile.y, ["id"], spec.style.by))
    assert features and all(f["properties"]["_n"] == -1 for f in features)


def test_emptying_the_trash_deletes_a_layers_tiles_and_overview(store, monkeypatch):
    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    _, gdf = save_parcels(store, 300)
    [(spec, _)] = load_uploaded_layers(store)
    ensure_tiles(store, spec, lambda: gdf, wait=True)
    store.remove(spec.id)
    store.empty_trash()
    if getattr(store, "url", None):
        import psycopg

        with psycopg.connect(store.url) as conn:
            left = conn.execute("SELECT count(*) FROM sip_overviews").fetchone()[0]
    else:
        left = len(list((store.root / "layers").glob(f"*{spec.id}*")))
    assert left == 0


def test_a_crowded_tile_keeps_its_largest_features(store, monkeypatch):
    import geo.tile_source
    import geo.tiles

    monkeypatch.setattr(geo.tiles, "TILE_FEATURES", 50)
    monkeypatch.setattr(geo.tile_source, "TILE_FEATURES", 50)
    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    _, gdf = save_parcels(store, 400, spacing_m=40.0)  # all in one z11 tile
    [(spec, _)] = load_uploaded_layers(store)
    ensure_tiles(store, spec, lambda: gdf, wait=True)
    [tile] = _tiles_over(gdf, MIN_DATA_ZOOM)
    kept = _decoded(tile_source(store, spec.id).tile(tile.z, tile.x, tile.y, ["id"], None))
    assert 0 < len(kept) <= 50
    areas = gdf.to_crs(4549).area
    kept_areas = areas.iloc[[f["properties"]["_n"] for f in kept]]
    assert kept_areas.min() >= areas.quantile(0.5)  # the larger half, not the first 50


def test_the_page_does_not_grow_with_the_layer(monkeypatch, tmp_path):
    from geo.workspace import Workspace

    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    store = Workspace(tmp_path / "ws")
    sizes = []
    for n in (200, 2_000):
        save_parcels(store, n)
    for spec, gdf in load_uploaded_layers(store):
        page = build_map([(spec, gdf)], visible={spec.id}).get_root().render()
        assert "sipTiledLayer(" in page and "P000199" not in page  # no feature in the page
        sizes.append(len(page))
    assert abs(sizes[1] - sizes[0]) < 200  # bytes: the name of the layer differs, not its size


def test_a_filtered_tiled_layer_carries_one_bit_a_feature(monkeypatch, tmp_path):
    from geo.workspace import Workspace

    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    store = Workspace(tmp_path / "ws")
    save_parcels(store, 300)
    [(spec, gdf)] = load_uploaded_layers(store)
    kept = gdf[gdf["status"] == "vacated"]
    page = build_map([(spec, kept)], visible={spec.id}).get_root().render()
    mask = re.search(r'"mask":"([^"]*)"', page).group(1)
    bits = np.unpackbits(np.frombuffer(base64.b64decode(mask), np.uint8), bitorder="little")
    assert np.flatnonzero(bits[: len(gdf)]).tolist() == kept.index.tolist()


@pytest.mark.parametrize("limit", [1_000, 50])
def test_an_html_snapshot_says_what_it_did_with_a_layer_too_large_to_embed(
    limit, monkeypatch, tmp_path
):
    """A file cannot reach the server's tiles: a tiled layer's features within the extent are
    embedded up to EMBED_LIMIT; beyond it the overview is, and the page says so."""
    import layers.snapshot
    from geo.workspace import Workspace
    from layers.snapshot import write_snapshot

    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    monkeypatch.setattr(layers.snapshot, "EMBED_LIMIT", limit)
    store = Workspace(tmp_path / "ws")
    save_parcels(store, 300)
    [(spec, gdf)] = load_uploaded_layers(store)
    out = tmp_path / "map.html"
    info = write_snapshot([(spec, gdf)], out, title="普查", visible={spec.id},
                          bbox_wgs84=tuple(gdf.total_bounds), tiles=False)  # fmt: skip
    page = out.read_text(encoding="utf-8")
    assert "sipTiledLayer(" not in page and "/sip-tiles/" not in page
    [note] = info["large_layers"]
    assert note["features"] == 300
    if limit >= 300:
        assert note["embedded"] == "features" and "P000299" in page
    else:
        assert note["embedded"] == "overview" and "P000299" not in page
        # said on the page itself, in its title box (written there as JSON)
        assert json.dumps("概览")[1:-1] in page and "GeoPackage" in page


def test_the_app_says_how_far_a_tile_build_is_and_starts_no_second_one(monkeypatch):
    """While a layer's tiles are being built the planner sees how far it is, and no second
    build starts."""
    import json
    import os
    import time

    from streamlit.testing.v1 import AppTest

    from geo.tile_source import FolderTiles
    from geo.workspace import open_workspace

    monkeypatch.setenv("SIP_ATLAS_TILED_LAYER", str(THRESHOLD))
    store = open_workspace()
    save_parcels(store, 150)
    [(spec, _)] = load_uploaded_layers(store)
    tiles = FolderTiles(store.root, spec.id)
    tiles.path.parent.mkdir(parents=True, exist_ok=True)
    tiles.build.status_path.write_text(json.dumps({
        "state": "building", "started": time.time() - 30, "pid": os.getpid(),
        "estimate_s": 100.0, "features": 150}), encoding="utf-8")  # fmt: skip
    at = AppTest.from_file("../streamlit_app.py", default_timeout=120)
    at.query_params["layers"] = spec.id
    at.run()
    assert not at.exception
    said = " ".join(e.proto.text for e in at.get("progress"))
    assert "正在为“国土调查”（150 个要素）生成矢量瓦片" in said
    assert re.search(r"约完成 3\d%", said)  # 30 s of an estimated 100 s
    assert not tiles.path.exists()  # no second build was started beside the running one


def test_a_tile_database_that_does_not_answer_is_said_not_a_crash(base_layers):
    """The team database going away between two runs: the tile state says why (the app shows
    it, the route answers 503), never an exception through the page."""
    from dataclasses import replace

    from geo.errors import WorkspaceError
    from geo.pgstore import PostgisWorkspace
    from geo.tile_source import PostgisTiles
    from ui.tiles import tile_states

    gone = "postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2"
    with pytest.raises(WorkspaceError, match="PostgreSQL"):
        PostgisTiles(gone, "up-x").state()
    spec, gdf = base_layers[0]
    [state] = tile_states(PostgisWorkspace(gone), [(replace(spec, tiles=200_000), gdf)]).values()
    assert state["state"] == "failed" and "PostgreSQL" in state["reason"]


def test_the_command_reports_before_it_builds_a_large_layers_tiles(tmp_path):
    """Issue 24: the report of a 100,000-parcel ingest waited for its vector tiles."""
    import os
    import subprocess
    import sys

    gdf = synthetic_parcels(THRESHOLD + 50)
    gdf.to_file(tmp_path / "普查.gpkg")
    env = {**os.environ, "SIP_ATLAS_TILED_LAYER": str(THRESHOLD), "SIP_ATLAS_DATABASE_URL": "",
           "SIP_ATLAS_WORKSPACE": str(tmp_path / "ws")}  # fmt: skip
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    done = subprocess.run([exe, "ingest", str(tmp_path / "普查.gpkg")], capture_output=True,
                          text=True, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    saved = next(i for i, line in enumerate(lines) if line.startswith("saved "))
    building = next(i for i, line in enumerate(lines) if "building vector tiles" in line)
    assert saved < building and lines[-1].startswith("  vector tiles ready in")
    assert list((tmp_path / "ws" / "layers").glob("*.pmtiles"))  # built before it returned
