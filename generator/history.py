"""Change history of the records, read from git: when each record file was added and last
changed, and the list of changes for the changelog page and the Atom feed.

One ``git log`` call reads the whole history of ``data/``; the result depends only on the
commits, so two builds of the same commit agree. Outside a git checkout, or in a shallow clone
whose history is cut, history is reported as unavailable rather than guessed.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class Change:
    """One change of one record file: ``day`` (YYYY-MM-DD, UTC), ``time`` (ISO 8601, UTC),
    ``commit`` (short hash), ``action`` (``added``, ``changed``, ``removed``), ``path`` (POSIX,
    relative to the data folder: ``documents/cn-east/x.yaml``) and the commit's ``subject``."""

    day: str
    time: str
    commit: str
    action: str
    path: str
    subject: str


@dataclass
class History:
    """Changes of the data folder, oldest first; ``available`` is False outside git or in a
    shallow clone."""

    changes: list[Change]
    available: bool
    root: Path | None = None

    def dates(self, path: str) -> tuple[str, str] | None:
        """Return ``(added day, last changed day)`` of a record file given relative to the data
        folder, or None when git has no record of it (not committed yet, or no history)."""
        days = self._by_path.get(path)
        return (days[0], days[-1]) if days else None

    @property
    def _by_path(self) -> dict[str, list[str]]:
        if not hasattr(self, "_index"):
            index: dict[str, list[str]] = {}
            for c in self.changes:
                if c.action != "removed":
                    index.setdefault(c.path, []).append(c.day)
            self._index = index
        return self._index


_ACTIONS = {"A": "added", "M": "changed", "D": "removed", "R": "changed", "C": "added"}


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


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
    log = _git(["log", "--reverse", "--no-renames", "--format=@%h %ct %s", "--name-status", "--", "."], cwd)
    if log is None:
        return History([], False)
    changes, current = [], None
    for line in log.splitlines():
        if line.startswith("@"):
            commit, stamp, subject = (line[1:].split(" ", 2) + [""])[:3]
            moment = datetime.fromtimestamp(int(stamp), timezone.utc)
            current = (moment.strftime("%Y-%m-%d"), moment.strftime("%Y-%m-%dT%H:%M:%SZ"), commit, subject)
        elif line.strip() and current:
            status, _, path = line.partition("\t")
            action = _ACTIONS.get(status[:1])
            rel = (Path(top.strip()) / path).relative_to(cwd).as_posix() if (Path(top.strip()) / path).is_relative_to(cwd) else None
            if action and rel:
                changes.append(Change(current[0], current[1], current[2], action, rel, current[3]))
    return History(changes, True, cwd)
