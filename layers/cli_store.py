"""``sip-atlas trash``, ``restore``, ``history`` and ``users``: the workspace's trash, its record
of changes and its roles, in either store. Changes made here are recorded as ``local:<user>``
(the server's own command line acts as an administrator)."""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_store_commands", "print_json"]


def print_json(payload: dict) -> None:
    """Print ``payload`` as one JSON document (UTF-8 text, not escaped), for every --json."""
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _cmd_trash(args: argparse.Namespace) -> int:
    from geo.plans import Plans
    from geo.store import local_actor
    from geo.workspace import open_workspace

    workspace = open_workspace()
    if args.empty:
        gone = workspace.empty_trash(actor=local_actor())
        gone += [f"{kind} {key}" for kind, key in Plans(workspace, local_actor()).empty_trash()]
        print(f"deleted for good: {', '.join(gone) or 'nothing (the trash was empty)'}")
        return 0

    trash = workspace.trash()
    plans = Plans(workspace).trash()
    if args.json:
        print_json({"trash": trash, "plans": plans})
        return 0
    for entry in trash:
        print(f"layer     {entry['id']}  {entry['name']}  removed by {entry['removed_by']} "
              f"at {entry['removed_at']}")  # fmt: skip
    for entry in plans:
        key = entry["item"]["id"] if entry["kind"] == "proposal" else entry["item"]["name"]
        print(
            f"{entry['kind']:<9} {key}  removed by {entry['removed_by']} at {entry['removed_at']}"
        )
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from geo.errors import PlanError, SipAtlasError, WorkspaceError
    from geo.plans import Plans
    from geo.store import local_actor
    from geo.workspace import open_workspace

    workspace = open_workspace()
    try:
        entry = workspace.restore(args.key, actor=local_actor())
        print(f"restored layer {entry['id']} ({entry['name']})")
    except WorkspaceError:
        try:
            kind = Plans(workspace, actor=local_actor()).restore(args.key)
        except PlanError:
            raise SipAtlasError(f"Nothing called {args.key!r} is in the trash (layers, proposals, "
                                "scenarios); see `sip-atlas trash`.") from None  # fmt: skip
        print(f"restored {kind} {args.key}")
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    from datetime import datetime

    from geo.errors import SipAtlasError
    from geo.workspace import open_workspace

    if args.since:
        try:
            datetime.fromisoformat(args.since)
        except ValueError:
            raise SipAtlasError(
                f"--since takes a date like 2026-11-26, not {args.since!r}"
            ) from None
    kind = args.kind or ("layer" if args.target else None)
    events = open_workspace().history(since=args.since, target=args.target, kind=kind)
    if args.json:
        print_json({"history": events})
    for e in [] if args.json else events:
        name = (e["after"] or e["before"] or {}).get("name", "")
        print(f"{e['at']}  {e['actor']}  {e['action']}  {e['kind']} {e['target']}  {name}")
    return 0


def _cmd_users(args: argparse.Namespace) -> int:
    from geo.errors import SipAtlasError
    from geo.store import check_role, local_actor
    from geo.workspace import open_workspace

    workspace = open_workspace()
    if args.action == "set-role":
        if not args.email or not args.role:
            raise SipAtlasError("set-role needs an e-mail and a role: sip-atlas users set-role "
                                "EMAIL viewer|editor|admin")  # fmt: skip
        try:
            check_role(args.role)
        except ValueError as exc:
            raise SipAtlasError(str(exc)) from None
        workspace.set_role(args.email, args.role, actor=local_actor())
    elif args.action == "remove":
        if not args.email:
            raise SipAtlasError("remove needs an e-mail: sip-atlas users remove EMAIL")
        workspace.remove_user(args.email, actor=local_actor())
    users = workspace.users()
    if args.json:
        print_json({"users": users})
    elif args.action == "list":
        for email, role in users.items():
            print(f"{role:<7} {email}")
        if not users:
            print("no roles set: a single planner's workspace, open to whoever runs the app")
    return 0


def add_store_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``trash``, ``restore``, ``history`` and ``users`` to the command line."""
    users = sub.add_parser("users", help="who may do what: list, set-role EMAIL ROLE, remove EMAIL")
    users.add_argument("action", choices=["list", "set-role", "remove"])
    users.add_argument("email", nargs="?")
    users.add_argument("role", nargs="?", help="viewer, editor or admin")
    users.add_argument("--json", action="store_true", help="print the users as JSON")
    users.set_defaults(func=_cmd_users)
    trash = sub.add_parser("trash", help="removed layers, kept until the trash is emptied")
    trash.add_argument("--empty", action="store_true", help="delete them and their files for good")
    trash.add_argument("--json", action="store_true", help="print one JSON document")
    trash.set_defaults(func=_cmd_trash)
    restore = sub.add_parser(
        "restore", help="bring a layer, proposal or scenario back from the trash"
    )
    restore.add_argument("key", help="a layer id, a proposal id or a scenario name")
    restore.set_defaults(func=_cmd_restore)
    history = sub.add_parser("history", help="every change: who, when, what, before and after")
    history.add_argument("--since", help="from this date or time (ISO 8601), e.g. 2026-11-26")
    history.add_argument("--target", help="only the changes of this layer id (or, with --kind, "
                         "proposal id, scenario name, account)")  # fmt: skip
    history.add_argument("--kind", choices=["layer", "proposal", "scenario", "user"],
                         help="only changes of this kind of thing")  # fmt: skip
    history.add_argument("--json", action="store_true", help="print one JSON document")
    history.set_defaults(func=_cmd_history)
