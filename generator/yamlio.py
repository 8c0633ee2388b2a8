"""Read YAML record files as YAML 1.2, keeping the line and column of every value.

Parsing uses ruamel.yaml's libyaml-based composer (``ruamel.yaml.clib``), which resolves plain
scalars by the YAML 1.2 core schema (``NO`` stays a string, ``012`` is the integer 12) and keeps
node positions. The node tree is then turned into plain Python values by :func:`parse_yaml`, which
enforces the project's rules for contributor files:

* timestamps are never built: an unquoted ``2022-01-11`` stays the string ``"2022-01-11"``;
* duplicate keys, anchors/aliases and explicit tags are errors;
* nesting depth, string length and file size have limits (:data:`LIMITS`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Problem
from .text import check_text_bytes, control_characters

#: Limits on one record file. A record is a few kilobytes; these leave a wide margin.
LIMITS = {"file_bytes": 1_000_000, "depth": 12, "string_chars": 20_000}

Path = tuple  # a path of mapping keys (str) and sequence indices (int)


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


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:int": lambda s: int(s.replace("_", ""), 0) if s[:2].lower() in ("0x", "0o") else int(s),
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:bool": lambda s: s.lower() == "true",
    "tag:yaml.org,2002:null": lambda s: None,
    "tag:yaml.org,2002:timestamp": str,
}


def _yaml() -> YAML:
    yaml = YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    return yaml


class _Builder:
    """Turn a composed node tree into Python values, recording positions and problems."""

    def __init__(self, path: str, out: Parsed):
        self.path, self.out, self.seen = path, out, set()

    def problem(self, node, field_path: Path, code: str, message: str) -> None:
        mark = node.start_mark
        self.out.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, dotted(field_path), code, message)
        )

    def build(self, node, field_path: Path, depth: int):
        self.out.positions[field_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            self.problem(node, field_path, "yaml-alias", "anchors and aliases (&name, *name) are not allowed; write the value out")
            return None
        self.seen.add(id(node))
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
            if key in result:
                self.problem(key_node, field_path + (key,), "yaml-duplicate-key", f"the key '{key}' appears twice in this mapping; keep one")
                continue
            result[key] = self.build(value_node, field_path + (key,), depth + 1)
            self.out.positions[field_path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result

    def scalar(self, node, field_path: Path):
        convert = _SCALAR_TAGS.get(node.tag)
        if convert is None:
            self.problem(node, field_path, "yaml-tag", f"the tag {node.tag} is not allowed; remove it")
            return None
        if len(node.value) > LIMITS["string_chars"]:
            self.problem(node, field_path, "text-too-long", f"text is longer than {LIMITS['string_chars']} characters")
            return None
        value = convert(node.value)
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
    try:
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
    value = _Builder(path, out).build(nodes[0], (), 0)
    if not out.problems:
        out.value = value
    return out
