"""Life circles along streets (issue 26): how long a network's graph, its check, 100 origins'
areas at three levels, coverage, the life-circle check and a click's walk take.

Targets: 50,000 street segments and 100 origins at three levels in under 5 s; a clicked
point's three areas in under 0.3 s with the graph kept between runs.

    python bench/network_bench.py [--spacing 200] [--span 14000] [--origins 100]

The streets are a grid (``--spacing`` metres apart over ``--span`` metres, a vertex every 40 m,
each street drawn block by block, slightly wavy) near Jinji Lake in EPSG:4549; origins, parcels
and facilities are placed at random (seeded). ``--spacing 50 --span 7900`` is a worst case:
every 50 m a street, so the 100 m band of each overlaps many others.
"""

from __future__ import annotations

import argparse
import statistics
import time

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import METRIC_CRS
from geo.life_check import life_circle_check
from geo.network import build_network
from geo.network_check import check_network
from geo.service_areas import life_circles, network_areas
from geo.walking import area_coverage

X0, Y0 = 560_000.0, 3_460_000.0


def streets(spacing: float, span: float, rng) -> gpd.GeoDataFrame:
    """A grid of streets drawn block by block, a vertex every 40 m (EPSG:4549)."""
    lines = []
    for k in np.arange(0, span + 1, spacing):
        for b in np.arange(0, span, spacing):
            along = np.linspace(b, b + spacing, int(np.ceil(spacing / 40)) + 1)
            wobble = rng.normal(0, 2, len(along))
            wobble[[0, -1]] = 0
            lines.append(shapely.LineString(np.c_[X0 + k + wobble, Y0 + along]))
            lines.append(shapely.LineString(np.c_[X0 + along, Y0 + k + wobble]))
    return gpd.GeoDataFrame(geometry=lines, crs=METRIC_CRS)


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spacing", type=float, default=200.0)
    parser.add_argument("--span", type=float, default=14_000.0)
    parser.add_argument("--origins", type=int, default=100)
    parser.add_argument("--clicks", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(26)
    circles = life_circles()
    levels = list(circles.levels.values())
    lines = streets(args.spacing, args.span, rng)

    def spot(n):
        return shapely.points(X0 + rng.uniform(0, args.span, n), Y0 + rng.uniform(0, args.span, n))

    origins = spot(args.origins)
    parcels = gpd.GeoDataFrame(geometry=shapely.buffer(spot(5_000), 40, cap_style="square"),
                               crs=METRIC_CRS)  # fmt: skip
    kinds = [c["zh"] for c in circles.classes]
    facilities = gpd.GeoDataFrame({"类型": rng.choice(kinds, 300)}, geometry=spot(300),
                                  crs=METRIC_CRS)  # fmt: skip
    net, build_s = _timed(lambda: build_network(lines))
    _, check_s = _timed(lambda: check_network(net))
    merged, merged_s = _timed(lambda: network_areas(net, origins, levels, circles, each=False))
    _, each_s = _timed(lambda: network_areas(net, origins, levels, circles, each=True))
    shapes = dict(zip(merged["distance_m"], merged.geometry, strict=True))
    _, coverage_s = _timed(lambda: area_coverage(parcels, shapes))
    homes = parcels.iloc[:500]
    _, check_life_s = _timed(lambda: life_circle_check(homes, facilities, "类型", circles, net))
    clicks = [_timed(lambda p=p: network_areas(net, np.array([p]), levels, circles))[1]
              for p in spot(args.clicks)]  # fmt: skip
    print(
        f"network: {len(net.u):,} segments ({len(lines):,} lines, {net.length.sum() / 1000:,.0f}"
        f" km), {args.origins} origins, levels {levels} m, band {circles.band_m:.0f} m"
    )
    rows = [
        ("graph built (once per layer, kept between runs)", build_s),
        ("network check", check_s),
        (f"{args.origins} origins, 3 levels, one area per level", merged_s),
        (f"{args.origins} origins, 3 levels, one area per origin and level", each_s),
        ("coverage of 5,000 parcels by those 3 areas", coverage_s),
        ("life-circle check: 500 homes, 300 facilities, 12 classes", check_life_s),
        (f"a click's 3 areas, median of {args.clicks} (worst {max(clicks):.3f} s)",
         statistics.median(clicks)),
        ("target: graph + 100 origins' areas at 3 levels (one per level)", build_s + merged_s),
    ]  # fmt: skip
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
