"""Limits that cannot be walked around, temporary files that never stay behind, user text that
never becomes markup, and names that are not UTF-8: through the CLI and the app."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.errors import IngestError
from geo.plans import Plans
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from geo.workspace import Workspace
from layers.catalog import load_base_layers
from layers.snapshot import write_snapshot
from tests.helpers import parcels, store_env, write_shapefile, zip_files
from tests.hostile import PLACES, geojson_file, padded_zip, squares

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
EXE = Path(sys.executable).with_name("sip-atlas")
MIB = 1024 * 1024


def _refused(files, tmp_path, match: str) -> IngestError:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    with pytest.raises(IngestError, match=match) as err:
        inspect_upload(list(files), work, IngestOptions())
    assert err.value.zh and err.value.zh != err.value.en
    return err.value


def test_many_small_padding_members_are_a_bomb_too(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels())
    archive = padded_zip(tmp_path / "bomb.zip", {p.name: p for p in parts}, members=40, size=MIB)
    err = _refused([archive], tmp_path, "compressed")
    assert "about" not in err.en and "times" in err.en
    assert not list((tmp_path / "work").rglob("*.bin"))


def test_what_is_unpacked_is_held_to_the_upload_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("SIP_ATLAS_MAX_UPLOAD_MB", "1")
    props = [{"名称": PLACES[i % 20], "note": os.urandom(4).hex()} for i in range(9000)]
    path = geojson_file(tmp_path / "big.geojson", props, squares(9000, size=0.0001))
    assert path.stat().st_size > 2 * MIB
    archive = zip_files(tmp_path / "big.zip", {"big.geojson": path})
    assert archive.stat().st_size < MIB
    err = _refused([archive], tmp_path, "big.geojson")
    assert "MiB" in err.en and "SIP_ATLAS_MAX_UPLOAD_MB" in err.en


def test_the_bomb_message_says_what_was_found(tmp_path, monkeypatch):
    monkeypatch.setenv("SIP_ATLAS_MAX_UNZIPPED_MB", "1")
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.geojson", os.urandom(3 * MIB))
    err = _refused([archive], tmp_path, "unpack")
    assert "3 MiB" in err.en and "limit 1 MiB" in err.en and "suspicious" not in err.en


# --- temporary files ------------------------------------------------------------------------


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=90).run()


def _uploader(at):
    return next(u for u in at.file_uploader if u.key and u.key.startswith("upload_files"))


def _left_in(scratch: Path) -> list[Path]:
    return [p for p in scratch.rglob("*") if p.is_file()] if scratch.exists() else []


def test_the_app_leaves_no_temporary_files_after_a_refusal_or_a_save(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    monkeypatch.setenv("SIP_ATLAS_SCRATCH", str(scratch))
    parts = write_shapefile(tmp_path / "src", parcels())
    bomb = padded_zip(tmp_path / "bomb.zip", {p.name: p for p in parts}, members=40, size=MIB)
    at = _app()
    _uploader(at).set_value(("bomb.zip", bomb.read_bytes(), "application/zip")).run()
    assert not at.exception and at.error
    assert _left_in(scratch) == []
    good = zip_files(tmp_path / "good.zip", {p.name: p for p in parts})
    _uploader(at).set_value(("good.zip", good.read_bytes(), "application/zip")).run()
    assert not at.exception and _left_in(scratch)  # kept while the planner looks at it
    next(b for b in at.button if b.key and b.key.startswith("save_")).click().run()
    assert not at.exception and len(Workspace().list_layers()) == 1
    assert _left_in(scratch) == []


def test_scratch_folders_go_with_their_session_and_stale_ones_are_swept(tmp_path, monkeypatch):
    from ui.scratch import Scratch, sweep_stale

    monkeypatch.setenv("SIP_ATLAS_SCRATCH", str(tmp_path / "scratch"))
    kept = Scratch()
    (kept.folder / "a.bin").write_bytes(b"x")
    gone = Scratch()
    (gone.folder / "b.bin").write_bytes(b"x")
    folder = gone.folder
    del gone  # the session ends: Streamlit drops its state
    assert not folder.exists() and kept.folder.exists()
    stale = tmp_path / "scratch" / "left-by-a-killed-server"
    stale.mkdir()
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    sweep_stale()
    assert not stale.exists() and kept.folder.exists()


# --- user text never becomes markup ------------------------------------------------------------

HOSTILE = "![t](http://192.0.2.1/x.png) **bold** <img src=x onerror=alert(1)> :red[x]"


def test_user_text_is_shown_as_text_in_the_app(tmp_path):
    path = geojson_file(tmp_path / "a.geojson", [{"名称": HOSTILE}], squares(1))
    work = tmp_path / "work"
    work.mkdir()
    result = inspect_upload([path], work, IngestOptions())
    save_upload(result, [path], name=HOSTILE, workspace=Workspace())
    Plans().add_proposal(squares(1)[0], title=HOSTILE, kind="other", comment=HOSTILE,
                         author=HOSTILE)  # fmt: skip
    at = _app()
    assert not at.exception
    texts = [m.value for m in (*at.markdown, *at.caption, *at.success, *at.info, *at.warning)]
    texts += [w.label for w in (*at.checkbox, *at.expander, *at.button)]
    shown = [text for text in texts if "192.0.2.1" in text]
    assert shown, "the hostile name is shown somewhere"
    for text in shown:
        assert "![t](" not in text and "<img" not in text and ":red[" not in text
        assert "**bold**" not in text


def test_a_snapshot_title_is_text_not_markup(tmp_path, browser):
    out = tmp_path / "t.html"
    title = "</title><script>alert(15)</script>"
    write_snapshot(load_base_layers(), out, title=title, tiles=False)
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri())
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.title() == title
    assert title in page.locator(".sip-atlas-title").inner_text()
    page.close()


def test_a_printed_title_with_dollars_is_text_not_tex(tmp_path):
    from pypdf import PdfReader

    title = "收益 $x^2$ 与 5"
    out = tmp_path / "t.pdf"
    write_snapshot(load_base_layers(), out, title=title, tiles=False)
    assert "$x^2$" in PdfReader(out).pages[0].extract_text()


# --- names that are not UTF-8, in both stores -----------------------------------------------


def test_names_that_are_not_utf8_are_read_not_crashed_on(tmp_path, store):
    parts = write_shapefile(tmp_path / "src", parcels())
    archive = zip_files(tmp_path / "a.zip", {p.name: p for p in parts})
    gbk_name = os.fsencode(tmp_path) + b"/" + "地块成果.zip".encode("gbk")
    Path(os.fsdecode(gbk_name)).write_bytes(archive.read_bytes())
    env = store_env(store)
    for args in ([gbk_name, b"--name", "一期".encode("gbk")],
                 [str(archive).encode(), b"--name", b"\xff\xfe"]):  # fmt: skip
        done = subprocess.run([EXE, b"ingest", *args, b"--json"], capture_output=True, env=env)
        assert done.returncode == 0, done.stderr.decode()
        assert "Traceback" not in done.stderr.decode()
    entries = store.list_layers()
    assert [e["name"] for e in entries] == ["一期", "\ufffd\ufffd"]
    assert entries[0]["files"] == ["地块成果.zip"]
    assert store.load(entries[0]["id"])["DKBH"].tolist() == ["A-01", "A-02", "A-03"]
