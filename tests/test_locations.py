"""Content paths, site URLs and relative links of the site's pages (generator/locations.py)."""

from __future__ import annotations

import pytest

from generator import locations
from generator.locations import Page


def test_record_pages_live_in_their_kinds_section():
    assert locations.record_page("documents", "cn-x-plan-2022") == "documents/cn-x-plan-2022/index.md"
    assert locations.record_page("jurisdictions", "cn-hubei") == "jurisdictions/cn-hubei/index.md"
    assert locations.record_url("documents", "cn-x-plan-2022") == "documents/cn-x-plan-2022/"
    assert locations.section_index("jurisdictions") == "jurisdictions/index.md"


def test_kinds_without_pages_and_unsafe_ids_are_refused():
    with pytest.raises(ValueError, match="records of kind 'sources' have no pages"):
        locations.record_page("sources", "a-source")
    with pytest.raises(KeyError):
        locations.record_page("document", "x")  # the plural is the key
    with pytest.raises(ValueError, match="unsafe path segment"):
        locations.record_page("documents", "../etc")


@pytest.mark.parametrize(
    "page,url,root",
    [
        ("index.md", "", ""),
        ("targets.md", "targets/", "../"),
        ("documents/index.md", "documents/", "../"),
        ("documents/x/index.md", "documents/x/", "../../"),
        ("documents/old/index.html", "documents/old/", "../../"),
    ],
)
def test_site_url_and_root_follow_directory_urls(page, url, root):
    assert locations.site_url(page) == url
    assert locations.root(page) == root
    assert Page(page).url == url and Page(page).root == root


def test_relative_links_between_pages():
    doc = Page.record("documents", "x")
    assert doc.link_to(locations.record_page("jurisdictions", "cn")) == "../../jurisdictions/cn/index.md"
    assert doc.link_to(locations.METHODOLOGY) == "../../methodology.md"
    assert Page(locations.HOME).link_to(locations.record_page("documents", "x")) == "documents/x/index.md"
    assert Page(locations.section_index("documents")).link_to(locations.TARGETS) == "../targets.md"
    assert doc.href(locations.CHANGELOG) == "../../changelog/" and doc.href(locations.HOME) == "../../"
    assert (
        doc.chart_href("jur-cn", ".svg") == "../../charts/jur-cn.svg"
        and Page(locations.HOME).chart_href("a", ".csv") == "charts/a.csv"
    )


def test_redirects_downloads_and_charts():
    assert locations.redirect_page("documents", "old-id") == "documents/old-id/index.html"
    assert locations.redirect_target("documents", "new-id") == "../new-id/"
    assert locations.record_json("sources", "s-1") == "data/records/sources/s-1.json"
    assert locations.chart_file("adoption", ".vl.json") == "charts/adoption.vl.json"
