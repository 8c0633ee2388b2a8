/*
 * Metaverse Policy Atlas: copy buttons for the "Cite this" block of record pages (issue 16).
 *
 * The generator (generator/templates/_cite.j2) marks each citation text with
 * `data-atlas-copy="<what it is>"`; this script puts a "Copy <what it is>" button before each one.
 * A click writes the element's text to the clipboard; where the Clipboard API is not available
 * (a page served over plain http from another host), the text is selected for Ctrl+C instead.
 * A served file, not an inline script: the Content-Security-Policy allows no inline code.
 *
 * Material's instant navigation swaps the page without a reload, so set-up subscribes to its
 * `document$` (DOMContentLoaded where it is absent) and skips texts that already have a button.
 */
(function () {
  "use strict";

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(button, message) {
    button.textContent = message;
    window.setTimeout(function () { button.textContent = button.dataset.label; }, 2000);
  }

  function copy(button, target) {
    var text = target.textContent;
    if (!navigator.clipboard || !window.isSecureContext) {
      selectText(target);
      say(button, "Selected: press Ctrl+C");
      return;
    }
    navigator.clipboard.writeText(text).then(
      function () { say(button, "Copied"); },
      function () { selectText(target); say(button, "Selected: press Ctrl+C"); });
  }

  function addButton(target) {
    if (target.dataset.atlasCopyReady) return;
    target.dataset.atlasCopyReady = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button atlas-copy";
    button.dataset.label = "Copy " + target.dataset.atlasCopy;
    button.textContent = button.dataset.label;
    button.setAttribute("aria-live", "polite");
    if (target.id) button.setAttribute("aria-controls", target.id);
    button.addEventListener("click", function () { copy(button, target); });
    target.parentNode.insertBefore(button, target);
  }

  function scan() {
    document.querySelectorAll("[data-atlas-copy]").forEach(addButton);
  }

  window.atlasOnPage(scan); // page.js: every page view, instant navigation included
})();
