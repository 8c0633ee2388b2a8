"""The command line's edge (generator/cli.py): one kind of usage error, printed one way with exit
code 2 (README, "Exit codes"); invalid data as every problem, then a count; ``--debug`` adds the
traceback of a failure and changes nothing else; every command registered in one list."""

from __future__ import annotations

import pytest
from conftest import BAD_DIR, apply_overlay, build_case, run_main
from test_cli_validate import TWO_PROBLEMS

from generator import cli

#: (arguments, the one line printed): click's parse errors and the UsageError of a command alike.
USAGE_ERRORS = [
    (["validate", "--bogus"], "error: No such option '--bogus' (see {py} -m generator validate --help)"),
    (
        ["validate", "--dat", "x"],
        "error: No such option '--dat'. Did you mean '--data'? (see {py} -m generator validate --help)",
    ),
    (["nosuch"], "error: No such command 'nosuch' (see {py} -m generator --help)"),
    (["new", "document"], "error: Missing option '--id' (see {py} -m generator new --help)"),
    (["validate", "--data", "{tmp}/nowhere"], "error: the data folder {tmp}/nowhere does not exist"),
    (["validate", "--data", "{tmp}", "{tmp}/typo.yaml"], "error: no such file: {tmp}/typo.yaml"),
    (
        ["new", "document", "--id", "Not_A_Slug", "--data", "{tmp}"],
        "error: 'Not_A_Slug' is not an id: use lowercase ASCII letters, digits and single hyphens",
    ),
    (
        ["build", "--data", "{tmp}", "--site-url", "https://owner.github.io/atlas"],
        "error: a publishing build needs both --site-url and --repository (make site "
        "SITE_URL=https://OWNER.github.io/REPO/ REPOSITORY=OWNER/REPO)",
    ),
    (["bench", "--scales", "1,ten"], "error: --scales takes numbers separated by commas, not '1,ten'"),
    (["synth", "--scale", "1", "--out", "data"], None),  # the project's own data/: the message names its absolute path
]


@pytest.mark.parametrize(("args", "line"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
@pytest.mark.parametrize("debug", [[], ["--debug"]], ids=["plain", "debug"])
def test_every_usage_error_is_one_line_and_exit_2(args, line, debug, tmp_path):
    result = run_main(*debug, *(a.format(tmp=tmp_path) for a in args))
    if line is None:
        line = (
            f"error: refusing to write synthetic records into the project's data folder ({(cli.DATA.resolve())}); "
            "choose another --out folder"
        )
    # the help hint names the interpreter that has the project installed, as every printed command does
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        line.format(tmp=tmp_path, py=cli._python()) + "\n",
    )


def test_invalid_data_prints_every_problem_then_a_count(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the build's cache and default folders
    build_case("repost-without-original", tmp_path / "data")
    apply_overlay(BAD_DIR / "deadline-before-document", tmp_path / "data")
    result = run_main("build", "--no-engine", "--data", "data")
    assert (result.returncode, result.stdout) == (1, "")
    # after the progress line of the stage that failed, as `validate` prints them (there to stdout)
    assert (
        result.stderr == "validate…\n" + "\n".join(TWO_PROBLEMS) + "\n2 problem(s) in 2 file(s); nothing was written.\n"
    )
    assert not (tmp_path / "content").exists()


def _fail(*args, **kwargs):
    raise ZeroDivisionError("division by zero")


def test_debug_adds_the_traceback_and_changes_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "validate_data", _fail)
    plain = run_main("validate", "--data", str(tmp_path))
    debug = run_main("--debug", "validate", "--data", str(tmp_path))
    line = (
        "internal error (ZeroDivisionError: division by zero); this is a bug in the generator: "
        "run again with --debug for the traceback and report it\n"
    )
    assert (plain.returncode, plain.stdout, plain.stderr) == (1, "", line)
    assert (debug.returncode, debug.stdout) == (1, "")
    assert debug.stderr.startswith("Traceback (most recent call last):\n") and debug.stderr.endswith(
        "ZeroDivisionError: division by zero\n" + line
    )
    assert "in _fail" in debug.stderr


def test_every_command_is_registered_once_in_the_registry():
    names = [command.name for command in cli.COMMANDS]
    assert len(names) == len(set(names))
    assert sorted(cli.main.commands) == sorted(names)
    assert {"validate", "build", "new", "relocate", "schema", "serve", "diff", "linkcheck", "synth", "bench"} == set(
        names
    )
    assert all(command.help for command in cli.COMMANDS)
