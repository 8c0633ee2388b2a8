"""What a source URL may look like (issue 14): the one place the URL rules live.

A URL is refused at validation with the reason, never rewritten on the page; the same string is
published in the downloads, so a URL that only looks right on the page is no better. Rules:

* ``http`` or ``https`` only, with a host that has a dot (``https://www.gov.cn/...``);
* no user information (``https://www.seoul.go.kr@evil.example/``: the browser goes to
  ``evil.example``), no backslash (browsers read it as ``/``), no quote, angle bracket, backtick,
  space or control character (they break out of attributes or Markdown);
* a host that is not plain ASCII, or has a punycode label (``xn--``), may be a look-alike
  (a Cyrillic ``о`` in ``gоv.cn``): it needs an explicit marker, the source's ``idn_host`` field
  giving the host in Unicode, and :func:`confusable_host` says when one is missing. Hosts that mix
  scripts are found with confusable-homoglyphs (Unicode's script data).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import idna
from confusable_homoglyphs import confusables

_FORBIDDEN = re.compile(r"[\s\\\"'<>`\x00-\x1f\x7f-\x9f]")
_PORT = re.compile(r"^\d{1,5}$")


def url_problem(value: str) -> str | None:
    """Return why ``value`` is not an acceptable source URL (one sentence saying how to fix it),
    or ``None`` when it is acceptable. The host's script is not checked here: see
    :func:`confusable_host`."""
    if not re.match(r"^https?://", value):
        return "use an absolute http:// or https:// URL"
    bad = _FORBIDDEN.search(value)
    if bad:
        names = {
            "\\": "a backslash",
            '"': "a quote",
            "'": "a quote",
            "<": "an angle bracket",
            ">": "an angle bracket",
            "`": "a backtick",
        }
        what = names.get(bad.group(), "a space or control character")
        return (
            f"the URL holds {what}; percent-encode it (a backslash as %5C, a quote as %22, a space as %20) or copy the "
            "URL from the browser's address bar"
        )
    try:
        parts = urlsplit(value)
        port = parts.netloc.rpartition(":")[2] if ":" in parts.netloc else ""
    except ValueError:
        return "the URL cannot be parsed; copy it from the browser's address bar"
    if "@" in parts.netloc:
        return (
            "the URL has a user name before '@' (it would lead to the host after the '@'); remove everything between "
            "// and @"
        )
    if port and not _PORT.match(port):
        return "the port after ':' is not a number"
    host = parts.hostname or ""
    if "." not in host.strip(".") or host.startswith(".") or ".." in host:
        return "the URL has no host name with a dot (https://www.example.gov.cn/...)"
    return None


def unicode_host(url: str) -> str | None:
    """Return the host of ``url`` in Unicode when it is not plain ASCII or has a punycode
    (``xn--``) label, else ``None`` (an ordinary host). A punycode label that does not decode is
    returned as written."""
    host = (urlsplit(url).hostname or "").lower()
    if host.isascii() and not any(label.startswith("xn--") for label in host.split(".")):
        return None
    try:
        return idna.decode(host) if host.isascii() else host
    except idna.IDNAError:
        return host


def confusable_host(url: str, marker: str | None) -> str | None:
    """Return why the host of ``url`` needs the ``idn_host`` marker, or ``None``.

    Args:
        url: an URL that passed :func:`url_problem`.
        marker: the record's ``idn_host`` (the host in Unicode), or ``None``.

    Returns:
        ``None`` for an ASCII host without punycode, or one that equals ``marker``; otherwise a
        message naming the host's scripts (``LATIN and CYRILLIC``) and the fix.
    """
    host = unicode_host(url)
    if host is None or (marker is not None and marker.lower() == host):
        return None
    mixed = confusables.is_mixed_script(host.replace(".", "").replace("-", ""))
    why = "mixes scripts (a look-alike letter?)" if mixed else "is not plain ASCII"
    return (
        f"the host {host!r} {why}; check it letter by letter, and if it is right give it again as "
        f"idn_host: {host} (punycode hosts: the Unicode form)"
    )
