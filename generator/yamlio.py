"""Read YAML record files as YAML 1.2, keeping the line and column of every value.

Parsing uses ruamel.yaml's libyaml-based composer (``ruamel.yaml.clib``), which keeps node
positions. The node tree is then turned into plain Python values by :func:`parse_yaml`, which
resolves plain scalars by the YAML 1.2 core schema itself (``NO`` stays a string, ``012`` is the
integer 12; https://yaml.org/spec/1.2.2/#1023-core-schema) and enforces the project's rules for
contributor files:

* timestamps are never built: an unquoted ``2022-01-11`` stays the string ``"2022-01-11"``;
* duplicate keys, anchors/aliases and explicit tags (``!!str``, ``!foo``) are errors;
* characters YAML forbids (C0/C1 controls) are reported with their position before parsing;
* nesting depth, string length and file size have limits (:data:`LIMITS`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

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


def resolve_plain(text: str):
    """Return the value of a plain (unquoted) scalar by the YAML 1.2 core schema; text otherwise."""
    for pattern, convert in _CORE:
        if pattern.fullmatch(text):
            try:
                return convert(text)
            except ValueError:  # an integer beyond Python's digit limit (sys.get_int_max_str_digits)
                return text
    return text


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    return yaml


class _Builder:
    """Turn a composed node tree into Python values, recording positions and problems."""

    def __init__(self, path: str, out: Parsed, events: _Scan):
        self.path, self.out, self.seen, self.tagged = path, out, set(), events.tagged
        # The composed tree puts an alias's target where the alias stood; the builder meets the
        # aliases in document order, so it takes their own positions from the event stream.
        self.aliases = iter(events.aliases)

    def problem(self, node, field_path: Path, code: str, message: str, mark=None) -> None:
        mark = mark or node.start_mark
        self.out.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, dotted(field_path), code, message)
        )

    def is_tagged(self, node, field_path: Path) -> bool:
        """Report and return True when ``node`` carries an explicit tag."""
        if (node.start_mark.index, type(node).__name__) not in self.tagged:
            return False
        self.problem(node, field_path, "yaml-tag", f"the tag {node.tag} is not allowed; remove it (quote the value if it must stay text)")
        return True

    def is_alias(self, node, field_path: Path) -> bool:
        """Report and return True when ``node`` was met before: it stands here through an alias."""
        if id(node) not in self.seen:
            self.seen.add(id(node))
            return False
        mark = next(self.aliases, node.start_mark)
        self.out.positions[field_path] = (mark.line + 1, mark.column + 1)
        self.problem(node, field_path, "yaml-alias", "anchors and aliases (&name, *name) are not allowed; write the value out", mark)
        return True

    def build(self, node, field_path: Path, depth: int):
        self.out.positions[field_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if self.is_alias(node, field_path):
            return None
        if self.is_tagged(node, field_path):
            return None
        if depth > LIMITS["depth"]:
            self.problem(node, field_path, "yaml-too-deep", f"values nest deeper than {LIMITS['depth']} levels; flatten the record")
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, field_path, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, field_path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, field_path)

    def mapping(self, node, field_path: Path, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, field_path, "wrong-type", "a field name must be plain text")
                continue
            key = str(key_node.value)
            if self.is_alias(key_node, field_path + (key,)) or self.is_tagged(key_node, field_path + (key,)):
                continue
            if key in result:
                self.problem(key_node, field_path + (key,), "yaml-duplicate-key", f"the key '{key}' appears twice in this mapping; keep one")
                continue
            result[key] = self.build(value_node, field_path + (key,), depth + 1)
            self.out.positions[field_path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result

    def scalar(self, node, field_path: Path):
        if len(node.value) > LIMITS["string_chars"]:
            self.problem(node, field_path, "text-too-long", f"text is longer than {LIMITS['string_chars']} characters")
            return None
        value = node.value if node.style else resolve_plain(node.value)
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value)
            bad = control_characters(value)
            if bad:
                self.problem(node, field_path, "control-character", f"text contains the invisible or control character {bad}; delete it")
        return value


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
        out.problems.append(Problem(path, line, column, "", "control-character", f"the file contains the control character {control_characters(bad.group())}, which YAML does not allow; delete it"))
        return out
    try:
        events = _scan_events(text)
        if events.deep is not None:
            mark = events.deep
            out.problems.append(Problem(path, mark.line + 1, mark.column + 1, "", "yaml-too-deep", f"values nest deeper than {LIMITS['depth']} levels; flatten the record"))
            return out
        nodes = list(_yaml().compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        out.problems.append(Problem(path, line, col, "", "yaml-syntax", f"{reason}; check indentation and quoting"))
        return out
    except (YAMLError, ValueError, RecursionError) as exc:
        out.problems.append(Problem(path, 1, 1, "", "yaml-syntax", f"invalid YAML ({type(exc).__name__}); check indentation and quoting"))
        return out
    nodes = [n for n in nodes if n is not None]
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        out.problems.append(Problem(path, mark.line + 1, 1, "", "yaml-multiple-documents", "one record per file: remove the '---' and split the file"))
        return out
    if not nodes or not isinstance(nodes[0], MappingNode):
        line = nodes[0].start_mark.line + 1 if nodes else 1
        out.problems.append(Problem(path, line, 1, "", "yaml-not-mapping", "a record file must be a mapping of field names to values (field: value)"))
        return out
    value = _Builder(path, out, events).build(nodes[0], (), 0)
    if not out.problems:
        out.value = value
    return out


_NODE_OF_EVENT = {"ScalarEvent": "ScalarNode", "MappingStartEvent": "MappingNode", "SequenceStartEvent": "SequenceNode"}


@dataclass
class _Scan:
    """What the event stream tells that the composed tree does not (see :func:`_scan_events`)."""

    tagged: set = field(default_factory=set)
    aliases: list = field(default_factory=list)
    deep: object = None


def _scan_events(text: str) -> _Scan:
    """Read the event stream once, before composing.

    Returns a :class:`_Scan`: ``tagged`` holds ``(start offset, node class name)`` of every node
    with an explicit tag (the composed tree no longer tells an explicit ``!!str`` from a resolved
    one), ``aliases`` the mark of every alias in document order, and ``deep`` the mark of the first
    collection nested deeper than :data:`PARSE_DEPTH` (reading stops there), or ``None``.
    Raises what the parser raises.
    """
    scan, depth = _Scan(), 0
    for event in _yaml().parse(text):
        if getattr(event, "tag", None) is not None:
            scan.tagged.add((event.start_mark.index, _NODE_OF_EVENT[type(event).__name__]))
        if isinstance(event, AliasEvent):
            scan.aliases.append(event.start_mark)
        elif isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > PARSE_DEPTH:
                scan.deep = event.start_mark
                return scan
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return scan
