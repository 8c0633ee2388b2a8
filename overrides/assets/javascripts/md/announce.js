/*
 * Keeps a dismissed announcement hidden, as Material's partials/javascripts/announce.html does;
 * loaded from a file for the Content-Security-Policy.
 */
(function () {
  "use strict";
  var el = document.querySelector("[data-md-component=announce]");
  if (!el) return;
  var content = el.querySelector(".md-typeset");
  if (__md_hash(content.innerHTML) === __md_get("__announce")) el.hidden = true;
})();
