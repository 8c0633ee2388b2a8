"""``python -m generator validate`` as a contributor runs it: exit codes and exact output."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BAD_DIR, apply_overlay, build_case, copy_valid, run_cli

NEWS = "data/sources/2022/example-news-2022-11-wuhan-metaverse-plan.yaml"
FINAL = "data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml"
DRAFT = "data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-draft-2022.yaml"
OK_LINE = "OK: 13 records and targets in 6 file(s), no problems.\n"
TWO_PROBLEMS = [
    f"{FINAL}:71:5: targets.1.deadline: the deadline 2021 is earlier than the document's date 2022-10-28 "
    "[deadline-before-document]",
    f"{NEWS}:5:1: kind: a repost must name original_publisher (who first published the text) [repost-without-original]",
]


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def two_problems(tmp_path: Path) -> Path:
    """A data folder with exactly two problems in two files, at tmp_path/data."""
    build_case("repost-without-original", tmp_path / "data")
    apply_overlay(BAD_DIR / "deadline-before-document", tmp_path / "data")
    return tmp_path


def test_valid_folder(tmp_path: Path) -> None:
    copy_valid(tmp_path / "data")
    result = run_cli("validate", "--no-cache", "--data", "data", cwd=tmp_path)
    _no_traceback(result)
    assert (result.returncode, result.stdout, result.stderr) == (0, OK_LINE, "")


def test_invalid_folder(two_problems: Path) -> None:
    result = run_cli("validate", "--no-cache", "--data", "data", cwd=two_problems)
    _no_traceback(result)
    assert result.returncode == 1
    assert result.stdout == "\n".join(TWO_PROBLEMS) + "\n2 problem(s) in 2 file(s); 6 file(s) read.\n"


def test_files_filter_problems(two_problems: Path) -> None:
    result = run_cli("validate", "--no-cache", "--data", "data", NEWS, cwd=two_problems)
    _no_traceback(result)
    assert result.returncode == 1
    assert result.stdout == TWO_PROBLEMS[1] + "\n1 problem(s) in 1 file(s); 6 file(s) read.\n"


def test_files_filter_accepts_dot_slash(two_problems: Path) -> None:
    result = run_cli("validate", "--no-cache", "--data", "data", f"./{FINAL}", NEWS, cwd=two_problems)
    assert result.returncode == 1
    assert result.stdout == "\n".join(TWO_PROBLEMS) + "\n2 problem(s) in 2 file(s); 6 file(s) read.\n"


def test_files_without_problems(two_problems: Path) -> None:
    """Only the named files are reported: a clean file passes even when others have problems."""
    result = run_cli("validate", "--no-cache", "--data", "data", DRAFT, cwd=two_problems)
    _no_traceback(result)
    assert (result.returncode, result.stdout) == (0, OK_LINE)


def test_missing_folder(tmp_path: Path) -> None:
    result = run_cli("validate", "--no-cache", "--data", "nowhere", cwd=tmp_path)
    _no_traceback(result)
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "error: the data folder nowhere does not exist\n",
    )


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = run_cli("validate", "--no-cache", "--data", "data", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.endswith(" [no-records]\n1 problem(s) in 1 file(s); 0 file(s) read.\n")
    assert result.stdout.startswith("data:0:0: no record files were found")


@pytest.mark.parametrize(
    "case",
    [
        "yaml-too-deep-bomb",
        "yaml-alias-billion-laughs",
        "encoding-gbk-csv",
        "nul-byte",
        "csv-quote-error",
        "yaml-tag-custom",
    ],
)
def test_hostile_input_gives_problems_not_tracebacks(case: str, tmp_path: Path) -> None:
    build_case(case, tmp_path / "data")
    result = run_cli("validate", "--no-cache", "--data", "data", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[-1].endswith("file(s) read.") and all(line.startswith("data/") for line in lines[:-1])


def test_files_filter_with_absolute_path(two_problems: Path) -> None:
    result = run_cli("validate", "--no-cache", "--data", "data", str(two_problems / NEWS), cwd=two_problems)
    assert result.returncode == 1


def test_files_filter_with_missing_file(two_problems: Path) -> None:
    result = run_cli("validate", "--no-cache", "--data", "data", "data/sources/typo.yaml", cwd=two_problems)
    assert result.returncode == 2
    assert "no such file: data/sources/typo.yaml" in result.stderr


def test_echoed_values_are_one_escaped_line_and_never_a_workflow_command(tmp_path: Path) -> None:
    """A value with a newline and ``::warning::``, and a key with a right-to-left override, each
    give one line, with the characters shown as escapes (issue 14)."""
    copy_valid(tmp_path / "data")
    final = tmp_path / FINAL
    final.write_text(
        final.read_text("utf-8").replace("kind: action-plan", 'kind: "x\\n::warning::owned"\n"k\u202eind": 1', 1),
        "utf-8",
    )
    result = run_cli("validate", "--no-cache", "--data", "data", cwd=tmp_path)
    _no_traceback(result)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and not [line for line in lines if line.lstrip().startswith("::")]
    assert (
        f"{FINAL}:9:1: kind: 'x\\n::warning::owned' is not an id: use lowercase ASCII letters, digits and single "
        "hyphens [invalid-id]" in lines
    )
    assert (
        f"{FINAL}:10:1: k\\u202eind: 'k\\u202eind' is not a field of this record; check the spelling (see the "
        "contributor reference) [unknown-field]" in lines
    )
    assert "\u202e" not in result.stdout


def test_a_line_starting_with_two_colons_is_defused() -> None:
    from generator.terminal import terminal_line, visible

    assert terminal_line("::error file=x::owned") == "\\x3a:error file=x::owned"
    assert terminal_line("  ::add-mask::x") == "  \\x3a:add-mask::x"
    assert visible("a\tb\r\n\u2066c\u200b") == "a\\tb\\r\\n\\u2066c\\u200b"
    assert visible(visible("a\nb")) == "a\\nb" and terminal_line("plain 元宇宙") == "plain 元宇宙"


def test_the_edtf_library_prints_nothing(tmp_path: Path) -> None:
    """edtf 5.0.2 prints 'trying to Level1Interval.__init__' for some strings; the output holds
    only the problem lines."""
    copy_valid(tmp_path / "data")
    final = tmp_path / FINAL
    final.write_text(final.read_text("utf-8").replace("period: 2022/2025", "period: ../5~", 1), "utf-8")
    result = run_cli("validate", "--no-cache", "--data", "data", cwd=tmp_path)
    assert result.returncode == 1 and "trying to" not in result.stdout + result.stderr
    assert [line.split(": ")[1] for line in result.stdout.splitlines()[:-1]] == [
        "evidence.0",
        "dates.period",
    ]  # the coverage cites the document that failed


def test_links_are_reported_and_not_followed(tmp_path: Path) -> None:
    data = copy_valid(tmp_path / "data")
    units = data / "vocab/units.yaml"
    units.rename(tmp_path / "units.yaml")
    units.symlink_to(tmp_path / "units.yaml")
    (tmp_path / "more").mkdir()
    (data / "documents/linked").symlink_to(tmp_path / "more")
    (data / "dataset.yaml").symlink_to(tmp_path / "units.yaml")
    result = run_cli("validate", "--no-cache", "--data", "data", cwd=tmp_path)
    problems = [line for line in result.stdout.splitlines() if "[misplaced-file]" in line]
    assert problems == [
        "data/dataset.yaml:0:0: the dataset file is a link; put the file itself here [misplaced-file]",
        "data/documents/linked:0:0: this folder is a link; records are read only from real folders: move the files "
        "here [misplaced-file]",
        "data/vocab/units.yaml:0:0: the vocabulary file is a link; put the file itself here [misplaced-file]",
    ]
