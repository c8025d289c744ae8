"""Benchmark: ingest zipped GBK shapefiles of 10,000 and 100,000 parcels (20 vertices each),
or the same parcels as one GeoJSON file (``--geojson``: 130,000 parcels make about 150 MiB).

Each size runs ``sip-atlas ingest`` in a fresh process, the way GIS staff run it, and reports
the seconds until it reports (the layer saved), until it returns (a layer of 50,000 features
or more also gets its vector tiles), and the process's peak resident memory. Usage:
``python bench/ingest_bench.py [--sizes 10000 100000] [--geojson]``
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


def make_geojson(n: int, folder: Path) -> Path:
    """``n`` synthetic parcels as one GeoJSON file (EPSG:4326) under ``folder``."""
    path = folder / f"parcels-{n}.geojson"
    pyogrio.write_dataframe(synthetic_parcels(n).to_crs(4326), path, driver="GeoJSON")
    return path


def run(n: int, geojson: bool = False) -> tuple[float, float, float, float]:
    """(MiB of the file, seconds to the report, seconds to the end, peak MiB) of one
    ``sip-atlas ingest`` of ``n`` parcels."""
    with tempfile.TemporaryDirectory() as tmp:
        upload = make_geojson(n, Path(tmp)) if geojson else make_zip(n, Path(tmp))
        env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(Path(tmp) / "ws"),
               "SIP_ATLAS_DATABASE_URL": ""}  # fmt: skip
        exe = Path(sys.executable).with_name("sip-atlas")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        reported = None
        with subprocess.Popen([exe, "ingest", str(upload)], env=env, text=True,
                              stdout=subprocess.PIPE) as proc:  # fmt: skip
            for line in proc.stdout:
                if line.startswith("saved ") and reported is None:
                    reported = time.perf_counter() - start
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        size = upload.stat().st_size / 1024 / 1024 if upload.exists() else 0.0
    return size, reported or seconds, seconds, max(peak, before) / 1024


def main() -> None:
    """Print one line per size: parcels, file MiB, seconds to the report and to the end,
    peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--geojson", action="store_true", help="one GeoJSON file, not a zip")
    args = parser.parse_args()
    print("parcels  file_MiB  report_s  total_s  peak_MiB")
    for n in args.sizes:
        size, reported, seconds, peak = run(n, args.geojson)
        print(f"{n:>7}  {size:8.1f}  {reported:8.2f}  {seconds:7.2f}  {peak:8.0f}")


if __name__ == "__main__":
    main()
