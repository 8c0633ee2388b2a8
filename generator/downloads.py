"""Downloads under ``/data/`` on the site: CSV and JSON tables, per-record JSON, a Frictionless
data package and the JSON Schema of the records. Everything is returned as bytes by path; the
write stage saves it."""

from __future__ import annotations

import io
import json
import math
import re
import time
import typing
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import locations, models, rules
from .dataset import Dataset, document_source_ids
from .dates import edtf_bounds
from .kinds import KINDS, TABLES
from .reference import json_schemas
from .settings import BuildFacts

DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralize spreadsheet formulas in a text cell (OWASP "CSV injection"): a text starting
    with ``= + - @``, tab or CR gets a leading apostrophe. Numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def to_csv(rows: list[dict], columns: list[str]) -> bytes:
    """Write ``rows`` as UTF-8 CSV with ``columns`` in order; integers stay integers (no ``2025.0``)."""
    frame = pd.DataFrame([{k: csv_safe(r.get(k)) for k in columns} for r in rows], columns=columns, dtype=object)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Column:
    """One column of a download table: its name, its Frictionless type (``string``, ``integer``,
    ``number``, ``boolean``), its description (shown in ``datapackage.json`` and the codebook
    page) and how to read it from a row's record(s)."""

    name: str
    type: str
    description: str
    get: Callable


#: How each Frictionless type is read with ``pandas.read_csv(..., dtype=...)`` (the codebook says so).
PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def _described(model, name: str, out_name: str | None = None, get: Callable | None = None) -> Column:
    """A column copied from a model field: its docstring is the description, its annotation the type."""
    field = model.model_fields[name]
    return Column(
        out_name or name,
        _frictionless_type(field.annotation),
        plain_description(field.description or ""),
        get or (lambda r, n=name: getattr(r, n)),
    )


def plain_description(docstring: str) -> str:
    """A field docstring as plain text for data users: reStructuredText literals (````x````) and
    references (``:class:`~generator.models.X```) lose their markup, whitespace is folded."""
    text = re.sub(r":\w+:`~?(?:[\w.]+\.)?([^`]+)`", r"\1", docstring)
    return " ".join(text.replace("``", "").split())


def _frictionless_type(annotation) -> str:
    """The Frictionless type of a field annotation: the first of bool, int, float found in it
    (through Optional and Annotated), else ``string``."""
    found = set()
    stack = [annotation]
    while stack:
        item = stack.pop()
        if item in (bool, int, float):
            found.add(item)
        stack.extend(typing.get_args(item))
    return "boolean" if bool in found else "number" if float in found else "integer" if int in found else "string"


def _model_columns(model) -> list[Column]:
    """Every field of a flat model (jurisdiction, source) as a column."""
    return [_described(model, name) for name in model.model_fields]


def _document_columns(ds: Dataset) -> list[Column]:
    D, T, Dt = models.Document, models.Title, models.Dates
    return [
        _described(D, "id"),
        _described(D, "jurisdiction"),
        _described(T, "original", "title_original", lambda d: d.title.original),
        _described(T, "language", "title_language", lambda d: d.title.language),
        _described(T, "en", "title_en", lambda d: d.title.en),
        _described(T, "en_official", "title_en_official", lambda d: d.title.en_official),
        _described(D, "kind"),
        _described(D, "status"),
        _described(D, "focus"),
        Column(
            "issued_document",
            "boolean",
            "True for an issued document (a plan, measures, a report); false for a meeting, event or announcement.",
            lambda d: d.is_issued,
        ),
        Column(
            "final",
            "boolean",
            "True for an issued document in its final form: not a draft for comment, not only announced. Only final "
            "documents' targets are counted.",
            lambda d: d.is_final,
        ),
        Column(
            "date",
            "string",
            "EDTF date the document is dated by: its issue date, else the day it was announced; empty when neither is "
            "known (the period is never used instead).",
            lambda d: d.dates.issued or d.dates.announced,
        ),
        _described(Dt, "announced", get=lambda d: d.dates.announced),
        _described(Dt, "issued", get=lambda d: d.dates.issued),
        _described(Dt, "effective", get=lambda d: d.dates.effective),
        _described(Dt, "period", get=lambda d: d.dates.period),
        _described(D, "document_number"),
        Column(
            "themes",
            "string",
            "Terms of vocab/themes.yaml the document addresses, separated by ';'.",
            lambda d: ";".join(d.themes),
        ),
        Column(
            "issuers",
            "string",
            "Names of the issuing bodies in the original language, separated by ';'.",
            lambda d: ";".join(i.name for i in d.issuers),
        ),
        Column(
            "reliability",
            "string",
            "Reliability grade from the sources (methodology: official-text, official-report, independent, single, "
            "copies-only).",
            ds.reliability,
        ),
        Column(
            "disputes",
            "integer",
            "Number of fields on which sources disagree (every value is kept in the record).",
            lambda d: len(d.disputes),
        ),
        Column("targets", "integer", "Number of quantified targets the document sets.", lambda d: len(d.targets)),
        Column(
            "sources",
            "string",
            "Ids of every source the record cites, separated by ';'.",
            lambda d: ";".join(document_source_ids(d)),
        ),
    ]


def _target_columns(ds: Dataset) -> list[Column]:
    T = models.Target
    return [
        Column("document", "string", "Id of the document that sets the target.", lambda r: r.document.id),
        Column(
            "jurisdiction",
            "string",
            "Id of the jurisdiction whose document sets the target.",
            lambda r: r.document.jurisdiction,
        ),
        *(
            _described(T, n, get=lambda r, n=n: getattr(r.target, n))
            for n in (
                "id",
                "metric",
                "subject",
                "as_stated",
                "qualifier",
                "value",
                "low",
                "high",
                "unit",
                "normalized",
                "normalized_low",
                "normalized_high",
            )
        ),
        Column(
            "base_unit",
            "string",
            "The base unit of the normalized values (CNY, USD, KRW, count, percent...); "
            "currencies are never converted.",
            lambda r: ds.term("units", r.target.unit).base_unit,
        ),
        _described(T, "deadline", get=lambda r: r.target.deadline),
        Column(
            "deadline_year",
            "integer",
            "The last calendar year the deadline can mean (2025 for '2025', '2025-06' or '2025~'); empty for an "
            "open-ended deadline ('2023-06-16/..').",
            lambda r: _last_year(r.target.deadline),
        ),
        _described(T, "scope", get=lambda r: r.target.scope),
        Column(
            "draft",
            "boolean",
            "True when the document is not in final form (a draft for comment, or announced but not issued).",
            lambda r: r.document.is_issued and not r.document.is_final,
        ),
        Column(
            "counted",
            "boolean",
            "True when default totals and charts count the target (the counting rule, methodology page).",
            lambda r: rules.is_counted(r.target, r.document),
        ),
        Column(
            "excluded_because",
            "string",
            "Why the target is not counted: scope, draft, not-issued or subsidy-cap; empty when counted.",
            lambda r: rules.exclusion(r.target, r.document) or "",
        ),
        Column(
            "status",
            "string",
            "Did it happen, on the data's as-of date: met, not-met, no-report-found, not-applicable, not-checked (due, "
            "no search yet) or not-yet-due. Never blank.",
            ds.status,
        ),
        _described(
            models.Outcome,
            "reported",
            "outcome_reported",
            lambda r: r.target.outcome.reported if r.target.outcome else None,
        ),
        Column(
            "outcome_sources",
            "string",
            "Ids of the sources that report the result, separated by ';'.",
            lambda r: ";".join(x.source for x in r.target.outcome.sources) if r.target.outcome else "",
        ),
        _described(T, "locator", get=lambda r: r.target.locator),
        Column(
            "sources",
            "string",
            "Ids of the sources that state the target, separated by ';'.",
            lambda r: ";".join(x.source for x in r.target.sources),
        ),
    ]


def _last_year(edtf: str) -> int | None:
    """The calendar year of the latest moment an EDTF date can mean (UTC); None for an open end
    (``2023-06-16/..``)."""
    upper = edtf_bounds(edtf)[1]
    return time.gmtime(upper).tm_year if math.isfinite(upper) and upper < 253402300799 else None


def table_columns(ds: Dataset) -> dict[str, tuple[list[Column], list]]:
    """Return the flat tables of :data:`generator.kinds.TABLES` as ``{name: (columns, records)}``:
    a kind's table has a column per model field (documents: :func:`_document_columns`) and a row
    per record; ``targets`` a row per :class:`~generator.dataset.TargetRow`."""
    out = {}
    for name in TABLES:
        if name == "targets":
            out[name] = (_target_columns(ds), ds.target_rows)
        elif name == "documents":
            out[name] = (_document_columns(ds), list(ds.documents.values()))
        else:
            out[name] = (_model_columns(KINDS[name].model), list(ds.by_kind[name].values()))
    return out


def tables(ds: Dataset) -> dict[str, list[dict]]:
    """Return the flat tables (:data:`generator.kinds.TABLES`) as lists of rows."""
    return {
        name: [{c.name: c.get(r) for c in cols} for r in records] for name, (cols, records) in table_columns(ds).items()
    }


def build_downloads(ds: Dataset, facts: BuildFacts) -> dict[str, bytes]:
    """Return ``{path under content/: bytes}`` for every download.

    Files: ``data/<table>.csv`` and ``.json`` for each of :data:`generator.kinds.TABLES`;
    ``data/records/<kind>/<id>.json`` per record of each kind among them; ``data/schema/<kind>.schema.json``;
    ``data/datapackage.json`` (Frictionless Data Package v1, with version and licence).
    """
    out: dict[str, bytes] = {}
    resources = []
    for name, (cols, records) in table_columns(ds).items():
        rows = [{c.name: c.get(r) for c in cols} for r in records]
        columns = [c.name for c in cols]
        out[f"data/{name}.csv"] = to_csv(rows, columns)
        out[f"data/{name}.json"] = _json(rows)
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": c.name, "type": c.type, "description": c.description} for c in cols]},
            }
        )
    for kind in (name for name in TABLES if name in KINDS):
        for rid, record in ds.by_kind[kind].items():
            out[locations.record_json(kind, rid)] = _json(record.model_dump(mode="json"))
    for name, text in json_schemas().items():
        out[f"data/schema/{name}"] = text.encode()
    out["data/datapackage.json"] = _json(
        {
            "name": "metaverse-policy-atlas",
            "title": "Metaverse Policy Atlas",
            "version": facts.version,
            "created": facts.data_as_of,
            "licenses": [DATA_LICENSE],
            "resources": resources,
            "description": (
                "Government metaverse policy documents, quantified targets, jurisdictions and the sources read for "
                "them."
            ),
        }
    )
    return out
