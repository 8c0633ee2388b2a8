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

from . import models, rules
from .dates import edtf_bounds
from .kinds import KINDS
from .loader import Loaded

#: Reliability grades of a record, best first: ``{key: (label, rule)}`` (defined in :mod:`generator.rules`).
RELIABILITY = rules.GRADES


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


#: The as-of day of a dataset built without one (tests, search pairs, ``generator diff``): no
#: target is due yet. A build always passes the real day (:func:`generator.build.read_facts`).
UNDATED = "9999-12-31"


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
    by_kind: dict[str, dict[str, models.Record]] = field(default_factory=dict)
    """Records of every registry kind whose records carry their id (:attr:`generator.kinds.Kind.id_field`),
    by kind name (``documents``) and id, in id order; corrections and redirects are not keyed."""
    as_of: str = UNDATED
    """The data's as-of date (YYYY-MM-DD, :attr:`generator.settings.BuildFacts.data_as_of`): targets
    due before it are past their deadline. The default, :data:`UNDATED`, treats every target as not
    yet due."""

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
        return sorted(self.documents.values(), key=lambda d: (edtf_sort_key(d.date), d.id))

    def documents_by_year(self) -> list[tuple[int | None, list[models.Document]]]:
        """All documents grouped by the first calendar year their date can mean (:func:`edtf_year`),
        years ascending, then ``None``: those without a date or with an open start
        (``../2025``); each group oldest first, as :attr:`documents_by_date`."""
        groups: dict[int | None, list[models.Document]] = {}
        for doc in self.documents_by_date:
            groups.setdefault(edtf_year(doc.date), []).append(doc)
        return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or 0))

    def newest(self, count: int | None = None, undated: bool = False) -> list[models.Document]:
        """The ``count`` most recent dated documents, newest first (all when None); with
        ``undated``, documents without a date follow at the end."""
        dated = [d for d in self.documents_by_date if edtf_month(d.date)][::-1]
        rest = [d for d in self.documents_by_date if not edtf_month(d.date)] if undated else []
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
        """Return the reliability grade (a key of :data:`generator.rules.GRADES`) of a document, or
        of one target when ``refs`` are its citations (:func:`generator.rules.grade`)."""
        cited = refs if refs is not None else doc.sources
        return rules.grade(rules.Cited(self.sources[r.source], r) for r in cited)

    def status(self, row: TargetRow) -> str:
        """Return a target's status on the data's as-of date (:func:`generator.rules.target_status`)."""
        return rules.target_status(row.target, self.as_of)

    @cached_property
    def counted_rows(self) -> list[TargetRow]:
        """The target rows that default totals count (:func:`generator.rules.is_counted`)."""
        return [r for r in self.target_rows if rules.is_counted(r.target, r.document)]

    def status_counts(self, rows: list[TargetRow]) -> dict[str, int]:
        """Count ``rows`` by status (:func:`generator.rules.status_counts`: every status, and ``due``)."""
        return rules.status_counts(self.status(r) for r in rows)

    def research_status(self, jid: str) -> str:
        """Return the research status of a jurisdiction (:func:`generator.rules.research_status`),
        from its own documents only."""
        return rules.research_status(self.documents_by_jurisdiction.get(jid, []), self.coverage.get(jid))

    def documents_below(self, jid: str) -> list[models.Document]:
        """Final issued documents of the places below ``jid`` (not its own), oldest first."""
        below = set(self.descendants(jid))
        return [d for d in self.documents_by_date if d.jurisdiction in below and d.is_final]

    def document_count(self, jid: str, issued_only: bool = True) -> int:
        """Number of documents of ``jid`` and everything below it: with ``issued_only``, issued
        documents in final form (:attr:`generator.models.Document.is_final`, the meaning of
        "documents" in every count on the site); else every record, drafts and meetings included."""
        return self._counts[jid][0 if issued_only else 1]

    @cached_property
    def _counts(self) -> dict[str, tuple[int, int]]:
        out = {}
        for jid in self.jurisdictions:
            docs = [d for i in (jid, *self.descendants(jid)) for d in self.documents_by_jurisdiction.get(i, [])]
            out[jid] = (sum(1 for d in docs if d.is_final), len(docs))
        return out


def _group(items, key) -> dict:
    """Group ``items`` by ``key(item)`` into lists, keeping their order."""
    out: dict = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return dict(out)


def document_source_ids(doc: models.Document) -> list[str]:
    """Every source id a document cites, in its own list, its targets, outcomes and disputes."""
    ids = [r.source for r in doc.sources]
    for t in doc.targets:
        ids += [r.source for r in t.sources]
        ids += [r.source for r in (t.outcome.sources if t.outcome else [])]
    for d in doc.disputes:
        ids += [s for v in d.values for s in v.sources]
    return list(dict.fromkeys(ids))


def build_dataset(loaded: Loaded, data_dir: Path | None = None, as_of: str = UNDATED) -> Dataset:
    """Index the records of a validated :class:`~generator.loader.Loaded` (must have no problems);
    ``data_dir`` makes record file paths relative (``data/documents/...``); ``as_of`` (YYYY-MM-DD)
    is the data's as-of date that target statuses are judged on."""
    recs = {kind: sorted((loc.record for loc in locs), key=_record_key) for kind, locs in loaded.records.items()}
    ds = Dataset(
        jurisdictions={j.id: j for j in recs["jurisdictions"]},
        sources={s.id: s for s in recs["sources"]},
        documents={d.id: d for d in recs["documents"]},
        coverage={c.jurisdiction: c for c in recs["coverage"]},
        corrections=sorted(recs["corrections"], key=lambda c: (c.date, c.kind, c.record, c.field), reverse=True),
        redirects=sorted(recs["redirects"], key=lambda r: (r.kind, r.old)),
        vocab=loaded.vocab,
        as_of=as_of,
    )
    children: dict[str, list[str]] = defaultdict(list)
    for j in ds.jurisdictions.values():
        if j.parent:
            children[j.parent].append(j.id)
    ds.children = {k: sorted(v) for k, v in children.items()}
    root = str(data_dir.resolve()) if data_dir is not None else None
    for kind in KINDS.values():
        if kind.id_field not in kind.model.model_fields:
            continue
        ds.by_kind[kind.name] = {kind.record_id(r): r for r in recs[kind.name]}
        for loc in loaded.records[kind.name]:
            ds.paths[(kind.name, kind.record_id(loc.record))] = _relative(loc.path, root)
    return ds


def _relative(path: str, root: str | None) -> str:
    """``path`` relative to the resolved data folder ``root`` (POSIX), or unchanged outside it."""
    if root is None:
        return path
    full = os.path.realpath(path)
    return full[len(root) + 1 :].replace(os.sep, "/") if full.startswith(root + os.sep) else path


def _record_key(record) -> str:
    for attr in ("id", "jurisdiction", "old"):
        if getattr(record, attr, None):
            return getattr(record, attr)
    return f"{record.date}-{record.record}"
