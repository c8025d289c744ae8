"""Load test: N planners at once on one app server on localhost, browsing and uploading.

Starts ``streamlit run`` on 127.0.0.1 with an empty workspace (a folder, or PostgreSQL/PostGIS
with ``--database-url``), opens N sessions at the same time in one headless Chromium, each in
its own browser context, i.e. its own app session (bounded: each session does one round), and
in each: waits for the map, switches a layer off and on, opens the Upload tab, uploads a zipped
GBK shapefile and saves it. Reports errors (page errors, app exceptions, timeouts), seconds,
the layers the workspace holds afterwards, and the server's resident memory and CPU time.
Usage: ``python bench/load_bench.py [--sessions 10] [--database-url postgresql:///db]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.helpers import parcels, write_shapefile, zip_files  # noqa: E402
from tests.server import serve_app  # noqa: E402

MAP = 'iframe[title="streamlit_folium.st_folium"]'
LAYER = "五大载体"  # the carrier parks, switched off and on


@dataclass
class LoadResult:
    """What one load run measured (seconds of wall-clock time, MiB of resident memory)."""

    sessions: int
    seconds: float = 0.0
    per_session: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    saved: list[dict] = field(default_factory=list)  # the workspace's layer entries afterwards
    idle_mib: float = 0.0
    busy_mib: float = 0.0
    server_cpu: float = 0.0

    def summary(self) -> str:
        """One line with the figures RESULTS.md records."""
        each = sorted(self.per_session) or [0.0]
        per = (self.busy_mib - self.idle_mib) / max(self.sessions, 1)
        return (f"sessions {self.sessions}: {self.seconds:.1f} s (per session median "
                f"{each[len(each) // 2]:.1f} s, slowest {each[-1]:.1f} s), "
                f"errors {len(self.errors)}, layers saved {len(self.saved)}; server memory "
                f"{self.idle_mib:.0f} MiB idle, {self.busy_mib:.0f} MiB after, {per:.0f} MiB per "
                f"session; server CPU {self.server_cpu:.1f} s")  # fmt: skip


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _session(browser, url: str, archive: Path, name: str, errors: list[str],
                   timeout_ms: int) -> float:  # fmt: skip
    """One planner's round in its own browser context; returns the seconds it took."""
    start = time.perf_counter()
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{name}: {exc}"))
    try:
        await page.goto(url, timeout=timeout_ms)
        shape = page.frame_locator(MAP).locator("path.leaflet-interactive").first
        await shape.wait_for(timeout=timeout_ms)
        await page.get_by_text(LAYER).first.click(timeout=timeout_ms)  # a layer off ...
        await page.wait_for_timeout(1500)
        await page.get_by_text(LAYER).first.click(timeout=timeout_ms)  # ... and on again
        await page.get_by_role("tab", name="上传").click(timeout=timeout_ms)
        uploader = page.locator("[data-testid=stFileUploader] input[type=file]")
        await uploader.set_input_files(str(archive), timeout=timeout_ms)
        await page.get_by_role("button", name="保存到工作区").click(timeout=timeout_ms)
        await page.get_by_text("已保存").first.wait_for(state="attached", timeout=timeout_ms)
        if await page.locator("[data-testid=stException]").count():
            errors.append(f"{name}: the app showed an exception")
    except Exception as exc:  # every failure is reported, none stops the others
        errors.append(f"{name}: {type(exc).__name__}: {exc}")
    finally:
        await context.close()
    return time.perf_counter() - start


async def _run_sessions(url: str, archive: Path, count: int, errors: list[str],
                        timeout_ms: int) -> list[float]:  # fmt: skip
    """All sessions at once in one headless Chromium, each in its own browser context."""
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return list(await asyncio.gather(*(
                _session(browser, url, archive, f"session {n}", errors, timeout_ms)
                for n in range(count)
            )))  # fmt: skip
        finally:
            await browser.close()


def _saved_layers(workspace: Path, database_url: str | None) -> list[dict]:
    if database_url:
        from geo.pgstore import PostgisWorkspace

        return PostgisWorkspace(database_url).list_layers()
    from geo.workspace import Workspace

    return Workspace(workspace).list_layers()


def run_load(sessions: int, *, database_url: str | None = None,
             timeout_ms: int = 120_000) -> LoadResult:  # fmt: skip
    """Start the app on a free localhost port with an empty workspace (a temporary folder, or
    the given PostGIS database, which must be empty) and run ``sessions`` planners at once."""
    result = LoadResult(sessions)
    with tempfile.TemporaryDirectory() as tmp:
        parts = write_shapefile(Path(tmp) / "src", parcels(), encoding="GBK", cpg=False)
        archive = zip_files(Path(tmp) / "地块.zip", {p.name: p for p in parts}, gbk_names=True)
        workspace = Path(tmp) / "ws"
        env = {**os.environ, "SIP_ATLAS_WORKSPACE": str(workspace), "SIP_ATLAS_BASEMAP": "none"}
        env.pop("SIP_ATLAS_DATABASE_URL", None)
        if database_url:  # a shared workspace with no sign-in: open on purpose, on this machine
            env["SIP_ATLAS_DATABASE_URL"] = database_url
            env["SIP_ATLAS_OPEN_SERVER"] = "1"
        with serve_app(env) as (url, server):
            result.idle_mib, cpu_idle = _rss_mib(server.pid), _cpu_seconds(server.pid)
            start = time.perf_counter()
            sessions_run = _run_sessions(url, archive, sessions, result.errors, timeout_ms)
            with ThreadPoolExecutor(1) as thread:  # its own event loop, whoever calls us
                result.per_session = thread.submit(asyncio.run, sessions_run).result()
            result.seconds = time.perf_counter() - start
            result.busy_mib = _rss_mib(server.pid)
            result.server_cpu = _cpu_seconds(server.pid) - cpu_idle
        result.saved = _saved_layers(workspace, database_url)
    return result


def main() -> None:
    """Run the sessions at once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--database-url", help="an empty PostGIS database to use as workspace")
    args = parser.parse_args()
    result = run_load(args.sessions, database_url=args.database_url)
    print(result.summary())
    for error in result.errors:
        print("  ", error[:300])


if __name__ == "__main__":
    main()
