"""One escaping function per context a contributor string can land in.

Templates never print a record string raw: each value passes through exactly one of these,
chosen by where it lands (Jinja2 filters of the same names are registered in
:mod:`generator.render`). Rich text (summaries, notes) goes through :mod:`generator.richtext`.

Contexts: Markdown text (``md``), a Markdown table cell (``cell``), an HTML attribute value
(``attr``), HTML text (``html``), a URL (``url``), JSON inside an HTML element (``json_html``),
a YAML front-matter value (``yaml_value``), a front-matter value that the theme prints as HTML
(``front_matter``: page title, description, tags), a file or URL path segment (``path_segment``).
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

from .models import SLUG_RE

# Python-Markdown's escapable characters (markdown.Markdown.ESCAPED_CHARS) plus '|' (tables);
# '<', '>', '&' and quotes are already HTML entities when this runs.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_ALLOWED_SCHEMES = ("http", "https", "mailto")
#: Any character :func:`md` would change after folding whitespace: HTML's five and the Markdown ones.
_MD_OR_HTML = re.compile(r"[\\`*_{}\[\]()#+\-.!|&<>\"']")


def html_text(value: object) -> str:
    """Escape text for HTML element content: ``&``, ``<``, ``>``, quotes."""
    return html.escape(str(value), quote=True)


def md(value: object) -> str:
    """Escape text for inline Markdown in Python-Markdown: HTML-escape it, then backslash-escape
    every Markdown punctuation character and fold line breaks into spaces, so no contributor
    text can open a link, emphasis, raw HTML, an attribute list ``{: ...}`` or a new block."""
    text = " ".join(str(value).split())
    if not _MD_OR_HTML.search(text):  # most names and titles: nothing to escape (page render, issue #8)
        return text
    text = html.escape(text, quote=True)
    # html.escape produced entities (&lt; ...) whose '&' and ';' must survive as entities
    return re.sub(
        r"(&(?:amp|lt|gt|quot|#x27);)|" + _MD_SPECIAL.pattern, lambda m: m.group(1) or "\\" + m.group(2), text
    )


def cell(value: object) -> str:
    """Escape text for a Markdown table cell: :func:`md` (which also escapes ``|``)."""
    return md(value)


def attr(value: object) -> str:
    """Escape text for a double-quoted HTML attribute value."""
    return html.escape(" ".join(str(value).split()), quote=True)


def url(value: object) -> str:
    """Return ``value`` if it is an http(s) or mailto URL, escaped for an HTML attribute; else ``#``.

    Raises nothing: a URL with any other scheme (``javascript:``, ``data:``) becomes ``#``.
    """
    text = str(value).strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return "#"
    if scheme not in _ALLOWED_SCHEMES or any(c in text for c in "\"'<> \n\r\t\\"):
        return "#"
    return html.escape(text, quote=True)


def json_html(value: object) -> str:
    """Serialize ``value`` as JSON safe inside an HTML element or attribute: ``<``, ``>``, ``&``
    and quotes become ``\\u003c``-style escapes (the HTML spec's script-data rules)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return text


# Characters outside YAML's printable set (YAML 1.2 §5.1), which PyYAML refuses even in a quoted
# scalar; MkDocs then renders the whole front matter as Markdown (mkdocs.utils.meta.get_data).
_YAML_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\ufeff")


def yaml_value(value: object) -> str:
    """Return a YAML front-matter scalar: a JSON string, which YAML reads back as the same text.
    Characters YAML may not hold literally (U+FFFE, U+FFFF, DEL, C1 controls) are ``\\u`` escapes."""
    text = json.dumps(" ".join(str(value).split()), ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def front_matter(value: object) -> str:
    """Return a front-matter scalar for a value the theme prints as HTML without escaping it
    (Material's ``<title>``, header, ``<meta name="description" content="...">``, tag names and
    tag listings all print ``page.meta`` values raw): the text HTML-escaped, then :func:`yaml_value`."""
    return yaml_value(html_text(" ".join(str(value).split())))


def path_segment(value: str) -> str:
    """Return ``value`` if it is a slug safe as a file name and URL segment.

    Raises:
        ValueError: for anything else (validation should have caught it; this is the last guard
        against ``../`` or case collisions reaching the file system).
    """
    if not re.match(SLUG_RE, value) or len(value) > 100:
        raise ValueError(f"unsafe path segment {value!r}")
    return value


def code_block(value: object, indent: int = 0) -> str:
    """Return text for the inside of a fenced code block, each line indented by ``indent``
    spaces. Backticks become apostrophes so no line can close the fence; Python-Markdown escapes
    ``<``, ``>`` and ``&`` inside code blocks itself."""
    lines = str(value).replace("`", "'").split("\n")
    return "\n".join((" " * indent + line) if line else "" for line in lines)
