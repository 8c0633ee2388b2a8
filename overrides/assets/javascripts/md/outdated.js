/*
 * Shows the outdated-version banner, as Material's partials/javascripts/outdated.html does; the
 * base URL comes from this script element's data-md-base attribute. Loaded from a file for the CSP.
 */
(function () {
  "use strict";
  var el = document.querySelector("[data-md-component=outdated]");
  var base = new URL(document.currentScript.dataset.mdBase, location);
  if (el && __md_get("__outdated", sessionStorage, base) === true) el.hidden = false;
})();
