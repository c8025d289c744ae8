"""Place an upload on the earth: decide its CRS, bring it to WGS84, and check where it lands,
feature by feature."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
from pyproj import CRS
from pyproj.exceptions import CRSError, ProjError

from geo.crs import SUZHOU_BOX_WGS84, UTM_51N, WGS84, CrsGuess, guess_crs_from_bounds, to_wgs84
from geo.errors import IngestError
from geo.gcj02 import bd09_to_wgs84, gcj02_to_wgs84, shift_gdf
from geo.uploads.report import Change, CrsInfo, Warnings

__all__ = [
    "check_location",
    "datum_hint",
    "decide_crs",
    "drop_out_of_range",
    "warn_datum_hint",
    "warn_old_datum",
]

_DATUMS = {"gcj02": ("GCJ-02", gcj02_to_wgs84), "bd09": ("BD-09", bd09_to_wgs84)}
_WIDE_DEG = 1.0  # a parcel spanning more than a degree (about 100 km) is not a parcel
_LISTED = 10  # feature numbers named in one warning


# Words in a file's or folder's name, or its .prj, that say the coordinates came from a Chinese
# web map (lower case; BD-09 first: its words are the more specific).
_DATUM_WORDS = {
    "bd09": ("bd09", "bd-09", "bd_09", "百度", "baidu"),
    "gcj02": ("gcj", "高德", "amap", "gaode", "腾讯", "tencent", "火星"),
}


def datum_hint(texts: Iterable[str]) -> str:
    """'gcj02' or 'bd09' when any of ``texts`` (file and folder names, .prj text) names that
    datum or a map that uses it (高德 / Gaode / AMap, 腾讯 / Tencent: GCJ-02; 百度 / Baidu:
    BD-09); else ''."""
    said = " ".join(texts).lower()
    return next((d for d, words in _DATUM_WORDS.items() if any(w in said for w in words)), "")


def warn_datum_hint(info: CrsInfo, warnings: Warnings) -> None:
    """Say so when the names suggest a web-map datum but the coordinates were read as plain
    lon/lat: such data lies about 460 m off in Suzhou until converted."""
    if not info.hint or info.datum or info.name not in ("EPSG:4326", "EPSG:4490"):
        return
    if info.hint == "gcj02":
        warnings.add(
            "The file's name suggests coordinates traced on Gaode/AMap or Tencent maps "
            "(GCJ-02): read as plain lon/lat they lie about 460 m off. If so, choose "
            "'Traced on Gaode / Tencent map' as where the data came from.",
            "文件或文件夹名称显示数据可能来自高德或腾讯地图（GCJ-02 坐标）：按普通经纬度读取会"
            "偏移约 460 米。如是，请在“数据来源”中选择“在高德/腾讯地图上描绘或取点”。",
        )
    else:
        warnings.add(
            "The file's name suggests coordinates from Baidu maps (BD-09): read as plain "
            "lon/lat they lie about 1 km off. If so, choose 'Traced on Baidu map'.",
            "文件或文件夹名称显示数据可能来自百度地图（BD-09 坐标）：按普通经纬度读取会偏移约"
            " 1 公里。如是，请在“数据来源”中选择“在百度地图上描绘或取点”。",
        )


def warn_old_datum(info: CrsInfo, warnings: Warnings) -> None:
    """Say how exact the conversion from an older Chinese datum (Beijing 1954, Xi'an 1980) to
    WGS84 is: PROJ publishes a 7-parameter shift for Beijing 1954 (about 15 m over Suzhou)
    and none for Xi'an 1980 (taken over unshifted)."""
    from pyproj import CRS

    try:
        datum = CRS.from_user_input(info.name).geodetic_crs.datum.name
    except Exception:  # a CRS PROJ cannot describe was refused before this
        return
    if datum == "Beijing 1954":
        warnings.add(
            "Converted from Beijing 1954 with the 7-parameter shift PROJ publishes for China "
            "(about 15 m over Suzhou): right for planning maps, not for surveyed boundaries "
            "(convert those with the institute's parameters to CGCS2000 first).",
            "已按 PROJ 公布的七参数从北京1954坐标系转换（苏州一带精度约 15 米）：用于规划图可以，"
            "测绘级边界请先用本单位的转换参数转为 CGCS2000 再上传。",
        )
    elif datum == "Xian 1980":
        warnings.add(
            "Xi'an 1980 has no published shift to WGS84: positions are taken over unshifted, "
            "which can be tens of metres off. Check the parcels against the basemap; for exact "
            "positions convert with the institute's parameters to CGCS2000 first.",
            "西安1980坐标系没有公开的转换参数：位置按未偏移处理，可能相差数十米。请对照底图检查；"
            "需要准确位置时，请先用本单位的转换参数（七参数）转为 CGCS2000 再上传。",
        )


def _looks_lonlat(bounds: np.ndarray) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    try:
        return to_wgs84(gdf)
    except (ProjError, CRSError, ValueError) as exc:
        raise IngestError(
            f"The coordinates cannot be converted from {gdf.crs.name} to WGS84 ({exc}). "
            "The .prj may be damaged: choose the CRS (--crs EPSG:N).",
            f"无法将坐标从 {gdf.crs.name} 转换为 WGS84（{exc}）。"
            ".prj 文件可能已损坏，请指定坐标系。",
        ) from exc


def _chosen(gdf: gpd.GeoDataFrame, choice: str) -> tuple[gpd.GeoDataFrame, CrsInfo]:
    """The planner's choice: a datum shift (GCJ-02, BD-09) or any CRS pyproj knows."""
    key = choice.strip().lower()
    if key in _DATUMS:
        label, to_wgs = _DATUMS[key]
        if not _looks_lonlat(gdf.total_bounds):
            raise IngestError(
                f"{label} coordinates are lon/lat degrees, but these are not. Choose another CRS.",
                f"{label} 坐标应为经纬度，但该数据不是。请选择其他坐标系。",
            )
        out = shift_gdf(gdf.set_crs(WGS84, allow_override=True), to_wgs)
        return out, CrsInfo("EPSG:4326", "user", f"{label} lon/lat converted to WGS84", key)
    try:
        crs = CRS.from_user_input(choice)
    except CRSError as exc:
        raise IngestError(
            f"Unknown CRS {choice!r}. Use auto, EPSG:4326, EPSG:4490, EPSG:4549, "
            "EPSG:4528, gcj02 or bd09.",
            f"未知坐标系 {choice!r}。可用：auto、EPSG:4326、EPSG:4490、EPSG:4549、EPSG:4528、"
            "gcj02、bd09。",
        ) from exc
    info = CrsInfo(crs.to_string(), "user", f"chosen: {choice}")
    return _to_wgs84(gdf.set_crs(crs, allow_override=True)), info


def _refuse_unknown(bounds: np.ndarray) -> IngestError:
    swapped = guess_crs_from_bounds(bounds[1], bounds[0], bounds[3], bounds[2])
    hint_en = (
        " The axes look swapped (lat/lon instead of lon/lat): fix the export." if swapped else ""
    )
    hint_zh = "坐标轴疑似颠倒（纬度在前）：请修正导出设置。" if swapped else ""
    return IngestError(
        "The file does not say its coordinate system and its coordinates fit none the atlas "
        f"knows (bounds {np.round(bounds, 2).tolist()}). Choose one (--crs EPSG:N).{hint_en}",
        f"文件未说明坐标系，且坐标不符合已知坐标系（范围 {np.round(bounds, 2).tolist()}）。"
        f"请指定坐标系。{hint_zh}",
    )


def _majority_guess(gdf: gpd.GeoDataFrame, warnings: Warnings, sample: int = 400
                    ) -> CrsGuess | None:  # fmt: skip
    """Where the whole file's bounds fit no CRS, the CRS most of its features fit (a sample of
    ``sample``), if more than half do; the features that do not fit are named."""
    bounds = gdf.geometry.bounds.dropna()
    picked = bounds.iloc[np.linspace(0, len(bounds) - 1, min(sample, len(bounds))).astype(int)]
    guesses = [guess_crs_from_bounds(*row) for row in picked.to_numpy()]
    crs = [g.crs if g else None for g in guesses]
    best = max(set(crs) - {None}, key=crs.count, default=None)
    if best is None or crs.count(best) * 2 <= len(crs):
        return None
    misfit = [i for i, c in zip(picked.index, crs, strict=True) if c != best]
    rows = gdf.loc[misfit, "_row"].to_numpy() if "_row" in gdf else np.asarray(misfit)
    en, zh = _named(rows)
    warnings.add(
        f"{len(crs) - len(misfit)} of {len(crs)} features fit {best}; {en} do not (far away or "
        "mistyped coordinates): check them, or choose the CRS.",
        f"{len(crs)} 个要素中有 {len(crs) - len(misfit)} 个符合 {best}；{zh}不符合（位置很远或坐标"
        "输错）：请检查，或指定坐标系。",
    )
    return next(g for g in guesses if g and g.crs == best)


def _warn_guess(guess: CrsGuess, warnings: Warnings) -> None:
    if guess.crs == UTM_51N or guess.alternatives:
        others = ", ".join(guess.alternatives) or "EPSG:4549"
        warnings.add(
            f"The CRS was guessed from where the numbers fall: {guess.crs} "
            f"({'UTM zone 51N' if guess.crs == UTM_51N else guess.reason}). They would also "
            f"fit {others}; if the parcels are misplaced, choose the CRS (--crs EPSG:N).",
            f"坐标系根据坐标数值推断为 {guess.crs}"
            f"{'（UTM 51N 带）' if guess.crs == UTM_51N else ''}。"
            f"这些数值也符合 {others}；如位置不对，请指定坐标系。",
        )


def decide_crs(
    gdf: gpd.GeoDataFrame, choice: str, warnings: Warnings
) -> tuple[gpd.GeoDataFrame, CrsInfo]:
    """``gdf`` in EPSG:4326 and how its CRS was decided: the planner's ``choice`` ('auto',
    'EPSG:N', 'gcj02', 'bd09'), else the file's CRS, else a guess from the coordinates."""
    if choice.strip().lower() != "auto":
        return _chosen(gdf, choice)
    bounds = gdf.total_bounds
    if gdf.crs is not None and not (gdf.crs.is_geographic and not _looks_lonlat(bounds)):
        epsg = gdf.crs.to_epsg(min_confidence=70)
        name = f"EPSG:{epsg}" if epsg else gdf.crs.name
        return _to_wgs84(gdf), CrsInfo(name, "file", f"the file says {gdf.crs.name}")
    guess = guess_crs_from_bounds(*bounds) or _majority_guess(gdf, warnings)
    if guess is None:
        raise _refuse_unknown(bounds)
    if gdf.crs is not None:
        warnings.add(
            f"The file says {gdf.crs.name} but its coordinates are not lon/lat.",
            f"文件声明坐标系为 {gdf.crs.name}，但坐标并非经纬度。",
        )
    _warn_guess(guess, warnings)
    info = CrsInfo(guess.crs, "guessed", guess.reason)
    return _to_wgs84(gdf.set_crs(guess.crs, allow_override=True)), info


def drop_out_of_range(gdf: gpd.GeoDataFrame, changes: list[Change]) -> gpd.GeoDataFrame:
    """``gdf`` (EPSG:4326) without features outside lon/lat range, each dropped one noted
    by its row in the file (column ``_row``)."""
    b = gdf.geometry.bounds
    bad = ~((b.minx >= -180) & (b.maxx <= 180) & (b.miny >= -90) & (b.maxy <= 90))
    rows = gdf["_row"].to_numpy()[bad.to_numpy()]
    changes += [Change(int(r), "dropped: coordinates out of lon/lat range") for r in rows]
    return gdf[~bad.to_numpy()]


def _named(rows: np.ndarray) -> tuple[str, str]:
    listed = ", ".join(str(int(r)) for r in rows[:_LISTED])
    more = f" and {len(rows) - _LISTED} more" if len(rows) > _LISTED else ""
    more_zh = f" 等 {len(rows)} 个" if len(rows) > _LISTED else ""
    word = "feature" if len(rows) == 1 else "features"
    return f"{word} {listed}{more}", f"要素 {listed}{more_zh}"


def check_location(gdf: gpd.GeoDataFrame, warnings: Warnings) -> None:
    """Warn, naming the features (rows in the file, column ``_row``), when ``gdf`` (EPSG:4326)
    lies outside Suzhou, when some features lie far from the rest, or when one spans more
    than a degree (as a polygon across the antimeridian does)."""
    x0, y0, x1, y1 = SUZHOU_BOX_WGS84
    b = gdf.geometry.bounds
    rows = gdf["_row"].to_numpy()
    cx, cy = ((b.minx + b.maxx) / 2).to_numpy(), ((b.miny + b.maxy) / 2).to_numpy()
    inside = (cx >= x0) & (cx <= x1) & (cy >= y0) & (cy <= y1)
    wide = ((b.maxx - b.minx) > _WIDE_DEG).to_numpy() | ((b.maxy - b.miny) > _WIDE_DEG).to_numpy()
    if wide.any():
        en, zh = _named(rows[wide])
        warnings.add(
            f"{en} spans more than {_WIDE_DEG:.0f}° (over 100 km; a polygon drawn across the "
            "antimeridian does this): check its coordinates.",
            f"{zh} 跨度超过 {_WIDE_DEG:.0f}°（100 公里以上，跨越 180° 经线的多边形即如此），"
            "请检查其坐标。",
        )
    if inside.any() and not inside.all():
        en, zh = _named(rows[~inside])
        warnings.add(
            f"{en} lie far from the rest, outside Suzhou: check their coordinates.",
            f"{zh} 远离其他要素、位于苏州范围以外，请检查其坐标。",
        )
    if inside.any():
        return
    minx, miny, maxx, maxy = gdf.total_bounds
    swapped = x0 <= miny <= x1 and y0 <= minx <= y1
    hint_en = " The axes look swapped (lat/lon instead of lon/lat)." if swapped else ""
    hint_zh = "坐标轴疑似颠倒。" if swapped else ""
    warnings.add(
        f"The data lies outside Suzhou (lon {minx:.3f}-{maxx:.3f}, lat {miny:.3f}-{maxy:.3f})."
        f"{hint_en} Check the CRS, the Gauss-Kruger zone or the axis order.",
        f"数据不在苏州范围内（经度 {minx:.3f}-{maxx:.3f}，纬度 {miny:.3f}-{maxy:.3f}）。"
        f"{hint_zh}请检查坐标系、高斯-克吕格分带或坐标轴顺序。",
    )
