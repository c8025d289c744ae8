"""Benchmark: ingest zipped GBK shapefiles of 10,000 and 100,000 parcels (20 vertices each).

Each size runs ``sip-atlas ingest`` in a fresh process, the way GIS staff run it, and reports
wall seconds and the process's peak resident memory. Usage:
``python bench/ingest_bench.py [--sizes 10000 100000]``
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pyogrio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.make_parcels import synthetic_parcels


def make_zip(n: int, folder: Path) -> Path:
    """A zipped GBK shapefile of ``n`` synthetic parcels, without .cpg, under ``folder``."""
    shp = folder / "地块.shp"
    pyogrio.write_dataframe(synthetic_parcels(n), shp, encoding="GBK")
    (folder / "地块.cpg").unlink(missing_ok=True)
    archive = folder / f"parcels-{n}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(folder.glob("地块.*")):
            zf.write(part, part.name)
    return archive


def run(n: int) -> tuple[float, float]:
    """(seconds, peak MiB) of one ``sip-atlas ingest`` of ``n`` parcels."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = make_zip(n, Path(tmp))
        env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(Path(tmp) / "ws")}
        exe = Path(sys.executable).with_name("sip-atlas")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run([exe, "ingest", str(archive), "--json"], check=True, env=env,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main() -> None:
    """Print one line per size: parcels, seconds, peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print("parcels  seconds  peak_MiB")
    for n in args.sizes:
        seconds, peak = run(n)
        print(f"{n:>7}  {seconds:7.2f}  {peak:8.0f}")


if __name__ == "__main__":
    main()
