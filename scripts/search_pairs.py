"""Type every generated search query into a built site's search box and report how many find
their record (issue #16, "search that finds").

Usage (after `make site`, Chromium from Debian's package):

    .venv/bin/python scripts/search_pairs.py [--site-dir site] [--data data] [--failures]

The queries and the records they must find come from the data (`generator.search.search_pairs`):
"<place> 政府工作报告" / "<place> government work report" and "<place> 元宇宙" / "<place> metaverse"
for every jurisdiction with a work report or a dedicated plan, and every figure a target states,
with and without thousands separators. The site is served on 127.0.0.1 and searched in headless
Chromium through Material's own search box, so ranking is exactly what a reader gets.
`tests/browser/test_search.py` runs the same function on a fresh build.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

# Material's search box states while it has no results for the current text (English UI).
_IDLE = ("Initializing search", "Type to start searching")


def rank(page, base_url: str, queries: list[str]) -> dict[str, list[str]]:
    """Search ``queries`` one after another on the Playwright ``page`` (any page of the site at
    ``base_url``); return each query's result pages, site-relative (``documents/x/``) in rank order.

    Each query clears the box and waits for Material's idle message, then fills the text and
    presses a key (CJK text fills without key events: PITFALLS.md), then waits until the result
    count names this query's results. Only the first page of results (Material renders 10 at
    first) is read; the pairs look at the top few. Raises Playwright's TimeoutError when the
    search box never answers.
    """
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    out = {}
    for query in queries:
        box.fill("")
        box.press("End")
        page.wait_for_function(
            "idle => idle.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
            arg=list(_IDLE),
            timeout=20_000,
        )
        box.fill(query)
        box.press("End")
        page.wait_for_function(
            "idle => !idle.includes(document.querySelector('.md-search-result__meta').textContent.trim())",
            arg=list(_IDLE),
            timeout=20_000,
        )
        hrefs = page.eval_on_selector_all(".md-search-result__item", "els => els.map(li => li.querySelector('a').href)")
        out[query] = [urlsplit(h).path.removeprefix(urlsplit(base_url).path) for h in hrefs]
    return out


def evaluate(pairs, ranked: dict[str, list[str]]):
    """Return ``(passed, failed)``: the pairs whose query's results meet them and the rest, each
    failure as ``(pair, its first results)``."""
    from generator.search import passes

    passed, failed = [], []
    for pair in pairs:
        results = ranked[pair.query]
        if passes(pair, results):
            passed.append(pair)
        else:
            failed.append((pair, results[: pair.top + 2]))
    return passed, failed


def main(argv: list[str] | None = None) -> int:
    """Print the pass rate of every generated pair on a built site; exit 1 when one fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=Path("site"))
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--failures", action="store_true", help="list every failing query with its first results")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from playwright.sync_api import sync_playwright

    from generator.dataset import build_dataset
    from generator.dev.browser import CHROMIUM, CHROMIUM_ARGS, SiteServer
    from generator.loader import load_data
    from generator.search import search_pairs

    pairs = search_pairs(build_dataset(load_data(args.data), args.data))
    with SiteServer(args.site_dir) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
        page.goto(server.url)
        ranked = rank(page, server.url, sorted({p.query for p in pairs}))
        browser.close()
    passed, failed = evaluate(pairs, ranked)
    groups: dict[str, list[int]] = {}
    for ok, pair in [(True, p) for p in passed] + [(False, p) for p, _ in failed]:
        kind = "figure" if pair.every else pair.why.split(" of ")[0]
        groups.setdefault(kind, [0, 0])[0 if ok else 1] += 1
    for kind, (ok, bad) in sorted(groups.items()):
        print(f"{kind}: {ok}/{ok + bad} pass")
    print(f"all: {len(passed)}/{len(pairs)} pass ({100 * len(passed) / len(pairs):.0f}%)")
    if args.failures:
        for pair, results in failed:
            print(f"FAIL {pair.query!r} ({pair.why}): want {list(pair.expected)} in top {pair.top}; got {results}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
