"""Load stage: find record files under ``data/``, parse them and build the record models.

Layout (every kind may be split over several files and sub-folders; the record folders, their
models and suffixes are those of the registry, :data:`generator.kinds.KINDS`, and the vocabularies
those the models' markers name, :data:`generator.kinds.VOCABULARIES`):

=======================  =========================  ==================================
folder                   files                      model
=======================  =========================  ==================================
``vocab/``               ``<vocabulary>.yaml``      :class:`~generator.models.Term` list
``jurisdictions/``       ``*.csv``                  :class:`~generator.models.Jurisdiction`
``sources/``             ``**/<id>.yaml``, ``*.csv`` :class:`~generator.models.Source`
``documents/``           ``**/<id>.yaml``           :class:`~generator.models.Document`
``coverage/``            ``<jurisdiction>.yaml``    :class:`~generator.models.Coverage`
``corrections/``         ``<day>-<record>.yaml``    :class:`~generator.models.Correction`
``redirects/``           ``<old-id>.yaml``          :class:`~generator.models.Redirect`
``dataset.yaml``         (one file, optional)       :class:`~generator.models.DatasetInfo`
``search/``              ``jieba_userdict.txt``     lines ``word [frequency] [tag]`` (optional)
=======================  =========================  ==================================

Every file is read by the same hardened readers (:mod:`generator.yamlio`, :mod:`generator.csvio`,
:mod:`generator.userdict`) and reported in the same format; no file is read through a symbolic
link, and a record file or folder with a hidden name (``.draft.yaml``) is reported, not skipped.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import ValidationError

from . import models
from .csvio import parse_csv
from .errors import Problem
from .kinds import KINDS, VOCABULARIES
from .userdict import USERDICT, parse_userdict
from .yamlio import Parsed, dotted, parse_yaml

DATASET_INFO = "dataset.yaml"
IGNORED_NAMES = {"README.md", ".gitkeep"}

_CSV_COLUMNS = {
    models.Jurisdiction: {
        "latitude": "number",
        "longitude": "number",
        "name_en": "text",
        "name_zh": "text",
        "name_local": "text",
        "name_pinyin": "text",
        "division_code_edition": "text",
    },
    models.Source: {
        "title": "text",
        "title_en": "text",
        "publisher": "text",
        "original_publisher": "text",
        "note": "text",
        "published": "date",
        "accessed": "date",
    },
}


@dataclass(frozen=True)
class Located:
    """A record with where it came from: ``path`` (str), ``positions`` mapping field paths
    (tuples) to 1-based ``(line, column)``."""

    record: models.Record
    path: str
    positions: dict

    def where(self, *field_path) -> tuple[int, int]:
        """Return the ``(line, column)`` of ``field_path`` or of its nearest located ancestor."""
        return Parsed(positions=self.positions).where(field_path)

    def problem(self, field_path: tuple, code: str, message: str) -> Problem:
        """Return a :class:`Problem` located at ``field_path`` of this record."""
        return Problem(self.path, *self.where(*field_path), dotted(field_path), code, message)


@dataclass
class Loaded:
    """Everything the load stage read: located records by kind, vocabularies, problems."""

    records: dict = field(default_factory=lambda: {name: [] for name in KINDS})
    vocab: dict = field(default_factory=dict)
    vocab_located: list = field(default_factory=list)
    info: models.DatasetInfo | None = None
    """``dataset.yaml``, when present and valid."""
    problems: list = field(default_factory=list)
    files: int = 0
    data_dir: str | None = None
    """The data folder read (as given), to which record paths are relative; ``None`` when unknown."""


def csv_columns(model: type[models.Record]) -> dict[str, str]:
    """Return the CSV column types of a flat model: ids and codes are ``code``, dates ``date``."""
    overrides = _CSV_COLUMNS[model]
    return {name: overrides.get(name, "code") for name in model.model_fields}


def load_data(data_dir: Path, memory: dict | None = None) -> Loaded:
    """Read and model every record file under ``data_dir``.

    Args:
        data_dir: the data folder (``data/``).
        memory: a dict kept by the caller between calls (``make serve``): parsed files by content
            hash, updated in place, so only changed files are parsed again. (Parsed files are not
            cached on disk: since parsing reads libyaml's events directly, writing and reading that
            cache cost more than parsing at 100× synthetic data.)

    Returns:
        A :class:`Loaded` with every record that built, and every problem found (the load stage
        never stops at the first fault). Raises nothing for bad data.
    """
    loaded = Loaded(data_dir=str(data_dir))
    if not any((data_dir / name).is_dir() for name in ("vocab", *KINDS)):
        # A wrong --data folder: one clear problem instead of a missing-file problem per vocabulary.
        loaded.problems.append(
            Problem(
                str(data_dir),
                0,
                0,
                "",
                "no-records",
                f"no record files were found: {data_dir} has none of the folders vocab/, {'/, '.join(KINDS)}/; is this "
                "the data folder?",
            )
        )
        return loaded
    cache = _Cache(memory)
    _load_info(data_dir / DATASET_INFO, loaded, cache)
    _check_userdict(data_dir / USERDICT, loaded)
    for name in VOCABULARIES:
        path = data_dir / "vocab" / f"{name}.yaml"
        loaded.vocab[name] = _load_vocab(path, loaded, cache)
    for kind in KINDS.values():
        for path in _files(data_dir / kind.name, kind.suffixes, loaded):
            loaded.files += 1
            for parsed in cache.parse(path, kind.model):
                _build(kind.model, parsed, str(path), loaded, kind.name)
    cache.save()
    if not any(loaded.records.values()) and not loaded.problems:
        loaded.problems.append(
            Problem(str(data_dir), 0, 0, "", "no-records", "no record files were found; is this the data folder?")
        )
    return loaded


def _files(folder: Path, suffixes: tuple[str, ...], loaded: Loaded) -> list[Path]:
    if not folder.is_dir():
        return []
    if folder.is_symlink():
        loaded.problems.append(
            Problem(
                str(folder),
                0,
                0,
                "",
                "misplaced-file",
                "this folder is a link; records are read only from real folders: move the files here",
            )
        )
        return []
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(_subfolders(Path(root), dirs, suffixes, loaded))
        for name in sorted(names):
            path = Path(root) / name
            if name in IGNORED_NAMES or (name.startswith(".") and path.suffix not in suffixes):
                continue  # .DS_Store, editor swap files: not records
            if name.startswith("."):
                loaded.problems.append(
                    Problem(
                        str(path),
                        0,
                        0,
                        "",
                        "hidden-file",
                        f"a hidden file is not read; rename it without the leading dot, or move it out of {folder}",
                    )
                )
                continue
            if path.suffix not in suffixes or path.is_symlink():
                why = "a link" if path.is_symlink() else f"not a {' or '.join(suffixes)} file"
                loaded.problems.append(
                    Problem(
                        str(path),
                        0,
                        0,
                        "",
                        "misplaced-file",
                        f"this file is {why}; record files here end in {' or '.join(suffixes)}",
                    )
                )
                continue
            found.append(path)
    return found


def _subfolders(root: Path, names: list[str], suffixes: tuple[str, ...], loaded: Loaded) -> list[str]:
    """Return the sub-folders of ``root`` to walk; report hidden and linked ones (not walked)."""
    keep = []
    for name in names:
        path = root / name
        if path.is_symlink():
            loaded.problems.append(
                Problem(
                    str(path),
                    0,
                    0,
                    "",
                    "misplaced-file",
                    "this folder is a link; records are read only from real folders: move the files here",
                )
            )
        elif name.startswith("."):
            loaded.problems.append(
                Problem(
                    str(path),
                    0,
                    0,
                    "",
                    "hidden-file",
                    "a hidden folder is not read; rename it without the leading dot (record files end in "
                    f"{' or '.join(suffixes)})",
                )
            )
        else:
            keep.append(name)
    return keep


def _regular_file(path: Path, loaded: Loaded, what: str) -> bool:
    """True when ``path`` is a regular file and not a link; a link or a folder is reported."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        why = "a link" if path.is_symlink() else "not a file"
        loaded.problems.append(
            Problem(str(path), 0, 0, "", "misplaced-file", f"the {what} is {why}; put the file itself here")
        )
        return False
    return path.is_file()


def _load_info(path: Path, loaded: Loaded, cache: "_Cache") -> None:
    if not path.exists() and not path.is_symlink():
        return  # optional: the build says "unversioned"
    if not _regular_file(path, loaded, "dataset file"):
        return
    parsed = cache.parse(path, models.DatasetInfo)[0]
    loaded.problems.extend(parsed.problems)
    if parsed.value is not None:
        located = _model(models.DatasetInfo, parsed, str(path), loaded)
        loaded.info = located.record if located else None


#: The version of a data folder without a valid ``dataset.yaml`` (test fixtures).
UNVERSIONED = "unversioned"


def dataset_version(data_dir: Path) -> str:
    """Return the ``version`` of ``data_dir/dataset.yaml`` read by the hardened reader, or
    :data:`UNVERSIONED` when the file is absent or invalid (validation reports why)."""
    loaded = Loaded()
    _load_info(data_dir / DATASET_INFO, loaded, _Cache())
    return loaded.info.version if loaded.info else UNVERSIONED


def _check_userdict(path: Path, loaded: Loaded) -> None:
    if not path.exists() and not path.is_symlink():
        return  # optional: only the Chinese search uses it
    if _regular_file(path, loaded, "search dictionary"):
        try:
            loaded.problems.extend(parse_userdict(path.read_bytes(), str(path)))
        except OSError as exc:
            loaded.problems.append(
                Problem(str(path), 0, 0, "", "file-unreadable", f"cannot read the file ({exc.strerror})")
            )


def _load_vocab(path: Path, loaded: Loaded, cache: "_Cache") -> dict:
    terms: dict = {}
    if path.is_symlink() or not path.is_file():
        if not _regular_file(path, loaded, "vocabulary file"):
            if not path.is_symlink() and not path.exists():
                loaded.problems.append(
                    Problem(str(path), 0, 0, "", "file-unreadable", "the vocabulary file is missing")
                )
        return terms
    parsed = cache.parse(path, models.Term)[0]
    loaded.problems.extend(parsed.problems)
    if parsed.value is None:
        return terms
    items = parsed.value.get("terms")
    if set(parsed.value) != {"terms"} or not isinstance(items, list):
        loaded.problems.append(
            Problem(
                str(path),
                1,
                1,
                "terms",
                "yaml-not-mapping",
                "a vocabulary file holds one key, 'terms', with a list of terms",
            )
        )
        return terms
    for i, item in enumerate(items):
        sub = Parsed(value=item, positions={k[2:]: v for k, v in parsed.positions.items() if k[:2] == ("terms", i)})
        sub.positions.setdefault((), parsed.where(("terms", i)))
        located = _model(models.Term, sub, str(path), loaded, prefix=("terms", i))
        if located:
            terms[located.record.id] = located.record
            loaded.vocab_located.append((path.stem, located))
    return terms


def _build(model, parsed: Parsed, path: str, loaded: Loaded, folder: str) -> None:
    loaded.problems.extend(parsed.problems)
    if parsed.value is None:
        return
    located = _model(model, parsed, path, loaded)
    if located:
        loaded.records[folder].append(located)


def _model(model, parsed: Parsed, path: str, loaded: Loaded, prefix: tuple = ()) -> Located | None:
    try:
        record = model.model_validate(parsed.value)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loaded.problems.append(_problem(err, parsed, path, prefix))
        return None
    return Located(record, path, parsed.positions)


_CODE_FIELDS = {"country", "iso_3166_2", "division_code", "wikidata"}


def _problem(err: dict, parsed: Parsed, path: str, prefix: tuple) -> Problem:
    """Translate one pydantic error into a located Problem with a known code."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "constrained-"))))
    line, col = parsed.where(loc)
    name = loc[-1] if loc else ""
    code, message = _code_and_message(err, str(name))
    return Problem(path, line, col, dotted(prefix + loc), code, message)


def _code_and_message(err: dict, name: str) -> tuple[str, str]:
    kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
    if kind == "missing":
        return "missing-field", f"the field '{name}' is required"
    if kind == "extra_forbidden":
        return (
            "unknown-field",
            f"'{name}' is not a field of this record; check the spelling (see the contributor reference)",
        )
    if kind in ("invalid_edtf", "invalid_url", "look_alike_character", "reversed_interval", "placeholder_text"):
        return kind.replace("_", "-"), err["msg"]
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == models.SLUG_RE:
            return "invalid-id", f"'{value}' is not an id: use lowercase ASCII letters, digits and single hyphens"
        if name in _CODE_FIELDS:
            return "invalid-code", f"'{value}' does not have the form of a {name} code"
        if name in ("accessed", "date"):
            return "invalid-edtf", f"'{value}' is not a day; write YYYY-MM-DD"
        return "invalid-value", f"'{value}' has the wrong form for {name}"
    if kind == "string_too_long":
        return "text-too-long", f"the text is longer than {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "missing-field", f"'{name}' must not be empty"
    if kind == "too_short":
        return "missing-field", f"'{name}' needs at least {ctx.get('min_length')} item(s)"
    if value is None and kind.endswith("_type"):  # `field:` with nothing after it is YAML null
        return "missing-field", f"the field '{name}' is empty; give it a value or, if it is optional, remove it"
    if kind.endswith("_type") or kind in ("model_attributes_type", "dict_type", "list_type"):
        return "wrong-type", _wrong_type(kind, value)
    return "invalid-value", err["msg"]


def _wrong_type(kind: str, value) -> str:
    expected = {
        "string_type": "text",
        "float_type": "a number",
        "int_type": "a whole number",
        "bool_type": "true or false",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
    }.get(kind, kind)
    hint = "; put the value in quotes" if kind == "string_type" and isinstance(value, (int, float, bool)) else ""
    return f"expected {expected}, got {type(value).__name__} {str(value)[:40]!r}{hint}"


class _Cache:
    """Parsed files keyed by content hash (SHA-256 of bytes + parser version), in a dict the caller
    keeps (``memory``) or for one load only."""

    VERSION = "1"

    def __init__(self, memory: dict | None = None):
        self.memory = memory
        self.old: dict = dict(memory) if memory is not None else {}
        self.new: dict = {}

    def parse(self, path: Path, model) -> list[Parsed]:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [
                Parsed(
                    problems=[Problem(str(path), 0, 0, "", "file-unreadable", f"cannot read the file ({exc.strerror})")]
                )
            ]
        key = hashlib.sha256(self.VERSION.encode() + path.suffix.encode() + model.__name__.encode() + data).hexdigest()
        result = self.old.get(key) or self.new.get(key)
        if result is None:
            result = self._parse(data, str(path), model)
        else:
            result = [Parsed(p.value, p.positions, [replace(pr, path=str(path)) for pr in p.problems]) for p in result]
        self.new[key] = result
        return result

    @staticmethod
    def _parse(data: bytes, path: str, model) -> list[Parsed]:
        if path.endswith(".csv"):
            return parse_csv(data, path, csv_columns(model))
        return [parse_yaml(data, path)]

    def save(self) -> None:
        """Keep this load's parsed files in ``memory`` (those of files gone are dropped)."""
        if self.memory is not None:
            self.memory.clear()
            self.memory.update(self.new)
