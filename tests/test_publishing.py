"""A build made for publishing (issue 16 parts 4 and 7): the real site, built by the ``real_site``
fixture with the settings the publish workflow passes (an address under the sub-path
``/metaverse-policy-atlas/`` and a repository). Every absolute URL comes from the settings, no
placeholder domain is left anywhere, and the 404 page links only within the site."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

from ruamel.yaml import YAML

PLACEHOLDER = b"example.org"


def test_no_placeholder_domain_anywhere_in_the_site(real_site):
    site = real_site.paths.site
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 1000
    assert [str(p.relative_to(site)) for p in files if PLACEHOLDER in p.read_bytes()] == []


class _Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def test_404_page_links_only_within_the_site(real_site):
    parser = _Links()
    parser.feed((real_site.paths.site / "404.html").read_text("utf-8"))
    base = urlsplit(real_site.url).path  # /metaverse-policy-atlas/
    assert len(parser.urls) > 20
    off_site = [
        u
        for u in parser.urls
        if urlsplit(u).netloc or u.startswith("//") or not (u.startswith(base) or u.startswith("#"))
    ]
    assert off_site == []
    assert f'href="{base}feed.xml"' in (real_site.paths.site / "404.html").read_text("utf-8")


def test_absolute_urls_come_from_the_settings(real_site):
    site, url = real_site.paths.site, real_site.url
    page = (site / "documents/cn-hubei-wuhan-gwr-2022/index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{url}documents/cn-hubei-wuhan-gwr-2022/">' in page
    assert (
        'href="https://github.com/owner/metaverse-policy-atlas/issues/new?title=Correction%3A%20cn-hubei-wuhan-gwr-2022&amp;'
        in page
    )
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{url}documents/cn-hubei-wuhan-gwr-2022/</loc>" in sitemap and sitemap.count("<loc>") == sitemap.count(
        f"<loc>{url}"
    )
    feed = (site / "feed.xml").read_text("utf-8")
    assert f'<link rel="self" href="{url}feed.xml"/>' in feed and feed.count("<link href=") == feed.count(
        f'<link href="{url}'
    )
    cff = YAML(typ="safe").load((site / "CITATION.cff").read_text("utf-8"))
    assert cff["url"] == url and cff["repository-code"] == "https://github.com/owner/metaverse-policy-atlas"
    assert (
        cff["version"] == YAML(typ="safe").load((real_site.paths.data / "dataset.yaml").read_text("utf-8"))["version"]
    )
