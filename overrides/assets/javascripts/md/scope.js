/*
 * Material for MkDocs' storage helpers, as in its partials/javascripts/base.html, loaded from a
 * file so that the Content-Security-Policy needs no 'unsafe-inline'. The scope (the site root, or
 * extra.scope) comes from this script element's data-md-scope attribute. The names are globals on
 * purpose: Material's bundle and the other scripts in this folder call them.
 */
var __md_scope = new URL(document.currentScript.dataset.mdScope, location);

var __md_hash = function (value) {
  return Array.from(value).reduce(function (hash, char) {
    return (hash << 5) - hash + char.charCodeAt(0);
  }, 0);
};

var __md_get = function (key, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  return JSON.parse(storage.getItem(scope.pathname + "." + key));
};

var __md_set = function (key, value, storage, scope) {
  storage = storage || localStorage;
  scope = scope || __md_scope;
  try {
    storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
  } catch (err) {
    // Storage full or disabled (private mode): the preference is simply not kept.
  }
};
