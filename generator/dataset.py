"""Transform stage: index validated records for the pages, charts and downloads.

:class:`Dataset` is immutable after :func:`build_dataset`; the render stage reads it and never
touches the disk.
"""

from __future__ import annotations

import math
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import models
from .checks import NOT_ISSUED, document_date
from .dates import edtf_bounds
from .loader import Loaded

#: Reliability grades of a record, from its sources (issue #2): the label and its explanation.
RELIABILITY = {
    "independent": ("Two or more independent sources", "at least two sources whose original publishers differ"),
    "single": ("One source", "one original publisher"),
    "conflicting": ("Conflicting sources", "sources disagree on a date or figure; both values are kept"),
    "reposts-only": ("Reposts only", "only reposts of another publisher's text were found"),
}


def edtf_sort_key(value: str | None) -> tuple:
    """Return a sort key for an EDTF string: earliest possible moment, then latest; None sorts last."""
    if not value:
        return (float("inf"), float("inf"))
    return edtf_bounds(value)


def edtf_year(value: str | None) -> int | None:
    """Return the first calendar year an EDTF string can mean, or None."""
    lower = edtf_bounds(value)[0] if value else float("-inf")
    return time.gmtime(lower).tm_year if math.isfinite(lower) else None


def edtf_month(value: str | None) -> str | None:
    """Return ``YYYY-MM`` of the earliest moment an EDTF string can mean (UTC), or None."""
    lower = edtf_bounds(value)[0] if value else float("-inf")
    if not math.isfinite(lower):
        return None
    moment = time.gmtime(lower)
    return f"{moment.tm_year:04d}-{moment.tm_mon:02d}"


@dataclass(frozen=True)
class TargetRow:
    """A target with its document, for tables and charts."""

    target: models.Target
    document: models.Document

    @property
    def key(self) -> str:
        """Globally unique key ``<document-id>--<target-id>``."""
        return f"{self.document.id}--{self.target.id}"


@dataclass
class Dataset:
    """Validated records indexed for rendering.

    Attributes:
        jurisdictions, sources, documents: records by id, in id order.
        coverage: coverage records by jurisdiction id.
        vocab: vocabularies, ``{name: {term id: Term}}``.
    """

    jurisdictions: dict[str, models.Jurisdiction]
    sources: dict[str, models.Source]
    documents: dict[str, models.Document]
    coverage: dict[str, models.Coverage]
    corrections: list[models.Correction]
    redirects: list[models.Redirect]
    vocab: dict[str, dict[str, models.Term]]
    children: dict[str, list[str]] = field(default_factory=dict)
    paths: dict[tuple[str, str], str] = field(default_factory=dict)
    """File of each record relative to the data folder (``documents/cn-east/x.yaml``), by ``(kind, id)``."""

    def term(self, vocab: str, term_id: str) -> models.Term:
        """Return a vocabulary term (validated to exist)."""
        return self.vocab[vocab][term_id]

    def ancestors(self, jid: str) -> list[models.Jurisdiction]:
        """Return the chain from the country (or union) down to ``jid``'s parent."""
        chain = []
        parent = self.jurisdictions[jid].parent
        while parent:
            chain.append(self.jurisdictions[parent])
            parent = self.jurisdictions[parent].parent
        return chain[::-1]

    def descendants(self, jid: str) -> list[str]:
        """Return the ids of every jurisdiction below ``jid``, depth first, in id order."""
        return self._descendants.get(jid, [])

    @cached_property
    def _descendants(self) -> dict[str, list[str]]:
        """Descendants of every jurisdiction, computed once bottom-up (pages ask for them often)."""
        out: dict[str, list[str]] = {}

        def walk(jid: str) -> list[str]:
            if jid not in out:
                found = []
                for child in self.children.get(jid, []):
                    found.append(child)
                    found.extend(walk(child))
                out[jid] = found
            return out[jid]

        for jid in self.jurisdictions:
            walk(jid)
        return out

    def province_of(self, jid: str) -> models.Jurisdiction | None:
        """Return the provincial-level division ``jid`` lies in (itself when it is one), or None."""
        for j in [*self.ancestors(jid), self.jurisdictions[jid]]:
            if j.level == "provincial-level":
                return j
        return None

    @cached_property
    def documents_by_jurisdiction(self) -> dict[str, list[models.Document]]:
        """Documents of each jurisdiction (its own, not its children's), oldest first."""
        out: dict[str, list[models.Document]] = defaultdict(list)
        for doc in self.documents_by_date:
            out[doc.jurisdiction].append(doc)
        return dict(out)

    @cached_property
    def documents_by_date(self) -> list[models.Document]:
        """All documents, oldest first (by issued, else announced, date; then id)."""
        return sorted(self.documents.values(), key=lambda d: (edtf_sort_key(document_date(d)), d.id))

    def newest(self, count: int | None = None, undated: bool = False) -> list[models.Document]:
        """The ``count`` most recent dated documents, newest first (all when None); with
        ``undated``, documents without a date follow at the end."""
        dated = [d for d in self.documents_by_date if edtf_month(document_date(d))][::-1]
        rest = [d for d in self.documents_by_date if not edtf_month(document_date(d))] if undated else []
        return (dated + rest)[:count] if count else dated + rest

    @cached_property
    def target_rows(self) -> list[TargetRow]:
        """Every target with its document, by jurisdiction, deadline and key."""
        rows = [TargetRow(t, d) for d in self.documents.values() for t in d.targets]
        return sorted(rows, key=lambda r: (r.document.jurisdiction, edtf_sort_key(r.target.deadline), r.key))

    @cached_property
    def cited_by(self) -> dict[str, list[str]]:
        """Document ids citing each source id."""
        out: dict[str, set[str]] = defaultdict(set)
        for doc in self.documents.values():
            for sid in document_source_ids(doc):
                out[sid].add(doc.id)
        return {sid: sorted(ids) for sid, ids in out.items()}

    def related_from(self, doc_id: str) -> list[tuple[str, models.Relation]]:
        """Relations pointing at ``doc_id`` from other documents: ``(from id, relation)``."""
        return self._incoming.get(doc_id, [])

    @cached_property
    def _incoming(self) -> dict[str, list[tuple[str, models.Relation]]]:
        pairs = [(d.id, r) for d in self.documents.values() for r in d.relations]
        return _group(pairs, lambda pair: pair[1].document)

    @cached_property
    def targets_by_document(self) -> dict[str, list[TargetRow]]:
        """Target rows of each document, in :attr:`target_rows` order."""
        return _group(self.target_rows, lambda row: row.document.id)

    @cached_property
    def targets_by_jurisdiction(self) -> dict[str, list[TargetRow]]:
        """Target rows of each jurisdiction's own documents (never its children's)."""
        return _group(self.target_rows, lambda row: row.document.jurisdiction)

    def reliability(self, doc: models.Document, refs: list[models.SourceRef] | None = None) -> str:
        """Return the reliability grade (a key of :data:`RELIABILITY`) of a document or target.

        Rule (issue #2): ``conflicting`` when the document records a dispute; else ``independent``
        when the cited sources have two or more distinct original publishers (a repost counts as
        its original publisher, so reposts of one story count once); else ``reposts-only`` when
        every cited source is a repost; else ``single``.
        """
        if doc.disputes:
            return "conflicting"
        cited = [self.sources[r.source] for r in (refs if refs is not None else doc.sources)]
        publishers = {(s.original_publisher or s.publisher).casefold() for s in cited}
        if len(publishers) >= 2:
            return "independent"
        return "reposts-only" if all(s.kind == "repost" for s in cited) else "single"

    def document_count(self, jid: str, issued_only: bool = True) -> int:
        """Number of documents of ``jid`` and everything below it (meetings left out when ``issued_only``)."""
        return self._counts[jid][0 if issued_only else 1]

    @cached_property
    def _counts(self) -> dict[str, tuple[int, int]]:
        out = {}
        for jid in self.jurisdictions:
            docs = [d for i in (jid, *self.descendants(jid)) for d in self.documents_by_jurisdiction.get(i, [])]
            out[jid] = (sum(1 for d in docs if is_issued_document(d)), len(docs))
        return out


def _group(items, key) -> dict:
    """Group ``items`` by ``key(item)`` into lists, keeping their order."""
    out: dict = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return dict(out)


def is_issued_document(doc: models.Document) -> bool:
    """True for issued documents (plans, measures, reports); False for meetings and announcements."""
    return doc.kind not in NOT_ISSUED


def document_source_ids(doc: models.Document) -> list[str]:
    """Every source id a document cites, in its own list, its targets, outcomes and disputes."""
    ids = [r.source for r in doc.sources]
    for t in doc.targets:
        ids += [r.source for r in t.sources]
        ids += [r.source for r in (t.outcome.sources if t.outcome else [])]
    for d in doc.disputes:
        ids += [s for v in d.values for s in v.sources]
    return list(dict.fromkeys(ids))


def build_dataset(loaded: Loaded, data_dir: Path | None = None) -> Dataset:
    """Index the records of a validated :class:`~generator.loader.Loaded` (must have no problems);
    ``data_dir`` makes record file paths relative (``data/documents/...``)."""
    recs = {kind: sorted((loc.record for loc in locs), key=_record_key) for kind, locs in loaded.records.items()}
    ds = Dataset(
        jurisdictions={j.id: j for j in recs["jurisdictions"]},
        sources={s.id: s for s in recs["sources"]},
        documents={d.id: d for d in recs["documents"]},
        coverage={c.jurisdiction: c for c in recs["coverage"]},
        corrections=sorted(recs["corrections"], key=lambda c: (c.date, c.kind, c.record, c.field), reverse=True),
        redirects=sorted(recs["redirects"], key=lambda r: (r.kind, r.old)),
        vocab=loaded.vocab,
    )
    children: dict[str, list[str]] = defaultdict(list)
    for j in ds.jurisdictions.values():
        if j.parent:
            children[j.parent].append(j.id)
    ds.children = {k: sorted(v) for k, v in children.items()}
    root = str(data_dir.resolve()) if data_dir is not None else None
    for kind in ("jurisdictions", "sources", "documents"):
        for loc in loaded.records[kind]:
            ds.paths[(kind, loc.record.id)] = _relative(loc.path, root)
    return ds


def _relative(path: str, root: str | None) -> str:
    """``path`` relative to the resolved data folder ``root`` (POSIX), or unchanged outside it."""
    if root is None:
        return path
    full = os.path.realpath(path)
    return full[len(root) + 1:].replace(os.sep, "/") if full.startswith(root + os.sep) else path


def _record_key(record) -> str:
    for attr in ("id", "jurisdiction", "old"):
        if getattr(record, attr, None):
            return getattr(record, attr)
    return f"{record.date}-{record.record}"
