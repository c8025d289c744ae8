"""The HTTP route of tiled layers' vector tiles, on the app's own server (``st.App`` routes,
started by ``sip-atlas app`` through ``app_server.py``).

``GET <base>/sip-tiles/<layer id>/<z>/<x>/<y>.mvt`` answers a gzipped Mapbox vector tile (data
zoom z, XYZ numbering), with the same rules as the app: where sign-in is configured, only a
signed-in identity with a role in the workspace gets tiles (Streamlit's signed sign-in cookie
says who it is); a server that would refuse to open refuses tiles too; a layer that is not live
(unknown, removed, in the trash) or not tiled is not found. ``<base>`` is any prefix, so the
route also works under ``server.baseUrlPath`` and behind a reverse proxy that keeps or strips
its prefix.
"""

from __future__ import annotations

import json

from cachetools import TTLCache
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.routing import Route

from geo.errors import SipAtlasError
from geo.store import local_actor, on_roles_changed
from geo.tile_source import tile_source
from geo.tiles import MAX_DATA_ZOOM, tiled
from geo.workspace import open_workspace
from layers.uploads import entry_tile_fields

__all__ = ["request_actor", "role_of", "tile_routes"]

_PATH = "/sip-tiles/{layer_id}/{z:int}/{x:int}/{y:int}.mvt"
# (actor, the store's roles stamp) -> role; dropped when a role changes in this process (the
# admin panel), and a change by another process (sip-atlas users) shows in the folder store's
# stamp at once and in PostgreSQL within the 10 s
_ROLES: TTLCache = TTLCache(maxsize=1024, ttl=10)
on_roles_changed(_ROLES.clear)
_ENTRIES: TTLCache = TTLCache(maxsize=256, ttl=5)  # layer id -> live manifest entry or None
_AGAIN = {"Retry-After": "5", "Cache-Control": "no-store"}
_EMPTY_GZIP = bytes.fromhex("1f8b08000000000000ff030000000000000000")  # gzip of no bytes


def request_actor(request: HTTPConnection) -> str | None:
    """Who sent ``request``: the identity of a valid Streamlit sign-in cookie where sign-in is
    configured (None without one), else the local planner (``local:<user>``)."""
    from streamlit.auth_util import get_cookie_with_chunks
    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette import starlette_app_utils
    from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

    from ui.auth import identity, sign_in_configured

    if not sign_in_configured():
        return local_actor()
    secret = get_cookie_secret()

    def one(name: str) -> bytes | None:
        raw = request.cookies.get(name)
        if raw is None:
            return None
        return starlette_app_utils.decode_signed_value(secret, name, raw.encode("latin-1"))

    decoded = get_cookie_with_chunks(one, USER_COOKIE_NAME)
    if not decoded:
        return None
    try:
        user = json.loads(decoded)
    except ValueError:
        return None
    if not isinstance(user, dict) or not user.get("is_logged_in"):
        return None
    return identity(user)


def role_of(workspace, actor: str) -> str | None:
    """``actor``'s role in ``workspace``, kept for 10 s and dropped when a role changes."""
    key = (actor, workspace.roles_stamp())
    if key not in _ROLES:
        _ROLES[key] = workspace.role_of(actor)
    return _ROLES[key]


def _live_entry(workspace, layer_id: str) -> dict | None:
    if layer_id not in _ENTRIES:
        entries = {e["id"]: e for e in workspace.list_layers()}
        _ENTRIES[layer_id] = entries.get(layer_id)
    return _ENTRIES[layer_id]


def _tile(request: Request) -> Response:
    from ui.auth import refusal

    params = request.path_params
    z, x, y = params["z"], params["x"], params["y"]
    if refusal() is not None:
        return Response(status_code=403)
    actor = request_actor(request)
    if actor is None:
        return Response(status_code=401)
    workspace = open_workspace()
    try:
        if role_of(workspace, actor) is None:
            return Response(status_code=403)
        entry = _live_entry(workspace, params["layer_id"])
        if entry is None or not tiled(entry) or not 0 <= z <= MAX_DATA_ZOOM:
            return Response(status_code=404)
        if not (0 <= x < 1 << z and 0 <= y < 1 << z):
            return Response(status_code=404)
        source = tile_source(workspace, entry["id"])
        if source.state()["state"] != "ready":  # being built: ask again, keep nothing
            return Response(status_code=503, headers=_AGAIN)
        data = source.tile(z, x, y, *entry_tile_fields(entry))
    except SipAtlasError:
        return Response(status_code=503, headers=_AGAIN)
    if data is None:
        data = _EMPTY_GZIP  # no features here (or the archive is still being built)
    # A saved layer never changes (a new upload is a new layer): the browser may keep tiles.
    headers = {"Content-Encoding": "gzip", "Cache-Control": "private, max-age=3600",
               "Vary": "Cookie"}  # fmt: skip
    return Response(data, media_type="application/vnd.mapbox-vector-tile", headers=headers)


def tile_routes() -> list[Route]:
    """The tile route, at the server's root and under any prefix."""
    return [Route(_PATH, _tile), Route("/{prefix:path}" + _PATH, _tile)]
