"""Build settings: where the site is published and where its repository lives (issue 13 part 2,
issue 16 part 4), and the facts a build renders with (:class:`BuildFacts`).

One frozen :class:`Settings` object is built at the command-line edge
(:meth:`Settings.from_options`, from ``--site-url`` and ``--repository``, which ``make site
SITE_URL=… REPOSITORY=…`` passes) and handed to the build; canonical links, the sitemap, the feed,
citations, ``CITATION.cff`` and "report an error" all read it, and nothing else reads a site URL
or a repository from the environment or from ``mkdocs.yml``.

A build given a site URL is a *publishing* build: it needs the repository too and refuses the
reserved example domains (RFC 2606: ``example.org`` and friends, the ``.example``, ``.invalid``,
``.test`` and ``.localhost`` top-level names), which are placeholders, never a real address. A
build given neither is a local build: its absolute URLs point at :data:`LOCAL_SITE_URL`, where the
README's preview command serves ``site/``, and it has no "report an error" links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Where a local (non-publishing) build says it lives: the address the README's preview command
#: and ``make serve`` serve the site at.
LOCAL_SITE_URL = "http://127.0.0.1:8000/"

#: Host names reserved for examples and tests (RFC 2606, RFC 6761): a placeholder, never a site.
RESERVED_DOMAINS = ("example.org", "example.com", "example.net")
RESERVED_TLDS = ("example", "invalid", "test", "localhost")

_REPOSITORY_SHORT = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_GITHUB = "https://github.com/"


class SettingsError(ValueError):
    """A setting given on the command line is unusable; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    """What a build knows about where it is published.

    Attributes:
        site_url: the site's absolute base URL, ending in ``/`` (``https://owner.github.io/repo/``);
            :data:`LOCAL_SITE_URL` for a local build.
        repository: the repository's web address (``https://github.com/OWNER/REPO``), or None
            (local builds: no "report an error" links).
        publishing: True when the site URL was given (``--site-url``): a build for publishing.
    """

    site_url: str = LOCAL_SITE_URL
    repository: str | None = None
    publishing: bool = False

    @classmethod
    def from_options(cls, site_url: str | None = None, repository: str | None = None) -> Settings:
        """Return the settings for the command-line options ``--site-url`` and ``--repository``.

        ``site_url``: an absolute http(s) URL (a trailing ``/`` is added); ``repository``: a web
        address or GitHub's ``OWNER/REPO`` (``github.repository`` in a workflow), which becomes
        ``https://github.com/OWNER/REPO``. Neither given: a local build.

        Raises:
            SettingsError: only one of the two given, a URL that is not absolute http(s), or a
                placeholder domain (see :data:`RESERVED_DOMAINS`).
        """
        if not site_url and not repository:
            return cls()
        if not site_url or not repository:
            raise SettingsError(
                "a publishing build needs both --site-url and --repository "
                "(make site SITE_URL=https://OWNER.github.io/REPO/ REPOSITORY=OWNER/REPO)"
            )
        return cls(site_url=_site_url(site_url), repository=_repository(repository), publishing=True)

    def url(self, path: str = "") -> str:
        """Return the absolute URL of a site-relative ``path`` (``documents/x/`` →
        ``https://owner.github.io/repo/documents/x/``)."""
        return self.site_url + path.lstrip("/")


@dataclass(frozen=True)
class BuildFacts:
    """What a build knows when it renders, read once per build (:func:`generator.build.read_facts`)
    and handed to the pages, citations, downloads and ``CITATION.cff``: the one typed object in place
    of the untyped ``meta`` dict of earlier versions (issue 13 part 2). Each fact has one source and
    at most one default.

    Attributes:
        version: the dataset's version (``data/dataset.yaml``; :data:`generator.loader.UNVERSIONED`
            when it has none, as in the test fixtures). No default: the loader decides.
        data_as_of: the day the data describes, ``YYYY-MM-DD`` (UTC): ``SOURCE_DATE_EPOCH``, else
            the last commit of ``data/``, else today (:func:`generator.build.data_as_of`). No
            default: every page, feed, citation and the data package print the same day.
        settings: where the site is published (:class:`Settings`; default: a local build).
        citation_cff: the text of the repository's ``CITATION.cff``; ``""``: there is none, and the
            build writes no copy.
    """

    version: str
    data_as_of: str
    settings: Settings = Settings()
    citation_cff: str = ""


def _site_url(value: str) -> str:
    """Check and normalize a publishing site URL (absolute http(s), not a placeholder, ends in ``/``)."""
    parts = urlsplit(value.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in ("http", "https") or not host or parts.query or parts.fragment:
        raise SettingsError(
            f"--site-url {value!r} is not an absolute http(s) URL such as https://OWNER.github.io/REPO/"
        )
    if _is_placeholder(host):
        raise SettingsError(
            f"--site-url {value!r} is a placeholder domain (RFC 2606); give the address the site is published at"
        )
    return parts.geturl().rstrip("/") + "/"


def _repository(value: str) -> str:
    """Check and normalize a repository address (``OWNER/REPO`` or an absolute http(s) URL)."""
    value = value.strip().rstrip("/")
    if _REPOSITORY_SHORT.match(value):
        return _GITHUB + value
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if (
        parts.scheme != "https"
        or not host
        or len([p for p in parts.path.split("/") if p]) != 2
        or parts.query
        or parts.fragment
    ):
        raise SettingsError(f"--repository {value!r} is neither OWNER/REPO nor https://HOST/OWNER/REPO")
    if _is_placeholder(host):
        raise SettingsError(f"--repository {value!r} is on a placeholder domain (RFC 2606)")
    return value


def _is_placeholder(host: str) -> bool:
    """True for the reserved example and test host names."""
    return (
        any(host == d or host.endswith("." + d) for d in RESERVED_DOMAINS) or host.rsplit(".", 1)[-1] in RESERVED_TLDS
    )
