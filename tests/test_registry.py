"""The registry and layer validation."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from geo.errors import DataError
from geo.plans import STATUSES
from layers.load import load_layer, validate_layer
from layers.registry import field_label, group_name, layer_spec, load_registry


def test_registry_entries_are_complete():
    registry = load_registry()
    assert len(registry.layers) == 9
    for spec in registry.layers:
        assert spec.name_zh and spec.name_en and spec.group in registry.groups
        assert {"id", "name_zh", "name_en"} <= set(spec.schema)
        assert set(spec.tooltip) | set(spec.popup) <= set(spec.schema)
        for field in spec.popup:
            assert field_label(field, "zh") != field, f"{spec.id}.{field} has no label"


def test_every_status_a_scenario_can_set_has_a_legend_colour():
    """geo/ does not read the registry, so the parcel statuses stand in both; they must agree."""
    categories = [c.value for c in layer_spec("land_reuse_parcels").categories]
    assert categories == list(STATUSES)


def test_lookups_name_what_exists():
    assert group_name("lake_districts", "zh") == "环湖地区"
    with pytest.raises(KeyError, match="Known layers"):
        layer_spec("no_such_layer")


def _good_scenes():
    return load_layer("consumption_scenes")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda g: g.to_crs("EPSG:4549"), "expected EPSG:4326"),
        (lambda g: g.drop(columns="kinds"), "'kinds' is missing"),
        (lambda g: g.assign(id=["same"] * len(g)), "duplicate ids"),
        (lambda g: g.assign(name_en=[""] * len(g)), "without name_en"),
        (lambda g: g.set_geometry([Point()] * len(g), crs=g.crs), "empty"),
    ],
)
def test_validate_layer_names_each_fault(damage, message):
    spec = layer_spec("consumption_scenes")
    with pytest.raises(DataError, match=message):
        validate_layer(damage(_good_scenes()), spec)


def test_validate_layer_rejects_invalid_and_wrong_type_geometry():
    spec = layer_spec("carrier_parks")
    parks = load_layer(spec)
    bowtie = Polygon([(120.70, 31.30), (120.71, 31.31), (120.71, 31.30), (120.70, 31.31)])
    broken = parks.copy()
    broken.loc[0, "geometry"] = bowtie
    with pytest.raises(DataError, match="invalid geometries"):
        validate_layer(broken, spec)
    as_points = parks.set_geometry(parks.geometry.representative_point())
    with pytest.raises(DataError, match="expected Polygon"):
        validate_layer(as_points, spec)


def test_missing_data_folder_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("SIP_ATLAS_DATA", str(tmp_path))
    with pytest.raises(DataError, match="Restore data/"):
        load_layer("lakes")


def test_every_layer_round_trips_through_geopandas(base_layers):
    for spec, gdf in base_layers:
        again = gpd.GeoDataFrame.from_features(gdf.__geo_interface__, crs=gdf.crs)
        validate_layer(again[gdf.columns], spec)


def test_what_the_app_does_with_a_layer_is_a_role_in_the_registry():
    from layers.registry import with_role

    specs = load_registry().layers
    assert with_role(specs, "district") == ["lake_districts", "carrier_parks", "service_districts"]
    assert set(with_role(specs, "walking_default")) == {"consumption_scenes", "service_districts"}
    assert set(with_role(specs, "walking_default")) <= set(with_role(specs, "walking_origin"))
    assert with_role(specs, "parcels") == ["land_reuse_parcels"]


def test_an_unknown_role_is_refused(tmp_path):
    text = (Path(__file__).resolve().parents[1] / "layers" / "registry.toml").read_text("utf-8")
    bad = tmp_path / "registry.toml"
    bad.write_text(text.replace('roles = ["walking_origin"]', 'roles = ["wakling_origin"]', 1),
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(ValueError, match="wakling_origin"):
        load_registry.__wrapped__(bad)


def test_the_ui_names_no_layer_ids_it_should_take_from_roles():
    ui = Path(__file__).resolve().parents[1] / "ui"
    for path in ui.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for layer_id in ("land_reuse_parcels", "lake_districts", "consumption_scenes"):
            assert f'"{layer_id}"' not in text, f"{path.name} names {layer_id}: use a role"
