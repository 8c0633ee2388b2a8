"""Render stage helpers: the Jinja2 environment that turns page contexts into Markdown.

Templates live in ``generator/templates/``. Output is Markdown, so Jinja2's HTML autoescape is
not the right escaping; instead every value a template prints must pass through one of the escaping filters
(:mod:`generator.escape`) or :func:`generator.richtext.render_rich`. The environment's
``finalize`` hook refuses any other string, so a template that prints a record string raw fails the
build instead of opening an injection hole.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import escape

TEMPLATES = Path(__file__).parent / "templates"


class Safe(Markup):
    """Text that has been escaped for the context it is printed in."""


def _safe(func):
    def wrapper(value, *args):
        return Safe(func(value, *args))

    wrapper.__doc__ = func.__doc__
    return wrapper


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, (Markup, int, float)) and not isinstance(value, bool):
        return value
    raise jinja2.TemplateError(
        f"unescaped value printed by a template: {str(value)[:60]!r}; pass it through an escaping filter"
    )


def trusted(value: str) -> Safe:
    """Mark generator-made text (never contributor text) as safe to print as is."""
    return Safe(value)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Return the shared Jinja2 environment with the escaping filters registered.

    Filters: ``md`` (Markdown text), ``cell`` (table cell), ``attr`` (HTML attribute), ``html``
    (HTML text), ``url`` (http/https/mailto URL or ``#``), ``json_html`` (JSON in HTML),
    ``yaml_value`` (front matter), ``front_matter`` (front matter the theme prints as HTML: title,
    description, tags), ``rich`` (contributor Markdown to safe HTML), ``trusted`` (generator-made
    Markdown or HTML), ``num`` (a number with thousands separators), ``code`` (the inside of a
    fenced code block, with an indent).
    """
    # Imported here: `python -m generator new` reads TEMPLATES without the site's dependencies
    # (markdown-it-py is in the [site] extra, see pyproject.toml).
    from .richtext import render_rich

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Autoescape only marks macro output as Markup; _finalize refuses every plain string
        # before Jinja's HTML escaping would see it, so each value needs an explicit filter.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        # No stat of every template at every page (2,300 a 1× build); make serve clears this
        # environment when a template changes (generator/serve.py).
        auto_reload=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    filters = {
        "md": escape.md,
        "cell": escape.cell,
        "attr": escape.attr,
        "html": escape.html_text,
        "url": escape.url,
        "json_html": escape.json_html,
        "yaml_value": escape.yaml_value,
        "front_matter": escape.front_matter,
        "rich": render_rich,
        "num": format_number,
        "code": escape.code_block,
    }
    env.filters.update({name: _safe(func) for name, func in filters.items()})
    env.filters["trusted"] = trusted
    return env


def format_number(value: float | int | None) -> str:
    """Return a number with thousands separators and no trailing ``.0`` (``350000000000`` →
    ``350,000,000,000``); ``None`` gives ``""``."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1e6 else f"{value:,}"


#: How a base unit is written before a readable amount (``CNY 350 billion``, ``₩ 3.9 billion``);
#: counts and percentages have no prefix.
CURRENCY_PREFIX = {"CNY": "CNY ", "USD": "US$ ", "EUR": "€ ", "KRW": "₩ ", "JPY": "JPY ", "AED": "AED "}

#: Scale words for readable amounts, largest first: (threshold, divisor, word).
_SCALES = ((1e12, 1e12, "trillion"), (1e9, 1e9, "billion"), (1e6, 1e6, "million"))


def human_number(value: float) -> str:
    """Return ``value`` as a person reads it: below a million with thousands separators
    (``999,999``, ``2.5``), above in millions, billions or trillions to three significant digits
    (``350 billion``, ``3.9 billion``, ``2.2 trillion``). Never more than six digits in a row."""
    magnitude = abs(value)
    for threshold, divisor, word in _SCALES:
        if magnitude >= threshold:
            scaled = value / divisor
            text = f"{scaled:.3g}"
            text = text if "e" not in text else f"{scaled:,.0f}"
            return f"{text} {word}"
    return format_number(round(value, 2) if not float(value).is_integer() else value)


def human_amount(value: float, base_unit: str | None) -> str:
    """Return a normalized figure with its base unit, readable: ``CNY 350 billion``, ``₩ 3.9
    billion``, ``200`` (a count), ``50%``. Currencies are never converted or merged."""
    number = human_number(value)
    if base_unit == "percent":
        return f"{number}%"
    if base_unit in (None, "", "count"):
        return number
    return CURRENCY_PREFIX.get(base_unit, f"{base_unit} ") + number


def render(template: str, **context) -> str:
    """Render ``template`` (a file name under ``templates/``) with ``context``.

    Raises:
        jinja2.TemplateError: on a template fault or an unescaped value (a bug, not bad data).
    """
    return environment().get_template(template).render(**context)
