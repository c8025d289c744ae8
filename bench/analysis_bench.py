"""Benchmark: overlay of 100,000 parcels on the lake districts, and their 15-minute coverage.

Parcels are 20-vertex polygons of about 0.3 ha on a 70 m grid over the park (EPSG:4549); the
districts and the circles' origins (consumption scenes and service districts) are the base
layers. With ``--postgis``, the same overlay as one SQL query over the parcels held as the team
store holds a layer (EPSG:4326 rows, GIST index), to see whether statistics in PostGIS would
be faster (the server ``bash .ci/setup --test`` starts).
Usage: ``python bench/analysis_bench.py [--parcels 100000] [--postgis]``
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.make_parcels import synthetic_parcels
from geo.analysis import assign_districts, group_areas
from geo.walking import circle_coverage, merge_origins
from layers.load import load_layer

_OVERLAY_SQL = """
WITH pairs AS (
    SELECT p.fid, d.name, ST_Transform(p.geom, 4549) AS pg, d.geom AS dg
    FROM parcels p JOIN districts d ON p.geom && d.g4326),
shares AS (
    SELECT fid, name, CASE WHEN ST_ContainsProperly(dg, pg) THEN ST_Area(pg)
        ELSE ST_Area(ST_Intersection(pg, dg)) END AS overlap
    FROM pairs WHERE ST_Intersects(pg, dg)),
best AS (SELECT DISTINCT ON (fid) fid, name FROM shares WHERE overlap > 0
         ORDER BY fid, overlap DESC)
SELECT b.name, p.status, count(*), sum(ST_Area(ST_Transform(p.geom, 4549)))
FROM parcels p LEFT JOIN best b USING (fid) GROUP BY 1, 2
"""


def postgis_overlay_s(parcels, districts) -> tuple[float, int]:
    """Seconds of the overlay as one PostGIS query (parcels stored in EPSG:4326 with a GIST
    index, as the team store keeps a layer; districts in EPSG:4549), and its group count."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    admin = os.environ.get("SIP_ATLAS_TEST_DATABASE_URL", "postgresql:///postgres")
    name = f"sip_bench_{secrets.token_hex(3)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(make_conninfo(admin, dbname=name), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis; CREATE TABLE parcels (fid integer, "
                         "status text, geom geometry(Polygon, 4326)); CREATE TABLE districts "
                         "(name text, geom geometry(Geometry, 4549), g4326 geometry)")  # fmt: skip
            wgs = parcels.to_crs(4326)
            with conn.cursor().copy("COPY parcels FROM STDIN") as copy:
                for row in zip(range(len(wgs)), wgs["状态"], wgs.geometry.to_wkb(hex=True),
                               strict=True):  # fmt: skip
                    copy.write_row(row)
            for label, wkb in zip(districts.index, districts.to_crs(4549).geometry.to_wkb(),
                                  strict=True):  # fmt: skip
                conn.execute("INSERT INTO districts SELECT %(n)s, g, ST_Transform(g, 4326) "
                             "FROM ST_SetSRID(%(g)s::geometry, 4549) g",
                             {"n": label, "g": wkb})  # fmt: skip
            conn.execute("CREATE INDEX ON parcels USING gist (geom); ANALYZE parcels")
            start = time.perf_counter()
            groups = conn.execute(_OVERLAY_SQL).fetchall()
            return time.perf_counter() - start, len(groups)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Print seconds for the overlay and for the coverage."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--postgis", action="store_true")
    args = parser.parse_args()
    parcels = synthetic_parcels(args.parcels, spacing_m=70.0, radius_m=(25.0, 33.0))
    districts = load_layer("lake_districts").set_index("name_zh")
    origins = merge_origins(load_layer("consumption_scenes"), load_layer("service_districts"))

    start = time.perf_counter()
    parcels["district"] = assign_districts(parcels, districts)
    table = group_areas(parcels, ["district", "状态"])
    overlay_s = time.perf_counter() - start

    start = time.perf_counter()
    coverage, _ = circle_coverage(parcels, origins, [300.0, 500.0, 1000.0])
    coverage_s = time.perf_counter() - start

    print(f"parcels {args.parcels}: overlay on {len(districts)} districts {overlay_s:.2f} s "
          f"({len(table)} groups); 5/10/15-minute coverage {coverage_s:.2f} s "
          f"(15 min: {coverage['share_parcels'].iloc[-1]:.1%} of parcels)")  # fmt: skip
    if args.postgis:
        seconds, groups = postgis_overlay_s(parcels, districts)
        print(f"parcels {args.parcels}: the same overlay in PostGIS {seconds:.2f} s "
              f"({groups} groups)")  # fmt: skip


if __name__ == "__main__":
    main()
