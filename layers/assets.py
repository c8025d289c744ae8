"""Leaflet's script, stylesheet and icons from the installed xstatic package, as data: URLs.

folium points every page at CDNs; offline (CI, government intranets) the map would be blank.
These URLs carry the files themselves, so a map page needs no network for anything but tiles.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path

import xstatic.pkg.leaflet as xstatic_leaflet

__all__ = ["leaflet_css_url", "leaflet_js_url", "plugin_css_url", "plugin_js_url"]

_LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
_IMAGE_URL = re.compile(r"url\(['\"]?(images/[\w.-]+\.(png|svg))['\"]?\)")
_NODE_MODULES = Path(__file__).with_name("web") / "node_modules"
# Plugin -> (script, stylesheet or None), paths inside node_modules (see layers/web/package.json).
_PLUGINS = {
    "draw": ("leaflet-draw/dist/leaflet.draw.js", "leaflet-draw/dist/leaflet.draw.css"),
    "sync": ("leaflet.sync/L.Map.Sync.js", None),
    "protomaps": ("protomaps-leaflet/dist/protomaps-leaflet.js", None),
}
_MIME = {"png": "image/png", "svg": "image/svg+xml"}


def _data_url(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


@cache
def leaflet_js_url() -> str:
    """Leaflet 1.9.3's script as a data: URL."""
    return _data_url("text/javascript", (_LEAFLET_DIR / "leaflet.js").read_bytes())


def _css_url(css_file: Path) -> str:
    css = css_file.read_text(encoding="utf-8")
    css = _IMAGE_URL.sub(
        lambda m: (
            f"url({_data_url(_MIME[m.group(2)], (css_file.parent / m.group(1)).read_bytes())})"
        ),
        css,
    )
    return _data_url("text/css", css.encode("utf-8"))


@cache
def leaflet_css_url() -> str:
    """Leaflet's stylesheet as a data: URL, its images inlined as data: URLs too."""
    return _css_url(_LEAFLET_DIR / "leaflet.css")


def _plugin_file(relative: str) -> Path:
    path = _NODE_MODULES / relative
    if not path.exists():
        msg = f"{path} is missing: run `bash .ci/setup` (it installs the map's Leaflet plugins)."
        raise FileNotFoundError(msg)
    return path


@cache
def plugin_js_url(plugin: str) -> str:
    """A Leaflet plugin's script ('draw', 'sync' or 'protomaps') as a data: URL."""
    return _data_url("text/javascript", _plugin_file(_PLUGINS[plugin][0]).read_bytes())


@cache
def plugin_css_url(plugin: str) -> str:
    """A Leaflet plugin's stylesheet as a data: URL, its images inlined."""
    return _css_url(_plugin_file(_PLUGINS[plugin][1]))
