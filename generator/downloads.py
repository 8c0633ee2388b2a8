"""Downloads under ``/data/`` on the site: CSV and JSON tables, per-record JSON, a Frictionless
data package and the JSON Schema of the records. Everything is returned as bytes by path; the
write stage saves it."""

from __future__ import annotations

import io
import json

import pandas as pd

from .checks import document_date
from .dataset import Dataset, document_source_ids
from .reference import json_schemas

DATA_LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}
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
    frame = pd.DataFrame([{k: csv_safe(r.get(k)) for k in columns} for r in rows], columns=columns)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def tables(ds: Dataset) -> dict[str, list[dict]]:
    """Return the four flat tables (jurisdictions, documents, targets, sources) as lists of rows."""
    docs = []
    for d in ds.documents.values():
        docs.append({
            "id": d.id, "jurisdiction": d.jurisdiction, "title_original": d.title.original, "title_language": d.title.language,
            "title_en": d.title.en, "title_en_official": d.title.en_official, "kind": d.kind, "status": d.status, "focus": d.focus,
            "date": document_date(d), "announced": d.dates.announced, "issued": d.dates.issued, "effective": d.dates.effective,
            "period": d.dates.period, "document_number": d.document_number, "themes": ";".join(d.themes),
            "issuers": ";".join(i.name for i in d.issuers), "reliability": ds.reliability(d), "targets": len(d.targets),
            "sources": ";".join(document_source_ids(d)),
        })
    targets = []
    for row in ds.target_rows:
        t, unit = row.target, ds.term("units", row.target.unit)
        targets.append({
            "document": row.document.id, "jurisdiction": row.document.jurisdiction, "id": t.id, "metric": t.metric, "subject": t.subject,
            "as_stated": t.as_stated, "qualifier": t.qualifier, "value": t.value, "low": t.low, "high": t.high, "unit": t.unit,
            "normalized": t.normalized, "normalized_low": t.normalized_low, "normalized_high": t.normalized_high,
            "base_unit": unit.base_unit, "deadline": t.deadline, "scope": t.scope, "locator": t.locator,
            "outcome": t.outcome.status if t.outcome else None, "sources": ";".join(r.source for r in t.sources),
        })
    return {
        "jurisdictions": [j.model_dump(mode="json") for j in ds.jurisdictions.values()],
        "documents": docs,
        "targets": targets,
        "sources": [s.model_dump(mode="json") for s in ds.sources.values()],
    }


def _field_type(values: list) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "number"
    return "string"


def build_downloads(ds: Dataset, meta: dict) -> dict[str, bytes]:
    """Return ``{path under content/: bytes}`` for every download.

    Files: ``data/<table>.csv`` and ``.json`` for jurisdictions, documents, targets and sources;
    ``data/records/<kind>/<id>.json`` per record; ``data/schema/<kind>.schema.json``;
    ``data/datapackage.json`` (Frictionless Data Package v1, with version and licence).
    """
    out: dict[str, bytes] = {}
    resources = []
    for name, rows in tables(ds).items():
        columns = sorted({k for r in rows for k in r}, key=lambda k: (k != "id", k))
        if rows:
            columns = list(rows[0].keys()) + [c for c in columns if c not in rows[0]]
        out[f"data/{name}.csv"] = to_csv(rows, columns)
        out[f"data/{name}.json"] = _json(rows)
        resources.append({
            "name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": c, "type": _field_type([r.get(c) for r in rows])} for c in columns]},
        })
    for kind, records in (("documents", ds.documents), ("jurisdictions", ds.jurisdictions), ("sources", ds.sources)):
        for rid, record in records.items():
            out[f"data/records/{kind}/{rid}.json"] = _json(record.model_dump(mode="json"))
    for name, text in json_schemas().items():
        out[f"data/schema/{name}"] = text.encode()
    out["data/datapackage.json"] = _json({
        "name": "metaverse-policy-atlas", "title": "Metaverse Policy Atlas", "version": meta["version"],
        "created": meta["data_as_of"], "licenses": [DATA_LICENSE], "resources": resources,
        "description": "Government metaverse policy documents, quantified targets, jurisdictions and the sources read for them.",
    })
    return out
