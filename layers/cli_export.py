"""``sip-atlas export``: a layer as data (GeoPackage with its QGIS style, GeoJSON, zipped
shapefile, CSV, DXF), or the shown layers as a QGIS project (``--qgis DIR``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import SipAtlasError
from layers.cli_store import print_json

__all__ = ["add_export_parser"]


def _cmd_export(args: argparse.Namespace) -> int:
    if args.qgis:
        return _qgis(args)
    if not (args.layer and args.out):
        raise SipAtlasError("export needs --layer ID --out FILE, or --qgis DIR")
    from geo.export import export_layer
    from layers.catalog import load_any_layer
    from layers.qgis_style import export_style

    spec, gdf = load_any_layer(args.layer)
    info = export_layer(gdf, Path(args.out), encoding=args.encoding, name=spec.id,
                        attribution="; ".join(spec.attribution),
                        style=export_style(spec, gdf, args.lang))  # fmt: skip
    if args.json:
        print_json(info)
    else:
        print(f"wrote {info['path']}: {info['features']} features, {info['format']}, "
              f"{info['crs']}")  # fmt: skip
    _say_not_in_encoding(info)
    return 0


def _qgis(args: argparse.Namespace) -> int:
    from geo.settings import default_basemap
    from layers.basemaps import basemap
    from layers.catalog import shown_layers
    from layers.folium_map import stacked
    from layers.qgis_project import write_qgis_project

    layers, visible = shown_layers(args.layers)
    shown = [(s, g) for s, g in stacked(layers) if s.id in visible]
    chosen = args.basemap or default_basemap()
    try:
        base = basemap(chosen)
    except KeyError as exc:
        raise SipAtlasError(str(exc.args[0])) from None
    info = write_qgis_project(shown, Path(args.qgis), lang=args.lang,
                              basemap=None if base.tiles is None else base)  # fmt: skip
    if args.json:
        print_json(info)
        return 0
    print(f"wrote {info['project']} and {info['data']}: {len(info['layers'])} layers, "
          f"{info['crs']}, basemap {info['basemap'] or 'none'}")  # fmt: skip
    if info["basemap_left_out"]:
        print(f"sip-atlas: the basemap {info['basemap_left_out']} is in GCJ-02 and would lie "
              "about 500 m off the data in QGIS; left out (use osm, light or Tianditu).",
              file=sys.stderr)  # fmt: skip
    return 0


def _say_not_in_encoding(info: dict) -> None:
    """Warn on stderr about what the export's encoding could not hold."""
    lost, renamed = info.get("not_in_encoding") or [], info.get("renamed_for_encoding") or {}
    if not lost and not renamed:
        return
    said = "; ".join(f"{x['column']} row {x['row'] + 1}: {x['value']}" for x in lost[:5])
    more = f" and {len(lost) - 5} more" if len(lost) > 5 else ""
    names = ", ".join(f"{a} -> {b}" for a, b in renamed.items())
    names = f" and column names ({names})" if names else ""
    print(f"sip-atlas: {info.get('encoding', '')} cannot hold {len(lost)} values ({said}{more})"
          f"{names}; they are written with ? (_ in names) in place of those characters. "
          "Export with --encoding utf-8 to keep them.", file=sys.stderr)  # fmt: skip


def add_export_parser(sub) -> None:
    """The ``export`` subcommand."""
    said = ("a layer as .gpkg (with its QGIS style), .geojson, .zip (shapefile), .csv or .dxf; "
            "or a QGIS project (--qgis DIR)")  # fmt: skip
    export = sub.add_parser("export", help=said)
    export.add_argument("--layer", help="a base or uploaded layer id")
    export.add_argument("--out", help="FILE.gpkg, .geojson, .zip, .csv or .dxf (EPSG:4549)")
    export.add_argument("--qgis", metavar="DIR", help="write DIR/sip-atlas.qgz (a QGIS project "
                        "of the shown layers, EPSG:4549) and DIR/sip-atlas.gpkg")  # fmt: skip
    export.add_argument("--layers", help="with --qgis: layer ids, comma-separated (default: "
                        "those the map shows at first)")  # fmt: skip
    export.add_argument("--basemap", help="with --qgis: a basemap id (default: "
                        "SIP_ATLAS_BASEMAP, else light); none for none")  # fmt: skip
    export.add_argument("--lang", choices=["zh", "en"], default="zh",
                        help="names, categories and labels in (default zh)")  # fmt: skip
    export.add_argument(
        "--encoding",
        choices=["utf-8", "gbk"],
        default="utf-8",
        help="shapefile text encoding (gbk for older desktop GIS)",
    )
    export.add_argument("--json", action="store_true", help="print what was written as JSON")
    export.set_defaults(func=_cmd_export)
