"""Fault injection (issue 14): operating-system errors and real SIGKILLs in a child build process.

Each build here is ``python -m generator build`` in a child process, on a small project (the
valid fixture data, the real pages, config and theme overrides). Errors are injected in the child
by a preamble that monkeypatches an os-level function to raise ENOSPC, EROFS or EPERM, or that
kills the child with SIGKILL at a named step of the swap (``generator.writer._reached``) or in the
middle of the site engine. Nothing relies on file modes, so the tests hold when run as root (CI).

After every fault: no traceback, one message saying what to do, exit code 1; ``content/`` and
``site/`` form a pair from one build (both hold the same build token, from ``pages/about.md``)
and the last good output is there; after the next build, failing or not, nothing is left over.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, VALID_DIR, read_tree

from generator import writer

pytestmark = pytest.mark.xdist_group("faults")  # one worker: the kill sequence runs in order


@pytest.fixture(scope="module")
def svg_cache(tmp_path_factory) -> Path:
    """One chart cache for every project of this module (the first build fills it)."""
    return tmp_path_factory.mktemp("fault-cache")


@pytest.fixture
def project(tmp_path, svg_cache) -> Path:
    """A small project folder to build in: data, pages, config, overrides, node_modules."""
    shutil.copytree(VALID_DIR, tmp_path / "data")
    (tmp_path / "data/search").mkdir()
    shutil.copy(ROOT / "data/search/jieba_userdict.txt", tmp_path / "data/search")
    shutil.copy(ROOT / "data/dataset.yaml", tmp_path / "data")
    for name in ("pages", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    (tmp_path / ".cache").symlink_to(svg_cache)
    return tmp_path


def build(project: Path, preamble: str = "", *args: str, engine: str = "mkdocs") -> subprocess.CompletedProcess:
    """Run ``python -m generator [args] build`` in ``project`` after ``preamble`` (Python code)."""
    code = (
        f"import sys\nsys.argv = ['generator', *{list(args)!r}, 'build']\n{preamble}\nfrom generator.cli import run\n"
        "run()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "ATLAS_ENGINE": engine}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def mark(project: Path, token: str) -> None:
    """Put ``token`` in the about page, so each build's output says which build made it."""
    about = project / "pages/about.md"
    text = about.read_text("utf-8")
    head, sep, body = text.partition("\n---\n")
    body = "\n".join(line for line in body.splitlines() if not line.startswith("Build token"))
    about.write_text(f"{head}{sep}Build token {token}.\n{body}\n", "utf-8")


def pair(project: Path) -> tuple[str | None, str | None]:
    """Return the build token of ``content/`` and of ``site/`` (None when missing)."""

    def token(path: Path) -> str | None:
        if not path.is_file():
            return None
        text = path.read_text("utf-8")
        start = text.find("Build token ")
        return text[start + 12 : text.index(".", start)] if start >= 0 else None

    return token(project / "content/about.md"), token(project / "site/about/index.html")


def leftovers(project: Path) -> list[str]:
    """Names beside content/ and site/ that a build made and left (never the project's own)."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".atlas-", ".content", ".site", ".zensical")))


def snapshot(project: Path) -> dict[str, bytes]:
    return {f"{root}/{rel}": data for root in ("content", "site") for rel, data in read_tree(project / root).items()}


def one_clear_line(proc: subprocess.CompletedProcess, *needles: str) -> None:
    """The build failed with exit 1, no traceback, and its last line holds every needle."""
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out, out
    last = out.strip().splitlines()[-1]
    assert all(n in last for n in needles), last


def break_data(project: Path) -> str:
    """Make the data invalid; return the original text of the file changed."""
    doc = sorted((project / "data/documents").rglob("*.yaml"))[0]
    text = doc.read_text("utf-8")
    doc.write_text(text.replace("jurisdiction:", "jurisdiction: [", 1), "utf-8")
    return text


def restore_data(project: Path, text: str) -> None:
    sorted((project / "data/documents").rglob("*.yaml"))[0].write_text(text, "utf-8")


# Operating-system errors ---------------------------------------------------------------------

_RAISE = """
import errno, os
def _fail(*args, **kwargs):
    raise OSError(errno.{err}, os.strerror(errno.{err}), str(args[0]) if args else None)
"""

#: Where the error strikes: (label, code patching one function to fail on its Nth call).
PLACES = {
    "writing content": "import pathlib\n_real = pathlib.Path.write_bytes\n_n = [0]\n"
    "def _wb(self, data):\n    _n[0] += 1\n    return _fail(self) if _n[0] == 7 else _real(self, data)\n"
    "pathlib.Path.write_bytes = _wb\n",
    "making a temporary folder": "import tempfile\n_real = tempfile.mkdtemp\n"
    "def _mk(*a, **k):\n    return _fail(k.get('dir')) if 'site' in k.get('prefix', '') else _real(*a, **k)\n"
    "tempfile.mkdtemp = _mk\n",
    "the engine writing the site": "import mkdocs.utils\n_real = mkdocs.utils.write_file\n_n = [0]\n"
    "def _w(content, path):\n    _n[0] += 1\n    return _fail(path) if _n[0] == 5 else _real(content, path)\n"
    "mkdocs.utils.write_file = _w\n",
    "renaming the site into place": "_real = os.rename\n_n = [0]\n"
    "def _rn(a, b):\n    _n[0] += 1\n    return _fail(a) if _n[0] == 4 else _real(a, b)\nos.rename = _rn\n",
}


@pytest.mark.parametrize("err", ["ENOSPC", "EROFS", "EPERM"])
def test_os_errors_give_one_line_and_keep_the_last_good_output(project, err):
    mark(project, "good")
    assert build(project).returncode == 0
    before = snapshot(project)
    mark(project, "next")
    for place, patch in PLACES.items():
        proc = build(project, _RAISE.format(err=err) + patch)
        one_clear_line(proc, f"[{err}]", "The last good content/ and site/ were kept.")
        assert snapshot(project) == before, place
        assert leftovers(project) == [], place
    assert build(project).returncode == 0
    assert pair(project) == ("next", "next") and leftovers(project) == []


def test_permissions_of_output_folders_follow_the_umask(project):
    proc = build(project, "import os\nos.umask(0o022)\n")
    assert proc.returncode == 0, proc.stderr
    modes = {
        name: oct((project / name).stat().st_mode & 0o777)
        for name in ("content", "site", "site/assets", "content/documents")
    }
    assert modes == dict.fromkeys(modes, "0o755")
    assert oct((project / "site/index.html").stat().st_mode & 0o777) == "0o644"


# SIGKILL at every step --------------------------------------------------------------------------

_KILL_AT_STEP = """
import os, signal
import generator.writer as _w
def _kill(step):
    if step == {step!r}:
        os.kill(os.getpid(), signal.SIGKILL)
_w._reached = _kill
"""

_KILL_IN_STAGING = """
import os, signal, pathlib
_real = pathlib.Path.write_bytes
_n = [0]
def _wb(self, data):
    _n[0] += 1
    if _n[0] == 20:
        os.kill(os.getpid(), signal.SIGKILL)
    return _real(self, data)
pathlib.Path.write_bytes = _wb
"""

_KILL_IN_MKDOCS = """
import os, signal
import mkdocs.commands.build as _b
_real = _b._build_page
_n = [0]
def _page(*a, **k):
    _n[0] += 1
    if _n[0] == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return _real(*a, **k)
_b._build_page = _page
"""

#: Where a build is killed: the swap's named steps (writer._reached), and within the earlier stages.
KILLS = {
    "while writing content/": _KILL_IN_STAGING,
    "during MkDocs": _KILL_IN_MKDOCS,
    **{
        f"at '{step}'": _KILL_AT_STEP.format(step=step)
        for step in (
            "journal written",
            "content aside",
            "content in",
            "site aside",
            "site in",
            "journal removed",
            "old removed",
        )
    },
}


def test_sigkill_at_every_step_leaves_a_recoverable_pair(project):
    mark(project, "t0")
    assert build(project).returncode == 0
    last_good = "t0"
    for n, (where, preamble) in enumerate(KILLS.items(), 1):
        token = f"t{n}"
        mark(project, token)
        proc = build(project, preamble)
        assert proc.returncode == -signal.SIGKILL, (where, proc.stderr[-2000:])
        # The next build fails (bad data), yet recovers: one pair, no leftover, nothing lost.
        original = break_data(project)
        proc = build(project)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (where, proc.stderr[-2000:])
        content, site = pair(project)
        assert content == site and content in (last_good, token), (where, content, site)
        assert leftovers(project) == [], (where, leftovers(project))
        restore_data(project, original)
        # And the next good build is the new pair, with nothing left over.
        assert build(project).returncode == 0, where
        assert pair(project) == (token, token) and leftovers(project) == [], where
        last_good = token


def test_sigkill_during_zensical_kills_its_child_too(project):
    pytest.importorskip("zensical")
    mark(project, "z0")
    assert build(project, engine="zensical").returncode == 0
    mark(project, "z1")
    pid_file = project.parent / "zensical.pid"
    watcher = f"""
import os, signal, subprocess, threading, time
def _watch():
    while True:
        time.sleep(0.05)
        kids = subprocess.run(['pgrep', '-P', str(os.getpid()), '-f', 'zensical build'], capture_output=True, \
text=True).stdout.split()
        if kids:
            open({str(pid_file)!r}, 'w').write(kids[0])
            time.sleep(0.3)
            os.kill(os.getpid(), signal.SIGKILL)
threading.Thread(target=_watch, daemon=True).start()
"""
    proc = build(project, watcher, engine="zensical")
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    child = int(pid_file.read_text())
    assert _gone(child), "the Zensical child outlived the build"
    assert pair(project) == ("z0", "z0")
    assert build(project, engine="zensical").returncode == 0
    assert pair(project) == ("z1", "z1") and leftovers(project) == []


def _gone(pid: int, seconds: float = 10) -> bool:
    """True once ``pid`` is no process or a zombie (dead, waiting to be reaped)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


# Files kept in site/ --------------------------------------------------------------------------


def test_site_extra_files_survive_and_stray_files_stop_the_build(project):
    extra = project / "pages/site-extra"
    extra.mkdir()
    (extra / "CNAME").write_text("atlas.example.org\n")
    (extra / ".nojekyll").write_text("")
    assert build(project).returncode == 0
    assert (project / "site/CNAME").read_text() == "atlas.example.org\n" and (project / "site/.nojekyll").is_file()
    assert build(project).returncode == 0 and (project / "site/CNAME").is_file()
    listed = json.loads((project / "site" / writer.MANIFEST).read_text("utf-8"))
    assert "CNAME" in listed and "index.html" in listed
    (project / "site/google1234.html").write_text("verification")
    before = snapshot(project)
    proc = build(project)
    one_clear_line(proc, "site/google1234.html was not written by the generator", "pages/site-extra")
    assert snapshot(project) == before


# Broken configuration, pages, --debug -----------------------------------------------------------


def test_broken_config_and_pages_give_one_line(project):
    config = project / "mkdocs.yml"
    good = config.read_text("utf-8")
    config.write_text("site_name: [unclosed\n", "utf-8")
    one_clear_line(build(project), "error: mkdocs.yml:2:1:", "fix the site config")
    config.write_text("- a list\n", "utf-8")
    one_clear_line(build(project), "error: mkdocs.yml:1:1: the site config must be a mapping")
    config.write_text(good, "utf-8")
    (project / "pages/about.md").write_bytes(b"# About\n\xff\xfe\n")
    proc = build(project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "pages/about.md:2:1: byte 8 is not valid UTF-8; re-save the file as UTF-8 [encoding]" in proc.stderr


def test_debug_shows_the_traceback_and_only_then(project):
    (project / "mkdocs.yml").write_text("site_name: [unclosed\n", "utf-8")
    assert "Traceback" not in build(project).stderr
    proc = build(project, "", "--debug")
    assert (
        proc.returncode == 1
        and "Traceback (most recent call last)" in proc.stderr
        and "BuildFailed: mkdocs.yml:2:1" in proc.stderr
    )


def test_an_internal_error_is_one_line_that_asks_for_debug(project):
    proc = build(project, "import generator.build as b\nb.headline_figures = lambda ds: 1 / 0\n")
    one_clear_line(proc, "internal error (ZeroDivisionError: division by zero)", "--debug")
