"""Layers the analysis derives at run time: walking circles, highlighted parcels, nearby."""

from __future__ import annotations

import geopandas as gpd

from layers.registry import LayerSpec, Style

__all__ = ["derived_layer"]

_STYLES = {
    "circles": Style(color="#238b45", weight=1, fill_color="#a1d99b", fill_opacity=0.15,
                     dash_array="3 4", class_name="sip-walking-circle"),
    # highlights outline what they mark: its own colours (a status, a kind) stay readable
    "outside": Style(color="#e31a1c", weight=3, fill_color="#e31a1c", fill_opacity=0.0,
                     class_name="sip-highlight-outside", interactive=False),
    "selected": Style(color="#08519c", weight=4, fill_color="#08519c", fill_opacity=0.0,
                      radius=11, class_name="sip-selected", interactive=False),
    # outlines only: what is near keeps its own colours (a status, a kind) under them
    "nearby": Style(color="#ff7f00", weight=3, fill_color="#ff7f00", fill_opacity=0.0,
                    radius=9, class_name="sip-highlight-nearby", interactive=False),
    # the walk from a click along streets: a dashed outline per life circle, lightly filled
    "walk": Style(color="#6a51a3", weight=2, fill_color="#9e9ac8", fill_opacity=0.12,
                  dash_array="6 4", class_name="sip-walk-click", interactive=False),
    # parcels the life-circle check finds missing a facility: dashed purple, apart from red
    "lacking": Style(color="#7a0177", weight=3, fill_color="#7a0177", fill_opacity=0.0,
                     dash_array="5 4", class_name="sip-highlight-lacking", interactive=False),
    # where the walking network's check found something: small hollow rings
    "issues": Style(color="#d94801", weight=2, fill_color="#fdae6b", fill_opacity=0.6,
                    radius=5, class_name="sip-network-issue"),
}  # fmt: skip


def derived_layer(
    kind: str,
    layer_id: str,
    names: tuple[str, str],
    gdf: gpd.GeoDataFrame,
    tooltip: tuple[str, ...] = ("id",),
    geometry_type: str = "Polygon",
) -> tuple[LayerSpec, gpd.GeoDataFrame]:
    """A (registry entry, data) pair for a derived layer; ``kind`` picks its style:
    'circles', 'outside' (parcels outside every 15-minute circle), 'selected', 'nearby', 'walk'
    (a click's walk along streets), 'lacking' (missing a facility) or 'issues' (the walking
    network's check)."""
    spec = LayerSpec(
        id=layer_id, file="", name_zh=names[0], name_en=names[1], group="analysis",
        geometry_type=geometry_type, schema={"id": "str"}, style=_STYLES[kind],
        tooltip=tooltip, popup=tooltip,
    )  # fmt: skip
    return spec, gdf
