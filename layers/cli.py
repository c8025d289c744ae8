"""The ``sip-atlas`` command line: start the app, list layers, ingest and manage uploads."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from geo.errors import IngestError, SipAtlasError

__all__ = ["main"]

APP_PATH = Path(__file__).resolve().parents[1] / "streamlit_app.py"


def _print_json(payload: dict) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _cmd_app(args: argparse.Namespace) -> int:
    command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH), *args.extra]
    return subprocess.call(command)


def _cmd_layers(args: argparse.Namespace) -> int:
    from geo.workspace import Workspace
    from layers.catalog import layer_info, load_base_layers, upload_info

    infos = [layer_info(spec, gdf) for spec, gdf in load_base_layers()]
    infos += [upload_info(entry) for entry in Workspace().list_layers()]
    if args.json:
        _print_json({"layers": infos})
        return 0
    width = max(len(i["id"]) for i in infos)
    for i in infos:
        bbox = ", ".join(f"{v:.4f}" for v in i["bbox"])
        print(
            f"{i['id']:<{width}}  {i['feature_count']:>6}  {i['geometry_type']:<8}  "
            f"[{bbox}]  {i['name_zh']} / {i['name_en']}"
        )
    return 0


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
    from geo.uploads.ingest import IngestOptions, inspect_upload
    from geo.uploads.save import save_upload
    from geo.workspace import Workspace

    files = [Path(p) for p in args.paths]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise IngestError(
            f"No such file: {', '.join(missing)}", f"文件不存在：{'、'.join(missing)}"
        )
    options = IngestOptions(
        encoding=args.encoding, crs=args.crs, layer=args.layer,
        mapping=_parse_mapping(args.map),
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="sip-atlas-ingest-") as workdir:
        result = inspect_upload(files, Path(workdir), options)
        report = save_upload(result, files, name=args.name, workspace=Workspace())
    if args.json:
        _print_json(report)
    else:
        print(f"saved {report['layer_id']} ({report['name']}): {report['features_kept']} of "
              f"{report['features_read']} features, {report['repaired']} repaired, "
              f"{report['dropped']} dropped; encoding {report['encoding']['name']} "
              f"({report['encoding']['how']}), CRS {report['crs']['name']} "
              f"({report['crs']['how']})")  # fmt: skip
        for warning in report["warnings"]:
            print(f"warning: {warning}")
    return 0


def _cmd_uploads(args: argparse.Namespace) -> int:
    from geo.workspace import Workspace

    workspace = Workspace()
    if args.action == "rename":
        if not args.name:
            raise SipAtlasError("rename needs a new name: sip-atlas uploads rename ID NAME")
        workspace.rename(args.layer_id, args.name)
    else:
        workspace.remove(args.layer_id)
    if args.json:
        _print_json({"layers": workspace.list_layers()})
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sip-atlas", description="Planning atlas of the Suzhou Industrial Park."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    app = sub.add_parser("app", help="start the Streamlit app (extra options go to streamlit)")
    app.set_defaults(func=_cmd_app)
    layers = sub.add_parser("layers", help="list base and uploaded layers: count, type, bbox")
    layers.add_argument("--json", action="store_true", help="print one JSON document")
    layers.set_defaults(func=_cmd_layers)
    ingest = sub.add_parser("ingest", help="read a parcel file into the workspace")
    ingest.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a zip, .gpkg, .geojson, .kml/.kmz, .csv, or a shapefile's parts",
    )
    ingest.add_argument("--encoding", default="auto", help="auto (default), UTF-8, GBK ...")
    ingest.add_argument("--crs", default="auto", help="auto (default), EPSG:N, gcj02 or bd09")
    ingest.add_argument("--name", help="display name (default: the file name)")
    ingest.add_argument("--layer", help="which layer, when the file holds several")
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
    uploads = sub.add_parser("uploads", help="rename or remove an uploaded layer")
    uploads.add_argument("action", choices=["rename", "remove"])
    uploads.add_argument("layer_id")
    uploads.add_argument("name", nargs="?")
    uploads.add_argument("--json", action="store_true", help="print the remaining layers")
    uploads.set_defaults(func=_cmd_uploads)  # fmt: skip
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


if __name__ == "__main__":
    sys.exit(main())
