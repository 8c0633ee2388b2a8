"""The GitHub Actions workflows (issue 6), checked statically and offline: against GitHub's workflow
schema as vendored by check-jsonschema, and every ``run:`` against what exists here (Makefile
targets, ``python -m generator`` commands and their options, the system packages of ``.ci/run``)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import ROOT
from ruamel.yaml import YAML

from generator.cli import main
from generator.settings import Settings

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
#: Actions a workflow may use: only GitHub's own, at a major version.
ACTIONS = {
    "actions/checkout@v4",
    "actions/configure-pages@v5",
    "actions/upload-pages-artifact@v3",
    "actions/deploy-pages@v4",
}
#: Packages beyond .ci/run's that the workflows install: npm for the Makefile's `npm ci` (this
#: machine has it already; the python:3.11-bookworm container does not).
EXTRA_PACKAGES = {"nodejs", "npm"}
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
_SEPARATORS = {"&&", "||", ";", "|", "&"}


def _load(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text("utf-8"))


def _steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, job, step


def make_targets() -> set[str]:
    """The targets the Makefile defines (rules, not variable assignments)."""
    text = (ROOT / "Makefile").read_text("utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.M)}


def ci_packages() -> set[str]:
    """The Debian packages that .ci/run installs."""
    line = next(line for line in (ROOT / ".ci/run").read_text("utf-8").splitlines() if "apt-get install" in line)
    return {word for word in line.split("apt-get install", 1)[1].split() if not word.startswith("-")}


def commands(run: str) -> list[list[str]]:
    """Split a ``run:`` script into simple commands (words), expressions replaced by a sample value,
    redirections dropped."""
    text = _EXPRESSION.sub(lambda m: "main" if "base_ref" in m.group(1) else "x", run).replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        current, skip = [], False
        for token in lexer:
            if skip:
                skip = False
            elif token in _SEPARATORS:
                out.append(current)
                current = []
            elif token in (">", ">>", "<", "2>", "2>>"):
                skip = True
            else:
                current.append(token)
        out.append(current)
    return [c for c in out if c]


def check_command(words: list[str], packages: set[str]) -> None:
    """Fail unless ``words`` is a make target, a generator command with valid options, or an apt step."""
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        words = words[1:]
    if words[0] == "make":
        targets = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        assert targets and set(targets) <= make_targets(), f"unknown make target in {words}"
    elif words[:3] in (["python", "-m", "generator"], [".venv/bin/python", "-m", "generator"]):
        name, args = words[3], words[4:]
        assert name in main.commands, f"no generator command {name!r}"
        try:
            main.commands[name].make_context(name, list(args), resilient_parsing=False)
        except click.UsageError as exc:
            pytest.fail(f"{' '.join(words)}: {exc}")
    elif words[0] == "apt-get":
        assert words[1] in ("update", "install"), words
        wanted = {w for w in words[2:] if not w.startswith("-")}
        assert wanted <= packages, f"packages not installed by .ci/run: {sorted(wanted - packages)}"
    else:
        pytest.fail(f"a workflow runs {words[0]!r}; call only make targets and python -m generator commands")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_workflow_matches_githubs_schema(path):
    proc = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_workflow_runs_only_what_exists_here(path):
    packages = ci_packages() | EXTRA_PACKAGES
    for _, _, step in _steps(_load(path)):
        if "uses" in step:
            assert step["uses"] in ACTIONS, step["uses"]
        for words in commands(step.get("run", "")):
            check_command(words, packages)


def test_pull_request_workflow():
    workflow = _load(WORKFLOWS / "pr.yml")
    assert set(workflow["on"]) == {"pull_request"}
    steps = [step for _, _, step in _steps(workflow)]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    runs = [words for step in steps for words in commands(step.get("run", ""))]
    installed = {w for words in runs if words[:2] == ["apt-get", "install"] for w in words[2:] if not w.startswith("-")}
    assert ci_packages() <= installed  # the browser tests need what .ci/run installs
    assert ["make", "test"] in runs
    base = ["origin/main", "HEAD"]
    assert [".venv/bin/python", "-m", "generator", "diff", *base, "--format", "markdown"] in runs
    assert [".venv/bin/python", "-m", "generator", "diff", *base, "--format", "github"] in runs
    summary = next(step for step in steps if "markdown" in step.get("run", ""))
    assert summary["run"].rstrip().endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert workflow["permissions"] == {"contents": "read"}


def test_publish_workflow():
    workflow = _load(WORKFLOWS / "publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["steps"][0]["with"]["fetch-depth"] == 0  # dates and the changelog come from git history
    assert ["make", "site", "SITE_URL=$SITE_URL", "REPOSITORY=$REPOSITORY"] in [
        w for step in build["steps"] for w in commands(step.get("run", ""))
    ]
    assert build["steps"][-1] == {"uses": "actions/upload-pages-artifact@v3", "with": {"path": "site"}}
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]
    assert workflow["permissions"] == {"contents": "read"} and build["permissions"] == {
        "contents": "read",
        "pages": "read",
    }


#: What GitHub puts in the publish workflow's expressions for a project site of owner/atlas.
PAGES_SAMPLE = {
    "steps.pages.outputs.base_url": "https://owner.github.io/atlas",
    "github.server_url": "https://github.com",
    "github.repository": "owner/atlas",
}


def test_publish_workflow_builds_for_the_deployed_address():
    """The Pages address from configure-pages and the repository reach the generator's settings:
    the build step's expressions are filled in as GitHub would, its `run:` is expanded by bash
    and make (`make -n`), and the generator command it prints is parsed by the real CLI."""
    steps = _load(WORKFLOWS / "publish.yml")["jobs"]["build"]["steps"]
    pages = next(i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/configure-pages@"))
    build = next(i for i, step in enumerate(steps) if "make site" in step.get("run", ""))
    assert pages < build and steps[pages]["id"] == "pages"
    env = {
        name: _EXPRESSION.sub(lambda m: PAGES_SAMPLE[m.group(1)], value) for name, value in steps[build]["env"].items()
    }
    dry_run = steps[build]["run"].replace("make site", "make --dry-run --always-make site", 1)
    proc = subprocess.run(
        ["bash", "-c", dry_run], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    line = next(line for line in proc.stdout.splitlines() if "-m generator build" in line)
    args = shlex.split(line.split("-m generator build", 1)[1])
    params = main.commands["build"].make_context("build", args).params
    settings = Settings.from_options(params["site_url"], params["repository"])
    assert settings == Settings(
        site_url="https://owner.github.io/atlas/", repository="https://github.com/owner/atlas", publishing=True
    )


def test_plain_make_site_builds_locally():
    proc = subprocess.run(
        ["make", "--dry-run", "--always-make", "site"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    line = next(line for line in proc.stdout.splitlines() if "-m generator build" in line)
    assert line.split("-m generator build", 1)[1].strip() == ""


def test_the_checker_refuses_what_does_not_exist():
    packages = ci_packages()
    for bad in (
        ["make", "deploy"],
        ["python", "-m", "generator", "publish"],
        ["python", "-m", "generator", "diff", "a", "b", "--format", "html"],
        ["curl", "https://example.org"],
        ["apt-get", "install", "-y", "firefox-esr"],
    ):
        with pytest.raises((AssertionError, pytest.fail.Exception)):
            check_command(bad, packages)
    assert commands('a && b "x y" >> "$OUT"\nc ${{ github.base_ref }}') == [["a"], ["b", "x y"], ["c", "main"]]
