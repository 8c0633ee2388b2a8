/*
 * The cookie consent form, as Material's partials/javascripts/consent.html does; loaded from a file
 * for the Content-Security-Policy. (The atlas sets no cookies; kept so that enabling
 * extra.consent cannot bring an inline script back.)
 */
(function () {
  "use strict";
  var form = document.forms.consent;
  var consent = __md_get("__consent");
  if (consent) {
    Array.from(form.elements).forEach(function (input) {
      if (input.name) input.checked = consent[input.name] || false;
    });
  } else if (location.protocol !== "file:") {
    setTimeout(function () {
      document.querySelector("[data-md-component=consent]").hidden = false;
    }, 250);
  }
  ["submit", "reset"].forEach(function (action) {
    form.addEventListener(action, function (ev) {
      ev.preventDefault();
      if (ev.type === "reset") {
        Array.from(form.elements).forEach(function (input) {
          if (input.name) input.checked = false;
        });
      }
      __md_set("__consent", Object.fromEntries(Array.from(new FormData(form).keys()).map(function (key) {
        return [key, true];
      })));
      location.hash = "";
      location.reload();
    });
  });
})();
