"""The development commands, ``synth`` and ``bench`` (issue #8), registered with the others in
:data:`generator.cli.COMMANDS`. Each imports its tool only when it runs, so loading the command
line loads neither :mod:`generator.dev.synth` nor :mod:`generator.dev.bench`."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError


@click.command()
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True, max=1000),
    required=True,
    help="1 = 1,000 documents with ~150 jurisdictions, ~1,500 targets and ~1,500 sources.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="A new or empty folder (never the project's data/).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="The same scale and seed give byte-identical files."
)
def synth(scale: float, out: Path, seed: int) -> None:
    """Write a synthetic but valid data folder for scale tests (issue #8)."""
    from .synth import check_destination, synthesize, write_data

    check_destination(out)
    synthetic = synthesize(scale, seed)
    write_data(synthetic.files, out)
    counts = ", ".join(f"{n:,} {kind}" for kind, n in synthetic.counts.items())
    click.echo(f"Wrote {len(synthetic.files):,} files to {out}: {counts}.")


@click.group(invoke_without_command=True)
@click.option(
    "--scales", default="1,10,100", show_default=True, help="Comma-separated scales to build (1 = 1,000 documents)."
)
@click.option(
    "--budget-minutes",
    type=float,
    default=15,
    show_default=True,
    help="Stop, or build a smaller last scale, when the estimate does not fit.",
)
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
        raise UsageError(f"--scales takes numbers separated by commas, not {scales!r}") from None
    bench_build(chosen, budget_minutes * 60, echo=click.echo)


@bench.command("validate")
@click.option(
    "--records",
    type=int,
    multiple=True,
    default=(1_000, 10_000),
    show_default=True,
    help="Approximate records (documents + sources + jurisdictions + targets); repeatable.",
)
@click.option(
    "--runs",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Runs per measurement; the median is shown.",
)
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
