"""Commands for reviewing changes (issue 6): ``diff`` (what a pull request changes in the data)
and ``linkcheck`` (are the cited pages still there). Registered on the main group in
:mod:`generator.cli`; errors become exit codes there (:func:`generator.cli.run`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("base")
@click.argument("head")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"), show_default=True,
              help="The data folder, relative to the working directory inside the git checkout.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "github"]), default="text", show_default=True,
              help="text for a terminal, markdown for $GITHUB_STEP_SUMMARY, github for ::error annotations.")
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
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"), show_default=True,
              help="The data folder.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=15.0, show_default=True, help="Seconds to wait for each URL.")
@click.option("--workers", type=click.IntRange(min=1, max=32), default=8, show_default=True, help="URLs checked at the same time.")
def linkcheck(data_dir: Path, timeout: float, workers: int) -> None:
    """Check that every source URL still answers (needs internet; not part of the tests).

    Prints each dead or failing URL with the source ids citing it and a Wayback Machine lookup to
    try by hand; records are never changed. Exit 0 when every URL answered, 1 when some did not.
    """
    from .linkcheck import check_sources, format_report
    from .validate import require_valid

    if not data_dir.is_dir():
        raise click.UsageError(f"the data folder {data_dir} does not exist")
    validated = require_valid(data_dir)
    results = check_sources(validated.loaded, timeout=timeout, workers=workers, progress=lambda r: click.echo(r.line(), err=True))
    report, dead = format_report(results)
    click.echo(report, nl=False)
    if dead:
        sys.exit(1)
