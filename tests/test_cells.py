"""Downloads a spreadsheet opens without running anything (issue 23, 6)."""

from __future__ import annotations

import io

import geopandas as gpd
import openpyxl
import pandas as pd
from shapely.geometry import Point

from geo.cells import inert_cells
from geo.export import export_layer
from geo.uploads.read import read_csv

HOSTILE = ['=HYPERLINK("http://192.0.2.1/x","点击")', "=1+1", "@SUM(A1:A2)", "+86 512", "-1",
           "\tx", "星湖街"]  # fmt: skip


def test_formula_like_text_is_written_inert_and_numbers_stay_numbers():
    frame = pd.DataFrame({"名称": HOSTILE, "面积": [1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0]})
    safe = inert_cells(frame)
    assert all(v[0] == "'" for v in safe["名称"][:6]) and safe["名称"].iloc[6] == "星湖街"
    assert safe["面积"].tolist() == frame["面积"].tolist()  # still numbers
    buffer = io.BytesIO()
    safe.to_excel(buffer, index=False)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, 9)]
    assert all(c.data_type != "f" for c in cells)  # no live formula in the workbook
    assert sheet.cell(row=3, column=2).value == -2.0


def test_the_csv_export_is_inert_and_reads_back_as_it_was(tmp_path):
    gdf = gpd.GeoDataFrame({"名称": HOSTILE}, geometry=[Point(120.7, 31.3)] * 7, crs=4326)
    out = tmp_path / "a.csv"
    export_layer(gdf, out)
    text = out.read_text(encoding="utf-8-sig")
    assert "\n=1+1" not in text and "'=1+1" in text
    back = read_csv(out, encoding="UTF-8")
    assert back["名称"].tolist() == HOSTILE  # the atlas reads its own export back unchanged
