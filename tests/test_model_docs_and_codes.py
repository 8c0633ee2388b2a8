"""The record model documents itself, and every error code has a fixture that produces it."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import BAD_DIR, bad_cases, copy_valid, problem_key

from generator import models
from generator.errors import CODES
from generator.reference import documented, undocumented_fields
from generator.validate import validate_data

#: Codes no fixture needs to produce, each with the reason. Keep this empty when you can.
EXEMPT_CODES: dict[str, str] = {}


def test_every_model_field_has_a_description() -> None:
    assert undocumented_fields() == []


def test_every_record_model_is_in_the_reference() -> None:
    listed = {model for model, _ in documented()}
    records = {
        m
        for m in vars(models).values()
        if isinstance(m, type) and issubclass(m, models.Record) and m is not models.Record
    }
    # Models added to models.py must be listed in generator/reference.py, or their fields go undocumented.
    assert sorted(m.__name__ for m in records - listed) == []


def _covered_codes() -> set[str]:
    codes: set[str] = set()
    for case in bad_cases():
        codes |= set(
            re.findall(
                r"\[([a-z0-9-]+)\]$", (BAD_DIR / case / "expected.txt").read_text(encoding="utf-8"), re.MULTILINE
            )
        )
    return codes


def test_every_code_has_a_fixture() -> None:
    missing = set(CODES) - _covered_codes() - set(EXEMPT_CODES)
    assert sorted(missing) == [], "add a tests/fixtures/bad/<case>/ that produces these codes"


def test_fixtures_use_only_known_codes() -> None:
    assert sorted(_covered_codes() - set(CODES)) == []
    assert set(EXEMPT_CODES) <= set(CODES)


def test_there_are_enough_bad_cases() -> None:
    assert len(bad_cases()) >= 45


def test_unreadable_record_file(tmp_path: Path, monkeypatch) -> None:
    """A file the loader cannot read (permissions, I/O error) is a located problem, not a crash.
    Root reads chmod 000 files, so the failure is injected into Path.read_bytes instead."""
    data_dir = copy_valid(tmp_path / "data")
    source = next((data_dir / "sources").rglob("example-news-*.yaml"))
    real_read = Path.read_bytes

    def read_bytes(self):
        if self == source:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    keys = [problem_key(p, data_dir) for p in validate_data(data_dir).problems]
    assert f"{source.relative_to(data_dir).as_posix()}:0:0 [file-unreadable]" in keys
