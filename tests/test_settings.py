"""Build settings (generator/settings.py): publishing builds need a real address and the
repository; local builds point at the preview address; the CLI turns bad values into usage errors."""

import re

import pytest
from conftest import run_main

from generator.settings import LOCAL_SITE_URL, Settings, SettingsError


def test_local_build_points_at_the_preview_address():
    assert Settings.from_options() == Settings(site_url="http://127.0.0.1:8000/", repository=None, publishing=False)
    assert Settings().url("documents/x/") == LOCAL_SITE_URL + "documents/x/"


@pytest.mark.parametrize(
    "site_url,repository,expected",
    [
        (
            "https://owner.github.io/atlas",
            "owner/atlas",
            ("https://owner.github.io/atlas/", "https://github.com/owner/atlas"),
        ),
        (
            "https://atlas.org.cn/",
            "https://git.example.cn/team/atlas/",
            ("https://atlas.org.cn/", "https://git.example.cn/team/atlas"),
        ),
        ("http://127.0.0.1:8123/atlas/", "o/r", ("http://127.0.0.1:8123/atlas/", "https://github.com/o/r")),
    ],
)
def test_publishing_settings_are_normalized(site_url, repository, expected):
    settings = Settings.from_options(site_url, repository)
    assert (settings.site_url, settings.repository, settings.publishing) == (*expected, True)
    assert settings.url("/feed.xml") == expected[0] + "feed.xml"


@pytest.mark.parametrize(
    "site_url,repository,message",
    [
        ("https://metaverse-policy-atlas.example.org/", "o/r", "placeholder domain"),
        ("https://example.com", "o/r", "placeholder domain"),
        ("https://atlas.test/", "o/r", "placeholder domain"),
        ("https://owner.github.io/atlas", "https://github.example.org/o/r", "placeholder domain"),
        ("owner.github.io/atlas", "o/r", "not an absolute http(s) URL"),
        ("ftp://owner.github.io/", "o/r", "not an absolute http(s) URL"),
        ("https://owner.github.io/atlas", None, "needs both --site-url and --repository"),
        (None, "owner/atlas", "needs both --site-url and --repository"),
        ("https://owner.github.io/atlas", "just-a-name", "neither OWNER/REPO"),
    ],
)
def test_bad_settings_are_refused_with_the_reason(site_url, repository, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_options(site_url, repository)


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().site_url = "https://elsewhere.org/"


def test_cli_refuses_the_placeholder_domain_before_building(tmp_path):
    result = run_main(
        "build",
        "--data",
        str(tmp_path),
        "--site-url",
        "https://metaverse-policy-atlas.example.org/",
        "--repository",
        "owner/atlas",
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: --site-url 'https://metaverse-policy-atlas.example.org/' is a placeholder domain (RFC 2606); "
        "give the address the site is published at\n"
    )


def test_build_facts_are_read_once_per_build_from_their_one_source(tmp_path, monkeypatch):
    from conftest import ROOT, VALID_DIR
    from ruamel.yaml import YAML

    from generator.build import Paths, read_facts
    from generator.loader import UNVERSIONED
    from generator.settings import BuildFacts

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765065600")  # 2025-12-07 00:00 UTC
    settings = Settings.from_options("https://owner.github.io/atlas", "owner/atlas")
    facts = read_facts(Paths(data=ROOT / "data", settings=settings, citation_cff=ROOT / "CITATION.cff"))
    version = str(YAML(typ="safe").load((ROOT / "data/dataset.yaml").read_text("utf-8"))["version"])
    assert (facts.version, facts.data_as_of, facts.settings) == (version, "2025-12-07", settings)
    assert facts.citation_cff == (ROOT / "CITATION.cff").read_text("utf-8")
    bare = read_facts(Paths(data=VALID_DIR, citation_cff=tmp_path / "none.cff"))
    assert bare == BuildFacts(version=UNVERSIONED, data_as_of="2025-12-07", settings=Settings(), citation_cff="")
    with pytest.raises(TypeError):
        BuildFacts(version="1.0.0")  # no default as-of day: every build reads the real one
    with pytest.raises(AttributeError):
        bare.version = "2.0.0"


def test_the_engine_is_chosen_on_the_command_line_or_by_atlas_engine(tmp_path, monkeypatch):
    from generator import build as build_module

    chosen = []
    monkeypatch.setattr(
        build_module,
        "build",
        lambda paths, progress=None, engine=True: chosen.append(paths.engine) or build_module.Report(),
    )
    monkeypatch.delenv("ATLAS_ENGINE", raising=False)
    assert run_main("build", "--data", str(tmp_path)).returncode == 0
    assert run_main("build", "--data", str(tmp_path), "--engine", "zensical").returncode == 0
    monkeypatch.setenv("ATLAS_ENGINE", "zensical")
    assert run_main("build", "--data", str(tmp_path)).returncode == 0
    monkeypatch.setenv("ATLAS_ENGINE", "hugo")
    result = run_main("build", "--data", str(tmp_path))
    assert result.returncode == 2 and "'hugo' is not one of 'mkdocs', 'zensical'" in result.stderr
    assert chosen == ["mkdocs", "zensical", "zensical"]
