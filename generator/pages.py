"""Render stage: turn the :class:`~generator.dataset.Dataset` into Markdown pages (in memory).

:func:`render_pages` returns ``{content-relative path: text}``; nothing here touches the disk.
Page paths and URLs come from :mod:`generator.locations`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from . import escape, locations, models, rules
from .charts import TARGET_CHART_JURISDICTIONS, Chart
from .citations import document_citation, document_record_citation, jurisdiction_citation, report_error_url
from .dataset import RELIABILITY, Dataset, TargetRow, document_source_ids, edtf_year
from .dates import edtf_bounds, human_date
from .downloads import PANDAS_DTYPES, table_columns
from .history import History
from .kinds import BY_SINGULAR, KINDS, TABLES, Kind
from .render import Safe, human_amount, render
from .search import document_title
from .settings import BuildFacts


def doc_page(doc_id: str) -> str:
    """Return the content path of a document's page (:func:`generator.locations.record_page`)."""
    return locations.record_page("documents", doc_id)


def jur_page(jid: str) -> str:
    """Return the content path of a jurisdiction's page (:func:`generator.locations.record_page`)."""
    return locations.record_page("jurisdictions", jid)


@dataclass(frozen=True)
class Linker(locations.Page):
    """Links from one page (:attr:`path`, a content path) to others: Markdown links to ``.md``
    files (checked by the strict build) and root-relative prefixes (:attr:`root`) for raw HTML
    and chart files; URLs and paths come from :class:`generator.locations.Page`."""

    ds: Dataset

    def to(self, page: str) -> str:
        """Relative path from this page's file to another page's file, for Markdown links."""
        return self.link_to(page)

    def jur(self, jid: str, short: bool = False) -> Safe:
        """Markdown link to a jurisdiction, labelled with its Chinese and English names."""
        j = self.ds.jurisdictions[jid]
        label = escape.md(j.name_zh) if short else f"{escape.md(j.name_zh)} {escape.md(j.name_en)}"
        return Safe(f"[{label}]({self.to(jur_page(jid))})")

    def doc(self, doc_id: str) -> Safe:
        """Markdown link to a document, labelled with its original and English titles."""
        d = self.ds.documents[doc_id]
        return Safe(f"[{escape.md(d.title.original)}]({self.to(doc_page(doc_id))})")

    def term(self, vocab: str, term_id: str) -> Safe:
        """A vocabulary term as ``中文 English``."""
        t = self.ds.term(vocab, term_id)
        return Safe(f"{escape.md(t.zh)} {escape.md(t.en)}")

    def research(self, jid: str) -> Safe:
        """A jurisdiction's research status as ``中文 English`` (:data:`generator.rules.RESEARCH_STATUSES`)."""
        en, zh, _ = rules.RESEARCH_STATUSES[self.ds.research_status(jid)]
        return Safe(f"{escape.md(zh)} {escape.md(en)}")

    def scope(self, scope: str) -> Safe:
        """A target scope as its English label (``vocab/scopes.yaml``)."""
        return Safe(escape.md(self.ds.term("scopes", scope).en))

    def counted(self, row: TargetRow) -> Safe:
        """``yes``, or why the target is left out of default totals (:data:`generator.rules.EXCLUSIONS`)."""
        why = rules.exclusion(row.target, row.document)
        return Safe("yes" if why is None else "no: " + escape.md(rules.EXCLUSIONS[why][0]))

    def grade(self, key: str) -> Safe:
        """A reliability grade as its label, linked to its rule on the methodology page."""
        return Safe(f"[{escape.md(rules.GRADES[key][0])}]({self.to('methodology.md')}#grade-{key})")

    def official(self, doc: models.Document) -> Safe:
        """Links to the official pages (:data:`generator.rules.OFFICIAL_KINDS`) a document cites,
        text first, or ``""`` when it cites none."""
        refs = sorted(
            (r for r in doc.sources if self.ds.sources[r.source].kind in rules.OFFICIAL_KINDS),
            key=lambda r: not r.carries_text,
        )
        links = []
        for r in refs:
            src = self.ds.sources[r.source]
            what = "text" if r.carries_text else "report"
            links.append(
                f'<a href="{escape.url(src.url)}" rel="noopener">{escape.html_text(src.publisher)}</a> ({what})'
            )
        return Safe("; ".join(links))

    def status(self, row: TargetRow) -> Safe:
        """A target's status as an English label with its Chinese (:data:`generator.rules.TARGET_STATUSES`)."""
        en, zh, _ = rules.TARGET_STATUSES[self.ds.status(row)]
        return Safe(f"{escape.md(en)} {escape.md(zh)}")


#: Signs for qualifiers before a readable figure (``≥ CNY 350 billion``).
QUALIFIER_SIGNS = {"at-least": "≥ ", "at-most": "≤ ", "approximately": "≈ ", "order-of-magnitude": "~ "}


def normalized_text(row: TargetRow, ds: Dataset) -> str:
    """Return the normalized value of a target, readable, with its qualifier: ``≥ CNY 350 billion``,
    ``3 – 5`` (a range of counts), ``≈ 50%`` (:func:`generator.render.human_amount`)."""
    t = row.target
    unit = ds.term("units", t.unit).base_unit
    if t.qualifier == "range":
        low, high = human_amount(t.normalized_low, unit), human_amount(t.normalized_high, unit)
        return f"{low} – {high}"
    return QUALIFIER_SIGNS.get(t.qualifier, "") + human_amount(t.normalized, unit)


def figure_text(row: TargetRow, ds: Dataset) -> str:
    """Return a target's figure as stated and, readable, as normalized: ``3500亿元 · CNY 350 billion``
    (the normalized part left out when it reads the same)."""
    normalized = normalized_text(row, ds)
    stated = row.target.as_stated
    return stated if normalized.replace(" ", "") in stated.replace(" ", "") else f"{stated} · {normalized}"


_COMPARE = {
    "industry": ("industry-scale",),
    "core": ("core-industry-scale",),
    "enterprises": ("leading-enterprises", "enterprises", "specialized-enterprises", "listed-enterprises"),
    "scenarios": ("demonstration-scenarios",),
    "fund": ("fund-size",),
}


def _largest(rows: list[TargetRow], metrics: tuple[str, ...], link: Linker) -> Safe:
    """The largest normalized target among ``metrics`` in ``rows`` (counted rows: the caller
    applies the counting rule) as a Markdown link to its document, or ``""``."""
    best = None
    for row in rows:
        t = row.target
        value = t.normalized if t.normalized is not None else t.normalized_high
        if t.metric in metrics and value is not None and (best is None or value > best[0]):
            best = (value, row)
    if best is None:
        return Safe("")
    value, row = best
    unit = link.ds.term("units", row.target.unit).base_unit
    return Safe(
        f"[{escape.md(human_amount(value, unit))}]({link.to(doc_page(row.document.id))}) "
        f"({escape.md(row.target.deadline)})"
    )


def compare_rows(ds: Dataset, link: Linker) -> list[dict]:
    """One row per jurisdiction with documents: its research status, its final issued documents
    (drafts, meetings left out), the largest counted target of each standard kind (its own
    documents only; :attr:`Dataset.counted_rows`) and the latest deadline of those."""
    by_jur: dict[str, list[TargetRow]] = {}
    for row in ds.counted_rows:
        by_jur.setdefault(row.document.jurisdiction, []).append(row)
    out = []
    for jid, all_docs in sorted(ds.documents_by_jurisdiction.items()):
        docs = [d for d in all_docs if d.is_final]
        rows = by_jur.get(jid, [])
        deadlines = sorted((r.target.deadline for r in rows), key=lambda d: edtf_bounds(d)[1])
        out.append(
            {
                "id": jid,
                "level": ds.jurisdictions[jid].level,
                "documents": len(docs),
                "status": ds.research_status(jid),
                "dedicated": sum(d.focus == "dedicated" for d in docs),
                "deadline": deadlines[-1] if deadlines else "",
                **{key: _largest(rows, metrics, link) for key, metrics in _COMPARE.items()},
            }
        )
    return out


def dataset_jsonld(ds: Dataset, facts: BuildFacts) -> dict:
    """schema.org ``Dataset`` description of the atlas for the data page (Google Dataset Search)."""
    base = facts.settings.url()
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Metaverse Policy Atlas",
        "description": (
            "Government metaverse policy documents, quantified targets, jurisdictions and the sources read for them, "
            "in Chinese and English."
        ),
        "url": base + "data/",
        "version": facts.version,
        "dateModified": facts.data_as_of,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "inLanguage": ["zh", "en"],
        "creator": {"@type": "Organization", "name": "Metaverse Policy Atlas contributors"},
        "keywords": ["metaverse", "元宇宙", "industrial policy", "government work report", "action plan"],
        "variableMeasured": ["industry scale target", "enterprise targets", "deadline", "document kind"],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": fmt, "contentUrl": f"{base}data/{name}.{ext}"}
            for name in TABLES
            for ext, fmt in (("csv", "text/csv"), ("json", "application/json"))
        ],
    }


def headline_figures(ds: Dataset) -> dict:
    """Headline counts, each under the one rule of :mod:`generator.rules`:

    ``jurisdictions`` with a metaverse policy document of their own (final and naming the
    metaverse: :attr:`generator.models.Document.is_metaverse_policy`, what the adoption charts and
    research status count); ``issued`` final issued documents; ``related`` those of them that are
    XR or VR plans not naming the metaverse; ``drafts`` issued-kind documents not in final form;
    ``meetings`` meetings, events and announcements; ``targets`` counted targets
    (:attr:`Dataset.counted_rows`); ``other_targets`` the rest (other scopes, drafts, subsidy
    ceilings); ``status`` the counted targets by status (:func:`generator.rules.status_counts`);
    ``provinces_covered`` provincial-level divisions with a coverage record; ``due_year`` the last
    calendar year whose targets are all due."""
    final = [d for d in ds.documents.values() if d.is_final]
    issued_kind = [d for d in ds.documents.values() if d.is_issued]
    return {
        "jurisdictions": len({d.jurisdiction for d in final if d.is_metaverse_policy}),
        "issued": len(final),
        "related": sum(1 for d in final if not d.names_metaverse),
        "drafts": len(issued_kind) - len(final),
        "meetings": len(ds.documents) - len(issued_kind),
        "targets": len(ds.counted_rows),
        "other_targets": len(ds.target_rows) - len(ds.counted_rows),
        "status": ds.status_counts(ds.counted_rows),
        "provinces_covered": sum(1 for c in ds.coverage if ds.jurisdictions[c].level == "provincial-level"),
        "due_year": int(ds.as_of[:4]) - 1,
    }


#: Years of the work-report census on the Coverage page (issue #15).
CENSUS_YEARS = (2022, 2023, 2024, 2025, 2026)

#: Labels of a work-report census cell: finding → (label, CSS modifier).
CENSUS_LABELS = {
    "mentions": ("mentions 元宇宙", "yes"),
    "no-mention": ("no mention", "no"),
    "not-read": ("not read", "unread"),
    None: ("not yet checked", "none"),
}


def work_report_census(ds: Dataset, jid: str) -> dict[int, tuple[str | None, str | None]]:
    """What each census year's government work report of ``jid`` says, by year of
    :data:`CENSUS_YEARS`: ``(finding, document id)`` where finding is ``mentions`` (a work-report
    document of that year is recorded), ``no-mention`` or ``not-read`` (a coverage entry), or
    None (not yet checked)."""
    out: dict[int, tuple[str | None, str | None]] = dict.fromkeys(CENSUS_YEARS, (None, None))
    for doc in ds.documents_by_jurisdiction.get(jid, []):
        year = edtf_year(doc.date)
        if doc.kind == "government-work-report" and year in out:
            out[year] = ("mentions", doc.id)
    cov = ds.coverage.get(jid)
    for entry in cov.work_reports if cov else []:
        if entry.year in out and out[entry.year][0] is None:
            out[entry.year] = (entry.finding, None)
    return out


def grade_counts(ds: Dataset) -> dict[str, int]:
    """Issued documents in final form by reliability grade (every key of :data:`generator.rules.GRADES`)."""
    counts = dict.fromkeys(rules.GRADES, 0)
    for doc in ds.documents.values():
        if doc.is_final:
            counts[ds.reliability(doc)] += 1
    return counts


def outcome_counts(ds: Dataset) -> dict[str, int]:
    """Count the targets that default totals count (:attr:`Dataset.counted_rows`) by status on the
    data's as-of date: every key of :data:`generator.rules.TARGET_STATUSES`, and ``due``."""
    return ds.status_counts(ds.counted_rows)


#: What a changed file is called in the changelog, by its folder under ``data/`` (the registry's
#: :attr:`~generator.kinds.Kind.changelog`, and the vocabularies); files of other folders are not listed.
_CHANGELOG = {**{kind.name: kind.changelog for kind in KINDS.values() if kind.changelog}, "vocab": "vocabulary"}


def changelog_entries(ds: Dataset, history: History) -> list[dict]:
    """Changes of records, newest commit first (a commit's changes in the order of kind and id),
    with a label and the page to link when it exists.

    Each entry: ``day``, ``time``, ``commit``, ``action``, ``subject``, ``path``, ``kind``
    (singular label of the record kind), ``record`` (id), ``label`` (document title with its
    jurisdiction's Chinese name when the title lacks it, jurisdiction name, record id, or a
    vocabulary's file name), ``page`` (content path or None), ``url``.
    """
    entries = []
    # newest commit first; within a commit, records in the order of their kind and id
    commits = {c.commit: i for i, c in enumerate(history.changes)}
    for change in sorted(history.changes, key=lambda c: -commits[c.commit]):
        if change.kind not in _CHANGELOG:
            continue
        # a record by its id; a vocabulary or other file by its name
        rid, page = change.record, None
        label = rid if change.kind in KINDS else PurePosixPath(change.path).name
        if change.kind == "documents" and rid in ds.documents:
            doc = ds.documents[rid]
            place = ds.jurisdictions[doc.jurisdiction].name_zh
            # "政府工作报告" alone does not say whose: the place is added when the title lacks it
            title = doc.title.original if place in doc.title.original else f"{doc.title.original}（{place}）"
            page, label = doc_page(rid), title
        elif change.kind in ("coverage", "jurisdictions") and rid in ds.jurisdictions:
            page, label = jur_page(rid), f"{ds.jurisdictions[rid].name_en} ({rid})"
        elif change.kind == "jurisdictions":
            label = rid
        entries.append(
            {
                **change.__dict__,
                "kind": _CHANGELOG[change.kind],
                "label": label,
                "page": page,
                "url": locations.site_url(page) if page else "",
            }
        )
    return entries


def render_pages(
    ds: Dataset,
    charts: dict[str, Chart],
    handwritten: dict[str, str],
    facts: BuildFacts,
    history: History | None = None,
    figures: dict | None = None,
) -> dict[str, str]:
    """Render every page.

    Args:
        ds: the dataset.
        charts: charts by name (see :mod:`generator.charts`).
        handwritten: hand-written Markdown pages from ``pages/`` by file name (copied as they are,
            except ``home.md``, which is included in the generated home page).
        facts: what the build knows (:class:`generator.settings.BuildFacts`: version, as-of day,
            settings); templates read it as ``facts``.
        history: the records' git history (:mod:`generator.history`); None means unavailable.
        figures: the headline counts of the home page (:func:`headline_figures`); None: computed here.

    Returns:
        ``{content-relative path: Markdown text}``.
    """
    pages: dict[str, str] = {}
    history = history or History([], False)
    changelog = changelog_entries(ds, history)
    common = {
        "history": history,
        "ds": ds,
        "facts": facts,
        "RELIABILITY": RELIABILITY,
        "human_date": human_date,
        "normalized_text": normalized_text,
        "figure_text": figure_text,
        "doc_page": doc_page,
        "edtf_year": edtf_year,
        "charts": charts,
        "figures": headline_figures(ds) if figures is None else figures,
        "source_ids": document_source_ids,
        "document_title": document_title,
        "counting_rule": rules.COUNTING_RULE,
        "target_statuses": rules.TARGET_STATUSES,
        "due_statuses": rules.DUE_STATUSES,
        "grades": rules.GRADES,
        "counted_keys": {r.key for r in ds.counted_rows},
    }
    common["own_grades"] = lambda docs: sorted(
        Counter(ds.reliability(d) for d in docs).items(), key=lambda kv: list(rules.GRADES).index(kv[0])
    )
    for name, text in handwritten.items():
        if name != "home.md":
            pages[name] = text
    listing = {
        locations.HOME: ("home.md.j2", {"home_text": handwritten.get("home.md", "")}),
        locations.TARGETS: (
            "targets.md.j2",
            {"outcome_counts": outcome_counts(ds), "target_chart_limit": TARGET_CHART_JURISDICTIONS},
        ),
        locations.TIMELINE: ("timeline.md.j2", {}),
        locations.COVERAGE: (
            "coverage.md.j2",
            {
                "census": {j: work_report_census(ds, j) for j in ds.jurisdictions},
                "census_years": CENSUS_YEARS,
                "census_labels": CENSUS_LABELS,
                "grade_counts": grade_counts(ds),
            },
        ),
        locations.SOURCES: ("sources.md.j2", {}),
        locations.DATA: ("data.md.j2", {"jsonld": escape.json_html(dataset_jsonld(ds, facts))}),
        locations.CHANGELOG: ("changelog.md.j2", {"changelog": changelog}),
        locations.CORRECTIONS: ("corrections.md.j2", {}),
        locations.CODEBOOK: (
            "codebook.md.j2",
            {"codebook": table_columns(ds), "pandas_dtypes_repr": repr(PANDAS_DTYPES)},
        ),
        locations.MAP: ("map.md.j2", {}),
        locations.THEMES: (
            "themes.md.j2",
            {"theme_counts": Counter(t for d in ds.documents.values() for t in d.themes)},
        ),
        locations.COMPARE: ("compare.md.j2", {"compare_rows": compare_rows(ds, Linker(locations.COMPARE, ds))}),
    }
    for kind in KINDS.values():
        if kind.section:  # the section's listing page: documents/index.md from documents.md.j2
            listing[locations.section_index(kind.name)] = (f"{kind.name}.md.j2", {})
    for page, (template, extra) in listing.items():
        pages[page] = render(template, link=Linker(page, ds), **common, **extra)
    for r in ds.redirects:
        kind = BY_SINGULAR[r.kind].name
        pages[locations.redirect_page(kind, r.old)] = render(
            "redirect.html.j2",
            new=r.new,
            target=locations.redirect_target(kind, r.new),
            canonical=facts.settings.url(locations.record_url(kind, r.new)),
        )
    feed = [e for e in changelog if e["kind"] == KINDS["documents"].changelog and e["page"]][:50]
    pages[locations.FEED] = render(
        "feed.xml.j2", facts=facts, entries=feed, updated=feed[0]["time"] if feed else f"{facts.data_as_of}T00:00:00Z"
    )
    for kind in KINDS.values():
        if not kind.section:
            continue
        for rid, item in ds.by_kind[kind.name].items():
            page = locations.record_page(kind.name, rid)
            link = Linker(page, ds)
            record = _record_links(link, kind.name, rid, ds, facts)
            context = _PAGE_CONTEXT.get(kind.name, _default_context)(kind, item, record, ds, facts)
            pages[page] = render(f"{kind.singular}.md.j2", link=link, record=record, **context, **common)
    return pages


def _default_context(kind: Kind, item: models.Record, record: dict, ds: Dataset, facts: BuildFacts) -> dict:
    """Template variables of a record page of a kind without its own: the record under the kind's
    singular name (``event``), and no citation."""
    return {kind.singular: item, "citations": []}


def _jurisdiction_context(kind: Kind, j: models.Jurisdiction, record: dict, ds: Dataset, facts: BuildFacts) -> dict:
    return {"j": j, "citations": [("record", "This atlas page", jurisdiction_citation(j, record["permalink"], facts))]}


def _document_context(kind: Kind, doc: models.Document, record: dict, ds: Dataset, facts: BuildFacts) -> dict:
    citations = [
        ("document", "The document", document_citation(doc, ds.sources, ds.term("document_kinds", doc.kind).en)),
        ("record", "This atlas record", document_record_citation(doc, record["permalink"], facts)),
    ]
    return {"doc": doc, "citations": citations}


#: Template variables of the record pages of a kind (rendered from ``<singular>.md.j2``) beyond the
#: common ones, by kind name; a kind not listed gets :func:`_default_context`.
_PAGE_CONTEXT = {"jurisdictions": _jurisdiction_context, "documents": _document_context}


def _record_links(link: Linker, kind: str, rid: str, ds: Dataset, facts: BuildFacts) -> dict:
    """Permalink, JSON download and report-an-error URL of a record page."""
    permalink = facts.settings.url(link.url)
    repository = facts.settings.repository
    report = None
    if repository:
        report = report_error_url(
            repository, KINDS[kind].singular, rid, "data/" + ds.paths.get((kind, rid), ""), permalink
        )
    return {"permalink": permalink, "json": link.root + locations.record_json(kind, rid), "report": report}
