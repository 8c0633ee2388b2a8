"""Where record files live (generator/layout.py): the rule, the check that reports a file
elsewhere, `generator relocate` that moves every file and row, and `generator new` that writes
a file where it belongs."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, copy_valid

from generator import layout, models
from generator.loader import load_data


def _j(jid, level, parent=None, country="CN"):
    return models.Jurisdiction(id=jid, name_en=jid, name_zh=jid, level=level, parent=parent, country=country)


TREE = {
    j.id: j
    for j in (
        _j("cn", "national"),
        _j("cn-hubei", "provincial-level", "cn"),
        _j("cn-hubei-wuhan", "sub-provincial-city", "cn-hubei"),
        _j("cn-hubei-wuhan-hanyang", "district", "cn-hubei-wuhan"),
        _j("eu", "supranational", country=None),
        _j("loop-a", "city", "loop-b"),
        _j("loop-b", "city", "loop-a"),
    )
}


def test_document_folders_follow_country_and_first_level_division():
    assert layout.document_folder("cn-hubei-wuhan-hanyang", TREE) == "cn/cn-hubei"
    assert layout.document_folder("cn-hubei", TREE) == "cn/cn-hubei"
    assert layout.document_folder("cn", TREE) == "cn"
    assert layout.document_folder("eu", TREE) == "eu"
    assert layout.document_folder("nowhere", TREE) is None
    assert layout.document_folder("loop-a", TREE) is None
    assert layout.jurisdictions_file("cn-hubei-wuhan", TREE) == "jurisdictions/cn.csv"
    assert layout.source_folder("2022-11-03~") == "sources/2022"
    assert layout.source_folder(None) == "sources/undated"
    assert layout.source_folder("19XX") == "sources/undated"


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_relocate_moves_every_file_and_row_and_validate_agrees(tmp_path):
    data = copy_valid(tmp_path / "data")
    assert _cli("relocate", "--check", "--data", str(data), cwd=ROOT).returncode == 0
    # Scatter the fixture as a contributor might: a document at the top, a source in a topic
    # folder (with an editor's schema line), Wuhan's row in a file of its own.
    doc = next((data / "documents").rglob("cn-hubei-wuhan-metaverse-plan-2022.yaml"))
    doc.rename(data / "documents" / doc.name)
    src = next((data / "sources").rglob("example-news-2022-11-wuhan-metaverse-plan.yaml"))
    (data / "sources" / "wuhan").mkdir()
    moved_src = data / "sources" / "wuhan" / src.name
    moved_src.write_text(
        "# yaml-language-server: $schema=../../../../../schema/source.schema.json\n" + src.read_text("utf-8"), "utf-8"
    )
    src.unlink()
    table = data / "jurisdictions" / "cn.csv"
    header, *rows = table.read_text("utf-8").splitlines(keepends=True)
    wuhan = next(r for r in rows if r.startswith("cn-hubei-wuhan,"))
    table.write_text(header + "".join(r for r in rows if r != wuhan), "utf-8")
    (data / "jurisdictions" / "batch.csv").write_text(header + wuhan, "utf-8")

    problems = sorted(p.format() for p in layout.check_layout(load_data(data)))
    assert len(problems) == 3
    assert any(
        f"documents/{doc.name}:1:1: id: this file belongs at data/documents/cn/cn-hubei/{doc.name}" in p
        for p in problems
    )
    assert any("jurisdictions/batch.csv:2:1: id: this row belongs in data/jurisdictions/cn.csv" in p for p in problems)

    check = _cli("relocate", "--check", "--data", str(data), cwd=ROOT)
    assert check.returncode == 1 and "2 file(s) and 1 row(s) are not where they belong" in check.stdout, check.stdout
    run = _cli("relocate", "--data", str(data), cwd=ROOT)
    assert run.returncode == 0 and "Moved 2 file(s) and 1 row(s)" in run.stdout, run.stdout + run.stderr
    assert (data / "documents" / "cn" / "cn-hubei" / doc.name).is_file()
    placed = data / "sources" / "2022" / src.name
    # the schema line (wrong after the move by hand) now points from the new place at schema/
    assert placed.read_text("utf-8").startswith("# yaml-language-server: $schema=../../../schema/source.schema.json\n")
    assert not (data / "sources" / "wuhan").exists() and not (data / "jurisdictions" / "batch.csv").exists()
    assert table.read_text("utf-8").endswith(wuhan)
    assert list(layout.check_layout(load_data(data))) == []
    assert "Nothing to move" in _cli("relocate", "--data", str(data), cwd=ROOT).stdout
    assert _cli("validate", "--no-cache", "--data", str(data), cwd=ROOT).returncode == 0


def test_relocate_never_overwrites_a_file(tmp_path):
    data = copy_valid(tmp_path / "data")
    doc = next((data / "documents").rglob("cn-hubei-wuhan-metaverse-plan-2022.yaml"))
    (data / "documents" / doc.name).write_text(doc.read_text("utf-8"), "utf-8")  # the same id twice
    run = _cli("relocate", "--data", str(data), cwd=ROOT)
    assert run.returncode == 2 and "exists already" in run.stderr + run.stdout, run.stdout + run.stderr
    assert doc.is_file() and (data / "documents" / doc.name).is_file()


def test_new_writes_where_the_rule_puts_the_record(tmp_path):
    data = copy_valid(tmp_path / "data")
    run = _cli(
        "new",
        "source",
        "--id",
        "wuhan-gov-2023-03-01-plan",
        "--published",
        "2023-03-01",
        "--data",
        str(data),
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    written = data / "sources" / "2023" / "wuhan-gov-2023-03-01-plan.yaml"
    assert "published: '2023-03-01'" in written.read_text("utf-8")
    undated = _cli("new", "source", "--id", "some-page", "--data", str(data), cwd=tmp_path)
    assert undated.returncode == 0 and (data / "sources" / "undated" / "some-page.yaml").is_file()
    unknown = _cli(
        "new", "document", "--id", "x-plan", "--jurisdiction", "cn-nowhere", "--data", str(data), cwd=tmp_path
    )
    assert unknown.returncode == 2 and "cn-nowhere" in unknown.stderr, unknown.stderr
    bad_date = _cli("new", "source", "--id", "p2", "--published", "March 2023", "--data", str(data), cwd=tmp_path)
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr


def test_new_coverage_and_jurisdiction_fit_the_rules(tmp_path):
    """A fresh-clone trial found `new coverage` writing a field the model no longer has, and `new
    jurisdiction` ignoring its id; both are checked here from a copy of the fixture."""
    data = copy_valid(tmp_path / "data")
    (data / "coverage" / "cn-hubei-wuhan.yaml").unlink()
    made = _cli("new", "coverage", "--id", "cn-hubei-wuhan", "--data", str(data), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    problems = _cli(
        "validate", "--no-cache", "--data", str(data), str(data / "coverage" / "cn-hubei-wuhan.yaml"), cwd=tmp_path
    )
    assert problems.returncode == 0 and problems.stdout.startswith("OK: "), problems.stdout + problems.stderr
    row = _cli("new", "jurisdiction", "--id", "kr-busan-haeundae", "--data", str(data), cwd=tmp_path)
    assert row.returncode == 0 and row.stdout.splitlines()[1].split(",")[7] == "KR", row.stdout
    assert f"to {data}/jurisdictions/kr.csv" in row.stderr, row.stderr
    taken = _cli("new", "jurisdiction", "--id", "cn-hubei-wuhan", "--data", str(data), cwd=tmp_path)
    assert taken.returncode == 2 and "is taken" in taken.stderr
    impossible = _cli("new", "source", "--id", "p3", "--published", "2024-13-45", "--data", str(data), cwd=tmp_path)
    assert impossible.returncode == 2 and "is not a date" in impossible.stderr
    folder = _cli("validate", "--data", str(data), str(data / "documents"), cwd=tmp_path)
    assert folder.returncode == 2 and "is a folder" in folder.stderr


def test_a_kind_the_rule_does_not_name_lives_flat_under_its_id(monkeypatch):
    """Coverage, redirects and any kind added to the registry later need no rule of their own:
    their files live flat in their folder, named for the registry's id field."""
    from generator import kinds
    from generator.loader import Located

    redirect = models.Redirect(kind="document", old="old-plan", new="new-plan", date="2024-01-01")
    located = Located(redirect, "data/redirects/sub/old-plan.yaml", {})
    assert layout.expected_path("redirects", located, TREE, "redirects/sub/old-plan.yaml") == "redirects/old-plan.yaml"
    monkeypatch.setitem(kinds.KINDS, "notes", kinds.Kind("notes", "note", "Notes", models.Redirect, (".yaml",), "old"))
    assert layout.expected_path("notes", located, TREE, "notes/2024/old-plan.yaml") == "notes/old-plan.yaml"
