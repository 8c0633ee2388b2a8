"""Where every generated page and file lives: its content path under ``content/``, its site URL,
and the relative link from one page to another (issue 13 part 2; in the spirit of mkdocs'
``structure/files.py`` ``File``: source path → URL → relative URL in one place).

The site is built with MkDocs' ``use_directory_urls``, so a content path and its site URL are:

==================================  ==============================
content path                        site URL (relative to the site root)
==================================  ==============================
``index.md``                        ``""`` (the home page)
``targets.md``                      ``targets/``
``documents/index.md``              ``documents/`` (a section's listing)
``documents/<id>/index.md``         ``documents/<id>/`` (a record page)
``documents/<old>/index.html``      ``documents/<old>/`` (a redirect left by a renamed record)
==================================  ==============================

Record pages live in the site folder named by the kind's :attr:`generator.kinds.Kind.section`;
kinds without a section have no pages. Every module that names a page or a file of the site asks
here: :mod:`generator.pages`, :mod:`generator.charts`, :mod:`generator.diff`,
:mod:`generator.downloads`, :mod:`generator.search`, :mod:`generator.build`.

Content paths are POSIX paths relative to ``content/`` made only by this module (no ``.`` or
``..`` parts); site URLs are relative to the site root and end in ``/`` (the home page is ``""``).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

from . import escape
from .kinds import KINDS

#: The home page.
HOME = "index.md"

#: The listing pages that are not a section's index (content paths; ``<name>.md`` → ``<name>/``).
TARGETS, TIMELINE, COVERAGE, SOURCES, DATA = "targets.md", "timeline.md", "coverage.md", "sources.md", "data.md"
CHANGELOG, CORRECTIONS, CODEBOOK, MAP, THEMES = "changelog.md", "corrections.md", "codebook.md", "map.md", "themes.md"
COMPARE, REFERENCE, METHODOLOGY = "compare.md", "reference.md", "methodology.md"

#: The Atom feed of new and changed documents (a content file, not a page).
FEED = "feed.xml"

#: The folder of chart files (:func:`chart_file`), and the relative URL from it to the site root:
#: Vega resolves a chart's data files and links against its spec's folder (``charts.js`` sets
#: ``loader.baseURL`` to it), so links inside a chart start here, whichever page shows it.
CHARTS = "charts"
CHART_ROOT = "../"


def section(kind: str) -> str:
    """Return the site folder of the record pages of ``kind`` (a key of :data:`generator.kinds.KINDS`).

    Raises:
        KeyError: ``kind`` is not a record kind.
        ValueError: records of ``kind`` have no pages (:attr:`generator.kinds.Kind.section` is None).
    """
    folder = KINDS[kind].section
    if folder is None:
        raise ValueError(f"records of kind {kind!r} have no pages of their own")
    return folder


def section_index(kind: str) -> str:
    """Return the content path of the listing page of ``kind``'s section (``documents/index.md``).

    Raises:
        KeyError, ValueError: as :func:`section`.
    """
    return f"{section(kind)}/index.md"


@lru_cache(maxsize=65536)
def record_page(kind: str, record_id: str) -> str:
    """Return the content path of the page of record ``record_id`` of ``kind``
    (``documents``, ``x`` → ``documents/x/index.md``).

    Raises:
        KeyError, ValueError: as :func:`section`; ValueError also for an id that is not a safe
            path segment (:func:`generator.escape.path_segment`; validation rejects those first).
    """
    return f"{section(kind)}/{escape.path_segment(record_id)}/index.md"


def record_url(kind: str, record_id: str) -> str:
    """Return the site URL of the page of record ``record_id`` of ``kind`` (``documents/x/``).

    Raises:
        KeyError, ValueError: as :func:`record_page`.
    """
    return site_url(record_page(kind, record_id))


def redirect_page(kind: str, old_id: str) -> str:
    """Return the content path of the HTML page left at a renamed record's old URL
    (``documents/<old>/index.html``: MkDocs copies it as it is).

    Raises:
        KeyError, ValueError: as :func:`record_page`.
    """
    return f"{section(kind)}/{escape.path_segment(old_id)}/index.html"


def redirect_target(kind: str, new_id: str) -> str:
    """Return the URL of a renamed record's page relative to its old URL (``../<new>/``): both are
    record pages of the same section.

    Raises:
        KeyError, ValueError: as :func:`record_page`.
    """
    section(kind)
    return f"../{escape.path_segment(new_id)}/"


def record_json(kind: str, record_id: str) -> str:
    """Return the content path of the JSON download of one record
    (``data/records/<kind>/<id>.json``; ``kind`` a key of :data:`generator.kinds.KINDS`)."""
    return f"data/records/{kind}/{record_id}.json"


def chart_file(name: str, suffix: str) -> str:
    """Return the content path of a chart's file: ``charts/<name><suffix>`` for the suffixes
    ``.vl.json`` (Vega-Lite spec), ``.svg`` (static fallback) and ``.csv`` (its data)."""
    return f"{CHARTS}/{name}{suffix}"


@lru_cache(maxsize=65536)
def site_url(page: str) -> str:
    """Return the site URL of a content page (``targets.md`` → ``targets/``,
    ``documents/x/index.md`` → ``documents/x/``, ``index.md`` → ``""``; a redirect page
    ``documents/x/index.html`` → ``documents/x/``)."""
    for index in ("index.md", "index.html"):
        if page == index:
            return ""
        if page.endswith("/" + index):
            return page[: -len(index)]
    return page[: -len(".md")] + "/"


@lru_cache(maxsize=65536)
def relative(page: str, from_page: str) -> str:
    """Return the relative path from content page ``from_page`` to content file ``page``, for a
    Markdown link (MkDocs turns it into the right URL and, strict, checks it exists):
    ``relative("documents/x/index.md", "targets.md")`` → ``documents/x/index.md``. Cached: pages
    link to the same few folders thousands of times."""
    return posixpath.relpath(page, posixpath.dirname(from_page) or ".")


@lru_cache(maxsize=65536)
def root(page: str) -> str:
    """Return the relative URL prefix from a content page's site URL to the site root, for raw HTML
    links and chart data (``documents/x/index.md`` → ``../../``; ``index.md`` → ``""``)."""
    return "../" * site_url(page).count("/")


@dataclass(frozen=True)
class Page:
    """One page of the site, by its content path: the object that knows its URL and its links.

    Attributes:
        path: the content path (``documents/x/index.md``), as :func:`record_page` and the
            constants of this module give it.
    """

    path: str

    @classmethod
    def record(cls, kind: str, record_id: str) -> Page:
        """The page of one record (see :func:`record_page`; raises as it does)."""
        return cls(record_page(kind, record_id))

    @property
    def url(self) -> str:
        """The site URL (``documents/x/``; :func:`site_url`)."""
        return site_url(self.path)

    @property
    def root(self) -> str:
        """The relative URL prefix from this page to the site root (``../../``; :func:`root`)."""
        return root(self.path)

    def link_to(self, page: str) -> str:
        """The relative path from this page's file to the content file ``page`` (:func:`relative`)."""
        return relative(page, self.path)

    def href(self, page: str) -> str:
        """The relative URL from this page to the content page ``page``, for raw HTML (MkDocs does
        not rewrite those): ``documents/x/index.md`` → ``changelog.md`` gives ``../../changelog/``."""
        return self.root + site_url(page)

    def chart_href(self, name: str, suffix: str) -> str:
        """The relative URL from this page to a chart's file (:func:`chart_file`), for raw HTML."""
        return self.root + chart_file(name, suffix)
