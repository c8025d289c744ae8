"""The Chinese interface speaks Chinese (issue 13, part 5): upload reports, the changes table,
scenario choices and messages, upload times in local time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shapely.geometry import Polygon
from streamlit.testing.v1 import AppTest

from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from geo.workspace import Workspace
from layers.i18n import _TEXT, t
from tests.hostile import geojson_file, squares

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def test_the_upload_report_and_its_changes_read_in_chinese(tmp_path):
    path = geojson_file(tmp_path / "a.geojson", [{"名称": "甲"}, {"名称": "乙"}],
                        [squares(1)[0], Polygon()])  # fmt: skip
    at = _app()
    uploader = next(u for u in at.file_uploader if u.key and u.key.startswith("upload_files"))
    uploader.set_value(("a.geojson", path.read_bytes(), "application/geo+json")).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption if c.value.startswith(("编码", "坐标系")))
    assert "编码" in captions and "坐标系" in captions
    assert not re.search(r"\b(the|bytes|says|guessed|chosen|format)\b", captions), captions
    changes = next(d.value for d in at.dataframe if "修改" in d.value.columns)
    assert not changes["修改"].str.contains("dropped|repaired|kept", regex=True).any()
    assert changes["修改"].str.contains("剔除").any()


def test_upload_times_are_local_and_readable(tmp_path):
    path = geojson_file(tmp_path / "a.geojson", [{"名称": "甲"}], squares(1))
    (tmp_path / "w").mkdir()
    result = inspect_upload([path], tmp_path / "w", IngestOptions())
    save_upload(result, [path], name="一期", workspace=Workspace())
    at = _app()
    label = next(e.label for e in at.expander if e.label.startswith("一期"))
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d$", label) and "T" not in label, label


def test_scenario_choices_and_messages_read_in_chinese():
    at = _app()
    assert at.selectbox(key="sc_status").format_func("completed") == "已完成"
    next(b for b in at.button if b.label == "保存情景").click().run()  # no name
    assert any("情景需要名称" in e.value for e in at.error)
    assert not any("A scenario needs a name" in e.value for e in at.error)


def _interface_chunks(lang: str) -> set[str]:
    """Fixed pieces (8+ characters, 3+ for Chinese) of every interface text in ``lang`` that
    the other language does not share."""
    from layers.i18n import _TEXT

    other = "en" if lang == "zh" else "zh"
    chunks = set()
    for key, texts in _TEXT.items():
        if key == "language":  # the language switch is labelled in both on purpose
            continue
        for piece in re.split(r"\{[^}]*\}", texts[lang]):
            piece = piece.strip(" ：:，,。.（）()·")
            long_enough = len(piece) >= (3 if lang == "zh" else 8)
            if long_enough and not any(piece in v[other] for v in _TEXT.values()):
                chunks.add(piece)
    return chunks


def _page_texts(at) -> list[str]:
    texts = [
        e.value
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "info",
            "warning",
            "success",
            "error",
        )
        for e in getattr(at, kind)
    ]
    for kind in ("button", "checkbox", "text_input", "number_input", "selectbox", "multiselect",
                 "radio", "slider", "expander", "tabs", "metric"):  # fmt: skip
        for widget in getattr(at, kind):
            texts.append(str(getattr(widget, "label", "")))
            for option in getattr(widget, "options", []) or []:
                texts.append(str(option))
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
        cells = frame.value.select_dtypes(include=["object", "str"])
        texts += [str(v) for v in cells.to_numpy().ravel()]
    return [re.sub(r"\\(.)", r"\1", text) for text in texts]  # Markdown escapes undone


def _busy_app(tmp_path) -> AppTest:
    """The app with everything on screen at once: a saved upload, a proposal in a scenario
    being shown and compared, an upload being inspected, a filter hiding parcels."""
    from geo.plans import Plans

    saved = geojson_file(tmp_path / "s.geojson", [{"名称": "甲"}, {"名称": "乙"}], squares(2))
    (tmp_path / "w").mkdir()
    result = inspect_upload([saved], tmp_path / "w", IngestOptions())
    save_upload(result, [saved], name="一期", workspace=Workspace())
    plans = Plans()
    pid = plans.add_proposal(squares(1)[0], title="口袋公园", kind="green_space")
    plans.save_scenario("方案甲", [pid], {"LR-SH-01": "vacated"})
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["scenario"] = "方案甲"
    at.run()
    at.selectbox(key="cmp_b").set_value("方案甲").run()
    path = geojson_file(tmp_path / "a.geojson", [{"名称": "丙"}, {"名称": "丁"}],
                        [squares(1)[0], Polygon()])  # fmt: skip
    uploader = next(u for u in at.file_uploader if u.key and u.key.startswith("upload_files"))
    uploader.set_value(("a.geojson", path.read_bytes(), "application/geo+json")).run()
    status = next(m for m in at.multiselect if m.key and m.key.startswith("f_status"))
    status.set_value(status.value[:1]).run()
    return at


def test_each_language_shows_no_interface_text_of_the_other(tmp_path):
    at = _busy_app(tmp_path)
    assert not at.exception
    for lang, switch in (("zh", None), ("en", "English"), ("zh", "中文")):
        if switch:
            at.radio(key="lang").set_value(switch).run()
        assert not at.exception
        texts = _page_texts(at)
        busy = ("方案甲", "口袋公园", "一期", "a.geojson", t("filters_clear", lang),
                t("cmp_measure", lang), _TEXT["encoding_found"][lang].split("{")[0])  # fmt: skip
        for needed in busy:
            assert any(needed in text for text in texts), needed  # the busy page is shown
        foreign = _interface_chunks("en" if lang == "zh" else "zh")
        leaks = sorted({c for text in texts for c in foreign if c in text})
        assert leaks == [], f"{lang} page shows: {leaks[:10]}"


def test_a_workspace_that_cannot_be_reached_is_said_once_in_the_interface_language(
    monkeypatch,
):
    """The database is down: the map still opens, and one message in the UI's language says
    what is wrong and what to do (before: four English messages under Chinese labels)."""
    monkeypatch.setenv("SIP_ATLAS_DATABASE_URL", "postgresql://127.0.0.1:1/none?connect_timeout=2")
    monkeypatch.setenv("SIP_ATLAS_OPEN_SERVER", "1")  # no sign-in: said to be open on purpose
    at = _app()
    assert not at.exception
    for lang, switch, said in (("zh", None, "无法连接"), ("en", "English", "cannot be reached")):
        if switch:
            at.radio(key="lang").set_value(switch).run()
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and said in errors[0], errors
        if lang == "zh":
            assert "database" not in errors[0] and "PostgreSQL" in errors[0]


def test_store_errors_speak_both_languages(tmp_path, store):
    from geo.errors import WorkspaceError

    for act in (lambda: store.rename("nope", "x"), lambda: store.rename("nope", " "),
                lambda: store.remove("nope")):  # fmt: skip
        with pytest.raises(WorkspaceError) as caught:
            act()
        zh = caught.value.message("zh")
        assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"\b(No|layer|cannot)\b", zh)
        assert caught.value.message("en") == str(caught.value)


def test_every_text_of_the_chinese_page_is_chinese(isolated_workspace):
    """Issue 22: "Choose options" placeholders, "Upload / 200MB per file", "1 proposals",
    "ha" and values such as "full" were English on the Chinese page."""
    from geo.plans import Plans

    plans = Plans(Workspace(isolated_workspace))
    pid = plans.add_proposal(Polygon([(120.70, 31.30), (120.71, 31.30), (120.71, 31.31)]),
                             title="湖西绿地", kind="green_space")  # fmt: skip
    plans.save_scenario("近期", [pid], {})
    at = _app()
    assert not at.exception
    for choice in at.multiselect:
        assert choice.proto.placeholder == "请选择（可多选）", choice.key
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert "选择文件" in styles and "每个文件不超过 200 MB" in styles  # the uploader's texts
    expanders = " ".join(e.label for e in at.expander)
    assert "湖西绿地 · 绿地 · " in expanders and " ha" not in expanders
    at.session_state["atlas_map"] = {  # Jinji Lake's water clicked: its values in Chinese
        "last_object_clicked": {"lat": 31.314, "lng": 120.692},
        "last_object_clicked_tooltip": "名称 金鸡湖 编号 lake-jinji",
    }
    at.run()
    details = next(d.value for d in at.dataframe if "字段" in d.value.columns)
    shown = dict(zip(details["字段"], details["值"], strict=True))
    assert shown["位于园区内"] == "全部在园区内" and shown["来源"] == "本项目绘制"
    at.radio(key="lang").set_value("English").run()
    labels = " ".join(e.label for e in at.expander)
    assert "1 proposals" not in labels and "proposals: 1" in labels
