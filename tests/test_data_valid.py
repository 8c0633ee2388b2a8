"""Every record committed under data/ validates (the check CI runs on each pull request)."""

from __future__ import annotations

from pathlib import Path

from generator.validate import validate_data

DATA = Path(__file__).resolve().parent.parent / "data"


def test_committed_data_is_valid() -> None:
    result = validate_data(DATA)
    for problem in result.problems:
        print(problem.format())
    assert result.problems == [], f"{len(result.problems)} problem(s) in data/; run: python -m generator validate"
    assert result.record_count() > 0
