"""Interface text of the life circles along streets (walking network, coverage by both
methods, the life-circle check), in Chinese and English (merged into ``layers.i18n``)."""

from __future__ import annotations

__all__ = ["WALK_TEXT"]

WALK_TEXT: dict[str, dict[str, str]] = {
    "walk_method": {"zh": "步行距离的量法", "en": "Walking distance measured"},
    "walk_straight": {
        "zh": "直线距离（圆形，默认）",
        "en": "In a straight line (circles, default)",
    },
    "walk_along": {"zh": "沿街道：{name}", "en": "Along the streets of {name}"},
    "walk_method_help": {
        "zh": "选择一个线图层（道路中心线或 OpenStreetMap 数据）作为步行路网，生活圈即沿街道量算。",
        "en": "Choose a line layer (road centrelines, or an OpenStreetMap extract) as the walking "
        "network: the life circles then follow its streets.",
    },
    "walk_no_lines": {
        "zh": "沿街道量算需要一个道路线图层：请在“上传”中上传道路中心线或 OpenStreetMap 数据"
        "（.osm/.osm.pbf）。",
        "en": "Walking along streets needs a layer of road lines: upload road centrelines or an "
        "OpenStreetMap extract (.osm/.osm.pbf) under Upload.",
    },
    "walk_check": {"zh": "路网检查：{name}", "en": "Network check: {name}"},
    "walk_figures": {
        "zh": "{segments:,} 段道路，共 {km:,.1f} 公里；{parts} 个连通部分（主路网占 {main:.0%}）；"
        "{ends:,} 个断头；{crossings:,} 处交叉无交点。",
        "en": "{segments:,} street segments, {km:,.1f} km; {parts} connected parts (the main "
        "one {main:.0%} of the length); {ends:,} dead ends; {crossings:,} crossings without a "
        "junction.",
    },
    "walk_method_note": {
        "zh": "沿街道：各地点接入最近的道路，沿道路步行 {levels}，到达的道路两侧各 {band:.0f} 米"
        "为服务范围（地点到道路的距离不计）。依据：{source}",
        "en": "Along streets: each place is joined to its nearest street and walked {levels} along "
        "them; the area is the band {band:.0f} m each side of the streets reached (the way from "
        "the place to its street is not counted). Source: {source}",
    },
    "walk_straight_note": {
        "zh": "直线距离：以各地点为圆心的圆，未考虑河道与封闭街区。可选择路网沿街道量算。",
        "en": "Straight line: circles around each place, across canals and gated blocks alike. "
        "Choose a network to walk along its streets.",
    },
    "method_network": {"zh": "沿街道", "en": "Along streets"},
    "method_straight_line": {"zh": "直线", "en": "Straight line"},
    "network_layer": {
        "zh": "{m}分钟生活圈（沿街道 {r:.0f} 米）",
        "en": "{m}-minute life circle (along streets, {r:.0f} m)",
    },
    "walk_people": {"zh": "人口列（可选）", "en": "People column (optional)"},
    "walk_homes": {"zh": "住户数列（可选）", "en": "Homes column (optional)"},
    "walk_none": {"zh": "（无）", "en": "(none)"},
    "walk_differences": {
        "zh": "各地点两种量法的差别（{m} 分钟，{r:.0f} 米内的地块数）",
        "en": "The two methods per place ({m} minutes: parcels within {r:.0f} m)",
    },
    "walk_issues_layer": {"zh": "路网问题点", "en": "Network issues"},
    "walk_click": {"zh": "从点击处沿街道步行", "en": "Walking from the click, along streets"},
    "walk_click_row": {
        "zh": "{m} 分钟（{r:.0f} 米）：可达道路 {street:,.0f} 米，范围 {ha:,.1f} 公顷",
        "en": "{m} min ({r:.0f} m): {street:,.0f} m of street, {ha:,.1f} ha",
    },
    "walk_click_far": {
        "zh": "点击处距最近道路超过 500 米，不在路网上。",
        "en": "The click is more than 500 m from any street of the network.",
    },
    "walk_click_layer": {
        "zh": "从点击处步行 {m} 分钟（沿街道 {r:.0f} 米）",
        "en": "{m} minutes' walk from the click (along streets, {r:.0f} m)",
    },
    "col_name": {"zh": "名称", "en": "Name"},
    "check_title": {"zh": "生活圈配套检查", "en": "Life-circle facility check"},
    "check_facilities": {"zh": "配套设施图层", "en": "Facility layer"},
    "check_column": {"zh": "设施类型所在的列", "en": "Column naming each facility's kind"},
    "check_no_points": {
        "zh": "需要一个设施点图层（如上传的配套设施）。",
        "en": "This needs a layer of facility points (an uploaded facility layer, for example).",
    },
    "check_no_column": {
        "zh": "“{column}”列中没有可识别的设施类型：请选择其他列，或在 {path} 中补充匹配词。",
        "en": "No facility class is recognised in column “{column}”: choose another column, or "
        "add its words to the classes in {path}.",
    },
    "check_summary": {
        "zh": "{n} 个地块中 {complete} 个配套齐全；{missing} 个缺少至少一类设施。",
        "en": "{complete} of {n} parcels reach every class at its level; {missing} miss at least "
        "one.",
    },
    "check_missing": {"zh": "{m} 分钟内缺少", "en": "Missing within {m} min"},
    "check_missing_count": {"zh": "缺少类数", "en": "Classes missing"},
    "check_class": {"zh": "设施类别", "en": "Facility class"},
    "check_level": {"zh": "生活圈（分钟）", "en": "Life circle (min)"},
    "check_clause": {"zh": "条文", "en": "Clause"},
    "check_found": {"zh": "设施数", "en": "Facilities"},
    "check_reached": {"zh": "可达地块数", "en": "Parcels reaching one"},
    "check_share": {"zh": "可达占比", "en": "Share reaching one"},
    "check_layer": {"zh": "缺少配套的地块", "en": "Parcels missing a facility"},
    "check_source": {
        "zh": "设施类别与所属生活圈：GB 50180-2018 附录 B（{path}，可编辑）。{method}",
        "en": "Classes and their life circles: GB 50180-2018 Appendix B ({path}, editable). "
        "{method}",
    },
}
