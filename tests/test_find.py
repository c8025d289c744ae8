"""Search by number or name across the shown layers (issue 14), in the library and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from layers.find import find_features

EXE = str(Path(sys.executable).with_name("sip-atlas"))


def test_a_parcel_is_found_by_its_number_whatever_the_spelling(base_layers):
    spec = next(s for s, _ in base_layers if s.id == "land_reuse_parcels")
    gdf = dict((s.id, g) for s, g in base_layers)["land_reuse_parcels"]
    number = gdf["id"].iloc[0]
    for typed in (number, number.lower(), number.replace("-", " "), number.replace("-", "")):
        hits = find_features(base_layers, typed)
        assert hits and (hits[0].layer_id, hits[0].feature_id) == (spec.id, number), typed


def test_a_place_is_found_by_its_chinese_or_english_name(base_layers):
    for typed, name in (("苏州中心", "苏州中心"), ("suzhou center", "苏州中心")):
        hits = find_features(base_layers, typed)
        assert any(name in h.label for h in hits), [h.label for h in hits]
    exact = find_features(base_layers, "金鸡湖")
    assert exact[0].label.startswith("金鸡湖")  # the exact name before names that hold it
    bounds = exact[0].bounds_wgs84
    assert 120.6 < bounds[0] <= bounds[2] < 120.9 and 31.2 < bounds[1] <= bounds[3] < 31.5


def test_nothing_found_and_blank_text_give_no_hits(base_layers):
    assert find_features(base_layers, "没有这个地方 xyz") == []
    assert find_features(base_layers, "   ") == []


def test_cli_find_prints_hits_as_json(tmp_path):
    done = subprocess.run([EXE, "find", "苏州中心", "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)["hits"]
    assert hits and "苏州中心" in hits[0]["name"]
    assert {"layer", "layer_name", "id", "name", "matched", "bbox_wgs84", "centre_wgs84"} <= set(
        hits[0]
    )
    plain = subprocess.run([EXE, "find", "没有这个地方"], capture_output=True, text=True)
    assert plain.returncode == 1 and "没有找到" in plain.stdout + plain.stderr


def test_a_hit_found_by_its_number_says_number_and_name(base_layers):
    """Issue 22: LR-XL-07 was listed as 星龙街片区07号地块 alone."""
    from layers.find import find_features

    [hit] = find_features(base_layers, "LR-XL-07")
    assert hit.label == "LR-XL-07 · 星龙街片区07号地块"
    by_name = find_features(base_layers, "苏州中心")[0]
    assert by_name.label == "苏州中心"  # found by its name: the name is enough
