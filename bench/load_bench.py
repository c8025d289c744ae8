"""Load test: 10 planners at once on one app server on localhost, browsing and uploading.

Starts ``streamlit run`` on 127.0.0.1 with an empty workspace, opens N sessions in headless
Chromium at the same time (bounded: each session does one round), and in each: waits for the
map, switches a layer off and on, opens the Upload tab and uploads a zipped GBK shapefile, then
saves it. Reports errors (page errors, failed scripts, app exceptions), seconds, and the
server's resident memory before and after, per session. Usage:
``python bench/load_bench.py [--sessions 10]``
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.helpers import parcels, write_shapefile, zip_files  # noqa: E402

MAP = 'iframe[title="streamlit_folium.st_folium"]'


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _session(browser, url: str, archive: Path, name: str, errors: list[str]) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("pageerror", lambda exc: errors.append(f"{name}: {exc}"))
    page.goto(url, timeout=120_000)
    page.frame_locator(MAP).locator("path.leaflet-interactive").first.wait_for(timeout=120_000)
    page.get_by_text("五大载体").first.click()  # a layer off ...
    page.wait_for_timeout(1500)
    page.get_by_text("五大载体").first.click()  # ... and on again
    page.get_by_role("tab", name="上传").click()
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(archive))
    page.get_by_role("button", name="保存到工作区").click(timeout=120_000)
    page.get_by_text("已保存").first.wait_for(state="attached", timeout=120_000)
    if page.locator("[data-testid=stException]").count():
        errors.append(f"{name}: the app showed an exception")
    page.close()


def _one(url: str, archive: Path, n: int, errors: list[str]) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            _session(browser, url, archive, f"session {n}", errors)
        except Exception as exc:  # every failure is reported, none stops the others
            errors.append(f"session {n}: {type(exc).__name__}: {exc}")
        finally:
            browser.close()


def _run_sessions(url: str, archive: Path, count: int, errors: list[str]) -> None:
    """All sessions at once, each in its own thread and browser (Playwright's sync API is not
    thread-safe)."""
    threads = [threading.Thread(target=_one, args=(url, archive, n, errors)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    """Run the sessions at once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        parts = write_shapefile(Path(tmp) / "src", parcels(), encoding="GBK", cpg=False)
        archive = zip_files(Path(tmp) / "地块.zip", {p.name: p for p in parts}, gbk_names=True)
        env = {
            **os.environ,
            "SIP_ATLAS_WORKSPACE": str(Path(tmp) / "ws"),
            "SIP_ATLAS_BASEMAP": "none",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
             "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        idle = _rss_mib(server.pid)
        errors: list[str] = []
        start = time.perf_counter()
        _run_sessions(url, archive, args.sessions, errors)
        seconds = time.perf_counter() - start
        busy = _rss_mib(server.pid)
        saved = len(list((Path(tmp) / "ws" / "layers").glob("*.gpkg")))
        server.terminate()
        server.wait(timeout=30)
    print(f"sessions {args.sessions}: {seconds:.1f} s, errors {len(errors)}, layers saved {saved}; "
          f"server memory {idle:.0f} MiB idle, {busy:.0f} MiB after, "
          f"{(busy - idle) / args.sessions:.0f} MiB per session")  # fmt: skip
    for error in errors:
        print("  ", error[:300])


if __name__ == "__main__":
    main()
