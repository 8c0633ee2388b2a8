"""Static audit of generated HTML for injected markup (issue 7), shared by the injection and fuzz tests.

:func:`audit_html` parses a page with the standard library's ``html.parser`` (attribute values come
back entity-decoded, as a browser sees them) and returns one line per fault:

- an attribute whose name starts with ``on`` (an inline event handler);
- a URL attribute (``href``, ``src``, ``action``, ``formaction``, ``xlink:href``, ...) whose scheme
  is not http, https or mailto (``javascript:``, ``vbscript:``, ``data:`` and every other);
- a ``style`` attribute, a ``<style>`` element, or an element that loads or frames content and
  that no generated page uses (``iframe``, ``object``, ``embed``, ``base``, ``frame``...);
- a ``<meta http-equiv>`` other than the site's Content-Security-Policy;
- a ``<script>`` other than the theme's own: a same-origin ``src`` with no inline code, or a data
  block browsers never run: the theme's ``<script id="__config" type="application/json">`` and the
  atlas's ``<script type="application/ld+json">`` (overrides/main.html), whose text must parse as
  JSON and hold no ``<`` (so it cannot close its element).

No allowance is made for ``data:`` URLs: Material for MkDocs ships its ``data:image/svg+xml`` icons
in its CSS files (``assets/stylesheets/main.*.min.css``), never in attributes, and the only
``data:`` in page HTML is the CSP's ``img-src 'self' data:`` inside a ``content`` attribute, which
is not a URL attribute.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "longdesc",
    "manifest",
    "ping",
    "srcset",
    "lowsrc",
    "dynsrc",
    "icon",
}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "style", "portal", "noscript"}
ALLOWED_SCHEMES = {"", "http", "https", "mailto"}
LOCAL_HOSTS = {None, "127.0.0.1", "localhost"}
# Browsers drop ASCII tab and line breaks anywhere in a URL and leading C0 controls and spaces.
_URL_NOISE = re.compile(r"[\t\n\r]")


def url_scheme(value: str) -> str:
    """Return the lowercased scheme a browser would see in an attribute URL (``""`` when relative)."""
    cleaned = _URL_NOISE.sub("", value).lstrip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


class _Auditor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.faults: list[str] = []
        self._script: dict | None = None

    def _fault(self, message: str) -> None:
        line, col = self.getpos()
        self.faults.append(f"{line}:{col}: {message}")

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._script = None

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                self._fault(f"<{tag}> has the event-handler attribute {name}={value!r}")
            elif name in URL_ATTRS and url_scheme(value or "") not in ALLOWED_SCHEMES:
                self._fault(f"<{tag}> has {name}={value!r} (scheme {url_scheme(value or '')!r})")
            elif name == "style":
                self._fault(f"<{tag}> has a style attribute {value!r}")
        if tag in FORBIDDEN_ELEMENTS:
            self._fault(f"<{tag}> element {named}")
        if tag == "meta" and "http-equiv" in named and named["http-equiv"].lower() != "content-security-policy":
            self._fault(f"<meta http-equiv={named['http-equiv']!r}>")
        if tag == "script":
            self._script = {"attrs": named, "text": ""}
            src = named.get("src")
            if not self._data_block(named) and (
                src is None or urlsplit(src).hostname not in LOCAL_HOSTS or url_scheme(src) not in ("", "http")
            ):
                self._fault(f"<script> that is neither the theme's config nor a same-origin file: {named}")

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data

    @staticmethod
    def _data_block(attrs: dict) -> bool:
        config = attrs.get("id") == "__config" and attrs.get("type") == "application/json"
        return config or (attrs.get("type") == "application/ld+json" and "src" not in attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            attrs, text = self._script["attrs"], self._script["text"]
            if "src" in attrs and text.strip():
                self._fault(f"<script src> with inline code {text[:80]!r}")
            if self._data_block(attrs):
                try:
                    json.loads(text)
                except ValueError:
                    self._fault(f"<script type={attrs.get('type')!r}> whose text is not JSON: {text[:80]!r}")
                if "<" in text:
                    self._fault(f"<script type={attrs.get('type')!r}> holds '<': {text[:80]!r}")
            self._script = None


def audit_html(text: str) -> list[str]:
    """Return every fault of one HTML document or fragment as ``line:col: message`` (empty: clean)."""
    auditor = _Auditor()
    auditor.feed(text)
    auditor.close()
    return auditor.faults
