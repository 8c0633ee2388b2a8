"""Read YAML record files as YAML 1.2, keeping the line and column of every value.

Parsing uses libyaml's parser through ``ruamel.yaml.clib``, whose events carry positions.
:func:`parse_yaml` builds plain Python values from the event stream in one pass (no composer, no
resolver: composing a node tree first, and ruamel's type resolution of every scalar, took two
thirds of the parse time, issue #8), and resolves plain scalars by the YAML 1.2 core schema
itself (``NO`` stays a string, ``012`` is the integer 12;
https://yaml.org/spec/1.2.2/#1023-core-schema) and enforces the project's rules for contributor
files:

* timestamps are never built: an unquoted ``2022-01-11`` stays the string ``"2022-01-11"``;
* duplicate keys, anchors/aliases and explicit tags (``!!str``, ``!foo``) are errors;
* characters YAML forbids (C0/C1 controls) are reported with their position before parsing;
* nesting depth, string length and file size have limits (:data:`LIMITS`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from _ruamel_yaml import CParser
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .errors import Problem
from .text import check_text_bytes, control_characters

#: Limits on one record file. A record is a few kilobytes; these leave a wide margin.
LIMITS = {"file_bytes": 1_000_000, "depth": 12, "string_chars": 20_000}

Path = tuple  # a path of mapping keys (str) and sequence indices (int)

#: Nesting the parser is allowed to hand to the composer. libyaml's composer recurses in C once per
#: level and crashes the interpreter (segmentation fault) near 40,000 levels (an 80 kB file of
#: ``[``); deeper input is refused from the event stream, which is not recursive.
PARSE_DEPTH = 100

# Characters outside YAML's printable set (YAML 1.2 §5.1, c-printable; NUL is caught earlier), and
# NEL, LS and PS, which libyaml counts as line breaks (YAML 1.1) while editors do not: one of them
# shifts the line number of every later problem.
_UNPRINTABLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


@dataclass
class Parsed:
    """The result of parsing one file: ``value`` (None when parsing failed), ``positions``
    mapping each path to its 1-based ``(line, column)``, and the ``problems`` found."""

    value: object = None
    positions: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def where(self, path: Path) -> tuple[int, int]:
        """Return the position of ``path`` or of its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


# YAML 1.2 core schema, plain scalars only (https://yaml.org/spec/1.2.2/#1023-core-schema).
_CORE = (
    (re.compile(r"(?:null|Null|NULL|~|)"), lambda s: None),
    (re.compile(r"(?:true|True|TRUE|false|False|FALSE)"), lambda s: s.lower() == "true"),
    (re.compile(r"[-+]?[0-9]+"), int),
    (re.compile(r"0o[0-7]+"), lambda s: int(s, 0)),
    (re.compile(r"0x[0-9a-fA-F]+"), lambda s: int(s, 0)),
    (re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"), float),
    (re.compile(r"[-+]?\.(?:inf|Inf|INF)"), lambda s: float(s.replace(".", ""))),
    (re.compile(r"\.(?:nan|NaN|NAN)"), lambda s: float("nan")),
)

#: Every first character a :data:`_CORE` pattern can match (the empty string is null).
_CORE_FIRST = frozenset("~nNtTfF0123456789+-.")


def resolve_plain(text: str):
    """Return the value of a plain (unquoted) scalar by the YAML 1.2 core schema; text otherwise."""
    if text and text[0] not in _CORE_FIRST:  # most scalars are words: no pattern can match
        return text
    for pattern, convert in _CORE:
        if pattern.fullmatch(text):
            try:
                return convert(text)
            except ValueError:  # an integer beyond Python's digit limit (sys.get_int_max_str_digits)
                return text
    return text


_ALIAS = "anchors and aliases (&name, *name) are not allowed; write the value out"
_TOO_DEEP = f"values nest deeper than {LIMITS['depth']} levels; flatten the record"


def _tag_message(tag: str) -> str:
    return f"the tag {tag} is not allowed; remove it (quote the value if it must stay text)"


class _Stop(Exception):
    """Reading stops: ``code`` and ``mark`` of the one problem to report instead of any other."""

    def __init__(self, code: str, message: str, mark):
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


class _Builder:
    """Build Python values from libyaml events, recording positions and problems.

    Problems found while building (tags, aliases, duplicate keys, depth, text) are kept apart and
    reported only when the whole stream reads without a syntax error, a too-deep nesting or a
    second document, as the composer-based reader did before."""

    def __init__(self, path: str, text: str):
        self.path, self.parser = path, CParser(text)
        self.problems: list[Problem] = []
        self.positions: dict = {}
        self.anchors: dict[str, object] = {}  # anchor name → scalar value (an alias key reads it) or None
        self.level = 0  # collections open, for PARSE_DEPTH
        self.undefined = None  # the first alias of an anchor not defined before it in its document

    def next(self):
        """The next event; :class:`_Stop` past :data:`PARSE_DEPTH` nested collections."""
        event = self.parser.get_event()
        if isinstance(event, CollectionStartEvent):
            self.level += 1
            if self.level > PARSE_DEPTH:
                raise _Stop("yaml-too-deep", _TOO_DEEP, event.start_mark)
        elif isinstance(event, CollectionEndEvent):
            self.level -= 1
        return event

    def problem(self, mark, field_path: Path, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, dotted(field_path), code, message))

    def skip(self, event) -> None:
        """Read past the node that ``event`` starts (its anchors still count)."""
        self._anchor(event)
        if isinstance(event, CollectionStartEvent):
            while not isinstance(event := self.next(), CollectionEndEvent):
                self.skip(event)

    def _anchor(self, event) -> None:
        if isinstance(event, AliasEvent):
            if event.anchor not in self.anchors and self.undefined is None:
                self.undefined = event  # reported after the whole stream is read, as the composer did
        elif getattr(event, "anchor", None) is not None:
            self.anchors[event.anchor] = event.value if isinstance(event, ScalarEvent) else None

    def node(self, event, field_path: Path, depth: int):
        """Return the value of the node ``event`` starts, reading through its end."""
        mark = event.start_mark
        self.positions[field_path] = (mark.line + 1, mark.column + 1)
        if isinstance(event, AliasEvent):
            self._anchor(event)
            self.problem(mark, field_path, "yaml-alias", _ALIAS)
            return None
        if event.tag is not None:
            self.skip(event)
            self.problem(mark, field_path, "yaml-tag", _tag_message(event.tag))
            return None
        if depth > LIMITS["depth"]:
            self.skip(event)
            self.problem(mark, field_path, "yaml-too-deep", _TOO_DEEP)
            return None
        self._anchor(event)
        if isinstance(event, MappingStartEvent):
            return self.mapping(field_path, depth)
        if isinstance(event, SequenceStartEvent):
            items = []
            while not isinstance(item := self.next(), CollectionEndEvent):
                items.append(self.node(item, field_path + (len(items),), depth + 1))
            return items
        return self.scalar(event, field_path)

    def mapping(self, field_path: Path, depth: int) -> dict:
        result: dict = {}
        while not isinstance(key_event := self.next(), CollectionEndEvent):
            mark = key_event.start_mark
            if isinstance(key_event, AliasEvent):
                self._anchor(key_event)
                key = self.anchors.get(key_event.anchor)
                if not isinstance(key, str):
                    self.problem(mark, field_path, "wrong-type", "a field name must be plain text")
                else:
                    self.positions[field_path + (key,)] = (mark.line + 1, mark.column + 1)
                    self.problem(mark, field_path + (key,), "yaml-alias", _ALIAS)
                self.skip(self.next())
                continue
            if not isinstance(key_event, ScalarEvent):
                self.skip(key_event)
                self.problem(mark, field_path, "wrong-type", "a field name must be plain text")
                self.skip(self.next())
                continue
            self._anchor(key_event)
            key = key_event.value
            if key_event.tag is not None:
                self.positions[field_path + (key,)] = (mark.line + 1, mark.column + 1)
                self.problem(mark, field_path + (key,), "yaml-tag", _tag_message(key_event.tag))
                self.skip(self.next())
                continue
            if key in result:
                self.problem(
                    mark,
                    field_path + (key,),
                    "yaml-duplicate-key",
                    f"the key '{key}' appears twice in this mapping; keep one",
                )
                self.skip(self.next())
                continue
            result[key] = self.node(self.next(), field_path + (key,), depth + 1)
            self.positions[field_path + (key,)] = (mark.line + 1, mark.column + 1)
        return result

    def scalar(self, event, field_path: Path):
        if len(event.value) > LIMITS["string_chars"]:
            self.problem(
                event.start_mark,
                field_path,
                "text-too-long",
                f"text is longer than {LIMITS['string_chars']} characters",
            )
            return None
        value = event.value if event.style else resolve_plain(event.value)
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value)
            bad = control_characters(value)
            if bad:
                self.problem(
                    event.start_mark,
                    field_path,
                    "control-character",
                    f"text contains the invisible or control character {bad}; delete it",
                )
        return value

    def stream(self) -> tuple[object, object, object]:
        """Read the whole stream; return ``(first document's root event, its value or None, mark of
        a second document's root or None)``. The value is built only for a mapping root."""
        self.next()  # stream start
        root = value = second = None
        while not isinstance(event := self.next(), StreamEndEvent):
            if not isinstance(event, DocumentStartEvent):
                continue
            self.anchors = {}  # anchors hold within one document
            top = self.next()
            if root is None:
                root = top
                if isinstance(top, MappingStartEvent):
                    value = self.node(top, (), 0)
                else:
                    self.skip(top)
            else:
                second = second or top.start_mark
                self.skip(top)
        if self.undefined is not None:
            raise _Stop("yaml-syntax", f"found undefined alias {self.undefined.anchor!r}", self.undefined.start_mark)
        return root, value, second


def dotted(field_path: Path) -> str:
    """Return a path like ``("targets", 0, "deadline")`` as ``"targets.0.deadline"``."""
    return ".".join(str(p) for p in field_path)


def parse_yaml(data: bytes, path: str) -> Parsed:
    """Parse one YAML record file.

    Args:
        data: the file's bytes (UTF-8, optionally with a BOM).
        path: the name to report in problems.

    Returns:
        A :class:`Parsed` whose ``value`` is a dict for a valid file. Never raises for bad input:
        every fault becomes a :class:`~generator.errors.Problem` (codes ``encoding``,
        ``nul-byte``, ``file-too-large``, ``yaml-*``, ``text-too-long``, ``control-character``).
    """
    out = Parsed()
    text, problems = check_text_bytes(data, path, LIMITS["file_bytes"])
    if text is None:
        out.problems.extend(problems)
        return out
    out.problems.extend(problems)
    bad = _UNPRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        out.problems.append(
            Problem(
                path,
                line,
                column,
                "",
                "control-character",
                f"the file contains the control character {control_characters(bad.group())}, which YAML does not "
                "allow; delete it",
            )
        )
        return out
    builder = _Builder(path, text)
    try:
        root, value, second = builder.stream()
    except _Stop as stop:
        mark = stop.mark
        suffix = "; check indentation and quoting" if stop.code == "yaml-syntax" else ""
        out.problems.append(Problem(path, mark.line + 1, mark.column + 1, "", stop.code, stop.message + suffix))
        return out
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        out.problems.append(Problem(path, line, col, "", "yaml-syntax", f"{reason}; check indentation and quoting"))
        return out
    except (YAMLError, ValueError, RecursionError) as exc:
        out.problems.append(
            Problem(
                path, 1, 1, "", "yaml-syntax", f"invalid YAML ({type(exc).__name__}); check indentation and quoting"
            )
        )
        return out
    finally:
        builder.parser.dispose()
    if second is not None:
        out.problems.append(
            Problem(
                path,
                second.line + 1,
                1,
                "",
                "yaml-multiple-documents",
                "one record per file: remove the '---' and split the file",
            )
        )
        return out
    if root is None or not isinstance(root, MappingStartEvent):
        line = root.start_mark.line + 1 if root is not None else 1
        out.problems.append(
            Problem(
                path,
                line,
                1,
                "",
                "yaml-not-mapping",
                "a record file must be a mapping of field names to values (field: value)",
            )
        )
        return out
    out.positions, out.problems = builder.positions, out.problems + builder.problems
    if not out.problems:
        out.value = value
    return out
