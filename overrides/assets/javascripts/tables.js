/*
 * Metaverse Policy Atlas: filter and sort the listing tables.
 *
 * The generator wraps each listing table in
 *
 *   <div class="atlas-table" data-filters="Province,Year=Date,Kind">  ... <table> ... </div>
 *
 * Every column sorts with Tablesort (served from the site: assets/vendor/tablesort.min.js).
 * `data-filters` names columns (by header text) that get a drop-down of their distinct values;
 * `Label=Column` filters on the four-digit year found in that column. A text box filters on any
 * cell. Without JavaScript the table is a plain, complete table.
 *
 * Material's instant navigation swaps the page without a reload, so set-up subscribes to its
 * `document$` (DOMContentLoaded where it is absent) and skips tables already enhanced.
 */
(function () {
  "use strict";

  function headerIndex(table, name) {
    var cells = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
    return cells.findIndex(function (th) { return th.textContent.trim() === name; });
  }

  function cellValue(row, index, byYear) {
    var text = (row.cells[index] ? row.cells[index].textContent : "").trim();
    if (!byYear) return text;
    var match = text.match(/\b(1[89]|20)\d\d\b/);
    return match ? match[0] : "";
  }

  function parseFilters(spec, table) {
    return (spec || "").split(",").map(function (part) {
      var pieces = part.split("=");
      var label = pieces[0].trim();
      var column = (pieces[1] || pieces[0]).trim();
      return {label: label, index: headerIndex(table, column), byYear: pieces.length > 1};
    }).filter(function (f) { return f.label && f.index >= 0; });
  }

  function makeSelect(filter, rows) {
    var values = Array.from(new Set(rows.map(function (r) { return cellValue(r, filter.index, filter.byYear); })))
      .filter(Boolean).sort();
    var select = document.createElement("select");
    select.setAttribute("aria-label", "Filter by " + filter.label);
    var all = document.createElement("option");
    all.value = "";
    all.textContent = filter.label + ": all";
    select.appendChild(all);
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
    filter.select = select;
    return select;
  }

  function apply(table, filters, search, counter) {
    var rows = Array.from(table.tBodies[0].rows);
    var needle = search.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = filters.every(function (f) {
        return !f.select.value || cellValue(row, f.index, f.byYear) === f.select.value;
      });
      if (ok && needle) ok = row.textContent.toLowerCase().indexOf(needle) >= 0;
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    counter.textContent = "Showing " + shown + " of " + rows.length;
  }

  function enhance(wrapper) {
    var table = wrapper.querySelector("table");
    if (!table || wrapper.dataset.atlasTable === "ready" || !table.tBodies.length) return;
    wrapper.dataset.atlasTable = "ready";
    if (window.Tablesort) new window.Tablesort(table);
    var rows = Array.from(table.tBodies[0].rows);
    var filters = parseFilters(wrapper.dataset.filters, table);
    var bar = document.createElement("div");
    bar.className = "atlas-filters";
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter rows…";
    search.setAttribute("aria-label", "Filter rows by any text");
    bar.appendChild(search);
    filters.forEach(function (f) { bar.appendChild(makeSelect(f, rows)); });
    var counter = document.createElement("span");
    counter.className = "atlas-filter-count";
    counter.setAttribute("aria-live", "polite");
    bar.appendChild(counter);
    wrapper.insertBefore(bar, wrapper.firstChild);
    var update = function () { apply(table, filters, search, counter); };
    bar.addEventListener("input", update);
    bar.addEventListener("change", update);
    update();
  }

  function scan() {
    document.querySelectorAll(".atlas-table").forEach(enhance);
  }

  window.atlasOnPage(scan); // page.js: every page view, instant navigation included
})();
