"""The worked example (docs/example/README.md), done step by step as a new planner would in the
app, and by the command line: every figure the guide quotes is what the atlas shows."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.plans import Plans
from geo.workspace import Workspace
from tests.test_network_files import _cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "example"
GUIDE = (EXAMPLE / "README.md").read_text(encoding="utf-8")


def _quoted(text: str) -> str:
    """``text``, which the guide must quote as it is (so guide and atlas stay the same)."""
    assert text in GUIDE, f"the guide does not say {text!r}"
    return text


def test_the_example_file_is_what_its_script_writes(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_example", EXAMPLE / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "示例地块.zip")
    module.main()
    import zipfile

    def members(path):
        with zipfile.ZipFile(path) as zf:
            return {i.filename: zf.read(i) for i in zf.infolist() if not i.filename.endswith("/")}

    made, shipped = members(tmp_path / "示例地块.zip"), members(EXAMPLE / "示例地块.zip")
    assert {n: d for n, d in made.items() if not n.endswith(".dbf")} == {
        n: d for n, d in shipped.items() if not n.endswith(".dbf")
    }  # the .dbf holds the day it was written


def test_the_worked_example_in_the_app(isolated_workspace):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    # 1. upload
    uploader = next(u for u in at.file_uploader if u.key.startswith("upload_files"))
    data = (EXAMPLE / "示例地块.zip").read_bytes()
    uploader.set_value(("示例地块.zip", data, "application/zip")).run()
    assert [m.value for m in at.metric][:2] == ["6", "6"]
    captions = [c.value.replace("\\", "") for c in at.caption]  # as shown (Markdown unescaped)
    for said in ("编码：GB18030", "坐标系：EPSG:4549（按坐标推断）",
                 "总面积：226,000 m² ＝ 22.60 公顷 ＝ 339.0 亩"):  # fmt: skip
        assert any(_quoted(said) in c for c in captions), said
    mapping = {b.key.rsplit("_", 1)[-1]: b.value for b in at.selectbox
               if b.key and b.key.startswith("map_")}  # fmt: skip
    assert mapping["status"] == _quoted("状态") and mapping["area"] == _quoted("面积亩")
    next(t for t in at.text_input if t.key.startswith("name_")).set_value("示例地块")
    next(b for b in at.button if b.key and b.key.startswith("save_")).click().run()
    assert _quoted("已保存：示例地块（6 个要素）") in at.success[0].value
    [entry] = Workspace(isolated_workspace).list_layers()
    # 2. analysis: by lake district, split by status
    at.selectbox(key="an_layer").set_value(entry["id"]).run()
    at.selectbox(key="an_by").set_value("lake_districts").run()
    at.radio(key="an_split").set_value("status").run()
    table = next(d.value for d in at.dataframe if "片区" in d.value.columns)
    ours = table[table["片区"] == _quoted("环独墅湖")]
    assert ours["地块数"].sum() == 6
    assert ours.set_index("状态").loc[_quoted("已识别"), "地块数"] == 2
    # 3. a scenario: two vacating parcels of Loufeng vacated
    at.text_input(key="sc_name").set_value(_quoted("近期腾退"))
    at.multiselect(key="sc_parcels").set_value([_quoted("LR-LF-05"), _quoted("LR-LF-06")])
    at.selectbox(key="sc_status").set_value("vacated")
    next(b for b in at.button if b.label == _quoted("保存情景")).click().run()
    assert Plans().scenario("近期腾退")["status_changes"] == {"LR-LF-05": "vacated",
                                                         "LR-LF-06": "vacated"}  # fmt: skip
    # 4. the PDF for the meeting
    at.text_input(key="snap_title").set_value(_quoted("独墅湖西地块腾退情况"))
    at.radio(key="snap_fmt").set_value(".pdf").run()
    at.radio(key="snap_paper").set_value("A3").run()
    next(b for b in at.button if b.key == "snap_make").click().run()
    assert not at.exception and not at.error
    name, pdf = at.session_state["snapshot_file"]
    assert pdf[:5] == b"%PDF-" and name.startswith(_quoted("独墅湖西地块腾退情况"))


def test_the_worked_example_by_the_command_line(tmp_path):
    env = {"SIP_ATLAS_WORKSPACE": str(tmp_path / "ws"), "SIP_ATLAS_DATABASE_URL": ""}
    done = _cli("ingest", str(EXAMPLE / "示例地块.zip"), "--name", "示例地块", env=env)
    assert done.returncode == 0, done.stderr
    assert _quoted("6 of 6 features") in done.stdout
    layer = done.stdout.split()[1]
    stats = _cli("stats", "--layer", layer, "--by", "lake_districts", "--field", "status",
                 env=env)  # fmt: skip
    assert (
        stats.returncode == 0 and _quoted(" 环独墅湖   identified      2  59000.0") in stats.stdout
    )
    out = tmp_path / "示例.pdf"
    snap = _cli("snapshot", "--out", str(out), "--layers", f"{layer},land_reuse_parcels",
                "--title", "独墅湖西地块腾退情况", "--basemap", "none", env=env)  # fmt: skip
    assert snap.returncode == 0 and out.read_bytes()[:5] == b"%PDF-"
