"""Browser test harness: build a site, serve it on 127.0.0.1 and watch Chromium while it runs.

Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/run``) is driven by Playwright; its own
browser download is never used. Every page is watched for three faults, which tests assert away
with :meth:`Watch.assert_clean`:

- a request to any host but 127.0.0.1/localhost (the site must work offline);
- a console error or an uncaught exception;
- a Content-Security-Policy violation (``securitypolicyviolation`` events).

Without Chromium the tests fail when the environment variable ``CI`` is set, and are skipped with
the reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import SiteServer

from generator import vendor
from generator.dev.browser import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

# Runs in every document before the page's scripts; CDP-injected, so the page's CSP allows it.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__atlasCspViolation({directive: e.violatedDirective, blocked: e.blockedURI,
                              source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
"""


def require_chromium() -> Path:
    """Return Chromium's path; fail under CI, skip elsewhere, when it is not installed."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    reason = f"{CHROMIUM} not found: install Debian's chromium (`apt-get install -y chromium fonts-noto-cjk`)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so browser tests must run")
    pytest.skip(reason)


# Serving ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def serve_dir():
    """Factory: ``serve_dir(path) -> SiteServer``; every server stops at the end of the session."""
    servers: list[SiteServer] = []

    def start(root: Path) -> SiteServer:
        root.mkdir(parents=True, exist_ok=True)
        servers.append(SiteServer(root))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


# Building -----------------------------------------------------------------------------------


def derived_config(site_url: str, nav: list) -> dict:
    """Return the repository's mkdocs.yml with a test nav and site_url, all else unchanged."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(site_url=site_url, nav=nav)
    return config


def build_site(project: Path, pages: dict[str, str], files: dict[str, bytes], nav: list, site_url: str) -> Path:
    """Build a small site with the real config, overrides and Vega bundle; return its site folder.

    ``project`` gets ``mkdocs.yml``, ``overrides/``, the jieba user dictionary and a ``content/``
    made of ``pages`` (Markdown text) and ``files`` (bytes), both keyed by path under content/.
    The build is ``mkdocs build --strict`` run from ``project``, as the generator runs it.
    """
    content = project / "content"
    for rel, text in pages.items():
        _write(content / rel, text.encode("utf-8"))
    for rel, data in files.items():
        _write(content / rel, data)
    shutil.copytree(REPO / "overrides", project / "overrides", dirs_exist_ok=True)
    _write(project / "data/search/jieba_userdict.txt", (REPO / "data/search/jieba_userdict.txt").read_bytes())
    vendor.write_vega_bundle(content / "assets/vendor", cache_dir=REPO / ".cache/vendor")
    for rel, data in vendor.node_assets(REPO / "node_modules").items():  # Tablesort, world map
        _write(content / rel, data)
    config = derived_config(site_url, nav)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    site = project / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return site


@pytest.fixture(scope="session")
def site_builder():
    """:func:`build_site`, for test modules (conftest is not importable by name)."""
    return build_site


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# Watching -----------------------------------------------------------------------------------


@dataclass
class Watch:
    """What one page did that a clean site never does; filled in by Playwright event handlers."""

    off_host: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict] = field(default_factory=list)

    def on_request(self, request) -> None:
        """Record a request whose host is not this machine (data: and blob: URLs have none)."""
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            self.off_host.append(request.url)

    def on_console(self, message) -> None:
        """Record a console error with where it came from."""
        if message.type == "error":
            where = message.location or {}
            self.console_errors.append(f"{message.text} ({where.get('url', '')}:{where.get('lineNumber', '')})")

    def assert_clean(self, allow_console: tuple[str, ...] = ()) -> None:
        """Fail with every recorded fault; console errors containing an ``allow_console`` text pass."""
        console = [e for e in self.console_errors if not any(a in e for a in allow_console)]
        faults = {
            "requests off 127.0.0.1": self.off_host,
            "console errors": console,
            "uncaught exceptions": self.page_errors,
            "CSP violations": self.csp_violations,
        }
        assert not any(faults.values()), "\n".join(f"{k}: {v}" for k, v in faults.items() if v)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, shared by the session."""
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def watched_page(browser):
    """A fresh page (own storage) with its :class:`Watch` attached: ``(page, watch)``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    watch = Watch()
    context.expose_function("__atlasCspViolation", lambda violation: watch.csp_violations.append(violation))
    context.add_init_script(_CSP_LISTENER)
    context.on("request", watch.on_request)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", lambda err: watch.page_errors.append(str(err)))
    yield page, watch
    context.close()


def _type_search(page, query: str):
    """Type ``query`` into Material's search box and return the result links (a Locator).

    CJK text may not fire the key events the box listens to, so the text is filled and then a
    key is pressed (PITFALLS.md)."""
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    box.fill(query)
    box.press("End")
    return page.locator(".md-search-result__item a")


@pytest.fixture(scope="session")
def type_search():
    """:func:`_type_search`, for test modules (conftest is not importable by name)."""
    return _type_search
