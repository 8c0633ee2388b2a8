"""The validation cache cannot outlive the code that made its result (issue #13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, VALID_DIR

_NEW_CHECK = '''

def check_every_document_is_flagged(loaded):
    """A new rule, added after the first validation."""
    for loc in loaded.records["documents"]:
        yield loc.problem(("id",), "inconsistent-value", "flagged by the new check")


CHECKS = (*CHECKS, check_every_document_is_flagged)
'''


def _validate(project: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--data", "data"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_changed_check_gives_a_new_answer_without_touching_data(tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(VALID_DIR, project / "data")
    first = _validate(project)
    assert first.returncode == 0, first.stdout + first.stderr
    assert any((project / ".cache").rglob("*")), "the first run wrote its result to the cache"
    with (project / "generator" / "checks.py").open("a", encoding="utf-8") as f:
        f.write(_NEW_CHECK)
    second = _validate(project)
    assert second.returncode == 1
    assert second.stdout.count("flagged by the new check") == 2  # both fixture documents, though no data file changed
