"""The layer registry: what each layer is, read from registry.toml."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "ROLES",
    "Category",
    "Lang",
    "LayerSpec",
    "Style",
    "attributions",
    "field_label",
    "field_value",
    "group_name",
    "layer_spec",
    "load_registry",
    "status_labels",
    "with_role",
]

Lang = Literal["zh", "en"]
REGISTRY_PATH = Path(__file__).with_name("registry.toml")
ROLES = ("district", "walking_origin", "walking_default", "parcels", "sketch_target")


@dataclass(frozen=True)
class Category:
    """One class of a categorised style: the value, its names and its fill colour."""

    value: str
    zh: str
    en: str
    fill_color: str


@dataclass(frozen=True)
class Style:
    """How a layer is drawn: stroke, fill, point radius in pixels, optional category field."""

    color: str = "#333333"
    weight: float = 1.0
    fill_color: str = "#999999"
    fill_opacity: float = 0.5
    dash_array: str | None = None
    radius: float = 6.0
    by: str | None = None
    class_name: str | None = None  # CSS class on each drawn shape (for highlights, tests)
    interactive: bool = True  # False: an outline the mouse passes through to what is below


@dataclass(frozen=True)
class LayerSpec:
    """One registry entry. ``schema`` maps column names to 'str', 'float', 'int' or 'bool'."""

    id: str
    file: str
    name_zh: str
    name_en: str
    group: str
    geometry_type: Literal["Point", "LineString", "Polygon"]
    schema: dict[str, str]
    style: Style
    tooltip: tuple[str, ...]
    popup: tuple[str, ...]
    visible: bool = True
    inside_sip: bool = True
    illustrative: bool = False
    # third-party sources to credit wherever the layer is shown or exported
    attribution: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # see ROLES
    categories: tuple[Category, ...] = field(default_factory=tuple)
    analysis: dict[str, str] = field(default_factory=dict)  # role ('status', 'land_use') -> column
    label: str | None = None  # 'name' (name_zh / name_en by language) or a column; None: none
    label_min_zoom: float = 0.0  # labels show from this zoom (parcel numbers only close up)
    label_avoid: str | None = None  # a layer whose shapes its labels keep off (named itself)
    tiles: int = 0  # a saved layer drawn from the server's vector tiles: its feature count

    def name(self, lang: Lang) -> str:
        """The layer's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en

    def category_labels(self, lang: Lang) -> dict[str, str]:
        """Each category value (e.g. a parcel status code) -> its name in ``lang``."""
        return {c.value: getattr(c, lang) for c in self.categories}


@dataclass(frozen=True)
class Registry:
    """All layers in display order, with group and field names."""

    layers: tuple[LayerSpec, ...]
    groups: dict[str, dict[str, str]]
    fields: dict[str, dict[str, str]]
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)


def _spec(raw: dict) -> LayerSpec:
    raw = dict(raw)
    categories = tuple(
        Category(value=k, zh=v["zh"], en=v["en"], fill_color=v["fill_color"])
        for k, v in raw.pop("categories", {}).items()
    )
    return LayerSpec(
        style=Style(**raw.pop("style", {})),
        tooltip=tuple(raw.pop("tooltip")),
        popup=tuple(raw.pop("popup")),
        categories=categories,
        attribution=tuple(raw.pop("attribution", ())),
        roles=tuple(raw.pop("roles", ())),
        **raw,
    )


@cache
def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    """Read and check the registry file (TOML) once per process."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    registry = Registry(
        layers=tuple(_spec(item) for item in raw["layer"]),
        groups=raw["groups"],
        fields=raw["fields"],
        values=raw.get("values", {}),
    )
    for spec in registry.layers:
        labelled = [spec.label] if spec.label not in (None, "name") else []
        missing = [f for f in (*spec.tooltip, *spec.popup, *labelled) if f not in spec.schema]
        if spec.group not in registry.groups or missing:
            msg = f"registry.toml: layer {spec.id!r} names unknown group or fields {missing}"
            raise ValueError(msg)
        unknown = sorted(set(spec.roles) - set(ROLES))
        if unknown:
            msg = f"registry.toml: layer {spec.id!r} has unknown roles {unknown}; use {ROLES}"
            raise ValueError(msg)
    return registry


def layer_spec(layer_id: str) -> LayerSpec:
    """The registry entry of ``layer_id``; KeyError lists the known ids."""
    for spec in load_registry().layers:
        if spec.id == layer_id:
            return spec
    known = ", ".join(s.id for s in load_registry().layers)
    msg = f"No layer {layer_id!r}. Known layers: {known}"
    raise KeyError(msg)


def with_role(specs: Iterable[LayerSpec], role: str) -> list[str]:
    """The ids of ``specs`` that have ``role`` (see ROLES), in registry order."""
    return [s.id for s in specs if role in s.roles]


def status_labels(lang: Lang) -> dict[str, str]:
    """Parcel status code -> its name in ``lang`` (the categories of the layer with the
    'parcels' role: scenarios' statuses, and an upload's status written in those codes)."""
    spec = next((s for s in load_registry().layers if "parcels" in s.roles), None)
    return spec.category_labels(lang) if spec else {}


def attributions(specs: Iterable[LayerSpec]) -> list[str]:
    """The attributions of ``specs`` (each once, in order) that must be shown with them."""
    return list(dict.fromkeys(a for s in specs for a in s.attribution))


def group_name(group: str, lang: Lang) -> str:
    """The display name of a layer group in ``lang``."""
    return load_registry().groups[group][lang]


def field_value(column: str, value: object, lang: Lang) -> object:
    """A base layer's descriptive value (e.g. in_sip 'full') in ``lang`` where the registry
    names it; any other value as it is."""
    if not isinstance(value, str):
        return value
    return load_registry().values.get(column, {}).get(value, {}).get(lang, value)


def field_label(column: str, lang: Lang) -> str:
    """The display label of an attribute column in ``lang`` (the column name if unlisted)."""
    return load_registry().fields.get(column, {}).get(lang, column)
