"""The build, stage by stage: load → validate → transform → render → write (+ site engine).

Everything is gathered and rendered in memory first; the write stage is the only one that touches
the disk, and it swaps the new ``content/`` and ``site/`` in only after the site engine built
successfully (see :mod:`generator.writer`).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ruamel.yaml import YAML

from . import locations, search, vendor, writer
from .charts import Chart, build_charts
from .citations import citation_cff
from .dataset import Dataset, build_dataset
from .downloads import build_downloads, to_csv
from .errors import BuildFailed, DataInvalid
from .history import History, read_history
from .loader import dataset_version
from .pages import headline_figures, render_pages
from .reference import reference_markdown
from .settings import Settings
from .svg import SvgJobs
from .terminal import terminal_line
from .text import check_text_bytes
from .validate import require_valid


@dataclass
class Paths:
    """Where a build reads and writes; every path absolute or relative to the working directory."""

    data: Path = Path("data")
    pages: Path = Path("pages")
    contributing: Path = Path("CONTRIBUTING.md")
    content: Path = Path("content")
    site: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    cache: Path | None = Path(".cache")
    node_modules: Path = Path("node_modules")
    settings: Settings = field(default_factory=Settings)
    """Where the site is published and its repository (:class:`generator.settings.Settings`,
    built at the command-line edge); the default is a local build."""
    citation_cff: Path = Path("CITATION.cff")
    """The repository's citation file; the build writes a copy completed from ``settings``."""
    site_extra: Path = Path("pages/site-extra")
    """Files copied into the built site as they are (``CNAME``, ``.nojekyll``, verification files)."""
    engine: str = field(default_factory=lambda: os.environ.get("ATLAS_ENGINE") or "mkdocs")
    """The site engine, one of :data:`ENGINES`; defaults to ``$ATLAS_ENGINE``, else ``mkdocs``
    (``make site ENGINE=zensical`` sets it)."""


#: The site engines that can build ``content/``: MkDocs Material (the default; search and the
#: browser tests run against it) and Zensical, its successor, which reads the same ``mkdocs.yml``.
ENGINES = ("mkdocs", "zensical")


@dataclass
class Report:
    """What a build did: counts, seconds per stage, output size in bytes."""

    records: int = 0
    pages: int = 0
    charts: int = 0
    files: int = 0
    site_bytes: int = 0
    seconds: dict = field(default_factory=dict)
    render_parts: dict = field(default_factory=dict)
    """Seconds within the render stage: ``charts`` (specs), ``pages``, ``downloads``, ``svg wait``
    (waiting for the SVG workers after the rest was done), ``other``."""

    def summary(self) -> str:
        """One line for the terminal."""
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        return f"{self.records} records and targets, {self.pages} pages, {self.charts} charts, {self.files} files, site {self.site_bytes / 1e6:.1f} MB ({stages})"


class _Timer:
    """``with timer(name):`` adds the block's seconds to ``seconds[name]`` (a stage of
    :attr:`Report.seconds` or a part of :attr:`Report.render_parts`), telling ``progress`` first."""

    def __init__(self, seconds: dict, progress=None):
        self.seconds, self.progress = seconds, progress

    @contextmanager
    def __call__(self, name: str):
        if self.progress:
            self.progress(name)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def data_as_of(data_dir: Path) -> str:
    """Return the dataset's "data as of" day (YYYY-MM-DD, UTC): ``SOURCE_DATE_EPOCH`` when set,
    else the date of the last git commit touching ``data_dir``, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(["git", "log", "-1", "--format=%ct", "--", str(data_dir)], capture_output=True, text=True, timeout=20, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def read_meta(paths: Paths) -> dict:
    """Return build facts: ``version`` (``data/dataset.yaml``), ``data_as_of``, ``settings`` (the
    :class:`~generator.settings.Settings`: site URL and repository) and ``citation_cff`` (the text
    of the repository's ``CITATION.cff``, ``""`` when absent)."""
    version = dataset_version(paths.data)
    cff = paths.citation_cff.read_text("utf-8") if paths.citation_cff.is_file() else ""
    return {"version": version, "data_as_of": data_as_of(paths.data), "settings": paths.settings, "citation_cff": cff}


def citation_file(meta: dict) -> dict[str, bytes]:
    """Return ``{"CITATION.cff": bytes}``: the repository's citation file completed from the
    settings (:func:`generator.citations.citation_cff`), or ``{}`` when the repository has none.

    Raises:
        BuildFailed: its version differs from the dataset's.
    """
    if not meta["citation_cff"]:
        return {}
    try:
        return {"CITATION.cff": citation_cff(meta["citation_cff"], meta)}
    except ValueError as exc:
        raise BuildFailed(str(exc)) from exc


def check_config(config: Path) -> None:
    """Check that the site config (``mkdocs.yml``) is readable YAML holding a mapping, before
    anything reads it (:func:`read_meta`, the engines), so a broken file gives one line.

    Raises:
        BuildFailed: ``config:line:col: what is wrong``, and how to fix it.
    """
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if not config.is_file():
        raise BuildFailed(f"{config}: the site config is missing; restore it (git checkout -- {config}) and run again")
    try:
        data = YAML(typ="safe", pure=True).load(config.read_bytes().decode("utf-8"))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise BuildFailed(f"{config}:{where}: {(exc.problem or exc.context or 'invalid YAML').strip()}; fix the site config and run again") from None
    except (YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise BuildFailed(f"{config}:1:1: cannot be read as YAML ({type(exc).__name__}); save it as UTF-8 YAML and run again") from None
    if not isinstance(data, dict) or not isinstance(data.get("extra") or {}, dict):
        raise BuildFailed(f"{config}:1:1: the site config must be a mapping of settings (site_name: ..., extra: {{...}}); fix it and run again")


def read_handwritten(paths: Paths) -> dict[str, str]:
    """Return hand-written pages by content path: ``pages/*.md`` and ``CONTRIBUTING.md`` as
    ``contributing.md``.

    Raises:
        DataInvalid: a page is not UTF-8 text (encoding, NUL byte, more than 2 MB), reported like
            a record file.
    """
    files = sorted(paths.pages.glob("*.md")) if paths.pages.is_dir() else []
    named = [(path.name, path) for path in files]
    if paths.contributing.is_file():
        named.append(("contributing.md", paths.contributing))
    pages, problems = {}, []
    for name, path in named:
        text, found = check_text_bytes(path.read_bytes(), str(path), 2_000_000)
        problems.extend(p for p in found if p.code != "mixed-line-endings")
        if text is not None:
            pages[name] = text
    if problems:
        raise DataInvalid(problems)
    return pages


def chart_specs(charts: dict[str, Chart]) -> dict[str, tuple[dict, bytes]]:
    """Return ``{name: (spec dict, spec JSON bytes as written to charts/<name>.vl.json)}``."""
    return {name: (chart.spec, (json.dumps(chart.spec, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode())
            for name, chart in sorted(charts.items())}


def start_svgs(specs: dict[str, tuple[dict, bytes]], cache: Path | None = None, assets: dict[str, bytes] | None = None) -> SvgJobs:
    """Start drawing the static SVG fallback of every chart (``specs`` from :func:`chart_specs`)
    not in ``cache/svg/`` (see :class:`generator.svg.SvgJobs`: worker processes, so the pages
    render meanwhile)."""
    return SvgJobs(specs, vendor.vega_lite_version(), cache, assets)


def chart_files(charts: dict[str, Chart], specs: dict[str, tuple[dict, bytes]], svgs: SvgJobs) -> dict[str, bytes]:
    """Return the spec JSON, static SVG fallback and data CSV of every chart by content path.

    Raises:
        ValueError: vl-convert failed to draw a chart.
    """
    drawn = svgs.result()
    out = {}
    for name, (_, spec) in specs.items():
        out[locations.chart_file(name, ".vl.json")] = spec
        out[locations.chart_file(name, ".svg")] = drawn[name]
        out[locations.chart_file(name, ".csv")] = to_csv(charts[name].rows, [k for k, _ in charts[name].columns])
    return out


def render_content(ds: Dataset, handwritten: dict[str, str], meta: dict, cache: Path | None = None, history: History | None = None,
                   node_modules: Path = Path("node_modules"), parts: dict | None = None) -> tuple[dict[str, bytes], int, int]:
    """Render stage: return ``({content path: bytes}, page count, chart count)``. No disk writes
    except the caches (Vega bundle, chart SVGs). ``parts``, when given, receives seconds per part
    (see :attr:`Report.render_parts`)."""
    part = _Timer({} if parts is None else parts)
    with part("charts"):
        charts = build_charts(ds)
        specs = chart_specs(charts)
        assets = vendor.node_assets(node_modules)
    with start_svgs(specs, cache, assets) as svgs:  # drawn in worker processes while the pages render
        with part("pages"):
            meta = {**meta, "figures": headline_figures(ds)}
            pages = render_pages(ds, charts, handwritten, meta, history)
            pages[locations.REFERENCE] = reference_markdown()
            files = {path: text.encode("utf-8") for path, text in pages.items()}
        with part("downloads"):
            files.update(assets)
            files.update(build_downloads(ds, meta))
            files.update(citation_file(meta))
        with part("svg wait"):
            files.update(chart_files(charts, specs, svgs))
    with part("other"):
        files[f"assets/vendor/{vendor.BUNDLE_NAME}"] = vendor.cached_vega_bundle().encode("utf-8")
        files[search.JIEBA_WORDS] = search.jieba_words(ds).encode("utf-8")
    return files, len(pages), len(charts)


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

    epoch = str(int(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()))
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = saved or epoch
    try:
        overrides = {"site_url": site_url} if site_url else {}
        _reset_jieba()
        cfg = load_config(config_file=str(config), docs_dir=str(docs_dir.resolve()), site_dir=str(site_dir.resolve()), strict=True, **overrides)
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
        raise BuildFailed("Zensical is not installed; run: make site ENGINE=zensical (it installs the [zensical] extra)")
    project = writer.temp_folder(site_dir.resolve().parent / "zensical", "project")
    try:
        shutil.copytree(docs_dir, project / "docs")
        (project / "mkdocs.yml").write_text(zensical_config(config, site_url), "utf-8")
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or _epoch(day), "NO_COLOR": "1"}
        returncode, output = run_child([sys.executable, "-m", "zensical", "build", "--strict", "--config-file", "mkdocs.yml"], project, env, 900)
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
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BuildFailed(f"{args[2] if len(args) > 2 else args[0]} took more than {timeout:.0f} s and was stopped; nothing was replaced.") from None
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
    outranked documents naming the same words in their titles, issue #16). Titles, text and tags are made plain text with
    only ``&``, ``<`` and ``>`` escaped (:func:`generator.search.index_entry`: front-matter titles
    arrive HTML-escaped, and ``&#x27;`` would be cut at the separator's ``;``, issue #16). Page tags are kept on the page's own entry only
    (Material repeats them on every section; they were 8% of the index, issue #8). Returns the new
    size in bytes (0 if absent)."""
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


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@contextmanager
def _gc_paused():
    """Run the block with the cyclic garbage collector off, then freeze what it built.

    Loading builds millions of long-lived objects (records, positions, indexes); each full
    collection walked all of them again: 3 s of a 30 s generate at 10× synthetic data (issue #8),
    peak memory unchanged. Frozen objects are left out of later collections until the next
    :func:`generate` unfreezes them. (Keeping the collector off while rendering too saved 1 s more
    but cost 200 MB.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def generate(paths: Paths, report: Report, progress=None, memory: dict | None = None) -> dict[str, bytes]:
    """Run load, validate, transform and render; return ``{content path: bytes}`` (nothing written).
    ``memory``: parsed files kept between calls by :class:`Preview` (see :func:`generator.loader.load_data`).

    Raises:
        DataInvalid: the data has problems.
    """
    stage = _Timer(report.seconds, progress)
    gc.unfreeze()  # what an earlier generate in this process froze (serve, tests) can be collected again
    with stage("validate"), _gc_paused():
        validated = require_valid(paths.data, paths.cache, memory)
    with stage("transform"), _gc_paused():
        check_config(paths.config)
        meta = read_meta(paths)
        ds = build_dataset(validated.loaded, paths.data, meta["data_as_of"])
        handwritten = read_handwritten(paths)
        history = read_history(paths.data)
    with stage("render"):
        files, report.pages, report.charts = render_content(ds, handwritten, meta, paths.cache, history, paths.node_modules,
                                                            report.render_parts)
    report.records, report.files = validated.record_count(), len(files)
    return files


def build(paths: Paths, progress=None, engine: bool = True) -> Report:
    """Build the whole site: validate ``paths.data``, generate ``paths.content``, build ``paths.site``.

    Args:
        paths: where to read and write.
        progress: optional callable receiving each stage's name as it starts.
        engine: also run MkDocs into ``paths.site`` (False: generate content only).

    Returns:
        A :class:`Report` with counts and seconds per stage.

    Raises:
        DataInvalid: the data has problems (nothing written).
        BuildFailed: a later stage failed (nothing replaced).
    """
    if engine and paths.engine not in ENGINES:
        raise BuildFailed(f"unknown site engine {paths.engine!r}; use one of: {', '.join(ENGINES)}")
    report = Report()
    stage = _Timer(report.seconds, progress)
    writer.recover(paths.content, paths.site)
    writer.check_owned(paths.content)
    if engine:
        writer.check_owned(paths.site, f"files to publish as they are (CNAME, .nojekyll) belong in {paths.site_extra}/ (see README)")
    files = generate(paths, report, progress)
    staged: list[tuple[Path, Path]] = []
    try:
        with stage("write"):
            staged.append((writer.stage_tree(files, paths.content), paths.content))
        if engine:
            with stage(paths.engine):
                site_tmp = writer.temp_folder(paths.site, "tmp")
                staged.append((site_tmp, paths.site))
                run_engine = build_site_zensical if paths.engine == "zensical" else build_site
                run_engine(paths.config, staged[0][0], site_tmp, data_as_of(paths.data), paths.settings.site_url)
                writer.add_extras(paths.site_extra, site_tmp)
                writer.write_manifest(site_tmp)
        writer.swap_in(staged)
        staged = []
    finally:
        for tmp, _ in staged:
            writer.remove_tree(tmp, strict=False)
    if engine:
        report.site_bytes = _size(paths.site)
    return report


@dataclass
class Preview:
    """What ``make serve`` keeps between regenerates: parsed record files by content hash (only
    edited files are parsed again; no cache file is read or written) and the content it wrote last
    (only files whose bytes differ from it are written; nothing under ``content/`` is read back).
    A file changed or removed in ``content/`` by hand is restored by the next full sync, which the
    first regenerate of a preview always is."""

    parsed: dict = field(default_factory=dict)
    written: dict | None = None


def regenerate(paths: Paths, preview: Preview | None = None) -> tuple[Report, list[str]]:
    """Generate into ``paths.content`` in place, writing only changed files (for ``serve``).

    Args:
        paths: where to read and write.
        preview: state kept between calls (see :class:`Preview`); ``None`` reads and compares
            everything on disk, as a first call does.

    Returns:
        The report and the content paths written or deleted.

    Raises:
        DataInvalid, BuildFailed: as :func:`build`; on DataInvalid nothing is written.
    """
    report = Report()
    files = generate(paths, report, memory=preview.parsed if preview else None)
    start = time.perf_counter()
    changed = writer.sync_tree(files, paths.content, preview.written if preview else None)
    if preview is not None:
        preview.written = files
    report.seconds["write"] = time.perf_counter() - start
    return report, changed
