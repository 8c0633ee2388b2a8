"""Benchmarks on synthetic data (issues #2 and #8); not part of the tests.

* :func:`bench_validate`: ``validate`` on about 1,000 and 10,000 records, cold (empty cache),
  warm (cache filled, files unchanged) and after one edited file; median of a few runs.
* :func:`bench_build`: full builds (validate, generate, MkDocs) at 1×, 10× and 100× within a time
  budget, the ratios issue #8 asks for, page weight, and an incremental regenerate after a
  one-record edit.
* :func:`profile_generate`: cProfile of the generator (validate + transform + render) at one scale.

Every measurement runs in a fresh Python process (``python -m generator.dev.bench <step> ...``) so
in-memory caches (EDTF parsing, the Jinja environment) start empty as they do for a contributor's
command, and peak memory (``ru_maxrss``) is that of one step. Seconds exclude interpreter start
and imports, which are reported apart. Output folders live under ``bench-out/`` (git-ignored).
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import json
import math
import os
import pstats
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import locations, writer
from . import synth

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench-out"
SEED = 8
#: Records ``validate`` counts here (issue #2): documents + sources + jurisdictions + targets.
COUNTED = ("documents", "sources", "jurisdictions", "targets")
BUDGET_SECONDS = 15 * 60


# --- synthetic folders ---------------------------------------------------------------------------


def _stamp(scale: float) -> str:
    """What a synthetic folder depends on: scale, seed, the synthesizer and the vocabularies."""
    digest = hashlib.sha256(f"{scale:g}:{SEED}".encode())
    for path in sorted(
        [Path(synth.__file__), Path(synth.words.__file__), *(synth.project_data_dir() / "vocab").glob("*.yaml")]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def synthetic_folder(name: str, scale: float) -> tuple[Path, dict, float]:
    """Return ``(data folder, record counts, seconds to synthesize)`` under ``bench-out/<name>/``,
    reusing a folder made by the same synthesizer, scale and seed (0 seconds then)."""
    base = OUT / name
    stamp_file, data = base / "synth.json", base / "data"
    stamp = _stamp(scale)
    if stamp_file.is_file() and data.is_dir():
        saved = json.loads(stamp_file.read_text())
        if saved["stamp"] == stamp:
            return data, saved["counts"], 0.0
    shutil.rmtree(base, ignore_errors=True)
    start = time.perf_counter()
    made = synth.synthesize(scale, SEED)
    synth.write_data(made.files, data)
    seconds = time.perf_counter() - start
    stamp_file.write_text(json.dumps({"stamp": stamp, "scale": scale, "counts": made.counts}))
    return data, made.counts, seconds


#: Memory cap of one step, all its processes together: Zensical 0.0.73 grew past 24 GB at 10× here
#: (an address-space rlimit did not hold it) and the kernel's OOM killer had to stop it; the
#: watchdog in :func:`_run_step` stops a step first, so other work on the machine is not starved.
MEMORY_CAP = min(8 << 30, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 3)


class StepStopped(Exception):
    """A step ran past its time or memory and was stopped; the message says which."""


def _run_step(*args: str, timeout: float | None = None) -> dict:
    """Run one measurement step in a fresh interpreter (its own session) from the repository top
    and return its JSON.

    Raises:
        StepStopped: it ran past ``timeout`` seconds or :data:`MEMORY_CAP` (it is stopped, with
            every process it started).
        RuntimeError: it failed.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator.dev.bench", *args],
            cwd=ROOT,
            stdout=out,
            stderr=err,
            text=True,
            start_new_session=True,
        )
        _watch(proc, timeout)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"bench step {args[0]} failed ({proc.returncode}):\n{stderr[-4000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def _watch(proc: subprocess.Popen, timeout: float | None) -> None:
    """Wait for ``proc``; stop its session when it passes ``timeout`` seconds or :data:`MEMORY_CAP`."""
    deadline = None if timeout is None else time.monotonic() + max(timeout, 1)
    while True:
        try:
            proc.wait(timeout=1)
            return
        except subprocess.TimeoutExpired:
            pass
        rss = _session_rss(proc.pid)
        reason = (
            f"stopped at {rss / 2**30:.1f} GB, over the {MEMORY_CAP / 2**30:.1f} GB cap"
            if rss > MEMORY_CAP
            else "stopped: out of time"
            if deadline and time.monotonic() > deadline
            else None
        )
        if reason:
            os.killpg(proc.pid, signal.SIGKILL)  # the step's own session only (it and what it started)
            proc.wait()
            raise StepStopped(reason)


def _session_rss(session: int) -> int:
    """Resident bytes of every process in ``session`` (from /proc; 0 where /proc is missing)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = (
                stat.read_text().rsplit(")", 1)[1].split()
            )  # after "(comm)": state ppid pgrp session … rss (index 21)
        except OSError:
            continue
        if int(fields[3]) == session:
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    return total


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- issue #2: validate --------------------------------------------------------------------------


def bench_validate(sizes: tuple[int, ...] = (1_000, 10_000), runs: int = 3, echo=print) -> None:
    """Print validate timings for folders of about ``sizes`` records (see :data:`COUNTED`)."""
    per_scale = sum(synth.synthesize(1, SEED).counts[k] for k in COUNTED)
    echo(
        f"validate benchmark: records = {' + '.join(COUNTED)}; median of {runs} runs, each in a new process; "
        "seconds exclude imports (shown apart); peak = max RSS of the process"
    )
    echo(
        f"{'records':>8} {'files':>6} {'imports s':>9} {'cold s':>7} {'warm s':>7} {'1 edit s':>8} "
        f"{'peak MB cold':>12} {'peak MB warm':>12}"
    )
    for size in sizes:
        data, counts, _ = synthetic_folder(f"validate-{size}", size / per_scale)
        cache = OUT / f"validate-{size}" / "cache"
        cold, warm, edit = [], [], []
        for run in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(_run_step("validate", str(data), str(cache)))
            warm.append(_run_step("validate", str(data), str(cache)))
            edit.append(_run_step("validate", str(data), str(cache), f"edit-{run}"))
        _restore_edited(data)
        records = sum(counts[k] for k in COUNTED)
        med = lambda rows, key="seconds": statistics.median(r[key] for r in rows)  # noqa: E731
        echo(
            f"{records:>8,} {cold[0]['files']:>6,} {med(cold, 'imports'):>9.2f} {med(cold):>7.2f} {med(warm):>7.3f} "
            f"{med(edit):>8.2f} "
            f"{med(cold, 'peak_mb'):>12.0f} {med(warm, 'peak_mb'):>12.0f}"
        )
        echo(
            "         "
            + ", ".join(f"{counts[k]:,} {k}" for k in (*COUNTED, "coverage"))
            + f"; problems: {cold[0]['problems']}"
        )
    echo(
        "cold = empty cache folder (the result cache is written); warm = same files again (result cache hit); "
        "1 edit = one document file changed (result cache misses: everything is read again)"
    )


_EDIT_MARK = "\n# bench edit "


def _edit_one(data: Path, tag: str) -> Path:
    """Append a comment to the first document file, so its bytes and mtime change."""
    path = min((data / "documents").rglob("*.yaml"))
    text = path.read_text("utf-8").split(_EDIT_MARK)[0]
    path.write_text(text + _EDIT_MARK + tag + "\n", "utf-8")
    return path


def _restore_edited(data: Path) -> None:
    path = min((data / "documents").rglob("*.yaml"))
    path.write_text(path.read_text("utf-8").split(_EDIT_MARK)[0], "utf-8")


def _step_validate(data: str, cache: str, edit: str | None = None) -> dict:
    start = time.perf_counter()
    from ..validate import validate_data

    imports = time.perf_counter() - start
    if edit:
        _edit_one(Path(data), edit)
    start = time.perf_counter()
    result = validate_data(Path(data), Path(cache))
    return {
        "seconds": time.perf_counter() - start,
        "imports": imports,
        "peak_mb": _peak_mb(),
        "files": result.loaded.files,
        "problems": len(result.problems),
    }


# --- issue #8: full builds -----------------------------------------------------------------------


@dataclass
class Measured:
    """One full build at one scale; seconds are wall-clock, ``cpu`` is the build process's user + system time."""

    scale: float
    records: int
    pages: int
    stages: dict
    render_parts: dict
    site_bytes: int
    search_bytes: int
    peak_mb: float
    cpu: float
    synth_seconds: float
    weight: dict
    zensical: float | None = None
    zensical_error: str | None = None
    """Why there is no Zensical time: not installed, failed (its message) or stopped."""
    warm: dict | None = None
    """Stage seconds of the generator run again on the same data with the caches the cold build
    left (``make site`` after a build, or CI restoring ``.cache/``); MkDocs is not run again."""

    @property
    def warm_generator(self) -> float | None:
        """Seconds of the warm generator (validate + transform + render + write), or None."""
        return sum(self.warm.values()) if self.warm else None

    @property
    def generator(self) -> float:
        """Seconds of validate + transform + render (charts included) + write of content/."""
        return sum(v for k, v in self.stages.items() if k != "mkdocs")

    @property
    def total(self) -> float:
        """Seconds of the full build with MkDocs: generator + MkDocs."""
        return self.generator + self.stages["mkdocs"]

    @property
    def wall(self) -> float:
        """Every second this scale cost the benchmark: synthesis, build, warm generator, Zensical."""
        return self.synth_seconds + self.total + (self.warm_generator or 0.0) + (self.zensical or 0.0)


def bench_build(
    scales: tuple[float, ...] = (1, 10, 100), budget: float = BUDGET_SECONDS, edit_scale: float = 10, echo=print
) -> None:
    """Build each scale in turn while its estimate fits in what is left of ``budget`` (else build
    the largest scale that fits, and stop; a build still running when the budget ends is stopped);
    print the table, ratios and page weight, then time an incremental regenerate at the largest
    scale up to ``edit_scale`` that fits in the time left (the first scale otherwise)."""
    started, code = time.perf_counter(), _code_version()
    echo(f"code: {code}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    left = lambda: budget - (time.perf_counter() - started)  # noqa: E731
    done: list[Measured] = []
    for wanted in scales:
        room = left() - _reserve(done)
        estimate, scale = _estimate(done, wanted), wanted
        if estimate is not None and estimate > room:
            scale = _largest_fitting(done, room)
            echo(
                f"note: {wanted:g}× is estimated at {estimate:.0f} s (power law through the scales built) but "
                f"{max(room, 0):.0f} s "
                f"of the {budget / 60:g}-minute budget are left after keeping time for the regenerate; "
                + (f"building {scale:g}× instead." if scale else "not built.")
            )
            if not scale:
                break
        measured = _measure(scale, timeout=room if done else None)
        if measured is None:
            echo(
                f"note: {scale:g}× was still building when the budget ran out ({room:.0f} s); it was stopped and is "
                "left out."
            )
            break
        done.append(measured)
        echo(
            f"built {scale:g}×: {measured.pages:,} pages, {measured.wall:.0f} s with synthesis "
            f"({measured.synth_seconds:.0f} s)"
            + (f" and Zensical ({measured.zensical:.0f} s)" if measured.zensical else "")
        )
        if scale != wanted:
            break
    _print_table(done, echo)
    _print_ratios(done, echo)
    _print_weight(done, echo)
    fitting = [m for m in done if m.scale <= edit_scale and 2 * m.generator <= left()]
    _print_regenerate(fitting[-1] if fitting else done[0], echo)
    echo(
        f"bench total {time.perf_counter() - started:.0f} s (budget {budget / 60:g} minutes); load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    now = _code_version()
    if now.split("code hash")[1] != code.split("code hash")[1]:
        echo(f"WARNING: the code changed during the run (now {now}); figures of different scales may not compare")


def _code_version() -> str:
    """The git commit and a hash of the code that shapes a build (generator/, mkdocs.yml, overrides/):
    other sessions commit while benches run, so a run says when its code changed under it."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "generator").rglob("*"), ROOT / "mkdocs.yml", *(ROOT / "overrides").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return f"git {head or 'unknown'}, code hash {digest.hexdigest()[:10]}"


def _reserve(done: list[Measured]) -> float:
    """Seconds kept for the incremental regenerate at the first scale (two generates in one process)."""
    return 2 * done[0].generator if done else 90.0


#: Exponent assumed before two scales are built: t ∝ scale ** 1.15 (1× → 7× measured 1.14 here).
DEFAULT_EXPONENT = 1.15


def _exponent(done: list[Measured]) -> float:
    """The power k of ``t ∝ scale ** k`` through the last two scales built (never below 1)."""
    if len(done) < 2:
        return DEFAULT_EXPONENT
    a, b = done[-2], done[-1]
    return max(1.0, math.log(b.wall / a.wall) / math.log(b.scale / a.scale))


def _estimate(done: list[Measured], scale: float) -> float | None:
    """Seconds a scale should cost, from the last one built; None before the first build."""
    if not done:
        return None
    return done[-1].wall * (scale / done[-1].scale) ** _exponent(done)


#: Scales tried when the requested one does not fit.
_STEPS = (1.5, 2, 3, 4, 5, 7, 10, 15, 20, 30, 40, 50, 70, 100, 150, 200, 300, 500)


def _largest_fitting(done: list[Measured], left: float) -> float | None:
    """The largest of :data:`_STEPS` above the last scale built whose estimate fits in ``left`` seconds, or None."""
    fitting = [s for s in _STEPS if s > done[-1].scale and _estimate(done, s) <= left]
    return fitting[-1] if fitting else None


def _folders(scale: float) -> dict[str, Path]:
    base = OUT / f"scale-{scale:g}"
    return {
        "data": base / "data",
        "content": base / "content",
        "site": base / "site",
        "cache": base / "cache",
        "zensical": base / "site-zensical",
    }


def _measure(scale: float, timeout: float | None = None) -> Measured | None:
    """Synthesize (or reuse) the folder at ``scale``, build it cold (empty cache) with MkDocs, then
    time Zensical on the same content when it is installed; None when ``timeout`` ran out."""
    started = time.perf_counter()
    data, counts, synth_seconds = synthetic_folder(f"scale-{scale:g}", scale)
    folders = _folders(scale)
    for name in ("content", "site", "cache", "zensical"):
        shutil.rmtree(folders[name], ignore_errors=True)
    _sync()
    remaining = lambda: None if timeout is None else timeout - (time.perf_counter() - started)  # noqa: E731
    try:
        step = _run_step("build", *(str(folders[k]) for k in ("data", "content", "site", "cache")), timeout=remaining())
    except StepStopped:
        return None
    search = folders["site"] / "search" / "search_index.json"
    _sync()
    try:
        warm = _run_step(
            "generate", *(str(folders[k]) for k in ("data", "content", "site", "cache")), timeout=remaining()
        )["seconds"]
    except StepStopped:
        warm = None
    try:
        zensical = _run_step("zensical", str(folders["content"]), str(folders["zensical"]), timeout=remaining())
    except StepStopped as exc:
        zensical = {"seconds": None, "error": f"{exc} ({time.perf_counter() - started:.0f} s into this scale)"}
    for tmp in writer.leftovers(folders["site"]):  # left by a stopped Zensical
        writer.remove_tree(tmp, strict=False)
    return Measured(
        scale,
        sum(counts[k] for k in COUNTED),
        step["pages"],
        step["seconds"],
        step["render_parts"],
        step["site_bytes"],
        search.stat().st_size if search.is_file() else 0,
        step["peak_mb"],
        step["cpu"],
        synth_seconds,
        page_weight(folders["site"]),
        zensical["seconds"],
        zensical.get("error"),
        warm,
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _step_build(data: str, content: str, site: str, cache: str) -> dict:
    from ..build import Paths, build

    report = build(Paths(data=Path(data), content=Path(content), site=Path(site), cache=Path(cache), engine="mkdocs"))
    return {
        "seconds": report.seconds,
        "render_parts": report.render_parts,
        "pages": report.pages,
        "files": report.files,
        "charts": report.charts,
        "site_bytes": report.site_bytes,
        "peak_mb": _peak_mb(),
        "cpu": _cpu(),
    }


def _step_generate(data: str, content: str, site: str, cache: str) -> dict:
    """The generator alone (no engine) with the caches a previous build left in ``cache``."""
    from ..build import Paths, build

    report = build(Paths(data=Path(data), content=Path(content), site=Path(site), cache=Path(cache)), engine=False)
    return {
        "seconds": report.seconds,
        "render_parts": report.render_parts,
        "pages": report.pages,
        "peak_mb": _peak_mb(),
    }


def _step_zensical(content: str, site: str) -> dict:
    """Time :func:`generator.engines.build_site_zensical` on generated content; ``None`` seconds when
    Zensical is not installed or fails (its message goes to stderr)."""
    import importlib.util

    from ..build import data_as_of
    from ..engines import build_site_zensical
    from ..errors import BuildFailed

    if importlib.util.find_spec("zensical") is None:
        return {"seconds": None, "error": "not installed"}
    Path(site).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        build_site_zensical(ROOT / "mkdocs.yml", Path(content), Path(site), data_as_of(Path(content)))
    except BuildFailed as exc:
        return {"seconds": None, "error": f"{str(exc)[:300]} (after {time.perf_counter() - start:.0f} s)"}
    return {"seconds": time.perf_counter() - start}


def page_weight(site: Path) -> dict:
    """Sizes of document pages' HTML, and how many pages without a chart still load Vega."""
    docs = sorted((site / locations.section("documents")).glob("*/index.html"))
    sizes = sorted(p.stat().st_size for p in docs)
    chartless = vega = 0
    for path in site.rglob("*.html"):
        html = path.read_text("utf-8", errors="replace")
        if "atlas-chart" not in html:
            chartless += 1
            vega += "vega-bundle" in html
    largest_spec = max((p.stat().st_size for p in (site / "charts").glob("*.vl.json")), default=0)
    return {
        "doc_pages": len(docs),
        "doc_median": statistics.median(sizes) if sizes else 0,
        "doc_max": sizes[-1] if sizes else 0,
        "chartless": chartless,
        "chartless_with_vega": vega,
        "largest_spec": largest_spec,
    }


# --- output --------------------------------------------------------------------------------------


def _print_table(done: list[Measured], echo) -> None:
    echo("")
    echo(
        f"{'scale':>5} {'records':>8} {'pages':>7} {'validate s':>10} {'generate s':>10} {'MkDocs s':>9} "
        f"{'Zensical s':>10} "
        f"{'ms/page gen':>11} {'ms/page MkDocs':>14} {'ms/page Zensical':>16} {'site MB':>8} {'search MB':>9} "
        f"{'peak MB':>8} {'cpu s':>6}"
    )
    for m in done:
        gen = m.generator - m.stages["validate"]
        zen = f"{m.zensical:.1f}" if m.zensical is not None else "n/a"
        zen_page = f"{1000 * m.zensical / m.pages:.1f}" if m.zensical is not None else "n/a"
        echo(
            f"{m.scale:>4g}× {m.records:>8,} {m.pages:>7,} {m.stages['validate']:>10.1f} {gen:>10.1f} "
            f"{m.stages['mkdocs']:>9.1f} {zen:>10} "
            f"{1000 * m.generator / m.pages:>11.1f} {1000 * m.stages['mkdocs'] / m.pages:>14.1f} {zen_page:>16} "
            f"{m.site_bytes / 1e6:>8.1f} {m.search_bytes / 1e6:>9.2f} {m.peak_mb:>8.0f} {m.cpu:>6.0f}"
        )
    echo(
        "records = documents + sources + jurisdictions + targets; pages = Markdown pages generated; generate = "
        "transform + render "
        "(pages, charts, SVGs, downloads) + write of content/; ms/page gen = (validate + generate) / pages; MkDocs "
        "site, cold "
        "caches; peak = max RSS of the build process (MkDocs in it, Zensical apart); cpu = its user + system seconds "
        "(below the wall-clock sum when the machine is shared)"
    )
    for m in done:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in m.stages.items())
        parts = ", ".join(f"{k} {v:.1f}" for k, v in m.render_parts.items())
        echo(
            f"  {m.scale:g}× stages (s): {stages} (render: {parts}); synthesis {m.synth_seconds:.1f} (not in the build)"
            + (f"; Zensical n/a: {m.zensical_error}" if m.zensical_error else "")
        )


def _marginal(a: Measured, b: Measured, cost) -> float:
    """Milliseconds per added page from ``a`` to ``b``."""
    return 1000 * (cost(b) - cost(a)) / (b.pages - a.pages)


_COSTS = (
    ("generator", lambda m: m.generator),
    ("MkDocs", lambda m: m.stages["mkdocs"]),
    ("full build", lambda m: m.total),
)


def _print_ratios(done: list[Measured], echo) -> None:
    echo("")
    for m in done:
        share = m.generator / m.total
        line = (
            f"generator share of the full build at {m.scale:g}×: {100 * share:.0f}% (goal ≤ 20%: "
            f"{'met' if share <= 0.2 else 'NOT met'})"
        )
        if m.zensical:
            line += f"; with Zensical instead of MkDocs: {100 * m.generator / (m.generator + m.zensical):.0f}%"
        echo(line)
        if m.warm_generator is not None:
            warm = m.warm_generator / (m.warm_generator + m.stages["mkdocs"])
            stages = ", ".join(f"{k} {v:.1f}" for k, v in m.warm.items())
            echo(
                "  warm caches (unchanged data, second build or CI with .cache/ restored): generator "
                f"{m.warm_generator:.1f} s "
                f"({stages}), share {100 * warm:.0f}% ({'met' if warm <= 0.2 else 'NOT met'})"
            )
    for a, b in zip(done, done[1:]):
        echo(
            f"marginal ms per page {a.scale:g}×→{b.scale:g}×: "
            + ", ".join(f"{label} {_marginal(a, b, cost):.1f}" for label, cost in _COSTS)
        )
    for a, b, c in zip(done, done[1:], done[2:]):
        for label, cost in _COSTS:
            ratio = _marginal(b, c, cost) / _marginal(a, b, cost)
            echo(
                f"marginal cost ratio ({b.scale:g}×→{c.scale:g}×) / ({a.scale:g}×→{b.scale:g}×), {label}: {ratio:.2f} "
                f"(goal ≤ 1.2: {'met' if ratio <= 1.2 else 'NOT met'})"
            )
    if len(done) < 3:
        echo(
            "marginal cost ratio: needs three scales; "
            + ("only one was built" if len(done) == 1 else "only two were built")
        )


def _print_weight(done: list[Measured], echo) -> None:
    echo("")
    for m in done:
        w = m.weight
        per_1000 = m.search_bytes / 1e6 / (m.pages / 1000)
        echo(
            f"page weight at {m.scale:g}×: document page HTML median {w['doc_median'] / 1000:.1f} KB, max "
            f"{w['doc_max'] / 1000:.1f} KB "
            f"(goal < 60 KB); search index {per_1000:.2f} MB per 1,000 pages (goal < 2); "
            f"{w['chartless_with_vega']:,} of {w['chartless']:,} HTML pages without a chart load vega-bundle.js (goal "
            "0); "
            f"largest chart spec {w['largest_spec'] / 1000:.0f} KB"
        )


def _print_regenerate(m: Measured, echo) -> None:
    folders = _folders(m.scale)
    step = _run_step("regenerate", *(str(folders[k]) for k in ("data", "content", "site", "cache")))
    echo("")
    echo(
        f"incremental regenerate at {m.scale:g}× (make serve's generator step, one process keeping a Preview; goal < 1 "
        "s, only changed pages)"
    )
    for name, label in (
        ("start", "start of make serve (full sync with content/ on disk)"),
        ("edit", "first edit of one document's summary"),
        ("edit2", "second edit of it"),
    ):
        run = step[name]
        pages = [f for f in run["files"] if f.endswith(".md")]
        files = ", ".join(run["files"][:4]) + (" …" if run["changed"] > 4 else "")
        stages = ", ".join(f"{k} {v:.2f}" for k, v in run["stages"].items())
        echo(
            f"  {label}: {run['seconds']:.2f} s, {run['changed']} file(s) written ({len(pages)} "
            f"page(s)){': ' + files if files else ''} "
            f"(stages, s: {stages})"
        )


def _step_regenerate(data: str, content: str, site: str, cache: str) -> dict:
    from ..build import Paths, Preview, regenerate

    paths = Paths(data=Path(data), content=Path(content), site=Path(site), cache=Path(cache))
    result, preview = {}, Preview()
    path = min((paths.data / "documents").rglob("*.yaml"))
    original = path.read_text("utf-8")
    try:
        for name, word in (("start", None), ("edit", "Edited."), ("edit2", "Edited again.")):
            if word:
                path.write_text(_edit_summary(original, word), "utf-8")
            start = time.perf_counter()
            report, changed = regenerate(paths, preview)
            result[name] = {
                "seconds": time.perf_counter() - start,
                "changed": len(changed),
                "files": changed,
                "stages": report.seconds,
            }
    finally:
        path.write_text(original, "utf-8")
        regenerate(paths, preview)
    return result


def _edit_summary(text: str, word: str) -> str:
    """Put ``word`` at the start of the English summary of a document file as :mod:`generator.synth` writes it."""
    quoted, block = 'summary:\n  en: "', "summary:\n  en: |\n    "
    if quoted in text:
        return text.replace(quoted, f"{quoted}{word} ", 1)
    return text.replace(block, f"{block}{word} ", 1)


# --- generator only ------------------------------------------------------------------------------


def bench_generator_only(scale: float, echo=print) -> None:
    """Print cold and warm generator seconds (validate, transform, render, write of content/) at
    ``scale``, with pages, ms per page and peak memory; no site engine runs."""
    started = time.perf_counter()
    data, counts, synth_seconds = synthetic_folder(f"scale-{scale:g}", scale)
    folders = _folders(scale)
    for name in ("content", "site", "cache"):
        shutil.rmtree(folders[name], ignore_errors=True)
    _sync()
    cold = _run_step("generate", *(str(folders[k]) for k in ("data", "content", "site", "cache")))
    _sync()
    warm = _run_step("generate", *(str(folders[k]) for k in ("data", "content", "site", "cache")))
    records = sum(counts[k] for k in COUNTED)
    echo(
        f"generator only at {scale:g}× ({records:,} records, {cold['pages']:,} pages; synthesis {synth_seconds:.0f} s, "
        "not timed):"
    )
    for label, run in (("cold", cold), ("warm", warm)):
        total = sum(run["seconds"].values())
        stages = ", ".join(f"{k} {v:.1f}" for k, v in run["seconds"].items())
        parts = ", ".join(f"{k} {v:.1f}" for k, v in run["render_parts"].items())
        echo(
            f"  {label}: {total:.1f} s = {1000 * total / cold['pages']:.1f} ms/page ({stages}; render: {parts}); peak "
            f"{run['peak_mb']:.0f} MB"
        )
    echo(f"total {time.perf_counter() - started:.0f} s")


def _sync() -> None:
    """Flush written files to disk before a timed step, so one step's writes are not paid by the next."""
    if hasattr(os, "sync"):
        os.sync()


# --- profile -------------------------------------------------------------------------------------


def profile_generate(scale: float = 1, top: int = 15, echo=print) -> None:
    """Print the ``top`` functions by cumulative time of validate + transform + render at ``scale`` (cold caches)."""
    data, _, _ = synthetic_folder(f"scale-{scale:g}", scale)
    echo(_run_step("profile", str(data), str(top))["text"])


def _step_profile(data: str, top: str) -> dict:
    from ..build import Paths, Report, generate

    paths = Paths(data=Path(data), cache=None)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(generate, paths, Report())
    seconds = time.perf_counter() - start
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(int(top))
    return {
        "text": f"generate at {data} under cProfile: {seconds:.1f} s (profiling slows Python code about 2×)\n"
        + buffer.getvalue()
    }


STEPS = {
    "validate": _step_validate,
    "build": _step_build,
    "generate": _step_generate,
    "zensical": _step_zensical,
    "regenerate": _step_regenerate,
    "profile": _step_profile,
}

if __name__ == "__main__":
    print(json.dumps(STEPS[sys.argv[1]](*sys.argv[2:])))
