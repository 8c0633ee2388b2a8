"""The contributor reference and the JSON Schema, both generated from the record models.

Field descriptions come from the docstrings under each model field
(``use_attribute_docstrings``), so the reference cannot drift from the code.
"""

from __future__ import annotations

import json
import typing

from pydantic import BaseModel

from . import models
from .errors import CODES
from .escape import cell
from .kinds import KINDS

#: Models documented in the reference, in reading order, with the file they live in.
DOCUMENTED = [
    (models.Document, "data/documents/**/<id>.yaml"),
    (models.Title, "inside a document: title"),
    (models.Issuer, "inside a document: issuers"),
    (models.Dates, "inside a document: dates"),
    (models.Bilingual, "inside a document: summary"),
    (models.Relation, "inside a document: relations"),
    (models.SourceRef, "inside documents and targets: sources"),
    (models.Dispute, "inside a document: disputes"),
    (models.DisputedValue, "inside a dispute: values"),
    (models.Target, "inside a document: targets"),
    (models.Baseline, "inside a target: baseline"),
    (models.Outcome, "inside a target: outcome"),
    (models.Source, "data/sources/**/<id>.yaml (or rows of a CSV file there)"),
    (models.Jurisdiction, "rows of data/jurisdictions/*.csv"),
    (models.Coverage, "data/coverage/<jurisdiction>.yaml"),
    (models.WorkReportCheck, "inside coverage: work_reports"),
    (models.Search, "inside coverage, work-report entries and outcomes: searches"),
    (models.Correction, "data/corrections/<day>-<record>.yaml"),
    (models.Redirect, "data/redirects/<old-id>.yaml"),
    (models.Term, "entries of data/vocab/<name>.yaml"),
    (models.DatasetInfo, "data/dataset.yaml"),
]

#: Models exported as JSON Schema files: file stem (a kind's singular name) → model, for every kind
#: of the registry with :attr:`~generator.kinds.Kind.json_schema`.
SCHEMAS = {kind.singular: kind.model for kind in KINDS.values() if kind.json_schema}


def documented() -> list[tuple[type[BaseModel], str]]:
    """Return :data:`DOCUMENTED`, then the model of every registry kind it does not list (a kind
    added later), with its folder under ``data/``: no record kind goes undocumented."""
    listed = {model for model, _ in DOCUMENTED}
    return DOCUMENTED + [(k.model, f"data/{k.name}/") for k in KINDS.values() if k.model not in listed]


def undocumented_fields() -> list[str]:
    """Return ``Model.field`` for every documented model field without a description."""
    return [
        f"{m.__name__}.{name}"
        for m, _ in documented()
        for name, f in m.model_fields.items()
        if not (f.description or "").strip()
    ]


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is typing.Literal:
        return " / ".join(f"`{a}`" for a in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {str: "text", float: "number", int: "integer", bool: "true/false"}.get(
        annotation, getattr(annotation, "__name__", str(annotation))
    )


def reference_markdown() -> str:
    """Return the contributor reference page (Markdown): every model, field, type and meaning,
    and every validation error code."""
    lines = [
        "---",
        "title: Record reference",
        "---",
        "",
        "# Record reference { #reference }",
        "",
        "Generated from the record models (`generator/models.py`); every field, its type, whether it is required, and "
        "what it means.",
        "",
    ]
    for model, where in documented():
        doc = (model.__doc__ or "").strip().splitlines()[0]
        lines += [
            f"## {model.__name__} {{ #{model.__name__.lower()} }}",
            "",
            f"{doc} Lives in: {where}.",
            "",
            "| Field | Type | Required | Meaning |",
            "|---|---|---|---|",
        ]
        for name, f in model.model_fields.items():
            required = "yes" if f.is_required() else "no"
            meaning = " ".join((f.description or "").split()).replace("|", "\\|")
            lines.append(f"| `{name}` | {_type_name(f.annotation)} | {required} | {meaning} |")
        lines.append("")
    lines += [
        "## Error codes { #error-codes }",
        "",
        "`make validate` (or `.venv/bin/python -m generator validate FILE ...`) prints each problem as `path:line:col: "
        "field: message [code]`.",
        "",
        "| Code | Meaning |",
        "|---|---|",
    ]
    lines += [f"| `{code}` | {cell(text)} |" for code, text in CODES.items()]
    return "\n".join(lines) + "\n"


def json_schemas() -> dict[str, str]:
    """Return ``{file name: JSON Schema text}`` for every record kind (stable, sorted keys)."""
    out = {}
    for stem, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{stem}.schema.json"
        out[f"{stem}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out
