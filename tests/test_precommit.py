"""The pre-commit hooks and the lint rules (issue 6): local hooks only, ``ruff check`` clean on the
repository, and the hooks catching a bad record and a lint error in a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, VALID_DIR
from ruamel.yaml import YAML

CONFIG = ROOT / ".pre-commit-config.yaml"
DOC = "data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml"


def test_ruff_check_passes_on_the_code():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "generator", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hooks_are_local_and_use_the_projects_tools():
    config = YAML(typ="safe", pure=True).load(CONFIG.read_text("utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert set(hooks) == {"ruff-check", "validate-data"}
    assert all(hook["language"] == "system" and hook["entry"].startswith(".venv/bin/") for hook in hooks.values())
    assert hooks["validate-data"]["files"] == "^data/" and hooks["validate-data"]["pass_filenames"] is False
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository with the hook config, the ruff settings, the valid data and this .venv."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in (".pre-commit-config.yaml", "pyproject.toml"):
        shutil.copyfile(ROOT / name, repo / name)
    shutil.copytree(VALID_DIR, repo / "data")
    (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    (repo / ".gitignore").write_text(".venv\n", "utf-8")
    (repo / "tool.py").write_text('"""A module."""\n\nimport os\n\nprint(os.sep)\n', "utf-8")
    _run(repo, "git", "init", "-q", "-b", "main")
    _run(repo, "git", "add", "-A")
    return repo


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(list(args), cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def _pre_commit(repo: Path) -> subprocess.CompletedProcess:
    return _run(repo, sys.executable, "-m", "pre_commit", "run", "--color", "never")


@pytest.mark.skipif(
    not (Path(sys.prefix) / "bin" / "ruff").exists(), reason="needs the project's .venv (make test creates it)"
)
def test_hooks_pass_on_good_files_and_report_a_bad_record_and_a_lint_error(project):
    proc = _pre_commit(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ruff check (lint and import order)" in proc.stdout and "validate the records" in proc.stdout

    with (project / DOC).open("a", encoding="utf-8") as f:
        f.write("kindx: 1\n")
    (project / "tool.py").write_text('"""A module."""\n\nimport os\nimport sys\n\nprint(os.sep)\n', "utf-8")
    _run(project, "git", "add", "-A")
    proc = _pre_commit(project)
    assert proc.returncode == 1
    assert f"{DOC}:110:1: kindx: 'kindx' is not a field of this record" in proc.stdout
    assert "F401" in proc.stdout and "tool.py" in proc.stdout
