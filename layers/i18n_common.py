"""Interface text shared by every panel (yes/no, widget placeholders, units), in Chinese and
English (merged into ``layers.i18n``; looked up with ``t``)."""

from __future__ import annotations

__all__ = ["COMMON_TEXT"]

COMMON_TEXT: dict[str, dict[str, str]] = {
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    "close": {"zh": "关闭", "en": "Close"},
    "choose": {"zh": "请选择", "en": "Choose"},
    "choose_many": {"zh": "请选择（可多选）", "en": "Choose one or more"},
    "unit_ha": {"zh": "公顷", "en": "ha"},
    "unit_m": {"zh": "米", "en": "m"},
    "none_value": {"zh": "—", "en": "—"},
    "uploader_button": {"zh": "选择文件", "en": "Browse files"},
    "uploader_limit": {
        "zh": "每个文件不超过 {mb} MB · {types} 等",
        "en": "Up to {mb} MB a file · {types} and more",
    },
    "scenario_gone": {
        "zh": "链接中的情景“{name}”已不存在（可能已改名或删除），地图显示现状。请在下方选择情景。",
        "en": "The link's scenario “{name}” no longer exists (renamed or deleted): the map "
        "shows the current state. Choose a scenario below.",
    },
    "copy_link": {"zh": "复制链接", "en": "Copy link"},
    "copied": {"zh": "已复制", "en": "Copied"},
    "filtered_points": {
        "zh": "筛选后 {n} / {total} 个要素",
        "en": "{n} of {total} features after filtering",
    },
    "walking_polygons_only": {
        "zh": "步行圈覆盖按面图层（地块）计算：请在上方选择一个面图层。",
        "en": "Walking-circle coverage is measured for polygon layers (parcels): choose one above.",
    },
    "uploader_drop": {"zh": "把文件拖到这里", "en": "Drag and drop files here"},
}
