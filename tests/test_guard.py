"""The server's guard (issue 23): what a browser may ask of Streamlit's own routes by its role.
Streamlit's own websocket messages (protobuf ``BackMsg``) through the real middleware, in front
of an app that records what reaches it; the routes on the real server are checked in
``test_browser_signin``."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from streamlit.proto.BackMsg_pb2 import BackMsg

from ui.guard import Guard


def _recording_app(seen: list[str]) -> Starlette:
    async def stream(websocket):
        await websocket.accept()
        try:
            while True:
                back = BackMsg()
                back.ParseFromString(await websocket.receive_bytes())
                seen.append(back.WhichOneof("type"))
                await websocket.send_text("ok")
        except WebSocketDisconnect:
            pass

    return Starlette(routes=[WebSocketRoute("/_stcore/stream", stream)])


def _message(kind: str) -> bytes:
    back = BackMsg()
    if kind == "clear_cache":
        back.clear_cache = True
    elif kind == "file_urls_request":
        back.file_urls_request.request_id = "1"
        back.file_urls_request.file_names.append("a.zip")
        back.file_urls_request.session_id = "s"
    else:
        back.app_heartbeat = True
    return back.SerializeToString()


@pytest.mark.parametrize(("who", "passed"), [
    (None, ["app_heartbeat"]),  # signed out: neither clears caches nor uploads
    ("zhao@sip.gov", ["app_heartbeat"]),  # a viewer
    ("wang@sip.gov", ["file_urls_request", "app_heartbeat"]),  # an editor uploads
    ("boss@sip.gov", ["clear_cache", "file_urls_request", "app_heartbeat"]),
])  # fmt: skip
def test_the_websocket_carries_only_what_the_role_allows(who, passed, monkeypatch, store):
    import ui.tile_routes

    for email, role in (("boss@sip.gov", "admin"), ("wang@sip.gov", "editor"),
                        ("zhao@sip.gov", "viewer")):  # fmt: skip
        store.set_role(email, role, actor="local:test")
    monkeypatch.setattr(ui.tile_routes, "request_actor", lambda connection: who)
    monkeypatch.setattr("geo.workspace.open_workspace", lambda: store)
    seen: list[str] = []
    with (
        TestClient(Guard(_recording_app(seen))) as client,
        client.websocket_connect("/_stcore/stream") as socket,
    ):
        for kind in ("clear_cache", "file_urls_request", "app_heartbeat"):
            socket.send_bytes(_message(kind))
        socket.receive_text()  # the heartbeat's answer: everything before it was handled
    assert seen == passed
