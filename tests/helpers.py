"""Files the upload tests make themselves: shapefiles in GBK or UTF-8, zips with GBK names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
from shapely.geometry import box

# Three parcels east of Jinji Lake, in CGCS2000 GK CM 120E metres (EPSG:4549).
PARCEL_NAMES = ["星湖街东地块", "金鸡湖大道北地块", "唯亭工业坊"]


def parcels(crs: str = "EPSG:4549") -> gpd.GeoDataFrame:
    """Three parcels of 1, 2 and 3 ha with Chinese attributes."""
    cells = [
        box(568_000 + i * 400, 3_466_000, 568_100 + i * 400, 3_466_100 + i * 100) for i in range(3)
    ]
    gdf = gpd.GeoDataFrame(
        {
            "DKBH": ["A-01", "A-02", "A-03"],
            "名称": PARCEL_NAMES,
            "用地性质": ["一类工业用地", "二类工业用地", "一类工业用地"],
            "面积": [10_000.0, 20_000.0, 30_000.0],
            "状态": ["vacating", "identified", "vacated"],
        },
        geometry=cells,
        crs="EPSG:4549",
    )
    return gdf.to_crs(crs)


def write_shapefile(
    folder: Path,
    gdf: gpd.GeoDataFrame,
    *,
    stem: str = "地块",
    encoding: str = "UTF-8",
    cpg: bool = True,
    prj: bool = True,
    ldid: int | None = None,
) -> list[Path]:
    """Write ``gdf`` as a shapefile whose .dbf text is in ``encoding``; return its parts.

    ``cpg``/``prj`` False remove those files; ``ldid`` sets the .dbf language-driver byte.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shp = folder / f"{stem}.shp"
    pyogrio.write_dataframe(gdf, shp, encoding=encoding)
    if not cpg:
        (folder / f"{stem}.cpg").unlink(missing_ok=True)
    if not prj:
        (folder / f"{stem}.prj").unlink(missing_ok=True)
    if ldid is not None:
        dbf = folder / f"{stem}.dbf"
        data = bytearray(dbf.read_bytes())
        data[29] = ldid
        dbf.write_bytes(bytes(data))
    return sorted(folder.glob(f"{stem}.*"))


def zip_files(target: Path, members: dict[str, Path], *, gbk_names: bool = False) -> Path:
    """Zip ``members`` (name in the zip -> file). With ``gbk_names`` the names are written as
    GBK bytes without the UTF-8 flag, as Chinese Windows zip tools do."""
    placeholders = {}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, (name, path) in enumerate(members.items()):
            arcname = name
            if gbk_names:
                raw = name.encode("gbk")
                arcname = f"~{n:03d}".ljust(len(raw), "~")
                placeholders[arcname.encode("ascii")] = raw
            zf.write(path, arcname)
    if gbk_names:
        data = target.read_bytes()
        for placeholder, raw in placeholders.items():
            data = data.replace(placeholder, raw)
        target.write_bytes(data)
    return target


def store_env(store) -> dict[str, str]:
    """The environment that points ``sip-atlas`` at ``store`` (a folder or PostGIS workspace)."""
    import os

    from geo.pgstore import PostgisWorkspace

    if isinstance(store, PostgisWorkspace):
        return {**os.environ, "SIP_ATLAS_DATABASE_URL": store.location}
    return {**os.environ, "SIP_ATLAS_DATABASE_URL": "", "SIP_ATLAS_WORKSPACE": store.location}
