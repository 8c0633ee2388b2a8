"""The command-line interface, ``python -m generator COMMAND``.

Every command is registered in :data:`COMMANDS`, the one list that the parser, ``--help`` and the
README's command check (tests/test_commands.py) read. Exceptions of :mod:`generator.errors` become
exit codes here only, in :func:`run`: 0 success, 1 invalid data or failed build, 2 usage error
(one kind, :class:`generator.errors.UsageError`, whether the command line or a command found it).
"""

from __future__ import annotations

import errno
import re
import shlex
import sys
import traceback
from pathlib import Path

import click

from .dev.commands import bench, synth
from .engines import DEFAULT_ENGINE, ENGINES
from .errors import AtlasError, DataInvalid, UsageError
from .scaffold import CHOICES
from .terminal import report_problems, terminal_line
from .validate import validate_data

DATA = Path("data")
CACHE = Path(".cache")
SCHEMA = Path("schema")
#: How the commands are run, as ``--help`` and the usage errors name it.
PROGRAM = "python -m generator"


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
    project is not installed (run from a source tree).

    Raises:
        AtlasError: naming the first missing package (exit code 1).
    """
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
        raise AtlasError(f"{missing[0]}{others} of the [site] extra not installed; run: make site")


def _data_option(text: str = "The data folder."):
    """The ``--data`` option of the commands that read records (``data_dir``, default ``data``),
    with ``text`` as its help."""
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DATA,
        show_default=True,
        help=text,
    )


def _require_folder(data_dir: Path) -> None:
    """Raise :class:`~generator.errors.UsageError` when the data folder ``data_dir`` does not exist."""
    if not data_dir.is_dir():
        raise UsageError(f"the data folder {data_dir} does not exist")


@click.group()
@click.option("--debug", is_flag=True, help="Print the Python traceback of a failure before its one-line message.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Metaverse Policy Atlas: validate the records and build the site."""
    ctx.ensure_object(dict).update(
        debug=debug, command=ctx.invoked_subcommand
    )  # the dict run() reads when a command fails


def say(text: object, err: bool = False) -> None:
    """Print one line of output that may hold contributor text, escaped by
    :func:`generator.terminal.terminal_line` (one line, no workflow command)."""
    click.echo(terminal_line(text), err=err)


@click.command()
@_data_option()
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the validation cache in .cache/.")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def validate(data_dir: Path, no_cache: bool, files: tuple[Path, ...]) -> None:
    """Check every record under --data; print problems as path:line:col: field: message [code].

    With FILES, all records are still loaded (references cross files) but only problems in FILES
    are printed. Exit 0 when valid, 1 when not, 2 on a usage error.
    """
    _require_folder(data_dir)
    folders = [str(f) for f in files if f.is_dir()]
    if folders:
        raise UsageError(f"{', '.join(folders)} is a folder: name record files, or name none to check every record")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    result = validate_data(data_dir, None if no_cache else CACHE)
    wanted = {f.resolve() for f in files}
    problems = [p for p in result.problems if not wanted or Path(p.path).resolve() in wanted]
    if problems:
        report_problems(problems, f"{result.loaded.files} file(s) read.")
        sys.exit(1)
    click.echo(f"OK: {result.record_count()} records and targets in {result.loaded.files} file(s), no problems.")


@click.command()
@_data_option()
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Where MkDocs writes the site.",
)
@click.option(
    "--content-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
    help="Where the generated Markdown goes.",
)
@click.option("--no-engine", is_flag=True, help="Generate content/ only; do not run MkDocs.")
@click.option("--site-url", help="Publishing build: the address the site is published at (with --repository).")
@click.option("--repository", help="Publishing build: the repository, OWNER/REPO or its https URL (with --site-url).")
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default=DEFAULT_ENGINE,
    envvar="ATLAS_ENGINE",
    show_default=True,
    help="The site engine (or $ATLAS_ENGINE; make site ENGINE=zensical sets it).",
)
def build(
    data_dir: Path,
    site_dir: Path,
    content_dir: Path,
    no_engine: bool,
    site_url: str | None,
    repository: str | None,
    engine: str,
) -> None:
    """Validate the data, generate the pages into content/ and build the site with MkDocs.

    Without --site-url and --repository the build is local: its links point at http://127.0.0.1:8000/."""
    _require_site_extra()
    from .build import Paths, build as run_build
    from .settings import Settings, SettingsError

    _require_folder(data_dir)
    try:
        settings = Settings.from_options(site_url, repository)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    paths = Paths(data=data_dir, content=content_dir, site=site_dir, settings=settings, engine=engine)
    with _progress() as progress:
        report = run_build(paths, progress=progress, engine=not no_engine)
    click.echo(f"Built {site_dir if not no_engine else content_dir}: {report.summary()}")


@click.command()
@click.argument("kind", type=click.Choice(CHOICES))
@click.option("--id", "record_id", required=True, help="The new record's id (lowercase slug).")
@click.option("--jurisdiction", help="Documents: the jurisdiction id (decides the folder).")
@click.option("--published", help="Sources: the day (or month, or year) the page was published (decides the folder).")
@_data_option()
def new(kind: str, record_id: str, jurisdiction: str | None, published: str | None, data_dir: Path) -> None:
    """Write a commented template for a new record where it belongs (jurisdiction: print a CSV row to paste)."""
    from .scaffold import ROWS, csv_row, new_record

    if kind in ROWS:
        _require_folder(data_dir)
        rows, file = csv_row(kind, record_id, data_dir)
        click.echo(rows, nl=False)
        click.echo(
            f"# fill in the second line and append only it (the first shows the columns) to {data_dir / file}, "
            "the file of its country; then run validate",
            err=True,
        )
        return
    path = new_record(kind, record_id, data_dir, SCHEMA, jurisdiction, published)
    data = "" if data_dir == DATA else f" --data {shlex.quote(str(data_dir))}"
    click.echo(f"Wrote {path}; fill it in, then run: {_python()} -m generator validate{data} {shlex.quote(str(path))}")


@click.command()
@_data_option()
@click.option("--check", is_flag=True, help="List the moves without making them; exit 1 when any is needed.")
def relocate(data_dir: Path, check: bool) -> None:
    """Move every record file, and every jurisdiction row, to where the layout rule puts it
    (CONTRIBUTING.md#layout); print each move. Records that do not load are left where they are."""
    from .layout import apply_moves, plan_moves
    from .loader import load_data

    _require_folder(data_dir)
    moves = plan_moves(load_data(data_dir))
    for move in moves:
        rows = f" ({len(move.rows)} row(s))" if move.rows else ""
        say(f"{'would move' if check else 'moved'} {data_dir / move.source} -> {data_dir / move.target}{rows}")
    if not check:
        apply_moves(data_dir, moves)
    files = sum(1 for m in moves if not m.rows)
    rows = sum(len(m.rows) for m in moves)
    if check and moves:
        click.echo(
            f"{files} file(s) and {rows} row(s) are not where they belong; run: {_python()} -m generator relocate"
        )
        sys.exit(1)
    click.echo(
        f"{'Moved' if moves else 'Nothing to move:'} {files} file(s) and {rows} "
        f"row(s){'; record the moves with: git add -A ' + shlex.quote(str(data_dir)) if moves and not check else ''}."
    )


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=SCHEMA, show_default=True)
def schema(out: Path) -> None:
    """Export the records' JSON Schema (generated from the models) for editors and CI."""
    from .scaffold import write_schemas

    for path in write_schemas(out):
        click.echo(f"Wrote {path}")


@click.command()
@_data_option()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
def serve(data_dir: Path, port: int) -> None:
    """Preview with live reload: MkDocs serves content/, and edits under data/ and pages/
    regenerate only the pages that change."""
    _require_folder(data_dir)
    _require_site_extra()
    from .serve import serve as run_serve

    run_serve(data_dir, port)


# Reviewing changes (issue 6): `diff` for pull requests, `linkcheck` for the cited pages.


@click.command()
@click.argument("base")
@click.argument("head")
@_data_option("The data folder, relative to the working directory inside the git checkout.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "github"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for $GITHUB_STEP_SUMMARY, github for ::error annotations.",
)
def diff(base: str, head: str, data_dir: Path, fmt: str) -> None:
    """Compare the records of two git revisions BASE and HEAD.

    Prints the records added, changed and removed by kind, the site pages they affect, and the
    validation problems of HEAD. Exit 0 when HEAD's data is valid, 1 when not, 2 on a usage error
    (such as a revision that is not in the checkout).
    """
    from .diff import FORMATS, diff_revisions

    result = diff_revisions(base, head, data_dir)
    click.echo(FORMATS[fmt](result), nl=False)
    if result.problems:
        sys.exit(1)


@click.command()
@_data_option()
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True, help="Seconds to wait for each URL."
)
@click.option(
    "--workers", type=click.IntRange(min=1, max=32), default=8, show_default=True, help="URLs checked at the same time."
)
def linkcheck(data_dir: Path, timeout: float, workers: int) -> None:
    """Check that every source URL still answers (needs internet; not part of the tests).

    Prints each dead or failing URL with the source ids citing it and a Wayback Machine lookup to
    try by hand; records are never changed. Exit 0 when every URL answered, 1 when some did not.
    """
    from .linkcheck import check_sources, format_report
    from .validate import require_valid

    _require_folder(data_dir)
    validated = require_valid(data_dir)
    results = check_sources(
        validated.loaded, timeout=timeout, workers=workers, progress=lambda r: click.echo(r.line(), err=True)
    )
    report, dead = format_report(results)
    click.echo(report, nl=False)
    if dead:
        sys.exit(1)


#: Every command of ``python -m generator``: the one place a command is registered. Each entry is a
#: click command, which carries its name, help text and function; the parser and ``--help`` read
#: them from :data:`main` (``--help`` lists them alphabetically), and tests/test_commands.py checks
#: that the README shows each. The development tools come from :mod:`generator.dev.commands`.
COMMANDS: tuple[click.Command, ...] = (validate, build, new, relocate, schema, serve, diff, linkcheck, synth, bench)
for _command in COMMANDS:
    main.add_command(_command)


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
    errno.EACCES: (
        "check the permissions of the file and its folder (and, on Linux, immutable flags: lsattr), or build into "
        "another folder"
    ),
    errno.EPERM: (
        "check the permissions of the file and its folder (and, on Linux, immutable flags: lsattr), or build into "
        "another folder"
    ),
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

    A usage error, whether click's parser found it (unknown option, bad value) or a command raised
    :class:`~generator.errors.UsageError`, prints one line ``error: MESSAGE``. Invalid data prints
    every problem, then a count. Operating-system errors (disk full, read-only, permission) and
    unexpected errors print one line saying what to do; with ``--debug`` the Python traceback comes
    before that line, and the exit code is the same.
    """
    state = {"debug": False}
    try:
        try:
            main(args=argv, prog_name=PROGRAM, standalone_mode=False, obj=state)
        except click.UsageError as exc:
            raise UsageError(_usage_message(exc)) from None
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        say("Aborted.", err=True)
        sys.exit(130)
    except UsageError as exc:
        say(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except DataInvalid as exc:
        report_problems(exc.problems, "nothing was written.", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # the edge of the program: everything else becomes one line (issue 14)
        if state["debug"]:
            traceback.print_exc()
        say(
            _failure_message(exc)
            + (_KEPT if state.get("command") == "build" and not isinstance(exc, AtlasError) else ""),
            err=True,
        )
        sys.exit(exc.exit_code if isinstance(exc, AtlasError) else 1)


def _usage_message(exc: click.UsageError) -> str:
    """Click's message for a command line it cannot parse, with the command whose help lists the
    options when click knows it: ``No such option '--x' (see .venv/bin/python -m generator validate --help)``."""
    message = exc.format_message().rstrip(".")
    if not exc.ctx:
        return message
    # click's command path starts "python -m generator"; the interpreter that has the project
    # installed is this one (a bare python may lack the dependencies)
    command = exc.ctx.command_path.replace("python -m generator", f"{_python()} -m generator", 1)
    return f"{message} (see {command} --help)"


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, AtlasError):
        return f"error: {exc}"
    if isinstance(exc, OSError):
        return os_error_message(exc)
    if isinstance(exc, MemoryError):
        return "error: out of memory; close other programs or run on a larger machine."
    return (
        f"internal error ({type(exc).__name__}: {exc}); this is a bug in the generator: run again with --debug for the "
        "traceback and report it"
    )
