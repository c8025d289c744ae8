"""The Chinese interface speaks Chinese (issue 13, part 5): upload reports, the changes table,
scenario choices and messages, upload times in local time."""

from __future__ import annotations

import re
from pathlib import Path

from shapely.geometry import Polygon
from streamlit.testing.v1 import AppTest

from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from geo.workspace import Workspace
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
