"""The ``sip-atlas`` command line, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from layers.registry import load_registry

# The console script installed beside this interpreter, else the one on PATH.
_BESIDE = Path(sys.executable).with_name("sip-atlas")
SIP_ATLAS = str(_BESIDE) if _BESIDE.exists() else shutil.which("sip-atlas")


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    assert SIP_ATLAS, "sip-atlas is not installed: pip install -e '.[test]'"
    return subprocess.run(
        [SIP_ATLAS, *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_layers_json_lists_every_layer_with_count_type_and_bbox():
    result = _run("layers", "--json")
    assert result.returncode == 0, result.stderr
    layers = {item["id"]: item for item in json.loads(result.stdout)["layers"]}
    assert list(layers) == [s.id for s in load_registry().layers]
    for spec in load_registry().layers:
        item = layers[spec.id]
        assert item["name_zh"] == spec.name_zh and item["name_en"] == spec.name_en
        assert item["geometry_type"] == spec.geometry_type
        assert item["feature_count"] > 0
        minx, miny, maxx, maxy = item["bbox"]
        assert minx <= maxx and miny <= maxy and 100 < minx < 130 and 20 < miny < 40
    assert layers["land_reuse_parcels"]["feature_count"] >= 40
    assert layers["land_reuse_parcels"]["illustrative"] is True
    assert layers["sip_boundary"]["area_ha"] == pytest.approx(27_800, rel=0.1)


def test_layers_table_is_readable():
    result = _run("layers")
    assert result.returncode == 0
    assert "环湖地区 / Lake districts" in result.stdout


def test_broken_data_gives_a_message_not_a_traceback(tmp_path):
    result = _run("layers", "--json", env={"SIP_ATLAS_DATA": str(tmp_path)})
    assert result.returncode == 2
    assert "Restore data/" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_options_are_refused():
    result = _run("layers", "--bogus")
    assert result.returncode != 0
    assert "unrecognized arguments" in result.stderr
