"""The real site in Chromium: the committed data built by the generator, clicked through as a
reader would (issue #3's acceptance test)."""

import pytest

pytestmark = pytest.mark.browser

CHART_STATE = """els => els.map(el => {
    const svg = el.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    const box_ = el.closest(".atlas-chartbox");
    const table = box_ ? box_.querySelector(".atlas-chart-data") : null;
    return {spec: el.dataset.spec, width: box.width, height: box.height,
            bars: svg ? svg.querySelectorAll(".mark-rect path").length : 0,
            rows: table ? table.querySelectorAll("tbody tr").length : -1};
})"""


def charts_on(page) -> list[dict]:
    """Wait until every chart placeholder of the page is drawn; return their sizes and counts."""
    page.wait_for_selector(".atlas-chart", state="attached", timeout=20_000)  # instant navigation may still be swapping
    count = page.locator(".atlas-chart").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.atlas-chart[data-atlas-chart=drawn] svg').length === n",
        arg=count,
        timeout=20_000,
    )
    return page.eval_on_selector_all(".atlas-chart", CHART_STATE)


def test_home_to_jurisdiction_by_navigation_with_charts_drawn(real_site, watched_page):
    page, watch = watched_page
    page.goto(real_site.url)
    home = charts_on(page)
    assert all(c["width"] > 0 and c["height"] > 0 for c in home), home
    page.evaluate("window.__sameDocument = true")
    page.click("a.md-tabs__link:text-is('Explore')")
    page.wait_for_url("**/jurisdictions/")
    page.click("article a[href$='cn-hubei/']")
    page.wait_for_url("**/jurisdictions/cn-hubei/")
    page.wait_for_selector(
        "h1:has-text('湖北省 Hubei')", timeout=20_000
    )  # instant navigation swaps content after the URL
    charts = charts_on(page)
    assert all(c["width"] > 0 and c["height"] > 0 for c in charts), charts
    bar = next(c for c in charts if "jur-cn-hubei." in c["spec"])
    assert bar["rows"] > 0 and bar["bars"] == bar["rows"], bar
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    watch.assert_clean()


@pytest.mark.parametrize("query", ["武汉", "Wuhan"])
def test_search_finds_wuhan_in_both_languages(real_site, watched_page, type_search, query):
    page, watch = watched_page
    page.goto(real_site.url)
    first = type_search(page, query).first
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


def test_listing_table_filters_and_sorts(real_site, watched_page):
    from generator.dataset import build_dataset
    from generator.validate import require_valid

    ds = build_dataset(require_valid(real_site.paths.data).loaded, real_site.paths.data)
    shanghai = sum(1 for d in ds.documents.values() if (p := ds.province_of(d.jurisdiction)) and p.id == "cn-shanghai")
    page, watch = watched_page
    page.goto(real_site.url + "documents/")
    page.wait_for_selector(".atlas-table[data-atlas-table=ready]")
    total = page.locator(".atlas-table tbody tr").count()
    assert page.inner_text(".atlas-filter-count") == f"Showing {total} of {total}"
    page.select_option("select[aria-label='Filter by Province']", "上海市")
    assert page.locator(".atlas-table tbody tr:not([hidden])").count() == shanghai > 0
    assert page.inner_text(".atlas-filter-count") == f"Showing {shanghai} of {total}"
    page.select_option("select[aria-label='Filter by Province']", "")
    read = "els => els.map(e => e.textContent.trim())"
    before = page.eval_on_selector_all(".atlas-table tbody tr td:first-child", read)
    page.click(".atlas-table th:text-is('Date')")
    after = page.eval_on_selector_all(".atlas-table tbody tr td:first-child", read)
    if after == before:  # the first click sorted in the order the table already had
        page.click(".atlas-table th:text-is('Date')")
        after = page.eval_on_selector_all(".atlas-table tbody tr td:first-child", read)
    assert after != before and sorted(after) == sorted(before)
    dated = [d for d in after if d]
    assert dated in (sorted(dated), sorted(dated, reverse=True)), dated[:10]
    watch.assert_clean()


def test_pages_readable_without_javascript(real_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for path in ("", "targets/", "map/"):
        page.goto(real_site.url + path)
        fallback = page.locator(".atlas-chart img.atlas-chart-fallback").first
        assert fallback.is_visible()
        assert page.evaluate("img => img.complete && img.naturalWidth > 0", fallback.element_handle())
        page.locator(".atlas-chartbox .tabbed-labels label:has-text('Table')").first.click()
        assert page.locator(".atlas-chart-data tbody tr").first.is_visible()
    page.goto(real_site.url + "documents/")
    assert page.locator(".atlas-table tbody tr").count() > 50
    context.close()


def test_screenshot_script_writes_every_page(real_site, tmp_path, browser):
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", real_site.paths.data.parent / "scripts/screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.take(real_site.paths.site, tmp_path, browser)
    assert [p.name for p in written] == list(module.PAGES)
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


@pytest.mark.parametrize("link,path", [("Targets", "targets/"), ("Timeline", "timeline/"), ("Map", "map/")])
def test_chart_pages_after_instant_navigation_and_palette_toggle(real_site, watched_page, link, path):
    page, watch = watched_page
    page.goto(real_site.url + "coverage/")  # a page of the Explore section with its sidebar shown
    page.evaluate("window.__sameDocument = true")
    page.locator("a.md-nav__link:visible", has_text=link).first.click()
    page.wait_for_url(f"**/{path}")
    charts = charts_on(page)
    assert all(c["width"] > 300 and c["height"] > 0 for c in charts), charts
    page.eval_on_selector_all(".atlas-chart svg", "svgs => svgs.forEach(s => s.dataset.seen = '1')")
    page.click("label[for='__palette_1']")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.wait_for_function(
        "() => [...document.querySelectorAll('.atlas-chart')].every(el => { const s = el.querySelector('svg'); return "
        "s && !s.dataset.seen; })",
        timeout=20_000,
    )
    charts = charts_on(page)
    assert all(c["width"] > 300 and c["height"] > 0 for c in charts), charts
    assert page.evaluate("window.__sameDocument === true"), "navigation reloaded the page"
    watch.assert_clean()


def test_pages_without_charts_load_no_vega(real_site, watched_page):
    page, watch = watched_page
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(real_site.url + "about/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "vega-bundle" in u], requested
    page.goto(real_site.url + "timeline/")
    charts_on(page)
    assert [u for u in requested if u.endswith("assets/vendor/vega-bundle.js")]
    watch.assert_clean()
