"""To QGIS and back to AutoCAD: GeoPackages with their QGIS style, a QGIS project of the shown
layers, and DXF drawings the atlas reads back the same."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import replace
from xml.etree import ElementTree as ET

import ezdxf
import numpy as np
import pyogrio
import pytest

from geo.export import export_layer
from geo.uploads.dxf import cad_layers
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.read import find_sources
from layers.qgis_style import export_style, zoom_scale
from tests.test_network_files import _cli

# The elements and attributes QGIS reads in a style, as in QGIS's own style files
# (qgis/QGIS tests/testdata/symbol_layer/categorized.qml, polygonLabel.qml, lines.qml) and
# its readers (QgsCategorizedSymbolRenderer::create, QgsSymbolLayerUtils::loadSymbol,
# QgsPalLayerSettings::readXml: "scaleMax" is the smallest scale labels show at).
QGIS_QML = {
    "qgis": {"version", "styleCategories", "labelsEnabled"},
    "renderer-v2": {"type", "attr", "symbollevels", "forceraster", "enableorderby"},
    "categories": set(),
    "category": {"value", "symbol", "label", "render"},
    "symbols": set(),
    "symbol": {"type", "name", "alpha", "clip_to_extent", "force_rhr"},
    "layer": {"class", "enabled", "locked", "pass"},
    "Option": {"type", "name", "value"},
    "labeling": {"type"},
    "settings": {"calloutType"},
    "text-style": {
        "fieldName",
        "isExpression",
        "fontFamily",
        "fontSize",
        "fontSizeUnit",
        "textColor",
        "textOpacity",
    },
    "text-buffer": {
        "bufferDraw",
        "bufferSize",
        "bufferSizeUnits",
        "bufferColor",
        "bufferOpacity",
    },
    "placement": {"placement", "centroidInside", "dist"},
    "rendering": {"drawLabels", "obstacle", "scaleVisibility", "scaleMin", "scaleMax"},
    "layerOpacity": set(),
}
SYMBOL_OPTIONS = {
    "SimpleFill": {
        "color",
        "outline_color",
        "outline_width",
        "outline_width_unit",
        "style",
        "outline_style",
    },
    "SimpleLine": {"line_color", "line_width", "line_width_unit", "line_style"},
    "SimpleMarker": {"name", "color", "outline_color", "outline_width", "size", "size_unit"},
}


def _rgba(colour: str, opacity: float) -> str:
    return ",".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5)) + f",{round(255 * opacity)}"


def _check_qml(style: ET.Element) -> None:
    """Every element and attribute one QGIS reads; every symbol layer's options its class's."""
    for element in style.iter():
        assert element.tag in QGIS_QML, element.tag
        assert set(element.attrib) <= QGIS_QML[element.tag], (element.tag, element.attrib)
    for layer in style.iter("layer"):
        names = {o.get("name") for o in layer.find("Option")}
        assert names <= SYMBOL_OPTIONS[layer.get("class")], names


def _options(symbol: ET.Element) -> dict[str, str]:
    return {o.get("name"): o.get("value") for o in symbol.find("layer/Option")}


@pytest.fixture(scope="module")
def specs(base_layers):
    return {spec.id: (spec, gdf) for spec, gdf in base_layers}


def test_a_geopackage_carries_its_qgis_style(tmp_path, specs):
    spec, gdf = specs["land_reuse_parcels"]
    out = tmp_path / "parcels.gpkg"
    export_layer(gdf, out, name=spec.id, style=export_style(spec, gdf, "zh"))
    with sqlite3.connect(out) as db:
        rows = db.execute("SELECT f_table_name, f_geometry_column, styleName, styleQML, "
                          "useAsDefault FROM layer_styles").fetchall()  # fmt: skip
        kind = db.execute("SELECT data_type FROM gpkg_contents WHERE table_name='layer_styles'")
        assert kind.fetchone() == ("attributes",)
    [(table, column, name, text, default)] = rows
    assert (table, column, name, default) == (spec.id, "geom", "低效产业用地（示意）", 1)
    style = ET.fromstring(text.split("\n", 1)[1])
    _check_qml(style)
    renderer = style.find("renderer-v2")
    assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", "status")
    labels = {c.get("value"): c.get("label") for c in renderer.iter("category")}
    assert labels == spec.category_labels("zh")
    colours = {s.get("name"): _options(s)["color"] for s in renderer.iter("symbol")}
    for n, category in enumerate(spec.categories):
        assert colours[str(n)] == _rgba(category.fill_color, spec.style.fill_opacity)
    text_style = style.find("labeling/settings/text-style")
    assert text_style.get("fieldName") == "id"  # parcel numbers, from zoom 15 as on the map
    rendering = style.find("labeling/settings/rendering")
    assert rendering.get("scaleMax") == str(zoom_scale(spec.label_min_zoom))
    # the atlas reads its own GeoPackage back as one layer (QGIS's styles table is not data)
    assert [s.layer for s in find_sources([out], tmp_path)] == [spec.id]


def test_a_zipped_shapefile_carries_its_style_beside_it(tmp_path, specs):
    """QGIS reads <name>.qml beside a shapefile; its columns are the .dbf's (10 bytes)."""
    spec, gdf = specs["lake_districts"]
    gdf = gdf.rename(columns={"name_zh": "环湖地区的中文名称"})
    spec = replace(spec, label="环湖地区的中文名称")
    out = tmp_path / "lakes.zip"
    info = export_layer(gdf, out, name=spec.id, style=export_style(spec, gdf, "zh"))
    with zipfile.ZipFile(out) as zf:
        style = ET.fromstring(zf.read("lake_districts.qml").decode().split("\n", 1)[1])
    _check_qml(style)
    field = info["fields"]["环湖地区的中文名称"]
    assert (
        style.find("labeling/settings/text-style").get("fieldName") == field != "环湖地区的中文名称"
    )


def _project(folder) -> ET.Element:
    with zipfile.ZipFile(folder / "sip-atlas.qgz") as zf:
        assert zf.namelist() == ["sip-atlas.qgs"]
        return ET.fromstring(zf.read("sip-atlas.qgs").decode("utf-8").split("\n", 1)[1])


def test_the_shown_layers_as_a_qgis_project(tmp_path, specs):
    env = {"SIP_ATLAS_WORKSPACE": str(tmp_path / "ws"), "SIP_ATLAS_DATABASE_URL": "",
           "SIP_ATLAS_BASEMAP": "osm"}  # fmt: skip
    ids = "lake_districts,land_reuse_parcels,consumption_scenes"
    done = _cli("export", "--qgis", str(tmp_path / "q"), "--layers", ids, "--json", env=env)
    assert done.returncode == 0, done.stderr
    project = _project(tmp_path / "q")
    assert project.findtext("projectCrs/spatialrefsys/authid") == "EPSG:4549"
    in_gpkg = {str(n) for n, _ in pyogrio.list_layers(tmp_path / "q" / "sip-atlas.gpkg")}
    layers = {m.findtext("id"): m for m in project.iter("maplayer")}
    assert set(ids.split(",")) < set(layers)  # with the park's context layers below
    for layer_id in ids.split(","):
        layer = layers[layer_id]
        source = layer.findtext("datasource")
        assert source == f"./sip-atlas.gpkg|layername={layer_id}" and layer_id in in_gpkg
        assert layer.findtext("srs/spatialrefsys/authid") == "EPSG:4549"
        assert pyogrio.read_info(tmp_path / "q" / "sip-atlas.gpkg", layer=layer_id)[
            "features"] == len(specs[layer_id][1])  # fmt: skip
        _check_qml(ET.fromstring(ET.tostring(_as_style(layer))))
    lakes_spec = specs["lake_districts"][0]
    fill = _options(layers["lake_districts"].find("renderer-v2/symbols/symbol"))
    assert fill["color"] == _rgba(lakes_spec.style.fill_color, lakes_spec.style.fill_opacity)
    assert fill["outline_color"] == _rgba(lakes_spec.style.color, 1)
    assert fill["outline_style"] == "dash"
    assert layers["lake_districts"].find("labeling/settings/text-style").get("fieldName") == (
        "name_zh"
    )
    parcels = layers["land_reuse_parcels"].find("renderer-v2")
    assert parcels.get("type") == "categorizedSymbol"
    basemap = layers["basemap"]
    assert basemap.findtext("provider") == "wms"
    assert "tile.openstreetmap.org%2F%7Bz%7D" not in basemap.findtext("datasource")
    assert "url=https://tile.openstreetmap.org/%7Bz%7D/%7Bx%7D/%7By%7D.png" in basemap.findtext(
        "datasource"
    )
    order = [e.get("id") for e in project.find("layerorder")]
    assert order[0] == "consumption_scenes" and order[-1] == "basemap"
    tree = [e.get("id") for e in project.iter("layer-tree-layer")]
    assert set(tree) == set(layers)
    assert json.loads(done.stdout)["basemap"] == "osm"
    gaode = _cli("export", "--qgis", str(tmp_path / "g"), "--basemap", "gaode_road",
                 "--lang", "en", env=env)  # fmt: skip
    assert gaode.returncode == 0 and "GCJ-02" in gaode.stderr
    (tmp_path / "a-file").write_text("")
    refused = _cli("export", "--qgis", str(tmp_path / "a-file"), env=env)
    assert refused.returncode != 0 and "Check the folder" in refused.stderr
    english = {m.findtext("id"): m for m in _project(tmp_path / "g").iter("maplayer")}
    assert "basemap" not in english
    assert english["lake_districts"].findtext("layername") == "Lake districts"


def _as_style(layer: ET.Element) -> ET.Element:
    style = ET.Element("qgis", labelsEnabled=layer.get("labelsEnabled"))
    style.extend([c for c in layer if c.tag in ("renderer-v2", "labeling", "layerOpacity")])
    return style


def test_a_dxf_export_reads_back_the_same(tmp_path, specs):
    spec, gdf = specs["land_reuse_parcels"]
    out = tmp_path / "parcels.dxf"
    info = export_layer(gdf, out, name=spec.id, style=export_style(spec, gdf, "zh"))
    assert info["crs"] == "EPSG:4549"
    drawing = {c.name: c for c in cad_layers(out)}
    for value, name in spec.category_labels("zh").items():  # a layer per status
        layer = f"低效产业用地（示意）-{name}"
        assert drawing[layer].closed == int((gdf["status"] == value).sum())
    assert drawing["低效产业用地（示意）-编号"].texts == len(gdf)
    back = inspect_upload([out], tmp_path / "w", IngestOptions())
    assert back.report.crs.name == "EPSG:4549"
    assert list(back.gdf["id"]) == list(gdf["id"])
    kept = [c for c in gdf.columns if c != "geometry"]
    assert set(kept) <= set(back.gdf.columns)
    assert list(back.gdf["name_zh"]) == list(gdf["name_zh"])
    assert back.gdf["target_far"].tolist() == pytest.approx(gdf["target_far"].tolist())
    areas = gdf.to_crs(4549).area.to_numpy()
    assert np.allclose(back.gdf.to_crs(4549).area.to_numpy(), areas, rtol=1e-7)
    # a parcel drawn in AutoCAD since, numbered by a text: read beside the atlas' own
    doc = ezdxf.readfile(out)
    x, y = 570_000, 3_470_000
    doc.modelspace().add_lwpolyline([(x, y), (x + 50, y), (x + 50, y + 40), (x, y + 40)],
                                    close=True, dxfattribs={"layer": "新增地块"})  # fmt: skip
    doc.modelspace().add_text("XZ-01", height=3).set_placement((x + 20, y + 20))
    doc.saveas(out)
    again = inspect_upload([out], tmp_path / "w2", IngestOptions())
    assert len(again.gdf) == len(gdf) + 1 and list(again.gdf["id"])[: len(gdf)] == list(gdf["id"])
    assert again.gdf["id"].iloc[-1] == "XZ-01" and again.gdf["area_m2"].iloc[-1] == 2000
    assert again.report.cad["texts"]["outside"] == []  # the atlas' own numbers are its parcels'


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".zip", ".csv", ".dxf"])
def test_the_atlas_reads_its_own_exports_back(tmp_path, specs, suffix):
    """Every export format, styled as the app writes it, read by the upload path: the same
    features, measured areas and columns."""
    spec, gdf = specs["land_reuse_parcels"]
    out = tmp_path / f"parcels{suffix}"
    export_layer(gdf, out, name=spec.id, style=export_style(spec, gdf, "en"))
    back = inspect_upload([out], tmp_path / "w", IngestOptions()).gdf
    assert list(back["id"]) == list(gdf["id"])
    assert {c for c in gdf.columns if c != "geometry"} <= set(back.columns)
    assert back["area_m2"].tolist() == pytest.approx(gdf["area_m2"].tolist(), rel=1e-6)
    assert list(back["status"]) == list(gdf["status"])
