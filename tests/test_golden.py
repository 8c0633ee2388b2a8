"""Golden output: the generated content of the valid fixture folder equals the committed copy in
tests/golden/content/ (issue #13). Regenerate it with ``.venv/bin/python scripts/golden.py`` and
review the diff; this test never rewrites it."""

from __future__ import annotations

import difflib
import importlib.util

from conftest import ROOT, read_tree

_spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts" / "golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


def _report(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    lines = ["generated content differs from tests/golden/content/ (regenerate: .venv/bin/python scripts/golden.py)"]
    lines += [f"  only in the golden copy: {p}" for p in sorted(expected.keys() - actual.keys())]
    lines += [f"  new file: {p}" for p in sorted(actual.keys() - expected.keys())]
    changed = [p for p in sorted(expected.keys() & actual.keys()) if expected[p] != actual[p]]
    for path in changed[:5]:
        diff = difflib.unified_diff(
            expected[path].decode("utf-8", "replace").splitlines(),
            actual[path].decode("utf-8", "replace").splitlines(),
            f"golden/{path}",
            f"generated/{path}",
            lineterm="",
            n=1,
        )
        lines += list(diff)[:40]
    if len(changed) > 5:
        lines.append(f"  ... and {len(changed) - 5} more changed files")
    return "\n".join(lines)


def test_generated_content_matches_the_golden_copy():
    expected = read_tree(golden.GOLDEN_DIR)
    assert len(expected) > 20, "tests/golden/content/ is missing; run .venv/bin/python scripts/golden.py"
    actual = golden.golden_files()
    assert actual == expected, _report(expected, actual)


def test_the_golden_copy_leaves_out_only_vendor_files_and_svgs():
    assert not golden.kept("assets/vendor/vega-bundle.js") and not golden.kept("charts/adoption.svg")
    assert golden.kept("documents/cn-hubei-wuhan-metaverse-plan-2022/index.md") and golden.kept(
        "charts/adoption.vl.json"
    )
