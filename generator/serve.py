"""``make serve``: MkDocs' live-reload server beside a watcher that reruns the generator.

MkDocs watches ``content/``; this process watches ``data/``, ``pages/``, ``CONTRIBUTING.md`` and
the templates (watchfiles) and rewrites only the generated files whose bytes changed, so the
browser reloads after each save. No MkDocs hook or plugin is involved.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import click
from watchfiles import watch

from .build import Paths, Preview, regenerate
from .errors import AtlasError, DataInvalid
from .render import TEMPLATES, environment
from .terminal import report_problems, terminal_line


def _regenerate(paths: Paths, preview: Preview) -> None:
    start = time.perf_counter()
    try:
        report, changed = regenerate(paths, preview)
    except DataInvalid as exc:
        report_problems(exc.problems, "the preview keeps the last good pages.", err=True)
        return
    except AtlasError as exc:
        click.echo(terminal_line(f"error: {exc}"), err=True)
        return
    click.echo(f"Regenerated in {time.perf_counter() - start:.2f}s: {len(changed)} file(s) changed of {report.files}.")


def on_changes(changes, paths: Paths, preview: Preview) -> None:
    """Regenerate after ``changes`` (watchfiles' set of ``(change, path)``); when a template is among
    them, compile the templates afresh first (the environment does not stat them on every page)."""
    if any(Path(path).is_relative_to(TEMPLATES) for _, path in changes):
        environment.cache_clear()
    _regenerate(paths, preview)


def serve(data_dir: Path, port: int) -> None:
    """Generate once, start ``mkdocs serve`` on 127.0.0.1:``port``, regenerate on every change
    until Ctrl-C. Raises :class:`~generator.errors.AtlasError` subclasses as the build does."""
    paths = Paths(data=data_dir)
    preview = Preview()
    click.echo(f"Generating content/, then MkDocs builds the site and serves it on http://127.0.0.1:{port}/ ...")
    _regenerate(paths, preview)
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"])
    watched = [p for p in (paths.data, paths.pages, paths.contributing, TEMPLATES) if p.exists()]
    try:
        for changes in watch(*watched, stop_event=None, raise_interrupt=False):
            on_changes(changes, paths, preview)
            if server.poll() is not None:
                break
    finally:
        server.terminate()
        server.wait(timeout=10)
