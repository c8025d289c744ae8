"""Settings of the atlas, read from the environment at call time so tests can change them."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "default_basemap", "tianditu_key"]

_REPO_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Folder of the base layers: ``SIP_ATLAS_DATA`` or the repository's ``data/``."""
    return Path(os.environ.get("SIP_ATLAS_DATA", _REPO_ROOT / "data"))


def default_basemap() -> str:
    """Basemap the app opens with: ``SIP_ATLAS_BASEMAP`` (e.g. 'none' offline) or 'light'."""
    return os.environ.get("SIP_ATLAS_BASEMAP", "light")


def tianditu_key() -> str | None:
    """The Tianditu API key from ``TIANDITU_KEY``, or None (then Tianditu is not offered)."""
    return os.environ.get("TIANDITU_KEY") or None
