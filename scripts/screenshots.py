"""Take the README's screenshots from a real build: home, a jurisdiction, the targets explorer, the map.

Usage (after `make site` and `make test`, which installs Playwright; Chromium from Debian's package):

    .venv/bin/python scripts/screenshots.py [--site-dir site] [--out docs/screenshots]

Serves the built site on 127.0.0.1, opens each page in headless Chromium (Playwright driving
/usr/bin/chromium), waits until every chart is drawn, and writes one PNG per page.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "home.png": "",
    "jurisdiction.png": "jurisdictions/cn-shanghai/",
    "targets.png": "targets/",
    "map.png": "map/",
}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def take(site: Path, out: Path, browser) -> list[Path]:
    """Write the screenshots of :data:`PAGES` from ``site`` into ``out`` with a Playwright
    ``browser``; return their paths."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    page = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    try:
        for name, path in PAGES.items():
            page.goto(url + path)
            charts = page.locator(".atlas-chart").count()
            page.wait_for_function("n => document.querySelectorAll('.atlas-chart[data-atlas-chart=drawn] svg').length >= n", arg=charts, timeout=30_000)
            page.screenshot(path=str(out / name))
            written.append(out / name)
    finally:
        page.close()
        server.shutdown()
    return written


def main(site: Path, out: Path, chromium: str = "/usr/bin/chromium") -> None:
    """Launch Debian's Chromium and take every screenshot."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        for path in take(site, out, browser):
            print(f"Wrote {path}")
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    options = parser.parse_args()
    main(options.site_dir, options.out)
