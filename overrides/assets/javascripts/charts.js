/*
 * Metaverse Policy Atlas: chart loader.
 *
 * Draws every chart placeholder the generator writes,
 *
 *   <div class="atlas-chart" data-spec="../charts/x.vl.json" data-svg="../charts/x.svg"
 *        role="figure" aria-label="Title"><img src="../charts/x.svg" alt="Title"></div>
 *
 * with vega-embed from the site's own bundle (assets/vendor/vega-bundle.js). The spec URL is
 * resolved against the current page; URLs inside a spec (data.url) against the spec file.
 *
 * - Material's instant navigation swaps page content without a reload, so drawing subscribes to
 *   its `document$` (DOMContentLoaded where Material is absent) and skips charts already seen.
 * - A chart is drawn once its placeholder has a width: charts in hidden content tabs are drawn
 *   when their tab is shown (ResizeObserver), and `width: "container"` measures a real width.
 * - Changing the colour scheme (data-md-color-scheme on body) redraws every chart with colours
 *   taken from Material's CSS variables.
 * - When the spec cannot be loaded, the static SVG (data-svg) stays or is put in place, silently;
 *   only a spec that vega-embed cannot draw is reported with console.error.
 * - `ast: true` makes Vega interpret expressions instead of compiling them with Function(), so the
 *   Content-Security-Policy needs no 'unsafe-eval'.
 */
(function () {
  "use strict";

  var SELECTOR = ".atlas-chart";
  var charts = new Map(); // placeholder element -> chart state
  var specTexts = new Map(); // absolute spec URL -> Promise<string>
  var resizeObserver = new ResizeObserver(onResize);

  /* Placeholders ---------------------------------------------------------------------------- */

  function scan() {
    forgetDetached();
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      if (charts.has(el)) return;
      charts.set(el, {
        state: "waiting",
        run: 0,
        result: null,
        fallback: Array.from(el.childNodes),
        specUrl: el.dataset.spec ? new URL(el.dataset.spec, location.href).href : null,
      });
      resizeObserver.observe(el);
    });
  }

  function forgetDetached() {
    charts.forEach(function (chart, el) {
      if (el.isConnected) return;
      resizeObserver.unobserve(el);
      if (chart.result) chart.result.finalize();
      charts.delete(el);
    });
  }

  function onResize(entries) {
    entries.forEach(function (entry) {
      var chart = charts.get(entry.target);
      if (chart && chart.state === "waiting" && entry.contentRect.width > 0) draw(entry.target, chart);
    });
  }

  function redrawAll() {
    charts.forEach(function (chart, el) {
      if (chart.state !== "drawn" && chart.state !== "drawing") return;
      if (el.getBoundingClientRect().width > 0) {
        draw(el, chart);
      } else {
        chart.run += 1; // hidden now (another tab): drawn again by onResize when shown
        chart.state = "waiting";
      }
    });
  }

  /* Drawing --------------------------------------------------------------------------------- */

  function draw(el, chart) {
    var run = ++chart.run;
    chart.state = "drawing";
    el.setAttribute("aria-busy", "true");
    if (!chart.specUrl) {
      showFallback(el, chart);
      return;
    }
    Promise.all([loadVega(), loadSpec(chart.specUrl)]).then(function (loaded) {
      if (run === chart.run) embed(el, chart, loaded[1], run);
    }, function () {
      // Missing or unreachable spec or bundle (offline, not yet deployed): the static SVG stands in.
      if (run === chart.run) showFallback(el, chart);
    });
  }

  function embed(el, chart, text, run) {
    var view = document.createElement("div");
    view.className = "atlas-chart__view";
    Promise.resolve().then(function () {
      var spec = JSON.parse(text);
      el.replaceChildren(view);
      return window.vegaEmbed(view, spec, embedOptions(chart.specUrl));
    }).then(function (result) {
      if (run !== chart.run) {
        result.finalize(); // a newer draw has started
        return;
      }
      if (chart.result) chart.result.finalize();
      chart.result = result;
      chart.state = "drawn";
      el.removeAttribute("aria-busy");
      el.dataset.atlasChart = "drawn";
    }, function (err) {
      console.error("atlas-chart: cannot draw " + chart.specUrl, err);
      if (run === chart.run) showFallback(el, chart);
    });
  }

  /* The Vega bundle (~1 MB) is loaded only by pages that have a chart, the first time one is drawn. */
  var BUNDLE_URL = new URL("../vendor/vega-bundle.js", (document.currentScript && document.currentScript.src) || location.href).href;
  var vegaLoading = null;

  function loadVega() {
    if (typeof window.vegaEmbed === "function") return Promise.resolve();
    if (!vegaLoading) {
      vegaLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = BUNDLE_URL;
        script.addEventListener("load", function () {
          if (typeof window.vegaEmbed === "function") resolve(); else reject(new Error("no vegaEmbed"));
        });
        script.addEventListener("error", function () {
          vegaLoading = null;
          reject(new Error("cannot load " + BUNDLE_URL));
        });
        document.head.appendChild(script);
      });
    }
    return vegaLoading;
  }

  function loadSpec(url) {
    if (!specTexts.has(url)) {
      specTexts.set(url, fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.text();
      }));
      specTexts.get(url).catch(function () {
        specTexts.delete(url); // try again on the next page view
      });
    }
    return specTexts.get(url);
  }

  function showFallback(el, chart) {
    if (chart.result) chart.result.finalize();
    chart.result = null;
    chart.state = "failed";
    el.removeAttribute("aria-busy");
    el.dataset.atlasChart = "fallback";
    if (chart.fallback.length) {
      el.replaceChildren.apply(el, chart.fallback);
    } else if (el.dataset.svg) {
      var img = document.createElement("img");
      img.src = new URL(el.dataset.svg, location.href).href;
      img.alt = el.getAttribute("aria-label") || "";
      el.replaceChildren(img);
    }
  }

  /* Options and theme ----------------------------------------------------------------------- */

  function embedOptions(specUrl) {
    var dark = isDark();
    return {
      actions: false,
      renderer: "svg",
      ast: true,
      defaultStyle: false, // its <style> element is in atlas.css instead
      config: themeConfig(),
      loader: { baseURL: new URL(".", specUrl).href },
      tooltip: { theme: dark ? "dark" : "light", disableDefaultStyle: true },
    };
  }

  function isDark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function themeConfig() {
    var css = getComputedStyle(document.body);
    var fg = cssVar(css, "--md-default-fg-color");
    var light = cssVar(css, "--md-default-fg-color--light");
    var lighter = cssVar(css, "--md-default-fg-color--lightest");
    return {
      background: "transparent",
      font: css.fontFamily,
      view: { stroke: lighter },
      title: { color: fg, subtitleColor: light },
      axis: { domainColor: light, tickColor: light, gridColor: lighter, labelColor: light, titleColor: fg },
      legend: { labelColor: light, titleColor: fg },
      header: { labelColor: fg, titleColor: fg },
      text: { color: fg },
    };
  }

  function cssVar(css, name) {
    return css.getPropertyValue(name).trim() || undefined;
  }

  /* Wiring ---------------------------------------------------------------------------------- */

  new MutationObserver(redrawAll).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"],
  });

  window.atlasOnPage(scan); // page.js: every page view, instant navigation included
})();
