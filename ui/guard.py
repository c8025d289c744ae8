"""The server's guard (an ASGI middleware on ``app_server``'s ``st.App``): what a browser may
ask of Streamlit's own routes, by the role of who asks (the same sign-in cookie and roles as
``ui.tile_routes``).

- ``/_stcore/metrics`` is closed (it tells sessions and memory to anyone).
- Uploads (``/_stcore/upload_file``, and asking for upload addresses over the websocket) need
  the editor role: a signed-out browser cannot put files into the server's memory.
- Clearing the server-wide caches (Streamlit's ``clear_cache`` message) needs the admin role:
  one browser emptied every planner's caches.

On a planner's own machine (no sign-in) the planner is the admin and nothing changes.
"""

from __future__ import annotations

import logging

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Guard"]

_LOG = logging.getLogger("sip_atlas")
_NEEDS = {"clear_cache": "admin", "file_urls_request": "editor"}  # websocket message -> role


def _may(connection: HTTPConnection, need: str) -> bool:
    """Whether who sent ``connection`` (its sign-in cookie) has role ``need`` or above; False
    also where the role cannot be looked up (fail closed)."""
    from geo.errors import SipAtlasError
    from geo.store import ROLES
    from geo.workspace import open_workspace
    from ui.tile_routes import request_actor, role_of

    actor = request_actor(connection)
    if actor is None:
        return False
    try:
        role = role_of(open_workspace(), actor)
    except SipAtlasError:
        return False
    return role is not None and ROLES.index(role) >= ROLES.index(need)


class Guard:
    """ASGI middleware: see the module's docstring."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http":
            if path.endswith("/_stcore/metrics"):
                return await _answer(send, 404)
            upload = "/_stcore/upload_file/" in path and scope.get("method") in ("PUT", "DELETE")
            if upload and not _may(HTTPConnection(scope), "editor"):
                return await _answer(send, 403, b"Uploading needs the editor role.")
        elif scope["type"] == "websocket" and path.endswith("/_stcore/stream"):
            receive = _filtered(HTTPConnection(scope), receive)
        await self.app(scope, receive, send)


def _filtered(connection: HTTPConnection, receive: Receive) -> Receive:
    """``receive`` without the messages the sender's role does not allow (dropped, logged)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    allowed: dict[str, bool] = {}

    async def guarded() -> Message:
        while True:
            message = await receive()
            data = message.get("bytes") if message["type"] == "websocket.receive" else None
            if not data:
                return message
            back = BackMsg()
            try:
                back.ParseFromString(data)
            except Exception:  # Streamlit itself answers a frame that is not a BackMsg
                return message
            kind = back.WhichOneof("type")
            if kind not in _NEEDS:
                return message
            if kind not in allowed:
                allowed[kind] = _may(connection, _NEEDS[kind])
            if allowed[kind]:
                return message
            _LOG.warning("refused %s from a browser without the %s role", kind, _NEEDS[kind])

    return guarded


async def _answer(send: Send, status: int, body: bytes = b"") -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})
