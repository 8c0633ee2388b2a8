"""Shared builders for the validation tests: the valid data folder, bad-input overlays, problem keys.

``tests/fixtures/valid/`` is a small but complete data folder. Each ``tests/fixtures/bad/<case>/``
holds only what differs from it:

- ``expected.txt``: the problems the case must yield, one ``path:line:col field [code]`` per line
  (``path`` relative to the data folder, no message; ``field`` left out when empty);
- ``<path>.delete``: delete ``<path>`` (a file or a folder) from the copy;
- ``<path>.repeat``: write ``<path>`` as the rest of this file repeated N times, N being its
  first line (for files too large to commit);
- any other file: copied over the valid folder at the same relative path.

Regenerate every ``expected.txt`` after a deliberate change with
``UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/test_validate_fixtures.py`` and read the diff.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.dev.browser import SiteServer  # noqa: F401 - used by the tests through conftest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID_DIR = FIXTURES / "valid"
BAD_DIR = FIXTURES / "bad"
SPECIAL = ("expected.txt", "README.md")


def bad_cases() -> list[str]:
    """Return the names of the bad-input cases, sorted."""
    return sorted(p.name for p in BAD_DIR.iterdir() if p.is_dir())


def copy_valid(dest: Path) -> Path:
    """Copy the valid data folder to ``dest`` (which must not exist) and return ``dest``."""
    shutil.copytree(VALID_DIR, dest)
    return dest


def apply_overlay(case_dir: Path, data_dir: Path) -> None:
    """Apply a bad case's files to a copy of the valid folder (see the module docstring)."""
    for src in sorted(case_dir.rglob("*")):
        rel = src.relative_to(case_dir)
        if src.is_dir() or rel.as_posix() in SPECIAL:
            continue
        target = data_dir / rel
        if src.suffix == ".delete":
            _remove(target.with_suffix(""))
        elif src.suffix == ".repeat":
            count, _, body = src.read_bytes().partition(b"\n")
            target.with_suffix("").parent.mkdir(parents=True, exist_ok=True)
            target.with_suffix("").write_bytes(body * int(count))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def build_case(name: str, dest: Path) -> Path:
    """Return a data folder at ``dest``: the valid folder with case ``name`` applied."""
    copy_valid(dest)
    apply_overlay(BAD_DIR / name, dest)
    return dest


def problem_key(problem, data_dir: Path) -> str:
    """Return ``path:line:col field [code]`` with the path relative to ``data_dir``."""
    path = Path(problem.path)
    rel = path.relative_to(data_dir).as_posix() if path.is_absolute() else problem.path
    parts = [f"{rel or '.'}:{problem.line}:{problem.column}", problem.field, f"[{problem.code}]"]
    return " ".join(p for p in parts if p)


def read_expected(case_dir: Path) -> list[str]:
    """Return the sorted non-empty lines of a case's ``expected.txt``."""
    lines = (case_dir / "expected.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line.strip() for line in lines if line.strip())


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m generator ARGS`` in ``cwd`` and return the finished process (text output)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_main(*args: str) -> subprocess.CompletedProcess:
    """Run ``python -m generator ARGS`` in this process (:func:`generator.cli.run`, what
    ``__main__`` calls) and return its exit code and what it printed, as :func:`run_cli` does;
    faster than a child process, and monkeypatches apply."""
    from generator.cli import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["generator", *args], code, out.getvalue(), err.getvalue())


def write_yaml(path: Path, value) -> None:
    """Write ``value`` to ``path`` as a record file would be written: YAML in block style (libyaml,
    which the loader uses, refuses ':' in flow-style plain scalars), UTF-8 text as it is, no line
    folding."""
    from ruamel.yaml import YAML

    dumper = YAML(typ="safe", pure=True)
    dumper.default_flow_style = False
    dumper.allow_unicode = True
    dumper.width = 100_000
    stream = io.StringIO()
    dumper.dump(value, stream)
    path.write_text(stream.getvalue(), "utf-8")


def read_csv(path: Path) -> list[dict[str, str]]:
    """Return the rows of a jurisdiction CSV file as ``{column: cell}`` dicts, in file order."""
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """Write ``rows`` (dicts with the same keys, the first one's order giving the header) as a CSV
    file the loader reads: UTF-8, LF line endings."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8")


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio (1 to 21) of two sRGB colours, each ``#rrggbb`` or a computed CSS
    ``rgb(r, g, b)``/``rgba(...)`` value. Source: WCAG 2.1, "contrast ratio" and "relative luminance"."""

    def luminance(colour: str) -> float:
        if colour.startswith("#"):
            channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        else:
            channels = [int(float(v)) for v in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def project_paths(out: Path, data: Path = VALID_DIR, cache: Path | None = None, **more):
    """Return the :class:`generator.build.Paths` of a build of ``data`` with the repository's own
    pages, CONTRIBUTING.md, mkdocs.yml and npm files, writing ``content/`` and ``site/`` under
    ``out``; ``more`` sets any other field (``settings``, ``engine``, ``site``…)."""
    from generator.build import Paths

    fields = {
        "data": data,
        "pages": ROOT / "pages",
        "contributing": ROOT / "CONTRIBUTING.md",
        "content": out / "content",
        "site": out / "site",
        "config": ROOT / "mkdocs.yml",
        "cache": cache,
        "node_modules": ROOT / "node_modules",
    }
    return Paths(**{**fields, **more})


def read_tree(root: Path) -> dict[str, bytes]:
    """Return ``{path relative to root, with forward slashes: bytes}`` of every file under ``root``, sorted."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def valid_data(tmp_path: Path) -> Path:
    """A fresh copy of the valid data folder."""
    return copy_valid(tmp_path / "data")


# The real site ------------------------------------------------------------------------------


#: The real site is served under this sub-path, as GitHub serves a project site at /REPOSITORY/.
REPOSITORY_NAME = "metaverse-policy-atlas"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """Build the committed data/ with the generator into a temporary folder, served on 127.0.0.1
    under the sub-path ``/metaverse-policy-atlas/`` as a GitHub project site is, and built as for
    publishing there (settings with that address and a repository, as the publish workflow passes).

    Yields a namespace with ``paths`` (:class:`generator.build.Paths`), ``report`` and ``url``
    (the site's address, ``http://127.0.0.1:PORT/metaverse-policy-atlas/``, also the build's
    site URL, so instant navigation works).
    """
    from types import SimpleNamespace

    from generator.build import build
    from generator.settings import Settings

    root = tmp_path_factory.mktemp("real-site")
    site = root / "www" / REPOSITORY_NAME
    site.parent.mkdir(parents=True)
    server = SiteServer(root / "www")
    url = f"{server.url}{REPOSITORY_NAME}/"
    settings = Settings.from_options(url, f"owner/{REPOSITORY_NAME}")
    paths = project_paths(
        root, ROOT / "data", root / "cache", site=site, settings=settings, citation_cff=ROOT / "CITATION.cff"
    )
    with contextlib.chdir(ROOT):  # the jieba dictionary path in mkdocs.yml is relative to the working directory
        report = build(paths)
    yield SimpleNamespace(paths=paths, report=report, url=url)
    server.close()
