"""Benchmark: what hostile uploads cost before they are refused or drawn (issue 11).

Each case runs ``sip-atlas ingest`` in a fresh process, the way GIS staff run it, and reports
the outcome (exit status), wall seconds, the process's peak resident memory and what was left
in the temporary folder. Cases:

- ``bomb``: a zip of a real shapefile and 200 members of 10 MiB of zeros (2,000 MiB unpacked,
  about 2 MB packed), which earlier passed the per-member ratio check and unpacked whole;
- ``big-geojson``: a zip holding a GeoJSON of about 400 MiB (random coordinates, so it packs only
  a few times), over the 200 MiB limit once unpacked;
- ``huge-polygon``: one polygon of 5,000,000 vertices in a GeoPackage: ingested, then the map
  page built for it (its size in MB).

Usage: ``python bench/hostile_bench.py [--cases bomb big-geojson huge-polygon]``
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

import geopandas as gpd
import numpy as np
from shapely.geometry import Polygon, box

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MIB = 1024 * 1024
EXE = Path(sys.executable).with_name("sip-atlas")


def _bomb(folder: Path) -> Path:
    parts = folder / "src"
    parts.mkdir()
    gpd.GeoDataFrame({"n": [1]}, geometry=[box(120.70, 31.30, 120.71, 31.31)],
                     crs="EPSG:4326").to_file(parts / "p.shp")  # fmt: skip
    archive = folder / "bomb.zip"
    zeros = bytes(10 * MIB)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in parts.iterdir():
            zf.write(part, part.name)
        for n in range(200):
            zf.writestr(f"pad/{n:03d}.bin", zeros)
    return archive


def _big_geojson(folder: Path) -> Path:
    path = folder / "big.geojson"
    rng = np.random.default_rng(1)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[')
        first = True
        while out.tell() < 400 * MIB:
            xy = rng.uniform([120.6, 31.2], [120.9, 31.5], size=(2000, 2))
            for x, y in xy:
                out.write(
                    ("" if first else ",") + '{"type":"Feature","properties":{"n":1},'
                    f'"geometry":{{"type":"Point","coordinates":[{x:.9f},{y:.9f}]}}}}'
                )
                first = False
        out.write("]}")
    archive = folder / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, path.name)
    path.unlink()
    return archive


def _huge_polygon(folder: Path) -> Path:
    n = 5_000_000
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    radius = 0.01 * (1 + 0.002 * np.random.default_rng(7).standard_normal(n))
    ring = np.column_stack([120.72 + radius * np.cos(angle), 31.33 + radius * np.sin(angle)])
    path = folder / "huge.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[Polygon(ring)], crs="EPSG:4326").to_file(path)
    return path


CASES = {"bomb": _bomb, "big-geojson": _big_geojson, "huge-polygon": _huge_polygon}


def _left(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run(case: str) -> dict:
    """Outcome, seconds, peak MiB and MiB left in the temporary folder for one case."""
    with tempfile.TemporaryDirectory() as tmp:
        upload = CASES[case](Path(tmp))
        scratch = Path(tmp) / "scratch"
        scratch.mkdir()
        env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(Path(tmp) / "ws"), "TMPDIR": str(scratch)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run([EXE, "ingest", str(upload), "--name", case], env=env,
                              capture_output=True, text=True)  # fmt: skip
        seconds = time.perf_counter() - start
        peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        said = (done.stderr or done.stdout).strip().splitlines()[0][:100]
        result = {"case": case, "packed_MiB": upload.stat().st_size / MIB, "exit": done.returncode,
                  "seconds": seconds, "peak_MiB": peak, "left_MiB": _left(scratch) / MIB,
                  "message": said}  # fmt: skip
        if case == "huge-polygon" and done.returncode == 0:
            result["page_MB"] = _page_mb(Path(tmp) / "ws")
    return result


def _page_mb(workspace: Path) -> float:
    from geo.workspace import Workspace
    from layers.folium_map import build_map
    from layers.uploads import load_uploaded_layers

    layers = load_uploaded_layers(Workspace(workspace))
    page = build_map(layers, lang="zh", basemap_id="none").get_root().render()
    return len(page.encode()) / 1e6


def main() -> None:
    """Print one line per case."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=list(CASES))
    args = parser.parse_args()
    for case in args.cases:
        r = run(case)
        page = f"  page {r['page_MB']:.1f} MB" if "page_MB" in r else ""
        print(f"{r['case']:<13} packed {r['packed_MiB']:7.1f} MiB  exit {r['exit']}  "
              f"{r['seconds']:6.1f} s  peak {r['peak_MiB']:6.0f} MiB  left in temp "
              f"{r['left_MiB']:.0f} MiB{page}\n    {r['message']}")  # fmt: skip


if __name__ == "__main__":
    main()
