"""The registry of record kinds: the one place that says which kinds of record exist, what each is
called, which model reads it, where its files live under ``data/`` and whether it has pages.

Every module that needs a kind's name, folder, model or page section reads it here (issue 13:
"declared, not inferred"); nothing switches between plural and singular by string surgery.

Shape (agreed before the registry, URL and layout work start; fields may be added, not renamed):

* :attr:`Kind.name`: the plural key and the folder under ``data/`` (``documents``); the key of
  ``Loaded.records``;
* :attr:`Kind.singular`: the word used in ``Correction.kind``, ``Redirect.kind``, ``generator new``
  and report-an-error links (``document``);
* :attr:`Kind.label`: the heading used in reports (``Documents``);
* :attr:`Kind.model`: the pydantic model of one record;
* :attr:`Kind.suffixes`: file suffixes the loader accepts in the folder;
* :attr:`Kind.id_field`: the model field that identifies a record (``id``; ``jurisdiction`` for
  coverage records, which are keyed by their jurisdiction);
* :attr:`Kind.section`: the site folder holding one page per record (``documents`` →
  ``documents/<id>/``), or ``None`` when records of the kind have no page of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import models


@dataclass(frozen=True)
class Kind:
    """One kind of record; see the module docstring for each field."""

    name: str
    singular: str
    label: str
    model: type[models.Record]
    suffixes: tuple[str, ...]
    id_field: str = "id"
    section: str | None = None

    def record_id(self, record: models.Record) -> str:
        """Return the id of ``record`` (a record of this kind): the value of :attr:`id_field`."""
        return getattr(record, self.id_field)


#: Every record kind, in the order reports list them (documents first: what readers come for).
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("documents", "document", "Documents", models.Document, (".yaml",), section="documents"),
        Kind("sources", "source", "Sources", models.Source, (".yaml", ".csv")),
        Kind("jurisdictions", "jurisdiction", "Jurisdictions", models.Jurisdiction, (".csv",), section="jurisdictions"),
        Kind("coverage", "coverage", "Coverage", models.Coverage, (".yaml",), id_field="jurisdiction"),
        Kind("corrections", "correction", "Corrections", models.Correction, (".yaml",)),
        Kind("redirects", "redirect", "Redirects", models.Redirect, (".yaml",)),
    )
}

#: The same kinds keyed by their singular name (``document`` → the documents kind).
BY_SINGULAR: dict[str, Kind] = {kind.singular: kind for kind in KINDS.values()}
