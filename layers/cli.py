"""The ``sip-atlas`` command line: start the app, list layers, ingest and manage uploads."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from geo.errors import IngestError, SipAtlasError
from layers.cli_circles import add_circles_command
from layers.cli_export import add_export_parser
from layers.cli_store import add_store_commands, print_json

__all__ = ["main"]


def _cmd_app(args: argparse.Namespace) -> int:
    from layers.cli_app import run_app

    return run_app(args.extra)


def _cmd_layers(args: argparse.Namespace) -> int:
    from geo.workspace import open_workspace
    from layers.catalog import layer_info, load_base_layers, upload_info

    infos = [layer_info(spec, gdf) for spec, gdf in load_base_layers()]
    infos += [upload_info(entry) for entry in open_workspace().list_layers()]
    if args.json:
        print_json({"layers": infos})
        return 0
    width = max(len(i["id"]) for i in infos)
    for i in infos:
        bbox = ", ".join(f"{v:.4f}" for v in i["bbox"])
        print(
            f"{i['id']:<{width}}  {i['feature_count']:>6}  {i['geometry_type']:<8}  "
            f"[{bbox}]  {i['name_zh']} / {i['name_en']}"
        )
    return 0


def _cmd_find(args: argparse.Namespace) -> int:
    from geo.workspace import open_workspace
    from layers.catalog import load_base_layers
    from layers.find import find_features
    from layers.uploads import load_uploaded_layers

    layers = [*load_base_layers(), *load_uploaded_layers(open_workspace())]
    hits = find_features(layers, args.text, lang=args.lang, limit=args.limit)
    if args.json:
        print_json({"query": args.text, "hits": [h.to_json() for h in hits]})
    elif not hits:
        print(f"Nothing found for {args.text!r}. / 没有找到 {args.text!r}。")
    for hit in [] if args.json else hits:
        lon, lat = hit.to_json()["centre_wgs84"]
        print(f"{hit.layer_id}  {hit.feature_id}  {hit.label}  ({lon:.5f}, {lat:.5f})")
    return 0 if hits else 1


def _parse_mapping(pairs: list[str]) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep:
            raise IngestError(
                f"--map takes FIELD=COLUMN, not {pair!r} (e.g. --map parcel_id=DKBH).",
                f"--map 的格式为 字段=列名，而不是 {pair!r}（例如 --map parcel_id=DKBH）。",
            )
        mapping[field.strip()] = column.strip() or None
    return mapping


def _cmd_ingest(args: argparse.Namespace) -> int:
    from geo.store import local_actor
    from geo.uploads.charsets import clean_text
    from geo.uploads.ingest import IngestOptions, inspect_upload
    from geo.uploads.save import save_upload
    from geo.workspace import open_workspace

    files = [Path(p) for p in args.paths]
    missing = [clean_text(str(p)) for p in files if not p.is_file()]
    if missing:
        raise IngestError(
            f"No such file: {', '.join(missing)}", f"文件不存在：{'、'.join(missing)}"
        )
    kind = {"point": "Point", "line": "LineString", "polygon": "Polygon"}.get(args.geometry)
    options = IngestOptions(
        encoding=args.encoding, crs=args.crs, layer=args.layer,
        mapping=_parse_mapping(args.map), geometry=kind or "auto",
        cad_layers=[n.strip() for n in args.cad_layers.split(",") if n.strip()]
        if args.cad_layers else None, close_gaps_m=args.close_gaps,
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="sip-atlas-ingest-") as workdir:
        result = inspect_upload(files, Path(workdir), options)
        workspace = open_workspace()
        report = save_upload(result, files, name=args.name, workspace=workspace,
                             actor=local_actor())  # fmt: skip
    if not args.json:  # the report first; a large layer's tiles follow, with their progress
        print(f"saved {report['layer_id']} ({report['name']}): {report['features_kept']} of "
              f"{report['features_read']} features, {report['repaired']} repaired, "
              f"{report['dropped']} dropped; encoding {report['encoding']['name']} "
              f"({report['encoding']['how']}), CRS {report['crs']['name']} "
              f"({report['crs']['how']})", flush=True)  # fmt: skip
        for line in _cad_lines(result.report.cad):
            print(line, flush=True)
        for warning in report["warnings"]:
            print(f"warning: {warning}", flush=True)
    tiles = _tiles_of(workspace, report["layer_id"], quiet=args.json)
    if tiles:
        report["tiles"] = tiles
    if args.json:
        print_json(report)
    return 0


def _cad_lines(cad: dict) -> list[str]:
    """A DXF drawing's layers with what they hold, and which were read in what unit."""
    if not cad:
        return []
    from geo.uploads.dxf import CadLayer

    lines = [f"drawing layer {c['name']}: {CadLayer(**c).counts('en')}" for c in cad["layers"]]
    return [
        *lines,
        f"read layers {', '.join(cad['chosen'])} in {cad['unit']} "
        f"({cad['unit_how']}); {cad['texts'].get('inside', 0)} texts placed in parcels",
    ]


def _tiles_of(workspace, layer_id: str, *, quiet: bool) -> dict | None:
    """Build a large saved layer's vector tiles now (folder store: its PMTiles and overview;
    PostGIS makes tiles on request: its overview); its tile state, or None for a layer drawn
    without tiles."""
    import time

    from geo.tiles import TileBuild, tiled
    from layers.uploads import ensure_tiles, upload_spec

    entry = workspace.entry(layer_id)
    if not tiled(entry):
        return None
    if not quiet:
        # measured 2.6e-4 s a feature at 1,000,000 (bench), 3.5e-4 at 100,000: the larger
        about = entry["feature_count"] * TileBuild.SECONDS_PER_FEATURE * 1.4
        print(f"building vector tiles of {entry['feature_count']:,} features (about "
              f"{about:.0f} s) ...", flush=True)  # fmt: skip
    gdf = workspace.load(layer_id)
    spec = upload_spec(entry, 0, list(gdf.columns))
    started = time.monotonic()
    state = ensure_tiles(workspace, spec, lambda: gdf, wait=True)
    if state["state"] == "ready" and not quiet:
        print(f"  vector tiles ready in {time.monotonic() - started:.0f} s", flush=True)
    if state["state"] == "failed":
        print(f"warning: vector tiles not built: {state.get('reason')}", file=sys.stderr)
    return state


def _cmd_uploads(args: argparse.Namespace) -> int:
    from geo.store import local_actor
    from geo.uploads.charsets import clean_text
    from geo.workspace import open_workspace

    workspace = open_workspace()
    if args.action == "rename":
        if not args.name:
            raise SipAtlasError("rename needs a new name: sip-atlas uploads rename ID NAME")
        workspace.rename(args.layer_id, clean_text(args.name), actor=local_actor())
    else:
        workspace.remove(args.layer_id, actor=local_actor())  # to the trash: sip-atlas restore
    if args.json:
        print_json({"layers": workspace.list_layers()})
    return 0


def _radii(text: str | None) -> dict[int, float]:
    """'300,500,1000' or '5=300,10=500' -> {minutes or metres: metres}."""
    from geo.service_areas import life_circles
    from geo.walking import minutes_for

    if not text:
        return dict(life_circles().levels)  # the standard's, or SIP_ATLAS_LIFE_CIRCLES
    circles: dict[int, float] = {}
    for item in text.split(","):
        label, sep, metres = item.partition("=")
        try:
            radius = float(metres if sep else label)
        except ValueError:
            raise SipAtlasError(f"--within takes metres like 300,500,1000, not {item!r}") from None
        if radius <= 0:
            raise SipAtlasError(f"--within needs distances above 0 m, not {item!r}")
        key = int(label) if sep else (minutes_for(radius) or int(radius))
        circles[key] = radius
    return circles


def _cmd_stats(args: argparse.Namespace) -> int:
    import pandas as pd

    from geo.analysis import UNASSIGNED
    from geo.walking import merge_origins
    from layers.analysis import AnalysisLayer, coverage_table, overlay_table
    from layers.catalog import load_any_layer
    from layers.i18n import t

    spec, gdf = load_any_layer(args.layer)
    if spec.geometry_type != "Polygon":
        raise SipAtlasError(
            f"--layer {args.layer} has {spec.geometry_type}s: choose a polygon layer"
        )
    column = args.by if args.by and args.by in gdf.columns else None  # the layer's own 片区
    districts = load_any_layer(args.by) if args.by and column is None else None
    layer = AnalysisLayer.prepare(spec, gdf, districts, args.lang, column=column)
    table = overlay_table(layer, layer.gdf, args.field)
    table["group"] = table["group"].replace(UNASSIGNED, t("district_none", args.lang))
    document = {
        "layer": spec.id, "by": args.by, "field": args.field, "crs_measured": "EPSG:4549",
        "rows": table.to_dict(orient="records"),
        "total": {"count": len(layer.gdf),
                  "area_m2": round(float(layer.gdf["area_m2"].sum()), 1),
                  "area_ha": round(float(layer.gdf["area_ha"].sum()), 3),
                  "area_mu": round(float(layer.gdf["area_mu"].sum()), 2)},
    }  # fmt: skip
    if "floor_area_m2" in table:
        document["total"]["floor_area_m2"] = round(float(table["floor_area_m2"].sum()), 1)
    if args.of or args.within or args.network:
        of = (args.of or "consumption_scenes,service_districts").split(",")
        if args.network:
            coverage, differences = _network_coverage(args, layer.gdf, of)
            document["coverage"] = {
                "of": of,
                "network": args.network,
                "rows": coverage.to_dict(orient="records"),
                "differences": differences.to_dict(orient="records"),
            }
        else:
            origins = merge_origins(*(load_any_layer(i.strip())[1] for i in of))
            coverage, _ = coverage_table(layer.gdf, origins, _radii(args.within))
            document["coverage"] = {"of": of, "rows": coverage.to_dict(orient="records")}
    if args.json:
        print_json(document)
        return 0
    print(table.to_string(index=False))
    if "coverage" in document:
        print()
        print(coverage.to_string(index=False))
        if "differences" in document["coverage"]:
            print()
            print(pd.DataFrame(document["coverage"]["differences"]).to_string(index=False))
    return 0


def _network_coverage(args: argparse.Namespace, parcels, of: list[str]):
    """Coverage by both methods, and per origin the difference at the largest level."""
    import pandas as pd

    from geo.service_areas import life_circles
    from layers.catalog import load_any_layer
    from layers.walk import coverage_both, network_layer, origin_differences, origin_names

    circles = life_circles()
    levels = _radii(args.within) if args.within else dict(circles.levels)
    net, _ = network_layer(*load_any_layer(args.network))
    origins = [load_any_layer(i.strip()) for i in of]
    weights = {"people": args.people, "homes": args.homes}
    for column in (c for c in weights.values() if c and c not in parcels):
        raise SipAtlasError(f"{args.layer} has no column {column!r}")
    table, _, _ = coverage_both(parcels, [g for _, g in origins], net, circles, levels, weights)
    differences = pd.concat([
        origin_differences(parcels, g, origin_names(s, g, args.lang), net, circles,
                           max(levels.values())) for s, g in origins
    ], ignore_index=True)  # fmt: skip
    return table, differences


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from geo.uploads.charsets import clean_text
    from layers.catalog import shown_layers
    from layers.snapshot import write_snapshot

    layers, visible = shown_layers(args.layers)
    bbox = None
    if args.bbox:
        try:
            bbox = tuple(float(v) for v in args.bbox.split(","))
        except ValueError:
            raise SipAtlasError("--bbox takes minx,miny,maxx,maxy in lon/lat degrees") from None
        if len(bbox) != 4:
            raise SipAtlasError("--bbox takes four numbers: minx,miny,maxx,maxy")
    tiles = {"auto": None, "tiles": True, "none": False}[args.basemap]
    options = {"bbox_wgs84": bbox} if bbox else {}
    info = write_snapshot(
        layers, Path(args.out), title=clean_text(args.title), subtitle=clean_text(args.subtitle),
        visible=visible,
        paper=args.paper, orientation=args.orientation, lang=args.lang, tiles=tiles, **options,
    )  # fmt: skip
    if args.json:
        print_json(info)
    else:
        print(f"wrote {info['path']}")
    return 0


def _cmd_scenario(args: argparse.Namespace) -> int:
    from geo.export import export_layer
    from geo.plans import Plans, measure

    plans = Plans()
    if args.action == "list":
        document = {"scenarios": plans.scenarios()}
    else:
        if not args.name:
            raise SipAtlasError(
                f"scenario {args.action} needs a NAME: sip-atlas scenario {args.action} NAME"
            )
        scenario = plans.scenario(args.name)
        proposals = plans.proposals()
        proposals = proposals[proposals["id"].isin(scenario["proposals"])]
        if args.action == "show":
            items = [{**{k: row[k] for k in ("id", "title", "kind", "comment", "author")},
                      **measure(row.geometry)} for _, row in proposals.iterrows()]  # fmt: skip
            document = {**scenario, "proposals": items}
        else:
            if not args.out:
                raise SipAtlasError("scenario export needs --out FILE.gpkg")
            document = export_layer(proposals, Path(args.out), name=args.name)
            document["scenario"] = scenario
    if args.json:
        print_json(document)
    else:
        print(json.dumps(document, ensure_ascii=False, indent=1, default=str))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sip-atlas", description="Planning atlas of the Suzhou Industrial Park."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    app = sub.add_parser(
        "app",
        help="start the app on this machine (127.0.0.1:8501); Streamlit's options follow, e.g. "
        "--server.port 8600 or --server.address 0.0.0.0 for colleagues (docs/admin.md: a team)",
    )
    app.set_defaults(func=_cmd_app)
    layers = sub.add_parser("layers", help="list base and uploaded layers: count, type, bbox")
    layers.add_argument("--json", action="store_true", help="print one JSON document")
    layers.set_defaults(func=_cmd_layers)
    find = sub.add_parser("find", help="find features by number or name in every layer")
    find.add_argument("text", help="a number or name, e.g. LR-XL-07 or 苏州中心")
    find.add_argument("--lang", choices=["zh", "en"], default="zh", help="names shown")
    find.add_argument("--limit", type=int, default=20, help="at most this many hits (20)")
    find.add_argument("--json", action="store_true", help="print one JSON document")
    find.set_defaults(func=_cmd_find)
    ingest = sub.add_parser("ingest", help="read a parcel file into the workspace")
    ingest.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a zip (also inside a zip), .gpkg, .geojson, .kml/.kmz, .fgb, .parquet, .dxf, .osm, "
        ".csv or .xlsx (WKT or lon/lat or x/y columns), or a shapefile's parts",
    )
    ingest.add_argument("--encoding", default="auto", help="auto (default), UTF-8, GBK ...")
    ingest.add_argument("--crs", default="auto", help="auto (default), EPSG:N, gcj02 or bd09")
    ingest.add_argument("--name", help="display name (default: the file name)")
    ingest.add_argument("--geometry", choices=["auto", "polygon", "line", "point"],
                        default="auto", help="the kind kept where a file mixes them (default: "
                        "polygons over lines over points)")  # fmt: skip
    ingest.add_argument("--layer", help="which layer, when the file holds several")
    ingest.add_argument("--cad-layers", help="a DXF drawing's layers to read, comma-separated "
                        "(default: those with closed shapes, else those with lines)")  # fmt: skip
    ingest.add_argument("--close-gaps", type=float, default=0.0, metavar="M",
                        help="a DXF's open polylines whose ends are at most M metres apart "
                        "are closed (default 0: reported, not read)")  # fmt: skip
    ingest.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="column of a parcel field (parcel_id, land_use, area, status, "
        "planned_use); repeatable",
    )
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    ingest.set_defaults(func=_cmd_ingest)
    stats = sub.add_parser("stats", help="counts and areas by district; walking-circle coverage")
    stats.add_argument("--layer", required=True, help="polygon layer to measure, base or uploaded")
    stats.add_argument(
        "--by", help="district layer (lake_districts, carrier_parks ...) or a column (area_zh)"
    )
    stats.add_argument("--field", choices=["status", "land_use"], help="split each district by")
    stats.add_argument("--within", help="circle radii in metres, e.g. 300,500,1000 (default)")
    stats.add_argument(
        "--of",
        help="layers the circles are drawn around, comma-separated "
        "(default: consumption_scenes,service_districts)",
    )
    stats.add_argument("--network", help="a line layer: coverage along its streets, beside the "
                       "straight-line circles")  # fmt: skip
    stats.add_argument("--people", help="with --network: the column of people per parcel")
    stats.add_argument("--homes", help="with --network: the column of homes (dwellings)")
    stats.add_argument("--lang", choices=["zh", "en"], default="zh", help="district names in")
    stats.add_argument("--json", action="store_true", help="print one JSON document")
    stats.set_defaults(func=_cmd_stats)
    snap = sub.add_parser("snapshot", help="a proposal-ready map: .png (300 dpi), .pdf, .html")
    snap.add_argument("--out", required=True, help="FILE.png, FILE.pdf or FILE.html")
    snap.add_argument("--layers", help="layer ids, comma-separated (default: those shown)")
    snap.add_argument("--bbox", help="minx,miny,maxx,maxy in lon/lat degrees (default: SIP)")
    snap.add_argument("--title", default="苏州工业园区规划图集", help="the map's title")
    snap.add_argument("--subtitle", default="", help="a line under the title")
    snap.add_argument("--paper", choices=["A4", "A3"], default="A4")
    snap.add_argument("--orientation", choices=["landscape", "portrait"], default="landscape")
    snap.add_argument("--lang", choices=["zh", "en"], default="zh")
    snap.add_argument(
        "--basemap",
        choices=["auto", "tiles", "none"],
        default="auto",
        help="auto: OpenStreetMap tiles when reachable, else the park's context",
    )
    snap.add_argument("--json", action="store_true", help="print what was written as JSON")
    snap.set_defaults(func=_cmd_snapshot)
    add_export_parser(sub)
    scenario = sub.add_parser("scenario", help="list, show or export the planning scenarios")
    scenario.add_argument("action", choices=["list", "show", "export"])
    scenario.add_argument("name", nargs="?", help="the scenario's name")
    scenario.add_argument("--out", help="with export: FILE.gpkg (or .geojson, .zip, .csv)")
    scenario.add_argument("--json", action="store_true", help="print one JSON document")
    scenario.set_defaults(func=_cmd_scenario)
    uploads = sub.add_parser("uploads", help="rename or remove an uploaded layer")
    uploads.add_argument("action", choices=["rename", "remove"])
    uploads.add_argument("layer_id")
    uploads.add_argument("name", nargs="?")
    uploads.add_argument("--json", action="store_true", help="print the remaining layers")
    uploads.set_defaults(func=_cmd_uploads)  # fmt: skip
    add_store_commands(sub)
    add_circles_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``sip-atlas``; returns the exit status. Errors go to stderr, never a traceback."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "app":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return args.func(args)
    except IngestError as exc:
        print(f"sip-atlas: {exc.en}\nsip-atlas: {exc.zh}", file=sys.stderr)
        return 2
    except (SipAtlasError, KeyError, OSError) as exc:
        print(f"sip-atlas: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: still a message, never a traceback (unless asked for)
        if os.environ.get("SIP_ATLAS_DEBUG"):
            raise
        print(f"sip-atlas: unexpected error ({type(exc).__name__}: {exc}). Nothing was saved "
              "half-way. Please report it with the file; SIP_ATLAS_DEBUG=1 shows the details.",
              file=sys.stderr)  # fmt: skip
        return 3


if __name__ == "__main__":
    sys.exit(main())
