"""``python -m generator synth``: synthetic data folders for scale tests (issue #8).

The benchmark itself (``python -m generator bench``) is not a test; these check only that its
input is valid, reproducible and never written over the project's records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, read_tree, run_cli
from ruamel.yaml import YAML

from generator.dev import synth
from generator.errors import UsageError
from generator.validate import validate_data


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A data folder at scale 0.05 (50 documents), written through the CLI."""
    out = tmp_path_factory.mktemp("synth") / "data"
    result = run_cli("synth", "--scale", "0.05", "--seed", "3", "--out", str(out), cwd=ROOT)
    made = synth.synthesize(0.05, seed=3)
    counts = ", ".join(f"{n:,} {kind}" for kind, n in made.counts.items())
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"Wrote {len(made.files):,} files to {out}: {counts}.\n"
    assert made.counts["documents"] == 50
    return out


def _problems(data: Path) -> list[str]:
    return [p.format() for p in validate_data(data, None).problems]


def test_small_folder_is_valid(small: Path) -> None:
    assert _problems(small) == []


def test_folder_with_places_abroad_is_valid(tmp_path: Path) -> None:
    """From about 60 jurisdictions (scale 0.4) the places abroad and their currencies join in."""
    made = synth.synthesize(0.4, seed=1)
    # one jurisdictions file per country (the layout rule): China's and at least one abroad
    countries = {path for path in made.files if path.startswith("jurisdictions/")}
    assert "jurisdictions/cn.csv" in countries and len(countries) > 1, countries
    synth.write_data(made.files, tmp_path / "data")
    assert _problems(tmp_path / "data") == []


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    first, again, other = synth.synthesize(0.2, seed=5), synth.synthesize(0.2, seed=5), synth.synthesize(0.2, seed=6)
    assert first.files == again.files
    assert first.files != other.files


def test_cli_output_is_byte_identical(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    assert run_cli("synth", "--scale", "0.05", "--seed", "3", "--out", str(out), cwd=ROOT).returncode == 0
    assert read_tree(out) == read_tree(small)


def test_scale_one_has_the_sizes_of_issue_8_and_every_kind_of_figure() -> None:
    """1× = 1,000 documents, ~150 jurisdictions, ~1,500 targets and ~1,500 sources; every
    qualifier and unit, every relation type, drafts and disputes occur."""
    made = synth.synthesize(1, seed=0)
    counts = made.counts
    assert counts["documents"] == 1000 and counts["jurisdictions"] == 150
    assert 1300 <= counts["targets"] <= 1700 and 1300 <= counts["sources"] <= 1700
    docs = [YAML(typ="safe").load(data) for path, data in made.files.items() if path.startswith("documents/")]
    targets = [t for d in docs for t in d.get("targets", [])]
    assert {t["qualifier"] for t in targets} == set(synth.QUALIFIERS)
    assert {t["unit"] for t in targets} == set(synth.UNIT_FACTORS)
    assert {r["type"] for d in docs for r in d.get("relations", [])} == {
        "implements",
        "final-version-of",
        "supersedes",
        "follows-up",
    }
    assert any(d.get("disputes") for d in docs) and any(d["status"] == "draft-for-comment" for d in docs)


def test_unit_factors_match_the_vocabulary() -> None:
    terms = YAML(typ="safe").load((ROOT / "data" / "vocab" / "units.yaml").read_text("utf-8"))["terms"]
    assert {t["id"]: float(t["factor"]) for t in terms} == {k: float(v) for k, v in synth.UNIT_FACTORS.items()}


@pytest.mark.parametrize("out", ["data", "data/documents/new", "./data/../data"])
def test_refuses_the_project_data_folder(out: str) -> None:
    with pytest.raises(UsageError, match="project's data folder"):
        synth.check_destination(ROOT / out)


def test_refuses_a_link_to_the_project_data_folder(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(ROOT / "data")
    with pytest.raises(UsageError, match="project's data folder"):
        synth.check_destination(link / "x")


def test_cli_refuses_data_and_non_empty_folders(tmp_path: Path) -> None:
    before = sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*"))
    result = run_cli("synth", "--scale", "0.05", "--out", "data", cwd=ROOT)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: refusing to write synthetic records into the project's data folder")
    assert sorted(p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*")) == before
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = run_cli("synth", "--scale", "0.05", "--out", "full", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "error: full is not an empty folder; give a new or empty folder as --out\n",
    )
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]


@pytest.mark.parametrize(
    "args",
    [["--scale", "0", "--out", "x"], ["--scale", "-1", "--out", "x"], ["--scale", "abc", "--out", "x"], ["--out", "x"]],
)
def test_cli_usage_errors(tmp_path: Path, args: list[str]) -> None:
    result = run_cli("synth", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and not (tmp_path / "x").exists()
