"""AutoCAD drawings as a planning institute draws them, written with ezdxf for the tests.

Parcels by Jinji Lake in CGCS2000 3-degree Gauss-Krüger (EPSG:4549) metres, optionally in
millimetres or with the zone number 40 before the easting (EPSG:4528).
"""

from __future__ import annotations

import math
from pathlib import Path

import ezdxf
from pyproj import Transformer

ORIGIN = Transformer.from_crs(4326, 4549, always_xy=True).transform(120.68, 31.31)
BULGE_AREA = 100 * 100 + math.pi * 50**2 / 2  # a square with a half-circle on one side
AREAS = {"DK-01": 200 * 100, "DK-02": BULGE_AREA, "DK-03": 100 * 100 - 40 * 40, "DK-05": 80 * 80}


def draw_parcels(
    path: Path,
    *,
    mm: bool = False,
    zone: bool = False,
    version: str = "R2018",
    gbk: bool = False,
    declared: bool = True,
) -> Path:
    """A drawing with layer 地块 (closed polylines, one with a bulge, one open with a 0.3 m
    gap), 用地填充 (a hatch with a hole, and one filling DK-01 again), 文字 (number and land-use
    texts inside, one outside every parcel; DK-05 has two numbers, its block's and a text),
    道路 (open lines)."""
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = 4 if mm else 6
    if gbk:  # an older Chinese AutoCAD: $DWGCODEPAGE ANSI_936, or (declared=False) ANSI_1252
        doc.encoding = "gbk" if declared else "cp1252"
    k = 1000.0 if mm else 1.0
    x0, y0 = ORIGIN[0] + (40_000_000 if zone else 0), ORIGIN[1]

    def at(x: float, y: float) -> tuple[float, float]:
        return ((x0 + x) * k, (y0 + y) * k)

    for name in ("地块", "用地填充", "文字", "道路"):
        doc.layers.add(name)
    msp = doc.modelspace()
    closed = {"layer": "地块"}
    msp.add_lwpolyline([at(0, 0), at(200, 0), at(200, 100), at(0, 100)], close=True,
                       dxfattribs=closed)  # fmt: skip
    # DK-02: bulge 1 on the side from (400, 0) to (400, 100): a half circle out to x = 450
    pts = [(*at(300, 0), 0), (*at(400, 0), 1.0), (*at(400, 100), 0), (*at(300, 100), 0)]
    msp.add_lwpolyline(pts, format="xyb", close=True, dxfattribs=closed)
    hatch = msp.add_hatch(color=3, dxfattribs={"layer": "用地填充"})
    hatch.paths.add_polyline_path([at(600, 0), at(700, 0), at(700, 100), at(600, 100)])
    hatch.paths.add_polyline_path([at(630, 30), at(670, 30), at(670, 70), at(630, 70)])
    fill = msp.add_hatch(color=2, dxfattribs={"layer": "用地填充"})
    fill.paths.add_polyline_path([at(0, 0), at(200, 0), at(200, 100), at(0, 100)])
    # DK-04 is left open: its ends are 0.3 m apart
    msp.add_lwpolyline([at(0, 300), at(100, 300), at(100, 400), at(0, 400), at(0, 300.3)],
                       dxfattribs=closed)  # fmt: skip
    msp.add_lwpolyline([at(800, 0), at(880, 0), at(880, 80), at(800, 80)], close=True,
                       dxfattribs=closed)  # fmt: skip
    block = doc.blocks.new("地块属性")
    block.add_attdef("DKBH", (0, 0))
    msp.add_blockref("地块属性", at(840, 40), dxfattribs={"layer": "文字"}).add_auto_attribs(
        {"DKBH": "DK-05"}
    )
    texts = [("DK-01", 100, 60), ("R2", 100, 40), ("DK-02", 350, 60), ("B1", 350, 40),
             ("DK-03", 615, 50), ("G1", 685, 50), ("苏园-孤立", 1500, 500),
             ("DK-04", 50, 350), ("DK-05B", 820, 20)]  # fmt: skip
    for text, x, y in texts:
        msp.add_text(text, height=5 * k, dxfattribs={"layer": "文字"}).set_placement(
            at(x, y), align=ezdxf.enums.TextEntityAlignment.MIDDLE_CENTER
        )
    msp.add_line(at(-50, -20), at(1000, -20), dxfattribs={"layer": "道路"})
    msp.add_line(at(250, -20), at(250, 500), dxfattribs={"layer": "道路"})
    doc.saveas(path, encoding="gbk" if gbk else None)
    return path
