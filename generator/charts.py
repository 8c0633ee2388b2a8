"""Charts: Altair (Vega-Lite) specs built from aggregated data, never from raw record text in code.

Each :class:`Chart` carries its spec, the rows it was drawn from (for the data table and CSV next to
it) and its title and description (for screen readers). Record text reaches a chart only as data
values; no field is ever put into a Vega expression.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import pandas as pd

from . import locations, rules
from .dataset import Dataset, edtf_month, edtf_year

#: Level groups shown in charts, in legend order.
LEVEL_GROUPS = {
    "national": "National",
    "supranational": "Outside China",
    "provincial-level": "Provincial-level",
    "sub-provincial-city": "City",
    "prefecture-level-city": "City",
    "county-level-city": "District, county or zone",
    "district": "District, county or zone",
    "county": "District, county or zone",
    "development-zone": "District, county or zone",
    "special-cooperation-zone": "District, county or zone",
    "state-or-region": "Outside China",
    "city": "Outside China",
}


@dataclass(frozen=True)
class Chart:
    """A chart ready to save: ``name`` (file stem), ``title``, ``description`` (for screen
    readers), ``spec`` (Vega-Lite dict), ``rows`` (list of dicts) and ``columns``
    (``[(key, label)]``) for the table and CSV of its data."""

    name: str
    title: str
    description: str
    spec: dict
    rows: list
    columns: list
    rule: str
    """What the chart counts and N, for its caption (``Counted: … N = 41 targets of 17 jurisdictions.``)."""


def _finish(chart: alt.Chart, title: str, description: str) -> dict:
    # Altair's schema validation takes ~80 ms a chart; the specs are built from fixed code paths
    # and checked once in the tests (tests/test_charts.py), so builds skip it.
    # The title is printed by the page above the chart (generator/templates/_macros.j2), where it
    # wraps: inside the chart a long title was cut at a phone's width. Legends sit below the plot,
    # so on a phone the plot keeps the width a legend on the right would take.
    spec = chart.properties(width="container", height=260, description=description).to_dict(validate=False)
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    # Axis and legend labels are never cut short: a place's full Chinese and English name is its
    # identity, and Vega's truncation measures each label's text again and again (a CJK label
    # dozens of times): the targets chart's static SVG took 0.81 s with the default limit, 0.20 s
    # without one; a small bar chart 75 ms with a legend limit, 48 ms without.
    spec.setdefault("config", {})["legend"] = {
        "labelLimit": 0,
        "orient": "bottom",
        "direction": "horizontal",
        "columns": 2,
    }
    spec["config"]["axis"] = {"labelLimit": 0}
    return spec


def _group(ds: Dataset, jid: str) -> str:
    j = ds.jurisdictions[jid]
    if j.country != "CN":
        return "Outside China"
    return LEVEL_GROUPS.get(j.level, "District, county or zone")


def adoption_chart(ds: Dataset, abroad: bool = False) -> Chart:
    """Cumulative number of jurisdictions with an issued metaverse policy document, by month: in
    China by administrative level (``adoption``), or outside China (``adoption-abroad``, with
    ``abroad``); the two are never stacked together.

    A jurisdiction counts from the month of its earliest issued document in final form that names
    the metaverse (:attr:`generator.models.Document.is_metaverse_policy`: drafts, meetings,
    announcements and related XR plans left out); the lines run to the month of the latest record
    of any kind.
    """
    first: dict[str, str] = {}
    latest = None
    for doc in ds.documents_by_date:
        month = edtf_month(doc.date)
        if not month:
            continue
        latest = max(latest or month, month)
        if (
            doc.is_metaverse_policy
            and doc.jurisdiction not in first
            and (_group(ds, doc.jurisdiction) == "Outside China") == abroad
        ):
            first[doc.jurisdiction] = month
    groups = sorted({_group(ds, jid) for jid in first})
    undated = len(
        {
            d.jurisdiction
            for d in ds.documents.values()
            if d.is_metaverse_policy
            and d.jurisdiction not in first
            and (_group(ds, d.jurisdiction) == "Outside China") == abroad
        }
    )
    months = sorted(set(first.values()) | ({latest} if latest else set()))
    rows = _cumulative(((month, _group(ds, jid)) for jid, month in first.items()), months, groups, "level")
    where = "outside China" if abroad else "in China"
    title = f"Jurisdictions {where} with an issued metaverse policy, cumulative"
    description = (
        f"{'Area' if abroad else 'Stacked area'} chart by month, to {latest or 'the latest record'}: {len(first)} "
        f"jurisdictions {where}{'' if abroad else ' by administrative level'}, each counted from its first issued "
        "metaverse policy document."
    )
    chart = (
        alt.Chart(pd.DataFrame(rows, columns=["month", "level", "jurisdictions"]))
        .mark_area(interpolate="step-after")
        .encode(
            x=alt.X("month:T", title="Month", timeUnit="utcyearmonth"),
            y=alt.Y("jurisdictions:Q", title="Jurisdictions", stack=True, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("level:N", title="Level", sort=groups),
            tooltip=[alt.Tooltip("month:T", timeUnit="utcyearmonth", title="Month"), "level:N", "jurisdictions:Q"],
        )
    )
    rule = f"{rules.POLICY_RULE} N = {len(first)} jurisdictions {where}{_undated_note(undated, 'jurisdiction')}."
    return Chart(
        "adoption-abroad" if abroad else "adoption",
        title,
        description,
        _finish(chart, title, description),
        rows,
        [("month", "Month"), ("level", "Level"), ("jurisdictions", "Jurisdictions (cumulative)")],
        rule,
    )


def documents_by_year_chart(
    ds: Dataset, name: str = "documents-by-year", jids: set[str] | None = None, title: str | None = None
) -> Chart:
    """Number of documents per year by document kind, for all jurisdictions or those in ``jids``.

    The spec comes from :func:`_documents_by_year_spec`, built by Altair once per title; the rows
    go in as the ``documents`` dataset (one chart per province made Altair 0.5 s of a 1× build)."""
    counts, undated = Counter(), 0
    for doc in ds.documents.values():
        if not doc.is_final or (jids is not None and doc.jurisdiction not in jids):
            continue
        year = edtf_year(doc.date)
        if year:
            counts[(year, ds.term("document_kinds", doc.kind).en)] += 1
        else:
            undated += 1
    counts = _fold_categories(counts)
    rows = [{"year": str(y), "kind": k, "documents": n} for (y, k), n in sorted(counts.items())]
    title = title or "Documents per year, by kind"
    total = sum(counts.values())
    description = f"Stacked bar chart of {total} documents by year of issue or announcement and by kind of document."
    spec = json.loads(_documents_by_year_spec(title))
    spec["description"] = description
    spec["datasets"] = {"documents": rows}
    rule = f"{rules.DOCUMENTS_RULE} N = {total} documents{_undated_note(undated, 'document')}."
    return Chart(
        name, title, description, spec, rows, [("year", "Year"), ("kind", "Kind"), ("documents", "Documents")], rule
    )


def _undated_note(count: int, noun: str) -> str:
    """``"; 3 more without a known date are left out"`` for a caption, or ``""``."""
    return f"; {count} more {noun}{'s' if count != 1 else ''} without a known date left out" if count else ""


#: Most categories one chart colours apart (Vega's category10 palette has ten colours; past about
#: eight a reader cannot tell them apart): the rest are folded into "Other kinds".
MAX_CATEGORIES = 8


def _fold_categories(counts: Counter) -> Counter:
    """Keep the ``MAX_CATEGORIES - 1`` largest categories of ``{(x, category): n}`` and fold the
    rest into ``Other kinds``, so no two categories share a colour."""
    totals = Counter()
    for (_, category), n in counts.items():
        totals[category] += n
    if len(totals) <= MAX_CATEGORIES:
        return counts
    keep = {c for c, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[: MAX_CATEGORIES - 1]}
    out: Counter = Counter()
    for (x, category), n in counts.items():
        out[(x, category if category in keep else "Other kinds")] += n
    return out


@lru_cache(maxsize=8)
def _documents_by_year_spec(title: str) -> str:
    """The documents-per-year bar chart as Vega-Lite JSON text, reading the named dataset
    ``documents`` (rows of ``year``, ``kind``, ``documents``); the caller adds the rows and the
    description."""
    chart = (
        alt.Chart(alt.Data(name="documents"))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("documents:Q", title="Documents", stack=True, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("kind:N", title="Kind"),
            tooltip=["year:O", "kind:N", "documents:Q"],
        )
    )
    return json.dumps(_finish(chart, title, ""))


#: Most jurisdictions a target chart shows (those with the largest targets, or the most); the
#: targets table below each chart lists every target. Keeps a chart's spec, SVG and drawing time
#: bounded as the data grows (issue #8: chart specs carry aggregated data, not raw records).
TARGET_CHART_JURISDICTIONS = 30


def _largest_by_jurisdiction(ds: Dataset, rows, root: str) -> dict[tuple[str, str], dict]:
    """Aggregate target rows to one entry per (jurisdiction id, metric key): the largest
    normalized value (the upper end of a range), the number of targets, and the deadline and
    as-stated text of the largest one. Returns ``{(jid, metric): row dict}``."""
    out: dict[tuple[str, str], dict] = {}
    for row in rows:
        t = row.target
        value = t.normalized if t.normalized is not None else t.normalized_high
        if value is None:
            continue
        key = (row.document.jurisdiction, t.metric)
        entry = out.get(key)
        if entry is None:
            j = ds.jurisdictions[key[0]]
            entry = out[key] = {
                "jurisdiction": f"{j.name_zh} {j.name_en}",
                "metric": ds.term("metrics", t.metric).en,
                "value": value,
                "targets": 0,
                "as_stated": t.as_stated,
                "deadline": t.deadline,
                "url": root + locations.record_url("jurisdictions", j.id),
            }
        entry["targets"] += 1
        if value > entry["value"]:
            entry.update(value=value, as_stated=t.as_stated, deadline=t.deadline)
    return out


def _top_jurisdictions(ds: Dataset, entries: dict[tuple[str, str], dict], rank) -> tuple[list[dict], int]:
    """Keep the entries of the :data:`TARGET_CHART_JURISDICTIONS` jurisdictions ranked first by
    ``rank(list of that jurisdiction's entries)`` (larger first; ties by name); return ``(rows, total
    jurisdictions)``. Labels shared by two places shown get the parent's name added."""
    by_jid: dict[str, list[dict]] = defaultdict(list)
    for (jid, _), entry in entries.items():
        by_jid[jid].append(entry)
    order = sorted(by_jid, key=lambda jid: (-rank(by_jid[jid]), by_jid[jid][0]["jurisdiction"], jid))[
        :TARGET_CHART_JURISDICTIONS
    ]
    labels = Counter(by_jid[jid][0]["jurisdiction"] for jid in order)
    for jid in order:  # same-named places (two 鼓楼区) would share a band: name the parent too
        if labels[by_jid[jid][0]["jurisdiction"]] > 1:
            parent = ds.jurisdictions.get(ds.jurisdictions[jid].parent or "")
            for entry in by_jid[jid]:
                entry["jurisdiction"] += f" ({parent.name_zh} {parent.name_en})" if parent else f" ({jid})"
    rows = [e for jid in order for e in sorted(by_jid[jid], key=lambda e: e["metric"])]
    return rows, len(by_jid)


def _band_height(rows: list[dict], per_row: int) -> int:
    """A fixed height in pixels for a chart with one band per row (a jurisdiction and metric):
    ``per_row`` pixels a row. A fixed number, not Vega-Lite's ``{"step": n}``: with a container
    width, a discrete height makes Vega-Lite warn that it drops fit-y in the browser."""
    return max(80, per_row * len(rows))


def _target_rule(targets: int, jurisdictions: int) -> str:
    """The caption line of a target chart: the counting rule and N."""
    return f"Counted: {rules.COUNTING_RULE}. N = {targets} targets of {jurisdictions} jurisdictions."


def _shown_note(shown: int, total: int) -> str:
    return f"all {total}" if shown == total else f"the {shown} of {total}"


def industry_scale_chart(ds: Dataset, root: str) -> Chart:
    """Largest industry-scale target of each jurisdiction, in CNY shown in 亿元 (100 million yuan),
    for the :data:`TARGET_CHART_JURISDICTIONS` jurisdictions with the largest targets.

    One bar per jurisdiction and metric (industry scale, core industry scale): the largest target
    of that metric across its documents, ranges at their upper end, with how many targets it
    summarizes. Bars link to the jurisdiction page.

    Args:
        ds: the dataset.
        root: URL prefix from the chart spec's folder to the site root
            (:data:`generator.locations.CHART_ROOT`), for each bar's link.
    """
    entries = _largest_by_jurisdiction(
        ds,
        (
            r
            for r in ds.counted_rows
            if r.target.metric in ("industry-scale", "core-industry-scale")
            and ds.term("units", r.target.unit).base_unit == "CNY"
        ),
        root,
    )
    for entry in entries.values():
        entry["yi_yuan"] = entry.pop("value") / 1e8
    rows, total = _top_jurisdictions(ds, entries, lambda es: max(e["yi_yuan"] for e in es))
    shown = len({r["jurisdiction"] for r in rows})
    targets = sum(e["targets"] for e in entries.values())
    title = "Industry-scale targets (100 million yuan)"
    description = (
        f"Bar chart of the largest industry-scale and core-industry-scale target, normalized to 100 million yuan, of "
        f"{_shown_note(shown, total)} jurisdictions with such targets ({targets} targets in all), largest first."
    )
    columns = ["jurisdiction", "metric", "yi_yuan", "targets", "as_stated", "deadline", "url"]
    chart = (
        alt.Chart(pd.DataFrame(rows, columns=columns))
        .mark_bar()
        .encode(
            y=alt.Y("jurisdiction:N", title=None, sort="-x"),
            x=alt.X("yi_yuan:Q", title="Largest target (亿元)"),
            color=alt.Color("metric:N", title="Metric"),
            yOffset="metric:N",
            href="url:N",
            tooltip=[
                "jurisdiction:N",
                "metric:N",
                alt.Tooltip("as_stated:N", title="largest, as stated"),
                "deadline:N",
                alt.Tooltip("targets:Q", title="targets of this metric"),
            ],
        )
    )
    spec = _finish(chart, title, description)
    spec["height"] = _band_height(rows, 14)
    return Chart(
        "industry-scale-targets",
        title,
        description,
        spec,
        rows,
        [
            ("jurisdiction", "Jurisdiction"),
            ("metric", "Metric"),
            ("yi_yuan", "Largest target (亿元)"),
            ("as_stated", "As stated"),
            ("deadline", "Deadline"),
            ("targets", "Targets"),
        ],
        _target_rule(targets, total),
    )


def build_charts(ds: Dataset) -> dict[str, Chart]:
    """Return every chart of the site by name: the site-wide charts, and for each country, union
    and provincial-level division whose subtree holds two or more documents, its documents per
    year (``jur-<id>``). Lower levels get none, so the chart count, and the build time it costs
    (each chart is also drawn as a static SVG), does not grow with the number of cities."""
    root = locations.CHART_ROOT  # links in a chart resolve against its spec's folder
    charts = [
        adoption_chart(ds),
        adoption_chart(ds, abroad=True),
        documents_by_year_chart(ds),
        industry_scale_chart(ds, root),
        count_targets_chart(ds, root),
        province_map_chart(ds, root),
        focus_spread_chart(ds),
        world_map_chart(ds, root),
    ]
    for jid, j in ds.jurisdictions.items():
        if j.level not in ("national", "supranational", "provincial-level"):
            continue
        ids = {jid, *ds.descendants(jid)}
        if sum(len(ds.documents_by_jurisdiction.get(i, [])) for i in ids) >= 2:
            charts.append(
                documents_by_year_chart(ds, f"jur-{jid}", ids, "Documents per year in this jurisdiction and below")
            )
    return {c.name: c for c in charts}


#: Tile-grid layout of China's provincial-level divisions, drawn for this project: (column, row)
#: by ISO 3166-2 code, roughly following geography, with no boundaries drawn. Taiwan, Hong Kong
#: and Macao have tiles so the grid is complete, and are marked as not covered by the atlas.
PROVINCE_TILES = {
    "CN-HL": (8, 0),
    "CN-NM": (6, 1),
    "CN-JL": (8, 1),
    "CN-XJ": (0, 2),
    "CN-GS": (3, 2),
    "CN-NX": (4, 2),
    "CN-SX": (5, 2),
    "CN-BJ": (6, 2),
    "CN-TJ": (7, 2),
    "CN-LN": (8, 2),
    "CN-QH": (2, 3),
    "CN-SN": (4, 3),
    "CN-HA": (5, 3),
    "CN-HE": (6, 3),
    "CN-SD": (7, 3),
    "CN-XZ": (1, 4),
    "CN-SC": (3, 4),
    "CN-CQ": (4, 4),
    "CN-HB": (5, 4),
    "CN-AH": (6, 4),
    "CN-JS": (7, 4),
    "CN-YN": (3, 5),
    "CN-GZ": (4, 5),
    "CN-HN": (5, 5),
    "CN-JX": (6, 5),
    "CN-ZJ": (7, 5),
    "CN-SH": (8, 5),
    "CN-GX": (4, 6),
    "CN-GD": (5, 6),
    "CN-FJ": (6, 6),
    "CN-TW": (7, 6),
    "CN-HI": (4, 7),
    "CN-MO": (5, 7),
    "CN-HK": (6, 7),
}
_NOT_COVERED = {"CN-TW": ("台湾", "Taiwan"), "CN-HK": ("香港", "Hong Kong"), "CN-MO": ("澳门", "Macao")}


#: Tile fills by research status (and ``not-covered``), and the text colour drawn on each: every
#: pair keeps a WCAG contrast of at least 4.5:1 (tests/test_rules.py measures it); the chart draws
#: its own colours, so the site's light and dark palettes do not change them.
TILE_FILLS = {
    "dedicated-plan": "#1b7837",
    "mentioned": "#7fbf7b",
    "nothing-found": "#d9d9d9",
    "not-researched": "#f7f7f7",
    "not-covered": "#bdbdbd",
}
TILE_INK = {
    "dedicated-plan": "#ffffff",
    "mentioned": "#000000",
    "nothing-found": "#000000",
    "not-researched": "#000000",
    "not-covered": "#000000",
}


def province_map_chart(ds: Dataset, root: str) -> Chart:
    """Tile-grid map of China's provincial-level divisions, coloured by research status, labelled
    with the number of documents of the province and everything below it. No boundaries are drawn."""
    by_code = {
        j.iso_3166_2: j
        for j in ds.jurisdictions.values()
        if j.level == "provincial-level" and j.country == "CN" and j.iso_3166_2
    }
    rows = []
    for code, (col, row) in sorted(PROVINCE_TILES.items()):
        j = by_code.get(code)
        if j is None:
            zh, en = _NOT_COVERED.get(code, (code, code))
            rows.append(
                {
                    "col": col,
                    "row": row,
                    "name": f"{zh} {en}",
                    "short": zh[:2],
                    "status": "Not covered",
                    "documents": 0,
                    "url": "",
                }
            )
            continue
        status = rules.RESEARCH_STATUSES[ds.research_status(j.id)][0]
        rows.append(
            {
                "col": col,
                "row": row,
                "name": f"{j.name_zh} {j.name_en}",
                "short": j.name_zh[:2] if not j.name_zh.startswith(("内蒙古", "黑龙江")) else j.name_zh[:3],
                "status": status,
                "documents": ds.document_count(j.id),
                "url": root + locations.record_url("jurisdictions", j.id),
            }
        )
    order = [label for label, _, _ in rules.RESEARCH_STATUSES.values()] + ["Not covered"]
    fills = [TILE_FILLS[key] for key in (*rules.RESEARCH_STATUSES, "not-covered")]
    inks = [TILE_INK[key] for key in (*rules.RESEARCH_STATUSES, "not-covered")]
    base = alt.Chart(pd.DataFrame(rows, columns=["col", "row", "name", "short", "status", "documents", "url"]))
    tiles = base.mark_rect(cornerRadius=3, stroke="white", strokeWidth=2).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
        color=alt.Color("status:N", title="Status", scale=alt.Scale(domain=order, range=fills)),
        href="url:N",
        tooltip=["name:N", "status:N", alt.Tooltip("documents:Q", title="Documents (with cities and districts)")],
    )
    ink = alt.Color("status:N", scale=alt.Scale(domain=order, range=inks), legend=None)
    labels = base.mark_text(fontSize=10, dy=-6).encode(x="col:O", y="row:O", text="short:N", color=ink)
    counts = base.mark_text(fontSize=9, dy=7).encode(x="col:O", y="row:O", text="documents:Q", color=ink)
    title = "Provincial-level divisions by research status"
    description = (
        f"Tile-grid map (no boundaries drawn) of {len(by_code)} provincial-level divisions of mainland China, coloured "
        "by whether a dedicated metaverse plan, a mention or nothing was found; each tile shows the number of "
        "documents of the province and its cities and districts."
    )
    spec = _finish(alt.layer(tiles, labels, counts).resolve_scale(color="independent"), title, description)
    spec["height"] = 380
    rule = (
        "Status: from each division's own issued documents in final form (methodology). Tile number: issued documents "
        f"in final form of the division and the places below it. N = {len(by_code)} divisions; Hong Kong, Macao "
        "and Taiwan are shown as not covered."
    )
    return Chart(
        "province-map",
        title,
        description,
        spec,
        rows,
        [("name", "Province-level division"), ("status", "Status"), ("documents", "Documents (own + below)")],
        rule,
    )


def _cumulative(firsts: Iterable[tuple[str, str]], months: list[str], groups, column: str) -> list[dict]:
    """Rows of a cumulative count by month: ``firsts`` holds one ``(YYYY-MM, group)`` per thing
    counted, at the month it first counts; each row is ``{"month": "YYYY-MM-01", column: group,
    "jurisdictions": running total}``, for every month of ``months`` and group of ``groups``."""
    counts = Counter(firsts)
    rows, running = [], defaultdict(int)
    for month in months:
        for group in groups:
            running[group] += counts.get((month, group), 0)
            rows.append({"month": f"{month}-01", column: group, "jurisdictions": running[group]})
    return rows


def focus_spread_chart(ds: Dataset) -> Chart:
    """Cumulative jurisdictions by the month they first mentioned the metaverse and the month they
    first issued a dedicated document: the spread from mentions to dedicated plans."""
    first: dict[tuple[str, str], str] = {}
    for doc in ds.documents_by_date:
        month = edtf_month(doc.date)
        if not month or not doc.is_metaverse_policy:
            continue
        stage = "Dedicated plan or measures" if doc.focus == "dedicated" else "Any mention"
        for key in {(doc.jurisdiction, "Any mention"), (doc.jurisdiction, stage)}:
            first.setdefault(key, month)
    stages = ("Any mention", "Dedicated plan or measures")
    firsts = [(month, stage) for (_, stage), month in first.items()]
    rows = _cumulative(firsts, sorted({m for m, _ in firsts}), stages, "stage")
    title = "From mentions to dedicated plans"
    description = (
        "Line chart: cumulative number of jurisdictions with any metaverse policy document, and with a dedicated "
        "metaverse document, by month."
    )
    chart = (
        alt.Chart(pd.DataFrame(rows, columns=["month", "stage", "jurisdictions"]))
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("month:T", title="Month", timeUnit="utcyearmonth"),
            y=alt.Y("jurisdictions:Q", title="Jurisdictions"),
            color=alt.Color("stage:N", title=None),
            tooltip=[alt.Tooltip("month:T", timeUnit="utcyearmonth", title="Month"), "stage:N", "jurisdictions:Q"],
        )
    )
    rule = f"{rules.POLICY_RULE} N = {len({jid for jid, _ in first})} jurisdictions."
    return Chart(
        "focus-spread",
        title,
        description,
        _finish(chart, title, description),
        rows,
        [("month", "Month"), ("stage", "Stage"), ("jurisdictions", "Jurisdictions (cumulative)")],
        rule,
    )


#: The metrics of :func:`count_targets_chart`: counts of enterprises, scenarios, parks and platforms.
COUNT_METRICS = (
    "leading-enterprises",
    "enterprises",
    "specialized-enterprises",
    "listed-enterprises",
    "demonstration-scenarios",
    "industrial-parks",
    "innovation-platforms",
)


def count_targets_chart(ds: Dataset, root: str) -> Chart:
    """Enterprise, scenario, park and platform count targets (metaverse scope only) of the
    :data:`TARGET_CHART_JURISDICTIONS` jurisdictions with the most such targets: one dot per
    jurisdiction and metric at its largest target (ranges at their upper end), log scale."""
    metrics = COUNT_METRICS
    entries = _largest_by_jurisdiction(
        ds,
        (
            r
            for r in ds.counted_rows
            if r.target.metric in metrics and ds.term("units", r.target.unit).base_unit == "count"
        ),
        root,
    )
    for entry in entries.values():
        entry["count"] = entry.pop("value")
    rows, total = _top_jurisdictions(ds, entries, lambda es: sum(e["targets"] for e in es))
    shown = len({r["jurisdiction"] for r in rows})
    targets = sum(e["targets"] for e in entries.values())
    title = "Enterprise, scenario and park targets"
    description = (
        f"Dot chart of count targets (enterprises, scenarios, parks, platforms) in metaverse documents: the largest "
        f"target of each metric for {_shown_note(shown, total)} jurisdictions with such targets ({targets} targets in "
        "all), "
        "those with the most targets first; ranges are shown at their upper end."
    )
    columns = ["jurisdiction", "metric", "count", "targets", "as_stated", "deadline", "url"]
    chart = (
        alt.Chart(pd.DataFrame(rows, columns=columns))
        .mark_point(filled=True, size=70)
        .encode(
            y=alt.Y("jurisdiction:N", title=None, sort=None),
            x=alt.X("count:Q", title="Largest target (count, log scale)", scale=alt.Scale(type="log")),
            color=alt.Color("metric:N", title="Metric"),
            shape=alt.Shape("metric:N", title="Metric"),
            href="url:N",
            tooltip=[
                "jurisdiction:N",
                "metric:N",
                alt.Tooltip("as_stated:N", title="largest, as stated"),
                "deadline:N",
                alt.Tooltip("targets:Q", title="targets of this metric"),
            ],
        )
    )
    spec = _finish(chart, title, description)
    spec["height"] = _band_height(rows, 16)
    return Chart(
        "count-targets",
        title,
        description,
        spec,
        rows,
        [
            ("jurisdiction", "Jurisdiction"),
            ("metric", "Metric"),
            ("count", "Largest target"),
            ("as_stated", "As stated"),
            ("deadline", "Deadline"),
            ("targets", "Targets"),
        ],
        _target_rule(targets, total),
    )


#: Countries whose outline is not drawn on the world map: China is shown on the tile grid, and
#: Natural Earth's outlines of these countries include borders disputed with China (see map page).
WORLD_MAP_OMITTED = {"CN", "IN", "TW"}


def world_map_chart(ds: Dataset, root: str) -> Chart:
    """World map of countries (outside China) with records, shaded by their number of documents.

    Land without borders and country outlines come from Natural Earth via the world-atlas npm
    package (public domain data), served from the site at ``assets/vendor/``; countries are
    matched by ISO 3166-1 numeric code (pycountry). Record text enters only as data values.
    """
    import pycountry

    counts: Counter = Counter()
    for doc in ds.documents.values():
        if not doc.is_final:
            continue
        country = ds.jurisdictions[doc.jurisdiction].country
        if country and country not in WORLD_MAP_OMITTED:
            counts[country] += 1
    rows = []
    for alpha2, n in sorted(counts.items()):
        country = pycountry.countries.get(alpha_2=alpha2)
        cn = next((j for j in ds.jurisdictions.values() if j.country == alpha2 and j.level == "national"), None)
        rows.append(
            {
                "numeric": country.numeric,
                "country": f"{cn.name_zh} {cn.name_en}" if cn else country.name,
                "documents": n,
                "url": root + locations.record_url("jurisdictions", cn.id) if cn else "",
            }
        )
    land = alt.Data(
        url=f"{root}assets/vendor/world-land-110m.json", format=alt.TopoDataFormat(type="topojson", feature="land")
    )
    countries = alt.Data(
        url=f"{root}assets/vendor/world-countries-110m.json",
        format=alt.TopoDataFormat(type="topojson", feature="countries"),
    )
    base = alt.Chart(land).mark_geoshape(fill="#e0e0e0", stroke=None)
    shaded = (
        alt.Chart(countries)
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .transform_lookup(
            lookup="id",
            from_=alt.LookupData(alt.Data(values=rows), key="numeric", fields=["country", "documents", "url"]),
        )
        .transform_filter(alt.FieldGTPredicate(field="documents", gt=0))
        .encode(
            color=alt.Color("documents:Q", title="Documents", scale=alt.Scale(scheme="blues")),
            href="url:N",
            tooltip=["country:N", "documents:Q"],
        )
    )
    title = "Countries with metaverse policy records (outside China)"
    description = (
        f"World map shading {len(rows)} countries outside China by their number of documents (national and "
        "subnational). Land and outlines: Natural Earth, public domain."
    )
    spec = _finish(alt.layer(base, shaded).project(type="equalEarth"), title, description)
    spec["height"] = 320
    rule = f"{rules.DOCUMENTS_RULE} N = {sum(counts.values())} documents of {len(rows)} countries."
    return Chart(
        "world-map", title, description, spec, rows, [("country", "Country"), ("documents", "Documents")], rule
    )
