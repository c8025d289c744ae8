"""AutoCAD drawings (DXF) in: parcels from closed polylines and hatches, their texts as
attributes, metres or millimetres, with or without the zone number, GBK-era drawings."""

from __future__ import annotations

import json

import pytest

from geo.errors import IngestError
from geo.uploads.dxf import cad_layers
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.read import find_sources
from tests.cad import AREAS, draw_parcels
from tests.test_network_files import _cli


def _by_id(result) -> dict:
    return {row["parcel_id"]: row for _, row in result.gdf.iterrows()}


@pytest.fixture(scope="module")
def drawing(tmp_path_factory):
    return draw_parcels(tmp_path_factory.mktemp("cad") / "控规地块.dxf")


def test_layers_listed_with_what_they_hold(drawing, tmp_path):
    layers = {c.name: c for c in cad_layers(drawing)}
    assert set(layers) == {"地块", "用地填充", "文字", "道路"}
    assert (layers["地块"].closed, layers["地块"].open) == (3, 1)
    assert layers["用地填充"].hatches == 2 and layers["文字"].texts == 10
    assert layers["道路"].counts("zh") == "开放线 2"
    assert [s.driver for s in find_sources([drawing], tmp_path)] == ["DXF"]


_UNITS = [(False, False, "EPSG:4549"), (True, False, "EPSG:4549"), (True, True, "EPSG:4528"),
          (False, True, "EPSG:4528")]  # fmt: skip


@pytest.mark.parametrize(("mm", "zone", "crs"), _UNITS)
def test_parcels_with_their_texts_in_any_unit(tmp_path, mm, zone, crs):
    path = draw_parcels(tmp_path / "parcels.dxf", mm=mm, zone=zone)
    result = inspect_upload([path], tmp_path / "w", IngestOptions())
    parcels = _by_id(result)
    assert set(parcels) == {"DK-01", "DK-02", "DK-03", "DK-05"}  # DK-04 is open
    for parcel_id, area in AREAS.items():  # the bulge's half circle kept to the square metre
        assert parcels[parcel_id]["area_m2"] == pytest.approx(area, abs=1.5)
    assert [parcels[k]["land_use"] for k in ("DK-01", "DK-02", "DK-03")] == ["R2", "B1", "G1"]
    assert parcels["DK-03"]["图元"] == "填充"  # a hatch with a hole; the hatch over DK-01 merged
    report = result.report
    assert (report.crs.name, report.crs.how) == (crs, "guessed")
    assert report.cad["unit"] == ("mm" if mm else "m")
    assert report.cad["hatches_merged"] == 1
    assert [o["text"] for o in report.cad["texts"]["outside"]] == ["苏园-孤立", "DK-04"]
    assert any("苏园-孤立" in w and "不在任何地块内" in w for w in report.warnings_zh)
    assert any("0.30 m" in w and "--close-gaps" in w for w in report.warnings)
    assert any("mm" in w for w in report.warnings) == mm
    [twice] = report.cad["texts"]["ambiguous"]  # DK-05's block attribute and a stray text
    assert (twice["column"], twice["texts"]) == ("地块编号", ["DK-05", "DK-05B"])
    assert any("DK-05 / DK-05B" in w and "已采用第一个「DK-05」" in w for w in report.warnings_zh)
    assert report.area_m2 == pytest.approx(sum(AREAS.values()), abs=3)


def test_open_polyline_closed_within_the_stated_gap(drawing, tmp_path):
    result = inspect_upload([drawing], tmp_path, IngestOptions(close_gaps_m=0.5))
    parcels = _by_id(result)
    assert parcels["DK-04"]["area_m2"] == pytest.approx(100 * 100, abs=1)
    assert result.report.cad["closed_by_gap"] == 1
    assert any("已闭合" in w for w in result.report.warnings_zh)


def test_chosen_layers_only_and_a_road_drawing_as_lines(drawing, tmp_path):
    only = inspect_upload([drawing], tmp_path, IngestOptions(cad_layers=["用地填充"]))
    assert sorted(only.gdf["parcel_id"]) == ["DK-01", "DK-03"]  # hatches only: none merged
    roads = inspect_upload([drawing], tmp_path, IngestOptions(cad_layers=["道路"]))
    assert roads.report.geometry_type == "LineString" and len(roads.gdf) == 2
    with pytest.raises(IngestError) as said:
        inspect_upload([drawing], tmp_path, IngestOptions(cad_layers=["红线"]))
    assert "'红线'" in said.value.zh and "地块（闭合图形 3、开放线 1）" in said.value.zh


@pytest.mark.parametrize("declared", [True, False])
def test_gbk_era_drawing_reads_its_chinese(tmp_path, declared):
    """An R2000 drawing from a Chinese AutoCAD (ANSI_936), and one whose code page was lost
    on the way (ANSI_1252 with GBK bytes)."""
    path = draw_parcels(tmp_path / "r2000.dxf", version="R2000", gbk=True, declared=declared)
    assert b"ANSI_936" in path.read_bytes() if declared else b"ANSI_1252" in path.read_bytes()
    assert {c.name for c in cad_layers(path)} == {"地块", "用地填充", "文字", "道路"}
    result = inspect_upload([path], tmp_path / "w", IngestOptions())
    assert result.report.encoding.name == "GBK"
    assert result.report.cad["texts"]["outside"][0]["text"] == "苏园-孤立"
    assert set(result.gdf["图层"]) == {"地块", "用地填充"}


def test_dwg_refused_with_how_to_save_as_dxf(tmp_path):
    dwg = tmp_path / "总图.dwg"
    dwg.write_bytes(b"AC1032\x00\x00\x00\x00" + bytes(200))
    renamed = tmp_path / "总图.dxf"  # a DWG given the wrong name
    renamed.write_bytes(dwg.read_bytes())
    for path in (dwg, renamed):
        with pytest.raises(IngestError) as said:
            inspect_upload([path], tmp_path / "w", IngestOptions())
        assert "另存为" in said.value.zh and "DXF" in said.value.en
    garbage = tmp_path / "broken.dxf"
    garbage.write_text("0\nSECTION\n2\nENTITIES\n0\nLWPOLYLINE\n10\nnot a number\n")
    with pytest.raises(IngestError) as said:
        inspect_upload([garbage], tmp_path / "w", IngestOptions())
    assert "DXF" in said.value.en


def test_ingest_command_lists_layers_and_takes_the_choice(drawing, tmp_path):
    env = {"SIP_ATLAS_WORKSPACE": str(tmp_path / "ws"), "SIP_ATLAS_DATABASE_URL": ""}
    done = _cli("ingest", str(drawing), "--cad-layers", "地块", "--close-gaps", "0.5", env=env)
    assert done.returncode == 0, done.stderr
    assert "drawing layer 地块: 3 closed shapes, 1 open line" in done.stdout
    assert "read layers 地块 in m (coordinates)" in done.stdout
    done = _cli("ingest", str(drawing), "--json", env=env)
    report = json.loads(done.stdout)
    assert report["features_kept"] == 4 and report["crs"]["name"] == "EPSG:4549"


def test_a_giant_shape_is_left_out_and_named(tmp_path):
    """A frame or a wrong coordinate (a circle 2,000 km wide) is no parcel, and flattening it to
    5 cm would take millions of points: left out, said; the parcels read."""
    import ezdxf

    from tests.cad import ORIGIN

    path = draw_parcels(tmp_path / "frame.dxf")
    doc = ezdxf.readfile(path)
    doc.modelspace().add_circle(ORIGIN, radius=1_000_000, dxfattribs={"layer": "地块"})
    doc.saveas(path)
    result = inspect_upload([path], tmp_path / "w", IngestOptions())
    assert len(result.gdf) == 4
    assert any("超过 50 千米" in w for w in result.report.warnings_zh)
    with pytest.raises(IngestError) as said:
        only = tmp_path / "only.dxf"
        alone = ezdxf.new("R2018")
        alone.modelspace().add_circle(ORIGIN, radius=1_000_000)
        alone.saveas(only)
        inspect_upload([only], tmp_path / "w", IngestOptions())
    assert "50 km across" in said.value.en
