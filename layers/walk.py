"""Life circles on a layer the planner chose as the walking network: the network and its check,
origins named as the map names them, and coverage by both methods side by side."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import to_metric
from geo.errors import SipAtlasError
from geo.network import WalkNetwork, build_network
from geo.network_check import NetworkCheck, check_network
from geo.service_areas import (
    METHOD_NETWORK,
    METHOD_STRAIGHT,
    LifeCircles,
    network_areas,
    origin_points,
)
from geo.walking import area_coverage, circle_coverage, merge_origins
from layers.labels import label_text
from layers.registry import Lang, LayerSpec

__all__ = ["coverage_both", "network_layer", "origin_differences", "origin_names"]


def network_layer(spec: LayerSpec, gdf: gpd.GeoDataFrame) -> tuple[WalkNetwork, NetworkCheck]:
    """The walking network of a line layer and its check against the park's outline;
    SipAtlasError for a layer that is not lines."""
    if spec.geometry_type != "LineString":
        raise SipAtlasError(
            f"{spec.id} holds {spec.geometry_type}s: the walking network is a layer of lines "
            "(road centrelines, or an OpenStreetMap extract's ways)."
        )
    from layers.catalog import load_layer
    from layers.registry import layer_spec

    park = to_metric(load_layer(layer_spec("sip_boundary"))).union_all()
    net = build_network(gdf)
    return net, check_network(net, park)


def origin_names(spec: LayerSpec, gdf: gpd.GeoDataFrame, lang: Lang) -> list[str]:
    """Each feature's name as its label shows it, else its id, else its row number (1-based)."""
    names = []
    for n, (_, row) in enumerate(gdf.iterrows(), start=1):
        text = label_text(spec, row, lang) if spec.label else ""
        if not text:
            for column in (f"name_{lang}", "name_zh", "name", "parcel_id", "id"):
                value = row.get(column)
                if isinstance(value, str) and value:
                    text = value
                    break
        names.append(text or f"#{n}")
    return names


def _weights(parcels: gpd.GeoDataFrame, columns: Mapping[str, str]) -> dict[str, pd.Series]:
    return {k: pd.to_numeric(parcels[c], errors="coerce").fillna(0.0) for k, c in columns.items()
            if c and c in parcels}  # fmt: skip


def _weighted(table: pd.DataFrame, inside: dict, weights: dict[str, pd.Series]) -> pd.DataFrame:
    """``table`` with, per weight (people, homes), its total inside and share (0-1)."""
    for key, values in weights.items():
        total = float(values.sum())
        table[f"{key}_inside"] = [round(float(values[inside[r]].sum()), 1)
                                  for r in table["radius_m"]]  # fmt: skip
        table[f"share_{key}"] = (table[f"{key}_inside"] / total).round(4) if total else 0.0
    return table


def coverage_both(
    parcels: gpd.GeoDataFrame,
    origins: Sequence[gpd.GeoDataFrame],
    net: WalkNetwork | None,
    circles: LifeCircles,
    distances_m: Mapping[int, float],
    weights: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, dict[tuple[str, float], pd.Series], gpd.GeoDataFrame | None]:
    """Coverage of ``parcels`` around the ``origins`` layers, straight-line and (with ``net``)
    along streets: one row per method and level (``method``, ``minutes``, ``radius_m`` ...,
    with ``people``/``homes`` counts where ``weights`` names their columns); each parcel's
    inside flag per (method, metres); the network's areas (EPSG:4549) or None."""
    merged = merge_origins(*origins)
    radii = list(distances_m.values())
    table, inside = circle_coverage(parcels, merged, radii)
    table.insert(0, "method", METHOD_STRAIGHT)
    found = {(METHOD_STRAIGHT, r): s for r, s in inside.items()}
    weight = _weights(parcels, weights or {})
    tables, areas = [_weighted(table, inside, weight)], None
    if net is not None:
        areas = network_areas(net, origin_points(merged)[0], radii, circles, each=False)
        shapes = dict(zip(areas["distance_m"], areas.geometry, strict=True))
        table, inside = area_coverage(parcels, shapes)
        table.insert(0, "method", METHOD_NETWORK)
        found |= {(METHOD_NETWORK, r): s for r, s in inside.items()}
        tables.append(_weighted(table, inside, weight))
    both = pd.concat(tables, ignore_index=True)
    minutes = {r: m for m, r in distances_m.items()}
    both.insert(1, "minutes", [minutes.get(r, circles.minutes(r)) for r in both["radius_m"]])
    return both.round({"share_parcels": 4, "share_area": 4}), found, areas


def origin_differences(
    parcels: gpd.GeoDataFrame,
    origins: gpd.GeoDataFrame,
    names: list[str],
    net: WalkNetwork,
    circles: LifeCircles,
    distance_m: float,
) -> pd.DataFrame:
    """Per origin, the parcels within ``distance_m`` metres by straight line and along streets,
    and the difference (``parcels_straight``, ``parcels_network``, ``difference``)."""
    points, owner = origin_points(origins)
    areas = network_areas(net, points, [distance_m], circles, names=names, owner=owner)
    reps = shapely.point_on_surface(to_metric(parcels).geometry.to_numpy())
    tree = shapely.STRtree(reps)
    rows = []
    shapes = to_metric(origins).geometry.to_numpy()
    for shape, area, name in zip(shapes, areas.geometry, names, strict=True):
        straight = len(tree.query(shape, predicate="dwithin", distance=distance_m))
        along = len(tree.query(area, predicate="contains")) if not area.is_empty else 0
        rows.append({"origin": name, "radius_m": distance_m, "parcels_straight": straight,
                     "parcels_network": along, "difference": along - straight})  # fmt: skip
    return pd.DataFrame(rows)
