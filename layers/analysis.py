"""Planning statistics for registry layers: overlays on districts, walking-circle coverage.

The glue between the registry (names, the status and land-use columns of a layer) and the
measuring functions of ``geo.analysis`` and ``geo.walking``; the app and ``sip-atlas stats``
both call it, so they print the same numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.analysis import UNASSIGNED, assign_districts, district_parts, group_areas
from geo.area import area_columns
from geo.walking import circle_coverage, minutes_for
from layers.registry import Lang, LayerSpec

__all__ = [
    "DISTRICT_COLUMN",
    "AnalysisLayer",
    "column_names",
    "coverage_table",
    "filter_parcels",
    "overlay_table",
]

DISTRICT_COLUMN = "_district"


@dataclass(frozen=True)
class AnalysisLayer:
    """A layer prepared for analysis: its features with areas (m², ha, mu, measured in
    EPSG:4549) and, when grouped, the group each feature belongs to (``DISTRICT_COLUMN``: the
    district holding most of it, or the value of one of its own columns). ``groups`` maps every
    group's key (a district's id, a column's value) to its name, so that an empty group still
    shows, with 0."""

    spec: LayerSpec
    gdf: gpd.GeoDataFrame
    groups: dict[str, str] = field(default_factory=dict)
    # by districts: each feature's parts (feature label, district name, share 0-1)
    parts: pd.DataFrame | None = None

    @classmethod
    def prepare(
        cls,
        spec: LayerSpec,
        gdf: gpd.GeoDataFrame,
        districts: tuple[LayerSpec, gpd.GeoDataFrame] | None = None,
        lang: Lang = "zh",
        *,
        column: str | None = None,
    ) -> AnalysisLayer:
        """Measure areas once, and group the features: by ``column`` (its values named in
        ``lang`` through an English twin column, area_zh -> area_en) or else by ``districts``
        (each feature in the district holding most of it; see ``assign_districts``)."""
        out = gdf.drop(columns=["area_m2", "area_ha", "area_mu"], errors="ignore")
        out = pd.concat([out, area_columns(gdf)], axis=1)
        out = gpd.GeoDataFrame(out, geometry=gdf.geometry.name, crs=gdf.crs)
        groups: dict[str, str] = {}
        if column is not None:
            keys = gdf[column].astype(object).where(gdf[column].notna())
            names = column_names(gdf, column, lang)
            groups = {k: names.get(k, k) for k in sorted(keys.dropna().astype(str).unique())}
            out[DISTRICT_COLUMN] = keys.map(lambda k: groups.get(str(k), UNASSIGNED))
        elif districts is not None:
            _, dgdf = districts
            names = dgdf[f"name_{lang}"] if f"name_{lang}" in dgdf else dgdf["id"]
            groups = dict(zip(dgdf["id"].astype(str), names.astype(str), strict=True))
            assigned = assign_districts(out, dgdf)
            out[DISTRICT_COLUMN] = assigned.map(names).fillna(UNASSIGNED)
            parts = district_parts(out, dgdf)
            parts["district"] = parts["district"].map(names)
            return cls(spec, out, groups, parts)
        return cls(spec, out, groups)

    def column(self, role: str) -> str | None:
        """The column holding ``role`` ('status', 'land_use' or 'far', the floor area ratio),
        if the layer has one."""
        column = self.spec.analysis.get(role)
        return column if column in self.gdf else None


def filter_parcels(
    layer: AnalysisLayer,
    *,
    statuses: list[str] | None = None,
    land_uses: list[str] | None = None,
    districts: list[str] | None = None,
    area_ha: tuple[float, float] | None = None,
) -> gpd.GeoDataFrame:
    """The features matching every given filter (None means no filter on that attribute)."""
    gdf, keep = layer.gdf, pd.Series(True, index=layer.gdf.index)
    for role, chosen in (("status", statuses), ("land_use", land_uses)):
        column = layer.column(role)
        if chosen is not None and column:
            keep &= gdf[column].isin(chosen)
    if districts is not None and DISTRICT_COLUMN in gdf:
        keep &= gdf[DISTRICT_COLUMN].isin(districts)
    if area_ha is not None:
        keep &= gdf["area_ha"].between(*area_ha)
    return gdf[keep]


def overlay_table(
    layer: AnalysisLayer,
    gdf: gpd.GeoDataFrame,
    by: str | None,
    *,
    groups: Collection[str] | None = None,
    by_share: bool = False,
) -> pd.DataFrame:
    """Count and area (m², ha, mu) of ``gdf`` by group, and by ``by`` ('status', 'land_use'
    or None) within each group; floor area (m², 万m²) where the layer has a FAR. The first
    column is ``group`` (the group's name): every group of the layer (or those named in
    ``groups``) appears, with 0 where none of ``gdf`` is in it, largest first, and the features
    in no group (``UNASSIGNED``) last. With ``by_share`` (a layer grouped by districts), each
    feature's area is split among the districts by the share of it each holds, the rest
    outside; a feature then counts in every group it has a part in."""
    if by_share and layer.parts is not None:
        gdf = _split_by_share(layer, gdf)
    columns = [DISTRICT_COLUMN] if DISTRICT_COLUMN in gdf else []
    extra = layer.column(by) if by else None
    if extra:
        columns.append(extra)
    if not columns:
        columns = ["_all"]
        gdf = gdf.assign(_all="all")
    far = layer.column("far")
    table = group_areas(gdf, columns, area_m2=gdf["area_m2"], far=gdf[far] if far else None)
    table = table.rename(columns={DISTRICT_COLUMN: "group", "_all": "group"})
    if layer.groups and "group" in table:
        wanted = [n for n in layer.groups.values() if groups is None or n in groups]
        empty = [n for n in wanted if n not in set(table["group"])]
        zeros = {c: 0 for c in table.columns if c not in ("group", extra)}
        table = pd.concat([table, pd.DataFrame([{"group": n, **zeros} for n in empty])],
                          ignore_index=True)  # fmt: skip
        outside = table["group"] == UNASSIGNED
        table = pd.concat([table[~outside], table[outside]], ignore_index=True)
    return table.rename(columns={extra: by}) if extra else table


def _split_by_share(layer: AnalysisLayer, gdf: pd.DataFrame) -> pd.DataFrame:
    """One row per part of each feature of ``gdf`` (in a district, and outside every one),
    with its group and the area of that part (``area_m2``)."""
    parts = layer.parts[layer.parts["parcel"].isin(gdf.index)]
    inside = parts.groupby("parcel")["share"].sum().clip(upper=1.0)
    outside = (1.0 - inside.reindex(gdf.index).fillna(0.0)).clip(lower=0.0)
    outside = outside[outside > 1e-9]
    pieces = pd.concat([
        parts.rename(columns={"parcel": "feature", "district": DISTRICT_COLUMN}),
        pd.DataFrame({"feature": outside.index, DISTRICT_COLUMN: UNASSIGNED,
                      "share": outside.to_numpy()}),
    ], ignore_index=True)  # fmt: skip
    attributes = pd.DataFrame(gdf.drop(columns=[DISTRICT_COLUMN, gdf.geometry.name]))
    out = pieces.join(attributes, on="feature")
    out["area_m2"] = out["area_m2"] * out["share"]
    return out


def column_names(gdf: pd.DataFrame, column: str, lang: Lang) -> dict[str, str]:
    """The values of a Chinese ``column`` named in ``lang``: through its English twin
    (current_use_zh -> current_use_en) in English, else as they are."""
    twin = column.removesuffix("_zh") + "_en"
    if lang != "en" or not column.endswith("_zh") or twin not in gdf:
        return {}
    pairs = gdf[[column, twin]].dropna().astype(str).drop_duplicates(column)
    return dict(zip(pairs[column], pairs[twin], strict=True))


def coverage_table(
    gdf: gpd.GeoDataFrame, origins: gpd.GeoDataFrame, circles_m: Mapping[int, float]
) -> tuple[pd.DataFrame, dict[float, pd.Series]]:
    """Walking-circle coverage of ``gdf`` around ``origins``; ``circles_m`` maps minutes to
    radius in metres. See ``geo.walking.circle_coverage``; adds ``minutes`` (None for a radius
    no walking time has) and rounds shares to 4 decimals."""
    table, inside = circle_coverage(gdf, origins, list(circles_m.values()))
    table.insert(0, "minutes", [minutes_for(r, circles_m) for r in table["radius_m"]])
    return table.round({"share_parcels": 4, "share_area": 4}), inside
