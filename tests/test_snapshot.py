"""Proposal snapshots: PNG at 300 dpi, vector PDF with an embedded CJK font, offline HTML."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from layers.snapshot import write_snapshot
from layers.static_map import cjk_font_family

TITLE = "苏州工业园区低效用地腾退再开发示意"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory, base_layers):
    """Snapshots made once for the module, with every warning and log record kept."""
    folder = tmp_path_factory.mktemp("snapshots")
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logging.getLogger("matplotlib").addHandler(handler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        infos = {
            "a4": write_snapshot(base_layers, folder / "a4.png", title=TITLE, subtitle="环湖地区"),
            "a3": write_snapshot(base_layers, folder / "a3.png", title=TITLE, paper="A3",
                                 orientation="portrait", tiles=False),
            "pdf": write_snapshot(base_layers, folder / "map.pdf", title=TITLE, tiles=False),
            "html": write_snapshot(base_layers, folder / "map.html", title=TITLE, tiles=False),
        }  # fmt: skip
    logging.getLogger("matplotlib").removeHandler(handler)
    messages = [str(w.message) for w in caught] + records
    return folder, infos, messages


def test_chinese_is_set_in_a_cjk_font_without_missing_glyphs(drawn):
    _, _, messages = drawn
    assert cjk_font_family() == "Noto Sans CJK SC"
    assert not [m for m in messages if "missing from" in m or "Glyph" in m], messages


@pytest.mark.parametrize(("key", "size_mm"), [("a4", (297, 210)), ("a3", (297, 420))])
def test_png_has_the_paper_size_at_300_dpi_and_is_not_blank(drawn, key, size_mm):
    _, infos, _ = drawn
    image = Image.open(infos[key]["path"])
    expected = tuple(round(mm / 25.4 * 300) for mm in size_mm)
    assert abs(image.size[0] - expected[0]) <= 2 and abs(image.size[1] - expected[1]) <= 2
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.5)
    pixels = np.asarray(image.convert("RGB"), dtype=float)
    not_white = (pixels.sum(axis=2) < 740).mean()
    assert not_white > 0.2  # the map, its background and the layers
    assert len(np.unique(pixels.reshape(-1, 3)[::97], axis=0)) > 50  # many colours, not one fill


def test_pdf_is_vector_embeds_the_cjk_font_and_its_text_can_be_copied(drawn):
    _, infos, _ = drawn
    reader = PdfReader(infos["pdf"]["path"])
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width_pt, height_pt = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width_pt), round(height_pt)) == (842, 595)  # A4 landscape in points
    content = page.get_contents().get_data().decode("latin-1")
    assert len(re.findall(r"(?m) (?:m|l|c|re)$", content)) > 300  # paths, not one picture
    fonts = page["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descendants = font.get("/DescendantFonts")
        inner = descendants[0].get_object() if descendants else font
        descriptor = inner.get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                embedded.append(str(font["/BaseFont"]))
    assert any("NotoSansCJK" in name for name in embedded), embedded
    assert TITLE in page.extract_text().replace(" ", "")


def test_html_is_one_self_contained_file(drawn):
    _, infos, _ = drawn
    page = Path(infos["html"]["path"]).read_text(encoding="utf-8")
    urls = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", page)
    assert urls and all(u.startswith("data:") for u in urls)
    assert "sip-atlas-title" in page and "sip-atlas-legend" in page


@pytest.mark.browser
def test_html_draws_its_layers_in_chromium_with_the_network_cut_off(drawn, browser, layers_by_id):
    _, infos, _ = drawn
    page = browser.new_page()
    failed: list[str] = []
    page.route("**/*", lambda r: r.abort() if r.request.url.startswith("http") else r.continue_())
    page.on(
        "requestfailed", lambda r: failed.append(r.url) if r.resource_type == "script" else None
    )
    page.goto(Path(infos["html"]["path"]).as_uri())
    page.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    shown = [k for k in layers_by_id if k != "cooperation_parks"]
    assert page.locator("path.leaflet-interactive").count() == sum(
        len(layers_by_id[k]) for k in shown
    )
    assert TITLE in page.locator(".sip-atlas-title").inner_text()
    assert failed == []
    page.close()


def test_bad_requests_say_what_to_do(tmp_path, base_layers):
    from geo.errors import SipAtlasError

    with pytest.raises(SipAtlasError, match=r"\.png, \.pdf or \.html"):
        write_snapshot(base_layers, tmp_path / "map.jpg", title="x")
    with pytest.raises(SipAtlasError, match="minx,miny,maxx,maxy"):
        write_snapshot(base_layers, tmp_path / "map.png", title="x", bbox_wgs84=(121, 31, 120, 32))


def test_cli_snapshot(tmp_path):
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    out = tmp_path / "parcels.png"
    done = subprocess.run(
        [exe, "snapshot", "--out", str(out), "--layers", "land_reuse_parcels,carrier_parks",
         "--bbox", "120.70,31.28,120.80,31.35", "--title", "载体与地块", "--paper", "A3",
         "--orientation", "portrait", "--basemap", "none", "--json"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["layers"] == ["sip_boundary", "lakes", "land_reuse_parcels", "carrier_parks"]
    assert Image.open(out).size == (info["width_px"], info["height_px"])
    bad = subprocess.run([exe, "snapshot", "--out", str(tmp_path / "x.png"), "--bbox", "1,2"],
                         capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2 and "four numbers" in bad.stderr


def test_printed_map_follows_the_same_context_rule_as_the_screen(
    base_layers, tmp_path, monkeypatch
):
    """Context layers are the background only when there is no basemap: on tiles, the print
    draws what the planner chose, like the interactive map (one rule for both)."""
    import contextily

    monkeypatch.setattr(contextily, "add_basemap", lambda *a, **k: None)  # tiles "drawn"
    chosen = {"carrier_parks"}
    on_tiles = write_snapshot(
        base_layers, tmp_path / "t.png", title="x", visible=chosen, tiles=True
    )
    plain = write_snapshot(base_layers, tmp_path / "p.png", title="x", visible=chosen, tiles=False)
    assert on_tiles["basemap"] == "tiles" and on_tiles["layers"] == ["carrier_parks"]
    assert plain["basemap"] == "context"
    assert set(plain["layers"]) == {"carrier_parks", "sip_boundary", "lakes"}


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_no_part_of_a_printed_sheet_covers_another(base_layers, tmp_path, paper, orientation):
    """Issue 14: on A3 portrait the subtitle was struck through by the map frame, and the legend
    split the status classes across columns. Every box on the sheet (drawn text, map, legend,
    locator, notes) lies inside the sheet and clear of the others, in every size."""
    import pandas as pd

    table = pd.DataFrame({"片区": ["环金鸡湖", "环独墅湖", "环阳澄湖"], "地块数": [20, 18, 17],
                          "面积（公顷）": [101.25, 98.5, 103.74]})  # fmt: skip
    info = write_snapshot(
        base_layers, tmp_path / "m.png", title="低效用地腾退再开发：环金鸡湖片区近期方案讨论稿",
        subtitle="2026 年第四季度 · 供园区规划建设委员会讨论 · 示意数据", paper=paper,
        orientation=orientation, tiles=False, table=("按片区统计", table),
    )  # fmt: skip
    boxes = info["boxes"]
    assert {"title", "subtitle", "date", "map", "legend", "locator", "notes", "table"} <= set(boxes)
    width, height = info["width_px"], info["height_px"]
    for name, (x0, y0, x1, y1) in boxes.items():
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, (name, boxes[name])
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes[a], boxes[b]
            apart = ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0
            assert apart, (a, b, boxes[a], boxes[b])
    assert info["legend_columns"] == 1  # a layer's classes stay together, one under another
    # Labels: the carrier parks and lake districts are named, no name covers another, and
    # every name lies on the map.
    assert {"金光科技产业园", "环金鸡湖"} & set(info["labels"]), info["labels"]
    labels = info["label_boxes"]
    mx0, my0, mx1, my1 = boxes["map"]
    for i, (ax0, ay0, ax1, ay1) in enumerate(labels):
        assert mx0 <= ax0 and ax1 <= mx1 and my0 <= ay0 and ay1 <= my1
        for bx0, by0, bx1, by1 in labels[i + 1 :]:
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0


def test_a_printed_sheet_reads_at_a4(base_layers, tmp_path):
    """Issue 22: the statistics table was about 4 pt on A4, the proposal had no label, the
    scale bar an odd 750 m, and "Yangcheng Lake" ran over the locator's edge in English."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    from ui.plans import PROPOSALS_SPEC

    proposal = gpd.GeoDataFrame(
        {"id": ["p-1"], "title": ["湖东夜市"], "kind": ["consumption_scene"], "comment": [""],
         "author": [""]},
        geometry=[box(120.725, 31.31, 120.735, 31.318)], crs="EPSG:4326",
    )  # fmt: skip
    districts = [f"片区{i}" for i in range(12)]
    table = pd.DataFrame({"片区": districts, "地块数": range(12), "面积（公顷）": [1.5] * 12,
                          "面积（亩）": [22.5] * 12, "面积（m²）": [15_000.0] * 12,
                          "建筑面积（万m²）": [3.1] * 12})  # fmt: skip
    for lang in ("zh", "en"):
        info = write_snapshot(
            [*base_layers, (PROPOSALS_SPEC, proposal)], tmp_path / f"{lang}.png", title="近期",
            tiles=False, table=("统计", table), lang=lang,
        )  # fmt: skip
        assert info["table_pt"] >= 7
        assert "湖东夜市" in info["labels"]
        scale = info["scale_m"]
        assert scale / 10 ** np.floor(np.log10(scale)) in (1, 2, 5), scale
        lx0, ly0, lx1, ly1 = info["boxes"]["locator"]
        for x0, y0, x1, y1 in info["locator_label_boxes"]:
            assert lx0 <= x0 and x1 <= lx1 and ly0 <= y0 and y1 <= ly1, (lang, x0, x1, lx0, lx1)
