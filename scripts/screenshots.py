"""Take the README's screenshots from a real build: home, a jurisdiction, the targets explorer, the map.

Usage (after `make site` and `make test`, which installs Playwright; Chromium from Debian's package):

    .venv/bin/python scripts/screenshots.py [--site-dir site] [--out docs/screenshots]
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --widths 390,1366 --full-page \
        --page targets=targets/ --page shanghai=jurisdictions/cn-shanghai/

The second form checks pages as a reader sees them: one PNG per page and width
(``targets-390.png``), the whole page length with ``--full-page``.

Serves the built site on 127.0.0.1, opens each page in headless Chromium (Playwright driving
/usr/bin/chromium), waits until every chart is drawn, and writes one PNG per page.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator.dev.browser import CHROMIUM, CHROMIUM_ARGS, SiteServer, palette_script

PAGES = {
    "home.png": "",
    "jurisdiction.png": "jurisdictions/cn-shanghai/",
    "targets.png": "targets/",
    "map.png": "map/",
}


def take(
    site: Path,
    out: Path,
    browser,
    pages: dict[str, str] | None = None,
    widths: tuple[int, ...] = (),
    full_page: bool = False,
    dark: bool = False,
) -> list[Path]:
    """Write screenshots of ``pages`` (``{file name: site path}``, default :data:`PAGES`) from
    ``site`` into ``out`` with a Playwright ``browser``; with ``widths``, one per viewport width
    in CSS pixels, named ``<stem>-<width>.png`` (``<stem>-<width>-dark.png`` in the dark palette,
    with ``dark``). Returns their paths."""
    server = SiteServer(site)
    url = server.url
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for width in widths or (1280,):
            page = browser.new_page(
                viewport={"width": width, "height": 900 if width > 600 else 844},
                device_scale_factor=1,
                color_scheme="dark" if dark else "light",
            )
            page.add_init_script(palette_script("/", dark))
            for name, path in (pages or PAGES).items():
                page.goto(url + path)
                charts = page.locator(".atlas-chart").count()
                page.wait_for_function(
                    "n => document.querySelectorAll('.atlas-chart[data-atlas-chart=drawn] svg').length >= n",
                    arg=charts,
                    timeout=30_000,
                )
                suffix = "-dark" if dark else ""
                target = out / (f"{Path(name).stem}-{width}{suffix}.png" if widths else name)
                page.screenshot(path=str(target), full_page=full_page)
                written.append(target)
            page.close()
    finally:
        server.close()
    return written


def main(
    site: Path,
    out: Path,
    chromium: str = str(CHROMIUM),
    pages: dict[str, str] | None = None,
    widths: tuple[int, ...] = (),
    full_page: bool = False,
    dark: bool = False,
) -> None:
    """Launch Debian's Chromium and take every screenshot."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for path in take(site, out, browser, pages, widths, full_page, dark):
            print(f"Wrote {path}")
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument(
        "--page", action="append", default=[], metavar="NAME=PATH", help="a page to take instead of the README's four"
    )
    parser.add_argument("--widths", default="", help="viewport widths in CSS pixels, e.g. 390,1366")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the first screen")
    parser.add_argument("--dark", action="store_true", help="in the dark palette (slate), as a reader's toggle sets it")
    options = parser.parse_args()
    chosen = dict(item.split("=", 1) for item in options.page) or None
    widths = tuple(int(w) for w in options.widths.split(",") if w)
    main(options.site_dir, options.out, pages=chosen, widths=widths, full_page=options.full_page, dark=options.dark)
