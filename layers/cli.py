"""The ``sip-atlas`` command line: start the app, list layers."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from geo.errors import SipAtlasError

__all__ = ["main"]

APP_PATH = Path(__file__).resolve().parents[1] / "streamlit_app.py"


def _cmd_app(args: argparse.Namespace) -> int:
    command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH), *args.extra]
    return subprocess.call(command)


def _cmd_layers(args: argparse.Namespace) -> int:
    from layers.catalog import layer_info, load_base_layers

    infos = [layer_info(spec, gdf) for spec, gdf in load_base_layers()]
    if args.json:
        json.dump({"layers": infos}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(len(i["id"]) for i in infos)
    for i in infos:
        bbox = ", ".join(f"{v:.4f}" for v in i["bbox"])
        print(
            f"{i['id']:<{width}}  {i['feature_count']:>4}  {i['geometry_type']:<8}  "
            f"[{bbox}]  {i['name_zh']} / {i['name_en']}"
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sip-atlas", description="Planning atlas of the Suzhou Industrial Park."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    app = sub.add_parser("app", help="start the Streamlit app (extra options go to streamlit)")
    app.set_defaults(func=_cmd_app)
    layers = sub.add_parser("layers", help="list every layer with its count, type and bbox")
    layers.add_argument("--json", action="store_true", help="print one JSON document")
    layers.set_defaults(func=_cmd_layers)
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
    except (SipAtlasError, KeyError, OSError) as exc:
        print(f"sip-atlas: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
