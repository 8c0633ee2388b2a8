"""No sideways scroll on a phone or a laptop, and the columns a reader came for in view (issue #16).

Every HTML page of the real site is loaded at 390×844 and 1366×900. Pages load without JavaScript
(layout is CSS; scripts only draw charts and add filters), and the pages with charts or filter bars
load again with it, so the drawn charts and filter bars are measured too.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import contrast

from generator.dev.browser import palette_script

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}

#: Columns a reader came for in a targets table: what, figure, deadline, status.
KEY_COLUMNS = ("Target", "Figure", "Deadline", "Status")

_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = document.documentElement.scrollWidth;
  const culprits = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {  // inside a scroller of its own: fine
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && p.getBoundingClientRect().right <= width + 1) \
return false;
    }
    return true;
  }).slice(0, 3).map(e => e.tagName + '.' + e.className);
  return {width, wide, culprits};
}"""

_HIDDEN_KEYS = """(keys) => {
  const out = [];
  for (const table of document.querySelectorAll('article table')) {
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
    if (!keys.every(k => heads.includes(k))) continue;
    let box = table.parentElement;
    while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
    const right = Math.min((box || document.documentElement).getBoundingClientRect().right, \
document.documentElement.clientWidth);
    for (const th of table.querySelectorAll('thead th')) {
      if (keys.includes(th.textContent.trim()) && th.getBoundingClientRect().right > right + 1) \
out.push(th.textContent.trim());
    }
  }
  return out;
}"""


def _pages(site: Path) -> list[str]:
    """Site paths of every HTML page (``targets/``), the 404 page left out."""
    paths = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        paths.append("" if rel == "." else rel + "/")
    return paths


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_is_wider_than_the_viewport(real_site, browser, viewport):
    pages = _pages(real_site.paths.site)
    assert len(pages) > 300
    context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=False)
    page = context.new_page()
    wide = {}
    for path in pages:
        page.goto(
            real_site.url + path, wait_until="load"
        )  # stylesheets applied: layout is measured as a reader sees it
        measured = page.evaluate(_OVERFLOW)
        if measured["wide"] > measured["width"] + 1:
            wide[path] = measured
    context.close()
    assert wide == {}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_with_scripts_stay_within_the_viewport(real_site, browser, viewport):
    """Pages with charts and filter bars, drawn: no overflow, and Vega prints no warning."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    warnings = []
    page.on("console", lambda m: warnings.append((page.url, m.text)) if m.type == "warning" else None)
    wide = {}
    for path in (
        "",
        "targets/",
        "documents/",
        "jurisdictions/",
        "compare/",
        "coverage/",
        "map/",
        "timeline/",
        "jurisdictions/cn-shanghai/",
        "jurisdictions/cn/",
    ):
        page.goto(real_site.url + path)
        charts = page.locator(".atlas-chart").count()
        page.wait_for_function(
            "n => document.querySelectorAll('.atlas-chart[data-atlas-chart=drawn] svg').length >= n",
            arg=charts,
            timeout=30_000,
        )
        measured = page.evaluate(_OVERFLOW)
        if measured["wide"] > measured["width"] + 1:
            wide[path] = measured
    context.close()
    assert wide == {}
    assert warnings == []


_TILES = """() => {
  const svg = document.querySelector('#chart-province-map .atlas-chart svg');
  const fills = [...svg.querySelectorAll('g.mark-rect path')].map(p => getComputedStyle(p).fill);
  const inks = [...svg.querySelectorAll('g.mark-text')][0];
  return {fills, inks: [...inks.querySelectorAll('text')].map(t => getComputedStyle(t).fill)};
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_map_tiles_keep_contrast_and_charts_fit_their_palette(real_site, browser, scheme):
    """The tile map as drawn in each colour scheme: every label has 4.5:1 contrast on its tile, and
    no chart on the home page has more colour categories than its palette has colours."""
    context = browser.new_context(viewport=VIEWPORTS["laptop"], color_scheme="dark" if scheme == "slate" else "light")
    page = context.new_page()
    page.add_init_script(palette_script(urlsplit(real_site.url).path, scheme == "slate"))
    page.goto(real_site.url)
    page.wait_for_function(
        "() => document.querySelector('#chart-province-map .atlas-chart[data-atlas-chart=drawn] svg')"
    )
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    tiles = page.evaluate(_TILES)
    assert len(tiles["fills"]) == 34 and len(tiles["inks"]) == 34
    ratios = [contrast(fill, ink) for fill, ink in zip(tiles["fills"], tiles["inks"])]
    assert min(ratios) >= 4.5, sorted(ratios)[:3]
    legends = page.evaluate(
        "[...document.querySelectorAll('.atlas-chart svg g.mark-symbol.role-legend-symbol')].map(g => "
        "g.querySelectorAll('path').length)"
    )
    assert legends and max(legends) <= 10
    context.close()


def test_key_columns_visible_on_a_laptop(real_site, browser):
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    hidden = {}
    checked = 0
    for path in (
        "targets/",
        "jurisdictions/cn-shanghai/",
        "jurisdictions/cn-hubei-wuhan/",
        "documents/cn-shanghai-metaverse-new-track-action-plan-2022/",
    ):
        page.goto(real_site.url + path)
        checked += page.locator("article table thead th:text-is('Status')").count()
        missing = page.evaluate(_HIDDEN_KEYS, list(KEY_COLUMNS))
        if missing:
            hidden[path] = missing
    context.close()
    assert checked >= 4
    assert hidden == {}
