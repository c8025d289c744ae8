"""Several planners at once on one app server: every session browses and uploads without an
error, and every upload is in the shared workspace afterwards, whether that is a folder or
PostgreSQL/PostGIS (real Chromium, real server, real database).

The figures for 10 sessions come from ``python bench/load_bench.py`` (bench/RESULTS.md)."""

from __future__ import annotations

import pytest

from bench.load_bench import run_load
from tests.helpers import parcels


@pytest.mark.parametrize("backend", ["folder", "postgis"])
def test_four_planners_browse_and_upload_at_once_without_errors(backend, request):
    url = request.getfixturevalue("pg_url") if backend == "postgis" else None
    result = run_load(4, database_url=url, timeout_ms=240_000)
    assert result.errors == []
    assert len(result.saved) == 4  # nobody's save was lost to another's
    assert len({entry["id"] for entry in result.saved}) == 4
    assert all(entry["feature_count"] == len(parcels()) for entry in result.saved)
