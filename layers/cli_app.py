"""``sip-atlas app``: start the atlas's server (``app_server.py``) with Streamlit, listening on
this machine only unless an address is given, and refusing, before anything starts, a shared
(PostgreSQL) workspace without sign-in (unless ``SIP_ATLAS_OPEN_SERVER=1``)."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

__all__ = ["run_app", "streamlit_flags"]

APP_PATH = Path(__file__).resolve().parents[1] / "app_server.py"  # the app and its tile route
LOOPBACK = "127.0.0.1"


def streamlit_flags(extra: list[str]) -> dict[str, str]:
    """Streamlit's ``--section.option value`` or ``--section.option=value`` flags in ``extra``,
    as {'section.option': 'value'}."""
    flags: dict[str, str] = {}
    items = iter(extra)
    for item in items:
        if not item.startswith("--") or "." not in item:
            continue
        name, eq, value = item[2:].partition("=")
        flags[name] = value if eq else next(items, "")
    return flags


def _sign_in_configured(flags: dict[str, str]) -> bool:
    """Whether a secrets file Streamlit will read (``secrets.files``) has an ``[auth]`` table."""
    from streamlit import config

    files = [flags["secrets.files"]] if "secrets.files" in flags else None
    for name in files or config.get_option("secrets.files"):
        path = Path(name).expanduser()
        try:
            if "auth" in tomllib.loads(path.read_text(encoding="utf-8")):
                return True
        except (OSError, ValueError):
            continue
    return False


def _address_given(flags: dict[str, str]) -> bool:
    from streamlit import config
    from streamlit.config_option import ConfigOption

    where = config.get_where_defined("server.address")
    return "server.address" in flags or where != ConfigOption.DEFAULT_DEFINITION


def run_app(extra: list[str]) -> int:
    """Start the server with Streamlit's options ``extra`` in this process's place (it does not
    return), or return 2 (with the reason in both languages on stderr) if it must not start."""
    from streamlit import config

    from geo.settings import database_url
    from layers.i18n import t

    config.get_config_options(force_reparse=True)  # the files and environment of this folder
    flags = streamlit_flags(extra)
    open_ok = os.environ.get("SIP_ATLAS_OPEN_SERVER") == "1"
    if database_url() is not None and not open_ok and not _sign_in_configured(flags):
        print(f"sip-atlas: {t('open_server_refused', 'en')}\nsip-atlas: "
              f"{t('open_server_refused', 'zh')}", file=sys.stderr)  # fmt: skip
        return 2
    if not _address_given(flags):  # this machine only; colleagues: --server.address 0.0.0.0
        extra = [f"--server.address={LOOPBACK}", *extra]
    command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH), *extra]
    # as .streamlit/config.toml says, also when started from another folder
    env = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", **os.environ}
    sys.stdout.flush()
    sys.stderr.flush()
    # the server takes this process's place: a signal that stops `sip-atlas app` (a service
    # manager's, kill's) stops the server; a child would have been left running
    os.execve(sys.executable, command, env)
    return 0  # not reached
