"""The real sources are credited wherever the data is shown or leaves the atlas: the map's
attribution control (the app and offline pages), printed snapshots, and exported data."""

from __future__ import annotations

import json
import zipfile

import pyogrio
import pytest
from pypdf import PdfReader

from geo.export import export_layer
from layers.folium_map import build_map
from layers.registry import layer_spec
from layers.snapshot import write_snapshot

OSM = "© OpenStreetMap contributors"


def test_the_map_credits_osm_and_gshhg_without_a_basemap(base_layers):
    page = build_map(base_layers, lang="zh", basemap_id="none").get_root().render()
    assert "attributionControl.addAttribution" in page
    assert "OpenStreetMap contributors" in page and "GSHHG" in page


def test_an_offline_page_shows_the_credits_in_the_browser(tmp_path, base_layers, browser):
    out = tmp_path / "map.html"
    write_snapshot(base_layers, out, title="来源", tiles=False)
    page = browser.new_page()
    page.route("http*://**", lambda route: route.abort())  # offline: file:// only
    page.goto(out.as_uri())
    credits = page.locator(".leaflet-control-attribution").inner_text()
    page.close()
    assert OSM in credits and "GSHHG" in credits


def test_a_printed_map_names_the_sources(tmp_path, base_layers):
    out = tmp_path / "map.pdf"
    write_snapshot(base_layers, out, title="来源", tiles=False, lang="en")
    text = PdfReader(out).pages[0].extract_text()
    assert "OpenStreetMap" in text and "GSHHG" in text


@pytest.mark.parametrize("layer_id", ["sip_boundary", "lake_districts"])
def test_exported_data_carries_its_attribution(tmp_path, layers_by_id, layer_id):
    credit = "; ".join(layer_spec(layer_id).attribution)
    gdf = layers_by_id[layer_id]
    export_layer(gdf, tmp_path / "a.zip", name=layer_id, attribution=credit)
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert credit in zf.read("NOTICE.txt").decode("utf-8")
    export_layer(gdf, tmp_path / "a.gpkg", name=layer_id, attribution=credit)
    assert pyogrio.read_info(tmp_path / "a.gpkg")["layer_metadata"]["ATTRIBUTION"] == credit
    export_layer(gdf, tmp_path / "a.geojson", name=layer_id, attribution=credit)
    document = json.loads((tmp_path / "a.geojson").read_text(encoding="utf-8"))
    assert document["description"] == credit


def test_the_cli_export_credits_the_source(tmp_path):
    from layers.cli import main

    assert main(["export", "--layer", "sip_boundary", "--out", str(tmp_path / "b.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert OSM in zf.read("NOTICE.txt").decode("utf-8")
