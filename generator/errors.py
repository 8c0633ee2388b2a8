"""Problems found in contributor data, and the small exception tree of the generator.

Every problem has a short kebab-case code from :data:`CODES`, a position (file, line, column,
field) and a message that says how to fix it. Validation collects all problems and prints each as
``path:line:col: field: message [code]`` (the frictionless-py report style). A message whose code
is not in :data:`CODES` is a programming error: :class:`Problem` refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .terminal import visible

#: Every error code the validator can report, with a one-line explanation. The contributor
#: reference lists them; tests hold one bad-input fixture per code.
CODES: dict[str, str] = {
    # files and encodings
    "file-unreadable": "the file could not be read from disk",
    "file-too-large": "the file is larger than the limit for one record file",
    "encoding": "the file is not valid UTF-8",
    "encoding-gbk": "the file looks like GBK/GB18030, not UTF-8",
    "nul-byte": "the file contains a NUL byte",
    "mixed-line-endings": "the file mixes CRLF and LF line endings",
    "control-character": "text contains an invisible or bidirectional control character",
    # YAML
    "yaml-syntax": "the YAML cannot be parsed",
    "yaml-duplicate-key": "a mapping has the same key twice",
    "yaml-alias": "YAML anchors and aliases are not allowed in records",
    "yaml-too-deep": "the YAML nests deeper than the limit",
    "yaml-not-mapping": "the file's top level is not a mapping of field names to values",
    "yaml-multiple-documents": "the file holds more than one YAML document",
    "yaml-tag": "explicit YAML tags are not allowed in records",
    # CSV
    "csv-header": "the CSV header is missing, repeated or has unknown columns",
    "csv-row-length": "a CSV row has more or fewer cells than the header",
    "csv-excel-date": "a date cell holds an Excel serial number",
    "csv-fullwidth": "a cell holds full-width digits or punctuation",
    # fields
    "missing-field": "a required field is absent",
    "unknown-field": "a field name is not part of the record model",
    "wrong-type": "a value has the wrong type",
    "invalid-value": "a value is not allowed for this field",
    "text-too-long": "a text value is longer than the limit",
    "invalid-id": "an id is not a lowercase ASCII slug",
    "invalid-edtf": "a date is not a valid EDTF string",
    "look-alike-character": "a date or code holds full-width or other look-alike characters (２０２５ for 2025)",
    "invalid-url": "a URL is not an absolute http(s) URL",
    "placeholder-text": (
        "a field that names something holds a bracketed placeholder instead (an original publisher '[not named]')"
    ),
    "invalid-code": "a code (ISO 3166, GB/T 2260, Wikidata) has the wrong form",
    "unknown-term": "a value is not in the controlled vocabulary",
    "misplaced-file": "a record's file name or folder does not match its id or kind",
    "hidden-file": "a record file or folder has a hidden name (starting with a dot) and would be skipped",
    "reversed-interval": "an EDTF interval ends before it starts",
    "confusable-host": "a URL's host is not plain ASCII (mixed scripts, punycode) and has no idn_host marker",
    "implausible-value": "a figure is outside the plausible range for its unit and not marked unusual_figure",
    "dictionary-line": "a line of the search dictionary is not 'word [frequency] [tag]'",
    # cross-record
    "duplicate-id": "two records share an id (ignoring case)",
    "unknown-reference": "a reference names a record that does not exist",
    "cycle": "parents or relations form a cycle",
    "deadline-before-document": "a target's deadline is earlier than its document's date",
    "normalized-mismatch": "a normalized value disagrees with value x scale",
    "inconsistent-value": "fields of one record contradict each other",
    "repost-without-original": "a repost source does not name its original publisher",
    "unvetted-host": "a government or state-media source comes from a host not listed in vocab/official_hosts.yaml",
    "dispute-without-preference": "a dispute does not mark exactly one value as preferred",
    # usage
    "no-records": "no record files were found",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in contributor data.

    Attributes:
        path: file path as given to the loader (relative to the working directory when possible).
        line: 1-based line number, 0 when the problem concerns the whole file.
        column: 1-based column, 0 when unknown.
        field: dotted field path inside the record (``targets.0.deadline``), ``""`` for the file.
        code: one of :data:`CODES`.
        message: what is wrong and how to fix it.

    Raises:
        ValueError: when ``code`` is not a known code (a bug in the generator, not in the data).
    """

    path: str
    line: int
    column: int
    field: str
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")

    def format(self) -> str:
        """Return the problem as ``path:line:col: field: message [code]``, on one line: path, field
        and message pass :func:`generator.terminal.visible` (a newline in a value shows as ``\\n``)."""
        field = f" {visible(self.field)}:" if self.field else ""
        return f"{visible(self.path)}:{self.line}:{self.column}:{field} {visible(self.message)} [{self.code}]"


class AtlasError(Exception):
    """Base of the generator's exceptions; the CLI turns each into a message and an exit code."""

    exit_code = 1


class DataInvalid(AtlasError):
    """The data has problems; ``problems`` holds all of them, sorted by position."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data")


class UsageError(AtlasError):
    """The command was called wrongly (missing folder, bad option, an id that is taken); exit code 2.

    The one usage error of the generator: :func:`generator.cli.run` turns click's own parse errors
    into it too, and prints every one as the single line ``error: MESSAGE``."""

    exit_code = 2


class BuildFailed(AtlasError):
    """A later stage (render, write, site engine) failed; nothing was replaced."""
