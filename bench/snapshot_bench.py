"""Benchmark: an A4 PNG at 300 dpi of all base layers plus 10,000 parcels.

Usage: ``python bench/snapshot_bench.py [--parcels 10000]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.make_parcels import synthetic_parcels
from layers.catalog import load_base_layers
from layers.registry import layer_spec
from layers.snapshot import write_snapshot


def main() -> None:
    """Print seconds to draw and save the PNG, and its size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=10_000)
    args = parser.parse_args()
    parcels = synthetic_parcels(args.parcels, spacing_m=200.0, radius_m=(50.0, 80.0))
    parcels = parcels.rename(columns={"状态": "status"}).to_crs("EPSG:4326")
    spec = replace(layer_spec("land_reuse_parcels"), id="bench_parcels")
    layers = [*load_base_layers(), (spec, parcels)]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "a4.png"
        start = time.perf_counter()
        info = write_snapshot(layers, out, title="苏州工业园区 基准测试", tiles=False)
        seconds = time.perf_counter() - start
        size = out.stat().st_size
    print(f"A4 {info['width_px']}x{info['height_px']} px at {info['dpi']} dpi with "
          f"{args.parcels} parcels: {seconds:.2f} s, {size / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
