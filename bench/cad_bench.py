"""AutoCAD drawings and QGIS projects (issue 27): how long a planning institute's drawing
takes to list and read, and the atlas' exports for AutoCAD and QGIS take to write.

Targets: a 5,000-parcel drawing (closed polylines, a bulge on every tenth, a number and a
land-use code inside each, a hatch on every fifth) listed and read into a layer in under 10 s;
the same parcels written as DXF in under 5 s; a QGIS project of the atlas' base layers in
under 2 s.

    python bench/cad_bench.py [--parcels 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import ezdxf

from geo.export import export_layer
from geo.uploads.dxf import cad_layers
from geo.uploads.ingest import IngestOptions, inspect_upload
from layers.catalog import load_base_layers
from layers.qgis_project import write_qgis_project
from layers.qgis_style import export_style
from layers.uploads import upload_spec

X0, Y0 = 560_000.0, 3_460_000.0


def drawing(path: Path, parcels: int) -> Path:
    """Parcels of 80 x 60 m on a 100 m grid, in EPSG:4549 metres."""
    doc = ezdxf.new("R2018")
    msp = doc.modelspace()
    side = int(parcels**0.5) + 1
    for n in range(parcels):
        x, y = X0 + (n % side) * 100, Y0 + (n // side) * 100
        bulge = 0.3 if n % 10 == 0 else 0.0
        outline = [(x, y, 0), (x + 80, y, bulge), (x + 80, y + 60, 0), (x, y + 60, 0)]
        msp.add_lwpolyline(outline, format="xyb", close=True, dxfattribs={"layer": "地块"})
        msp.add_text(f"DK-{n:05d}", height=4, dxfattribs={"layer": "编号"}).set_placement(
            (x + 40, y + 35)
        )
        msp.add_text(("R2", "B1", "M1", "G1")[n % 4], height=4,
                     dxfattribs={"layer": "用地"}).set_placement((x + 40, y + 20))  # fmt: skip
        if n % 5 == 0:
            hatch = msp.add_hatch(dxfattribs={"layer": "填充"})
            hatch.paths.add_polyline_path(outline)  # the parcel filled: the same outline
    doc.saveas(path)
    return path


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = drawing(Path(tmp) / "parcels.dxf", args.parcels)
        size = path.stat().st_size / 1024 / 1024
        started = time.perf_counter()
        layers = cad_layers(path)
        listed = time.perf_counter() - started
        result = inspect_upload([path], Path(tmp) / "w", IngestOptions())
        read = time.perf_counter() - started
        kept = len(result.gdf)
        print(f"drawing of {args.parcels:,} parcels ({size:.1f} MB): layers listed in "
              f"{listed:.2f} s ({len(layers)} layers); read in {read:.2f} s in all "
              f"({kept:,} parcels, {result.report.cad['texts']['inside']:,} texts placed, "
              f"{result.report.cad['hatches_merged']:,} hatches merged)")  # fmt: skip
        spec = upload_spec({"id": "bench", "name": "bench", "mapping": result.report.mapping,
                            "geometry_type": "Polygon"}, 0, list(result.gdf.columns))  # fmt: skip
        started = time.perf_counter()
        export_layer(result.gdf, Path(tmp) / "out.dxf", name="bench",
                     style=export_style(spec, result.gdf, "zh"))  # fmt: skip
        print(f"the {kept:,} parcels written as DXF in {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        export_layer(result.gdf, Path(tmp) / "out.gpkg", name="bench",
                     style=export_style(spec, result.gdf, "zh"))  # fmt: skip
        print(f"... as a styled GeoPackage in {time.perf_counter() - started:.2f} s")
        base = load_base_layers()
        started = time.perf_counter()
        write_qgis_project(base, Path(tmp) / "qgis")
        print(f"QGIS project of the {len(base)} base layers in "
              f"{time.perf_counter() - started:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
