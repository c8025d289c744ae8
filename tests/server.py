"""Start the real app (``streamlit run``) on a free local port, for browser tests, the load
benchmark and the README screenshot."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["free_port", "serve_app"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(
    env: dict[str, str],
    *,
    log: IO | int = subprocess.DEVNULL,
    wait_s: float = 60,
    port: int | None = None,
    options: tuple[str, ...] = (),
    base_path: str = "",
) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app served on 127.0.0.1 with ``env`` (on ``port``, default a free one, with extra
    Streamlit ``options``), under ``base_path`` (Streamlit's ``server.baseUrlPath``) if given:
    yields (its URL, the server process) once it answers its health check; stopped on
    leaving. RuntimeError if it does not start."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app_server.py"),
        "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false", f"--server.baseUrlPath={base_path}", *options,
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    msg = f"the app did not start within {wait_s:.0f} s"
                    raise RuntimeError(msg) from None
                time.sleep(0.5)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)
