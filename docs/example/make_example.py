"""Write the worked example's file, ``示例地块.zip``: six illustrative parcels by Dushu Lake
(独墅湖), drawn by this script, not real parcels, as an older desktop GIS exports them: a
shapefile whose text is GBK with no .cpg and no .prj, in CGCS2000 3-degree Gauss-Krüger CM 120E
metres (EPSG:4549), zipped with its names in GBK as Chinese Windows zip tools write them.

    .venv/bin/python docs/example/make_example.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import geopandas as gpd
from pyproj import Transformer
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.helpers import write_shapefile, zip_files  # noqa: E402

OUT = Path(__file__).with_name("示例地块.zip")
# the south-west corner of the block, west of Dushu Lake (lon, lat)
CORNER = Transformer.from_crs(4326, 4549, always_xy=True).transform(120.708, 31.262)


def parcels() -> gpd.GeoDataFrame:
    """Six parcels of 2-6 ha in two rows along a street, with their number, name, land use,
    declared area in mu (亩, as planning tables give it) and status."""
    x0, y0 = CORNER
    sizes = [(180, 150), (220, 150), (200, 150), (160, 200), (240, 200), (280, 200)]
    shapes, x = [], x0
    for n, (w, h) in enumerate(sizes):
        row = n // 3
        if n == 3:
            x = x0
        y = y0 + row * 230
        shapes.append(box(x, y, x + w, y + h))
        x += w + 30
    return gpd.GeoDataFrame(
        {
            "DKBH": [f"DS-0{n}" for n in range(1, 7)],
            "地块名称": ["独墅湖西一号地块", "独墅湖西二号地块", "独墅湖西三号地块",
                     "仁爱路北一号地块", "仁爱路北二号地块", "仁爱路北三号地块"],
            "用地性质": ["M1", "M1", "B2", "M1", "B1", "G1"],
            "面积亩": [round(s.area / 666.667, 1) for s in shapes],
            "状态": ["identified", "vacating", "vacated", "identified", "redeveloping",
                   "completed"],
        },
        geometry=shapes,
        crs="EPSG:4549",
    )  # fmt: skip


def main() -> None:
    """Write ``示例地块.zip`` beside this script."""
    with tempfile.TemporaryDirectory() as tmp:
        parts = write_shapefile(Path(tmp), parcels(), stem="示例地块", encoding="GBK",
                                cpg=False, prj=False)  # fmt: skip
        zip_files(OUT, {f"示例地块/{p.name}": p for p in parts}, gbk_names=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
