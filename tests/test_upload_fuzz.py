"""Property tests: damaged zips and shapefiles are either read or refused with IngestError."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import IngestError
from geo.uploads.ingest import IngestOptions, inspect_upload
from tests.helpers import parcels, write_shapefile, zip_files


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A good GBK shapefile's parts and the same zipped, as bytes."""
    folder = tmp_path_factory.mktemp("pristine")
    parts = write_shapefile(folder / "src", parcels(), encoding="GBK", cpg=False)
    archive = zip_files(folder / "p.zip", {f"成果/{p.name}": p for p in parts}, gbk_names=True)
    return {p.suffix: p.read_bytes() for p in parts}, archive.read_bytes()


damage = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "insert"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=4,
)


def _damaged(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for kind, where, payload in edits:
        at = int(where * max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[at] ^= payload[0] or 0xFF
        elif kind == "cut":
            del out[at:]
        else:
            out[at:at] = payload
    return bytes(out)


def _ingest_or_refuse(files: list[Path], work: Path) -> None:
    try:
        result = inspect_upload(files, work, IngestOptions())
    except IngestError as exc:
        assert exc.en and exc.zh
        return
    assert result.gdf.crs.to_epsg() == 4326
    assert result.gdf.geometry.is_valid.all() and len(result.gdf) >= 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=damage)
def test_damaged_zip_is_read_or_refused(pristine, edits):
    _, archive = pristine
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.zip"
        path.write_bytes(_damaged(archive, edits))
        (Path(tmp) / "work").mkdir()
        _ingest_or_refuse([path], Path(tmp) / "work")


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(part=st.sampled_from([".shp", ".shx", ".dbf", ".prj"]), edits=damage)
def test_damaged_shapefile_part_is_read_or_refused(pristine, part, edits):
    parts, _ = pristine
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for suffix, data in parts.items():
            path = Path(tmp) / f"地块{suffix}"
            path.write_bytes(_damaged(data, edits) if suffix == part else data)
            files.append(path)
        (Path(tmp) / "work").mkdir()
        _ingest_or_refuse(files, Path(tmp) / "work")
