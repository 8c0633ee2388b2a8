"""Where record files live under ``data/``: one rule, derived from each record (issue 13).

The rule, in one sentence (CONTRIBUTING says the same): *a document lives in its country's folder,
in the sub-folder of its first-level division unless it is national
(``documents/cn/cn-hubei/<id>.yaml``, ``documents/kr/<id>.yaml``); a source in the folder of the
year it was published (``sources/2022/<id>.yaml``, ``sources/undated/`` without a date); a
jurisdiction in its country's file (``jurisdictions/cn.csv``); coverage, corrections and redirects
flat in their folders, named for their jurisdiction, date and record, and old id.* A union (``eu``)
stands in for the country of itself and its members.

Why these keys: each is a field of the record itself (or of its jurisdiction, which never moves), so
a file never has to move when another record changes; countries, first-level divisions and years
keep every folder small enough to browse. The country is its ISO 3166-1 alpha-2 code in lower case;
the first-level division is the ISO 3166-2 notion of a country's principal subdivision (a Chinese
province-level division, a Korean province, a UAE emirate), named by its jurisdiction id.

:func:`expected_path` gives the path for one record, :func:`check_layout` reports files that are
elsewhere (``misplaced-file``), and :func:`plan_moves` / :func:`apply_moves` move every file to its
place (``python -m generator relocate``). Paths here are POSIX and relative to the data folder.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import models
from .errors import Problem, UsageError
from .kinds import KINDS
from .loader import Loaded, Located

#: Folder of sources without a publication date.
UNDATED = "undated"
_CORRECTION_STEM = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<rest>.+)$")
_SCHEMA_LINE = re.compile(r"^(# yaml-language-server: \$schema=)(\S+)(.*)$")


def document_folder(jid: str, jurisdictions: dict[str, models.Jurisdiction]) -> str | None:
    """Return the folder (relative to ``documents/``) of documents of the jurisdiction ``jid``:
    ``<country>/<first-level division>`` below a country (``cn/cn-hubei`` for
    ``cn-hubei-wuhan-hanyang`` and for ``cn-hubei``), ``<country>`` for the country itself (``kr``),
    or the union's id for a union (``eu``). The country is the lowercase ISO 3166-1 alpha-2 code of
    the top jurisdiction. ``None`` when ``jid`` or an ancestor is unknown or the parents form a
    cycle (validation reports those elsewhere)."""
    chain: list[models.Jurisdiction] = []
    current = jurisdictions.get(jid)
    while current is not None and current not in chain:
        chain.append(current)
        if current.parent is None:
            break
        current = jurisdictions.get(current.parent)
    else:
        return None
    top = country_key(chain[-1])
    return top if len(chain) == 1 else f"{top}/{chain[-2].id}"


def country_key(top: models.Jurisdiction) -> str:
    """The folder and file name of a top jurisdiction (one without a parent): its lowercase
    ISO 3166-1 alpha-2 code (``cn``), or its id when it has none (a union: ``eu``)."""
    return top.country.lower() if top.country else top.id


def document_path(doc_id: str, jurisdiction: str, jurisdictions: dict[str, models.Jurisdiction]) -> str | None:
    """Return ``documents/<folder>/<doc_id>.yaml`` (folder: :func:`document_folder`) for a
    document of ``jurisdiction``, or ``None`` when the jurisdiction is unknown."""
    folder = document_folder(jurisdiction, jurisdictions)
    return f"documents/{folder}/{doc_id}.yaml" if folder else None


def source_folder(published: str | None) -> str:
    """Return ``sources/<year>`` for a source published on the EDTF date ``published``
    (``sources/undated`` without one, or when its year is not given in digits: ``19XX``)."""
    year = published[:4] if published else ""
    return f"sources/{year if year.isdigit() else UNDATED}"


def jurisdictions_file(jid: str, jurisdictions: dict[str, models.Jurisdiction]) -> str | None:
    """Return ``jurisdictions/<country>.csv``, the file of the jurisdiction ``jid``'s country
    (``cn.csv``; a union and its members' rows: ``eu.csv``), or ``None`` when an ancestor is
    unknown."""
    folder = document_folder(jid, jurisdictions)
    return f"jurisdictions/{folder.split('/')[0]}.csv" if folder else None


def expected_path(
    kind: str, located: Located, jurisdictions: dict[str, models.Jurisdiction], current: str
) -> str | None:
    """Return where the record of ``located`` (of ``kind``, a folder name such as ``documents``)
    belongs, relative to the data folder, given its ``current`` relative path; ``None`` when the
    rule cannot say (an unknown jurisdiction: another check reports it).

    CSV rows (jurisdictions, sources given as CSV) belong in a file, so the path of a row is the
    file's. The rule is the module docstring's; a kind it does not name lives flat in its folder,
    named for its registry id field (:attr:`generator.kinds.Kind.id_field`), so a kind added to
    the registry needs no rule here."""
    record = located.record
    if kind == "documents":
        return document_path(record.id, record.jurisdiction, jurisdictions)
    if kind == "sources":
        name = posixpath.basename(current) if current.endswith(".csv") else f"{record.id}.yaml"
        return f"{source_folder(record.published)}/{name}"
    if kind == "jurisdictions":
        return jurisdictions_file(record.id, jurisdictions)
    if kind == "corrections":
        stem = posixpath.splitext(posixpath.basename(current))[0]
        match = _CORRECTION_STEM.match(stem)
        prefix = f"{record.date}-{record.record}"
        rest_ok = (
            match
            and match["date"] == record.date
            and (match["rest"] == record.record or re.fullmatch(re.escape(record.record) + r"-\d+", match["rest"]))
        )
        return f"corrections/{stem if rest_ok else prefix}.yaml"
    # every other kind (coverage, redirects, a kind added later): flat, named for its id field
    return f"{kind}/{KINDS[kind].record_id(record)}.yaml"


def _placements(loaded: Loaded) -> Iterable[tuple[str, Located, str, str]]:
    """Yield ``(kind, located, current, expected)`` for every record, paths relative to the data
    folder; records the rule cannot place are left out."""
    if loaded.data_dir is None:
        return
    root = Path(loaded.data_dir)
    jurisdictions = {loc.record.id: loc.record for loc in loaded.records.get("jurisdictions", [])}
    for kind, records in loaded.records.items():
        for loc in records:
            current = Path(loc.path).relative_to(root).as_posix()
            expected = expected_path(kind, loc, jurisdictions, current)
            if expected is not None:
                yield kind, loc, current, expected


def check_layout(loaded: Loaded) -> Iterable[Problem]:
    """Every record file is where the layout rule puts it: one ``misplaced-file`` problem per
    record elsewhere, at its id (a CSV row: at the row), naming the path it belongs at."""
    for kind, loc, current, expected in _placements(loaded):
        if (
            kind != "corrections"
            and not current.endswith(".csv")
            and posixpath.basename(current) != posixpath.basename(expected)
        ):
            continue  # a file not named for its record: the file-name check reports it (checks.check_file_names)
        if current != expected:
            # at the record's id field (a correction, which has none, at the record it corrects)
            id_field = KINDS[kind].id_field if kind in KINDS else "id"
            field = id_field if id_field in type(loc.record).model_fields else "record"
            what = "this row belongs in" if current.endswith(".csv") else "this file belongs at"
            yield loc.problem(
                (field,),
                "misplaced-file",
                f"{what} data/{expected} (where records live: CONTRIBUTING.md#layout); `.venv/bin/python -m generator "
                "relocate` moves every file to its place",
            )


@dataclass(frozen=True)
class Move:
    """One planned move: a whole YAML file (``rows`` empty), or CSV rows (their 1-based line
    numbers in ``source``) that go to another CSV file. Paths are relative to the data folder."""

    source: str
    target: str
    rows: tuple[int, ...] = ()


def plan_moves(loaded: Loaded) -> list[Move]:
    """Return the moves that put every record where the rule says, sorted by source path.

    Raises:
        UsageError: two records would share one file, or a YAML file would overwrite another.
    """
    whole: dict[str, str] = {}
    rows: dict[tuple[str, str], list[int]] = {}
    for _kind, loc, current, expected in _placements(loaded):
        if current == expected:
            continue
        if current.endswith(".csv"):
            rows.setdefault((current, expected), []).append(loc.where()[0])
        else:
            whole[current] = expected
    targets = sorted(whole.values())
    for a, b in zip(targets, targets[1:]):
        if a == b:
            raise UsageError(f"two files belong at data/{a}; rename one record first")
    if loaded.data_dir is not None:
        root = Path(loaded.data_dir)
        for target in targets:
            if (root / target).exists() and target not in whole:
                raise UsageError(
                    f"data/{target} exists already; a record elsewhere belongs there too: merge or rename one first"
                )
    moves = [Move(source, target) for source, target in whole.items()]
    moves += [Move(source, target, tuple(sorted(lines))) for (source, target), lines in rows.items()]
    return sorted(moves, key=lambda m: (m.source, m.target))


def apply_moves(data_dir: Path, moves: list[Move]) -> None:
    """Carry out ``moves`` under ``data_dir``: YAML files are renamed (a first-line
    ``yaml-language-server`` comment is pointed at the project's ``schema/`` from the new place);
    CSV rows are cut from their file and appended, as the same text, to the target file (created
    with the source's header when new). A CSV file left with only its header is deleted, and so is a folder left empty.

    Raises:
        UsageError: a CSV row spans several lines, or the two files' headers differ.
    """
    csv_moves: dict[str, list[Move]] = {}
    for move in moves:
        if move.rows:
            csv_moves.setdefault(move.source, []).append(move)
            continue
        source, target = data_dir / move.source, data_dir / move.target
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise UsageError(f"data/{move.target} exists already; not overwritten")
        text = source.read_text(encoding="utf-8")
        fixed = _schema_line(text, data_dir, target)
        if fixed != text:
            with open(target, "x", encoding="utf-8", newline="") as handle:
                handle.write(fixed)
            source.unlink()
        else:
            os.rename(source, target)
        _prune(source.parent, data_dir)
    for source_name, group in sorted(csv_moves.items()):
        _move_rows(data_dir, source_name, group)


def _schema_line(text: str, data_dir: Path, target: Path) -> str:
    """``text`` with a first-line ``yaml-language-server`` schema comment pointed from ``target``
    at the same schema file in the project's ``schema/`` folder (beside the data folder, where
    ``generator new`` points it), whatever it pointed at before: a file moved by hand may carry a
    path that was already wrong."""
    first, sep, rest = text.partition("\n")
    match = _SCHEMA_LINE.match(first)
    if not match:
        return text
    schema = data_dir.resolve().parent / "schema" / posixpath.basename(match[2])
    return f"{match[1]}{os.path.relpath(schema, target.parent.resolve())}{match[3]}{sep}{rest}"


def _lines(path: Path) -> list[str]:
    """The lines of a CSV file with their endings; each must be one whole record."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        if len(list(csv.reader(io.StringIO(line)))) > 1 or line.count('"') % 2:
            raise UsageError(f"{path}:{number}: a row that spans several lines cannot be moved; move it by hand")
    return lines


def _move_rows(data_dir: Path, source_name: str, group: list[Move]) -> None:
    source = data_dir / source_name
    lines = _lines(source)
    taken: set[int] = set()
    for move in group:
        target = data_dir / move.target
        moved = [lines[n - 1] if lines[n - 1].endswith("\n") else lines[n - 1] + "\n" for n in move.rows]
        if target.exists():
            existing = _lines(target)
            if existing[0].strip() != lines[0].strip():
                raise UsageError(
                    f"data/{move.target} and data/{source_name} have different columns; align their headers first"
                )
            tail = "" if existing[-1].endswith("\n") else "\n"
            target.write_text("".join(existing) + tail + "".join(moved), encoding="utf-8")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(lines[0] + "".join(moved), encoding="utf-8")
        taken.update(move.rows)
    kept = [line for number, line in enumerate(lines, 1) if number not in taken]
    if len(kept) <= 1:
        source.unlink()
        _prune(source.parent, data_dir)
    else:
        source.write_text("".join(kept), encoding="utf-8")


def _prune(folder: Path, data_dir: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) a record-kind folder while empty."""
    while folder != data_dir and folder.parent != data_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
