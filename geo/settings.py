"""Settings of the atlas, read from the environment at call time so tests can change them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = [
    "data_dir",
    "database_url",
    "default_basemap",
    "max_unzipped_bytes",
    "max_upload_bytes",
    "scratch_dir",
    "tianditu_key",
    "workspace_dir",
]

_REPO_ROOT = Path(__file__).resolve().parents[1]
_MIB = 1024 * 1024


def data_dir() -> Path:
    """Folder of the base layers: ``SIP_ATLAS_DATA`` or the repository's ``data/``."""
    return Path(os.environ.get("SIP_ATLAS_DATA", _REPO_ROOT / "data"))


def workspace_dir() -> Path:
    """Folder of the workspace: ``SIP_ATLAS_WORKSPACE`` or ``~/.local/share/sip-atlas``."""
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return Path(os.environ.get("SIP_ATLAS_WORKSPACE", default / "sip-atlas"))


def database_url() -> str | None:
    """``SIP_ATLAS_DATABASE_URL`` (a PostgreSQL URL): the shared PostGIS workspace, or None."""
    return os.environ.get("SIP_ATLAS_DATABASE_URL") or None


def max_upload_bytes() -> int:
    """Largest file a planner may upload: ``SIP_ATLAS_MAX_UPLOAD_MB`` (default 200 MiB)."""
    return int(float(os.environ.get("SIP_ATLAS_MAX_UPLOAD_MB", "200")) * _MIB)


def max_unzipped_bytes() -> int:
    """Largest total a zip may unpack to: ``SIP_ATLAS_MAX_UNZIPPED_MB`` (default 2048 MiB)."""
    return int(float(os.environ.get("SIP_ATLAS_MAX_UNZIPPED_MB", "2048")) * _MIB)


def scratch_dir() -> Path:
    """Folder of the app's temporary upload files: ``SIP_ATLAS_SCRATCH`` or the system's
    temporary folder's ``sip-atlas-uploads``."""
    default = Path(tempfile.gettempdir()) / "sip-atlas-uploads"
    return Path(os.environ.get("SIP_ATLAS_SCRATCH", default))


def default_basemap() -> str:
    """Basemap the app opens with: ``SIP_ATLAS_BASEMAP`` (e.g. 'none' offline) or 'light'."""
    return os.environ.get("SIP_ATLAS_BASEMAP", "light")


def tianditu_key() -> str | None:
    """The Tianditu API key: ``TIANDITU_KEY``, else the Streamlit secret ``tianditu_key``
    (.streamlit/secrets.toml), else None (then Tianditu is not offered)."""
    if os.environ.get("TIANDITU_KEY"):
        return os.environ["TIANDITU_KEY"]
    try:
        import streamlit as st

        return str(st.secrets.get("tianditu_key", "")) or None
    except (ImportError, FileNotFoundError, KeyError, AttributeError, RuntimeError):
        return None
