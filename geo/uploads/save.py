"""Save an inspected upload into the workspace, with a summary of its report."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from geo.store import LOCAL, WorkspaceStore
from geo.uploads.charsets import clean_text, shown_text
from geo.uploads.ingest import IngestResult

__all__ = ["save_upload"]


_SIDECARS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml")


def with_sidecars(files: list[Path]) -> list[Path]:
    """``files`` and, for a .shp among them, the parts of its shapefile beside it on disk that
    were not given (``sip-atlas ingest 地块.shp``): the original is the whole shapefile."""
    out = list(files)
    for shp in (f for f in files if f.suffix.lower() == ".shp"):
        for part in sorted(shp.parent.glob(shp.stem + ".*")):
            if part.name[len(shp.stem) :].lower() in _SIDECARS and part not in out:
                out.append(part)
    return out


def save_upload(
    result: IngestResult,
    files: list[Path],
    *,
    name: str | None,
    workspace: WorkspaceStore,
    actor: str = LOCAL,
) -> dict:
    """Save ``result`` and the uploaded ``files``; return the report (its JSON document) with
    ``layer_id`` and ``name`` added.

    ``name`` is the display name (default: the file's name without extension). Names that are
    not valid Unicode (bytes from the operating system) are decoded or shown as U+FFFD, and
    original files are kept under such a name too. ``actor`` is who uploads it (the history
    and the layer's ``author``).
    """
    display = shown_text((name or "").strip()).strip() or shown_text(Path(result.source.label).stem)
    entry = {"name": display, **result.report.entry_fields()}
    with tempfile.TemporaryDirectory(prefix="sip-atlas-save-") as tmp:
        originals = []
        for path in with_sidecars(files):
            clean = clean_text(path.name)
            if clean != path.name:
                shutil.copyfile(path, Path(tmp) / clean)
                path = Path(tmp) / clean
            originals.append(path)
        saved = workspace.save(result.gdf, originals, entry, actor=actor)
    return {"layer_id": saved["id"], "name": display, **result.report.to_json()}
