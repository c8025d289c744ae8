"""Save an inspected upload into the workspace, with a summary of its report."""

from __future__ import annotations

from pathlib import Path

from geo.uploads.ingest import IngestResult
from geo.workspace import Workspace

__all__ = ["save_upload"]

_SUMMARY_KEYS = (
    "features_read", "features_kept", "repaired", "dropped", "encoding", "crs", "warnings",
    "area_m2", "area_ha", "area_mu", "declared_area_unit",
)  # fmt: skip


def save_upload(
    result: IngestResult, files: list[Path], *, name: str | None, workspace: Workspace
) -> dict:
    """Save ``result`` and the uploaded ``files``; return the report with ``layer_id`` added.

    ``name`` is the display name (default: the file's name without extension).
    """
    display = (name or "").strip() or Path(result.source.label).stem
    entry = {
        "name": display,
        "source": result.source.label,
        "geometry_type": result.report["geometry_type"],
        "bbox_wgs84": result.report["bbox_wgs84"],
        "mapping": result.report["mapping"],
        "report": {k: result.report[k] for k in _SUMMARY_KEYS},
    }
    saved = workspace.save(result.gdf, files, entry)
    return {"layer_id": saved["id"], "name": display, **result.report}
