"""Every datum a Chinese planning file carries (issue 24): a parcel of known position near
苏州中心, written in each datum with its .prj, is read back where it is (and, chosen by the
planner for a file without .prj, the same)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.crs import reproject
from geo.uploads.ingest import IngestOptions, inspect_upload
from tests.hostile import shapefile_in

PARCEL = box(120.668, 31.318, 120.672, 31.321)  # WGS84, about 380 m × 330 m

DATUMS = [
    "EPSG:4326",  # WGS 84
    "EPSG:32651",  # WGS 84 / UTM zone 51N
    "EPSG:4490",  # CGCS2000
    "EPSG:4549",  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
    "EPSG:4528",  # CGCS2000 / 3-degree Gauss-Kruger zone 40 (the zone prefix)
    "EPSG:4499",  # CGCS2000 / Gauss-Kruger zone 21 (6-degree)
    "EPSG:4510",  # CGCS2000 / Gauss-Kruger CM 123E (6-degree)
    "EPSG:4214",  # Beijing 1954
    "EPSG:2437",  # Beijing 1954 / 3-degree Gauss-Kruger CM 120E
    "EPSG:2416",  # Beijing 1954 / 3-degree Gauss-Kruger zone 40
    "EPSG:21461",  # Beijing 1954 / Gauss-Kruger CM 123E
    "EPSG:4610",  # Xian 1980
    "EPSG:2385",  # Xian 1980 / 3-degree Gauss-Kruger CM 120E
    "EPSG:2364",  # Xian 1980 / 3-degree Gauss-Kruger zone 40
]


@pytest.mark.parametrize("code", DATUMS)
def test_a_parcel_in_each_datum_is_read_where_it_is(code, tmp_path):
    truth = gpd.GeoDataFrame({"名称": ["苏州中心地块"]}, geometry=[PARCEL], crs=4326)
    local = reproject(truth, code)
    parts = shapefile_in(tmp_path / "src", local, stem="地块", encoding="UTF-8")
    result = inspect_upload(parts, tmp_path / "work", IngestOptions())
    assert (result.report.crs.how, result.report.crs.name) == ("file", code)
    centre = result.gdf.to_crs(4549).geometry.iloc[0].centroid
    assert centre.distance(truth.to_crs(4549).geometry.iloc[0].centroid) < 1.0  # metres
    (tmp_path / "src" / "地块.prj").unlink()  # without its .prj: the planner chooses the datum
    parts = [p for p in parts if p.suffix != ".prj"]
    chosen = inspect_upload(parts, tmp_path / "work2", IngestOptions(crs=code))
    assert chosen.report.crs.how == "user"
    again = chosen.gdf.to_crs(4549).geometry.iloc[0].centroid
    assert again.distance(centre) < 1.0
    # how exact the conversion is, said for the older datums only
    said = " ".join(result.report.warnings) + " ".join(chosen.report.warnings_zh)
    old = {"EPSG:4214": "15 m", "EPSG:2437": "15 m", "EPSG:2416": "15 m", "EPSG:21461": "15 m",
           "EPSG:4610": "西安1980", "EPSG:2385": "西安1980", "EPSG:2364": "西安1980"}  # fmt: skip
    assert (old[code] in said) if code in old else ("1954" not in said and "1980" not in said)
