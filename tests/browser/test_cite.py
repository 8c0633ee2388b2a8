"""Citations a reader copies, and a clean console on every page, in Chromium (issue 16 parts 4 and 7).

The real site is served under ``/metaverse-policy-atlas/`` and built for publishing there (the
``real_site`` fixture). A reader clicks from the home page to a document by Material's instant
navigation, presses every copy button, and the clipboard text is compared, field by field, with the
document's record."""

import json
from xml.etree import ElementTree

import pytest
from pybtex.database import parse_string

from generator.dates import csl_date

pytestmark = pytest.mark.browser

#: A document whose text was read on an official page, one known from an official report about it,
#: one read only through a repost.
OFFICIAL, OFFICIAL_REPORT, REPORTED = (
    "cn-zhejiang-drc-future-industries-proposal-reply-2024",
    "cn-beijing-tongzhou-metaverse-measures-2022",
    "cn-anhui-hefei-gwr-2022",
)
MONTHS = "January February March April May June July August September October November December".split()


@pytest.fixture(scope="module")
def dataset(real_site):
    from generator.dataset import build_dataset
    from generator.validate import require_valid

    return build_dataset(require_valid(real_site.paths.data).loaded, real_site.paths.data)


def both(original: str, english: str) -> str:
    return original if original == english else f"{original} [{english}]"


def _click_to_document(page, doc) -> None:
    """From any page: the Explore tab (the jurisdictions listing), the document's jurisdiction,
    then the document."""
    page.locator("a.md-tabs__link", has_text="Explore").click()
    page.wait_for_url("**/jurisdictions/")
    page.locator(f"article a[href$='/{doc.jurisdiction}/']").first.click()
    page.wait_for_url(f"**/jurisdictions/{doc.jurisdiction}/")
    page.locator(f"article a[href$='/{doc.id}/']").first.click()
    page.wait_for_url(f"**/documents/{doc.id}/")
    page.wait_for_selector("#cite-document button.atlas-copy", timeout=20_000)


def _copy(page, section: str, what: str) -> str:
    """Press the copy button of one citation text; return the clipboard's text."""
    page.evaluate("navigator.clipboard.writeText('')")
    button = page.locator(f"#cite-{section} button.atlas-copy", has_text=f"Copy {what}")
    assert button.count() == 1, f"{section}: one 'Copy {what}' button"
    button.click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)", timeout=5_000)
    return page.evaluate("navigator.clipboard.readText()")


def _expected_document(ds, doc):
    """What the record says the citation of the document holds."""
    official = [
        (r, ds.sources[r.source]) for r in doc.sources if ds.sources[r.source].kind in ("government", "state-media")
    ]
    text = next((s for r, s in official if r.carries_text), None)
    return text, (None if text else (official[0][1] if official else ds.sources[doc.sources[0].source]))


def _day(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def check_document_citation(page, ds, doc, version: str) -> None:
    official, reported = _expected_document(ds, doc)
    title = both(doc.title.original, doc.title.en)
    authors = [both(i.name, i.name_en) for i in doc.issuers]
    date = doc.date
    kind = ds.term("document_kinds", doc.kind).en

    items = json.loads(_copy(page, "document", "CSL-JSON"))
    item = items[0]
    assert (item["id"], item["title"], [a["literal"] for a in item["author"]]) == (doc.id, title, authors)
    assert (item["issued"], item["genre"], item.get("number"), item["language"]) == (
        csl_date(date),
        kind,
        doc.document_number,
        doc.title.language,
    )
    if official:
        assert len(items) == 1 and item["URL"] == official.url and item["accessed"] == csl_date(official.accessed)
    else:
        assert (
            "URL" not in item
            and "accessed" not in item
            and item["note"].startswith(f"As reported by {reported.publisher}")
        )
        assert (
            len(items) == 2 and items[1]["URL"] == reported.url and items[1]["accessed"] == csl_date(reported.accessed)
        )
        assert items[1]["author"] == [{"literal": reported.publisher}]

    entry = parse_string(_copy(page, "document", "BibTeX"), "bibtex").entries[doc.id]
    assert [str(p) for p in entry.persons["author"]] == ["{" + a + "}" for a in authors]
    fields = dict(entry.fields)
    assert (fields["title"], fields["date"], fields["year"], fields["type"]) == (title, date, date[:4], kind)
    assert fields.get("number") == doc.document_number
    if official:
        assert (fields["url"], fields["urldate"]) == (official.url, official.accessed) and "note" not in fields
    else:
        assert "url" not in fields and "urldate" not in fields
        assert fields["note"].startswith(f"As reported by {reported.publisher}") and fields["note"].endswith(
            f"accessed {reported.accessed}"
        )

    line = _copy(page, "document", "citation")
    assert line.startswith(f"{'; '.join(authors) if len(authors) == 1 else ''}") and f"({date[:4]}) {title}." in line
    assert kind in line and (doc.document_number or "") in line
    if official:
        assert line.endswith(f"Available at: {official.url} (Accessed: {_day(official.accessed)}).")
    else:
        reported_at = line.index("As reported by: ")
        assert line.index(reported.url) > reported_at and line.count(reported.url) == 1
        assert line.endswith(f"(Accessed: {_day(reported.accessed)}).")
    check_record_citation(page, doc, version)


def check_record_citation(page, doc, version: str) -> None:
    url = page.url.split("#")[0]
    (item,) = json.loads(_copy(page, "record", "CSL-JSON"))
    assert (item["URL"], item["version"], item["type"]) == (url, version, "dataset")
    assert item["title"] == f"{both(doc.title.original, doc.title.en)}: atlas record"
    fields = parse_string(_copy(page, "record", "BibTeX"), "bibtex").entries[f"atlas-{doc.id}"].fields
    assert (fields["url"], fields["version"]) == (url, version)
    assert _copy(page, "record", "citation").endswith(f"Available at: {url}.")


def test_citations_copied_after_instant_navigation_match_the_record(real_site, watched_page, dataset):
    from ruamel.yaml import YAML

    version = str(YAML(typ="safe").load((real_site.paths.data / "dataset.yaml").read_text("utf-8"))["version"])
    page, watch = watched_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=real_site.url.split("/metaverse")[0])
    page.goto(real_site.url)
    page.evaluate("window.__sameDocument = true")
    kinds = []
    for doc_id in (OFFICIAL, OFFICIAL_REPORT, REPORTED):
        official, reported = _expected_document(dataset, dataset.documents[doc_id])
        kinds.append("text" if official else reported.kind)
        _click_to_document(page, dataset.documents[doc_id])
        assert page.url == f"{real_site.url}documents/{doc_id}/"
        check_document_citation(page, dataset, dataset.documents[doc_id], version)
    assert kinds == ["text", "government", "repost"]  # the three cases, as the data stands
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    assert page.locator("button.atlas-copy").count() == 6  # set-up ran once per page, not once per navigation
    watch.assert_clean()


def test_without_clipboard_access_the_text_is_selected(real_site, watched_page):
    page, watch = watched_page
    page.goto(f"{real_site.url}documents/{OFFICIAL}/")
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    button = page.locator("#cite-document-bibtex").locator("xpath=preceding-sibling::button[1]")
    assert button.inner_text() == "Copy BibTeX"
    button.click()
    assert page.evaluate("window.getSelection().toString()") == page.inner_text("#cite-document-bibtex")
    assert button.inner_text() == "Selected: press Ctrl+C"
    watch.assert_clean()


def test_no_page_logs_a_console_error(real_site, watched_page):
    """Every page of the sitemap, reached by instant navigation from the one before (as a reader
    clicks; the page's scripts set it up again), and the 404 page, loaded afresh, log no console
    error, uncaught exception or CSP violation and request nothing off this machine."""
    page, watch = watched_page
    sitemap = ElementTree.parse(real_site.paths.site / "sitemap.xml")
    urls = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(urls) > 300 and all(u.startswith(real_site.url) for u in urls)
    faults = {}

    def counts():
        return len(watch.console_errors), len(watch.page_errors), len(watch.csp_violations), len(watch.off_host)

    page.goto(real_site.url + "404.html")
    if counts() != (0, 0, 0, 0):
        faults["404.html"] = counts()
    page.goto(real_site.url)
    page.evaluate("window.__sameDocument = true; window.__views = 0; document$.subscribe(() => window.__views++)")
    for views, url in enumerate(urls[1:], start=2):
        before = counts()
        page.evaluate(FOLLOW, url)
        page.wait_for_function("n => window.__views >= n", arg=views, timeout=20_000)
        if counts() != before:
            faults[url[len(real_site.url) :]] = counts()
    assert page.evaluate("window.__sameDocument === true"), "instant navigation reloaded a page"
    assert not faults, faults
    watch.assert_clean()


#: Follow a link the way a reader's click does (Material's instant navigation intercepts it).
FOLLOW = """url => {
    const a = document.createElement("a");
    a.href = url;
    document.querySelector("article").appendChild(a);
    a.click();
    a.remove();
}"""
