"""The workspace: uploaded layers and their original files, kept in a folder, saved atomically.

Layout under ``SIP_ATLAS_WORKSPACE``: ``manifest.json`` (the list of layers: the only thing that
says a layer exists), ``layers/<id>.gpkg`` (the clean layer, EPSG:4326), ``originals/<id>/``
(the files as uploaded). A save stages everything under ``.staging/``, moves it in place, and
only then replaces the manifest in one ``os.replace``; a save that fails or is interrupted
leaves the manifest as it was, and leftovers are swept away under the lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.errors import WorkspaceError
from geo.settings import workspace_dir
from geo.store import (
    LOCAL,
    RoleRules,
    check_role,
    event,
    keeps_an_admin,
    roles_changed,
    summary,
)
from geo.uploads.charsets import shown_text

__all__ = ["Workspace", "open_workspace"]

_MANIFEST_VERSION = 1
_HISTORY = "history.jsonl"  # one change a line, appended under the lock
_USERS = "users.json"  # identities and their roles


class Workspace(RoleRules):
    """A folder of uploaded layers (default: ``SIP_ATLAS_WORKSPACE``)."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else workspace_dir()

    @property
    def _manifest(self) -> Path:
        return self.root / "manifest.json"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = (self.root / ".lock").open("a")
        except OSError as exc:
            raise WorkspaceError.unwritable(self.root, exc) from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_manifest(self) -> list[dict]:
        if not self._manifest.exists():
            return []
        try:
            return json.loads(self._manifest.read_text(encoding="utf-8"))["layers"]
        except (ValueError, KeyError) as exc:
            raise WorkspaceError.damaged(self._manifest, exc) from exc

    def _write_manifest(self, entries: list[dict]) -> None:
        tmp = self.root / f".manifest-{secrets.token_hex(4)}.tmp"
        payload = {"version": _MANIFEST_VERSION, "layers": entries}
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self._manifest)

    def _sweep(self, entries: list[dict]) -> None:
        """Remove what no manifest entry names: leftovers of failed or interrupted saves."""
        known = {e["id"] for e in entries}
        shutil.rmtree(self.root / ".staging", ignore_errors=True)
        for tmp in self.root.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
        for path in (self.root / "layers").glob("*"):  # <id>.gpkg, .pmtiles, .tiles.json, ...
            if path.is_file() and path.name.lstrip(".").split(".")[0] not in known:
                path.unlink(missing_ok=True)
        for folder in (self.root / "originals").glob("*"):
            if folder.name not in known:
                shutil.rmtree(folder, ignore_errors=True)

    def read_document(self, name: str) -> dict:
        """A JSON document kept in the workspace (e.g. 'plans.json'); {} if there is none."""
        path = self.root / name
        if not path.exists():
            return {}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise WorkspaceError.damaged(path, exc) from exc

    def update_document(
        self, name: str, change: Callable[[dict], object], *, events: list | None = None
    ) -> object:
        """Apply ``change`` to a JSON document under the workspace lock and write it atomically
        (a temporary file, then one rename); returns what ``change`` returns. The history
        ``events`` (actor, action, target, before, after) that ``change`` leaves in ``events``
        are recorded under the same lock."""
        with self._locked():
            document = self.read_document(name)
            result = change(document)
            self._write_document(name, document)
            for item in events or []:
                self._record(*item)
            return result

    def _write_document(self, name: str, document: dict) -> None:
        tmp = self.root / f".{name}-{secrets.token_hex(4)}.tmp"
        tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.root / name)

    def users(self) -> dict[str, str]:
        """Each planner's identity (e-mail) and role ({} on a single planner's machine)."""
        return dict(sorted(self.read_document(_USERS).get("users", {}).items()))

    def set_role(self, email: str, role: str, *, actor: str = LOCAL) -> None:
        """Give ``email`` a role (admins only); recorded in the history."""
        self._change_user(email, check_role(role), actor)

    def remove_user(self, email: str, *, actor: str = LOCAL) -> None:
        """Take ``email``'s role away (admins only); recorded in the history."""
        self._change_user(email, None, actor)

    def _change_user(self, email: str, role: str | None, actor: str) -> None:
        self.require(actor, "admin")
        with self._locked():
            document = self.read_document(_USERS)
            users = document.setdefault("users", {})
            keeps_an_admin(users, email, role)
            before = users.get(email)
            if role is None:
                users.pop(email, None)
            else:
                users[email] = role
            self._write_document(_USERS, document)
            self._record(actor, "set_role" if role else "remove_user", email,
                         {"role": before} if before else None,
                         {"role": role} if role else None)  # fmt: skip
        roles_changed()

    def roles_stamp(self) -> object:
        """The roles file's modification time and size (a change by another process shows)."""
        try:
            found = (self.root / _USERS).stat()
        except FileNotFoundError:
            return None
        return found.st_mtime_ns, found.st_size

    @property
    def location(self) -> str:
        """Where the workspace lives: its folder, as text."""
        return str(self.root)

    def version(self) -> int:
        """A number that changes whenever a layer is saved, renamed or removed."""
        return self._manifest.stat().st_mtime_ns if self._manifest.exists() else 0

    def list_layers(self) -> list[dict]:
        """The live (not removed) layers' manifest entries, oldest first."""
        return [e for e in self._read_manifest() if "removed_by" not in e]

    def entry(self, layer_id: str) -> dict:
        """The manifest entry of the live layer ``layer_id``; WorkspaceError if there is none."""
        return self._live(self._read_manifest(), layer_id)

    def load(self, layer_id: str) -> gpd.GeoDataFrame:
        """The saved layer, EPSG:4326."""
        self.entry(layer_id)
        return pyogrio.read_dataframe(self.root / "layers" / f"{layer_id}.gpkg", use_arrow=True)

    def save(self, gdf: gpd.GeoDataFrame, originals: list[Path], entry: dict, *,
             actor: str = LOCAL) -> dict:  # fmt: skip
        """Save a clean layer (EPSG:4326) and its original files; return its manifest entry.

        ``entry`` holds what the manifest should say (name, source, report summary); the id,
        creation time, feature count and uploader (``actor``) are added here. All or nothing.
        """
        self.require(actor, "editor")
        layer_id = f"up-{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
        final = {
            **entry, "id": layer_id, "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "feature_count": len(gdf), "files": [p.name for p in originals], "author": actor,
        }  # fmt: skip
        with self._locked():
            entries = self._read_manifest()
            self._sweep(entries)
            stage = self.root / ".staging" / layer_id
            target_gpkg = self.root / "layers" / f"{layer_id}.gpkg"
            target_originals = self.root / "originals" / layer_id
            try:
                (stage / "originals").mkdir(parents=True)
                _write_gpkg(gdf, stage / "layer.gpkg")
                for path in originals:
                    shutil.copy2(path, stage / "originals" / path.name)
                target_gpkg.parent.mkdir(exist_ok=True)
                target_originals.parent.mkdir(exist_ok=True)
                os.replace(stage / "layer.gpkg", target_gpkg)
                os.replace(stage / "originals", target_originals)
                self._write_manifest([*entries, final])
                self._record(actor, "upload", layer_id, None, summary(final))
            except BaseException as exc:
                self._sweep(entries)
                if isinstance(exc, OSError | pyogrio.errors.DataSourceError):
                    raise WorkspaceError.not_saved(exc) from exc
                raise
            finally:
                shutil.rmtree(self.root / ".staging", ignore_errors=True)
        return final

    def rename(self, layer_id: str, name: str, *, actor: str = LOCAL) -> dict:
        """Give a live layer a new display name (without control or direction characters)."""
        name = shown_text(name).strip()
        if not name:
            raise WorkspaceError.empty_name()
        with self._locked():
            entries = self._read_manifest()
            found = self._live(entries, layer_id)
            self.require(actor, "editor", found.get("author"))
            before = summary(found)
            found["name"] = name
            self._write_manifest(entries)
            self._record(actor, "rename", layer_id, before, summary(found))
            return found

    def remove(self, layer_id: str, *, actor: str = LOCAL) -> None:
        """Move a live layer to the trash (its data and original files stay until the trash is
        emptied)."""
        with self._locked():
            entries = self._read_manifest()
            found = self._live(entries, layer_id)
            self.require(actor, "editor", found.get("author"))
            found["removed_by"], found["removed_at"] = actor, _now()
            self._write_manifest(entries)
            self._record(actor, "remove", layer_id, summary(found), None)

    def restore(self, layer_id: str, *, actor: str = LOCAL) -> dict:
        """Bring a layer back from the trash, whole; returns its entry."""
        with self._locked():
            entries = self._read_manifest()
            found = next((e for e in entries if e["id"] == layer_id and "removed_by" in e), None)
            if found is None:
                raise WorkspaceError.not_in_trash(layer_id)
            self.require(actor, "editor", found.get("author"))
            del found["removed_by"], found["removed_at"]
            self._write_manifest(entries)
            self._record(actor, "restore", layer_id, None, summary(found))
            return found

    def trash(self) -> list[dict]:
        """The removed layers' entries, with ``removed_by`` and ``removed_at``."""
        return [e for e in self._read_manifest() if "removed_by" in e]

    def empty_trash(self, *, actor: str = LOCAL) -> list[str]:
        """Delete the layers in the trash and their original files for good (admins only);
        their ids."""
        self.require(actor, "admin")
        with self._locked():
            entries = self._read_manifest()
            gone = [e["id"] for e in entries if "removed_by" in e]
            if gone:
                kept = [e for e in entries if "removed_by" not in e]
                self._write_manifest(kept)
                self._sweep(kept)
                for layer_id in gone:
                    self._record(actor, "empty_trash", layer_id, None, None)
            return gone

    def original(self, layer_id: str, name: str) -> bytes:
        """An original file as uploaded (also of a layer in the trash)."""
        if not any(e["id"] == layer_id for e in self._read_manifest()):
            raise WorkspaceError.no_original(name, layer_id)
        path = self.root / "originals" / layer_id / name
        if Path(name).name != name or not path.is_file():
            raise WorkspaceError.no_original(name, layer_id)
        return path.read_bytes()

    def history(self, *, since: str | None = None, target: str | None = None,
                kind: str | None = None) -> list[dict]:  # fmt: skip
        """The recorded changes, oldest first, from ``since`` (ISO 8601), on ``target`` of
        ``kind`` ('layer', 'proposal', 'scenario', 'user')."""
        path = self.root / _HISTORY
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        # the kind is worked out again from the action (records before it was kept have none)
        events = [event(**{k: v for k, v in json.loads(line).items() if k != "kind"})
                  for line in lines if line.strip()]  # fmt: skip
        start = datetime.fromisoformat(since) if since else None
        return [e for e in events
                if (start is None or datetime.fromisoformat(e["at"]) >= start)
                and (target is None or e["target"] == target)
                and (kind is None or e["kind"] == kind)]  # fmt: skip

    def _live(self, entries: list[dict], layer_id: str) -> dict:
        found = next((e for e in entries if e["id"] == layer_id and "removed_by" not in e), None)
        if found is None:
            raise WorkspaceError.no_layer(layer_id, str(self.root))
        return found

    def _record(self, actor: str, action: str, target: str, before, after) -> None:
        """Append one change to the history (under the workspace lock, after the change)."""
        line = json.dumps(event(_now(), actor, action, target, before, after), ensure_ascii=False)
        with (self.root / _HISTORY).open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Polygons and lines are stored as their multi types (one type a layer); points stay
    points, since a marker layer draws points (MultiPoints are kept as they are)."""
    reserved = {c: f"{c}_src" for c in gdf.columns if str(c).lower() == "fid"}
    points = gdf.geom_type.isin(["Point", "MultiPoint"]).all()
    pyogrio.write_dataframe(
        gdf.rename(columns=reserved), path, driver="GPKG", layer="layer",
        promote_to_multi=None if points else True, use_arrow=True,
    )  # fmt: skip


def open_workspace():
    """The workspace in use: PostgreSQL/PostGIS when ``SIP_ATLAS_DATABASE_URL`` is set, else
    the folder ``SIP_ATLAS_WORKSPACE`` (GeoPackages and JSON)."""
    from geo.settings import database_url

    url = database_url()
    if url:
        from geo.pgstore import PostgisWorkspace

        return PostgisWorkspace(url)
    return Workspace()
