"""Cite this: BibTeX and CSL-JSON for document and jurisdiction pages, and the "report an error"
link. Record text enters BibTeX through :func:`bibtex_text` and CSL-JSON through ``json.dumps``;
both are printed inside fenced code blocks whose lines the generator controls."""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

from . import models

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def bibtex_text(value: str) -> str:
    """Escape text for a braced BibTeX field: backslash-escape LaTeX specials, fold whitespace,
    and drop backticks so the text cannot end the fenced code block it is shown in."""
    text = " ".join(value.split()).replace("`", "'")
    return _BIBTEX_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) not in "\\^~" else {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}[m.group(1)], text)


def _key(record_id: str) -> str:
    return "atlas-" + record_id


def _citation(key: str, title: str, url: str, meta: dict) -> dict:
    note = f"Metaverse Policy Atlas, dataset version {meta['version']}, data as of {meta['data_as_of']}"
    bib = "\n".join([
        f"@misc{{{key},",
        f"  title = {{{bibtex_text(title)}}},",
        "  author = {{Metaverse Policy Atlas contributors}},",
        f"  year = {{{meta['data_as_of'][:4]}}},",
        f"  howpublished = {{\\url{{{bibtex_text(url)}}}}},",
        f"  note = {{{bibtex_text(note)}}}",
        "}",
    ])
    csl = [{
        "id": key, "type": "dataset", "title": title, "URL": url, "version": meta["version"],
        "author": [{"literal": "Metaverse Policy Atlas contributors"}], "publisher": "Metaverse Policy Atlas",
        "issued": {"date-parts": [[int(part) for part in meta["data_as_of"].split("-")]]}, "note": note,
    }]
    return {"bibtex": bib, "csl": json.dumps(csl, ensure_ascii=False, indent=2).replace("`", "'")}


def document_citation(doc: models.Document, url: str, meta: dict) -> dict:
    """Return ``{"bibtex": str, "csl": str}`` citing the atlas record of ``doc`` (the record's
    sources cite the document itself). ``url`` is the record page's permanent URL; ``meta`` holds
    ``version`` and ``data_as_of``."""
    return _citation(_key(doc.id), f"{doc.title.original} ({doc.title.en})", url, meta)


def jurisdiction_citation(j: models.Jurisdiction, url: str, meta: dict) -> dict:
    """Return ``{"bibtex": str, "csl": str}`` citing the atlas page of jurisdiction ``j``."""
    return _citation(_key(j.id), f"Metaverse policy of {j.name_en} ({j.name_zh})", url, meta)


def report_error_url(repository: str, kind: str, record_id: str, path: str, page_url: str) -> str:
    """Return a URL that opens a pre-filled GitHub issue about one record.

    Args:
        repository: ``https://github.com/OWNER/REPO``.
        kind: ``document`` or ``jurisdiction``.
        record_id: the record's id; path: its file under ``data/``; page_url: its page.
    """
    body = (f"Record: `{record_id}` ({kind})\nFile: `{path}`\nPage: {page_url}\n\n"
            "What is wrong:\n\nWhat is right, with a source (URL you read and the date you read it):\n")
    query = urlencode({"title": f"Correction: {record_id}", "body": body, "labels": "correction"}, quote_via=quote)
    return f"{repository.rstrip('/')}/issues/new?{query}"
