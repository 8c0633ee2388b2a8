"""``python -m generator new``: commented record templates in the right place, and the JSON
Schema files the templates point editors at."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import jinja2
from pydantic import TypeAdapter, ValidationError

from . import layout
from .errors import UsageError
from .kinds import KINDS, Kind
from .loader import load_data
from .models import EDTF, SLUG_RE
from .reference import json_schemas
from .render import TEMPLATES

#: The kinds ``new`` writes a YAML file for, by singular name: every kind of the registry with a
#: template ``generator/templates/new/<singular>.yaml``; the file goes where the layout rule puts it.
TEMPLATED: dict[str, Kind] = {
    k.singular: k for k in KINDS.values() if (TEMPLATES / "new" / f"{k.singular}.yaml").is_file()
}

#: The kinds ``new`` prints a CSV row for (records kept only in CSV files): the jurisdictions.
ROWS: dict[str, Kind] = {k.singular: k for k in KINDS.values() if k.suffixes == (".csv",)}

#: Every kind ``python -m generator new`` accepts, in registry order with the CSV ones last.
CHOICES: tuple[str, ...] = (*TEMPLATED, *ROWS)


def _env() -> jinja2.Environment:
    # YAML templates filled only with validated slugs and dates: no escaping context applies.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "new"), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )


def new_record(
    kind: str,
    record_id: str,
    data_dir: Path,
    schema_dir: Path,
    jurisdiction: str | None = None,
    published: str | None = None,
) -> Path:
    """Write a commented template for a new record where the layout rule puts it
    (:mod:`generator.layout`) and return its path.

    Args:
        kind: the singular name of a kind in :data:`TEMPLATED` (``document``, ``source``, ``coverage``).
        record_id: the new record's id (a jurisdiction id for coverage).
        data_dir: the data folder.
        schema_dir: the folder of JSON Schema files, referenced by the template's first line.
        jurisdiction: documents only (required), the jurisdiction id to fill in; it must be listed
            in ``data/jurisdictions/``, which decides the folder.
        published: sources only, the EDTF date the page was published (``2023-03-01``), filled in
            and deciding the folder; without it the file goes to ``sources/undated/``.

    Raises:
        UsageError: unknown kind, an id that is not a slug, a document without a known
            jurisdiction, a published date that is not EDTF, or an existing file (never overwritten).
    """
    if kind not in TEMPLATED:
        raise UsageError(f"unknown kind '{kind}'; use {', '.join(CHOICES[:-1])} or {CHOICES[-1]}")
    for value in (record_id, jurisdiction or "x"):
        if not re.match(SLUG_RE, value):
            raise UsageError(f"'{value}' is not an id: use lowercase ASCII letters, digits and single hyphens")
    folder = data_dir / TEMPLATED[kind].name
    path = data_dir / _relative_path(kind, record_id, data_dir, jurisdiction, published)
    taken = sorted(folder.rglob(f"{record_id}.yaml")) if folder.is_dir() else []
    if taken:
        raise UsageError(f"the id '{record_id}' is taken: {taken[0]} exists; edit it, or choose another id")
    schema = os.path.relpath(schema_dir / f"{kind}.schema.json", path.parent)
    text = (
        _env()
        .get_template(f"{kind}.yaml")
        .render(
            id=record_id,
            jurisdiction=jurisdiction or "JURISDICTION-ID",
            schema=schema,
            today=date.today().isoformat(),
            published=published,
        )
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    return path


def _relative_path(kind: str, record_id: str, data_dir: Path, jurisdiction: str | None, published: str | None) -> str:
    """The layout rule's path of a new record, relative to ``data_dir``; see :func:`new_record`."""
    if kind == "source":
        if published is not None and not _is_edtf(published):
            raise UsageError(f"--published '{published}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        return f"{layout.source_folder(published)}/{record_id}.yaml"
    if kind != "document":
        return f"{TEMPLATED[kind].name}/{record_id}.yaml"
    if not jurisdiction:
        raise UsageError(
            "a new document needs --jurisdiction (an id from data/jurisdictions/*.csv): it decides the folder"
        )
    jurisdictions = {loc.record.id: loc.record for loc in load_data(data_dir).records.get("jurisdictions", [])}
    path = layout.document_path(record_id, jurisdiction, jurisdictions)
    if path is None:
        raise UsageError(
            f"the jurisdiction '{jurisdiction}' is not in data/jurisdictions/*.csv (or its parents are not): add it "
            "first with `new jurisdiction`"
        )
    return path


def _is_edtf(value: str) -> bool:
    """True when ``value`` is a plain date the records accept (YYYY, YYYY-MM or YYYY-MM-DD, on the
    calendar): checked by the models' own EDTF type, so ``2024-13-45`` is refused here too."""
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", value):
        return False
    try:
        TypeAdapter(EDTF).validate_python(value)
    except ValidationError:
        return False
    return True


#: Example values of the CSV row ``new`` prints, by kind (the rest of the row is left empty).
ROW_EXAMPLES = {
    "jurisdiction": {
        "name_en": "English name",
        "name_zh": "中文名",
        "level": "prefecture-level-city",
        "parent": "PARENT-ID",
        "country": "CN",
    }
}


def csv_row(kind: str, record_id: str, data_dir: Path | None = None) -> tuple[str, str]:
    """Return a CSV header and an example row for a new record of ``kind`` (a key of :data:`ROWS`,
    ``jurisdiction``) with ``record_id``, and the file the row belongs in (relative to the data
    folder). A jurisdiction id is built from the country code down (``kr-busan``), so its country
    is filled in from the id's first part and names the file (``jurisdictions/kr.csv``).

    Raises:
        UsageError: the id is not a slug, or (with ``data_dir``) a record of the kind has it.
    """
    if not re.match(SLUG_RE, record_id):
        raise UsageError(f"'{record_id}' is not an id: use lowercase ASCII letters, digits and single hyphens")
    target = ROWS[kind]
    if data_dir is not None:
        taken = {target.record_id(loc.record) for loc in load_data(data_dir).records.get(target.name, [])}
        if record_id in taken:
            raise UsageError(
                f"the id '{record_id}' is taken: a row of {data_dir / target.name} has it; edit it, or choose another"
            )
    fields = target.model.model_fields
    example = {**ROW_EXAMPLES.get(kind, {}), target.id_field: record_id}
    prefix = record_id.split("-", 1)[0]
    if kind == "jurisdiction" and len(prefix) == 2:
        example["country"] = prefix.upper()
        example["level"] = example["level"] if prefix == "cn" else "city"
    file = (
        f"{target.name}/{prefix}.csv"
        if kind == "jurisdiction" and len(prefix) == 2
        else f"{target.name}/<country code>.csv"
    )
    return ",".join(fields) + "\n" + ",".join(example.get(name, "") for name in fields) + "\n", file


def write_schemas(schema_dir: Path) -> list[Path]:
    """Write the records' JSON Schema files into ``schema_dir``; return the paths written."""
    schema_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        path = schema_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
