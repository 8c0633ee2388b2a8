"""Every command the tools print and the README and CONTRIBUTING show works as printed from the
repository root (issue 16, part 6): Makefile targets and variables that exist, ``python -m
generator`` commands and options that parse, tools that the project's ``.venv`` holds, and a preview
server that listens on 127.0.0.1 only. The command that ``new`` prints is run as printed."""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import ROOT, VALID_DIR, run_cli
from test_workflows import commands, make_targets

from generator.cli import COMMANDS, main

DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
#: Tools from outside the project that the documents may show (setup, git workflow, searching).
OUTSIDE_TOOLS = {"git", "cd", "grep", "apt-get", "sudo"}
#: Placeholders in the documents' command synopses, with a sample value the parser accepts.
PLACEHOLDERS = {"N": "1", "SECONDS": "1"}
_SUGGESTION = re.compile(r"run:? `([^`]+)`|run: ([^`(\n]+?)\s*(?:\(|$)|`((?:make |npm |python|\.venv/|\{\} )[^`]*)`")
_PYTHON = {".venv/bin/python", "{}"}  # `{}`: the interpreter a message fills in (see the `new` test)


def make_variables() -> set[str]:
    """The variables the Makefile assigns."""
    return set(re.findall(r"^([A-Z_]+)\s*[?:]?=", (ROOT / "Makefile").read_text("utf-8"), re.M))


def _generator(args: list[str]) -> None:
    """Fail unless ``args`` (after ``-m generator``) name a command whose options parse."""
    command, path = main, []
    group_flags = {name for param in main.params for name in param.opts if param.is_flag}
    while args and args[0] in group_flags:  # options of the group itself, such as --debug
        args = args[1:]
    while isinstance(command, click.Group) and args and args[0] in command.commands:
        command, path, args = command.commands[args[0]], [*path, args[0]], args[1:]
    assert path or args == ["--help"], f"no generator command in {args}"
    try:
        command.make_context(" ".join(path), list(args))
    except click.exceptions.Exit:
        pass  # --help
    except click.UsageError as exc:
        pytest.fail(f"generator {' '.join(path)} {' '.join(args)}: {exc}")


def _sample(word: str) -> str | None:
    """A synopsis word as a value the parser accepts: placeholders filled, ``...`` dropped."""
    if word == "...":
        return None
    if re.fullmatch(r"[A-Z][A-Z_-]*", word):
        return PLACEHOLDERS.get(word, "x")
    return word


def check(words: list[str], where: str) -> None:
    """Fail unless ``words`` is a command that works from the repository root (see module doc)."""
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        words = words[1:]
    words = [w for w in map(_sample, words) if w is not None]
    first = words[0]
    if first == "make":
        targets = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
        assert targets and set(targets) <= make_targets(), f"{where}: unknown make target in {words}"
        assert {w.split("=")[0] for w in words[1:] if "=" in w} <= make_variables(), (
            f"{where}: unknown make variable in {words}"
        )
    elif first in _PYTHON and words[1:3] == ["-m", "generator"]:
        _generator(words[3:])
    elif first == ".venv/bin/python":
        assert words[1] == "-m" or (ROOT / words[1]).is_file(), f"{where}: no script {words[1]}"
    elif first.startswith(".venv/bin/"):
        assert (Path(sys.prefix) / "bin" / first.removeprefix(".venv/bin/")).exists(), (
            f"{where}: {first} is not in the project's .venv"
        )
    elif first == "python3":
        assert (
            words[1:3] == ["-m", "http.server"]
            and "--bind" in words
            and words[words.index("--bind") + 1] == "127.0.0.1"
        ), f"{where}: {words}: only the preview server, bound to 127.0.0.1"
    elif first == "npm":
        assert words[1] == "ci" and " ".join(words) in (ROOT / "Makefile").read_text("utf-8"), (
            f"{where}: {words} is not the Makefile's npm step"
        )
    else:
        assert first in OUTSIDE_TOOLS, f"{where}: {words} is not a make target, a generator command or a tool of .venv"


def _synopsis(line: str) -> str:
    """A synopsis as a command line: ``a|b|c`` (no spaces around the bar: not a pipe) becomes
    ``a``, ``<name>`` becomes ``x``, brackets go."""
    line = re.sub(r"<[\w-]+>", "x", line)
    return re.sub(r"([\w.-]+)(?:\|[\w.-]+)+", r"\1", line).replace("[", "").replace("]", "")


def doc_commands(path: Path) -> list[tuple[str, list[str]]]:
    """(where, words) of every command in ``path``: each line of a ``sh`` block, and inline code
    that starts like a command (``make``, ``python``, ``.venv/bin/``, ``npm``)."""
    text, found = path.read_text("utf-8"), []
    for block in re.finditer(r"^```sh\n(.*?)^```", text, re.M | re.S):
        start = text[: block.start()].count("\n") + 2
        # a line ending in a backslash continues on the next, as in the shell
        for offset, line in enumerate(block.group(1).replace("\\\n", " ").splitlines()):
            line = re.sub(r"\s+#.*$", "", line)
            found += [(f"{path.name}:{start + offset}", words) for words in commands(_synopsis(line))]
    for span in re.finditer(r"(?<!`)`((?:make |python3? |\.venv/bin/|npm )[^`]*)`(?!`)", text):
        line = text[: span.start()].count("\n") + 1
        found += [(f"{path.name}:{line}", words) for words in commands(_synopsis(span.group(1)))]
    return found


@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_every_command_in_the_documents_works_from_the_repository_root(path):
    found = doc_commands(path)
    assert len(found) >= 10
    for where, words in found:
        check(words, where)


def test_the_preview_server_listens_on_127_0_0_1_only():
    servers = [(where, words) for path in DOCS for where, words in doc_commands(path) if "http.server" in words]
    assert servers, "the README shows how to serve site/"
    for where, words in servers:
        assert "--bind" in words and words[words.index("--bind") + 1] == "127.0.0.1", where


def _messages() -> list[tuple[str, str]]:
    """(where, text) of every string the generator can print: literals that are not docstrings
    (f-string holes as ``{}``), and the comments of the record templates ``new`` writes."""
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        tree, name = ast.parse(path.read_text("utf-8")), path.relative_to(ROOT / "generator").as_posix()
        skip = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        skip |= {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                found.append(
                    (
                        f"{name}:{node.lineno}",
                        "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values),
                    )
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                found.append((f"{name}:{node.lineno}", node.value))
    for path in sorted((ROOT / "generator" / "templates" / "new").glob("*")):
        found += [
            (f"templates/new/{path.name}:{n}", line)
            for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
            if line.lstrip().startswith("#")
        ]
    return found


def suggested_commands() -> list[tuple[str, str]]:
    """(where, command) of every command a message of the generator suggests."""
    return [
        (where, next(g for g in match.groups() if g))
        for where, text in _messages()
        for match in _SUGGESTION.finditer(text)
    ]


def test_every_command_the_generator_suggests_exists():
    suggested = suggested_commands()
    # the scanner finds the suggestions known today (so that it cannot silently find nothing)
    assert {"make site", "make site ENGINE=zensical", "npm ci --ignore-scripts", "{} -m generator validate{} {}"} <= {
        c for _, c in suggested
    }
    for where, command in suggested:
        check(shlex.split(command.replace("validate{}", "validate")), where)


def _new_then_run_as_printed(cwd: Path, *data: str) -> tuple[str, str, subprocess.CompletedProcess]:
    """Run ``new document`` in ``cwd``, then the command it prints, as printed, in a shell there;
    return the file written, the command and the command's result."""
    proc = run_cli(
        "new", "document", "--id", "cn-hubei-wuhan-talent-2024", "--jurisdiction", "cn-hubei-wuhan", *data, cwd=cwd
    )
    assert proc.returncode == 0, proc.stderr
    printed = re.fullmatch(r"Wrote (\S+); fill it in, then run: (.+)\n", proc.stdout)
    assert printed, proc.stdout
    return (
        printed.group(1),
        printed.group(2),
        subprocess.run(printed.group(2), shell=True, cwd=cwd, capture_output=True, text=True, timeout=60),
    )


def test_new_prints_a_validate_command_that_checks_the_new_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    # From the repository root with --data: the project's interpreter, relative, and the folder.
    path, command, run = _new_then_run_as_printed(ROOT, "--data", str(data))
    python = Path(sys.executable)
    expected = str(python.relative_to(ROOT)) if python.is_relative_to(ROOT) else str(python)
    assert command == f"{shlex.quote(expected)} -m generator validate --data {data} {path}"
    # The template's placeholders are reported in the new file, and only there.
    assert run.returncode == 1, run.stdout + run.stderr
    problems = run.stdout.splitlines()[:-1]
    assert problems and all(line.startswith(f"{path}:") for line in problems), run.stdout
    assert "'SOURCE-ID' is not an id" in run.stdout, run.stdout


def test_new_in_a_checkout_with_the_default_data_folder(tmp_path):
    shutil.copytree(VALID_DIR, tmp_path / "data")
    path, command, run = _new_then_run_as_printed(tmp_path)
    assert path == "data/documents/cn/cn-hubei/cn-hubei-wuhan-talent-2024.yaml"
    assert command.endswith(f" -m generator validate {path}") and "--data" not in command
    assert run.returncode == 1 and run.stdout.startswith(f"{path}:"), run.stdout + run.stderr


def _nav_titles(entries) -> list[str]:
    titles = []
    for entry in entries:
        for title, value in entry.items():
            titles += _nav_titles(value) if isinstance(value, list) else [title]
    return titles


def test_the_readme_says_which_page_answers_which_question():
    """Every page of the site's menu (mkdocs.yml) is in the README's page guide, and every command
    of the generator in its command list."""
    from ruamel.yaml import YAML

    nav = YAML(typ="safe", pure=True).load((ROOT / "mkdocs.yml").read_text("utf-8"))["nav"]
    readme = (ROOT / "README.md").read_text("utf-8")
    guide = readme.split("## Which page answers which question", 1)[1].split("\n## ", 1)[0]
    assert [t for t in _nav_titles(nav) if f"**{t}**" not in guide] == []
    assert len(_nav_titles(nav)) >= 15
    documented = {
        words[3]
        for words in (w for _, w in doc_commands(ROOT / "README.md"))
        if words[1:3] == ["-m", "generator"] and len(words) > 3
    }
    assert sorted({command.name for command in COMMANDS} - documented) == []
