"""Reproducible builds (issue 6): two clean builds of the same commit are byte-identical.

Each build runs in its own Python process (a different ``PYTHONHASHSEED``, so set and dict
ordering that leaks into the output shows up), with its own fresh cache, into its own folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, VALID_DIR, project_paths, read_tree

from generator.build import build, data_as_of
from generator.engines import build_site

BUILD = """
import sys
from pathlib import Path
from generator.build import Paths, build
root, data = Path(sys.argv[1]), Path(sys.argv[2])
build(Paths(data=data, pages=Path("pages"), contributing=Path("CONTRIBUTING.md"), content=root / "content",
            site=root / "site", config=Path("mkdocs.yml"), cache=root / "cache", node_modules=Path("node_modules")))
"""


def _build_twice(tmp_path: Path) -> tuple[Path, Path]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    procs = []
    for seed, name in ((1, "first"), (2, "second")):
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", BUILD, str(tmp_path / name), str(VALID_DIR)],
                cwd=ROOT,
                env={**env, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    for proc in procs:
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, out
    return tmp_path / "first", tmp_path / "second"


def test_two_clean_builds_are_byte_identical(tmp_path):
    first, second = _build_twice(tmp_path)
    for folder in ("content", "site"):
        a, b = read_tree(first / folder), read_tree(second / folder)
        assert sorted(a) == sorted(b), folder
        assert [path for path in a if a[path] != b[path]] == [], folder
    site = read_tree(first / "site")
    # the files that most often carry build times or unordered data are there and say the right day
    day = data_as_of(VALID_DIR)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", site["sitemap.xml"].decode()))
    assert lastmods == {day}
    assert "\u200b" in json.dumps(json.loads(site["search/search_index.json"]), ensure_ascii=False)
    assert b"<feed" in site["feed.xml"] and b"<updated>" in site["feed.xml"]


def test_data_as_of_is_the_day_of_the_last_commit_of_the_data(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    stamp = subprocess.run(
        ["git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d", "--", str(VALID_DIR)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TZ": "UTC"},
    ).stdout.strip()
    assert data_as_of(VALID_DIR) == stamp
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert data_as_of(VALID_DIR) == "2023-11-14"


def test_builds_in_one_process_segment_chinese_the_same(tmp_path, monkeypatch):
    """``serve`` and the tests build several times in one process; Material's search plugin loads
    jieba's user dictionary on every build, which used to shift the word frequencies each time."""
    paths = project_paths(tmp_path, cache=tmp_path / "cache")
    build(paths, engine=False)
    monkeypatch.chdir(ROOT)  # the jieba dictionary path in mkdocs.yml is relative to the working directory
    indexes = []
    for name in ("one", "two", "three"):
        (tmp_path / name).mkdir()
        build_site(ROOT / "mkdocs.yml", paths.content, tmp_path / name, "2024-06-01")
        indexes.append((tmp_path / name / "search/search_index.json").read_text("utf-8"))
    assert "\u200b" in " ".join(doc["text"] for doc in json.loads(indexes[0])["docs"])  # jieba's segment mark
    assert indexes[1] == indexes[0] and indexes[2] == indexes[0]
