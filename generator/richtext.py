"""Render contributor rich text (summaries, notes) to safe HTML with markdown-it-py.

CommonMark only, with raw HTML off, images off (nothing may load from another host) and links
limited to ``http``, ``https`` and ``mailto``. No extension that accepts attributes or raw HTML is
ever applied to contributor text.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from .escape import url as safe_url

_ALLOWED = ("http://", "https://", "mailto:")


def _validate_link(link: str) -> bool:
    return link.strip().lower().startswith(_ALLOWED) and safe_url(link) != "#"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = _validate_link

    def link_open(renderer, tokens, idx, options, env):
        tokens[idx].attrSet("rel", "nofollow noopener")
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


def render_rich(text: str) -> str:
    """Return the HTML for contributor Markdown ``text`` (a fragment of block elements).

    Raw HTML is shown as text, links with other schemes than http(s)/mailto stay plain text,
    images are not rendered. Deterministic: the same text gives the same HTML.
    """
    return _parser().render(text).strip()
