"""The site's counting rules, written once: which targets a total counts, what became of a target,
how reliable a record's sources are, and a jurisdiction's research status.

Every chart, headline count, table and download asks these functions; ``pages/methodology.md``
states the same rules in prose (issue #12). Nothing here reads the disk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import models
from .dates import edtf_bounds

# --- Which targets a total counts -------------------------------------------------------------

#: The one scope whose figures enter default totals; every other scope of ``vocab/scopes.yaml``
#: (``broader``, ``driven``, ``vr-xr``) is shown only as its own labelled series or view.
COUNTED_SCOPE = "metaverse"

#: Why a target is left out of default totals, by key: (short label, sentence for captions).
EXCLUSIONS = {
    "scope": (
        "other scope",
        "its figure is not about the metaverse itself (a wider sector, industries it is to drive, or VR/XR)",
    ),
    "draft": ("draft", "it comes from a draft for comment or a plan announced but not issued"),
    "not-issued": ("not a document", "it comes from a meeting, event or announcement rather than an issued document"),
    "subsidy-cap": (
        "subsidy ceiling",
        "it is a subsidy or award ceiling: a parameter of a policy, not a result to achieve",
    ),
}

#: Metrics that are parameters of a policy rather than results: left out of totals, never due.
PARAMETER_METRICS = ("subsidy-cap",)

#: The counting rule in one sentence, for chart captions and the methodology page.
COUNTING_RULE = (
    "targets about the metaverse itself (scope “metaverse”) set by issued documents in "
    "their final form; drafts, wider sectors, driven industries, VR/XR figures and subsidy ceilings are left out"
)


#: What "documents" counts in every chart and count of the site
#: (:attr:`generator.models.Document.is_final`), for captions.
DOCUMENTS_RULE = "Counted: issued documents in their final form; drafts, meetings and announcements are left out."
#: What counts as a jurisdiction's metaverse policy in the adoption charts and the research status
#: (:attr:`generator.models.Document.is_metaverse_policy`), for captions.
POLICY_RULE = (
    "Counted: issued documents in their final form that name the metaverse; drafts, meetings, announcements and "
    "XR or VR plans that do not name it are left out."
)


def exclusion(target: models.Target, doc: models.Document) -> str | None:
    """Return why ``target`` of ``doc`` is left out of default totals (a key of :data:`EXCLUSIONS`),
    or None when it is counted.

    Rule (issue #12): a target counts when its scope is :data:`COUNTED_SCOPE` and its document is
    issued (not a meeting, event or announcement) and final (not a draft for comment, not merely
    announced; a draft's final version has its own record and its own targets), and it is a result
    to achieve rather than a policy parameter (:data:`PARAMETER_METRICS`)."""
    if target.metric in PARAMETER_METRICS:
        return "subsidy-cap"
    if target.scope != COUNTED_SCOPE:
        return "scope"
    if not doc.is_issued:
        return "not-issued"
    if not doc.is_final:
        return "draft"
    return None


def is_counted(target: models.Target, doc: models.Document) -> bool:
    """True when ``target`` of ``doc`` enters default totals (:func:`exclusion` is None)."""
    return exclusion(target, doc) is None


# --- Did it happen? ----------------------------------------------------------------------------

#: Every status a target can have, in display order: key → (English, Chinese, meaning). The first
#: four are stored in :class:`~generator.models.Outcome`; the last two are derived, never stored.
TARGET_STATUSES = {
    "met": ("Met", "已实现", "a source reports that the target was reached"),
    "not-met": ("Not met", "未实现", "a source reports a result short of the target"),
    "no-report-found": (
        "No public report found",
        "未见公开报告",
        "no result was found in the material searched, as of the date given, with the searches listed",
    ),
    "not-applicable": (
        "Not applicable",
        "不适用",
        "the target cannot be judged (a one-off budget, a withdrawn measure); the note says why",
    ),
    "not-checked": (
        "Due, not yet checked",
        "已到期待核查",
        "the deadline has passed and nobody has looked for a result yet",
    ),
    "not-yet-due": ("Not yet due", "未到期", "the deadline is after the data's as-of date"),
}

#: Statuses of targets whose deadline has passed.
DUE_STATUSES = ("met", "not-met", "no-report-found", "not-applicable", "not-checked")


def is_due(target: models.Target, as_of: str) -> bool:
    """True when the latest day ``target.deadline`` can mean is before ``as_of`` (YYYY-MM-DD): a
    target due "by 2025" is due from 2026-01-01 on."""
    return edtf_bounds(target.deadline)[1] < edtf_bounds(as_of)[0]


def target_status(target: models.Target, as_of: str) -> str:
    """Return the status of ``target`` (a key of :data:`TARGET_STATUSES`) on ``as_of`` (YYYY-MM-DD).

    A recorded outcome wins (a result can be reported before the deadline); a policy parameter
    (:data:`PARAMETER_METRICS`, a subsidy ceiling) is ``not-applicable``; otherwise the target is
    ``not-yet-due`` before its deadline and ``not-checked`` after it. Never blank."""
    if target.outcome is not None:
        return target.outcome.status
    if target.metric in PARAMETER_METRICS:
        return "not-applicable"
    return "not-checked" if is_due(target, as_of) else "not-yet-due"


def status_counts(statuses: Iterable[str]) -> dict[str, int]:
    """Count statuses into a dict with every key of :data:`TARGET_STATUSES` (zeros included) and
    ``due``, the number whose deadline has passed."""
    counts = dict.fromkeys(TARGET_STATUSES, 0)
    for status in statuses:
        counts[status] += 1
    counts["due"] = sum(counts[s] for s in DUE_STATUSES)
    return counts


# --- How reliable are the sources? ---------------------------------------------------------------

#: Source kinds that are official: a source of these kinds must come from a host listed in
#: ``data/vocab/official_hosts.yaml`` (checked by validation).
OFFICIAL_KINDS = ("government", "state-media")

#: Source kinds that publish under their own name (their publisher is a publisher of record).
PUBLISHER_KINDS = ("government", "state-media", "press")

#: The reliability ladder, best first: key → (label, rule). Shown on every record, explained on the
#: methodology page, counted on the Coverage page.
GRADES = {
    "official-text": (
        "Official text read",
        "the document's own text (or its issuing notice) was read on a government site or in state media",
    ),
    "official-report": (
        "Official report",
        "a government or state-media report about the document was read, not its text",
    ),
    "independent": (
        "Two independent reports",
        "reports from two or more different named original publishers were read",
    ),
    "single": ("One report", "one named publisher's report was read"),
    "copies-only": (
        "Copies only",
        "only reposts, aggregators or self-published rewrites were read; none names an original we could read",
    ),
}


@dataclass(frozen=True)
class Cited:
    """One citation with the source it names, as the ladder reads it."""

    source: models.Source
    ref: models.SourceRef


def original_publisher(source: models.Source) -> str | None:
    """Return who a source stands for when counting independent reports, case-folded: its named
    original publisher; else its own publisher when its kind publishes under its own name
    (:data:`PUBLISHER_KINDS`); else None (an aggregator, rewrite or self-media post naming no
    original stands for nobody)."""
    if source.original_publisher:
        return source.original_publisher.casefold()
    return source.publisher.casefold() if source.kind in PUBLISHER_KINDS else None


def grade(cited: Iterable[Cited]) -> str:
    """Return the reliability grade (a key of :data:`GRADES`) of a record from what it cites.

    Rule (issue #12), first that applies: ``official-text`` when an official source
    (:data:`OFFICIAL_KINDS`) is cited as carrying the document's text; ``official-report`` when any
    official source is cited; ``independent`` when the sources stand for two or more different
    original publishers (:func:`original_publisher`; reposts count as their original, aggregators
    naming none count for nothing); ``single`` when a source of a publishing kind was read at its
    own publisher; else ``copies-only``."""
    cited = list(cited)
    official = [c for c in cited if c.source.kind in OFFICIAL_KINDS]
    if any(c.ref.carries_text for c in official):
        return "official-text"
    if official:
        return "official-report"
    publishers = {p for c in cited if (p := original_publisher(c.source))}
    if len(publishers) >= 2:
        return "independent"
    if any(c.source.kind in PUBLISHER_KINDS and not c.source.original_publisher for c in cited):
        return "single"
    return "copies-only"


def host_is_vetted(host: str, vetted: Iterable[str]) -> bool:
    """True when ``host`` (lower case, no port) is one of ``vetted`` or a subdomain of one."""
    return any(host == v or host.endswith("." + v) for v in vetted)


# --- Research status of a jurisdiction ----------------------------------------------------------

#: Research statuses, best first: key → (English, Chinese, meaning). Derived, never stored.
RESEARCH_STATUSES = {
    "dedicated-plan": (
        "Dedicated metaverse plan",
        "有元宇宙专项政策",
        "the jurisdiction's own government issued a document about the metaverse (final, not a draft)",
    ),
    "mentioned": (
        "Metaverse mentioned",
        "元宇宙写入工作报告或其他规划",
        "its own government issued a report or plan that mentions the metaverse",
    ),
    "nothing-found": (
        "Nothing found",
        "未发现",
        "no issued document of its own government was found; the searches are listed",
    ),
    "not-researched": ("Not yet researched", "尚未研究", "no searches are recorded yet"),
}


def research_status(own_documents: Iterable[models.Document], coverage: models.Coverage | None) -> str:
    """Return the research status (a key of :data:`RESEARCH_STATUSES`) of a jurisdiction.

    Rule (issue #12): only the jurisdiction's own final issued documents that name the metaverse
    count (not those of the places below it, which pages show beside the status; not drafts,
    meetings or announcements; not XR or VR plans of focus ``related``):
    ``dedicated-plan`` when one is about the metaverse (focus ``dedicated``), ``mentioned`` when one
    mentions it; otherwise ``nothing-found`` when searches are recorded, else ``not-researched``."""
    final = [d for d in own_documents if d.is_metaverse_policy]
    if any(d.focus == "dedicated" for d in final):
        return "dedicated-plan"
    if final:
        return "mentioned"
    return "nothing-found" if coverage is not None and coverage.searches else "not-researched"
