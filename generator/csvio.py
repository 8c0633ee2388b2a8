"""Read tabular records (jurisdictions, sources) from CSV files exported by people and spreadsheets.

Files are UTF-8 with or without a BOM. The usual spreadsheet faults get an error that says how to
re-save the file: GBK/GB18030 encodings, Excel serial dates (``45383`` for 2024-04-04), full-width
digits and punctuation (``１２``, ``，``).
"""

from __future__ import annotations

import csv
import io
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
    rows, error = _read_rows(text.replace("\r", "\n"), path)
    if error:
        return [Parsed(problems=[error])]
    if not rows:
        return [
            Parsed(
                problems=[Problem(path, 1, 1, "", "csv-header", "the file is empty; the first line must be the header")]
            )
        ]
    header = rows[0][0]
    header_problems = _check_header(header, path, columns)
    if header_problems:
        return [Parsed(problems=header_problems)]
    return [_row(cells, starts, header, path, columns) for cells, starts in rows[1:] if any(c.strip() for c in cells)]


def _read_rows(text: str, path: str) -> tuple[list, Problem | None]:
    """Return ``[(cells, cell starts)]`` for every row, or the problem that stopped the reader.

    Rows are read from the text itself (not from split lines) so that a quoted cell may hold a
    line break; each cell's ``(line, column)`` is found by scanning the row's raw text.
    """
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, line = [], 1
    try:
        for cells in reader:
            rows.append((cells, _cell_starts("\n".join(lines[line - 1 : reader.line_num]), line)))
            line = reader.line_num + 1
    except csv.Error as exc:
        code = "csv-header" if reader.line_num <= 1 else "csv-row-length"
        return [], Problem(
            path,
            max(reader.line_num, 1),
            1,
            "",
            code,
            f"the CSV cannot be read here ({exc}); check the quotes and commas of this row",
        )
    return rows, None


def _cell_starts(raw: str, line: int) -> list[tuple[int, int]]:
    """Return the 1-based ``(line, column)`` where each cell of one raw CSV row starts.

    A small copy of the reader's states (RFC 4180 quoting, ``""`` for a quote inside quotes).
    """
    starts, column, state = [(line, 1)], 1, "start"
    for char in raw:
        if state == "quoted":
            state = "quote" if char == '"' else "quoted"
        elif char == ",":
            starts.append((line, column + 1))
            state = "start"
        elif state == "quote" and char == '"':
            state = "quoted"
        else:
            state = "quoted" if state == "start" and char == '"' else "plain"
        if char == "\n":
            line, column = line + 1, 0
        column += 1
    return starts


def _check_header(header: list[str], path: str, columns: dict[str, str]) -> list[Problem]:
    problems = []
    seen = set()
    for col, name in enumerate(header, 1):
        if name in seen:
            problems.append(
                Problem(path, 1, col, name, "csv-header", f"the column '{name}' appears twice in the header")
            )
        elif name not in columns:
            hint = "; save the header in plain ASCII" if _FULLWIDTH.search(name) or control_characters(name) else ""
            allowed = ", ".join(columns)
            problems.append(
                Problem(path, 1, col, name, "csv-header", f"unknown column '{name}'{hint}; allowed: {allowed}")
            )
        seen.add(name)
    return problems


def _row(
    cells: list[str], starts: list[tuple[int, int]], header: list[str], path: str, columns: dict[str, str]
) -> Parsed:
    out = Parsed()
    line = starts[0][0]
    starts = starts + [(line, 1)] * (len(cells) - len(starts))  # never drop a cell over a position
    if len(cells) != len(header):
        out.problems.append(
            Problem(
                path,
                line,
                1,
                "",
                "csv-row-length",
                f"the row has {len(cells)} cells but the header has {len(header)}; check commas inside unquoted text",
            )
        )
        return out
    value = {}
    for name, cell, pos in zip(header, cells, starts):
        out.positions[(name,)] = pos
        converted = _cell(cell, name, columns[name], pos, path, out.problems)
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
        problems.append(
            Problem(
                path,
                *pos,
                name,
                "control-character",
                f"the cell contains the invisible or control character {bad}; delete it",
            )
        )
        return None
    if kind != "text" and _FULLWIDTH.search(cell):
        problems.append(
            Problem(
                path,
                *pos,
                name,
                "csv-fullwidth",
                f"'{cell}' holds full-width characters; type digits and punctuation in half-width (ASCII) form",
            )
        )
        return None
    if kind == "date" and _EXCEL_SERIAL.match(cell):
        problems.append(
            Problem(
                path,
                *pos,
                name,
                "csv-excel-date",
                f"'{cell}' looks like an Excel serial date; format the column as text and type the date as YYYY-MM-DD",
            )
        )
        return None
    if kind == "number":
        try:
            return float(cell)
        except ValueError:
            problems.append(
                Problem(
                    path,
                    *pos,
                    name,
                    "wrong-type",
                    f"'{cell}' is not a number; use a decimal point and no thousands separator",
                )
            )
            return None
    return cell
