"""Plausibility of figures and URLs' hosts (issue 14): checks that a value, though well formed, is
one a source can really state.

Limits are per base unit (the ``base_unit`` of ``data/vocab/units.yaml``) and apply to the
figure in base units (value x factor), baselines included:

* money and counts are never negative (no acknowledgement can make them so);
* zero, or more than :data:`MAXIMA` allows, is refused unless the target says why the figure is
  real in ``unusual_figure``;
* a baseline's year is not after the target's deadline.

The money maxima are 10^14 CNY (about China's GDP of a year) and the same order of magnitude in
the other currencies; counts stop at 10^9, percentages at 1,000. A base unit not listed here is
only checked to be finite (the model refuses ``.inf`` and ``.nan``).
"""

from __future__ import annotations

from collections.abc import Iterable

from .dates import edtf_bounds
from .errors import Problem
from .loader import Loaded, Located
from .urls import confusable_host

#: The largest plausible figure in each base unit, and whether it may be negative.
MAXIMA: dict[str, float] = {
    "CNY": 1e14,
    "USD": 1.5e13,
    "EUR": 1.5e13,
    "AED": 5e13,
    "JPY": 2e15,
    "KRW": 2e16,
    "count": 1e9,
    "percent": 1e3,
}


def figure_problem(figure: float, base_unit: str | None, acknowledged: bool) -> str | None:
    """Return why ``figure`` (in ``base_unit``) is implausible, or ``None``.

    Args:
        figure: the value in base units (value x factor).
        base_unit: the unit's base unit (``CNY``, ``count``...); unknown units pass.
        acknowledged: the record explains an unusual figure (``unusual_figure``).
    """
    if base_unit not in MAXIMA:
        return None
    if figure < 0:
        return f"{figure:,.0f} {base_unit} is negative; a target states an amount or a count, never below zero"
    if acknowledged:
        return None
    if figure == 0:
        return f"the figure is zero {base_unit}; if the source really says so, explain it in unusual_figure"
    if figure > MAXIMA[base_unit]:
        return (
            f"{figure:,.0f} {base_unit} is more than the plausible {MAXIMA[base_unit]:,.0f}; check the unit (亿 vs 万) "
            f"and the digits, and if the source really says so, explain it in unusual_figure"
        )
    return None


def check_figures(loaded: Loaded) -> Iterable[Problem]:
    """Every stated figure of a target (value, low, high, baseline value) is plausible in its base
    unit, and a baseline's year is not after the deadline."""
    units = loaded.vocab.get("units", {})
    for loc in loaded.records["documents"]:
        for i, target in enumerate(loc.record.targets):
            unit = units.get(target.unit)
            if unit is not None and unit.factor is not None:
                yield from _target_figures(loc, i, target, unit)
            if target.baseline is not None and edtf_bounds(target.baseline.year)[0] > edtf_bounds(target.deadline)[1]:
                yield loc.problem(
                    ("targets", i, "baseline", "year"),
                    "inconsistent-value",
                    f"the baseline year {target.baseline.year} is after the deadline {target.deadline}",
                )


def _target_figures(loc: Located, i: int, target, unit) -> Iterable[Problem]:
    stated = [(("targets", i, name), getattr(target, name)) for name in ("value", "low", "high")]
    if target.baseline is not None:
        stated.append((("targets", i, "baseline", "value"), target.baseline.value))
    for path, number in stated:
        if number is None:
            continue
        why = figure_problem(number * unit.factor, unit.base_unit, target.unusual_figure is not None)
        if why:
            yield loc.problem(path, "implausible-value", why)


def check_hosts(loaded: Loaded) -> Iterable[Problem]:
    """A source URL whose host is not plain ASCII or is punycode carries the ``idn_host`` marker
    (see :func:`generator.urls.confusable_host`)."""
    for loc in loaded.records["sources"]:
        for name in ("url", "archive_url"):
            url = getattr(loc.record, name)
            why = url and confusable_host(url, loc.record.idn_host)
            if why:
                yield loc.problem((name,), "confusable-host", why)
