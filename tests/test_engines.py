"""Both site engines (issue 6): MkDocs Material and Zensical build the same pages from one content
folder; the differences that remain are the ones listed in the README ("Both engines")."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, project_paths

from generator.build import build
from generator.engines import ENGINES, build_site, build_site_zensical, zensical_config
from generator.errors import BuildFailed

DAY = "2024-06-01"
#: Files that Material's own theme ships (bundles, source maps, lunr languages): named by hash and
#: laid out differently by each engine, so compared by kind, not by name.
THEME_ASSET = re.compile(
    r"^assets/(javascripts/(bundle\.|workers/|lunr/|LICENSE$)|stylesheets/(main\.|palette\.|classic/|modern/))"
)
#: Non-HTML files only one engine writes (see README, "Both engines").
ONLY_MKDOCS = {"search/search_index.json", "sitemap.xml.gz", "tags.json"}
ONLY_ZENSICAL = {"search.json"}


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """The content folder generated from the valid fixture data (no engine run)."""
    root = tmp_path_factory.mktemp("engines")
    paths = project_paths(root, cache=root / "cache")
    build(paths, engine=False)
    return paths.content


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _h1(page: Path) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text("utf-8"), re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def _run(engine, config: Path, content: Path, site: Path) -> Path:
    site.mkdir()
    engine(config, content, site, DAY)
    return site


def test_zensical_builds_the_same_html_pages_as_mkdocs(content, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # the jieba dictionary path in mkdocs.yml is relative to the working directory
    mkdocs = _files(_run(build_site, ROOT / "mkdocs.yml", content, tmp_path / "mkdocs"))
    zensical = _files(_run(build_site_zensical, ROOT / "mkdocs.yml", content, tmp_path / "zensical"))
    html = sorted(p for p in mkdocs if p.endswith(".html"))
    assert html == sorted(p for p in zensical if p.endswith(".html"))
    assert "documents/cn-hubei-wuhan-metaverse-plan-2022/index.html" in html and len(html) >= 20
    assert {p: _h1(tmp_path / "zensical" / p) for p in html} == {p: _h1(tmp_path / "mkdocs" / p) for p in html}
    assert {p for p in mkdocs - zensical if not THEME_ASSET.match(p)} == ONLY_MKDOCS
    assert {p for p in zensical - mkdocs if not THEME_ASSET.match(p)} == ONLY_ZENSICAL


def test_zensical_output_is_reproducible(content, tmp_path):
    config = ROOT / "mkdocs.yml"
    first = _run(build_site_zensical, config, content, tmp_path / "one")
    second = _run(build_site_zensical, config, content, tmp_path / "two")
    files = _files(first)
    assert files == _files(second)
    assert [p for p in sorted(files) if (first / p).read_bytes() != (second / p).read_bytes()] == []


def test_zensical_builds_with_the_real_theme_overrides(content, tmp_path):
    """overrides/main.html keeps to what both template engines run (no Python string methods)."""
    site = _run(build_site_zensical, ROOT / "mkdocs.yml", content, tmp_path / "site")
    assert "Content-Security-Policy" in (site / "index.html").read_text("utf-8")


def test_zensical_failure_says_why_and_replaces_nothing(content, tmp_path):
    broken = tmp_path / "content"
    shutil.copytree(content, broken)
    (broken / "about.md").write_text("# About\n\n[broken](no-such-page.md)\n", "utf-8")
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(BuildFailed, match=r"Zensical failed \(.*page does not exist"):
        build_site_zensical(ROOT / "mkdocs.yml", broken, site, DAY)
    assert list(site.iterdir()) == [] and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_zensical_config_points_at_the_temporary_project(tmp_path):
    text = zensical_config(ROOT / "mkdocs.yml", "http://127.0.0.1:9/")
    assert "docs_dir: docs\n" in text and "site_dir: site\n" in text and "site_url: http://127.0.0.1:9/\n" in text
    assert f"custom_dir: {ROOT / 'overrides'}\n" in text
    assert "# Metaverse Policy Atlas: MkDocs Material configuration." in text  # comments kept


def test_unknown_engine_is_refused_before_anything_is_replaced(tmp_path):
    paths = project_paths(tmp_path, engine="hugo")
    assert {name: e.run for name, e in ENGINES.items()} == {"mkdocs": build_site, "zensical": build_site_zensical}
    with pytest.raises(BuildFailed, match="unknown site engine 'hugo'; use one of: mkdocs, zensical"):
        build(paths)
    assert not paths.content.exists() and not paths.site.exists()
