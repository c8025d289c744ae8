"""Temporary folders for the files a planner uploads in the app: one per browser session,
emptied when the upload is saved, refused or replaced, and removed when the session ends."""

from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from pathlib import Path

from geo.settings import scratch_dir

__all__ = ["STALE_AFTER_S", "Scratch", "sweep_stale"]

STALE_AFTER_S = 6 * 3600  # a folder untouched this long belongs to no live session


class Scratch:
    """A session's folder under ``scratch_dir()``. Keep the object in the session's state:
    when Streamlit drops the session, the object is collected and the folder removed."""

    def __init__(self) -> None:
        root = scratch_dir()
        root.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="session-", dir=root))
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def stage(self, key: str) -> Path:
        """The folder for the upload ``key``; anything else staged before is removed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for child in self.folder.iterdir():
            if child.name != key:
                shutil.rmtree(child, ignore_errors=True)
        target = self.folder / key
        target.mkdir(exist_ok=True)
        self.folder.touch()  # a live session's folder never looks stale
        return target

    def clear(self) -> None:
        """Remove every staged file (the folder itself stays for the session)."""
        for child in self.folder.iterdir() if self.folder.exists() else ():
            shutil.rmtree(child, ignore_errors=True)

    def remove(self) -> None:
        """Remove the folder now."""
        self._finalizer()


def sweep_stale(max_age_s: float = STALE_AFTER_S) -> None:
    """Remove scratch folders untouched for ``max_age_s`` seconds: left by a server that was
    killed, so that its sessions never ended."""
    root = scratch_dir()
    cutoff = time.time() - max_age_s
    for child in root.iterdir() if root.exists() else ():
        try:
            if child.stat().st_mtime < cutoff:
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink()
        except OSError:
            continue  # removed meanwhile by another session
