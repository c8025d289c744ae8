"""Both workspace stores, the GeoPackage folder and PostgreSQL/PostGIS, behave alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest

from geo.errors import WorkspaceError
from geo.pgstore import MIGRATIONS, PostgisWorkspace, migrate
from geo.plans import Plans
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
from tests.helpers import PARCEL_NAMES, parcels, write_shapefile, zip_files


@pytest.fixture
def upload(tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "地块.zip", {p.name: p for p in parts}, gbk_names=True)
    (tmp_path / "work").mkdir()
    return inspect_upload([archive], tmp_path / "work", IngestOptions()), [archive]


def _reopen(store):
    return (
        PostgisWorkspace(store.url)
        if isinstance(store, PostgisWorkspace)
        else type(store)(store.root)
    )


def test_save_load_rename_remove_survive_a_restart(store, upload):
    result, files = upload
    before = store.version()
    report = save_upload(result, files, name="一期", workspace=store)
    assert store.version() != before
    again = _reopen(store)
    [entry] = again.list_layers()
    assert (
        entry["id"] == report["layer_id"]
        and entry["name"] == "一期"
        and entry["feature_count"] == 3
    )
    gdf = again.load(entry["id"])
    assert list(gdf["名称"]) == PARCEL_NAMES and gdf.crs.to_epsg() == 4326
    assert list(gdf.columns[: len(result.gdf.columns) - 1]) == [
        c for c in result.gdf.columns if c != "geometry"
    ]
    assert gdf.geometry.area.sum() == pytest.approx(result.gdf.geometry.area.sum())
    again.rename(entry["id"], "改名")
    assert _reopen(store).entry(entry["id"])["name"] == "改名"
    again.remove(entry["id"])
    assert _reopen(store).list_layers() == []
    with pytest.raises(WorkspaceError):
        again.remove(entry["id"])


def test_a_failed_save_leaves_nothing(store, upload, tmp_path):
    result, files = upload
    missing = tmp_path / "gone.zip"  # an original that vanished before it could be stored
    with pytest.raises(WorkspaceError, match="unchanged"):
        save_upload(result, [*files, missing], name="x", workspace=store)
    assert _reopen(store).list_layers() == []


def test_two_planners_saving_at_once_lose_nothing(store, upload):
    result, files = upload
    errors = []

    def save(n):
        try:
            save_upload(result, files, name=f"p{n}", workspace=_reopen(store))
            Plans(_reopen(store)).add_proposal(
                result.gdf.geometry.iloc[0], title=f"t{n}", kind="other"
            )
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(e["name"] for e in _reopen(store).list_layers()) == [f"p{n}" for n in range(6)]
    assert sorted(Plans(_reopen(store)).proposals()["title"]) == [f"t{n}" for n in range(6)]


def test_schema_migrations_run_once_and_in_order(pg_url):
    with psycopg.connect(pg_url) as conn:
        assert migrate(conn) == len(MIGRATIONS)
        assert migrate(conn) == len(MIGRATIONS)
        versions = [r[0] for r in conn.execute("SELECT version FROM sip_schema ORDER BY 1")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_an_unreachable_database_says_what_to_do():
    with pytest.raises(WorkspaceError, match="SIP_ATLAS_DATABASE_URL"):
        PostgisWorkspace("postgresql://127.0.0.1:1/none?connect_timeout=2").list_layers()


def test_cli_works_against_postgis(pg_url, tmp_path):
    parts = write_shapefile(tmp_path / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(tmp_path / "p.zip", {p.name: p for p in parts})
    exe = str(Path(sys.executable).with_name("sip-atlas"))
    env = {**os.environ, "SIP_ATLAS_DATABASE_URL": pg_url}
    done = subprocess.run(
        [exe, "ingest", str(archive), "--json"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    layer_id = json.loads(done.stdout)["layer_id"]
    listed = json.loads(subprocess.run([exe, "layers", "--json"], capture_output=True, text=True,
                                       env=env, check=True).stdout)  # fmt: skip
    assert layer_id in [item["id"] for item in listed["layers"]]
    out = tmp_path / "back.gpkg"
    subprocess.run([exe, "export", "--layer", layer_id, "--out", str(out)], env=env, check=True)
    assert PostgisWorkspace(pg_url).original(layer_id, "p.zip") == archive.read_bytes()


def test_the_app_reads_the_postgis_workspace(pg_url, upload, monkeypatch):
    from streamlit.testing.v1 import AppTest

    result, files = upload
    saved = save_upload(result, files, name="库中图层", workspace=PostgisWorkspace(pg_url))
    layer_id = saved["layer_id"]
    monkeypatch.setenv("SIP_ATLAS_DATABASE_URL", pg_url)
    monkeypatch.setenv("SIP_ATLAS_OPEN_SERVER", "1")  # no sign-in: said to be open on purpose
    app = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
    at = AppTest.from_file(app, default_timeout=90).run()
    assert not at.exception
    assert at.checkbox(key=f"layer_{layer_id}").label == "库中图层"


def test_object_valued_properties_come_back_as_text_on_the_map(store, tmp_path):
    """Issue 23 (1): a GeoJSON property whose value is an object came back from PostGIS as a
    dict and went into the popup as HTML. In both stores, saved and drawn, it stays text."""
    from layers.folium_map import build_map, display_frame
    from layers.uploads import load_uploaded_layers

    payload = "<img src=x onerror=alert(1)>"
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [120.7, 31.3]},
               "properties": {"名称": payload, "k": {"k": payload}, "l": [payload]}}  # fmt: skip
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    result = inspect_upload([path], tmp_path / "work", IngestOptions())
    preview = build_map([(_spec_of(result), result.gdf)])
    assert "<img src=x" not in preview.get_root().render()  # the uploader's own preview
    save_upload(result, [path], name="点", workspace=store)
    [(spec, gdf)] = load_uploaded_layers(_reopen(store))
    page = build_map([(spec, gdf)], visible={spec.id}).get_root().render()
    assert "<img src=x" not in page and payload not in page  # popups, tooltips and labels
    from layers.snapshot import write_snapshot

    write_snapshot([(spec, gdf)], tmp_path / "s.html", title=payload, visible={spec.id})
    assert "<img src=x" not in (tmp_path / "s.html").read_text(encoding="utf-8")  # the export
    shown = display_frame(spec, gdf, "zh").iloc[0]
    said = [shown[c] for c in spec.popup if c not in ("id", "名称") and "img" in str(shown[c])]
    assert said and all("&lt;img src=x" in v for v in said), shown.to_dict()


def _spec_of(result):
    from layers.uploads import upload_spec

    entry = {"id": "preview", "name": "预览", **result.report.entry_fields()}
    return upload_spec(entry, 0, list(result.gdf.columns))


def test_names_hold_no_nul_and_no_direction_override(store, tmp_path):
    """Issue 24: a NUL in a layer's name met a raw database error in the team store; U+202E
    in a name disguised it ("\u202eFDP.exe" shows as "exe.PDF")."""
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"名称": "甲"},
         "geometry": {"type": "Point", "coordinates": [120.7, 31.3]}}]}), "utf-8")  # fmt: skip
    result = inspect_upload([path], tmp_path / "work", IngestOptions())
    saved = save_upload(result, [path], name="一期\x00规划", workspace=store)
    assert saved["name"] == "一期规划" and store.entry(saved["layer_id"])["name"] == "一期规划"
    entry = store.rename(saved["layer_id"], "\u202eFDP.exe", actor="local:t")
    assert entry["name"] == "FDP.exe"
    from shapely.geometry import box

    from geo.plans import Plans

    plans = Plans(store)
    pid = plans.add_proposal(box(120.70, 31.30, 120.71, 31.31), title="\u202e园公", kind="other")
    plans.save_scenario("近期\x00\u2066", [pid], {})
    assert plans.proposals()["title"].tolist() == ["园公"]
    assert [s["name"] for s in plans.scenarios()] == ["近期"]
