"""The app's interface text in Chinese and English (data, looked up with ``t``)."""

from __future__ import annotations

from layers.registry import Lang

__all__ = ["LANGS", "t"]

LANGS: dict[str, Lang] = {"中文": "zh", "English": "en"}

_TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "苏州工业园区规划图集", "en": "Suzhou Industrial Park Planning Atlas"},
    "subtitle": {
        "zh": "环湖地区、五大载体、低效用地、专业服务功能区与消费场景",
        "en": "Lake districts, carrier parks, land reuse, service districts and consumption scenes",
    },
    "language": {"zh": "语言 Language", "en": "Language 语言"},
    "basemap": {"zh": "底图", "en": "Basemap"},
    "layers": {"zh": "图层", "en": "Layers"},
    "shown": {"zh": "已显示图层：{n} / {total}", "en": "Layers shown: {n} of {total}"},
    "gcj_note": {
        "zh": "底图为 GCJ-02 坐标（{name}），叠加图层已由 WGS84 转换为 GCJ-02 以便对齐。",
        "en": "The basemap is in GCJ-02 ({name}); overlays are shifted from WGS84 to line up.",
    },
    "no_basemap_note": {
        "zh": "未加载底图：显示园区边界与湖泊水域作为背景，离线可用。",
        "en": "No basemap: the park boundary and lake water are shown as context; works offline.",
    },
    "illustrative": {
        "zh": "低效产业用地图层为示意数据，非官方规划成果，仅供讨论。",
        "en": "The land-reuse parcels are illustrative, not an official plan: for discussion only.",
    },
    "details": {"zh": "要素详情", "en": "Feature details"},
    "details_hint": {
        "zh": "点击地图上的要素查看其属性。",
        "en": "Click a feature on the map to see its attributes.",
    },
    "details_none": {
        "zh": "该位置没有已显示图层的要素。",
        "en": "No feature of a shown layer at that spot.",
    },
    "field": {"zh": "字段", "en": "Field"},
    "value": {"zh": "值", "en": "Value"},
    "summary": {"zh": "图层统计", "en": "Layer summary"},
    "col_layer": {"zh": "图层", "en": "Layer"},
    "col_group": {"zh": "分组", "en": "Group"},
    "col_count": {"zh": "要素数", "en": "Features"},
    "col_area_ha": {"zh": "面积（公顷）", "en": "Area (ha)"},
    "col_area_mu": {"zh": "面积（亩）", "en": "Area (mu)"},
    "col_shown": {"zh": "显示", "en": "Shown"},
    "load_error": {
        "zh": "图层数据无法读取：{error}。请从代码仓库恢复 data/ 目录后刷新页面。",
        "en": "Layer data could not be read: {error}. Restore data/ from the repository and reload.",
    },
    "sources": {
        "zh": "数据：本项目手绘（见 data/SOURCES.md），坐标系 WGS84 (EPSG:4326)，面积按 EPSG:4549 计算。",
        "en": "Data drawn by this project (see data/SOURCES.md), WGS84 (EPSG:4326); areas in EPSG:4549.",
    },
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    return _TEXT[key][lang].format(**values)
