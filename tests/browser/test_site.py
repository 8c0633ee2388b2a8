"""The real site in Chromium: the committed data built by the generator, clicked through as a
reader would (issue #3's acceptance test)."""

import pytest

pytestmark = pytest.mark.browser

CHART_STATE = """els => els.map(el => {
    const svg = el.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    const table = el.closest("figure").nextElementSibling;
    return {spec: el.dataset.spec, width: box.width, height: box.height,
            bars: svg ? svg.querySelectorAll(".mark-rect path").length : 0,
            rows: table ? table.querySelectorAll("tbody tr").length : -1};
})"""


def charts_on(page) -> list[dict]:
    """Wait until every chart placeholder of the page is drawn; return their sizes and counts."""
    count = page.locator(".atlas-chart").count()
    assert count > 0, "no chart on this page"
    page.wait_for_function(
        "n => document.querySelectorAll('.atlas-chart[data-atlas-chart=drawn] svg').length === n", arg=count, timeout=20_000)
    return page.eval_on_selector_all(".atlas-chart", CHART_STATE)


def test_home_to_jurisdiction_by_navigation_with_charts_drawn(real_site, watched_page):
    page, watch = watched_page
    page.goto(real_site.url)
    home = charts_on(page)
    assert all(c["width"] > 0 and c["height"] > 0 for c in home), home
    page.evaluate("window.__sameDocument = true")
    page.click("a.md-tabs__link:text-is('Explore')")
    page.wait_for_url("**/jurisdictions/")
    page.click("article a[href$='cn-hubei-wuhan/']")
    page.wait_for_url("**/jurisdictions/cn-hubei-wuhan/")
    assert "武汉市 Wuhan" in page.inner_text("h1")
    charts = charts_on(page)
    assert all(c["width"] > 0 and c["height"] > 0 for c in charts), charts
    bar = next(c for c in charts if "jur-cn-hubei-wuhan" in c["spec"])
    assert bar["rows"] > 0 and bar["bars"] == bar["rows"], bar
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    watch.assert_clean()


@pytest.mark.parametrize("query", ["武汉", "Wuhan"])
def test_search_finds_wuhan_in_both_languages(real_site, watched_page, query):
    page, watch = watched_page
    page.goto(real_site.url)
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    box.fill(query)
    box.press("End")  # fill alone may not fire the key events the search box listens to
    first = page.locator(".md-search-result__item a").first
    first.wait_for(state="attached", timeout=20_000)
    # Jurisdiction pages are boosted: a place name finds the place first.
    assert "/jurisdictions/cn-hubei-wuhan/?" in first.get_attribute("href")
    watch.assert_clean()


@pytest.mark.parametrize("path", ["", "targets/", "timeline/", "map/"])
def test_chart_pages_draw_every_chart(real_site, watched_page, path):
    page, watch = watched_page
    page.goto(real_site.url + path)
    charts = charts_on(page)
    assert all(c["width"] > 300 and c["height"] > 0 for c in charts), charts
    watch.assert_clean()
