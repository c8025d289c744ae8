"""Interface text of the upload panel and the map's preview of an upload, in Chinese and
English (merged into ``layers.i18n``; looked up with ``t``)."""

from __future__ import annotations

__all__ = ["UPLOAD_TEXT"]

UPLOAD_TEXT: dict[str, dict[str, str]] = {
    "cad_layers": {"zh": "图纸中要读取的图层", "en": "Drawing layers to read"},
    "cad_layers_help": {
        "zh": "地块的闭合多段线或填充所在的图层（如 地块、用地红线）；其他图层中的文字也会按位置"
        "写入所在地块。",
        "en": "The layers holding the parcels' closed polylines or hatches (e.g. 地块, 用地红线); "
        "texts on any layer are written into the parcel they lie in.",
    },
    "cad_pick": {
        "zh": "请至少选择一个图层。",
        "en": "Pick at least one layer.",
    },
    "cad_gap": {"zh": "闭合缺口不超过（米）", "en": "Close gaps up to (m)"},
    "cad_gap_help": {
        "zh": "首尾相距不超过此距离的未闭合多段线按地块读取；0 表示不闭合（只报告）。",
        "en": "Open polylines whose ends are at most this far apart are read as parcels; 0 "
        "leaves them open (reported only).",
    },
    "cad_found": {
        "zh": "图纸单位：{unit}；{inside} 个文字写入所在地块{merged}。",
        "en": "Drawing unit: {unit}; {inside} texts written into the parcel they lie in{merged}.",
    },
    "cad_merged": {
        "zh": "；{n} 个填充与多段线地块重合，只保留一次",
        "en": "; hatches filling a parcel drawn as a polyline too, kept once: {n}",
    },
    "upload_crs": {"zh": "数据从哪里来（坐标系）", "en": "Where the data came from (CRS)"},
    # Where the coordinates came from, in the words planners use; the CRS in brackets.
    "crs_choice_auto": {"zh": "自动判断（按文件与坐标）", "en": "Decide from the file"},
    "crs_choice_EPSG:4326": {
        "zh": "GPS、奥维、谷歌地球的经纬度（WGS84）",
        "en": "GPS, Google Earth lon/lat (WGS84)",
    },
    "crs_choice_EPSG:4490": {
        "zh": "测绘成果，经纬度（CGCS2000）",
        "en": "Surveyed, lon/lat (CGCS2000)",
    },
    "crs_choice_EPSG:4549": {
        "zh": "测绘成果，平面坐标（CGCS2000 高斯投影 120°E，米）",
        "en": "Surveyed, metres (CGCS2000 Gauss-Krüger 120°E, EPSG:4549)",
    },
    "crs_choice_EPSG:4528": {
        "zh": "测绘成果，带号平面坐标（CGCS2000 3度带第40带，米）",
        "en": "Surveyed, metres with zone number 40 (CGCS2000, EPSG:4528)",
    },
    "crs_choice_gcj02": {
        "zh": "在高德或腾讯地图上描绘或取点（GCJ-02）",
        "en": "Traced on Gaode / Tencent map (GCJ-02)",
    },
    "crs_choice_bd09": {
        "zh": "在百度地图上描绘或取点（BD-09）",
        "en": "Traced on Baidu map (BD-09)",
    },
    "crs_choice_EPSG:2437": {
        "zh": "旧成果，北京1954 平面坐标（3度带 120°E，米）",
        "en": "Older data, Beijing 1954 metres (3-degree, 120°E, EPSG:2437)",
    },
    "crs_choice_EPSG:2416": {
        "zh": "旧成果，北京1954 带号平面坐标（3度带第40带，米）",
        "en": "Older data, Beijing 1954 metres with zone number 40 (EPSG:2416)",
    },
    "crs_choice_EPSG:2385": {
        "zh": "旧成果，西安1980 平面坐标（3度带 120°E，米）",
        "en": "Older data, Xi'an 1980 metres (3-degree, 120°E, EPSG:2385)",
    },
    "crs_choice_EPSG:2364": {
        "zh": "旧成果，西安1980 带号平面坐标（3度带第40带，米）",
        "en": "Older data, Xi'an 1980 metres with zone number 40 (EPSG:2364)",
    },
    "crs_choice_EPSG:32651": {
        "zh": "GPS 测量的 UTM 平面坐标（WGS84 UTM 51N，米）",
        "en": "GPS survey in UTM metres (WGS84 UTM 51N, EPSG:32651)",
    },
    "crs_found_datum": {
        "zh": "坐标系：{datum}，已转换为 WGS84（{how}）",
        "en": "CRS: {datum}, converted to WGS84 ({how})",
    },
    "crs_hint_gcj02": {
        "zh": "文件名提示数据来自高德或腾讯地图：地图上同时以虚线画出按 GCJ-02 转换后的位置，"
        "请对照园区背景判断哪一个是对的。",
        "en": "The names suggest Gaode or Tencent maps: the map also draws, dashed, where the "
        "data lies if converted from GCJ-02; compare both with the park's context.",
    },
    "preview_other": {
        "zh": "预览：如按 {datum} 读取，位置在此（虚线）",
        "en": "Preview: here if read as {datum} (dashed)",
    },
    "upload_geometry": {"zh": "保留的几何类型", "en": "Geometry kept"},
    "geometry_kind": {"zh": "{kind}（{n}）", "en": "{kind} ({n})"},
    "kind_Polygon": {"zh": "面", "en": "Polygons"},
    "kind_LineString": {"zh": "线", "en": "Lines"},
    "kind_Point": {"zh": "点", "en": "Points"},
    "zoom_to_layer": {"zh": "缩放至图层", "en": "Zoom to layer"},
    "zoom_choose": {"zh": "选择图层…", "en": "Choose a layer…"},
}
