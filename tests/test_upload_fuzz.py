"""Property tests: damaged zips and shapefiles are either read or refused with IngestError."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import IngestError
from geo.uploads.ingest import IngestOptions, inspect_upload
from geo.uploads.save import save_upload
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


# --- attribute values, column names, layer names, encodings ---------------------------------

# Anything a file can hold; but NUL, which GDAL reads as the end of the text (see
# test_upload_hostile for NUL in a CSV).
_TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_NAME = st.characters(exclude_categories=("Cs", "Cc"))
# Everyday place-name characters that GBK, Big5 and Shift_JIS all have, and some each lacks.
_CJK = (
    "园区湖地块工业中心东西南北大道路街金鸡独墅阳澄苏州科技产业新城公园国际商务生物医药"
    + "園區蘇州業東國際產"
)


def _read(tmp: Path, files: list[Path]):
    (tmp / "work").mkdir(exist_ok=True)
    return inspect_upload(files, tmp / "work", IngestOptions())


@settings(max_examples=60, deadline=None)
@given(
    columns=st.lists(
        st.text(_NAME, min_size=1, max_size=12), min_size=1, max_size=5, unique_by=str.casefold
    ),
    values=st.lists(st.text(_TEXT, max_size=20), min_size=5, max_size=5),
)
def test_any_column_names_and_values_are_kept_or_refused(columns, values):
    from geo.workspace import Workspace
    from tests.hostile import geojson_file, squares

    with tempfile.TemporaryDirectory() as tmp:
        props = [{c: values[(i + n) % 5] for n, c in enumerate(columns)} for i in range(3)]
        path = geojson_file(Path(tmp) / "f.geojson", props, squares(3))
        try:
            result = _read(Path(tmp), [path])
        except IngestError as exc:
            assert exc.en and exc.zh
            return
        workspace = Workspace(Path(tmp) / "ws")
        saved = workspace.load(
            save_upload(result, [path], name=None, workspace=workspace)["layer_id"]
        )
        renamed = result.report.renamed_columns
        for column in columns:
            kept = renamed.get(column, column)
            if kept in saved.columns and column not in renamed and column in _ADDED:
                continue  # the same as the atlas' own column, which replaced it
            assert list(saved[kept].fillna("")) == [p[column] for p in props], column


_ADDED = {"id", "parcel_id", "land_use", "status", "planned_use", "declared_area", "area_m2",
          "area_ha", "area_mu"}  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(name=st.text(_TEXT, max_size=40))
def test_any_layer_name_is_saved_as_text(name):
    from geo.uploads.charsets import shown_text
    from geo.workspace import Workspace
    from layers.i18n import md
    from tests.hostile import geojson_file, squares

    with tempfile.TemporaryDirectory() as tmp:
        path = geojson_file(Path(tmp) / "f.geojson", [{"n": 1}], squares(1))
        result = _read(Path(tmp), [path])
        workspace = Workspace(Path(tmp) / "ws")
        save_upload(result, [path], name=name, workspace=workspace)
        [entry] = workspace.list_layers()
        # shown as given, but for control and direction characters (issue 24)
        assert entry["name"] == (shown_text(name).strip() or "f")
        shown = md(entry["name"])
        assert "](" not in shown and "<" not in shown and "\n" not in shown


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(st.text(st.sampled_from(_CJK), min_size=2, max_size=6), min_size=3, max_size=8),
    encoding=st.sampled_from(["UTF-8", "GBK", "CP950", "CP932"]),
)
def test_text_in_any_encoding_is_read_right_or_the_planner_is_told(names, encoding):
    import geopandas as gpd

    from tests.hostile import shapefile_in, squares

    try:
        for name in names:
            name.encode(encoding)
    except UnicodeEncodeError:
        return  # this encoding cannot hold these names: no such file exists
    with tempfile.TemporaryDirectory() as tmp:
        gdf = gpd.GeoDataFrame({"名": names}, geometry=squares(len(names)), crs="EPSG:4326")
        parts = shapefile_in(Path(tmp) / "src", gdf, stem="t", encoding=encoding)
        try:
            result = _read(Path(tmp), parts)
        except IngestError as exc:
            assert exc.en and exc.zh
            return
        read_right = list(result.gdf.get("名", [])) == names
        assert read_right or result.report.warnings, (result.report.encoding, names)
