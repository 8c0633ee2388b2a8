/*
 * Selects, in every set of content tabs, the tab the reader last chose (feature content.tabs.link),
 * as Material's partials/javascripts/content.html does; loaded from a file for the CSP.
 */
(function () {
  "use strict";
  var tabs = __md_get("__tabs");
  if (!Array.isArray(tabs)) return;
  document.querySelectorAll(".tabbed-set").forEach(function (set) {
    var labels = Array.from(set.querySelector(".tabbed-labels").getElementsByTagName("label"));
    tabs.some(function (tab) {
      var label = labels.find(function (candidate) { return candidate.innerText.trim() === tab; });
      if (label) document.getElementById(label.htmlFor).checked = true;
      return Boolean(label);
    });
  });
})();
