/*
 * Metaverse Policy Atlas: run a page's set-up on every page view.
 *
 * Material's instant navigation swaps page content without a reload, so code that enhances the
 * content subscribes to its `document$` observable; without Material (or before it loads) it runs
 * once the document is parsed. Set-up functions must be idempotent: they skip what they already
 * enhanced. Loaded before the site's other scripts (mkdocs.yml, extra_javascript).
 */
(function () {
  "use strict";

  window.atlasOnPage = function (setUp) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(setUp);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setUp);
    } else {
      setUp();
    }
  };
})();
