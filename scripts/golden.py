"""Regenerate the golden copy of the generated content (tests/golden/content/) from the valid
fixture folder: the one command that rewrites it (``tests/test_golden.py`` only compares).

Usage, from the repository root:

    .venv/bin/python scripts/golden.py

Review ``git diff tests/golden`` before committing: every changed line is a change a reader sees.
Left out are bytes that are not ours or depend on fonts and library versions: the Vega bundle and
other files under ``assets/vendor/``, and the static chart SVGs.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VALID_DIR = ROOT / "tests" / "fixtures" / "valid"
GOLDEN_DIR = ROOT / "tests" / "golden" / "content"
#: The fixed as-of date of the golden build (stands for SOURCE_DATE_EPOCH: no git, no clock).
AS_OF = "2026-01-01"


def kept(path: str) -> bool:
    """True for a content file the golden copy keeps (see the module docstring)."""
    return not (path.startswith("assets/vendor/") or path.endswith(".svg"))


def _inputs(data_dir: Path):
    """The dataset of ``data_dir`` as of :data:`AS_OF` and the golden build's facts."""
    sys.path.insert(0, str(ROOT))
    from generator.dataset import build_dataset
    from generator.settings import BuildFacts
    from generator.validate import require_valid

    return build_dataset(require_valid(data_dir).loaded, data_dir, AS_OF), BuildFacts(
        version="0.0.0-golden", data_as_of=AS_OF
    )


def golden_files(data_dir: Path = VALID_DIR) -> dict[str, bytes]:
    """Generate the content of a data folder (the valid fixture folder unless told), with a fixed
    as-of date, no history and no hand-written pages: ``{content path: bytes}`` of the files
    :func:`kept`.

    Raises:
        generator.errors.DataInvalid: the folder has problems.
    """
    from generator.build import render_content
    from generator.history import History

    ds, facts = _inputs(data_dir)
    files, _, _ = render_content(
        ds, {}, facts, cache=None, history=History([], False), node_modules=ROOT / "node_modules"
    )
    return {path: data for path, data in sorted(files.items()) if kept(path)}


def golden_pages(data_dir: Path = VALID_DIR) -> dict[str, bytes]:
    """The data pages of :func:`golden_files` alone (:func:`generator.pages.render_pages`: every
    ``.md`` page but the static record reference, and redirects), rendered the same way without
    drawing charts or writing downloads: ``{content path: bytes}``. ``tests/test_affected_pages.py``
    renders edited copies of the fixture folder with it.

    Raises:
        generator.errors.DataInvalid: the folder has problems.
    """
    from generator.charts import build_charts
    from generator.history import History
    from generator.pages import headline_figures, render_pages

    ds, facts = _inputs(data_dir)
    pages = render_pages(ds, build_charts(ds), {}, facts, History([], False), headline_figures(ds))
    return {path: text.encode("utf-8") for path, text in sorted(pages.items())}


def main() -> None:
    """Rewrite :data:`GOLDEN_DIR` from :func:`golden_files`."""
    files = golden_files()
    if GOLDEN_DIR.exists():
        shutil.rmtree(GOLDEN_DIR)
    for path, data in files.items():
        target = GOLDEN_DIR / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"Wrote {len(files)} files to {GOLDEN_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
