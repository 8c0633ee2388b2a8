"""Show EDTF dates to readers with their honest precision."""

from __future__ import annotations

import calendar
import contextlib
import datetime
import io
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


def parse_edtf_quiet(value: str):
    """Parse ``value`` with the edtf library, keeping its output off the build's stdout (edtf 5.0.2
    prints ``trying to Level1Interval.__init__(...)`` for some invalid strings, such as ``../5~``).

    Raises:
        edtf.parser.edtf_exceptions.EDTFParseException (and ValueError/TypeError on some inputs).
    """
    with contextlib.redirect_stdout(io.StringIO()):
        return parse_edtf(value)


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
    simple = _interval_bounds(value, qualified=not fuzzy)
    if simple is not None:
        return simple
    parsed = parse_edtf_quiet(value)
    lower, upper = (parsed.lower_fuzzy, parsed.upper_fuzzy) if fuzzy else (parsed.lower_strict, parsed.upper_strict)
    return _end(lower, float("-inf")), _end(upper, float("inf"))


def _interval_bounds(value: str, qualified: bool = True) -> tuple[float, float] | None:
    """Strict bounds of a simple date or an interval of them, open ends allowed; else None.

    With ``qualified``, dates marked ``?``, ``~`` or ``%`` count too: their strict bounds are those
    of the date without the mark (the edtf library widens only the fuzzy bounds; the property test
    in tests/test_dates.py checks this against it)."""
    if "/" not in value:
        return _simple_bounds(value, qualified)
    start, _, end = value.partition("/")
    lo = (float("-inf"), None) if start == ".." else _simple_bounds(start, qualified)
    hi = (None, float("inf")) if end == ".." else _simple_bounds(end, qualified)
    if lo is None or hi is None or (start == ".." and end == ".."):
        return None
    return lo[0], hi[1]


def _end(func, open_value: float) -> float:
    try:
        return float(calendar.timegm(func()))
    except (TypeError, OverflowError, ValueError):  # an open or unknown interval end
        return open_value


# Fast path for the EDTF forms records use nearly always (Level 0 dates with an optional Level 1
# qualifier, and intervals of them). The edtf library parses with pyparsing at ~10 ms a string,
# which made validation of 10,000 records take 20 s; these forms are checked here with the
# calendar instead, and every other form still goes to the library. tests/test_dates.py checks
# that both agree on generated strings.
_SIMPLE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%])?$")


def _simple_bounds(value: str, qualified: bool = False) -> tuple[float, float] | None:
    """Return strict bounds of a simple date (``2022``, ``2022-01``, ``2022-01-05``), None when
    ``value`` is not of that form or not a real calendar date. Qualified dates (``2022-01?``)
    return None unless ``qualified``; then the bounds of the date without its mark."""
    match = _SIMPLE.match(value)
    if not match or (match.group(4) and not qualified):
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            start = end = datetime.date(year, int(month), int(day))
        elif month:
            start = datetime.date(year, int(month), 1)
            end = datetime.date(year, int(month), calendar.monthrange(year, int(month))[1])
        else:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        return None
    return float(calendar.timegm(start.timetuple())), float(calendar.timegm(end.timetuple()))


def fast_edtf_valid(value: str) -> bool | None:
    """True when ``value`` is a simple EDTF date or an interval of them (qualifiers allowed),
    None when this fast path cannot tell (the caller asks the edtf library): other forms, dates
    not on the calendar, and reversed intervals."""
    bounds = _interval_bounds(value, qualified=True)
    return True if bounds is not None and bounds[0] <= bounds[1] else None


def csl_date(value: str | None) -> dict | None:
    """Return an EDTF string as a CSL-JSON date (CSL 1.0.2 "date" object), or None for None.

    ``2022-01-11`` → ``{"date-parts": [[2022, 1, 11]]}``; a ``?``, ``~`` or ``%`` mark adds
    ``"circa": true``; an interval ``2022/2025`` gives two parts ``[[2022], [2025]]``; other EDTF
    forms (open ends, unspecified digits, seasons) are kept as ``{"literal": value}``.
    """
    if not value:
        return None
    ends = value.split("/") if value.count("/") == 1 else [value]
    matches = [_SIMPLE.match(end) for end in ends]
    if not all(matches):
        return {"literal": value}
    parts = [[int(p) for p in m.groups()[:3] if p] for m in matches]
    date: dict = {"date-parts": parts}
    if any(m.group(4) for m in matches):
        date["circa"] = True
    return date
