"""Vector tiles of large layers: which layers are tiled, the fields tiles carry, the folder
store's PMTiles (built once per layer with GDAL, through pyogrio), and the overview drawn below
the lowest tiled zoom.

Zooms here are *data* zooms, those of the tiles (Web Mercator, EPSG:3857, 4096 units a side);
the map asks for tiles of 512 screen pixels, so a map at zoom z reads data tiles of zoom z-1.
Full detail is at ``MAX_DATA_ZOOM``; below it, tiles keep at most ``TILE_FEATURES`` features
(the largest) so that a tile stays small; below ``MIN_DATA_ZOOM`` the overview stands in: the
layer's features gathered on a grid of at most ``OVERVIEW_CELLS`` cells a side, each cell
coloured by its most common style class, cells of a class merged.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import geopandas as gpd
import mapbox_vector_tile
import numpy as np
import pandas as pd
import pyogrio
import shapely

__all__ = [
    "LAYER_NAME",
    "MAX_DATA_ZOOM",
    "MIN_DATA_ZOOM",
    "TILE_FEATURES",
    "TileBuild",
    "build_pmtiles",
    "overview_frame",
    "overview_tile",
    "read_pmtile",
    "tile_bounds_3857",
    "tile_frame",
    "tiled",
    "tiled_threshold",
    "with_progress",
]

LAYER_NAME = "features"  # the one layer inside every tile
MIN_DATA_ZOOM = 11  # about 19 km a tile at Suzhou's latitude; the overview below
MAX_DATA_ZOOM = 14  # about 2.4 km a tile, 0.6 m a unit: full detail, drawn larger beyond
TILE_FEATURES = 4_000  # features kept in one tile below full detail (the largest)
TILE_BYTES = 400_000  # GDAL's MAX_SIZE: a tile larger than this keeps fewer features
OVERVIEW_CELLS = 160  # grid cells along the overview's longer side
POSITION = "_n"  # the feature's row number in the layer, carried by every tile feature
CLASS = "_c"  # the feature's style class (e.g. its status code), when the layer has one
_DEFAULT_THRESHOLD = 50_000  # features; above this a polygon layer is drawn from tiles
_HALF_WORLD = 20_037_508.342789244  # metres, EPSG:3857


def tiled_threshold() -> int:
    """The feature count above which a saved polygon layer is drawn from vector tiles
    (``SIP_ATLAS_TILED_LAYER``, default 50,000)."""
    try:
        return int(os.environ.get("SIP_ATLAS_TILED_LAYER", _DEFAULT_THRESHOLD))
    except ValueError:  # not a number: the default, rather than no map at all
        return _DEFAULT_THRESHOLD


def tiled(entry: dict) -> bool:
    """Whether the saved layer of this manifest ``entry`` is drawn from vector tiles."""
    from geo.uploads.report import geometry_type_of

    polygons = geometry_type_of(entry) == "Polygon"
    return polygons and int(entry.get("feature_count", 0)) > tiled_threshold()


def tile_frame(gdf: gpd.GeoDataFrame, fields: list[str], category: str | None) -> gpd.GeoDataFrame:
    """What tiles carry of a layer (EPSG:4326): its row numbers (``_n``), the ``fields`` the
    tooltip and labels need, as text, and the style class (``_c``) where there is one."""
    out = gpd.GeoDataFrame(
        {POSITION: np.arange(len(gdf), dtype=np.int32)}, geometry=gdf.geometry.values, crs=gdf.crs
    ).to_crs(4326)
    for field in fields:
        if field in gdf:
            out[field] = gdf[field].astype("string").fillna("").to_numpy()
    if category and category in gdf:
        out[CLASS] = gdf[category].astype("string").fillna("").to_numpy()
    return out


def with_progress(status: dict) -> dict:
    """A build's ``status`` (``started``: epoch seconds, ``estimate_s``) with ``progress``,
    the share of the estimate gone by (at most 0.99 until the build says it is done)."""
    done = (time.time() - status["started"]) / max(status["estimate_s"], 1e-3)
    return {**status, "progress": min(0.99, done)}


class TileBuild:
    """The state of one layer's PMTiles build, in a small JSON file beside it
    (``<layer>.tiles.json``): building (with its start and estimated length), ready, or failed
    (with the reason)."""

    SECONDS_PER_FEATURE = 2.6e-4  # measured: bench/city_bench.py, 1,000,000 parcels in 258 s

    def __init__(self, path: Path):
        self.path = Path(path)
        self.status_path = self.path.with_suffix(".tiles.json")

    def state(self) -> dict:
        """``{"state": "ready" | "building" | "failed" | "missing", ...}``; a build that
        stopped without a word (a server restarted mid-build) reads as missing."""
        try:
            status = json.loads(self.status_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            status = {}
        if self.path.is_file() and status.get("state") == "ready":
            return status
        if status.get("state") == "building" and status.get("pid") == os.getpid():
            return with_progress(status)
        if status.get("state") == "failed":
            return status
        return {"state": "missing"}

    def _say(self, **status) -> None:
        tmp = self.status_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(status), encoding="utf-8")
        os.replace(tmp, self.status_path)

    def _building(self, features: int) -> None:
        self._say(state="building", started=time.time(), pid=os.getpid(),
                  estimate_s=features * self.SECONDS_PER_FEATURE, features=features)  # fmt: skip

    def run(self, make: Callable[[], gpd.GeoDataFrame], features: int) -> None:
        """Build the tiles of ``make()`` (the tile frame) here and now, saying how it goes."""
        self._building(features)
        self._build(make, features)

    def _build(self, make: Callable[[], gpd.GeoDataFrame], features: int) -> None:
        try:
            started = time.time()
            build_pmtiles(make(), self.path)
            self._say(state="ready", seconds=round(time.time() - started, 1), features=features)
        except Exception as exc:  # said to the planner; the layer itself is saved and whole
            self._say(state="failed", reason=str(exc)[:500])

    _running: ClassVar[set[str]] = set()  # files being built by this process
    _lock = threading.Lock()

    def start(self, make: Callable[[], gpd.GeoDataFrame], features: int) -> bool:
        """Build in a background thread unless a build of this file runs in this process
        already; True if one was started."""
        with self._lock:
            if str(self.path) in self._running:
                return False
            self._running.add(str(self.path))
        try:
            self._building(features)  # before this returns: the app shows progress at once
        except OSError:  # the folder cannot be written: still missing, tried again next time
            with self._lock:
                self._running.discard(str(self.path))
            return False

        def work() -> None:
            try:
                self._build(make, features)
            finally:
                with self._lock:
                    self._running.discard(str(self.path))

        threading.Thread(target=work, name=f"tiles-{self.path.stem}", daemon=True).start()
        return True


def build_pmtiles(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``frame`` (from ``tile_frame``) as a PMTiles archive of gzipped MVT tiles, zooms
    ``MIN_DATA_ZOOM``..``MAX_DATA_ZOOM``, written beside ``path`` and moved into place whole.

    GDAL's default limits drop features silently from crowded tiles; here a tile below full
    detail keeps its ``TILE_FEATURES`` largest features, and full-detail tiles keep all."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    tmp.unlink(missing_ok=True)
    pyogrio.write_dataframe(
        frame, tmp, driver="PMTiles", layer=LAYER_NAME,
        dataset_options={"MINZOOM": MIN_DATA_ZOOM, "MAXZOOM": MAX_DATA_ZOOM,
                         "MAX_FEATURES": TILE_FEATURES, "MAX_SIZE": TILE_BYTES,
                         "NAME": path.stem},
    )  # fmt: skip
    os.replace(tmp, path)


def read_pmtile(path: Path, z: int, x: int, y: int) -> bytes | None:
    """The gzipped MVT tile z/x/y of a PMTiles archive, or None where it has none."""
    from pmtiles.reader import MmapSource, Reader

    with open(path, "rb") as handle:
        return Reader(MmapSource(handle)).get(z, x, y)


def tile_bounds_3857(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's (minx, miny, maxx, maxy) in EPSG:3857 metres (XYZ numbering, y down)."""
    size = 2 * _HALF_WORLD / (1 << z)
    minx = -_HALF_WORLD + x * size
    maxy = _HALF_WORLD - y * size
    return minx, maxy - size, minx + size, maxy


def overview_frame(
    points_xy: np.ndarray, classes: np.ndarray | None, bounds: tuple[float, float, float, float]
) -> gpd.GeoDataFrame:
    """The overview of a layer from one point a feature (``points_xy``, EPSG:3857 metres)
    and its style class: grid cells holding features, each given its most common class,
    merged by class. At most ``OVERVIEW_CELLS`` cells a side over ``bounds`` (EPSG:3857), so its
    size does not grow with the layer. Returns columns ``_c`` and geometry, EPSG:3857."""
    minx, miny, maxx, maxy = bounds
    cell = max(maxx - minx, maxy - miny, 1.0) / OVERVIEW_CELLS
    col = np.floor((points_xy[:, 0] - minx) / cell).astype(np.int64)
    row = np.floor((points_xy[:, 1] - miny) / cell).astype(np.int64)
    cells = pd.DataFrame({"col": col, "row": row, CLASS: classes if classes is not None else ""})
    counts = cells.value_counts(["col", "row", CLASS]).reset_index(name="n")
    majority = counts.sort_values("n", ascending=False).drop_duplicates(["col", "row"])
    x0 = minx + majority["col"].to_numpy() * cell
    y0 = miny + majority["row"].to_numpy() * cell
    boxes = shapely.box(x0, y0, x0 + cell, y0 + cell)
    parts = []
    for value, members in pd.Series(boxes).groupby(majority[CLASS].to_numpy()):
        parts.append((str(value), shapely.coverage_union_all(members.to_numpy())))
    return gpd.GeoDataFrame(
        {CLASS: [p[0] for p in parts]}, geometry=[p[1] for p in parts], crs=3857
    )


def overview_tile(overview: gpd.GeoDataFrame, z: int, x: int, y: int) -> bytes:
    """The overview (EPSG:3857, from ``overview_frame``) clipped to tile z/x/y, as a gzipped
    MVT tile whose features carry ``_c`` and ``_n = -1`` (no feature of the layer)."""
    bounds = tile_bounds_3857(z, x, y)
    pad = (bounds[2] - bounds[0]) / 64
    clipped = shapely.clip_by_rect(overview.geometry.to_numpy(),
                                   bounds[0] - pad, bounds[1] - pad,
                                   bounds[2] + pad, bounds[3] + pad)  # fmt: skip
    features = [
        {"geometry": geom.wkb, "properties": {CLASS: value, POSITION: -1}}
        for geom, value in zip(clipped, overview[CLASS], strict=True)
        if not geom.is_empty
    ]
    data = mapbox_vector_tile.encode(
        [{"name": LAYER_NAME, "features": features}],
        default_options={"quantize_bounds": bounds, "extents": 4096, "y_coord_down": False},
    )
    return gzip.compress(data, compresslevel=5)
