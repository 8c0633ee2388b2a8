/*
 * Opens the content tab named by the URL fragment, as Material's partials/javascripts/content.html
 * does; loaded from a file for the Content-Security-Policy.
 */
(function () {
  "use strict";
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
