"""The site engines: what turns the generated ``content/`` into ``site/``, behind one interface
(issue 13 part 2).

An :class:`Engine` is a name and a function ``run(config, docs_dir, site_dir, day, site_url)``
that builds ``docs_dir`` into the existing empty folder ``site_dir`` strictly (a warning fails
it) or raises :class:`~generator.errors.BuildFailed`; :data:`ENGINES` lists them and
:func:`engine` picks one by name. The build (:func:`generator.build.build`) knows nothing else
about them. Two engines read the same ``mkdocs.yml``:

* ``mkdocs``: MkDocs Material, run in this process (:func:`build_site`), with the patches it
  needs here: jieba reset between builds and given the generated place names, MkDocs' log made
  one escaped line per warning, and the search index compacted afterwards;
* ``zensical``: Zensical, its successor, run as a child process in a temporary project folder
  (:func:`build_site_zensical`, :func:`run_child`).

Neither engine's package is imported until it runs (``make validate`` installs neither).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ruamel.yaml import YAML

from . import search, writer
from .errors import BuildFailed
from .terminal import terminal_line


@dataclass(frozen=True)
class Engine:
    """One site engine.

    Attributes:
        name: its name on the command line (``--engine``, ``make site ENGINE=…``).
        run: ``run(config, docs_dir, site_dir, day, site_url)``: build ``docs_dir`` (generated
            content) into the existing empty folder ``site_dir`` with the site config ``config``
            (``mkdocs.yml``); ``day`` (YYYY-MM-DD) stands for ``SOURCE_DATE_EPOCH`` when that is
            not set; ``site_url`` overrides the config's. Raises
            :class:`~generator.errors.BuildFailed` when the engine fails or warns.
    """

    name: str
    run: Callable[[Path, Path, Path, str, str | None], None]


def engine(name: str) -> Engine:
    """Return the engine called ``name`` (a key of :data:`ENGINES`).

    Raises:
        BuildFailed: no engine has that name; the message lists those that do.
    """
    if name not in ENGINES:
        raise BuildFailed(f"unknown site engine {name!r}; use one of: {', '.join(ENGINES)}")
    return ENGINES[name]


def build_site(config: Path, docs_dir: Path, site_dir: Path, day: str, site_url: str | None = None) -> None:
    """Run MkDocs (strict) on ``docs_dir`` into ``site_dir``, with ``config`` for everything else.

    ``day`` (YYYY-MM-DD) is passed to MkDocs as ``SOURCE_DATE_EPOCH`` unless that is already set,
    so that two builds of the same commit give the same sitemap dates.

    Raises:
        BuildFailed: MkDocs reported an error or, being strict, a warning (a broken link, say).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or _epoch(day)
    try:
        overrides = {"site_url": site_url} if site_url else {}
        _reset_jieba()
        cfg = load_config(
            config_file=str(config),
            docs_dir=str(docs_dir.resolve()),
            site_dir=str(site_dir.resolve()),
            strict=True,
            **overrides,
        )
        _load_jieba_words(docs_dir / search.JIEBA_WORDS)
        _quiet_logs()
        mkdocs_build(cfg)
        compact_search_index(site_dir)
    except (Abort, MkDocsException, SystemExit) as exc:
        raise BuildFailed(f"MkDocs failed ({exc}); the messages above say where. Nothing was replaced.") from exc
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def _reset_jieba() -> None:
    """Make jieba reload its dictionary before Material's search plugin adds the user dictionary.

    ``jieba.load_userdict`` adds each word's frequency to the tokenizer's total every time it is
    called, so without this the second build in one process (``serve``, tests) segments Chinese
    differently from the first and the search index changes (issue 6, reproducible builds).
    """
    import jieba

    jieba.dt.initialized = False


def _load_jieba_words(path: Path) -> None:
    """Add the generated place names (:func:`generator.search.jieba_words`) to jieba beside the
    search plugin's ``jieba_dict_user`` (both add to the dictionary :func:`_reset_jieba` reloads);
    no file, no change (a content folder not made by the generator)."""
    if path.is_file():
        import jieba

        jieba.load_userdict(str(path))


def build_site_zensical(config: Path, docs_dir: Path, site_dir: Path, day: str, site_url: str | None = None) -> None:
    """Run Zensical (strict) on ``docs_dir`` into the existing empty folder ``site_dir``.

    Zensical reads ``mkdocs.yml`` but wants ``docs_dir`` and ``site_dir`` inside the folder of its
    config file, and keeps a cache there; so it runs as a subprocess in a temporary project folder
    beside ``site_dir`` holding a copy of ``docs_dir`` and a copy of ``config`` whose ``docs_dir``,
    ``site_dir``, ``theme.custom_dir`` (made absolute) and ``site_url`` are set for it. The
    folder, its cache included, is removed afterwards, so every build starts clean.

    Raises:
        BuildFailed: Zensical is not installed, or reported an error or (strict) a warning.
    """
    import importlib.util

    if importlib.util.find_spec("zensical") is None:
        raise BuildFailed(
            "Zensical is not installed; run: make site ENGINE=zensical (it installs the [zensical] extra)"
        )
    project = writer.temp_folder(site_dir.resolve().parent / "zensical", "project")
    try:
        shutil.copytree(docs_dir, project / "docs")
        (project / "mkdocs.yml").write_text(zensical_config(config, site_url), "utf-8")
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or _epoch(day), "NO_COLOR": "1"}
        returncode, output = run_child(
            [sys.executable, "-m", "zensical", "build", "--strict", "--config-file", "mkdocs.yml"], project, env, 900
        )
        if returncode != 0:
            raise BuildFailed(f"Zensical failed ({_zensical_error(output)}); nothing was replaced.")
        for child in sorted((project / "site").iterdir()):
            os.replace(child, site_dir / child.name)
    finally:
        writer.remove_tree(project, strict=False)


def run_child(args: list[str], cwd: Path, env: dict, timeout: float) -> tuple[int, str]:
    """Run a child process and return ``(exit code, stdout + stderr)``; it dies with the build.

    On Linux the child asks the kernel for SIGKILL when its parent dies (``prctl``
    ``PR_SET_PDEATHSIG``), so a build killed by SIGKILL leaves no engine running; on a timeout,
    an exception or Ctrl-C it is killed here.

    Raises:
        BuildFailed: the child ran longer than ``timeout`` seconds.
    """
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BuildFailed(
            f"{args[2] if len(args) > 2 else args[0]} took more than {timeout:.0f} s and was stopped; nothing was "
            "replaced."
        ) from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, output


def _die_with_parent() -> None:
    """In the child, before exec: be killed when the parent dies (Linux ``PR_SET_PDEATHSIG``)."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def zensical_config(config: Path, site_url: str | None = None) -> str:
    """Return ``config`` (an ``mkdocs.yml``) as Zensical should read it from a temporary project
    folder: ``docs_dir: docs``, ``site_dir: site``, an absolute ``theme.custom_dir``, and
    ``site_url`` when given. Comments and everything else are kept."""
    import io

    yaml = YAML()  # round-trip: keeps comments, order and tags
    data = yaml.load(config.read_text("utf-8"))
    data["docs_dir"], data["site_dir"] = "docs", "site"
    theme = data.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((config.resolve().parent / theme["custom_dir"]).resolve())
    if site_url:
        data["site_url"] = site_url
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _epoch(day: str) -> str:
    """The ``SOURCE_DATE_EPOCH`` of midnight UTC of ``day`` (YYYY-MM-DD)."""
    return str(int(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()))


def _zensical_error(output: str) -> str:
    """The lines of Zensical's output before its traceback, and the error that ended it."""
    head, _, tail = output.partition("Traceback (most recent call last):")
    lines = [line.strip() for line in head.splitlines() if line.strip() and line.strip() not in ("Build started",)]
    last = tail.strip().splitlines()[-1] if tail.strip() else ""
    return "; ".join([*lines, last] if last else lines) or "no output"


def compact_search_index(site_dir: Path) -> int:
    """Rewrite MkDocs' ``search/search_index.json`` as compact UTF-8 JSON (no ``\\uXXXX`` escapes,
    no spaces): the same data in about two thirds of the bytes for a bilingual index, where every
    CJK character would otherwise take six bytes. A page's ``search: boost`` is kept on its own
    entry only (Material copies it to every section, so a jurisdiction page's research notes
    outranked documents naming the same words in their titles, issue #16). Titles, text and tags
    are made plain text with only ``&``, ``<`` and ``>`` escaped (:func:`generator.search.index_entry`:
    front-matter titles arrive HTML-escaped, and ``&#x27;`` would be cut at the separator's ``;``,
    issue #16). Page tags are kept on the page's own entry only (Material repeats them on every
    section; they were 8% of the index, issue #8). Returns the new size in bytes (0 if absent)."""
    index = site_dir / "search" / "search_index.json"
    if not index.is_file():
        return 0
    data = json.loads(index.read_text("utf-8"))
    data["docs"] = [search.index_entry(entry) for entry in data.get("docs", [])]
    for entry in data["docs"]:
        if "#" in entry.get("location", ""):
            entry.pop("tags", None)
            entry.pop("boost", None)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    index.write_text(text, "utf-8")
    return len(text.encode("utf-8"))


def _quiet_logs() -> None:
    """Show MkDocs warnings and errors as ``WARNING - message`` lines; silence jieba's chatter."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    log = logging.getLogger("mkdocs")
    log.setLevel(logging.WARNING)
    if not any(getattr(h, "_atlas", False) for h in log.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(_EscapingFormatter("%(levelname)s - %(message)s"))
        handler._atlas = True
        log.addHandler(handler)
        log.propagate = False


class _EscapingFormatter(logging.Formatter):
    """Format an engine warning as one escaped line (:func:`generator.terminal.terminal_line`): a
    warning quoting contributor text (a page title, a broken link) cannot span lines or become a
    workflow command (issue 14)."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_line(super().format(record))


#: The site engines that can build ``content/``, by name: MkDocs Material (the default; search and
#: the browser tests run against it) and Zensical, its successor, which reads the same ``mkdocs.yml``.
ENGINES: dict[str, Engine] = {
    e.name: e for e in (Engine("mkdocs", build_site), Engine("zensical", build_site_zensical))
}

#: The engine a build uses unless told otherwise (``--engine``, ``$ATLAS_ENGINE``).
DEFAULT_ENGINE = "mkdocs"
