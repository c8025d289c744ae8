"""Basemaps the atlas offers, as data: tile URL, attribution and the datum its tiles are in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from geo.settings import tianditu_key
from layers.registry import Lang

__all__ = ["Basemap", "available_basemaps", "basemap"]


@dataclass(frozen=True)
class Basemap:
    """A tile basemap. ``datum`` 'gcj02' means overlays must be shifted to GCJ-02 to match."""

    id: str
    name_zh: str
    name_en: str
    tiles: str | None
    attribution: str
    datum: Literal["wgs84", "gcj02"] = "wgs84"
    subdomains: str = "abc"
    max_zoom: int = 18

    def name(self, lang: Lang) -> str:
        """The basemap's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en


_GAODE = "高德地图 AutoNavi"
_BASEMAPS = (
    Basemap("none", "无底图（园区背景图层）", "No basemap (park context layers)", None, ""),
    Basemap("osm", "OpenStreetMap", "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; OpenStreetMap contributors", max_zoom=19),
    Basemap("light", "浅灰底图", "Light grey",
            "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
            "&copy; OpenStreetMap contributors &copy; CARTO", subdomains="abcd", max_zoom=20),
    Basemap("gaode_road", "高德道路图（GCJ-02）", "Gaode roads (GCJ-02)",
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            _GAODE, datum="gcj02", subdomains="1234"),
    Basemap("gaode_satellite", "高德影像（GCJ-02）", "Gaode satellite (GCJ-02)",
            "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
            _GAODE, datum="gcj02", subdomains="1234"),
)  # fmt: skip


def _tianditu(layer: str, name_zh: str, name_en: str, key: str) -> Basemap:
    """A Tianditu WMTS layer ('vec' vector, 'img' imagery); CGCS2000, so no shift is needed."""
    return Basemap(
        f"tianditu_{'vector' if layer == 'vec' else 'imagery'}", name_zh, name_en,
        f"https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
        f"&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}",
        "天地图 Tianditu", subdomains="01234567",
    )  # fmt: skip


def available_basemaps() -> tuple[Basemap, ...]:
    """Every basemap on offer; Tianditu only when a key is set (``TIANDITU_KEY`` or the
    Streamlit secret ``tianditu_key``)."""
    key = tianditu_key()
    if not key:
        return _BASEMAPS
    return (*_BASEMAPS, _tianditu("vec", "天地图矢量", "Tianditu vector", key),
            _tianditu("img", "天地图影像", "Tianditu imagery", key))  # fmt: skip


def basemap(basemap_id: str) -> Basemap:
    """The basemap called ``basemap_id``; KeyError lists the known ids."""
    for item in available_basemaps():
        if item.id == basemap_id:
            return item
    known = ", ".join(b.id for b in available_basemaps())
    msg = f"No basemap {basemap_id!r}. Known basemaps: {known}"
    raise KeyError(msg)
