"""Target charts carry aggregated, bounded data (issue #8): one entry per jurisdiction and metric,
at most :data:`generator.charts.TARGET_CHART_JURISDICTIONS` jurisdictions, whatever the data size."""

from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import ROOT

from generator import charts, rules
from generator.dataset import build_dataset
from generator.dev import synth
from generator.validate import require_valid


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A dataset of 600 synthetic documents (more jurisdictions with targets than a chart shows)."""
    data = tmp_path_factory.mktemp("charts") / "data"
    synth.write_data(synth.synthesize(0.6, seed=4).files, data)
    return build_dataset(require_valid(data).loaded, data)


@pytest.fixture(scope="module")
def real():
    return build_dataset(require_valid(ROOT / "data").loaded, ROOT / "data")


def _expected(ds, metrics, base_unit, scope=None):
    """Largest normalized value and target count per (jurisdiction id, metric label), recomputed
    here from the targets one by one."""
    out = defaultdict(lambda: [float("-inf"), 0])
    for row in ds.target_rows:
        t = row.target
        if not rules.is_counted(t, row.document):  # charts count by the one rule (issue #12)
            continue
        if t.metric not in metrics or ds.term("units", t.unit).base_unit != base_unit or (scope and t.scope != scope):
            continue
        value = t.normalized if t.normalized is not None else t.normalized_high
        entry = out[(row.document.jurisdiction, ds.term("metrics", t.metric).en)]
        entry[0] = max(entry[0], value)
        entry[1] += 1
    return out


def _jid(row: dict) -> str:
    return row["url"].removeprefix("../jurisdictions/").rstrip("/")


def test_industry_chart_keeps_the_largest_target_of_the_top_jurisdictions(synthetic):
    chart = charts.industry_scale_chart(synthetic, "../")
    expected = _expected(synthetic, ("industry-scale", "core-industry-scale"), "CNY")
    jurisdictions = {j for j, _ in expected}
    assert len(jurisdictions) > charts.TARGET_CHART_JURISDICTIONS  # the bound is exercised
    shown = {_jid(r) for r in chart.rows}
    assert len(shown) == charts.TARGET_CHART_JURISDICTIONS
    for row in chart.rows:
        value, count = expected[(_jid(row), row["metric"])]
        assert row["yi_yuan"] == pytest.approx(value / 1e8) and row["targets"] == count
    # Every jurisdiction left out has a smaller largest target than every one shown.
    largest = {j: max(v for (jj, _), (v, _) in expected.items() if jj == j) for j in jurisdictions}
    assert min(largest[j] for j in shown) >= max(largest[j] for j in jurisdictions - shown)
    (data,) = chart.spec["datasets"].values()  # the spec's data: the aggregated rows, nothing more
    assert len(data) == len(chart.rows) and {r["jurisdiction"] for r in data} == {r["jurisdiction"] for r in chart.rows}
    assert len({r["jurisdiction"] for r in chart.rows}) == len(shown)  # same-named places get their parent's name
    assert f"the {charts.TARGET_CHART_JURISDICTIONS} of {len(jurisdictions)} jurisdictions" in chart.description


def test_count_chart_keeps_the_jurisdictions_with_most_targets(synthetic):
    chart = charts.count_targets_chart(synthetic, "../")
    expected = _expected(synthetic, charts.COUNT_METRICS, "count", scope="metaverse")
    jurisdictions = {j for j, _ in expected}
    assert len(jurisdictions) > charts.TARGET_CHART_JURISDICTIONS
    shown = {_jid(r) for r in chart.rows}
    assert len(shown) == charts.TARGET_CHART_JURISDICTIONS
    for row in chart.rows:
        assert [row["count"], row["targets"]] == expected[(_jid(row), row["metric"])]
    totals = {j: sum(n for (jj, _), (_, n) in expected.items() if jj == j) for j in jurisdictions}
    assert min(totals[j] for j in shown) >= max(totals[j] for j in jurisdictions - shown)
    assert len(chart.rows) == len({(r["jurisdiction"], r["metric"]) for r in chart.rows})  # labels tell places apart


def test_real_target_charts_show_every_jurisdiction(real):
    for chart, expected in (
        (charts.industry_scale_chart(real, "../"), _expected(real, ("industry-scale", "core-industry-scale"), "CNY")),
        (charts.count_targets_chart(real, "../"), _expected(real, charts.COUNT_METRICS, "count", scope="metaverse")),
    ):
        assert {(_jid(r), r["metric"]) for r in chart.rows} == set(expected)
        assert sum(r["targets"] for r in chart.rows) == sum(n for _, n in expected.values())
        assert all(r["url"].startswith("../jurisdictions/") for r in chart.rows)


def test_every_chart_spec_is_valid_vega_lite(synthetic, real):
    """Builds skip Altair's schema validation for speed (generator/charts.py: _finish); this checks
    every spec of both datasets against the Vega-Lite schema Altair ships."""
    import jsonschema
    from altair.vegalite.v6.schema import load_schema

    validator = jsonschema.Draft7Validator(load_schema())
    specs = {
        f"{label}:{name}": chart.spec
        for label, ds in (("synthetic", synthetic), ("real", real))
        for name, chart in charts.build_charts(ds).items()
    }
    assert len(specs) > 40
    errors = {name: [e.message[:120] for e in validator.iter_errors(spec)][:3] for name, spec in specs.items()}
    assert {k: v for k, v in errors.items() if v} == {}
    broken = dict(specs["real:jur-cn"], mark={"type": "no-such-mark"})
    assert list(validator.iter_errors(broken))  # the check can fail
