"""What a pull request changes in the data: records added, changed and removed between two git
revisions, the site pages they touch, and the validation problems of the newer revision.

Each revision's data folder is read from git (``git archive``) into a temporary folder and loaded
with the project's own loader and checks (:func:`generator.validate.validate_data`), so the
comparison sees records, not lines: reformatting a file changes nothing, and a record moved to
another file is "changed" only if a field changed. Used by the pull-request workflow
(``.github/workflows/pr.yml``) for the job summary and the annotations on the diff.
"""

from __future__ import annotations

import io
import posixpath
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import escape, locations, models
from .dataset import Dataset, build_dataset
from .errors import Problem, UsageError
from .kinds import BY_SINGULAR, KINDS, Kind, references
from .validate import Validated, validate_data

ACTIONS = ("added", "changed", "removed")


@dataclass(frozen=True, order=True)
class RecordChange:
    """One record added, changed or removed: ``kind`` (a key of :data:`generator.kinds.KINDS`), ``id``,
    ``action`` (one of :data:`ACTIONS`) and ``path`` of its file relative to the repository top
    (in the newer revision, or in the older one when removed)."""

    kind: str
    id: str
    action: str
    path: str


@dataclass
class DataDiff:
    """The outcome of :func:`diff_revisions`."""

    base: str
    head: str
    changes: list[RecordChange]
    pages: list[str]
    """Site URLs (``/documents/<id>/``) of the record pages and listing pages affected, sorted."""
    problems: list[Problem] = field(default_factory=list)
    """Validation problems of ``head``, with paths relative to the repository top."""
    records: int = 0
    """Records and targets in ``head``."""

    def count(self, kind: str, action: str) -> int:
        """Return how many records of ``kind`` were ``action``."""
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)


def diff_revisions(base: str, head: str, data: Path = Path("data"), repo: Path = Path(".")) -> DataDiff:
    """Compare the records of ``data`` between git revisions ``base`` and ``head`` of ``repo``.

    Args:
        base, head: any git revision (``origin/main``, ``HEAD``, a commit hash).
        data: the data folder, relative to ``repo`` (the working directory by default).
        repo: a folder inside the git checkout.

    Raises:
        UsageError: ``repo`` is not a git checkout or a revision does not exist.
    """
    data_rel = _repo_relative(data, repo)
    top = Path(_git(["rev-parse", "--show-toplevel"], repo).strip())
    with tempfile.TemporaryDirectory(prefix="atlas-diff-") as tmp:
        old = _load(base, data_rel, top, Path(tmp) / "base")
        new = _load(head, data_rel, top, Path(tmp) / "head")
        problems = [_relocate(p, Path(tmp) / "head") for p in new.problems]
        changes = record_changes(old, Path(tmp) / "base", new, Path(tmp) / "head", {p.path for p in problems})
        pages = affected_pages(changes, old, new)
        return DataDiff(base, head, changes, pages, problems, new.record_count())


def _git(args: list[str], repo: Path, binary: bool = False):
    try:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise UsageError(f"cannot run git ({exc})") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {' '.join(args[:2])} failed: {message[-1] if message else proc.returncode}")
    return proc.stdout if binary else proc.stdout.decode("utf-8")


def _repo_relative(data: Path, repo: Path) -> str:
    """Return ``data`` as a POSIX path relative to the top of the git checkout holding ``repo``."""
    if data.is_absolute():
        top = Path(_git(["rev-parse", "--show-toplevel"], repo).strip()).resolve()
        rel = data.resolve().relative_to(top).as_posix() if data.resolve().is_relative_to(top) else ".."
    else:
        prefix = _git(["rev-parse", "--show-prefix"], repo).strip()
        rel = posixpath.normpath(posixpath.join(prefix, data.as_posix()))
    if rel == ".." or rel.startswith("../"):
        raise UsageError(f"the data folder {data} is outside the git checkout")
    return rel


def _load(rev: str, data_rel: str, top: Path, dest: Path) -> Validated:
    """Extract ``data_rel`` (relative to ``top``, the checkout's top folder) at ``rev`` under
    ``dest`` and validate it (an absent folder: no records)."""
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    except UsageError:
        raise UsageError(
            f"{rev!r} is not a commit here; in CI, check out the whole history (actions/checkout with fetch-depth: 0)"
        ) from None
    dest.mkdir(parents=True)
    if _git(["ls-tree", "-d", rev, "--", data_rel], top).strip():
        archive = _git(["archive", "--format=tar", rev, "--", data_rel], top, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
    (dest / data_rel).mkdir(parents=True, exist_ok=True)
    return validate_data(dest / data_rel, None)


def record_id(kind: str, located) -> str:
    """Return the id that names a record across revisions: its registry kind's
    :attr:`~generator.kinds.Kind.id_field` (coverage: its jurisdiction), or for records without
    one, such as corrections, the file name without its suffix."""
    known = KINDS.get(kind)
    if known and known.id_field in type(located.record).model_fields:
        return known.record_id(located.record)
    return Path(located.path).stem


def _label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else kind.replace("_", " ").capitalize()


def _kinds(changes: list[RecordChange]) -> list[str]:
    """The kinds present in ``changes``, in registry order (a kind the registry does not know last)."""
    present = {c.kind for c in changes}
    return [k for k in KINDS if k in present] + sorted(present - KINDS.keys())


def _records(validated: Validated, root: Path) -> dict[tuple[str, str], tuple[str, dict]]:
    """Return ``{(kind, id): (repo-relative path, record as JSON-like dict)}``."""
    out = {}
    for kind, records in validated.loaded.records.items():
        for located in records:
            path = Path(located.path).relative_to(root).as_posix()
            out[(kind, record_id(kind, located))] = (path, located.record.model_dump(mode="json"))
    return out


def record_changes(
    old: Validated, old_root: Path, new: Validated, new_root: Path, invalid_paths: set[str] = frozenset()
) -> list[RecordChange]:
    """Return the records added, changed and removed from ``old`` to ``new`` (two validated data
    folders), in report order (:func:`compare`); each change's path is relative to ``old_root`` or
    ``new_root`` (the folders holding the two data folders), and so are ``invalid_paths``."""
    return compare(_records(old, old_root), _records(new, new_root), invalid_paths)


def compare(old: dict, new: dict, invalid_paths: set[str] = frozenset()) -> list[RecordChange]:
    """Return the changes between two ``{(kind, id): (path, dict)}`` maps, in report order.

    A record missing from ``new`` whose file is in ``invalid_paths`` (it has problems, so the
    record did not load) is reported as changed, not removed."""
    changes = []
    for key in old.keys() | new.keys():
        if key not in old:
            changes.append(RecordChange(*key, "added", new[key][0]))
        elif key not in new:
            action = "changed" if old[key][0] in invalid_paths else "removed"
            changes.append(RecordChange(*key, action, old[key][0]))
        elif old[key][1] != new[key][1]:
            changes.append(RecordChange(*key, "changed", new[key][0]))
    order = _kinds(changes)
    return sorted(changes, key=lambda c: (order.index(c.kind), ACTIONS.index(c.action), c.id))


def affected_pages(changes: list[RecordChange], old: Validated, new: Validated) -> list[str]:
    """Return the site URLs (``/documents/<id>/``, sorted) of the pages the changes may touch,
    looking each changed record up in both revisions (a page it was on before counts too).

    What the registry (:data:`generator.kinds.KINDS`) declares, for a record of any kind: its own
    page (its kind's ``section``), the kind's ``listings`` (pages that list or count its records),
    the pages of the records its ``shown_on`` references name (a document: its jurisdiction's and
    related documents' pages; a jurisdiction: its parent's), and the pages of the records of kinds
    that ``show`` it and refer to it (a source: the documents citing it). On top of that, what
    two rendered trees showed for an edit of each kind (``tests/test_affected_pages.py``):

    * a document is also counted on the pages of every jurisdiction above its own;
    * a changed source (not added or removed) changes no count, but the reliability grade of the
      documents citing it: their jurisdictions' pages and the coverage page;
    * a changed jurisdiction is named on the pages below it and of their documents (breadcrumbs),
      on the home page and the documents listing when it or a place below has documents, on the
      timeline, compare and targets pages when it has documents of its own, and on the coverage
      page and the map when it is a provincial-level division or a country; no count changes;
    * coverage reaches the home page, the coverage page and the map only for a provincial-level
      division;
    * a redirect touches the page left at its old URL.

    This is a model: for a narrow edit (a document's summary, say) it reports more pages than
    change, never fewer.
    """
    pages: set[str] = set()
    for validated in (old, new):
        ds = build_dataset(validated.loaded)
        for change in changes:
            kind = KINDS.get(change.kind)
            for located in validated.loaded.records.get(change.kind, []) if kind else ():
                if record_id(change.kind, located) == change.id:
                    pages |= _REFINED.get(kind.name, _declared_pages)(kind, located.record, change.action, ds)
    return sorted("/" + page for page in pages)


def _page(kind: Kind, rid: str) -> str:
    """The site URL showing one record: its own page, or the kind's first listing page."""
    return locations.record_url(kind.name, rid) if kind.section else kind.listings[0]


def _declared_pages(kind: Kind, record: models.Record, action: str, ds: Dataset) -> set[str]:
    """The pages the registry declares for a change of ``record`` (see :func:`affected_pages`)."""
    rid = kind.record_id(record) if kind.id_field in type(record).model_fields else None
    pages = set(kind.listings) | ({_page(kind, rid)} if kind.section and rid else set())
    for path, target, ref in references(record):
        if path[0] in kind.shown_on and ref in ds.by_kind.get(target, {}):
            pages.add(_page(KINDS[target], ref))
    for other in KINDS.values():
        if kind.name in other.shows and rid is not None:
            for item_id, item in ds.by_kind.get(other.name, {}).items():
                if any(target == kind.name and ref == rid for _, target, ref in references(item)):
                    pages.add(_page(other, item_id))
    return pages


def _up(ds: Dataset, jid: str) -> list[str]:
    """``jid`` and the jurisdictions above it that exist in ``ds``; safe on invalid data (a missing
    parent or a cycle ends the walk), as the newer revision may be invalid."""
    chain: list[str] = []
    while jid in ds.jurisdictions and jid not in chain:
        chain.append(jid)
        jid = ds.jurisdictions[jid].parent
    return chain


def _down(ds: Dataset, jid: str) -> list[str]:
    """``jid`` and every jurisdiction below it in ``ds``; safe on cycles, like :func:`_up`."""
    found, todo = [], [jid]
    while todo:
        current = todo.pop()
        if current not in found:
            found.append(current)
            todo.extend(ds.children.get(current, []))
    return found


def _document_pages(kind: Kind, doc: models.Document, action: str, ds: Dataset) -> set[str]:
    above = {locations.record_url("jurisdictions", j) for j in _up(ds, doc.jurisdiction)}
    return _declared_pages(kind, doc, action, ds) | above


def _source_pages(kind: Kind, source: models.Source, action: str, ds: Dataset) -> set[str]:
    pages = _declared_pages(kind, source, action, ds)
    if action != "changed":
        return pages
    citing = [ds.documents[d] for d in ds.cited_by.get(source.id, [])]
    pages = (pages - set(kind.listings)) | {kind.listings[0]}  # the counts stay; the grades may not
    pages |= {
        locations.record_url("jurisdictions", d.jurisdiction) for d in citing if d.jurisdiction in ds.jurisdictions
    }
    return pages | ({locations.site_url(locations.COVERAGE)} if citing else set())


def _jurisdiction_pages(kind: Kind, j: models.Jurisdiction, action: str, ds: Dataset) -> set[str]:
    pages = _declared_pages(kind, j, action, ds)
    if action != "changed":
        return pages
    below = _down(ds, j.id)
    pages = (pages - set(kind.listings)) | {kind.listings[0]}  # no count changes
    pages |= {locations.record_url("jurisdictions", jid) for jid in below}
    pages |= {
        locations.record_url("documents", d.id) for jid in below for d in ds.documents_by_jurisdiction.get(jid, [])
    }
    named_on = set()
    if any(ds.documents_by_jurisdiction.get(jid) for jid in below):  # document tables name the place and its province
        named_on |= {locations.HOME, locations.section_index("documents")}
    if ds.documents_by_jurisdiction.get(j.id):
        named_on |= {locations.TIMELINE, locations.COMPARE, locations.TARGETS}
    if j.level in ("provincial-level", "national"):
        named_on |= {locations.COVERAGE, locations.MAP}
    return pages | {locations.site_url(page) for page in named_on}


def _coverage_pages(kind: Kind, coverage: models.Coverage, action: str, ds: Dataset) -> set[str]:
    pages = _declared_pages(kind, coverage, action, ds)
    j = ds.jurisdictions.get(coverage.jurisdiction)
    return pages if j is None or j.level == "provincial-level" else pages - set(kind.listings)


def _redirect_pages(kind: Kind, redirect: models.Redirect, action: str, ds: Dataset) -> set[str]:
    return {locations.site_url(locations.redirect_page(BY_SINGULAR[redirect.kind].name, redirect.old))}


#: Refinements of :func:`_declared_pages` by kind, found by rendering (see :func:`affected_pages`).
_REFINED = {
    "documents": _document_pages,
    "sources": _source_pages,
    "jurisdictions": _jurisdiction_pages,
    "coverage": _coverage_pages,
    "redirects": _redirect_pages,
}


def _relocate(problem: Problem, root: Path) -> Problem:
    """Return ``problem`` with its path relative to the repository top instead of ``root``."""
    path = Path(problem.path)
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else problem.path
    message = problem.message.replace(f"{root}/", "")
    return Problem(rel, problem.line, problem.column, problem.field, problem.code, message)


# Output ---------------------------------------------------------------------------------------


def _totals(diff: DataDiff) -> str:
    counts = [f"{sum(1 for c in diff.changes if c.action == a)} {a}" for a in ACTIONS]
    return ", ".join(counts)


def _validity(diff: DataDiff) -> str:
    if diff.problems:
        return f"{len(diff.problems)} problem(s) in {len({p.path for p in diff.problems})} file(s) of {diff.head}."
    return f"{diff.head} is valid: {diff.records} records and targets, no problems."


def format_text(diff: DataDiff) -> str:
    """Plain text for a terminal: changes by kind, pages, then problems as ``path:line:col: ...``."""
    lines = [f"Records {diff.base} -> {diff.head}: {_totals(diff)}."]
    marks = {"added": "+", "changed": "~", "removed": "-"}
    for kind in _kinds(diff.changes):
        mine = [c for c in diff.changes if c.kind == kind]
        if mine:
            lines.append(f"{_label(kind)}:")
            lines += [f"  {marks[c.action]} {c.id} ({c.path})" for c in mine]
    if diff.pages:
        lines.append(f"Pages affected ({len(diff.pages)}):")
        lines += [f"  {page}" for page in diff.pages]
    lines += [p.format() for p in diff.problems]
    lines.append(_validity(diff))
    return "\n".join(lines) + "\n"


def format_markdown(diff: DataDiff) -> str:
    """GitHub-flavoured Markdown for ``$GITHUB_STEP_SUMMARY``: a count table, the changed records,
    the pages affected and the problems. Contributor text is escaped (:func:`generator.escape.md`)."""
    out = [f"### Data changes: {_code(diff.base)} → {_code(diff.head)}", ""]
    if not diff.changes:
        out += ["No record was added, changed or removed.", ""]
    else:
        out += ["| Kind | Added | Changed | Removed |", "| --- | ---: | ---: | ---: |"]
        for kind in _kinds(diff.changes):
            counts = [diff.count(kind, a) for a in ACTIONS]
            out.append(f"| {_label(kind)} | " + " | ".join(map(str, counts)) + " |")
        out.append("")
        for kind in _kinds(diff.changes):
            mine = [c for c in diff.changes if c.kind == kind]
            if mine:
                out += [f"**{_label(kind)}**", ""] + [f"- {c.action} `{c.id}` in {_code(c.path)}" for c in mine] + [""]
        out += [f"<details><summary>Pages affected ({len(diff.pages)})</summary>", ""]
        out += [f"- `{page}`" for page in diff.pages] + ["", "</details>", ""]
    if diff.problems:
        files = len({p.path for p in diff.problems})
        out += [f"**Validation:** :x: {len(diff.problems)} problem(s) in {files} file(s) of {_code(diff.head)}:", ""]
        for p in diff.problems:
            field = f" {escape.md(p.field)}:" if p.field else ""
            out.append(f"- {_code(f'{p.path}:{p.line}:{p.column}')}{field} {escape.md(p.message)} `[{p.code}]`")
        out.append("")
    else:
        out += [
            f"**Validation:** :white_check_mark: {_code(diff.head)} is valid: {diff.records} records and targets, no "
            "problems.",
            "",
        ]
    return "\n".join(out)


def _code(text: str) -> str:
    """Text as a Markdown code span, or escaped text when it holds a backtick."""
    return f"`{text}`" if "`" not in text and "\n" not in text else escape.md(text)


def _command_value(text: str, prop: bool = False) -> str:
    """Escape text for a GitHub workflow command (``%``, CR, LF; in properties also ``:`` and ``,``)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(diff: DataDiff) -> str:
    """One ``::error`` workflow command per problem of ``head`` (GitHub shows them on the diff),
    then a plain summary line for the log."""
    lines = []
    for p in diff.problems:
        where = f"file={_command_value(p.path, True)}"
        if p.line:
            where += f",line={p.line}" + (f",col={p.column}" if p.column else "")
        message = f"{p.field}: {p.message}" if p.field else p.message
        lines.append(f"::error {where},title={_command_value(p.code, True)}::{_command_value(message)}")
    lines.append(f"Records {diff.base} -> {diff.head}: {_totals(diff)}. {_validity(diff)}")
    return "\n".join(lines) + "\n"


FORMATS = {"text": format_text, "markdown": format_markdown, "github": format_github}
