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

Added by the registry work (issue 13, point 1), read by :mod:`generator.diff`,
:mod:`generator.pages`, :mod:`generator.downloads` and :mod:`generator.reference`:

* :attr:`Kind.listings`: site URLs of the listing pages that show or count records of the kind
  (``""`` is the home page), checked against rendered pages by ``tests/test_affected_pages.py``;
  the first is where a record without a page of its own is shown;
* :attr:`Kind.shown_on`: reference fields (marked :class:`~generator.models.Ref`, directly or in a
  nested model) whose record's page shows this record too (a document is listed on its
  jurisdiction's page and named on the pages of the documents it relates to);
* :attr:`Kind.shows`: kinds whose records this kind's pages show when a record refers to them (a
  document's page shows the sources it cites);
* :attr:`Kind.json_schema`: whether a JSON Schema file (``schema/<singular>.schema.json``) is
  exported for editors and the downloads;
* :attr:`Kind.changelog`: what a changed record of the kind is called in the changelog
  (``jurisdiction``; history is kept per record, a CSV row included: :mod:`generator.history`),
  or ``None`` when its changes are not listed.

Which fields take a vocabulary term or refer to another record is declared on the models
(:class:`~generator.models.Vocab`, :class:`~generator.models.Ref`); :func:`references` reads the
references of one record with the kinds resolved here.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    listings: tuple[str, ...] = ()
    shown_on: tuple[str, ...] = ()
    shows: tuple[str, ...] = ()
    json_schema: bool = False
    changelog: str | None = None

    def record_id(self, record: models.Record) -> str:
        """Return the id of ``record`` (a record of this kind): the value of :attr:`id_field`."""
        return getattr(record, self.id_field)


#: Every record kind, in the order reports list them (documents first: what readers come for).
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "documents",
            "document",
            "Documents",
            models.Document,
            (".yaml",),
            section="documents",
            listings=(
                "documents/",
                "",
                "jurisdictions/",
                "targets/",
                "timeline/",
                "themes/",
                "compare/",
                "map/",
                "coverage/",
                "sources/",
                "codebook/",
                "data/",
            ),
            shown_on=("jurisdiction", "relations"),
            shows=("sources", "documents"),
            json_schema=True,
            changelog="document",
        ),
        Kind(
            "sources",
            "source",
            "Sources",
            models.Source,
            (".yaml", ".csv"),
            listings=("sources/", "codebook/", "data/"),
            json_schema=True,
            changelog="source",
        ),
        Kind(
            "jurisdictions",
            "jurisdiction",
            "Jurisdictions",
            models.Jurisdiction,
            (".csv",),
            section="jurisdictions",
            listings=("jurisdictions/", "codebook/", "data/"),
            shown_on=("parent",),
            json_schema=True,
            changelog="jurisdiction",
        ),
        Kind(
            "coverage",
            "coverage",
            "Coverage",
            models.Coverage,
            (".yaml",),
            id_field="jurisdiction",
            listings=("coverage/", "", "map/"),
            shown_on=("jurisdiction",),
            json_schema=True,
            changelog="coverage",
        ),
        Kind("corrections", "correction", "Corrections", models.Correction, (".yaml",), listings=("corrections/",)),
        Kind("redirects", "redirect", "Redirects", models.Redirect, (".yaml",), id_field="old"),
    )
}

#: The same kinds keyed by their singular name (``document`` → the documents kind).
BY_SINGULAR: dict[str, Kind] = {kind.singular: kind for kind in KINDS.values()}

#: The download tables (``data/<name>.csv`` and ``.json``), in the order the data package and the
#: codebook list them: a kind's name (one row per record; its records are also published one JSON
#: file each) or ``targets`` (one row per target of the documents).
TABLES = ("jurisdictions", "documents", "targets", "sources")


def references(record: models.Record) -> Iterator[tuple[tuple, str, str]]:
    """Yield ``(field path, kind name, id)`` for every reference ``record`` makes to another record,
    as declared by :class:`~generator.models.Ref` markers on its model, nested fields and list items
    included; a marker with ``kind_field`` takes the kind from the singular name in that field."""
    for path, marker, value, owner in models.marked_values(record):
        if isinstance(marker, models.Ref):
            yield path, marker.kind or BY_SINGULAR[getattr(owner, marker.kind_field)].name, value


def terms(record: models.Record) -> Iterator[tuple[tuple, str, str]]:
    """Yield ``(field path, vocabulary, term)`` for every vocabulary-term field of ``record``, as
    declared by :class:`~generator.models.Vocab` markers on its model."""
    for path, marker, value, _ in models.marked_values(record):
        if isinstance(marker, models.Vocab):
            yield path, marker.name, value


#: Every vocabulary under ``data/vocab/`` the loader reads: those the record models name, then the
#: standalone ones (:data:`generator.models.STANDALONE_VOCABULARIES`).
VOCABULARIES: tuple[str, ...] = models.vocabularies(kind.model for kind in KINDS.values())
