"""Read tabular records (jurisdictions, sources) from CSV files exported by people and spreadsheets.

Files are UTF-8 with or without a BOM. The usual spreadsheet faults get an error that says how to
re-save the file: GBK/GB18030 encodings, Excel serial dates (``45383`` for 2024-04-04), full-width
digits and punctuation (``１２``, ``，``).
"""

from __future__ import annotations

import csv
import re
import unicodedata

from .errors import Problem
from .text import check_text_bytes, control_characters
from .yamlio import LIMITS, Parsed

_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")
_EXCEL_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")


def parse_csv(data: bytes, path: str, columns: dict[str, str]) -> list[Parsed]:
    """Parse a CSV file into one :class:`~generator.yamlio.Parsed` per data row.

    Args:
        data: the file's bytes.
        path: file name for problems.
        columns: the allowed header names mapped to their cell type: ``"text"``, ``"number"``,
            ``"date"`` (EDTF or day), ``"code"`` (ids, codes: ASCII only, no full-width forms).

    Returns:
        One ``Parsed`` per row, whose ``value`` maps column to cell (empty cells left out, numbers
        as float) and whose ``positions`` give each cell's ``(line, column)``. A file-level fault
        yields a single ``Parsed`` carrying the problem (codes ``encoding``, ``encoding-gbk``,
        ``nul-byte``, ``csv-header``, ``csv-row-length``, ``csv-excel-date``, ``csv-fullwidth``,
        ``wrong-type``, ``control-character``). Never raises for bad input.
    """
    text, problems = check_text_bytes(data, path, LIMITS["file_bytes"] * 20)
    if text is None or problems:
        return [Parsed(problems=problems)]
    try:
        rows = list(csv.reader(text.splitlines(), strict=True))
    except csv.Error as exc:
        return [Parsed(problems=[Problem(path, 1, 1, "", "csv-header", f"the CSV cannot be parsed ({exc}); check the quoting")])]
    if not rows:
        return [Parsed(problems=[Problem(path, 1, 1, "", "csv-header", "the file is empty; the first line must be the header")])]
    header_problems = _check_header(rows[0], path, columns)
    if header_problems:
        return [Parsed(problems=header_problems)]
    return [_row(r, i, rows[0], path, columns) for i, r in enumerate(rows[1:], 2) if any(c.strip() for c in r)]


def _check_header(header: list[str], path: str, columns: dict[str, str]) -> list[Problem]:
    problems = []
    seen = set()
    for col, name in enumerate(header, 1):
        if name in seen:
            problems.append(Problem(path, 1, col, name, "csv-header", f"the column '{name}' appears twice in the header"))
        elif name not in columns:
            hint = "; save the header in plain ASCII" if _FULLWIDTH.search(name) or control_characters(name) else ""
            allowed = ", ".join(columns)
            problems.append(Problem(path, 1, col, name, "csv-header", f"unknown column '{name}'{hint}; allowed: {allowed}"))
        seen.add(name)
    return problems


def _row(cells: list[str], line: int, header: list[str], path: str, columns: dict[str, str]) -> Parsed:
    out = Parsed()
    if len(cells) != len(header):
        out.problems.append(Problem(path, line, 1, "", "csv-row-length", f"the row has {len(cells)} cells but the header has {len(header)}; check commas inside unquoted text"))
        return out
    value = {}
    offset = 1
    for name, cell in zip(header, cells):
        out.positions[(name,)] = (line, offset)
        converted = _cell(cell, name, columns[name], (line, offset), path, out.problems)
        offset += len(cell) + 1
        if converted is not None:
            value[name] = converted
    out.positions[()] = (line, 1)
    if not out.problems:
        out.value = value
    return out


def _cell(cell: str, name: str, kind: str, pos: tuple[int, int], path: str, problems: list[Problem]):
    cell = unicodedata.normalize("NFC", cell.strip())
    if not cell:
        return None
    bad = control_characters(cell)
    if bad:
        problems.append(Problem(path, *pos, name, "control-character", f"the cell contains the invisible or control character {bad}; delete it"))
        return None
    if kind != "text" and _FULLWIDTH.search(cell):
        problems.append(Problem(path, *pos, name, "csv-fullwidth", f"'{cell}' holds full-width characters; type digits and punctuation in half-width (ASCII) form"))
        return None
    if kind == "date" and _EXCEL_SERIAL.match(cell):
        problems.append(Problem(path, *pos, name, "csv-excel-date", f"'{cell}' looks like an Excel serial date; format the column as text and type the date as YYYY-MM-DD"))
        return None
    if kind == "number":
        try:
            return float(cell)
        except ValueError:
            problems.append(Problem(path, *pos, name, "wrong-type", f"'{cell}' is not a number; use a decimal point and no thousands separator"))
            return None
    return cell
