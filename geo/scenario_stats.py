"""What a scenario changes: parcel land and floor area by status, proposal area by kind, and
15-minute walking coverage, and two scenarios side by side. Measured in EPSG:4549."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.analysis import group_areas
from geo.crs import to_metric
from geo.plans import ORIGIN_KINDS
from geo.walking import circle_coverage, merge_origins

__all__ = ["compare_scenarios", "scenario_stats"]


def scenario_stats(
    parcels: gpd.GeoDataFrame,
    scenario: dict,
    proposals: gpd.GeoDataFrame,
    origins: gpd.GeoDataFrame,
    radius_m: float = 1_000.0,
) -> dict:
    """What a scenario does: parcel area by status (its status changes applied), the area of
    its proposals by kind (use), parcel floor area by status (万m², land area × target FAR, when
    the parcels have one), and the share of parcels and area within ``radius_m`` metres of the
    origins plus its new consumption scenes and service districts. EPSG:4549, ha."""
    changed = parcels.copy()
    changes = scenario.get("status_changes", {})
    changed["status"] = [
        changes.get(i, s) for i, s in zip(changed["id"], changed["status"], strict=True)
    ]
    far = changed.get("target_far")
    by_status = group_areas(changed, ["status"], far=far).set_index("status")
    own = proposals[proposals["id"].isin(scenario.get("proposals", []))]
    kinds = to_metric(own).assign(area_ha=lambda g: g.geometry.area / 10_000)
    by_kind = kinds.groupby("kind")["area_ha"].sum().round(3).to_dict() if len(own) else {}
    proposal_far = pd.to_numeric(kinds["far"], errors="coerce") if "far" in kinds else None
    by_kind_floor = {}
    if proposal_far is not None and proposal_far.notna().any():
        # 1 ha × FAR is FAR × 10,000 m² of floor area: hectares times FAR are 万m²
        wan_m2 = (kinds["area_ha"] * proposal_far)[proposal_far.notna()]
        by_kind_floor = wan_m2.groupby(kinds["kind"]).sum().round(3).to_dict()
    added = own[own["kind"].isin(ORIGIN_KINDS)]
    coverage, _ = circle_coverage(parcels, merge_origins(origins, added), [radius_m])
    floor = by_status["floor_area_wan_m2"].to_dict() if far is not None else {}
    return {"area_ha_by_status": by_status["area_ha"].to_dict(), "proposal_ha_by_kind": by_kind,
            "floor_wan_m2_by_status": floor, "proposal_floor_wan_m2_by_kind": by_kind_floor,
            "share_parcels": float(coverage["share_parcels"].iloc[0]),
            "share_area": float(coverage["share_area"].iloc[0])}  # fmt: skip


def compare_scenarios(a: dict, b: dict) -> pd.DataFrame:
    """Side-by-side figures of two ``scenario_stats`` results with their difference (b - a).

    ``measure`` keys: ``area_ha:<status>``, ``floor_wan_m2:<status>``, ``proposal_ha:<kind>``,
    ``share_parcels`` and ``share_area`` (fractions 0-1)."""
    rows = []
    for status in sorted(set(a["area_ha_by_status"]) | set(b["area_ha_by_status"])):
        va, vb = a["area_ha_by_status"].get(status, 0.0), b["area_ha_by_status"].get(status, 0.0)
        rows.append({"measure": f"area_ha:{status}", "a": va, "b": vb})
    for status in sorted(set(a.get("floor_wan_m2_by_status", {}))
                         | set(b.get("floor_wan_m2_by_status", {}))):  # fmt: skip
        va = a["floor_wan_m2_by_status"].get(status, 0.0)
        vb = b["floor_wan_m2_by_status"].get(status, 0.0)
        rows.append({"measure": f"floor_wan_m2:{status}", "a": va, "b": vb})
    for kind in sorted(set(a.get("proposal_floor_wan_m2_by_kind", {}))
                       | set(b.get("proposal_floor_wan_m2_by_kind", {}))):  # fmt: skip
        va = a["proposal_floor_wan_m2_by_kind"].get(kind, 0.0)
        vb = b["proposal_floor_wan_m2_by_kind"].get(kind, 0.0)
        rows.append({"measure": f"proposal_floor_wan_m2:{kind}", "a": va, "b": vb})
    for kind in sorted(set(a["proposal_ha_by_kind"]) | set(b["proposal_ha_by_kind"])):
        va, vb = a["proposal_ha_by_kind"].get(kind, 0.0), b["proposal_ha_by_kind"].get(kind, 0.0)
        rows.append({"measure": f"proposal_ha:{kind}", "a": va, "b": vb})
    for key in ("share_parcels", "share_area"):
        rows.append({"measure": key, "a": a[key], "b": b[key]})
    table = pd.DataFrame(rows)
    table["delta"] = (table["b"] - table["a"]).round(6)
    return table.round({"a": 6, "b": 6})
