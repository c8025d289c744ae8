"""``sip-atlas app`` (issue 23): on this machine only unless told otherwise, and a shared
workspace without sign-in refused by the command itself, before any server starts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.server import free_port

EXE = str(Path(sys.executable).with_name("sip-atlas"))


def _listening(port: int) -> set[str]:
    """The local addresses (hex, as the kernel lists them) of sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hexport = local.partition(":")
            if state == "0A" and int(hexport, 16) == port:
                found.add(address)
    return found


def test_a_shared_workspace_without_sign_in_is_refused_before_the_server_starts(pg_url, tmp_path):
    port = free_port()
    env = {**os.environ, "SIP_ATLAS_DATABASE_URL": pg_url}
    env.pop("SIP_ATLAS_OPEN_SERVER", None)
    command = [EXE, "app", "--server.port", str(port), "--server.address=127.0.0.1"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "SIP_ATLAS_OPEN_SERVER" in done.stderr and "拒绝启动" in done.stderr
    assert "[auth]" in done.stderr and "Traceback" not in done.stderr
    assert not _listening(port)
    secrets = tmp_path / "secrets.toml"  # sign-in configured: it may start (checked, not run)
    secrets.write_text('[auth]\nredirect_uri = "http://127.0.0.1/oauth2callback"\n')
    from layers.cli_app import _sign_in_configured, streamlit_flags

    assert _sign_in_configured(streamlit_flags([f"--secrets.files={secrets}"]))
    assert not _sign_in_configured(streamlit_flags(["--secrets.files", str(tmp_path / "none")]))


def test_the_app_listens_on_this_machine_only_unless_told(tmp_path):
    port = free_port()
    env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(tmp_path / "ws"), "SIP_ATLAS_DATABASE_URL": "",
           "SIP_ATLAS_BASEMAP": "none"}  # fmt: skip
    env.pop("STREAMLIT_SERVER_ADDRESS", None)
    server = subprocess.Popen([EXE, "app", "--server.port", str(port), "--server.headless=true"],
                              cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "did not start"
                time.sleep(0.5)
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, not every interface
    finally:
        server.terminate()  # as a service manager or `kill` stops it
        server.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _listening(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _listening(port), "the server outlived `sip-atlas app`"
