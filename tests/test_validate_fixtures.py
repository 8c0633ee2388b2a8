"""Validation of the fixture folders: the valid folder has no problem, and every bad case yields
exactly the problems in its ``expected.txt`` (path, line, column, field and code).

Set ``UPDATE_EXPECTED=1`` to rewrite the ``expected.txt`` files from the current output; review the
diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import BAD_DIR, VALID_DIR, bad_cases, build_case, problem_key, read_expected

from generator.errors import CODES
from generator.validate import validate_data
from generator.yamlio import parse_yaml


def test_valid_folder_has_no_problems(valid_data: Path) -> None:
    result = validate_data(valid_data)
    assert [p.format() for p in result.problems] == []
    counts = {kind: len(records) for kind, records in result.loaded.records.items() if records}
    assert counts == {"jurisdictions": 3, "sources": 2, "documents": 2, "coverage": 1}
    assert result.record_count() == 13


def test_valid_folder_loads_yaml_1_2_values(valid_data: Path) -> None:
    """Unquoted dates stay text, and the document's values arrive with their YAML 1.2 types."""
    docs = {d.record.id: d.record for d in validate_data(valid_data).loaded.records["documents"]}
    final = docs["cn-hubei-wuhan-metaverse-plan-2022"]
    assert final.dates.issued == "2022-10-28"  # unquoted in the file: no date object
    assert final.dates.period == "2022/2025"
    assert [t.deadline for t in final.targets] == ["2025", "2025", "2025-12-31", "2025~"]
    assert final.targets[0].normalized == 350000000000.0
    assert final.title.en_official is False


def test_yaml_1_2_scalars() -> None:
    """YAML 1.1 readings (NO → false, 2022-01-11 → date, 012 → 10, 1:20 → 80) do not happen."""
    text = (
        "a: NO\nb: yes\nc: 2022-01-11\nd: 012\ne: 1:20\nf: 0o17\ng: 0x1F\nh: ~\ni: 1e3\nj: True\nk: '012'\nl: 1_000\n"
        "m: .inf\n"
    )
    parsed = parse_yaml(text.encode(), "x.yaml")
    assert parsed.problems == []
    assert parsed.value == {
        "a": "NO",
        "b": "yes",
        "c": "2022-01-11",
        "d": 12,
        "e": "1:20",
        "f": 15,
        "g": 31,
        "h": None,
        "i": 1000.0,
        "j": True,
        "k": "012",
        "l": "1_000",
        "m": float("inf"),
    }
    assert type(parsed.value["d"]) is int and type(parsed.value["i"]) is float


def test_valid_folder_accepts_bom_and_crlf(valid_data: Path) -> None:
    """Files saved by Excel or Windows editors (BOM, CRLF only) are read as if plain UTF-8/LF."""
    csv = valid_data / "jurisdictions" / "cn.csv"
    csv.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes().replace(b"\n", b"\r\n"))
    news = next((valid_data / "sources").rglob("example-news-*.yaml"))
    news.write_bytes(b"\xef\xbb\xbf" + news.read_bytes().replace(b"\n", b"\r\n"))
    assert validate_data(valid_data).problems == []


def test_sources_may_be_csv(valid_data: Path) -> None:
    """A source can be a row of a CSV file under sources/<year published>/, with a quoted multi-line note."""
    (valid_data / "sources" / "2023").mkdir()
    (valid_data / "sources" / "2023" / "more.csv").write_text(
        "id,url,title,publisher,kind,language,published,accessed,note\n"
        'example-csv-source,https://www.example.org/a.html,"Page, A",example.org,press,en,2023-01,2024-05-01,"Two\n'
        'lines"\n',
        encoding="utf-8",
    )
    result = validate_data(valid_data)
    assert result.problems == []
    ids = {s.record.id for s in result.loaded.records["sources"]}
    assert "example-csv-source" in ids


@pytest.mark.parametrize("case", bad_cases())
def test_bad_case(case: str, tmp_path: Path) -> None:
    data_dir = build_case(case, tmp_path / "data")
    problems = validate_data(data_dir).problems
    actual = sorted(problem_key(p, data_dir) for p in problems)
    if os.environ.get("UPDATE_EXPECTED"):
        (BAD_DIR / case / "expected.txt").write_text("".join(f"{line}\n" for line in actual), encoding="utf-8")
    assert actual == read_expected(BAD_DIR / case), "\n".join(p.format() for p in problems)
    assert all(p.code in CODES and p.message for p in problems)


def test_every_case_expects_problems() -> None:
    empty = [case for case in bad_cases() if not read_expected(BAD_DIR / case)]
    assert empty == []


def test_valid_dir_is_not_modified_by_cases() -> None:
    """The overlay works on copies: the committed valid folder keeps only its own files."""
    names = sorted(p.relative_to(VALID_DIR).as_posix() for p in VALID_DIR.rglob("*") if p.is_file())
    assert [n for n in names if not n.startswith("vocab/")] == [
        "coverage/cn-hubei-wuhan.yaml",
        "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml",
        "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-draft-2022.yaml",
        "jurisdictions/cn.csv",
        "sources/2022/example-news-2022-11-wuhan-metaverse-plan.yaml",
        "sources/2022/example-wuhan-gov-2022-08-metaverse-plan-draft.yaml",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: [x, *y]\n", [(2, 8, "", "yaml-syntax", "found undefined alias 'y'")]),
        ("a: &k name\n*k : 2\n", [(2, 1, "name", "yaml-alias", "anchors and aliases")]),
        ("! title: 1\n", [(1, 1, "title", "yaml-tag", "the tag ! is not allowed")]),
        (
            "a: 1\n---\nb: [\n",
            [(4, 1, "", "yaml-syntax", "did not find expected node content")],
        ),  # a fault in a later document still counts
        ("a: 1\n---\nb: 2\n", [(3, 1, "", "yaml-multiple-documents", "one record per file")]),
        ("!!map {a: 1}\n", [(1, 1, "", "yaml-tag", "the tag tag:yaml.org,2002:map")]),
        ("- a\n", [(1, 1, "", "yaml-not-mapping", "")]),
        ("# only a comment\n", [(1, 1, "", "yaml-not-mapping", "")]),
        (
            "a: {b: &x 1}\n---\nc: *x\n",
            [(3, 4, "", "yaml-syntax", "found undefined alias 'x'")],
        ),  # anchors hold per document
        ("a: " + "[" * 150 + "]" * 150 + "\n", [(1, 103, "", "yaml-too-deep", "")]),
        (
            "a:\n  b: !!str x\n  b: 2\n  c: " + "[" * 13 + "1" + "]" * 13 + "\n",
            [
                (2, 6, "a.b", "yaml-tag", ""),
                (3, 3, "a.b", "yaml-duplicate-key", ""),
                (4, 17, "a.c" + ".0" * 11, "yaml-too-deep", ""),
            ],
        ),
    ],
)
def test_yaml_event_reader_reports(text: str, expected: list) -> None:
    """The one-pass reader (libyaml events, no composer) reports what and where the composer did."""
    parsed = parse_yaml(text.encode(), "x.yaml")
    got = [(p.line, p.column, p.field, p.code) for p in parsed.problems]
    assert got == [e[:4] for e in expected], parsed.problems
    assert all(p.message.startswith(e[4]) for p, e in zip(parsed.problems, expected))
    assert parsed.value is None
