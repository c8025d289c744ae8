"""The one interface both workspace stores give: the folder of GeoPackages (``geo.workspace``)
and PostgreSQL/PostGIS (``geo.pgstore``). Changes name who made them (``actor``: the signed-in
identity on a team server, ``local:<user>`` on a planner's own machine), are recorded in the
store's history with the same lock or transaction as the change, and removals go to a trash.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

import geopandas as gpd

__all__ = [
    "LOCAL",
    "ROLES",
    "RoleRules",
    "WorkspaceStore",
    "check_role",
    "event",
    "is_local",
    "keeps_an_admin",
    "local_actor",
    "on_roles_changed",
    "roles_changed",
    "same_person",
    "summary",
    "target_kind",
]

LOCAL = "local"
ROLES = ("viewer", "editor", "admin")  # each may do what the one before may, and more
_ANYONE = object()
# what each check is called in messages: (English, Chinese)
_DOING = {"editor": ("change the workspace", "修改工作区"),
          "owner": ("change another planner's layer", "修改他人的图层"),
          "admin": ("do this (administrators only)", "执行此操作（仅限管理员）")}  # fmt: skip


def local_actor() -> str:
    """Who changes a workspace with no sign-in: 'local:' and the operating system's user."""
    try:
        return f"{LOCAL}:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name (a container without one)
        return LOCAL


def is_local(actor: object) -> bool:
    """Whether ``actor`` is the planner's own machine (``local`` or ``local:<user>``: the
    command line, or the app without sign-in), never an identity from a sign-in provider."""
    return isinstance(actor, str) and (actor == LOCAL or actor.startswith(f"{LOCAL}:"))


def target_kind(action: str) -> str:
    """What a history ``action`` was done to: 'proposal', 'scenario', 'user' or 'layer' (a
    target is named within its kind: a scenario may be named like a layer's id)."""
    if action.startswith(("proposal_", "scenario_")):
        return action.partition("_")[0]
    return "user" if action in ("set_role", "remove_user") else "layer"


def same_person(a: object, b: object) -> bool:
    """Whether two actors are one planner: equal, or both the planner's own machine (``local``
    and ``local:<user>``: the command line and the app without sign-in)."""
    return a == b or (is_local(a) and is_local(b))


def event(at: str, actor: str, action: str, target: str, before=None, after=None) -> dict:
    """One history record: when (ISO 8601, UTC), who, what (upload, rename, remove, restore,
    empty_trash ...), on what (``target`` of ``kind``, see ``target_kind``), and the target's
    state before and after (or None)."""
    return {"at": at, "actor": actor, "action": action, "kind": target_kind(action),
            "target": target, "before": before, "after": after}  # fmt: skip


def summary(entry: dict) -> dict:
    """What the history keeps of a layer's entry: name, size, files, uploader."""
    return {k: entry[k] for k in ("name", "feature_count", "files", "author") if k in entry}


_ROLE_WATCHERS: list[Callable[[], None]] = []


def on_roles_changed(callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever a store in this process changes a role (a cache of roles,
    such as the tile route's, drops what it kept)."""
    _ROLE_WATCHERS.append(callback)


def roles_changed() -> None:
    """Tell the watchers that a role changed (each store calls it after the change)."""
    for callback in _ROLE_WATCHERS:
        callback()


def keeps_an_admin(users: dict[str, str], email: str, role: str | None) -> None:
    """WorkspaceError if giving ``email`` the role ``role`` (None: removing them) would leave
    ``users``, which has an admin, with none."""
    from geo.errors import WorkspaceError

    after = {**users, email: role}
    admins = [who for who, r in users.items() if r == "admin"]
    if admins and not any(r == "admin" for r in after.values()):
        raise WorkspaceError.last_admin(email)


def check_role(role: str) -> str:
    """``role`` if it is one of ROLES, else ValueError naming them."""
    if role not in ROLES:
        raise ValueError(f"A role is viewer, editor or admin, not {role!r}.")
    return role


class RoleRules:
    """Who may do what, the same in both stores (which give ``users()``).

    Roles fail closed: an identity has the role the users table gives it and none otherwise,
    also while the table is empty (the first administrator is named on the server's command
    line, ``sip-atlas users set-role EMAIL admin``). A viewer browses, analyses and exports;
    an editor also uploads and changes what they made; an admin does everything and assigns
    roles. The planner on their own machine without sign-in and the server's own command line
    (``local:<user>``, never taken from a sign-in provider) act as an admin. The last admin
    can be neither removed nor given a lesser role (``keeps_an_admin``).
    """

    def users(self) -> dict[str, str]:  # pragma: no cover - each store gives its own
        raise NotImplementedError

    def roles_stamp(self) -> object:
        """Something that changes when a role changes and costs no query (None where the
        store has nothing of the kind: then ``on_roles_changed`` alone tells)."""
        return None

    def role_of(self, actor: str) -> str | None:
        """``actor``'s role: 'viewer', 'editor', 'admin', or None (no role here)."""
        if is_local(actor):
            return "admin"
        return self.users().get(actor)

    def require(self, actor: str, need: str, owner: object = _ANYONE) -> None:
        """NotAllowedError unless ``actor`` has role ``need`` or above, and, for a change to
        something an ``owner`` made, is that owner or an admin."""
        from geo.errors import NotAllowedError

        role = self.role_of(actor)
        rank = ROLES.index(role) if role else -1
        if rank >= ROLES.index("admin"):
            return
        if rank < ROLES.index(need):
            raise NotAllowedError(actor, *_DOING[need if need != "viewer" else "editor"])
        if owner is not _ANYONE and owner != actor:
            raise NotAllowedError(actor, *_DOING["owner"])


@runtime_checkable
class WorkspaceStore(Protocol):
    """What the app and the CLI use of a workspace, whichever store holds it."""

    @property
    def location(self) -> str:
        """Where the workspace lives (a folder or a database URL)."""

    def version(self) -> int:
        """A number that changes whenever a layer changes."""

    def list_layers(self) -> list[dict]:
        """The live (not removed) layers' entries, oldest first."""

    def entry(self, layer_id: str) -> dict:
        """A live layer's entry; WorkspaceError if there is none."""

    def load(self, layer_id: str) -> gpd.GeoDataFrame:
        """A live layer's features, EPSG:4326."""

    def save(self, gdf: gpd.GeoDataFrame, originals: list[Path], entry: dict, *,
             actor: str = LOCAL) -> dict:  # fmt: skip
        """Save a layer and its original files, all or nothing; returns its entry."""

    def original(self, layer_id: str, name: str) -> bytes:
        """An original file as uploaded (also of a layer in the trash)."""

    def rename(self, layer_id: str, name: str, *, actor: str = LOCAL) -> dict:
        """Give a live layer a new display name."""

    def remove(self, layer_id: str, *, actor: str = LOCAL) -> None:
        """Move a live layer to the trash."""

    def restore(self, layer_id: str, *, actor: str = LOCAL) -> dict:
        """Bring a layer back from the trash, whole; returns its entry."""

    def trash(self) -> list[dict]:
        """The removed layers' entries, with ``removed_by`` and ``removed_at``."""

    def empty_trash(self, *, actor: str = LOCAL) -> list[str]:
        """Delete the layers in the trash and their original files for good; their ids."""

    def history(self, *, since: str | None = None, target: str | None = None,
                kind: str | None = None) -> list[dict]:  # fmt: skip
        """The recorded changes, oldest first, from ``since`` (ISO 8601), on ``target`` of
        ``kind`` ('layer', 'proposal', 'scenario', 'user')."""

    def users(self) -> dict[str, str]:
        """Each planner's identity (e-mail) and role."""

    def roles_stamp(self) -> object:
        """Something that changes when a role changes and costs no query (None where the
        store has nothing of the kind: then ``on_roles_changed`` alone tells)."""
        return None

    def role_of(self, actor: str) -> str | None:
        """``actor``'s role here, or None."""

    def set_role(self, email: str, role: str, *, actor: str = LOCAL) -> None:
        """Give ``email`` a role (admins only)."""

    def remove_user(self, email: str, *, actor: str = LOCAL) -> None:
        """Take ``email``'s role away (admins only)."""

    def read_document(self, name: str) -> dict:
        """A JSON document (e.g. 'plans.json'); {} if there is none."""

    def update_document(
        self, name: str, change: Callable[[dict], object], *, events: list | None = None
    ) -> object:
        """Apply ``change`` to a JSON document under a lock, in one step, recording the history
        ``events`` it leaves in ``events`` in the same step."""
