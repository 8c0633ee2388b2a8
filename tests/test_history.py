"""The change history is kept per record (generator/history.py): moving files, as the layout rule
and `generator relocate` do, changes no record's dates and adds no changelog line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.history import read_history

HEADER = "id,name_en,level\n"


def _commit(repo: Path, day: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{day}T12:00:00Z",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00Z",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_moves_keep_dates_and_changes_are_per_record(tmp_path):
    repo = tmp_path
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    data = repo / "data"
    _write(data / "documents" / "old-folder" / "doc-a.yaml", "id: doc-a\ntitle: one\n")
    _write(data / "documents" / "old-folder" / "doc-b.yaml", "id: doc-b\n")
    _write(data / "jurisdictions" / "batch-1.csv", HEADER + "cn,China,national\ncn-hubei,Hubei,provincial-level\n")
    _commit(repo, "2024-01-10", "first records")
    _write(data / "documents" / "old-folder" / "doc-a.yaml", "id: doc-a\ntitle: two\n")
    _commit(repo, "2024-02-20", "fix doc-a")
    # The layout move: both files to new folders, one unchanged (doc-a) and one edited on the way
    # (doc-b); Hubei's row cut and pasted unchanged into another file, China's row edited in place.
    (data / "documents" / "new" / "cn").mkdir(parents=True)
    os.rename(data / "documents" / "old-folder" / "doc-a.yaml", data / "documents" / "new" / "cn" / "doc-a.yaml")
    (data / "documents" / "old-folder" / "doc-b.yaml").unlink()
    _write(data / "documents" / "new" / "cn" / "doc-b.yaml", "id: doc-b\nnote: edited\n")
    _write(data / "jurisdictions" / "batch-1.csv", HEADER + "cn,China (PRC),national\n")
    _write(data / "jurisdictions" / "cn.csv", HEADER + "cn-hubei,Hubei,provincial-level\n")
    _commit(repo, "2024-03-30", "move every record file")

    history = read_history(data)
    assert history.available
    assert history.dates("documents", "doc-a") == ("2024-01-10", "2024-02-20")
    assert history.dates("documents", "doc-b") == ("2024-01-10", "2024-03-30")
    assert history.dates("jurisdictions", "cn-hubei") == ("2024-01-10", "2024-01-10")
    assert history.dates("jurisdictions", "cn") == ("2024-01-10", "2024-03-30")
    assert history.dates("documents", "never-there") is None
    listed = [(c.day, c.action, c.kind, c.record, c.path) for c in history.changes]
    assert listed == [
        ("2024-01-10", "added", "documents", "doc-a", "documents/old-folder/doc-a.yaml"),
        ("2024-01-10", "added", "documents", "doc-b", "documents/old-folder/doc-b.yaml"),
        ("2024-01-10", "added", "jurisdictions", "cn", "jurisdictions/batch-1.csv"),
        ("2024-01-10", "added", "jurisdictions", "cn-hubei", "jurisdictions/batch-1.csv"),
        ("2024-02-20", "changed", "documents", "doc-a", "documents/old-folder/doc-a.yaml"),
        ("2024-03-30", "changed", "documents", "doc-b", "documents/new/cn/doc-b.yaml"),
        ("2024-03-30", "changed", "jurisdictions", "cn", "jurisdictions/batch-1.csv"),
    ]


def test_a_move_that_rewrites_only_the_schema_line_is_no_change(tmp_path):
    """`generator relocate` rewrites an editor's schema comment for the new folder depth."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    data = tmp_path / "data"
    body = "id: doc-c\ntitle: three\n"
    _write(
        data / "documents" / "doc-c.yaml", "# yaml-language-server: $schema=../../schema/document.schema.json\n" + body
    )
    _commit(tmp_path, "2024-01-10", "add")
    (data / "documents" / "doc-c.yaml").unlink()
    _write(
        data / "documents" / "cn" / "cn-hubei" / "doc-c.yaml",
        "# yaml-language-server: $schema=../../../../schema/document.schema.json\n" + body,
    )
    _commit(tmp_path, "2024-02-01", "relocate")
    _write(
        data / "documents" / "cn" / "cn-hubei" / "doc-c.yaml",
        "# yaml-language-server: $schema=../../../../schema/document.schema.json\nid: doc-c\ntitle: four\n",
    )
    _commit(tmp_path, "2024-03-01", "edit")
    history = read_history(data)
    assert [(c.day, c.action) for c in history.changes] == [("2024-01-10", "added"), ("2024-03-01", "changed")]
    assert history.dates("documents", "doc-c") == ("2024-01-10", "2024-03-01")


def test_a_removed_record_keeps_its_dates_out(tmp_path):
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    data = tmp_path / "data"
    _write(data / "sources" / "2022" / "s.yaml", "id: s\n")
    _commit(tmp_path, "2024-01-10", "add")
    (data / "sources" / "2022" / "s.yaml").unlink()
    _commit(tmp_path, "2024-01-11", "remove")
    history = read_history(data)
    assert [(c.action, c.record) for c in history.changes] == [("added", "s"), ("removed", "s")]
    assert history.dates("sources", "s") == ("2024-01-10", "2024-01-10")


def test_outside_git_history_is_unavailable(tmp_path):
    (tmp_path / "data").mkdir()
    history = read_history(tmp_path / "data")
    assert not history.available and history.changes == []
