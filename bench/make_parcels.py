"""Synthetic parcels for benchmarks: a grid of 20-vertex polygons over the park (EPSG:4549)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

STATUSES = np.array(["identified", "vacating", "vacated", "redeveloping", "completed"])
USES = np.array(["一类工业用地", "二类工业用地", "商务金融用地", "科研用地"])


def synthetic_parcels(
    n: int,
    *,
    vertices: int = 20,
    spacing_m: float = 180.0,
    radius_m: tuple[float, float] = (55.0, 85.0),
    seed: int = 7,
) -> gpd.GeoDataFrame:
    """``n`` parcels on a grid from the park's south-west corner, each a ``vertices``-vertex
    polygon of about ``radius_m`` metres (1-3 ha by default), EPSG:4549 metres."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    ix, iy = np.divmod(np.arange(n), side)
    cx = 562_000 + ix * spacing_m
    cy = 3_455_000 + iy * spacing_m
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radius = rng.uniform(*radius_m, size=(n, 1)) * (1 + 0.12 * np.sin(3 * angles))
    xs = cx[:, None] + radius * np.cos(angles)
    ys = cy[:, None] + radius * np.sin(angles)
    rings = np.stack([xs, ys], axis=-1)
    rings = np.concatenate([rings, rings[:, :1]], axis=1)
    polygons = shapely.polygons(rings)
    return gpd.GeoDataFrame(
        {
            "DKBH": [f"P{i:06d}" for i in range(n)],
            "用地性质": USES[rng.integers(0, len(USES), n)],
            "状态": STATUSES[rng.integers(0, len(STATUSES), n)],
            "面积": shapely.area(polygons).round(1),
        },
        geometry=polygons,
        crs="EPSG:4549",
    )
