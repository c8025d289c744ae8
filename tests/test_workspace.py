"""The workspace store: uploads are kept, renamed, removed, and never half-saved."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import geo.workspace as module
from geo.errors import WorkspaceError
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from geo.workspace import Workspace
from layers.uploads import load_uploaded_layers
from tests.helpers import PARCEL_NAMES, parcels, write_shapefile, zip_files


@pytest.fixture
def upload(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "地块.zip", {p.name: p for p in parts}, gbk_names=True)
    work = tmp_path / "work"
    work.mkdir()
    return inspect_upload([archive], work, IngestOptions()), [archive]


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_saved_layer_survives_a_restart_with_its_original(tmp_path, upload):
    result, files = upload
    report = save_upload(result, files, name="一期地块", workspace=Workspace(tmp_path / "ws"))
    again = Workspace(tmp_path / "ws")  # a new process would do the same
    [entry] = again.list_layers()
    assert entry["id"] == report["layer_id"] and entry["name"] == "一期地块"
    assert entry["feature_count"] == 3 and entry["files"] == ["地块.zip"]
    original = tmp_path / "ws" / "originals" / entry["id"] / "地块.zip"
    assert original.read_bytes() == files[0].read_bytes()
    gdf = again.load(entry["id"])
    assert list(gdf["名称"]) == PARCEL_NAMES and gdf.crs.to_epsg() == 4326
    [(spec, loaded)] = load_uploaded_layers(again)
    assert spec.group == "uploads" and spec.name_zh == "一期地块" and len(loaded) == 3


def test_rename_and_remove(tmp_path, upload):
    result, files = upload
    ws = Workspace(tmp_path / "ws")
    first = save_upload(result, files, name=None, workspace=ws)
    second = save_upload(result, files, name="二", workspace=ws)
    assert first["name"] == "地块"  # the file's name
    ws.rename(first["layer_id"], "改名后")
    assert [e["name"] for e in ws.list_layers()] == ["改名后", "二"]
    ws.remove(first["layer_id"])
    assert [e["id"] for e in ws.list_layers()] == [second["layer_id"]]
    # in the trash, whole, until it is emptied (issue 15)
    assert (tmp_path / "ws" / "originals" / first["layer_id"]).exists()
    ws.empty_trash()
    assert not (tmp_path / "ws" / "originals" / first["layer_id"]).exists()
    assert not (tmp_path / "ws" / "layers" / f"{first['layer_id']}.gpkg").exists()
    with pytest.raises(WorkspaceError, match="No uploaded layer"):
        ws.remove(first["layer_id"])
    with pytest.raises(WorkspaceError, match="empty"):
        ws.rename(second["layer_id"], "  ")


@pytest.mark.parametrize("failing", ["_write_manifest", "_write_gpkg", "copy2"])
def test_a_failed_save_leaves_the_workspace_exactly_as_it_was(
    tmp_path, upload, monkeypatch, failing
):
    result, files = upload
    ws = Workspace(tmp_path / "ws")
    save_upload(result, files, name="kept", workspace=ws)
    before = _snapshot(tmp_path / "ws")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    if failing == "_write_manifest":
        monkeypatch.setattr(Workspace, "_write_manifest", boom)
    elif failing == "_write_gpkg":
        monkeypatch.setattr(module, "_write_gpkg", boom)
    else:
        monkeypatch.setattr(module.shutil, "copy2", boom)
    with pytest.raises(WorkspaceError, match="unchanged"):
        save_upload(result, files, name="lost", workspace=ws)
    assert _snapshot(tmp_path / "ws") == before


def test_an_interrupted_save_is_swept_away(tmp_path, upload):
    result, files = upload
    ws = Workspace(tmp_path / "ws")
    save_upload(result, files, name="kept", workspace=ws)
    before = _snapshot(tmp_path / "ws")
    # What a killed process leaves behind: staged files and a layer the manifest never named.
    (tmp_path / "ws" / ".staging" / "up-x").mkdir(parents=True)
    (tmp_path / "ws" / ".staging" / "up-x" / "layer.gpkg").write_bytes(b"half")
    (tmp_path / "ws" / "layers" / "up-orphan.gpkg").write_bytes(b"half")
    (tmp_path / "ws" / "originals" / "up-orphan").mkdir()
    save_upload(result, files, name="next", workspace=ws)
    after = _snapshot(tmp_path / "ws")
    assert "layers/up-orphan.gpkg" not in after and not (tmp_path / "ws" / ".staging").exists()
    assert set(before) - {"manifest.json"} <= set(after)


def test_two_planners_saving_at_once_lose_nothing(tmp_path, upload):
    result, files = upload
    ws_root = tmp_path / "ws"
    errors = []

    def save(name):
        try:
            save_upload(result, files, name=name, workspace=Workspace(ws_root))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(f"p{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(e["name"] for e in Workspace(ws_root).list_layers()) == ["p0", "p1", "p2", "p3"]


def test_damaged_manifest_says_what_to_do(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(WorkspaceError, match="damaged"):
        Workspace(tmp_path).list_layers()


def test_cli_ingest_then_layers_lists_it(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "p.zip", {f"成果/{p.name}": p for p in parts}, gbk_names=True)
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    env = {"SIP_ATLAS_WORKSPACE": str(tmp_path / "ws"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([exe, "ingest", str(archive), "--name", "成果", "--json"],
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    for key in ("layer_id", "features_read", "features_kept", "repaired", "dropped", "encoding",
                "crs", "bbox_wgs84", "columns", "preview", "warnings"):  # fmt: skip
        assert key in report
    assert report["encoding"]["name"] == "GB18030" and report["crs"]["name"] == "EPSG:4549"
    assert report["preview"][0]["名称"] == PARCEL_NAMES[0]
    listed = subprocess.run([exe, "layers", "--json"], capture_output=True, text=True, env=env)
    layers = {item["id"]: item for item in json.loads(listed.stdout)["layers"]}
    assert layers[report["layer_id"]]["name_zh"] == "成果"
    assert layers[report["layer_id"]]["feature_count"] == 3
    assert "lakes" in layers
    removed = subprocess.run([exe, "uploads", "remove", report["layer_id"]], env=env)
    assert removed.returncode == 0 and Workspace(tmp_path / "ws").list_layers() == []
