"""The build end to end: what the site holds, determinism, atomic failure, owned folders."""

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, VALID_DIR, project_paths, read_tree, run_cli

from generator import build as build_module, engines
from generator.build import Report, build, generate
from generator.dataset import build_dataset
from generator.errors import BuildFailed, DataInvalid
from generator.validate import require_valid


def test_real_site_has_every_record_page_chart_and_download(real_site):
    site = real_site.paths.site
    ds = build_dataset(require_valid(ROOT / "data").loaded, ROOT / "data")
    for jid in ds.jurisdictions:
        assert (site / "jurisdictions" / jid / "index.html").is_file(), jid
    for doc_id in ds.documents:
        assert (site / "documents" / doc_id / "index.html").is_file(), doc_id
    assert (site / "assets/vendor/vega-bundle.js").stat().st_size > 500_000
    for name in ("adoption", "documents-by-year", "industry-scale-targets", "province-map"):
        spec = json.loads((site / "charts" / f"{name}.vl.json").read_text("utf-8"))
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
        assert (site / "charts" / f"{name}.svg").read_bytes().startswith(b"<svg")
    for table in ("jurisdictions", "documents", "targets", "sources"):
        rows = json.loads((site / "data" / f"{table}.json").read_text("utf-8"))
        assert (
            len(rows)
            == {
                "jurisdictions": len(ds.jurisdictions),
                "documents": len(ds.documents),
                "targets": len(ds.target_rows),
                "sources": len(ds.sources),
            }[table]
        )
        assert (site / "data" / f"{table}.csv").read_text("utf-8").count("\n") >= len(rows) + 1
    package = json.loads((site / "data/datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == ["jurisdictions", "documents", "targets", "sources"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert real_site.report.pages >= len(ds.jurisdictions) + len(ds.documents) + 15


def test_record_pages_stay_out_of_the_navigation(real_site):
    html = (real_site.paths.site / "index.html").read_text("utf-8")
    assert "jurisdictions/cn-hubei-wuhan/" not in html.split('class="md-content"')[0]
    page = (real_site.paths.site / "documents/cn-hubei-wuhan-gwr-2022/index.html").read_text("utf-8")
    assert "武汉市" in page and "Wuhan" in page
    assert len(page.encode()) < 200_000


def test_search_index_holds_chinese_and_english_words_not_chart_json(real_site):
    raw = (real_site.paths.site / "search/search_index.json").read_bytes()
    assert "元宇宙".encode() in raw and b'", "' not in raw  # compact UTF-8, not \\u escapes
    index = json.loads(raw)
    assert not [d for d in index["docs"] if d["location"].startswith(("sources/", "changelog/", "themes/"))]
    wuhan = [d for d in index["docs"] if d["location"] == "jurisdictions/cn-hubei-wuhan/"]
    assert wuhan and "武汉" in wuhan[0]["title"] and "Wuhan" in wuhan[0]["title"]
    text = " ".join(d["text"] for d in index["docs"])
    assert "元宇宙" in text and "\u200b" in text  # jieba segments joined by the zero-width space
    assert '"$schema"' not in text and "vega-lite" not in text
    # Tags once per page, not on every section; lists of records that have their own pages are left out.
    tagged = [d for d in index["docs"] if d.get("tags")]
    assert tagged and all("#" not in d["location"] for d in tagged)
    assert any(
        d["location"] == "documents/cn-hubei-wuhan-metaverse-implementation-plan-2022/#summary" for d in index["docs"]
    )
    assert not [
        d
        for d in index["docs"]
        if d["location"].startswith("jurisdictions/") and d["location"].endswith(("#documents", "#targets", "#below"))
    ]
    assert not [
        d for d in index["docs"] if d["location"].startswith("documents/") and d["location"].endswith("#related")
    ]
    page = next(
        d for d in index["docs"] if d["location"] == "documents/cn-hubei-wuhan-metaverse-implementation-plan-2022/"
    )
    assert "›" not in page["text"]  # the breadcrumb repeats the jurisdiction row of the fields table


def test_generation_is_deterministic(tmp_path):
    paths = project_paths(tmp_path, ROOT / "data", tmp_path / "cache")
    first = generate(paths, Report())
    second = generate(paths, Report())
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


@pytest.fixture
def small(tmp_path):
    """A small project: the valid fixture data, the real pages and config, built once."""
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    paths = project_paths(tmp_path, data)
    build(paths)
    return paths


def _snapshot(paths):
    return read_tree(paths.content), read_tree(paths.site)


def _no_temp_left(paths):
    return [p.name for p in paths.content.parent.iterdir() if p.name.startswith(".")] == []


def test_failure_at_each_stage_leaves_both_folders_unchanged(small, monkeypatch):
    before = _snapshot(small)
    doc = next((small.data / "documents").rglob("*.yaml"))
    original = doc.read_text("utf-8")
    doc.write_text(original.replace("jurisdiction:", "jurisdiction: [", 1), "utf-8")
    with pytest.raises(DataInvalid):
        build(small)
    assert _snapshot(small) == before and _no_temp_left(small)
    doc.write_text(original.replace("en: ", "en: Changed ", 1), "utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("injected")

    for target, exc in (("render_pages", RuntimeError), ("build_downloads", RuntimeError)):
        with monkeypatch.context() as m:
            m.setattr(build_module, target, boom)
            with pytest.raises(exc):
                build(small)
        assert _snapshot(small) == before and _no_temp_left(small), target

    real_write = Path.write_bytes
    calls = {"n": 0}

    def disk_full(self, data):
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    with monkeypatch.context() as m:
        m.setattr(Path, "write_bytes", disk_full)
        with pytest.raises(OSError):
            build(small)
    assert _snapshot(small) == before and _no_temp_left(small)

    for exc in (BuildFailed("engine"), KeyboardInterrupt()):

        def engine_fails(*args, exc=exc, **kwargs):
            raise exc

        with monkeypatch.context() as m:
            m.setitem(engines.ENGINES, "mkdocs", engines.Engine("mkdocs", engine_fails))
            with pytest.raises(type(exc)):
                build(small)
        assert _snapshot(small) == before and _no_temp_left(small), exc

    build(small)  # and the same change builds fine once nothing fails
    assert _snapshot(small) != before


def test_strict_engine_failure_from_a_broken_link_changes_nothing(small, tmp_path):
    before = _snapshot(small)
    pages = tmp_path / "pages"
    shutil.copytree(ROOT / "pages", pages)
    (pages / "about.md").write_text("# About\n\n[broken](no-such-page.md)\n", "utf-8")
    with pytest.raises(BuildFailed, match="MkDocs failed"):
        build(dataclasses.replace(small, pages=pages))
    assert _snapshot(small) == before and _no_temp_left(small)


def test_hand_written_file_in_content_is_never_lost(small):
    note = small.content / "my-notes.md"
    note.write_text("keep me", "utf-8")
    before = _snapshot(small)
    with pytest.raises(BuildFailed, match="my-notes.md was not written by the generator"):
        build(small)
    assert _snapshot(small) == before


def test_deleted_record_page_disappears(small):
    source = sorted((small.data / "documents").rglob("*.yaml"))[0]
    text = source.read_text("utf-8")
    old_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
    extra = source.with_name("cn-extra-record-2030.yaml")
    extra.write_text(text.replace(f"id: {old_id}", "id: cn-extra-record-2030", 1), "utf-8")
    build(small)
    assert (small.site / "documents/cn-extra-record-2030/index.html").is_file()
    extra.unlink()
    build(small)
    assert not (small.content / "documents/cn-extra-record-2030").exists()
    assert not (small.site / "documents/cn-extra-record-2030").exists()
    assert (small.site / "documents" / old_id / "index.html").is_file()


def test_cli_build_reports_problems_without_traceback(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(VALID_DIR, data)
    doc = sorted((data / "documents").rglob("*.yaml"))[0]
    doc.write_text(doc.read_text("utf-8").replace("kind:", "kind: no-such-kind\nkindx:", 1), "utf-8")
    proc = run_cli(
        "build",
        "--data",
        str(data),
        "--site-dir",
        str(tmp_path / "site"),
        "--content-dir",
        str(tmp_path / "content"),
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{doc}:" in proc.stderr and "[unknown-field]" in proc.stderr and "nothing was written" in proc.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "content").exists()


def test_committed_json_schema_is_current(tmp_path):
    from generator.reference import json_schemas

    for name, text in json_schemas().items():
        assert (ROOT / "schema" / name).read_text("utf-8") == text, f"run: python -m generator schema ({name} is stale)"


def test_data_page_describes_the_dataset_and_citation_matches(real_site):
    import re

    from ruamel.yaml import YAML

    html = (real_site.paths.site / "data/index.html").read_text("utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    dataset = json.loads(block.group(1))
    version = YAML(typ="safe").load((ROOT / "data/dataset.yaml").read_text("utf-8"))["version"]
    assert dataset["@type"] == "Dataset" and dataset["version"] == version
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in dataset["distribution"]} >= {"documents.csv", "targets.json"}
    citation = YAML(typ="safe").load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert citation["version"] == version and citation["license"] == "CC-BY-4.0"
    assert 'type="application/atom+xml"' in html
    feed = (real_site.paths.site / "feed.xml").read_text("utf-8")
    assert feed.startswith("<?xml") and "<entry>" in feed


def test_renamed_record_keeps_its_old_url(small):
    from generator.validate import validate_data

    doc_id = sorted((small.data / "documents").rglob("*.yaml"))[0].stem
    (small.data / "redirects").mkdir()
    (small.data / "redirects/cn-old-name.yaml").write_text(
        f"kind: document\nold: cn-old-name\nnew: {doc_id}\ndate: 2026-11-29\n", "utf-8"
    )
    build(small)
    html = (small.site / "documents/cn-old-name/index.html").read_text("utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../{doc_id}/">' in html
    assert (small.site / "documents" / doc_id / "index.html").is_file()
    # a redirect whose old id is in use, in the file its old id names (redirects/<old>.yaml)
    (small.data / "redirects/cn-old-name.yaml").unlink()
    (small.data / f"redirects/{doc_id}.yaml").write_text(
        f"kind: document\nold: {doc_id}\nnew: cn-nowhere\ndate: 2026-11-29\n", "utf-8"
    )
    codes = sorted((p.field, p.code) for p in validate_data(small.data).problems)
    assert codes == [("new", "unknown-reference"), ("old", "duplicate-id")]


def test_regenerate_rewrites_only_what_an_edit_changes(small):
    from generator.build import regenerate

    report, changed = regenerate(small)  # content/ as the build left it: nothing to write
    assert changed == []
    doc = sorted((small.data / "documents").rglob("*.yaml"))[-1]
    text = doc.read_text("utf-8")
    assert "summary:\n  en: " in text
    doc.write_text(text.replace("summary:\n  en: ", "summary:\n  en: Edited. ", 1), "utf-8")
    report, changed = regenerate(small)
    assert f"documents/{doc.stem}/index.md" in changed
    assert f"data/records/documents/{doc.stem}.json" in changed
    untouched = [p for p in changed if p.startswith(("jurisdictions/", "charts/", "assets/"))]
    assert untouched == [], untouched
    assert len(changed) < report.files / 5


def test_preview_keeps_parsed_files_and_writes_only_changes(small, monkeypatch):
    """``make serve``'s state: after the first full sync, edits parse only the edited file and
    write only the files whose bytes changed, without reading content/ back."""
    from generator import loader, writer
    from generator.build import Preview, regenerate

    preview = Preview()
    _, changed = regenerate(small, preview)
    assert changed == [] and preview.written and len(preview.parsed) > 10
    (small.content / "about.md").unlink()  # removed by hand: not restored until the next full sync
    parsed_paths = []
    real_parse = loader._Cache._parse
    monkeypatch.setattr(
        loader._Cache,
        "_parse",
        staticmethod(lambda data, path, model: parsed_paths.append(path) or real_parse(data, path, model)),
    )
    monkeypatch.setattr(writer, "check_owned", lambda *a: pytest.fail("a full sync after the first regenerate"))
    doc = sorted((small.data / "documents").rglob("*.yaml"))[-1]
    doc.write_text(doc.read_text("utf-8").replace("summary:\n  en: ", "summary:\n  en: Edited. ", 1), "utf-8")
    report, changed = regenerate(small, preview)
    assert parsed_paths == [str(doc)]
    assert changed == sorted(
        [
            f"documents/{doc.stem}/index.md",
            f"data/records/documents/{doc.stem}.json",
            *[p for p in changed if p.startswith("data/") and p.endswith((".csv", ".json")) and "/records/" not in p],
        ]
    )
    assert "Edited." in (small.content / f"documents/{doc.stem}/index.md").read_text("utf-8")
    assert not (small.content / "about.md").exists()
    copy = doc.with_name("cn-hubei-wuhan-copy-2022.yaml")  # a record added, then removed
    copy.write_text(doc.read_text("utf-8").replace(f"id: {doc.stem}\n", f"id: {copy.stem}\n", 1), "utf-8")
    _, changed = regenerate(small, preview)
    assert f"documents/{copy.stem}/index.md" in changed and copy.stem in (small.content / writer.MANIFEST).read_text(
        "utf-8"
    )
    copy.unlink()
    _, changed = regenerate(small, preview)
    assert f"documents/{copy.stem}/index.md" in changed and not (small.content / f"documents/{copy.stem}").exists()
    assert copy.stem not in (small.content / writer.MANIFEST).read_text("utf-8")


def test_english_titles_are_not_shown_twice(real_site):
    ds = build_dataset(require_valid(ROOT / "data").loaded, ROOT / "data")
    english = [d for d in ds.documents.values() if d.title.en == d.title.original]
    translated = next(d for d in ds.documents.values() if d.title.en != d.title.original)
    assert english, "the data has documents titled in English"
    for doc in english:
        html = (real_site.paths.site / "documents" / doc.id / "index.html").read_text("utf-8")
        head = html.split("<title>", 1)[1].split("</title>", 1)[0]
        assert head.count(doc.title.en.split()[0]) == 1 and 'class="atlas-subtitle"' not in html, doc.id
    html = (real_site.paths.site / "documents" / translated.id / "index.html").read_text("utf-8")
    assert 'class="atlas-subtitle"' in html


def test_serve_recompiles_templates_only_when_one_changed(small, monkeypatch):
    from generator import serve
    from generator.build import Preview
    from generator.render import TEMPLATES, environment

    runs = []
    monkeypatch.setattr(serve, "_regenerate", lambda paths, preview: runs.append(paths))
    before = environment()
    serve.on_changes({(2, str(small.data / "documents" / "x.yaml"))}, small, Preview())
    assert environment() is before and len(runs) == 1
    serve.on_changes({(2, str(TEMPLATES / "document.md.j2"))}, small, Preview())
    assert environment() is not before and len(runs) == 2
