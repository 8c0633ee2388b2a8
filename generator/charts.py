"""Charts: Altair (Vega-Lite) specs built from aggregated data, never from raw record text in code.

Each :class:`Chart` carries its spec, the rows it was drawn from (for the data table and CSV next to
it) and its title and description (for screen readers). Record text reaches a chart only as data
values; no field is ever put into a Vega expression.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .checks import document_date
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


def _finish(chart: alt.Chart, title: str, description: str) -> dict:
    # Altair's schema validation takes ~80 ms a chart; the specs are built from fixed code paths
    # and checked once in the tests (tests/test_charts.py), so builds skip it.
    spec = chart.properties(width="container", height=260, title=title, description=description).to_dict(validate=False)
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def _group(ds: Dataset, jid: str) -> str:
    j = ds.jurisdictions[jid]
    if j.country != "CN":
        return "Outside China"
    return LEVEL_GROUPS.get(j.level, "District, county or zone")


def adoption_chart(ds: Dataset) -> Chart:
    """Cumulative number of jurisdictions with a metaverse policy document, by month and level group.

    A jurisdiction counts from the month of its earliest document (issued or announced date).
    """
    first: dict[str, str] = {}
    for doc in ds.documents_by_date:
        month = edtf_month(document_date(doc))
        if month and doc.jurisdiction not in first:
            first[doc.jurisdiction] = month
    counts = Counter((month, _group(ds, jid)) for jid, month in first.items())
    months = sorted({m for m, _ in counts})
    groups = sorted({g for _, g in counts})
    rows, running = [], defaultdict(int)
    for month in months:
        for group in groups:
            running[group] += counts.get((month, group), 0)
            rows.append({"month": f"{month}-01", "level": group, "jurisdictions": running[group]})
    title = "Jurisdictions with a metaverse policy, cumulative"
    description = f"Stacked area chart: cumulative count of {len(first)} jurisdictions by the month of their first metaverse policy document, by administrative level."
    chart = alt.Chart(pd.DataFrame(rows, columns=["month", "level", "jurisdictions"])).mark_area(interpolate="step-after").encode(
        x=alt.X("month:T", title="Month", timeUnit="utcyearmonth"),
        y=alt.Y("jurisdictions:Q", title="Jurisdictions", stack=True),
        color=alt.Color("level:N", title="Level", sort=groups),
        tooltip=[alt.Tooltip("month:T", timeUnit="utcyearmonth", title="Month"), "level:N", "jurisdictions:Q"],
    )
    return Chart("adoption", title, description, _finish(chart, title, description), rows,
                 [("month", "Month"), ("level", "Level"), ("jurisdictions", "Jurisdictions (cumulative)")])


def documents_by_year_chart(ds: Dataset, name: str = "documents-by-year", jids: set[str] | None = None, title: str | None = None) -> Chart:
    """Number of documents per year by document kind, for all jurisdictions or those in ``jids``."""
    counts = Counter()
    for doc in ds.documents.values():
        if jids is not None and doc.jurisdiction not in jids:
            continue
        year = edtf_year(document_date(doc))
        if year:
            counts[(year, ds.term("document_kinds", doc.kind).en)] += 1
    rows = [{"year": str(y), "kind": k, "documents": n} for (y, k), n in sorted(counts.items())]
    title = title or "Documents per year, by kind"
    total = sum(counts.values())
    description = f"Stacked bar chart of {total} documents by year of issue or announcement and by kind of document."
    chart = alt.Chart(pd.DataFrame(rows, columns=["year", "kind", "documents"])).mark_bar().encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("documents:Q", title="Documents", stack=True),
        color=alt.Color("kind:N", title="Kind"),
        tooltip=["year:O", "kind:N", "documents:Q"],
    )
    return Chart(name, title, description, _finish(chart, title, description), rows,
                 [("year", "Year"), ("kind", "Kind"), ("documents", "Documents")])


def industry_scale_chart(ds: Dataset, root: str) -> Chart:
    """Industry-scale targets in CNY (shown in 亿元, 100 million yuan) by jurisdiction and deadline.

    Args:
        ds: the dataset.
        root: URL prefix from the hosting page to the site root, for each bar's link.
    """
    rows = []
    for row in ds.target_rows:
        t = row.target
        if t.metric not in ("industry-scale", "core-industry-scale") or ds.term("units", t.unit).base_unit != "CNY":
            continue
        value = t.normalized if t.normalized is not None else t.normalized_high
        j = ds.jurisdictions[row.document.jurisdiction]
        rows.append({
            "jurisdiction": f"{j.name_zh} {j.name_en}", "metric": ds.term("metrics", t.metric).en,
            "yi_yuan": value / 1e8, "as_stated": t.as_stated, "deadline": t.deadline,
            "document": row.document.title.original, "url": f"{root}documents/{row.document.id}/",
        })
    title = "Industry-scale targets (100 million yuan)"
    description = f"Bar chart of {len(rows)} industry-scale and core-industry-scale targets, normalized to 100 million yuan, by jurisdiction."
    chart = alt.Chart(pd.DataFrame(rows, columns=["jurisdiction", "metric", "yi_yuan", "as_stated", "deadline", "document", "url"])).mark_bar().encode(
        y=alt.Y("jurisdiction:N", title=None, sort="-x"),
        x=alt.X("yi_yuan:Q", title="Target (亿元)"),
        color=alt.Color("metric:N", title="Metric"),
        yOffset="metric:N",
        href="url:N",
        tooltip=["jurisdiction:N", "metric:N", "as_stated:N", "deadline:N", "document:N"],
    )
    spec = _finish(chart, title, description)
    spec["height"] = {"step": 14}
    return Chart("industry-scale-targets", title, description, spec, rows,
                 [("jurisdiction", "Jurisdiction"), ("metric", "Metric"), ("yi_yuan", "Target (亿元)"), ("as_stated", "As stated"), ("deadline", "Deadline"), ("document", "Document")])


def build_charts(ds: Dataset) -> dict[str, Chart]:
    """Return every chart of the site by name: site-wide charts and one per jurisdiction whose
    subtree holds two or more documents (``jur-<id>``)."""
    charts = [adoption_chart(ds), documents_by_year_chart(ds), industry_scale_chart(ds, "../")]
    for jid in ds.jurisdictions:
        ids = {jid, *ds.descendants(jid)}
        if sum(len(ds.documents_by_jurisdiction.get(i, [])) for i in ids) >= 2:
            charts.append(documents_by_year_chart(ds, f"jur-{jid}", ids, "Documents per year in this jurisdiction and below"))
    return {c.name: c for c in charts}
