"""The set-up a newcomer runs: the package builds without a warning (a wall of build warnings
reads as a failed set-up), and the set-up's last line says what to run next."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_builds_without_warnings(tmp_path):
    """``.ci/setup``'s install step builds the package (offline here: the project's files, the
    build backend already in the environment)."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("geo", "layers", "ui"):
        shutil.copytree(ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("node_modules", "__pycache__"))  # fmt: skip
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-w", str(tmp_path / "out"), "./src"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    said = built.stdout + built.stderr
    assert built.returncode == 0, said
    assert "warning" not in said.lower(), said
    assert list((tmp_path / "out").glob("sip_atlas-*.whl"))


def test_the_setup_ends_saying_what_to_run_next():
    """Its last words are the README's next command: the app, or with --test the tests."""
    said = [line.strip() for line in (ROOT / ".ci" / "setup").read_text().splitlines()
            if line.strip().startswith("echo \"Set up.")]  # fmt: skip
    assert len(said) == 2
    assert ".venv/bin/sip-atlas app" in said[1] and ".venv/bin/python -m pytest" in said[0]
    readme = (ROOT / "README.md").read_text()
    assert "bash .ci/setup && .venv/bin/sip-atlas app" in readme
    assert "bash .ci/setup --test && .venv/bin/python -m pytest" in readme
