"""Chart SVGs drawn in worker processes (issue #8): same bytes as drawing in this process, errors
that name the chart, and the cache filled and then used."""

from __future__ import annotations

import json

import pytest

from generator import vendor
from generator.svg import SvgJobs


def _bars(n: int, color: str) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "mark": {"type": "bar", "color": color},
        "data": {"values": [{"k": f"k{i}", "v": i + 1} for i in range(n)]},
        "encoding": {"x": {"field": "k", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}},
    }


def _charts(specs: dict[str, dict]) -> dict[str, tuple[dict, bytes]]:
    return {name: (spec, json.dumps(spec, sort_keys=True).encode()) for name, spec in specs.items()}


SPECS = {"a": _bars(3, "#1b7837"), "b": _bars(7, "#7fbf7b"), "c": _bars(12, "#d9d9d9")}


def test_workers_draw_the_same_bytes_as_this_process(tmp_path):
    version = vendor.vega_lite_version()
    with SvgJobs(_charts(SPECS), version, None, parallel=False) as serial:
        assert not serial._procs
        here = serial.result()
    with SvgJobs(_charts(SPECS), version, tmp_path, parallel=True) as jobs:
        assert jobs._procs  # really in workers
        there = jobs.result()
    assert here == there and sorted(there) == ["a", "b", "c"]
    assert [there[k].count(f'fill="{SPECS[k]["mark"]["color"]}"'.encode()) for k in "abc"] == [
        3,
        7,
        12,
    ]  # one bar per row
    assert len(list((tmp_path / "svg").glob("*.svg"))) == 3
    with SvgJobs(_charts(SPECS), version, tmp_path) as again:  # every SVG from the cache: nothing to draw
        assert again.todo == {} and not again._procs
        assert again.result() == there


def test_a_chart_that_cannot_be_drawn_names_itself(tmp_path):
    specs = {**SPECS, "broken": {**_bars(2, "#000000"), "mark": "no-such-mark"}}
    with SvgJobs(_charts(specs), vendor.vega_lite_version(), tmp_path) as jobs:
        with pytest.raises(ValueError, match="chart broken: Vega-Lite to SVG conversion failed"):
            jobs.result()
    assert not list((tmp_path / "svg").glob("*.svg")), "nothing is cached from a failed batch"
