"""Cite this: citations of a policy document and of an atlas record, as CSL-JSON, BibTeX and one
formatted line, plus the "report an error" link and the site's ``CITATION.cff`` (issue 16 part 4).

* CSL-JSON is the source: the formatted line is made from it by citeproc-py with the CSL style
  and locale that ship inside citeproc-py (:data:`STYLE`, "Cite Them Right" Harvard, British
  English), so nothing is fetched when building.
* BibTeX is written by pybtex's BibTeX writer, which escapes text through latexcodec; the five
  characters latexcodec leaves alone because they are LaTeX markup (``\\ { } $ ^``) are never
  markup in a record, so :func:`bibtex_text` turns them into LaTeX text commands first. ``url``,
  ``urldate`` and ``date`` are verbatim fields (biblatex reads them unescaped; ``date`` is EDTF,
  which biblatex understands).
* A document is cited with its issuers as authors, its date (:attr:`generator.models.Document.date`),
  its original and English titles ("original [English]"), its kind and number, and its own URL
  only when an official page carrying its text was read (:func:`read_through`), with the day it
  was read. A document read only through reports or copies is cited "as reported by" the
  publisher that was read (an official report first): that page is a second CSL item and a note,
  and its URL is never given as the document's own.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from importlib import resources
from urllib.parse import quote, urlencode

from citeproc import Citation as CslCitation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibtexWriter
from ruamel.yaml import YAML

from . import models, rules
from .dates import csl_date
from .loader import UNVERSIONED
from .settings import BuildFacts

#: The author and publisher of atlas records.
ATLAS = "Metaverse Policy Atlas"
ATLAS_AUTHOR = "Metaverse Policy Atlas contributors"
#: The CSL style and locale used for the formatted line; both ship inside citeproc-py.
STYLE = "harvard-cite-them-right"
LOCALE = "en-GB"
#: BibTeX fields written verbatim (no LaTeX escaping): biblatex reads them as they are.
VERBATIM_FIELDS = ("url", "urldate", "date")
#: Characters that latexcodec leaves as LaTeX markup, as LaTeX text commands (braces balanced,
#: as BibTeX requires even for escaped braces).
_LATEX_MARKUP = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\textdollar{}",
    "^": r"\textasciicircum{}",
}


@dataclass(frozen=True)
class Citation:
    """One thing cited three ways.

    Attributes:
        key: the citation key (``atlas-<id>`` for a record, ``<id>`` for a document).
        csl: CSL-JSON items (the cited item first; an "as reported by" page second).
        bibtex: BibTeX source of one entry.
        text: the formatted line, plain text.
    """

    key: str
    csl: list
    bibtex: str
    text: str

    @property
    def csl_json(self) -> str:
        """The CSL-JSON items as JSON text, one field a line."""
        items = (
            ",\n".join(f"    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items())
            for item in self.csl
        )
        return "[\n" + ",\n".join("  {\n" + fields + "\n  }" for fields in items) + "\n]"


@dataclass(frozen=True)
class ReadThrough:
    """How a document was read: its official page, else the page that reported it."""

    official: models.Source | None
    reported_by: models.Source | None


def read_through(doc: models.Document, sources: dict[str, models.Source]) -> ReadThrough:
    """Return how ``doc`` was read: ``official`` is the first of its own sources that is official
    (:data:`generator.rules.OFFICIAL_KINDS`) and carries the document's text (``carries_text``);
    without one, ``reported_by`` is the page it was read through: its first official source (a
    government or state-media report about it), else its first source."""
    own = [(r, sources[r.source]) for r in doc.sources]
    official = [s for r, s in own if s.kind in rules.OFFICIAL_KINDS]
    text = next((s for r, s in own if r.carries_text and s.kind in rules.OFFICIAL_KINDS), None)
    if text:
        return ReadThrough(text, None)
    return ReadThrough(None, official[0] if official else own[0][1])


def bilingual(original: str, english: str | None) -> str:
    """Return ``original [english]``, or ``original`` when the English is absent or the same (the
    usual form for a translated title, e.g. APA 7th edition §9.38)."""
    return f"{original} [{english}]" if english and english != original else original


def document_citation(doc: models.Document, sources: dict[str, models.Source], kind_label: str) -> Citation:
    """Cite the document itself (not the atlas page): see the module docstring for the rules.

    Args:
        doc: the document; sources: every source record by id; kind_label: the English label of
            the document's kind (``Action plan``).
    """
    read = read_through(doc, sources)
    item = {
        "id": doc.id,
        "type": "report",
        "title": bilingual(doc.title.original, doc.title.en),
        "author": [{"literal": bilingual(i.name, i.name_en)} for i in doc.issuers],
        "issued": csl_date(doc.date),
        "genre": kind_label,
        "number": doc.document_number,
        "language": doc.title.language,
    }
    items = [item]
    if read.official:
        item.update(URL=read.official.url, accessed=csl_date(read.official.accessed))
    else:
        page = _page_item(doc.id, read.reported_by)
        item["note"] = f"As reported by {_reporter(read.reported_by)}"
        items.append(page)
    items = [{k: v for k, v in i.items() if v is not None} for i in items]
    text = format_line(items[0])
    if len(items) > 1:
        text += " As reported by: " + format_line(items[1])
    fields = {
        "title": item["title"],
        "year": _year(item.get("issued")),
        "date": doc.date,
        "type": kind_label,
        "number": doc.document_number,
        "language": doc.title.language,
    }
    if read.official:
        fields.update(url=_bib_url(read.official.url), urldate=read.official.accessed)
    else:
        s = read.reported_by
        fields["note"] = f"{item['note']}: {bilingual(s.title, s.title_en)}, {s.url}, accessed {s.accessed}"
    bib = _bibtex("misc", doc.id, fields, [a["literal"] for a in item["author"]])
    return Citation(doc.id, items, bib, text)


def _reporter(source: models.Source) -> str:
    """The publisher read, and the original publisher of a repost."""
    return source.publisher + (f" (repost of {source.original_publisher})" if source.original_publisher else "")


def _page_item(doc_id: str, source: models.Source) -> dict:
    """A CSL item for the page a document was read through."""
    return {
        "id": f"{doc_id}--{source.id}",
        "type": "webpage",
        "title": bilingual(source.title, source.title_en),
        "author": [{"literal": source.publisher}],
        "container-title": source.publisher,
        "URL": source.url,
        "issued": csl_date(source.published),
        "accessed": csl_date(source.accessed),
        "language": source.language,
    }


def record_citation(record_id: str, title: str, url: str, facts: BuildFacts) -> Citation:
    """Cite an atlas record page (``url``, its permanent address) as a dataset: the atlas
    contributors as author, the data's date as issued, the dataset version in a note.
    ``facts`` gives the dataset's version and its as-of day."""
    key = "atlas-" + record_id
    note = f"{ATLAS}, dataset version {facts.version}, data as of {facts.data_as_of}"
    item = {
        "id": key,
        "type": "dataset",
        "title": title,
        "URL": url,
        "version": facts.version,
        "author": [{"literal": ATLAS_AUTHOR}],
        "publisher": ATLAS,
        "issued": csl_date(facts.data_as_of),
        "note": note,
    }
    fields = {
        "title": title,
        "year": facts.data_as_of[:4],
        "date": facts.data_as_of,
        "url": _bib_url(url),
        "version": facts.version,
        "publisher": ATLAS,
        "note": note,
    }
    return Citation(key, [item], _bibtex("misc", key, fields, [ATLAS_AUTHOR]), format_line(item))


def document_record_citation(doc: models.Document, url: str, facts: BuildFacts) -> Citation:
    """Cite the atlas record of ``doc`` (its page at ``url``)."""
    return record_citation(doc.id, f"{bilingual(doc.title.original, doc.title.en)}: atlas record", url, facts)


def jurisdiction_citation(j: models.Jurisdiction, url: str, facts: BuildFacts) -> Citation:
    """Cite the atlas page of jurisdiction ``j`` (at ``url``)."""
    return record_citation(j.id, f"Metaverse policy of {j.name_en} ({j.name_zh})", url, facts)


def _year(date: dict | None) -> str | None:
    parts = (date or {}).get("date-parts")
    return str(parts[0][0]) if parts else None


def _bib_url(url: str) -> str:
    """A URL as a BibTeX verbatim field takes it: characters that break BibTeX's braces or quotes
    percent-encoded, the rest unchanged."""
    return quote(url, safe="".join(chr(c) for c in range(33, 127) if chr(c) not in '{}"\\%') + "%")


def bibtex_text(value: str) -> str:
    """Prepare record text for pybtex's writer: fold whitespace and write the characters
    latexcodec keeps as markup (see :data:`_LATEX_MARKUP`) as LaTeX text commands; pybtex escapes
    the rest (``% & # _ ~``)."""
    return "".join(_LATEX_MARKUP.get(c, c) for c in " ".join(value.split()))


class _Writer(BibtexWriter):
    """pybtex's BibTeX writer, with :data:`VERBATIM_FIELDS` left unescaped."""

    def _write_field(self, stream, type, value):  # noqa: A002 - pybtex's name
        if type in VERBATIM_FIELDS:
            stream.write(f",\n    {type} = {self.quote(value)}")
        else:
            super()._write_field(stream, type, value)


def _bibtex(entry_type: str, key: str, fields: dict, authors: list[str]) -> str:
    """One BibTeX entry through pybtex; corporate authors are braced so they stay whole."""
    text_fields = {k: (v if k in VERBATIM_FIELDS else bibtex_text(v)) for k, v in fields.items() if v}
    persons = {"author": [Person("{" + bibtex_text(a) + "}") for a in authors]}
    out = io.StringIO()
    _Writer(encoding="utf-8").write_stream(
        BibliographyData({key: Entry(entry_type, fields=text_fields, persons=persons)}), out
    )
    return out.getvalue().strip()


def format_line(item: dict) -> str:
    """Format one CSL-JSON item as a plain-text bibliography line with :data:`STYLE`."""
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([item]), formatter.plain)
    bibliography.register(CslCitation([CitationItem(item["id"])]))
    return " ".join(str(bibliography.bibliography()[0]).split())


_STYLE_CACHE: list = []


def _style():
    """The CSL style (parsed once): the copy inside citeproc-py, with its British locale."""
    if not _STYLE_CACHE:
        path = resources.files("citeproc") / "data" / "styles" / f"{STYLE}.csl"
        _STYLE_CACHE.append(CitationStylesStyle(str(path), locale=LOCALE, validate=False))
    return _STYLE_CACHE[0]


def report_error_url(repository: str, kind: str, record_id: str, path: str, page_url: str) -> str:
    """Return a URL that opens a pre-filled GitHub issue about one record.

    Args:
        repository: ``https://github.com/OWNER/REPO`` (:attr:`generator.settings.Settings.repository`).
        kind: ``document`` or ``jurisdiction``.
        record_id: the record's id; path: its file under ``data/``; page_url: its page.
    """
    body = (
        f"Record: `{record_id}` ({kind})\nFile: `{path}`\nPage: {page_url}\n\n"
        "What is wrong:\n\nWhat is right, with a source (URL you read and the date you read it):\n"
    )
    query = urlencode({"title": f"Correction: {record_id}", "body": body, "labels": "correction"}, quote_via=quote)
    return f"{repository.rstrip('/')}/issues/new?{query}"


def citation_cff(text: str, facts: BuildFacts) -> bytes:
    """Return the repository's ``CITATION.cff`` (``text``) completed for the built site: ``url``
    and ``repository-code`` from the settings (the latter left out in a local build without a
    repository), ``version`` and ``date-released`` from the data. Comments and order are kept.

    A data folder without a version (:data:`generator.loader.UNVERSIONED`: test fixtures) keeps the file's.

    Raises:
        ValueError: the file's ``version`` differs from ``data/dataset.yaml``'s (bump both).
    """
    yaml = YAML()
    yaml.width, yaml.preserve_quotes = 4096, True
    data = yaml.load("\n".join(line for line in text.splitlines() if not line.startswith("#")))
    settings = facts.settings
    if facts.version != UNVERSIONED:
        if str(data.get("version", facts.version)) != facts.version:
            raise ValueError(
                f"CITATION.cff says version {data['version']} but data/dataset.yaml says {facts.version}; make them "
                "agree"
            )
        data["version"] = facts.version
    data["date-released"] = facts.data_as_of
    data["url"] = settings.url()
    if settings.repository:
        data["repository-code"] = settings.repository
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")
