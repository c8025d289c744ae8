"""The README and the guides stay true: their links and pictures exist, and the page's words
they quote (in bold) are the app's own, in the guide's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layers.i18n import _TEXT
from layers.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
GUIDES = {"zh": ROOT / "docs" / "使用说明.md", "en": ROOT / "docs" / "guide.md"}
# What each guide quotes from the page (bold in the guide), besides its own headings' words.
QUOTED = {
    "zh": ["上传", "规划分析", "导出", "方案讨论", "属性表", "查找编号或名称", "标注（名称、编号）",
           "缩放至图层", "周边查询", "复制链接", "分析图层", "分组", "细分", "步行距离的量法",
           "生活圈配套检查", "保存为方案", "情景", "包含的方案", "改变状态的地块", "保存情景",
           "地图上显示的情景", "情景对比", "生成文件", "地图快照（用于方案文本）", "图层名称",
           "保存到工作区", "QGIS 工程"],
    "en": ["Upload", "Analysis", "Export", "Proposals", "Attribute table",
           "Find a number or name", "Labels (names, numbers)", "Zoom to layer",
           "What is nearby", "Copy link", "Layer to analyse", "Group by", "Split by",
           "Walking distance measured", "Life-circle facility check", "Save as a proposal",
           "Scenarios", "Scenario name", "Proposals in it", "Parcels whose status changes",
           "New status", "Save the scenario", "Scenario on the map", "Compare scenarios",
           "Make the file", "Map snapshot (for proposals)", "QGIS project"],
}  # fmt: skip


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_and_pictures_exist(doc):
    text = doc.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "#")):
            continue
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{doc.name} links to {target}, which is not there"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_guides_quote_the_page_as_it_is(lang):
    guide = GUIDES[lang].read_text(encoding="utf-8")
    page = {texts[lang] for texts in _TEXT.values()}
    for label in QUOTED[lang]:
        assert f"**{label}**" in guide, f"the {lang} guide does not show {label!r}"
        assert label in page, f"the page has no {label!r} in {lang}"
    basemap_none = "无底图（园区背景图层）" if lang == "zh" else "No basemap (park context layers)"
    assert basemap_none in guide
    uploads = load_registry().groups["uploads"][lang]
    assert uploads in guide  # where a saved upload appears
