"""Where a tiled layer's vector tiles come from, one class a store.

- Folder store: a PMTiles archive beside the layer's GeoPackage (``layers/<id>.pmtiles``), built
  once, in the background, by ``FolderTiles.ensure``; its overview beside it.
- PostGIS store: tiles made on request by ``ST_AsMVT`` over the layer's rows (spatial index),
  the largest ``TILE_FEATURES`` kept below full detail; the overview made once, in the
  background, by ``PostgisTiles.ensure`` and stored with the layer (``sip_overviews``).

Both answer ``tile(z, x, y)`` with a gzipped MVT tile (data zooms, XYZ numbering) or None, and
keep recent tiles in memory. Tiles of a saved layer never change (a new upload is a new layer),
so the cache needs no invalidation; a layer removed or trashed is refused by the route.
"""

from __future__ import annotations

import gzip
import io
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import psycopg
import shapely
from cachetools import LRUCache
from psycopg import sql

from geo.errors import WorkspaceError
from geo.tiles import (
    CLASS,
    LAYER_NAME,
    MAX_DATA_ZOOM,
    MIN_DATA_ZOOM,
    POSITION,
    TILE_FEATURES,
    TileBuild,
    overview_frame,
    overview_tile,
    read_pmtile,
    tile_frame,
    with_progress,
)

__all__ = ["FolderTiles", "PostgisTiles", "overview_of", "tile_source"]

_CACHE = LRUCache(maxsize=256 * 2**20, getsizeof=len)  # (layer, z, x, y) -> gzipped tile
_CACHE_LOCK = threading.Lock()
_OVERVIEWS: dict[str, gpd.GeoDataFrame] = {}  # layer id -> its overview, once read
_BUILDS: dict[str, dict] = {}  # PostGIS layer id -> its overview being made here, or failed
_BUILDS_LOCK = threading.Lock()


def _cached(key: tuple, make: Callable[[], bytes | None]) -> bytes | None:
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    data = make()
    if data is not None:
        with _CACHE_LOCK:
            _CACHE[key] = data
    return data


@contextmanager
def _connect(url: str) -> Iterator[psycopg.Connection]:
    """A connection to the team database; a database that does not answer is said."""
    try:
        with psycopg.connect(url) as conn:
            yield conn
    except psycopg.OperationalError as exc:
        raise WorkspaceError.unreachable(exc) from exc


def overview_of(gdf: gpd.GeoDataFrame, category: str | None) -> gpd.GeoDataFrame:
    """The overview of a layer (any CRS), EPSG:3857: see ``geo.tiles.overview_frame``."""
    # centroids in degrees: a cell of the overview is hundreds of metres, far coarser than
    # the difference from a centroid taken in metres
    centres = shapely.centroid(gdf.geometry.to_crs(4326).to_numpy())
    points = gpd.GeoSeries(centres, crs=4326).to_crs(3857)
    xy = np.c_[points.x.to_numpy(), points.y.to_numpy()]
    classes = gdf[category].astype(str).to_numpy() if category and category in gdf else None
    return overview_frame(xy, classes, tuple(points.total_bounds))


class FolderTiles:
    """The PMTiles archive of a layer of the folder store ``root``."""

    def __init__(self, root: Path, layer_id: str):
        self.layer_id = layer_id
        self.path = Path(root) / "layers" / f"{layer_id}.pmtiles"
        self.overview_path = self.path.with_suffix(".overview.parquet")
        self.build = TileBuild(self.path)

    def state(self) -> dict:
        """The build's state: ``{"state": "ready" | "building" | "failed" | "missing"}``."""
        return self.build.state()

    def ensure(self, load: Callable[[], gpd.GeoDataFrame], fields: list[str],
               category: str | None, features: int, *, wait: bool = False) -> dict:  # fmt: skip
        """Start building the tiles (in the background, or here with ``wait``) unless they
        are ready or being built; returns the state."""
        state = self.state()
        if state["state"] in ("ready", "building", "failed") and not wait:
            return state

        def make() -> gpd.GeoDataFrame:
            gdf = load()
            overview_of(gdf, category).to_parquet(self.overview_path)
            return tile_frame(gdf, fields, category)

        if wait:
            self.build.run(make, features)
        else:
            self.build.start(make, features)
        return self.state()

    def tile(self, z: int, x: int, y: int, fields: list[str],
             category: str | None) -> bytes | None:  # fmt: skip
        """The gzipped MVT tile z/x/y (the overview below ``MIN_DATA_ZOOM``), or None where the
        archive has none. Only once ``state()`` says ready (the route asks it first, so the
        status file is read once a request); ``fields`` and ``category`` were chosen at build."""
        if z < MIN_DATA_ZOOM:
            if self.layer_id not in _OVERVIEWS:
                _OVERVIEWS[self.layer_id] = gpd.read_parquet(self.overview_path)
            return _cached((self.layer_id, z, x, y),
                           lambda: overview_tile(_OVERVIEWS[self.layer_id], z, x, y))  # fmt: skip
        return _cached((self.layer_id, z, x, y), lambda: read_pmtile(self.path, z, x, y))


_TILE_SQL = f"""
WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env),
picked AS (
    SELECT f.fid, f.properties, f.geom FROM sip_features f, bounds b
    WHERE f.layer_id = %(layer)s
      AND f.geom && ST_Transform(ST_Expand(b.env, %(pad)s), 4326)
    ORDER BY CASE WHEN %(thin)s THEN ST_Area(f.geom) END DESC NULLS LAST
    LIMIT %(limit)s),
shaped AS (
    SELECT p.fid AS "{POSITION}", {{columns}}
           ST_AsMVTGeom(ST_Transform(p.geom, 3857), b.env, 4096, 64, true) AS geom
    FROM picked p, bounds b)
SELECT ST_AsMVT(shaped, '{LAYER_NAME}', 4096, 'geom') FROM shaped WHERE geom IS NOT NULL
"""


class PostgisTiles:
    """Tiles of a layer of the PostGIS store ``url``, made by ``ST_AsMVT``; its overview made
    once (``ensure``) and kept in ``sip_overviews``, so that no tile request works it out."""

    SECONDS_PER_FEATURE = 4e-6  # the overview, measured: 200,000 parcels in 0.7 s

    def __init__(self, url: str, layer_id: str):
        self.url, self.layer_id = url, layer_id

    def state(self) -> dict:
        """``{"state": "ready" | "building" | "failed" | "missing"}``: ready once the overview
        is stored (data tiles are made on request); building while this process makes it."""
        if self.layer_id in _OVERVIEWS:
            return {"state": "ready"}
        with _BUILDS_LOCK:
            build = _BUILDS.get(self.layer_id)
        if build and build["state"] == "building":
            return with_progress(build)
        if self._stored() is not None:
            return {"state": "ready"}
        return build or {"state": "missing"}

    def ensure(self, load: Callable[[], gpd.GeoDataFrame], fields: list[str],
               category: str | None, features: int, *, wait: bool = False) -> dict:  # fmt: skip
        """Make the layer's overview (in the background, or here with ``wait``) unless it is
        stored or being made; returns the state."""
        state = self.state()
        if state["state"] == "ready" or (state["state"] != "missing" and not wait):
            return state
        with _BUILDS_LOCK:
            if _BUILDS.get(self.layer_id, {}).get("state") == "building":
                return self.state()
            estimate = features * self.SECONDS_PER_FEATURE
            _BUILDS[self.layer_id] = {"state": "building", "started": time.time(),
                                      "estimate_s": estimate}  # fmt: skip

        def work() -> None:
            try:
                buffer = io.BytesIO()
                overview_of(load(), category).to_parquet(buffer)
                with _connect(self.url) as conn:
                    conn.execute("INSERT INTO sip_overviews VALUES (%s, %s) "
                                 "ON CONFLICT (layer_id) DO NOTHING",
                                 (self.layer_id, buffer.getvalue()))  # fmt: skip
                done = None
            except Exception as exc:  # said to the planner; the layer itself is saved and whole
                done = {"state": "failed", "reason": str(exc)[:500]}
            with _BUILDS_LOCK:
                _BUILDS.pop(self.layer_id, None)
                if done:
                    _BUILDS[self.layer_id] = done

        if wait:
            work()
        else:
            threading.Thread(target=work, name=f"overview-{self.layer_id}", daemon=True).start()
        return self.state()

    def _stored(self) -> gpd.GeoDataFrame | None:
        """The stored overview (kept in memory once read), or None before it is made."""
        if self.layer_id not in _OVERVIEWS:
            with _connect(self.url) as conn:
                row = conn.execute("SELECT body FROM sip_overviews WHERE layer_id = %s",
                                   (self.layer_id,)).fetchone()  # fmt: skip
            if row is None:
                return None
            _OVERVIEWS[self.layer_id] = gpd.read_parquet(io.BytesIO(row[0]))
        return _OVERVIEWS[self.layer_id]

    def tile(self, z: int, x: int, y: int, fields: list[str],
             category: str | None) -> bytes | None:  # fmt: skip
        """The gzipped MVT tile z/x/y with ``fields`` (and the style class), the stored overview
        below ``MIN_DATA_ZOOM`` (None before it is made)."""
        if z < MIN_DATA_ZOOM:
            overview = self._stored()
            if overview is None:
                return None
            return _cached((self.layer_id, z, x, y), lambda: overview_tile(overview, z, x, y))
        picked = [*fields, *([category] if category else [])]
        names = [*fields, *([CLASS] if category else [])]
        # any column name: a parameter, and an identifier whose % psycopg's placeholders keep
        column = sql.SQL("p.properties->>{} AS {}, ")
        columns = sql.SQL("").join(
            column.format(sql.Placeholder(f"f{i}"), sql.Identifier(n.replace("%", "%%")))
            for i, n in enumerate(names)
        )
        params = {"z": z, "x": x, "y": y, "layer": self.layer_id,
                  "pad": 2 * 20_037_508.34 / (1 << z) / 64,
                  "thin": z < MAX_DATA_ZOOM, "limit": TILE_FEATURES if z < MAX_DATA_ZOOM else None,
                  **{f"f{i}": f for i, f in enumerate(picked)}}  # fmt: skip

        def make() -> bytes:
            with _connect(self.url) as conn:
                row = conn.execute(sql.SQL(_TILE_SQL).format(columns=columns), params).fetchone()
            return gzip.compress(bytes(row[0] or b""), compresslevel=5)

        return _cached((self.layer_id, z, x, y), make)


def tile_source(workspace, layer_id: str) -> FolderTiles | PostgisTiles:
    """The tile source of a layer of either store."""
    url = getattr(workspace, "url", None)
    if url:
        return PostgisTiles(url, layer_id)
    return FolderTiles(workspace.root, layer_id)
