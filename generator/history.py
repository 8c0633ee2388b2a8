"""Change history of the records, read from git: when each record was added and last changed, and
the list of changes for the changelog page and the Atom feed.

History is kept per **record**, not per file, so that moving files (the layout rule of
:mod:`generator.layout`, a rename of a folder) keeps every date, changelog line and feed entry:

* a YAML record is known by its folder of ``data/`` (its kind) and its file name without
  ``.yaml`` (its id, which validation ties to the file name); a commit that deletes the file at one
  path and adds it at another with the same bytes *moved* it, which is no change of the record;
  with other bytes it *changed* it;
* a row of a CSV file (jurisdictions) is known by its kind and its first cell (the id): rows are
  read from the commits' diffs, so a row cut from one file and pasted unchanged into another in one
  commit is moved, not added.

Two ``git log`` calls read the whole history of ``data/``; the result depends only on the commits,
so two builds of the same commit agree. Outside a git checkout, or in a shallow clone whose history
is cut, history is reported as unavailable rather than guessed.
"""

from __future__ import annotations

import csv
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

#: What happened to a record in one commit (moves are not changes and are not listed).
ACTIONS = ("added", "changed", "removed")


@dataclass(frozen=True)
class Change:
    """One change of one record: ``day`` (YYYY-MM-DD, UTC), ``time`` (ISO 8601, UTC), ``commit``
    (short hash), ``action`` (one of :data:`ACTIONS`), ``kind`` (the folder of ``data/``:
    ``documents``, ``jurisdictions``, ``vocab``…), ``record`` (the record's id; a vocabulary's or
    other file's name without suffix), ``path`` (POSIX, relative to the data folder, where the
    record was after the commit, or before it when removed) and the commit's ``subject``."""

    day: str
    time: str
    commit: str
    action: str
    kind: str
    record: str
    path: str
    subject: str


@dataclass
class History:
    """Changes of the records in the data folder, oldest first; ``available`` is False outside git
    or in a shallow clone."""

    changes: list[Change]
    available: bool
    root: Path | None = None
    _index: dict[tuple[str, str], list[str]] = field(default_factory=dict, init=False, repr=False)

    def dates(self, kind: str, record: str) -> tuple[str, str] | None:
        """Return ``(added day, last changed day)`` of the record ``record`` of ``kind`` (a folder
        of ``data/``), or None when git has no record of it (not committed yet, or no history)."""
        if not self._index:
            for c in self.changes:
                if c.action != "removed":
                    self._index.setdefault((c.kind, c.record), []).append(c.day)
        days = self._index.get((kind, record))
        return (days[0], days[-1]) if days else None


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


@dataclass
class _Commit:
    day: str
    time: str
    commit: str
    subject: str
    # (kind, record) → [(path, blob or row text)] removed and added in this commit
    removed: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    added: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    modified: dict[tuple[str, str], str] = field(default_factory=dict)

    def moves_to_compare(self) -> list[tuple[str, str]]:
        """``(old blob, new blob)`` of records moved with other bytes in this commit (to compare
        without the editor's schema line, see :func:`_same_record`)."""
        pairs = []
        for key in set(self.removed) & set(self.added):
            before, after = self.removed[key], self.added[key]
            if (
                key not in self.modified
                and len(before) == len(after) == 1
                and before[0][1] != after[0][1]
                and not before[0][0].endswith(".csv")
            ):
                pairs.append((before[0][1], after[0][1]))
        return pairs

    def changes(self, same: set[tuple[str, str]] = frozenset()) -> list[Change]:
        """This commit's changes, each record once, in the order of their keys; ``same`` holds
        ``(old blob, new blob)`` pairs known to be the same record (moved, schema line rewritten)."""
        out = []
        for key in sorted(set(self.removed) | set(self.added) | set(self.modified)):
            before, after = self.removed.get(key, []), self.added.get(key, [])
            if key in self.modified:
                action, path = "changed", self.modified[key]
            elif before and after:
                if sorted(b for _, b in before) == sorted(a for _, a in after) or (
                    len(before) == len(after) == 1 and (before[0][1], after[0][1]) in same
                ):
                    continue  # moved unchanged
                action, path = "changed", after[-1][0]
            elif after:
                action, path = "added", after[-1][0]
            else:
                action, path = "removed", before[-1][0]
            out.append(Change(self.day, self.time, self.commit, action, key[0], key[1], path, self.subject))
        return out


def _header(line: str) -> _Commit:
    commit, stamp, subject = (line[1:].split(" ", 2) + [""])[:3]
    moment = datetime.fromtimestamp(int(stamp), timezone.utc)
    return _Commit(moment.strftime("%Y-%m-%d"), moment.strftime("%Y-%m-%dT%H:%M:%SZ"), commit, subject)


def _key(rel: str) -> tuple[str, str]:
    """The record key of a YAML (or other non-CSV) file: its first folder and its stem."""
    path = PurePosixPath(rel)
    return (path.parts[0] if len(path.parts) > 1 else "", path.stem)


def _files(log: str, top: Path, cwd: Path) -> dict[str, _Commit]:
    """Parse ``git log --raw`` output: whole-file changes of every non-CSV file, by commit."""
    commits: dict[str, _Commit] = {}
    current = None
    for line in log.splitlines():
        if line.startswith("@"):
            current = _header(line)
            commits[current.commit] = current
        elif line.startswith(":") and current is not None:
            meta, _, path = line.partition("\t")
            parts = meta.split()
            old_blob, new_blob, status = parts[2], parts[3], parts[4][:1]
            rel = _relative(path, top, cwd)
            if rel is None or rel.endswith(".csv"):
                continue
            key = _key(rel)
            if status == "A":
                current.added.setdefault(key, []).append((rel, new_blob))
            elif status == "D":
                current.removed.setdefault(key, []).append((rel, old_blob))
            elif status in "MT":
                current.modified[key] = rel
    return commits


def _rows(log: str, top: Path, cwd: Path, commits: dict[str, _Commit]) -> None:
    """Parse ``git log -p --unified=0`` output of the CSV files: each added or removed line is a
    row known by its first cell; a file's header line (first cell ``id``) is skipped."""
    current, rel = None, None
    for line in log.splitlines():
        if line.startswith("@") and not line.startswith("@@"):
            header = _header(line)
            current = commits.setdefault(header.commit, header)
        elif line.startswith("+++ ") or line.startswith("--- "):
            name = line[4:]
            if name != "/dev/null":
                rel = _relative(name[2:], top, cwd)
        elif current is not None and rel and line[:1] in "+-" and not line.startswith(("+++", "---")):
            cells = next(csv.reader([line[1:]]), [])
            if not cells or cells[0] in ("", "id"):
                continue
            key = (PurePosixPath(rel).parts[0], cells[0])
            side = current.added if line[0] == "+" else current.removed
            side.setdefault(key, []).append((rel, line[1:]))


def _relative(path: str, top: Path, cwd: Path) -> str | None:
    full = top / path
    return full.relative_to(cwd).as_posix() if full.is_relative_to(cwd) else None


def read_history(data_dir: Path) -> History:
    """Read the history of ``data_dir`` from git.

    Returns:
        A :class:`History`; empty and ``available=False`` when ``data_dir`` is not in a git
        checkout with full history. Never raises for a missing git.
    """
    cwd = data_dir.resolve()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top is None or (_git(["rev-parse", "--is-shallow-repository"], cwd) or "").strip() == "true":
        return History([], False)
    top_path = Path(top.strip())
    fmt = "--format=@%h %ct %s"
    raw = _git(["log", "--reverse", "--no-renames", "--raw", fmt, "--", "."], cwd)
    patch = _git(
        [
            "log",
            "--reverse",
            "--no-renames",
            "-p",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            fmt,
            "--",
            "*.csv",
        ],
        cwd,
    )
    if raw is None or patch is None:
        return History([], False)
    commits = _files(raw, top_path, cwd)
    _rows(patch, top_path, cwd, commits)
    same = _same_records([pair for c in commits.values() for pair in c.moves_to_compare()], cwd)
    order = {c: i for i, c in enumerate(_order(raw))}
    changes = [
        change
        for c in sorted(commits.values(), key=lambda c: order.get(c.commit, len(order)))
        for change in c.changes(same)
    ]
    return History(changes, True, cwd)


_SCHEMA_LINE = re.compile(rb"^# yaml-language-server: \$schema=\S+[^\n]*\n")


def _same_records(pairs: list[tuple[str, str]], cwd: Path) -> set[tuple[str, str]]:
    """The pairs of blobs (abbreviated ids) whose texts are equal once a first-line
    ``yaml-language-server`` schema comment is removed: a file moved to another depth by
    ``generator relocate``, which rewrites only that comment's relative path. One ``git cat-file``
    call reads every blob."""
    if not pairs:
        return set()
    blobs = sorted({b for pair in pairs for b in pair})
    try:
        result = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=cwd,
            input="\n".join(blobs).encode() + b"\n",
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    texts, out, at = {}, result.stdout, 0
    for blob in blobs:
        header_end = out.index(b"\n", at)
        parts = out[at:header_end].split()
        if len(parts) < 3 or parts[1] == b"missing":
            at = header_end + 1
            continue
        size = int(parts[2])
        texts[blob] = _SCHEMA_LINE.sub(b"", out[header_end + 1 : header_end + 1 + size], count=1)
        at = header_end + 1 + size + 1
    return {(a, b) for a, b in pairs if a in texts and texts.get(a) == texts.get(b)}


def _order(raw: str) -> list[str]:
    """Commit hashes in the order of the log (oldest first)."""
    return [line[1:].split(" ", 1)[0] for line in raw.splitlines() if line.startswith("@")]
