"""The fast path for common EDTF forms agrees with the edtf library (which it replaces for speed)."""

import calendar

import pytest
from edtf import parse_edtf
from hypothesis import given, settings, strategies as st

from generator.dates import _interval_bounds, edtf_bounds, fast_edtf_valid, human_date
from generator.validate import validate_data

_year = st.integers(1899, 2101).map(lambda y: f"{y:04d}")
_month = st.integers(0, 13).map(lambda m: f"{m:02d}")
_day = st.integers(0, 32).map(lambda d: f"{d:02d}")
_date = st.one_of(_year, st.tuples(_year, _month).map("-".join), st.tuples(_year, _month, _day).map("-".join))
_qualified = st.tuples(_date, st.sampled_from(["", "", "?", "~", "%"])).map("".join)
_value = st.one_of(
    _qualified, st.tuples(st.one_of(_qualified, st.just("..")), st.one_of(_qualified, st.just(".."))).map("/".join)
)


def _library_valid(value: str) -> bool:
    try:
        parse_edtf(value)
    except Exception:
        return False
    return True


def _library_bounds(value: str) -> tuple[float, float]:
    parsed = parse_edtf(value)
    ends = []
    for func, open_value in ((parsed.lower_strict, float("-inf")), (parsed.upper_strict, float("inf"))):
        try:
            ends.append(float(calendar.timegm(func())))
        except TypeError:
            ends.append(open_value)
    return tuple(ends)


@settings(max_examples=400, deadline=None)
@given(_value)
def test_fast_path_agrees_with_the_library(value):
    fast = fast_edtf_valid(value)
    if fast is not None:
        assert fast == _library_valid(value), value
    bounds = _interval_bounds(value)
    if bounds is not None:
        assert bounds == _library_bounds(value), value
        assert edtf_bounds(value) == bounds


def test_fast_path_covers_the_common_forms():
    for value in ("2022", "2022-01", "2022-01-11", "2021-11~", "2022-01-05?", "2022/2025", "2022-04-06/..", "../2025"):
        assert fast_edtf_valid(value) is True, value
    for value in ("2022-02-30", "2022-13", "2022-21"):
        assert fast_edtf_valid(value) is None, value  # not simple: the library decides
    assert _library_valid("2022-21") and not _library_valid("2022-02-30")


def test_human_dates_keep_their_precision():
    assert human_date("2022-01-11") == "11 January 2022"
    assert human_date("2021-11~") == "November 2021 (approximate)"
    assert human_date("2022/2025") == "2022 – 2025"
    assert human_date("2022-04-06/..") == "6 April 2022 – …"


def _library_misses(date: str, deadline: str) -> bool:
    """The rule as the edtf library states it: the deadline's latest fuzzy moment is before the
    document's earliest fuzzy moment."""
    upper = calendar.timegm(parse_edtf(deadline).upper_fuzzy())
    lower = calendar.timegm(parse_edtf(date).lower_fuzzy())
    return upper < lower


#: (document date, deadline) pairs, plain and qualified, on both sides of the rule.
DEADLINE_CASES = [
    ("2022-10-28", "2021"),
    ("2022-10-28", "2022-09~"),
    ("2022-10-28", "2022-08~"),
    ("2022-10-28~", "2022-10-27"),
    ("2022-10-28~", "2022-10-20"),
    ("2022-10%", "2022-08"),
    ("2022-10", "2022-09?"),
    ("2022?", "2021-06"),
    ("2022-10-28", "2025~"),
    ("2022-10-28", "2020~"),
    ("2022-10-28", "2021~"),
    ("2024?", "2021-06"),
    ("2024-05~", "2022-01"),
]


@pytest.mark.parametrize(("date", "deadline"), DEADLINE_CASES)
def test_deadline_check_reads_qualified_dates_as_widely_as_the_library(valid_data, date, deadline):
    """Strict bounds come from the fast path; only a deadline that fails them is re-read fuzzily."""
    path = valid_data / "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml"
    text = (
        path.read_text("utf-8")
        .replace("  issued: 2022-10-28", f"  issued: '{date}'")
        .replace("    deadline: 2025~", f"    deadline: '{deadline}'")
    )
    path.write_text(text, "utf-8")
    codes = [p.code for p in validate_data(valid_data).problems]
    assert codes == (["deadline-before-document"] if _library_misses(date, deadline) else []), codes


def test_deadline_cases_include_both_outcomes():
    """The cases above exercise both answers, for plain and for qualified deadlines."""
    outcomes = {(_library_misses(d, t), t[-1] in "?~%") for d, t in DEADLINE_CASES}
    assert outcomes == {(True, True), (True, False), (False, True), (False, False)}
