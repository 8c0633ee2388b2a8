"""Citations (generator/citations.py): the document itself and the atlas record, as CSL-JSON,
BibTeX written by pybtex and a line formatted by citeproc-py; "as reported by" for documents read
only through copies; the site's CITATION.cff."""

import dataclasses
import json

import pytest
from pybtex.database import parse_string
from ruamel.yaml import YAML

from generator import models
from generator.citations import citation_cff, document_citation, jurisdiction_citation, read_through
from generator.dates import csl_date
from generator.settings import BuildFacts, Settings

META = BuildFacts(version="1.2.0", data_as_of="2026-12-07", settings=Settings())


def source(sid: str, kind: str, **extra) -> models.Source:
    fields = {
        "id": sid,
        "url": f"https://{sid}.example.cn/page_1.html?a=1&b=2",
        "title": f"Page {sid}",
        "publisher": f"Publisher {sid}",
        "kind": kind,
        "language": "zh",
        "accessed": "2026-12-01",
        **extra,
    }
    return models.Source.model_validate(fields)


def document(*source_ids: str, text: tuple[str, ...] = ("gov",), **extra) -> models.Document:
    """A document citing ``source_ids``; the citations of the ids in ``text`` carry its text."""
    fields = {
        "id": "cn-hubei-wuhan-plan-2022",
        "jurisdiction": "cn-hubei-wuhan",
        "kind": "action-plan",
        "status": "issued",
        "focus": "dedicated",
        "title": {"original": "武汉市元宇宙行动方案", "en": "Wuhan Metaverse Action Plan"},
        "issuers": [{"name": "武汉市人民政府", "name_en": "Wuhan Municipal People's Government"}],
        "dates": {"issued": "2022-03-15", "announced": "2022-04"},
        "document_number": "武政〔2022〕1号",
        "summary": {"en": "A plan."},
        "sources": [{"source": s, "carries_text": s in text} for s in source_ids],
        **extra,
    }
    return models.Document.model_validate(fields)


SOURCES = {
    s.id: s
    for s in (
        source("gov", "government"),
        source("press", "press", published="2022-04-02"),
        source("copy", "repost", original_publisher="Changjiang Daily", published="2022-04~"),
    )
}


def test_document_with_an_official_page_is_cited_with_that_url():
    c = document_citation(document("press", "gov"), SOURCES, "Action plan")
    assert c.csl == [
        {
            "id": "cn-hubei-wuhan-plan-2022",
            "type": "report",
            "title": "武汉市元宇宙行动方案 [Wuhan Metaverse Action Plan]",
            "author": [{"literal": "武汉市人民政府 [Wuhan Municipal People's Government]"}],
            "issued": {"date-parts": [[2022, 3, 15]]},
            "genre": "Action plan",
            "number": "武政〔2022〕1号",
            "language": "zh",
            "URL": SOURCES["gov"].url,
            "accessed": {"date-parts": [[2026, 12, 1]]},
        }
    ]
    assert json.loads(c.csl_json) == c.csl
    assert c.text == (
        "武汉市人民政府 [Wuhan Municipal People's Government] (2022) 武汉市元宇宙行动方案 [Wuhan Metaverse Action "
        "Plan]. "
        "Action plan 武政〔2022〕1号. Available at: https://gov.example.cn/page_1.html?a=1&b=2 (Accessed: 1 December "
        "2026)."
    )
    entry = parse_string(c.bibtex, "bibtex").entries["cn-hubei-wuhan-plan-2022"]
    assert entry.type == "misc" and [str(p) for p in entry.persons["author"]] == [
        "{武汉市人民政府 [Wuhan Municipal People's Government]}"
    ]
    assert dict(entry.fields) == {
        "title": "武汉市元宇宙行动方案 [Wuhan Metaverse Action Plan]",
        "year": "2022",
        "date": "2022-03-15",
        "type": "Action plan",
        "number": "武政〔2022〕1号",
        "language": "zh",
        "url": "https://gov.example.cn/page_1.html?a=1&b=2",
        "urldate": "2026-12-01",
    }


@pytest.mark.parametrize("first", ["press", "copy"])
def test_document_read_through_copies_is_cited_as_reported_never_with_their_url(first):
    c = document_citation(document(first, "press"), SOURCES, "Action plan")
    read = SOURCES[first]
    reporter = read.publisher + (" (repost of Changjiang Daily)" if first == "copy" else "")
    doc, page = c.csl
    assert "URL" not in doc and "accessed" not in doc and doc["note"] == f"As reported by {reporter}"
    assert page["URL"] == read.url and page["type"] == "webpage" and page["accessed"] == {"date-parts": [[2026, 12, 1]]}
    assert page["author"] == [{"literal": read.publisher}] and page["issued"] == csl_date(read.published)
    assert c.text.startswith(
        "武汉市人民政府 [Wuhan Municipal People's Government] (2022) 武汉市元宇宙行动方案 [Wuhan Metaverse Action "
        "Plan]. "
        f"Action plan 武政〔2022〕1号. As reported by: {read.publisher} (2022) Page {first}"
    )
    assert c.text.count(read.url) == 1 and c.text.index(read.url) > c.text.index("As reported by")
    fields = parse_string(c.bibtex, "bibtex").entries[doc["id"]].fields
    assert "url" not in fields and "urldate" not in fields
    assert fields["note"] == (
        f"As reported by {reporter}: Page {first}, "
        + read.url.replace("_", r"\_").replace("&", r"\&")
        + ", accessed 2026-12-01"
    )


def test_official_source_is_preferred_whatever_its_place():
    assert read_through(document("copy", "press", "gov"), SOURCES).official is SOURCES["gov"]
    assert read_through(document("copy", "press"), SOURCES) == read_through(document("copy"), SOURCES)
    assert read_through(document("copy", "press"), SOURCES).reported_by is SOURCES["copy"]


def test_an_official_report_is_not_the_documents_own_page():
    """A government page about the document (not carrying its text) is who reported it."""
    read = read_through(document("press", "gov", text=()), SOURCES)
    assert (read.official, read.reported_by) == (None, SOURCES["gov"])
    c = document_citation(document("press", "gov", text=()), SOURCES, "Action plan")
    assert (
        "URL" not in c.csl[0]
        and c.csl[0]["note"] == "As reported by Publisher gov"
        and c.csl[1]["URL"] == SOURCES["gov"].url
    )
    # a press page carrying the text is still only a report: the document's own URL is an official one
    assert read_through(document("press", text=("press",)), SOURCES).reported_by is SOURCES["press"]


def test_bibtex_escapes_record_text_through_pybtex():
    title = r"50% & a_b #1 ~x {y} $z ^w \v “q” 中文"
    c = document_citation(document("gov", title={"original": title, "en": title}), SOURCES, "Action plan")
    fields = parse_string(c.bibtex, "bibtex").entries["cn-hubei-wuhan-plan-2022"].fields
    assert fields["title"] == (
        r"50\% \& a\_b \#1 \textasciitilde x \textbraceleft{}y\textbraceright{} \textdollar{}z "
        r"\textasciicircum{}w \textbackslash{}v “q” 中文"
    )
    assert json.loads(c.csl_json)[0]["title"] == title  # CSL-JSON keeps the text as it is


def test_atlas_record_citation():
    j = models.Jurisdiction.model_validate(
        {"id": "cn-hubei-wuhan", "name_en": "Wuhan", "name_zh": "武汉市", "level": "city"}
    )
    url = Settings.from_options("https://owner.github.io/atlas", "owner/atlas").url("jurisdictions/cn-hubei-wuhan/")
    c = jurisdiction_citation(j, url, META)
    assert c.csl == [
        {
            "id": "atlas-cn-hubei-wuhan",
            "type": "dataset",
            "title": "Metaverse policy of Wuhan (武汉市)",
            "URL": url,
            "version": "1.2.0",
            "author": [{"literal": "Metaverse Policy Atlas contributors"}],
            "publisher": "Metaverse Policy Atlas",
            "issued": {"date-parts": [[2026, 12, 7]]},
            "note": "Metaverse Policy Atlas, dataset version 1.2.0, data as of 2026-12-07",
        }
    ]
    assert c.text == (
        "Metaverse Policy Atlas contributors (2026) ‘Metaverse policy of Wuhan (武汉市)’. Metaverse Policy Atlas. "
        "Available at: https://owner.github.io/atlas/jurisdictions/cn-hubei-wuhan/."
    )
    assert parse_string(c.bibtex, "bibtex").entries["atlas-cn-hubei-wuhan"].fields["url"] == url


@pytest.mark.parametrize(
    "edtf,expected",
    [
        ("2022-01-11", {"date-parts": [[2022, 1, 11]]}),
        ("2022-01", {"date-parts": [[2022, 1]]}),
        ("2021-11~", {"date-parts": [[2021, 11]], "circa": True}),
        ("2022/2025", {"date-parts": [[2022], [2025]]}),
        ("2022-01-05?/2025", {"date-parts": [[2022, 1, 5], [2025]], "circa": True}),
        ("202X", {"literal": "202X"}),
        ("2022/..", {"literal": "2022/.."}),
        (None, None),
    ],
)
def test_csl_date(edtf, expected):
    assert csl_date(edtf) == expected


CFF = '# a comment for the repository\ncff-version: 1.2.0\ntitle: "Atlas"\nversion: 1.2.0\nabstract: >-\n  one\n  two\n'


def test_citation_cff_is_completed_from_the_settings():
    meta = dataclasses.replace(META, settings=Settings.from_options("https://owner.github.io/atlas", "owner/atlas"))
    data = YAML(typ="safe").load(citation_cff(CFF, meta))
    assert data == {
        "cff-version": "1.2.0",
        "title": "Atlas",
        "version": "1.2.0",
        "abstract": "one two",
        "date-released": "2026-12-07",
        "url": "https://owner.github.io/atlas/",
        "repository-code": "https://github.com/owner/atlas",
    }
    local = YAML(typ="safe").load(citation_cff(CFF, META))
    assert local["url"] == "http://127.0.0.1:8000/" and "repository-code" not in local
    assert "comment" not in citation_cff(CFF, META).decode()


def test_citation_cff_version_must_match_the_dataset():
    with pytest.raises(ValueError, match="CITATION.cff says version 1.2.0 but data/dataset.yaml says 2.0.0"):
        citation_cff(CFF, dataclasses.replace(META, version="2.0.0"))
