"""Benchmark: overlay of 100,000 parcels on the lake districts, and their 15-minute coverage.

Parcels are 20-vertex polygons of about 0.3 ha on a 70 m grid over the park (EPSG:4549); the
districts and the circles' origins (consumption scenes and service districts) are the base
layers. Usage: ``python bench/analysis_bench.py [--parcels 100000]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.make_parcels import synthetic_parcels
from geo.analysis import assign_districts, group_areas
from geo.walking import circle_coverage, merge_origins
from layers.load import load_layer


def main() -> None:
    """Print seconds for the overlay and for the coverage."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=100_000)
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


if __name__ == "__main__":
    main()
