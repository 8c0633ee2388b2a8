"""Show EDTF dates to readers with their honest precision."""

from __future__ import annotations

import calendar
import re
from functools import lru_cache

from edtf import parse_edtf

_MONTHS = "January February March April May June July August September October November December".split()
_QUAL = {"?": "uncertain", "~": "approximate", "%": "uncertain and approximate"}


def human_date(value: str | None) -> str:
    """Return an EDTF string in words, keeping its precision and qualifiers.

    ``2022-01-11`` → ``11 January 2022``; ``2022-01`` → ``January 2022``; ``2021-11~`` →
    ``November 2021 (approximate)``; ``2022-01-05?`` → ``5 January 2022 (uncertain)``;
    ``2022/2025`` → ``2022 – 2025``; ``2021-21`` (EDTF season/sub-year codes) and other forms are
    returned unchanged. ``None`` gives ``""``.
    """
    if not value:
        return ""
    if "/" in value:
        start, _, end = value.partition("/")
        return f"{human_date(start) or '…'} – {human_date(end) or '…'}"
    if value in ("..", ""):
        return "…"
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([?~%])?", value)
    if not match:
        return value
    year, month, day, qual = match.groups()
    if month and int(month) > 12:
        return value
    text = year
    if month:
        text = f"{_MONTHS[int(month) - 1]} {year}"
    if day:
        text = f"{int(day)} {text}"
    return f"{text} ({_QUAL[qual]})" if qual else text


@lru_cache(maxsize=65536)
def edtf_bounds(value: str, fuzzy: bool = False) -> tuple[float, float]:
    """Return the earliest and latest moment an EDTF string can mean, in Unix seconds (UTC).

    Open interval ends (``2022/..``, ``../2025``) give ``-inf`` / ``+inf``. With ``fuzzy``, the
    library's widening for ``?`` and ``~`` qualifiers is applied. The edtf package raises
    TypeError on open ends (edtf 5.0.2), which is why the ends are computed one at a time here.
    Parsing takes ~10 ms (pyparsing), so results are cached: EDTF strings repeat a lot.

    Raises:
        edtf.parser.edtf_exceptions.EDTFParseException: when ``value`` is not EDTF (validate first).
    """
    parsed = parse_edtf(value)
    lower, upper = (parsed.lower_fuzzy, parsed.upper_fuzzy) if fuzzy else (parsed.lower_strict, parsed.upper_strict)
    return _end(lower, float("-inf")), _end(upper, float("inf"))


def _end(func, open_value: float) -> float:
    try:
        return float(calendar.timegm(func()))
    except (TypeError, OverflowError, ValueError):  # an open or unknown interval end
        return open_value
