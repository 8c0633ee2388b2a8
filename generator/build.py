"""The build, stage by stage: load → validate → transform → render → write (+ site engine).

Everything is gathered and rendered in memory first; the write stage is the only one that touches
the disk, and it swaps the new ``content/`` and ``site/`` in only after the site engine built
successfully (see :mod:`generator.writer`).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ruamel.yaml import YAML

from . import engines, locations, search, vendor, writer
from .charts import Chart, build_charts
from .citations import citation_cff
from .dataset import Dataset, build_dataset
from .downloads import build_downloads, to_csv
from .errors import BuildFailed, DataInvalid
from .history import History, read_history
from .loader import dataset_version
from .pages import headline_figures, render_pages
from .reference import reference_markdown
from .settings import BuildFacts, Settings
from .svg import SvgJobs
from .text import check_text_bytes
from .validate import require_valid


@dataclass(frozen=True)
class Paths:
    """What a build is told at the command-line edge (frozen: no stage changes it): where it reads
    and writes (every path absolute or relative to the working directory), the site engine and
    the publishing :class:`~generator.settings.Settings`. What it learns from the data (version,
    as-of day) is :class:`~generator.settings.BuildFacts`, read by :func:`read_facts`."""

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
    engine: str = engines.DEFAULT_ENGINE
    """The site engine, a key of :data:`generator.engines.ENGINES` (the command line's ``--engine``, which reads
    ``$ATLAS_ENGINE``: ``make site ENGINE=zensical`` sets it)."""


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
    facts: BuildFacts | None = None
    """What the build rendered with (read once by :func:`generate`; the engine is given the same
    as-of day)."""

    def summary(self) -> str:
        """One line for the terminal."""
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        return (
            f"{self.records} records and targets, {self.pages} pages, {self.charts} charts, {self.files} files, site "
            f"{self.site_bytes / 1e6:.1f} MB ({stages})"
        )


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
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct", "--", str(data_dir)],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d")


def read_facts(paths: Paths) -> BuildFacts:
    """Return what the build renders with (:class:`~generator.settings.BuildFacts`): the dataset's
    version (``data/dataset.yaml``), :func:`data_as_of`, ``paths.settings`` and the text of the
    repository's ``CITATION.cff`` (``""`` when absent)."""
    cff = paths.citation_cff.read_text("utf-8") if paths.citation_cff.is_file() else ""
    return BuildFacts(
        version=dataset_version(paths.data),
        data_as_of=data_as_of(paths.data),
        settings=paths.settings,
        citation_cff=cff,
    )


def citation_file(facts: BuildFacts) -> dict[str, bytes]:
    """Return ``{"CITATION.cff": bytes}``: the repository's citation file completed from the
    settings (:func:`generator.citations.citation_cff`), or ``{}`` when the repository has none.

    Raises:
        BuildFailed: its version differs from the dataset's.
    """
    if not facts.citation_cff:
        return {}
    try:
        return {"CITATION.cff": citation_cff(facts.citation_cff, facts)}
    except ValueError as exc:
        raise BuildFailed(str(exc)) from exc


def check_config(config: Path) -> None:
    """Check that the site config (``mkdocs.yml``) is readable YAML holding a mapping, before
    anything reads it (:func:`read_facts`, the engines), so a broken file gives one line.

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
        raise BuildFailed(
            f"{config}:{where}: {(exc.problem or exc.context or 'invalid YAML').strip()}; fix the site config and run "
            "again"
        ) from None
    except (YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise BuildFailed(
            f"{config}:1:1: cannot be read as YAML ({type(exc).__name__}); save it as UTF-8 YAML and run again"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("extra") or {}, dict):
        raise BuildFailed(
            f"{config}:1:1: the site config must be a mapping of settings (site_name: ..., extra: {{...}}); fix it and "
            "run again"
        )


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
    return {
        name: (chart.spec, (json.dumps(chart.spec, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode())
        for name, chart in sorted(charts.items())
    }


def start_svgs(
    specs: dict[str, tuple[dict, bytes]], cache: Path | None = None, assets: dict[str, bytes] | None = None
) -> SvgJobs:
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


def render_content(
    ds: Dataset,
    handwritten: dict[str, str],
    facts: BuildFacts,
    cache: Path | None = None,
    history: History | None = None,
    node_modules: Path = Path("node_modules"),
    parts: dict | None = None,
) -> tuple[dict[str, bytes], int, int]:
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
            pages = render_pages(ds, charts, handwritten, facts, history, headline_figures(ds))
            pages[locations.REFERENCE] = reference_markdown()
            files = {path: text.encode("utf-8") for path, text in pages.items()}
        with part("downloads"):
            files.update(assets)
            files.update(build_downloads(ds, facts))
            files.update(citation_file(facts))
        with part("svg wait"):
            files.update(chart_files(charts, specs, svgs))
    with part("other"):
        files[f"assets/vendor/{vendor.BUNDLE_NAME}"] = vendor.cached_vega_bundle().encode("utf-8")
        files[search.JIEBA_WORDS] = search.jieba_words(ds).encode("utf-8")
    return files, len(pages), len(charts)


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
        facts = report.facts = read_facts(paths)
        ds = build_dataset(validated.loaded, paths.data, facts.data_as_of)
        handwritten = read_handwritten(paths)
        history = read_history(paths.data)
    with stage("render"):
        files, report.pages, report.charts = render_content(
            ds, handwritten, facts, paths.cache, history, paths.node_modules, report.render_parts
        )
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
    site_engine = engines.engine(paths.engine) if engine else None
    report = Report()
    stage = _Timer(report.seconds, progress)
    writer.recover(paths.content, paths.site)
    writer.check_owned(paths.content)
    if engine:
        writer.check_owned(
            paths.site, f"files to publish as they are (CNAME, .nojekyll) belong in {paths.site_extra}/ (see README)"
        )
    files = generate(paths, report, progress)
    staged: list[tuple[Path, Path]] = []
    try:
        with stage("write"):
            staged.append((writer.stage_tree(files, paths.content), paths.content))
        if engine:
            with stage(paths.engine):
                site_tmp = writer.temp_folder(paths.site, "tmp")
                staged.append((site_tmp, paths.site))
                site_engine.run(paths.config, staged[0][0], site_tmp, report.facts.data_as_of, paths.settings.site_url)
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
