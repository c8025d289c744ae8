"""Hostile but real uploads, built by the tests themselves (no binary files in the repository).

Each helper writes one kind of file a planner, a GIS department or an attacker may hand the
atlas: mixed or foreign text encodings, zips with raw (non-UTF-8) member names, zip bombs,
damaged .dbf headers, columns a GeoPackage cannot hold, far-away features, huge polygons.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
from shapely.geometry import Point, Polygon, box

__all__ = [
    "PLACES",
    "geojson_file",
    "huge_polygon",
    "mixed_encoding_shapefile",
    "padded_zip",
    "points",
    "shapefile_in",
    "squares",
    "zip_raw_names",
]

# Twenty real place names of the park; one of them will be written in another encoding.
PLACES = [
    "金鸡湖东地块", "星湖街地块", "苏州中心", "月光码头", "独墅湖图书馆", "阳澄湖半岛", "唯亭街道",
    "胜浦街道", "斜塘老街", "李公堤", "东方之门", "国际博览中心", "金鸡湖美术馆", "湖东邻里中心",
    "方洲公园", "白塘植物公园", "现代大厦", "青剑湖", "沙湖科技园", "桑田岛",
]  # fmt: skip


def squares(n: int, *, x0: float = 120.70, y0: float = 31.30, size: float = 0.002):
    """``n`` small squares (about 190 m a side) in a row east of Jinji Lake, lon/lat degrees."""
    return [box(x0 + i * 0.003, y0, x0 + i * 0.003 + size, y0 + size) for i in range(n)]


def points(n: int) -> list[Point]:
    """``n`` points in the park, lon/lat degrees (EPSG:4326)."""
    return [Point(120.70 + i * 0.004, 31.31 + (i % 3) * 0.003) for i in range(n)]


def geojson_file(path: Path, properties: list[dict], geometries: list) -> Path:
    """A GeoJSON FeatureCollection (EPSG:4326) written as UTF-8 text."""
    features = [
        {"type": "Feature", "properties": props, "geometry": geom.__geo_interface__}
        for props, geom in zip(properties, geometries, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def shapefile_in(folder: Path, gdf: gpd.GeoDataFrame, *, stem: str, encoding: str) -> list[Path]:
    """``gdf`` as a shapefile with its .dbf text in ``encoding`` and no .cpg."""
    folder.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(gdf, folder / f"{stem}.shp", encoding=encoding)
    (folder / f"{stem}.cpg").unlink(missing_ok=True)
    return sorted(folder.glob(f"{stem}.*"))


def mixed_encoding_shapefile(folder: Path, *, odd: int = 19) -> list[Path]:
    """20 parcels whose names (and the name column's own name, 名称) are UTF-8, except the
    name of record ``odd``, which a second editor saved in GBK. No .cpg."""
    marker = "Z" * len(PLACES[odd].encode("gbk"))
    names = [marker if i == odd else name for i, name in enumerate(PLACES)]
    gdf = gpd.GeoDataFrame({"名称": names}, geometry=squares(20), crs="EPSG:4326")
    parts = shapefile_in(folder, gdf, stem="地块", encoding="UTF-8")
    dbf = next(p for p in parts if p.suffix == ".dbf")
    data = dbf.read_bytes()
    assert data.count(marker.encode()) == 1
    dbf.write_bytes(data.replace(marker.encode(), PLACES[odd].encode("gbk")))
    return parts


def zip_raw_names(target: Path, members: dict[bytes, bytes]) -> Path:
    """A zip whose member names are the given raw bytes, without the UTF-8 flag (as zip tools
    on Chinese, Taiwanese or Japanese Windows write them)."""
    placeholders = {}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, (raw, data) in enumerate(members.items()):
            tail = raw.rsplit(b".", 1)[-1].decode("ascii") if b"." in raw else ""
            name = f"~{n:03d}".ljust(len(raw) - len(tail) - 1, "~") + f".{tail}"
            assert len(name.encode()) == len(raw), raw
            placeholders[name.encode("ascii")] = raw
            zf.writestr(name, data)
    blob = target.read_bytes()
    for placeholder, raw in placeholders.items():
        blob = blob.replace(placeholder, raw)
    target.write_bytes(blob)
    return target


def padded_zip(target: Path, real: dict[str, Path], *, members: int, size: int) -> Path:
    """A zip holding the ``real`` files and ``members`` files of ``size`` zero bytes each:
    tiny when compressed, huge when unpacked."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, path in real.items():
            zf.write(path, name)
        zeros = bytes(size)
        for n in range(members):
            zf.writestr(f"padding/{n:04d}.bin", zeros)
    return target


def huge_polygon(vertices: int, *, lon: float = 120.72, lat: float = 31.33) -> Polygon:
    """A ring of about 1 km radius with ``vertices`` points and a little noise, lon/lat."""
    rng = np.random.default_rng(7)
    angle = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radius = 0.01 * (1 + 0.002 * rng.standard_normal(vertices))
    return Polygon(np.column_stack([lon + radius * np.cos(angle), lat + radius * np.sin(angle)]))
