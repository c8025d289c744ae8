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


def _fake_setup(tmp_path: Path, npm_fails: bool = False) -> subprocess.CompletedProcess:
    """``.ci/setup`` run as is, in a copy of the repository whose Python and npm only say
    what they were asked (the real install takes minutes and the registries)."""
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "setup", repo / ".ci" / "setup")
    tools = tmp_path / "bin"
    (repo / ".venv" / "bin").mkdir(parents=True)
    tools.mkdir()
    for path, fails in ((repo / ".venv" / "bin" / "python", False), (tools / "npm", npm_fails)):
        body = 'echo "$0 $*: lots of build output"\n' + ("exit 1\n" if fails else "exit 0\n")
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    env = {"PATH": f"{tools}:/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run(["bash", str(repo / ".ci" / "setup")], capture_output=True, text=True,
                          env=env, timeout=60, check=False)  # fmt: skip


def test_the_setup_is_quiet_and_says_what_next_and_loud_when_a_step_fails(tmp_path):
    done = _fake_setup(tmp_path)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and done.stderr == ""
    assert len(lines) == 2 and "build output" not in done.stdout
    assert lines[-1].startswith("Set up. Start the atlas: .venv/bin/sip-atlas app")
    failed = _fake_setup(tmp_path / "again", npm_fails=True)
    assert failed.returncode == 1
    assert "lots of build output" in failed.stderr and "set-up failed at: npm ci" in failed.stderr


def test_the_workspace_is_where_the_readme_says(monkeypatch, tmp_path):
    from geo.settings import workspace_dir

    monkeypatch.delenv("SIP_ATLAS_WORKSPACE", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert workspace_dir() == tmp_path / ".local" / "share" / "sip-atlas"
    readme = (ROOT / "README.md").read_text()
    assert "kept in `~/.local/share/sip-atlas` (`SIP_ATLAS_WORKSPACE` names another folder)" in (
        readme
    )
