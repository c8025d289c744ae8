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

__all__ = ["leaflet_css_url", "leaflet_js_url"]

_LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
_IMAGE_URL = re.compile(r"url\((images/[\w.-]+\.png)\)")


def _data_url(mime: str, payload: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


@cache
def leaflet_js_url() -> str:
    """Leaflet 1.9.3's script as a data: URL."""
    return _data_url("text/javascript", (_LEAFLET_DIR / "leaflet.js").read_bytes())


@cache
def leaflet_css_url() -> str:
    """Leaflet's stylesheet as a data: URL, its images inlined as data: URLs too."""
    css = (_LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    css = _IMAGE_URL.sub(
        lambda m: f"url({_data_url('image/png', (_LEAFLET_DIR / m.group(1)).read_bytes())})",
        css,
    )
    return _data_url("text/css", css.encode("utf-8"))
