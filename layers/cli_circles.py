"""``sip-atlas circles``: life circles along the streets of a network layer, per origin and
level; the network's check goes with them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import METRIC_CRS
from geo.errors import SipAtlasError

__all__ = ["add_circles_command", "parse_point"]


def parse_point(text: str) -> shapely.Point:
    """'120.70,31.32' (lon,lat in degrees, WGS84) as a Point in EPSG:4549."""
    try:
        lon, lat = (float(v) for v in text.split(","))
    except ValueError:
        said = f"--at takes LON,LAT in degrees, e.g. 120.70,31.32; not {text!r}"
        raise SipAtlasError(said) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise SipAtlasError(f"--at {text}: lon,lat out of range (lon first, e.g. 120.70,31.32)")
    point = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326").to_crs(METRIC_CRS)
    return point.iloc[0]


def _cmd_circles(args: argparse.Namespace) -> int:
    from geo.export import export_layer
    from geo.service_areas import METHOD_NETWORK, life_circles, network_areas, origin_points
    from layers.catalog import load_any_layer
    from layers.cli_store import print_json
    from layers.walk import network_layer, origin_names

    circles = life_circles(args.classes)
    distances = args.distances or list(circles.levels.values())
    if any(d <= 0 for d in distances):
        raise SipAtlasError("--distances takes metres above 0, e.g. 300 500 1000")
    spec, lines = load_any_layer(args.network)
    net, check = network_layer(spec, lines)
    if args.at:
        points, owner, names = np.array([parse_point(args.at)]), None, [args.at]
    else:
        origin_spec, origins = load_any_layer(args.origins)
        points, owner = origin_points(origins)
        names = origin_names(origin_spec, origins, args.lang)
    areas = network_areas(net, points, distances, circles, names=names, owner=owner)
    far = areas.loc[~(areas["to_street_m"] <= 500), "origin"].unique()
    summary = {
        "network": spec.id, "origins": len(names), "method": METHOD_NETWORK,
        "standard": circles.source_en, "band_m": circles.band_m,
        "levels": [{"distance_m": d, "minutes": circles.minutes(d),
                    "area_m2": round(float(g["area_m2"].sum()), 1),
                    "street_m": round(float(g["street_m"].sum()), 1)}
                   for d, g in areas.groupby("distance_m", sort=True)],
        "origins_off_network": [str(n) for n in far],
        "check": check.figures, "findings": check.said(args.lang),
        "findings_en": check.said("en"), "findings_zh": check.said("zh"),
    }  # fmt: skip
    if args.out:
        info = export_layer(areas, Path(args.out), name="life_circles",
                            attribution="; ".join(spec.attribution))  # fmt: skip
        summary["out"] = info
    if args.json:
        print_json(summary)
        return 0
    for line in check.said(args.lang):
        print(f"network: {line}", file=sys.stderr)
    if len(far):
        print(f"sip-atlas: {len(far)} origins lie more than 500 m from every street and reach "
              f"nothing: {', '.join(map(str, far[:10]))}", file=sys.stderr)  # fmt: skip
    shown = areas.drop(columns="geometry")
    print(shown.to_string(index=False))
    if args.out:
        print(f"wrote {summary['out']['path']}: {len(areas)} areas")
    return 0


def add_circles_command(sub) -> None:
    """Add ``circles`` to the ``sip-atlas`` subcommands."""
    circles = sub.add_parser(
        "circles", help="life circles along the streets of a network layer (GB 50180-2018)"
    )
    circles.add_argument("--network", required=True, help="a line layer: the streets walked")
    where = circles.add_mutually_exclusive_group(required=True)
    where.add_argument("--from", dest="origins", help="a layer whose features are the origins")
    where.add_argument("--at", help="one origin: LON,LAT in degrees (WGS84)")
    circles.add_argument(
        "--distances",
        type=float,
        nargs="+",
        help="walking metres (default: the standard's 300 500 1000)",
    )
    circles.add_argument("--out", help="write the areas: FILE.gpkg, .geojson, .zip or .csv")
    circles.add_argument("--classes", help="life-circle settings file (default: the atlas's)")
    circles.add_argument("--lang", choices=["zh", "en"], default="zh", help="names and findings")
    circles.add_argument("--json", action="store_true", help="print a summary as JSON")
    circles.set_defaults(func=_cmd_circles)
