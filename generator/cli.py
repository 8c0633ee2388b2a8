"""The command-line interface. Exceptions of :mod:`generator.errors` become exit codes here only:
0 success, 1 invalid data or failed build, 2 usage error."""

from __future__ import annotations

import errno
import re
import shlex
import sys
from pathlib import Path

import click

from .errors import AtlasError, DataInvalid
from .scaffold import CHOICES
from .terminal import terminal_line
from .validate import validate_data

DATA = Path("data")
CACHE = Path(".cache")
SCHEMA = Path("schema")


def _python() -> str:
    """This interpreter as a shell word that runs from the working directory: ``.venv/bin/python``
    for the project's own environment, else an absolute path (a bare ``python`` may be another
    interpreter without the project, or none at all)."""
    exe, cwd = Path(sys.executable), Path.cwd()
    if not exe.is_relative_to(cwd):
        return shlex.quote(str(exe))
    relative = exe.relative_to(cwd)
    return shlex.quote(str(relative) if len(relative.parts) > 1 else f"./{relative}")


def _require_site_extra() -> None:
    """Fail with the command that installs the ``[site]`` extra of pyproject.toml when one of its
    packages is missing (``make validate`` installs none of them), instead of a traceback on the
    first import. The list is the installed project's metadata; nothing is checked when the
    project is not installed (run from a source tree)."""
    from importlib import metadata

    try:
        requires = metadata.requires("metaverse-policy-atlas") or []
    except metadata.PackageNotFoundError:
        return
    missing = []
    for requirement in requires:
        name, _, marker = requirement.partition(";")
        if 'extra == "site"' in marker.replace("'", '"'):
            dist = re.split(r"[\s<>=!~\[(]", name.strip(), maxsplit=1)[0]
            try:
                metadata.distribution(dist)
            except metadata.PackageNotFoundError:
                missing.append(dist)
    if missing:
        others = f" and {len(missing) - 1} other package(s)" if len(missing) > 1 else ""
        raise click.ClickException(f"{missing[0]}{others} of the [site] extra not installed; run: make site")


def _data_option(func):
    return click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=DATA, show_default=True, help="The data folder.")(func)


@click.group()
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Metaverse Policy Atlas: validate the records and build the site."""
    ctx.ensure_object(dict).update(debug=debug, command=ctx.invoked_subcommand)  # the dict run() reads when a command fails


def say(text: object, err: bool = False) -> None:
    """Print one line of output that may hold contributor text, escaped by
    :func:`generator.terminal.terminal_line` (one line, no workflow command)."""
    click.echo(terminal_line(text), err=err)


@main.command()
@_data_option
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the validation cache in .cache/.")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def validate(data_dir: Path, no_cache: bool, files: tuple[Path, ...]) -> None:
    """Check every record under --data; print problems as path:line:col: field: message [code].

    With FILES, all records are still loaded (references cross files) but only problems in FILES
    are printed. Exit 0 when valid, 1 when not, 2 on a usage error.
    """
    if not data_dir.is_dir():
        raise click.UsageError(f"the data folder {data_dir} does not exist")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise click.UsageError(f"no such file: {', '.join(missing)}")
    result = validate_data(data_dir, None if no_cache else CACHE)
    wanted = {f.resolve() for f in files}
    problems = [p for p in result.problems if not wanted or Path(p.path).resolve() in wanted]
    for problem in problems:
        say(problem.format())
    files_with = len({p.path for p in problems})
    if problems:
        click.echo(f"{len(problems)} problem(s) in {files_with} file(s); {result.loaded.files} file(s) read.", err=False)
        sys.exit(1)
    click.echo(f"OK: {result.record_count()} records and targets in {result.loaded.files} file(s), no problems.")


@main.command()
@_data_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True, help="Where MkDocs writes the site.")
@click.option("--content-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("content"), show_default=True, help="Where the generated Markdown goes.")
@click.option("--no-engine", is_flag=True, help="Generate content/ only; do not run MkDocs.")
@click.option("--site-url", help="Publishing build: the address the site is published at (with --repository).")
@click.option("--repository", help="Publishing build: the repository, OWNER/REPO or its https URL (with --site-url).")
def build(data_dir: Path, site_dir: Path, content_dir: Path, no_engine: bool, site_url: str | None, repository: str | None) -> None:
    """Validate the data, generate the pages into content/ and build the site with MkDocs.

    Without --site-url and --repository the build is local: its links point at http://127.0.0.1:8000/."""
    _require_site_extra()
    from .build import Paths, build as run_build
    from .settings import Settings, SettingsError

    if not data_dir.is_dir():
        raise click.UsageError(f"the data folder {data_dir} does not exist")
    try:
        settings = Settings.from_options(site_url, repository)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    paths = Paths(data=data_dir, content=content_dir, site=site_dir, settings=settings)
    with _progress() as progress:
        report = run_build(paths, progress=progress, engine=not no_engine)
    click.echo(f"Built {site_dir if not no_engine else content_dir}: {report.summary()}")


@main.command()
@click.argument("kind", type=click.Choice(CHOICES))
@click.option("--id", "record_id", required=True, help="The new record's id (lowercase slug).")
@click.option("--jurisdiction", help="Documents: the jurisdiction id.")
@_data_option
def new(kind: str, record_id: str, jurisdiction: str | None, data_dir: Path) -> None:
    """Write a commented template for a new record (jurisdiction: print a CSV row to paste)."""
    from .scaffold import ROWS, csv_row, new_record

    if kind in ROWS:
        click.echo(csv_row(kind, record_id), nl=False)
        click.echo(f"# paste the second line into a CSV file under {data_dir / ROWS[kind].name} (same header)", err=True)
        return
    path = new_record(kind, record_id, data_dir, SCHEMA, jurisdiction)
    data = "" if data_dir == DATA else f" --data {shlex.quote(str(data_dir))}"
    click.echo(f"Wrote {path}; fill it in, then run: {_python()} -m generator validate{data} {shlex.quote(str(path))}")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=SCHEMA, show_default=True)
def schema(out: Path) -> None:
    """Export the records' JSON Schema (generated from the models) for editors and CI."""
    from .scaffold import write_schemas

    for path in write_schemas(out):
        click.echo(f"Wrote {path}")


@main.command()
@_data_option
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(data_dir: Path, port: int) -> None:
    """Preview with live reload: MkDocs serves content/, and edits under data/ and pages/
    regenerate only the pages that change."""
    _require_site_extra()
    from .serve import serve as run_serve

    run_serve(data_dir, port)


class _progress:
    """A rich status line naming the running stage (plain lines when output is not a terminal)."""

    def __enter__(self):
        from rich.console import Console

        self.console = Console(stderr=True)
        self.status = self.console.status("starting") if self.console.is_terminal else None
        if self.status:
            self.status.start()
        return self.update

    def update(self, stage: str) -> None:
        if self.status:
            self.status.update(f"[bold]{stage}[/bold]…")
        else:
            self.console.print(f"{stage}…", highlight=False)

    def __exit__(self, *exc):
        if self.status:
            self.status.stop()


#: What to do about an operating-system error, by errno (the message names the file and the error).
OS_ADVICE = {
    errno.ENOSPC: "free some disk space and run again",
    errno.EDQUOT: "free some space within your disk quota and run again",
    errno.EROFS: "the file system is read-only: build into a writable folder (--site-dir, --content-dir) or remount it",
    errno.EACCES: "check the permissions of the file and its folder (and, on Linux, immutable flags: lsattr), or build into another folder",
    errno.EPERM: "check the permissions of the file and its folder (and, on Linux, immutable flags: lsattr), or build into another folder",
    errno.ENOENT: "a file or folder is missing: check the path and run again",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) and run again",
}


_KEPT = " The last good content/ and site/ were kept."


def os_error_message(exc: OSError) -> str:
    """Return one line for an operating-system error: what failed, on which file, what to do."""
    name = errno.errorcode.get(exc.errno or 0, "")
    where = f" ({exc.filename})" if exc.filename else ""
    advice = OS_ADVICE.get(exc.errno, "check the file and run again")
    return f"error: {exc.strerror or exc}{f' [{name}]' if name else ''}{where}; {advice}."


def run(argv: list[str] | None = None) -> None:
    """Entry point: run the command and turn every failure into one clear message and an exit
    code (0 success, 1 invalid data or failed build, 2 usage error; 130 when interrupted).
    Operating-system errors (disk full, read-only, permission) and unexpected errors print one
    line saying what to do; a traceback only with ``--debug``."""
    state = {"debug": False}
    try:
        main(args=argv, standalone_mode=False, obj=state)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        say("Aborted.", err=True)
        sys.exit(130)
    except DataInvalid as exc:
        for problem in exc.problems:
            say(problem.format(), err=True)
        say(f"{len(exc.problems)} problem(s); nothing was written.", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # the edge of the program: everything else becomes one line (issue 14)
        if state["debug"]:
            raise
        say(_failure_message(exc) + (_KEPT if state.get("command") == "build" and not isinstance(exc, AtlasError) else ""), err=True)
        sys.exit(exc.exit_code if isinstance(exc, AtlasError) else 1)


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, AtlasError):
        return f"error: {exc}"
    if isinstance(exc, OSError):
        return os_error_message(exc)
    if isinstance(exc, MemoryError):
        return "error: out of memory; close other programs or run on a larger machine."
    return f"internal error ({type(exc).__name__}: {exc}); this is a bug in the generator: run again with --debug for the traceback and report it"


@main.command()
@click.option("--scale", type=click.FloatRange(min=0, min_open=True, max=1000), required=True, help="1 = 1,000 documents with ~150 jurisdictions, ~1,500 targets and ~1,500 sources.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="A new or empty folder (never the project's data/).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same scale and seed give byte-identical files.")
def synth(scale: float, out: Path, seed: int) -> None:
    """Write a synthetic but valid data folder for scale tests (issue #8)."""
    from .synth import check_destination, synthesize, write_data

    check_destination(out)
    synthetic = synthesize(scale, seed)
    write_data(synthetic.files, out)
    counts = ", ".join(f"{n:,} {kind}" for kind, n in synthetic.counts.items())
    click.echo(f"Wrote {len(synthetic.files):,} files to {out}: {counts}.")


@main.group(invoke_without_command=True)
@click.option("--scales", default="1,10,100", show_default=True, help="Comma-separated scales to build (1 = 1,000 documents).")
@click.option("--budget-minutes", type=float, default=15, show_default=True, help="Stop, or build a smaller last scale, when the estimate does not fit.")
@click.pass_context
def bench(ctx: click.Context, scales: str, budget_minutes: float) -> None:
    """Benchmarks on synthetic data under bench-out/ (not part of the tests).

    Without a subcommand: full builds at each scale, then ratios, page weight and an incremental
    regenerate (issue #8).
    """
    if ctx.invoked_subcommand is not None:
        return
    from .bench import bench_build

    try:
        chosen = tuple(float(s) for s in scales.split(","))
    except ValueError:
        raise click.UsageError(f"--scales takes numbers separated by commas, not {scales!r}") from None
    bench_build(chosen, budget_minutes * 60, echo=click.echo)


@bench.command("validate")
@click.option("--records", type=int, multiple=True, default=(1_000, 10_000), show_default=True, help="Approximate records (documents + sources + jurisdictions + targets); repeatable.")
@click.option("--runs", type=click.IntRange(min=1), default=3, show_default=True, help="Runs per measurement; the median is shown.")
def bench_validate(records: tuple[int, ...], runs: int) -> None:
    """Time validate cold, warm and after one edit (issue #2)."""
    from .bench import bench_validate as run_bench

    run_bench(records, runs, echo=click.echo)


@bench.command("profile")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1, show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True, help="How many functions to list.")
def bench_profile(scale: float, top: int) -> None:
    """Profile the generator (validate + transform + render) with cProfile, cold caches."""
    from .bench import profile_generate

    profile_generate(scale, top, echo=click.echo)


@bench.command("generator")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=100, show_default=True)
def bench_generator(scale: float) -> None:
    """Time the generator alone (no site engine), cold then warm, at one scale: for scales whose
    full build does not fit in make bench's budget (100× here: MkDocs alone would take ~30 min)."""
    from .bench import bench_generator_only

    bench_generator_only(scale, echo=click.echo)


# Reviewing changes (issue 6): `diff` for pull requests, `linkcheck` for the cited pages.
from .cli_checks import diff as _diff_command, linkcheck as _linkcheck_command  # noqa: E402

main.add_command(_diff_command)
main.add_command(_linkcheck_command)
