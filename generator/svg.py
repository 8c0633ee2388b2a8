"""Static SVG fallbacks of the charts, drawn by vl-convert, cached, and drawn in worker processes
while the pages render (issue #8).

vl-convert runs one JavaScript runtime per process, so threads do not draw in parallel
(measured: 42 charts in 2.9 s with 1, 2 or 4 threads); a separate process does, and the pages
render meanwhile. Workers are plain subprocesses (``python -m generator.svg JOBS OUT``) rather
than multiprocessing: a spawned multiprocessing child re-imports the caller's main module (the
whole CLI), and a forked one would inherit vl-convert's runtime threads.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import vl_convert

_SVG_ID = re.compile(r"\b((?:gradient|clip|pattern|marker)_?)(\d+)\b")


def stable_ids(svg: str) -> str:
    """Renumber Vega's generated SVG ids (``gradient_7``, ``clip3``) from 0 in order of first use:
    Vega counts them per process, so the same chart drawn twice would differ byte for byte."""
    numbers: dict[str, str] = {}

    def renumber(match: re.Match) -> str:
        key = match.group(0)
        numbers.setdefault(key, f"{match.group(1)}{sum(k.startswith(match.group(1)) for k in numbers)}")
        return numbers[key]

    return _SVG_ID.sub(renumber, svg)


def inline_local_data(spec, files: dict[str, bytes]):
    """Return ``spec`` with data URLs that point at site files (``../assets/...``) replaced by the
    files' parsed content, so vl-convert can draw the static SVG without fetching anything. (``../``
    is :data:`generator.locations.CHART_ROOT`, written here as it is: the drawing workers import
    nothing else of the package.)"""
    if isinstance(spec, list):
        return [inline_local_data(item, files) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {k: inline_local_data(v, files) for k, v in spec.items()}
    url = spec.get("url")
    if isinstance(url, str) and url.startswith("../") and url[3:] in files:
        del out["url"]
        out["values"] = json.loads(files[url[3:]])
    return out


#: Width in pixels of the static drawings. The pages' charts fit their container; a static drawing
#: has none (vl-convert then used 300 px, too narrow for the target charts' labels), and a fixed
#: width also skips autosize's second layout pass: 51 ms instead of 79 ms for a small bar chart
#: (text measurement is most of vl-convert's time). The SVG scales with the page by its viewBox.
STATIC_WIDTH = 640


def static_spec(spec: dict, files: dict[str, bytes]) -> dict:
    """The spec as drawn for the static SVG: site files inlined, :data:`STATIC_WIDTH` wide."""
    out = inline_local_data(spec, files)
    out["width"] = STATIC_WIDTH
    out.pop("autosize", None)
    return out


def draw(spec: dict, vl_version: str) -> bytes:
    """Draw a Vega-Lite ``spec`` (data inline) as SVG bytes with stable ids.

    Raises:
        ValueError: vl-convert could not compile or draw the spec (its message).
    """
    return stable_ids(vl_convert.vegalite_to_svg(spec, vl_version=vl_version)).encode()


def workers() -> int:
    """Worker processes for drawing: one per CPU, at most 4. Measured at 1× synthetic data on 2 CPUs
    (42 charts): with 1 worker the build still waited 3.2 s for SVGs after the pages were done,
    with 2 workers 0.75 s (the pages render slower meanwhile, but less than that)."""
    return max(1, min(4, os.cpu_count() or 1))


class SvgJobs:
    """The SVGs of a set of charts: read from the cache, or drawn while the caller does other work.

    ``charts`` maps a chart name to ``(spec dict, spec bytes)``; the cache key is a hash of the
    spec bytes, the vl-convert version, the Vega-Lite version and :data:`STATIC_WIDTH`. With two or more SVGs to draw
    and ``parallel``, they are drawn by :func:`workers` subprocesses; otherwise in this process,
    when :meth:`result` is called. Use as a context manager so the workers stop on every path.

    Raises (from :meth:`result`):
        ValueError: vl-convert failed on a spec (its message), in this process or a worker.
    """

    def __init__(
        self,
        charts: dict[str, tuple[dict, bytes]],
        vl_version: str,
        cache: Path | None,
        files: dict[str, bytes] | None = None,
        parallel: bool = True,
    ):
        self.vl_version, self.files = vl_version, files or {}
        self.svgs: dict[str, bytes] = {}
        self.keys: dict[str, Path | None] = {}
        self.todo: dict[str, dict] = {}
        for name, (spec, spec_bytes) in sorted(charts.items()):
            key = hashlib.sha256(
                spec_bytes + vl_convert.__version__.encode() + vl_version.encode() + f"w{STATIC_WIDTH}".encode()
            ).hexdigest()
            cached = cache / "svg" / f"{key}.svg" if cache else None
            if cached and cached.is_file():
                self.svgs[name] = cached.read_bytes()
            else:
                self.keys[name], self.todo[name] = cached, spec
        self._procs: list[tuple[subprocess.Popen, Path, Path]] = []
        self._tmp: tempfile.TemporaryDirectory | None = None
        if parallel and len(self.todo) > 1:
            self._start(min(workers(), len(self.todo)))

    def _start(self, count: int) -> None:
        """Split the charts to draw over ``count`` workers, largest first in turn, and start them."""
        self._tmp = tempfile.TemporaryDirectory(prefix="atlas-svg-")
        jobs = [[] for _ in range(count)]
        sized = sorted(self.todo.items(), key=lambda item: -len(json.dumps(item[1])))
        for i, (name, spec) in enumerate(sized):
            jobs[i % count].append({"name": name, "spec": static_spec(spec, self.files)})
        for i, batch in enumerate(jobs):
            job, out = Path(self._tmp.name) / f"jobs-{i}.json", Path(self._tmp.name) / f"svgs-{i}.json"
            job.write_text(json.dumps({"vl_version": self.vl_version, "charts": batch}, ensure_ascii=False), "utf-8")
            proc = subprocess.Popen(
                [sys.executable, "-m", "generator.svg", str(job), str(out)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            self._procs.append((proc, job, out))

    def __enter__(self) -> SvgJobs:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop any worker still running and remove the temporary files."""
        for proc, _, _ in self._procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()
        self._procs = []
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def result(self) -> dict[str, bytes]:
        """Return ``{chart name: SVG bytes}`` for every chart, writing newly drawn ones to the cache."""
        drawn: dict[str, bytes] = {}
        for proc, _, out in self._procs:
            _, err = proc.communicate()
            if proc.returncode != 0:
                self.close()
                raise ValueError(f"drawing a chart SVG failed: {err.strip()[-2000:]}")
            drawn.update({name: svg.encode() for name, svg in json.loads(out.read_text("utf-8")).items()})
        self.close()
        for name in sorted(self.todo):
            svg = drawn[name] if name in drawn else draw(static_spec(self.todo[name], self.files), self.vl_version)
            self.svgs[name] = svg
            cached = self.keys[name]
            if cached:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_bytes(svg)
                os.replace(tmp, cached)
        return dict(sorted(self.svgs.items()))


def _worker(job: str, out: str) -> int:
    """Draw every chart of the JSON file ``job`` into the JSON file ``out`` (``{name: svg text}``);
    on a vl-convert error print it and return 1."""
    task = json.loads(Path(job).read_text("utf-8"))
    svgs = {}
    for chart in task["charts"]:
        try:
            svgs[chart["name"]] = draw(chart["spec"], task["vl_version"]).decode()
        except ValueError as exc:
            print(f"chart {chart['name']}: {exc}", file=sys.stderr)
            return 1
    Path(out).write_text(json.dumps(svgs, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_worker(*sys.argv[1:3]))
