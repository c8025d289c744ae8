"""The shared workspace in PostgreSQL with PostGIS, chosen by ``SIP_ATLAS_DATABASE_URL``.

The same interface as the folder store (``geo.workspace.Workspace``): uploaded layers with
their original files, and JSON documents (proposals and scenarios). Every change is one
transaction, so a failed save leaves nothing; documents are updated under a row lock, so two
planners saving at the same moment both keep their changes. The schema is versioned: each
migration below runs once, in order, under an advisory lock.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg
import shapely

from geo.errors import WorkspaceError
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

__all__ = ["MIGRATIONS", "PostgisWorkspace"]

MIGRATIONS = [
    # 1: layers, their features, their original files, documents, a change counter.
    """
    CREATE EXTENSION IF NOT EXISTS postgis;
    CREATE TABLE sip_layers (
        id text PRIMARY KEY, position bigserial, entry jsonb NOT NULL);
    CREATE TABLE sip_features (
        layer_id text NOT NULL REFERENCES sip_layers (id) ON DELETE CASCADE,
        fid integer NOT NULL, properties jsonb NOT NULL,
        geom geometry(Geometry, 4326) NOT NULL, PRIMARY KEY (layer_id, fid));
    CREATE INDEX sip_features_geom ON sip_features USING gist (geom);
    CREATE TABLE sip_originals (
        layer_id text NOT NULL REFERENCES sip_layers (id) ON DELETE CASCADE,
        name text NOT NULL, content bytea NOT NULL, PRIMARY KEY (layer_id, name));
    CREATE TABLE sip_documents (name text PRIMARY KEY, body jsonb NOT NULL);
    CREATE TABLE sip_changes (id integer PRIMARY KEY, count bigint NOT NULL);
    INSERT INTO sip_changes VALUES (1, 0);
    """,
    # 2: the trash (a removed layer keeps its rows until the trash is emptied) and the history.
    """
    ALTER TABLE sip_layers ADD COLUMN removed_by text, ADD COLUMN removed_at timestamptz;
    CREATE TABLE sip_history (
        id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor text NOT NULL, action text NOT NULL, target text NOT NULL,
        before jsonb, after jsonb);
    CREATE INDEX sip_history_target ON sip_history (target, id);
    """,
    # 3: identities and their roles.
    """
    CREATE TABLE sip_users (
        email text PRIMARY KEY,
        role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')));
    """,
    # 4: a tiled layer's overview (GeoParquet, geo.tiles.overview_frame), made once with its
    # tiles and drawn below the tiled zooms; it goes with the layer.
    """
    CREATE TABLE sip_overviews (
        layer_id text PRIMARY KEY REFERENCES sip_layers (id) ON DELETE CASCADE,
        body bytea NOT NULL);
    """,
]
_LOCK = 7_310_001  # advisory lock id for migrations


class PostgisWorkspace(RoleRules):
    """A workspace in a PostgreSQL database with PostGIS."""

    def __init__(self, url: str):
        self.url = url
        self._migrated = False

    @contextmanager
    def _connect(self):
        try:
            with psycopg.connect(self.url, autocommit=False) as conn:
                if not self._migrated:
                    migrate(conn)
                    self._migrated = True
                yield conn
        except psycopg.OperationalError as exc:
            raise WorkspaceError.unreachable(exc) from exc

    @property
    def location(self) -> str:
        """Where the workspace lives: its PostgreSQL URL."""
        return self.url

    def version(self) -> int:
        """A number that changes whenever a layer is saved, renamed or removed."""
        with self._connect() as conn:
            return conn.execute("SELECT count FROM sip_changes WHERE id = 1").fetchone()[0]

    def list_layers(self) -> list[dict]:
        """The live (not removed) layers' entries, oldest first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT entry FROM sip_layers WHERE removed_by IS NULL "
                                "ORDER BY position").fetchall()  # fmt: skip
        return [row[0] for row in rows]

    def entry(self, layer_id: str) -> dict:
        """The entry of the live layer ``layer_id``; WorkspaceError if there is none."""
        with self._connect() as conn:
            row = conn.execute("SELECT entry FROM sip_layers WHERE id = %s AND removed_by IS NULL",
                               (layer_id,)).fetchone()  # fmt: skip
        if row is None:
            raise WorkspaceError.no_layer(layer_id, "the database")
        return row[0]

    def load(self, layer_id: str) -> gpd.GeoDataFrame:
        """The saved layer, EPSG:4326, with its columns in their saved order."""
        entry = self.entry(layer_id)
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT properties, ST_AsBinary(geom) FROM sip_features "
                "WHERE layer_id = %s ORDER BY fid", (layer_id,),
            ).fetchall()  # fmt: skip
        frame = pd.DataFrame([r[0] for r in rows], columns=entry.get("columns"))
        geoms = shapely.from_wkb([bytes(r[1]) for r in rows])
        return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")

    def save(self, gdf: gpd.GeoDataFrame, originals: list[Path], entry: dict, *,
             actor: str = LOCAL) -> dict:  # fmt: skip
        """Save a layer (EPSG:4326) and its original files in one transaction, with its
        history record; ``actor`` is the uploader (an editor or admin)."""
        self.require(actor, "editor")
        layer_id = f"up-{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
        columns = [c for c in gdf.columns if c != gdf.geometry.name]
        created = datetime.now(UTC).isoformat(timespec="seconds")
        final = {**entry, "id": layer_id, "created": created, "feature_count": len(gdf),
                 "files": [p.name for p in originals], "author": actor,
                 "columns": [str(c) for c in columns]}  # fmt: skip
        values = gdf[columns].astype(object).where(gdf[columns].notna(), None)
        geoms = shapely.to_wkb(shapely.set_srid(gdf.geometry.to_numpy(), 4326), hex=True,
                               include_srid=True)  # fmt: skip
        try:
            with self._connect() as conn, conn.transaction():
                conn.execute("INSERT INTO sip_layers (id, entry) VALUES (%s, %s)",
                             (layer_id, json.dumps(final, ensure_ascii=False)))  # fmt: skip
                with conn.cursor().copy(
                    "COPY sip_features (layer_id, fid, properties, geom) FROM STDIN"
                ) as copy:
                    for fid, (row, geom) in enumerate(zip(values.itertuples(index=False), geoms,
                                                          strict=True)):  # fmt: skip
                        props = json.dumps(dict(zip(final["columns"], row, strict=True)),
                                           ensure_ascii=False, default=str)  # fmt: skip
                        copy.write_row((layer_id, fid, props, geom))
                for path in originals:
                    conn.execute("INSERT INTO sip_originals VALUES (%s, %s, %s)",
                                 (layer_id, path.name, path.read_bytes()))  # fmt: skip
                _record(conn, actor, "upload", layer_id, None, summary(final))
                _layers_changed(conn)
        except (psycopg.Error, OSError) as exc:
            raise WorkspaceError.not_saved(exc) from exc
        return final

    def original(self, layer_id: str, name: str) -> bytes:
        """An original file as uploaded."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT content FROM sip_originals WHERE layer_id = %s AND name = %s",
                (layer_id, name),
            ).fetchone()
        if row is None:
            raise WorkspaceError.no_original(name, layer_id)
        return bytes(row[0])

    def rename(self, layer_id: str, name: str, *, actor: str = LOCAL) -> dict:
        """Give a live layer a new display name (without control or direction characters)."""
        name = shown_text(name).strip()
        if not name:
            raise WorkspaceError.empty_name()
        with self._connect() as conn, conn.transaction():
            before = conn.execute("SELECT entry FROM sip_layers WHERE id = %s AND removed_by IS "
                                  "NULL FOR UPDATE", (layer_id,)).fetchone()  # fmt: skip
            if before is None:
                raise WorkspaceError.no_layer(layer_id)
            self.require(actor, "editor", before[0].get("author"))
            row = conn.execute(
                "UPDATE sip_layers SET entry = jsonb_set(entry, '{name}', to_jsonb(%s::text)) "
                "WHERE id = %s RETURNING entry", (name.strip(), layer_id),
            ).fetchone()  # fmt: skip
            _record(conn, actor, "rename", layer_id, summary(before[0]), summary(row[0]))
            _layers_changed(conn)
        return row[0]

    def remove(self, layer_id: str, *, actor: str = LOCAL) -> None:
        """Move a live layer to the trash (its rows stay until the trash is emptied)."""
        with self._connect() as conn, conn.transaction():
            self._require_owner(conn, actor, layer_id, removed=False)
            row = conn.execute(
                "UPDATE sip_layers SET removed_by = %s, removed_at = clock_timestamp() "
                "WHERE id = %s AND removed_by IS NULL RETURNING entry", (actor, layer_id),
            ).fetchone()  # fmt: skip
            if row is None:
                raise WorkspaceError.no_layer(layer_id)
            _record(conn, actor, "remove", layer_id, summary(row[0]), None)
            _layers_changed(conn)

    def restore(self, layer_id: str, *, actor: str = LOCAL) -> dict:
        """Bring a layer back from the trash, whole; returns its entry."""
        with self._connect() as conn, conn.transaction():
            self._require_owner(conn, actor, layer_id, removed=True)
            row = conn.execute(
                "UPDATE sip_layers SET removed_by = NULL, removed_at = NULL "
                "WHERE id = %s AND removed_by IS NOT NULL RETURNING entry", (layer_id,),
            ).fetchone()  # fmt: skip
            if row is None:
                raise WorkspaceError.not_in_trash(layer_id)
            _record(conn, actor, "restore", layer_id, None, summary(row[0]))
            _layers_changed(conn)
        return row[0]

    def trash(self) -> list[dict]:
        """The removed layers' entries, with ``removed_by`` and ``removed_at``."""
        with self._connect() as conn:
            rows = conn.execute("SELECT entry, removed_by, removed_at FROM sip_layers WHERE "
                                "removed_by IS NOT NULL ORDER BY position").fetchall()  # fmt: skip
        return [{**entry, "removed_by": by, "removed_at": at.isoformat()} for entry, by, at in rows]

    def empty_trash(self, *, actor: str = LOCAL) -> list[str]:
        """Delete the layers in the trash, their features and original files for good (admins
        only)."""
        self.require(actor, "admin")
        with self._connect() as conn, conn.transaction():
            rows = conn.execute(
                "DELETE FROM sip_layers WHERE removed_by IS NOT NULL RETURNING id"
            ).fetchall()
            gone = [row[0] for row in rows]
            for layer_id in gone:
                _record(conn, actor, "empty_trash", layer_id, None, None)
        return gone

    def history(self, *, since: str | None = None, target: str | None = None,
                kind: str | None = None) -> list[dict]:  # fmt: skip
        """The recorded changes, oldest first, from ``since`` (ISO 8601), on ``target`` of
        ``kind`` ('layer', 'proposal', 'scenario', 'user')."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT at, actor, action, target, before, after FROM sip_history "
                "WHERE (%s::timestamptz IS NULL OR at >= %s::timestamptz) "
                "AND (%s::text IS NULL OR target = %s) ORDER BY id",
                (since, since, target, target),
            ).fetchall()  # fmt: skip
        events = [event(at.astimezone(UTC).isoformat(timespec="microseconds"), *rest)
                  for at, *rest in rows]  # fmt: skip
        return [e for e in events if kind is None or e["kind"] == kind]

    def _require_owner(self, conn, actor: str, layer_id: str, *, removed: bool) -> None:
        """The layer's row locked, and ``actor`` allowed to change it (its uploader or an
        admin); a layer not there is left to the caller's own message."""
        row = conn.execute(
            "SELECT entry->>'author' FROM sip_layers WHERE id = %s AND "
            f"removed_by IS {'NOT ' if removed else ''}NULL FOR UPDATE", (layer_id,),
        ).fetchone()  # fmt: skip
        if row is not None:
            self.require(actor, "editor", row[0])

    def users(self) -> dict[str, str]:
        """Each planner's identity (e-mail) and role ({} until roles are set)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT email, role FROM sip_users ORDER BY email").fetchall()
        return dict(rows)

    def set_role(self, email: str, role: str, *, actor: str = LOCAL) -> None:
        """Give ``email`` a role (admins only), recorded in the same transaction."""
        check_role(role)
        self.require(actor, "admin")
        with self._connect() as conn, conn.transaction():
            _keeps_an_admin(conn, email, role)
            before = conn.execute("SELECT role FROM sip_users WHERE email = %s FOR UPDATE",
                                  (email,)).fetchone()  # fmt: skip
            conn.execute("INSERT INTO sip_users VALUES (%s, %s) ON CONFLICT (email) DO UPDATE "
                         "SET role = EXCLUDED.role", (email, role))  # fmt: skip
            _record(conn, actor, "set_role", email, {"role": before[0]} if before else None,
                    {"role": role})  # fmt: skip
        roles_changed()

    def remove_user(self, email: str, *, actor: str = LOCAL) -> None:
        """Take ``email``'s role away (admins only), recorded in the same transaction."""
        self.require(actor, "admin")
        with self._connect() as conn, conn.transaction():
            _keeps_an_admin(conn, email, None)
            row = conn.execute("DELETE FROM sip_users WHERE email = %s RETURNING role",
                               (email,)).fetchone()  # fmt: skip
            _record(conn, actor, "remove_user", email, {"role": row[0]} if row else None, None)
        roles_changed()

    def read_document(self, name: str) -> dict:
        """A JSON document (e.g. 'plans.json'); {} if there is none."""
        with self._connect() as conn:
            row = conn.execute("SELECT body FROM sip_documents WHERE name = %s", (name,)).fetchone()
        return row[0] if row else {}

    def update_document(
        self, name: str, change: Callable[[dict], object], *, events: list | None = None
    ) -> object:
        """Apply ``change`` to a document under a row lock, in one transaction; the history
        ``events`` (actor, action, target, before, after) that ``change`` leaves in ``events``
        are recorded in the same transaction."""
        with self._connect() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO sip_documents VALUES (%s, '{}') ON CONFLICT DO NOTHING", (name,)
            )
            body = conn.execute("SELECT body FROM sip_documents WHERE name = %s FOR UPDATE",
                                (name,)).fetchone()[0]  # fmt: skip
            result = change(body)
            conn.execute("UPDATE sip_documents SET body = %s WHERE name = %s",
                         (json.dumps(body, ensure_ascii=False), name))  # fmt: skip
            for item in events or []:
                _record(conn, *item)
        return result


def _keeps_an_admin(conn: psycopg.Connection, email: str, role: str | None) -> None:
    """``keeps_an_admin`` on the users table, locked against a concurrent change of roles."""
    conn.execute("LOCK TABLE sip_users IN SHARE ROW EXCLUSIVE MODE")
    keeps_an_admin(dict(conn.execute("SELECT email, role FROM sip_users").fetchall()), email, role)


def _record(conn: psycopg.Connection, actor: str, action: str, target: str, before, after) -> None:
    """One history record, in the change's own transaction."""
    conn.execute("INSERT INTO sip_history (actor, action, target, before, after) "
                 "VALUES (%s, %s, %s, %s, %s)",
                 (actor, action, target, _json(before), _json(after)))  # fmt: skip


def _layers_changed(conn: psycopg.Connection) -> None:
    """Count a change of the layers (``version()``): the app reloads them when it moves. Plans
    and roles do not count, so a proposal saved does not reload every uploaded layer."""
    conn.execute("UPDATE sip_changes SET count = count + 1 WHERE id = 1")


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def migrate(conn: psycopg.Connection) -> int:
    """Bring the schema up to date; returns the version now in place."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS sip_schema (version integer NOT NULL)")
        row = conn.execute("SELECT max(version) FROM sip_schema").fetchone()
        current = row[0] or 0
        for version, sql in enumerate(MIGRATIONS[current:], start=current + 1):
            conn.execute(sql)
            conn.execute("INSERT INTO sip_schema VALUES (%s)", (version,))
    return len(MIGRATIONS)
