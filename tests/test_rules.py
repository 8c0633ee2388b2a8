"""The counting rules of generator/rules.py, and that every page applies them (issue #12)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, VALID_DIR, contrast

from generator import models, rules
from generator.charts import build_charts, province_map_chart
from generator.dataset import build_dataset
from generator.downloads import PANDAS_DTYPES, build_downloads, tables
from generator.pages import compare_rows, headline_figures, render_pages
from generator.settings import BuildFacts, Settings
from generator.validate import require_valid

AS_OF = "2026-12-07"


def _source(kind: str, publisher: str, original: str | None = None, host: str = "news.example.org") -> models.Source:
    return models.Source(
        id=f"s-{kind}-{abs(hash((publisher, original))) % 10**6}",
        url=f"https://{host}/a.html",
        title="t",
        publisher=publisher,
        original_publisher=original,
        kind=kind,
        language="zh",
        accessed="2026-12-07",
    )


def _cited(*pairs) -> list[rules.Cited]:
    return [rules.Cited(src, models.SourceRef(source=src.id, carries_text=text)) for src, text in pairs]


# --- the reliability ladder: one fixture per rung ---------------------------------------------------


def test_grade_official_text_needs_an_official_source_carrying_the_text():
    gov = _source("government", "Wuhan Municipal People's Government")
    assert rules.grade(_cited((gov, True))) == "official-text"
    assert rules.grade(_cited((gov, False))) == "official-report"
    press = _source("press", "Changjiang Daily")
    assert rules.grade(_cited((press, True))) == "single"  # carrying the text on a press page is not official


def test_grade_official_report_from_state_media():
    assert (
        rules.grade(_cited((_source("state-media", "Xinhua"), False), (_source("press", "Caixin"), False)))
        == "official-report"
    )


def test_grade_two_independent_reports_need_two_named_publishers():
    a, b = _source("press", "Caixin"), _source("press", "The Paper")
    assert rules.grade(_cited((a, False), (b, False))) == "independent"
    # reposts count as their original: two reposts of one story are one publisher
    r1, r2 = _source("repost", "Sohu", "Xinhua"), _source("repost", "Sina", "xinhua")
    assert rules.grade(_cited((r1, False), (r2, False))) == "copies-only"
    assert rules.grade(_cited((r1, False), (a, False))) == "independent"


def test_aggregator_pair_never_counts_as_independent():
    """The Wuhan 2022 case: an aggregator and a rewrite site, neither naming an original."""
    aggregator, rewrite = _source("secondary", "bjlsjy.net"), _source("self-media", "Sohu account")
    assert rules.grade(_cited((aggregator, False), (rewrite, False))) == "copies-only"
    assert rules.grade(_cited((aggregator, False), (rewrite, False), (_source("press", "Caixin"), False))) == "single"


def test_grade_single_and_copies_only():
    assert rules.grade(_cited((_source("press", "Caixin"), False))) == "single"
    assert rules.grade(_cited((_source("repost", "Sohu", "Xinhua"), False))) == "copies-only"


# --- statuses and the counting rule -------------------------------------------------------------


def _target(**changes) -> models.Target:
    base = {
        "id": "t",
        "metric": "industry-scale",
        "as_stated": "3500亿元",
        "qualifier": "exact",
        "value": 3500.0,
        "unit": "yi-yuan",
        "normalized": 3.5e11,
        "deadline": "2025",
        "scope": "metaverse",
        "sources": [{"source": "s"}],
    }
    return models.Target.model_validate({**base, **changes})


def test_status_is_derived_from_deadline_and_as_of_and_never_blank():
    assert rules.target_status(_target(), "2025-12-31") == "not-yet-due"
    assert rules.target_status(_target(), "2026-01-01") == "not-checked"
    assert rules.target_status(_target(deadline="2025-06"), "2025-07-01") == "not-checked"
    met = _target(outcome={"status": "met", "sources": [{"source": "s"}]})
    assert rules.target_status(met, "2024-01-01") == "met"  # a result reported early wins
    assert rules.target_status(_target(metric="subsidy-cap"), AS_OF) == "not-applicable"
    counts = rules.status_counts(["met", "not-checked", "not-yet-due"])
    assert counts["due"] == 2 and set(counts) == {*rules.TARGET_STATUSES, "due"}


def test_counting_rule_leaves_out_other_scopes_drafts_meetings_and_subsidy_caps():
    ds = build_dataset(require_valid(VALID_DIR).loaded, VALID_DIR, AS_OF)
    final = ds.documents["cn-hubei-wuhan-metaverse-plan-2022"]
    draft = ds.documents["cn-hubei-wuhan-metaverse-plan-draft-2022"]
    assert rules.exclusion(_target(), final) is None
    for scope in ("broader", "driven", "vr-xr"):
        assert rules.exclusion(_target(scope=scope), final) == "scope"
    assert rules.exclusion(_target(), draft) == "draft"
    assert rules.exclusion(_target(metric="subsidy-cap"), final) == "subsidy-cap"
    assert rules.exclusion(_target(), final.model_copy(update={"kind": "meeting"})) == "not-issued"


# --- every page applies the rule ----------------------------------------------------------------


def _add_uncounted_targets(data: Path) -> None:
    """Add a wider-sector, a VR/XR, a driven and a draft target, each larger than every counted one."""
    doc = data / "documents" / "cn" / "cn-hubei" / "cn-hubei-wuhan-metaverse-plan-2022.yaml"
    text = doc.read_text("utf-8")
    extra = ""
    for i, scope in enumerate(("broader", "vr-xr", "driven")):
        extra += (
            f"  - id: extra-{scope}\n    metric: industry-scale\n    as_stated: {9000 + i}亿元\n    qualifier: exact\n"
            f"    value: {9000 + i}\n    unit: yi-yuan\n    normalized: {(9000 + i) * 100000000}\n"
            "    deadline: '2025'\n"
            f"    scope: {scope}\n    sources:\n      - source: example-news-2022-11-wuhan-metaverse-plan\n"
        )
    doc.write_text(
        text.replace("\nnotes:", "\n" + extra.rstrip("\n") + "\nnotes:", 1) if "\nnotes:" in text else text + extra,
        "utf-8",
    )
    draft = data / "documents" / "cn" / "cn-hubei" / "cn-hubei-wuhan-metaverse-plan-draft-2022.yaml"
    dtext = draft.read_text("utf-8")
    assert "targets:\n" in dtext
    dtext = dtext.replace(
        "targets:\n",
        "targets:\n  - id: extra-draft\n    metric: enterprises\n    as_stated: 9999个\n"
        "    qualifier: exact\n    value: 9999\n    unit: count\n    normalized: 9999\n    deadline: '2025'\n"
        "    scope: metaverse\n    sources:\n      - source: example-news-2022-11-wuhan-metaverse-plan\n",
        1,
    )
    draft.write_text(dtext, "utf-8")


def _default_figures(data: Path) -> dict:
    ds = build_dataset(require_valid(data).loaded, data, AS_OF)
    charts = build_charts(ds)
    figures = headline_figures(ds)
    figures.pop("other_targets")
    return {
        "figures": figures,
        "charts": {
            name: (c.rows, c.rule) for name, c in charts.items() if name in ("industry-scale-targets", "count-targets")
        },
        "compare": [{k: str(v) for k, v in row.items()} for row in compare_rows(ds, _linker(ds))],
        "status": ds.status_counts(ds.counted_rows),
    }


def _linker(ds):
    from generator.pages import Linker

    return Linker("compare.md", ds)


def test_uncounted_targets_change_no_default_figure(tmp_path: Path):
    base = tmp_path / "base"
    shutil.copytree(VALID_DIR, base)
    more = tmp_path / "more"
    shutil.copytree(VALID_DIR, more)
    _add_uncounted_targets(more)
    before, after = _default_figures(base), _default_figures(more)
    ds_more = build_dataset(require_valid(more).loaded, more, AS_OF)
    assert len(ds_more.target_rows) == len(build_dataset(require_valid(base).loaded, base, AS_OF).target_rows) + 4
    assert after == before


@pytest.fixture(scope="module")
def real():
    ds = build_dataset(require_valid(ROOT / "data").loaded, ROOT / "data", AS_OF)
    charts = build_charts(ds)
    facts = BuildFacts(version="0", data_as_of=AS_OF, settings=Settings.from_options())
    handwritten = {p.name: p.read_text("utf-8") for p in sorted((ROOT / "pages").glob("*.md"))}
    handwritten["contributing.md"] = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    return ds, charts, render_pages(ds, charts, handwritten, facts, figures=headline_figures(ds))


def test_every_target_has_a_status_in_pages_and_downloads(real):
    ds, _, pages = real
    rows = tables(ds)["targets"]
    assert rows and all(r["status"] in rules.TARGET_STATUSES for r in rows)
    for doc_id, rows_ in ds.targets_by_document.items():
        page = pages[f"documents/{doc_id}/index.md"]
        for row in rows_:
            label = rules.TARGET_STATUSES[ds.status(row)][0]
            assert label in page, (doc_id, row.target.id)


def test_provincial_status_agrees_on_map_coverage_compare_and_own_page(real):
    ds, charts, pages = real
    provinces = [j for j in ds.jurisdictions.values() if j.level == "provincial-level" and j.country == "CN"]
    assert len(provinces) == 31
    on_map = {r["name"]: r["status"] for r in province_map_chart(ds, "../").rows}
    compare = {r["id"]: r["status"] for r in compare_rows(ds, _linker(ds))}
    coverage = pages["coverage.md"]
    for j in provinces:
        status = ds.research_status(j.id)
        en, zh, _ = rules.RESEARCH_STATUSES[status]
        assert on_map[f"{j.name_zh} {j.name_en}"] == en
        assert compare.get(j.id, status) == status
        line = next(line for line in coverage.splitlines() if f"jurisdictions/{j.id}/index.md" in line and "|" in line)
        assert f"{zh} {en}" in line
        assert f"{zh} {en}" in pages[f"jurisdictions/{j.id}/index.md"]


def _number_forms(value: float) -> set[str]:
    whole = int(value) if float(value).is_integer() else None
    forms = {repr(value), f"{value:e}", f"{value:E}"}
    if whole is not None:
        forms |= {str(whole), f"{whole:,}", f"{whole:_}", f"{value:.1f}"}
    return forms


def test_no_page_prints_a_base_unit_number_of_more_than_six_digits(real):
    ds, _, pages = real
    big = {
        v
        for r in ds.target_rows
        for v in (r.target.normalized, r.target.normalized_low, r.target.normalized_high)
        if v is not None and abs(v) >= 1e6
    }
    assert big, "the real data has normalized figures above a million"
    big |= {5e6}  # the glossary's subsidy-ceiling example (500万元)
    forms = {f for v in big for f in _number_forms(v)}
    digits = re.compile(r"(?<![\w.])\d[\d,_]{6,}(?:\.\d+)?")
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        # Link targets, code blocks and code spans are not read as figures (they show data as it is
        # written in a record file: `normalized: 100000000000`).
        visible = re.sub(r"```.*?```|`[^`\n]*`|\]\([^)]*\)|href=\"[^\"]*\"|src=\"[^\"]*\"", "", text, flags=re.S)
        for match in digits.findall(visible):
            assert match not in forms, (path, match)
        assert not any(f in visible for f in forms if "e+" in f.lower()), path


def test_datapackage_fields_have_types_and_descriptions_and_pandas_reads_them(real, tmp_path: Path):
    ds, _, _ = real
    files = build_downloads(ds, BuildFacts(version="0", data_as_of=AS_OF))
    package = json.loads(files["data/datapackage.json"])
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f["description"].strip() for f in fields), resource["name"]
        path = tmp_path / resource["path"]
        path.write_bytes(files[f"data/{resource['path']}"])
        dtypes = {f["name"]: PANDAS_DTYPES[f["type"]] for f in fields}
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
        assert list(frame.columns) == [f["name"] for f in fields]
        for f in fields:
            assert str(frame[f["name"]].dtype) == PANDAS_DTYPES[f["type"]], (resource["name"], f["name"])
    targets = pd.read_csv(
        tmp_path / "targets.csv",
        dtype={"deadline_year": "Int64", "counted": "boolean"},
        keep_default_na=False,
        na_values=[""],
    )
    assert int(targets["counted"].sum()) == len(ds.counted_rows)
    assert (
        set(targets["deadline_year"].dropna()) <= set(range(2015, 2101))
        and targets["deadline_year"].notna().sum() > 100
    )
    jur = pd.read_csv(
        tmp_path / "jurisdictions.csv", dtype={"division_code": "string"}, keep_default_na=False, na_values=[""]
    )
    codes = jur["division_code"].dropna()
    assert len(codes) and all(len(c) == 6 for c in codes)


def test_every_chart_states_its_rule_and_n(real):
    _, charts, pages = real
    assert len(charts) > 10
    for name, chart in charts.items():
        assert chart.rule.startswith(("Counted: ", "Status: ")) and re.search(r"N = \d+", chart.rule), name
    assert charts["industry-scale-targets"].rule in pages["targets.md"]


def test_chart_categories_fit_their_palette_and_tiles_keep_contrast(real):
    _, charts, _ = real
    for name, chart in charts.items():
        for layer in [chart.spec, *chart.spec.get("layer", [])]:
            color = (layer.get("encoding") or {}).get("color") or {}
            field = color.get("field")
            if not field or color.get("type") != "nominal":
                continue
            values = {r[field] for r in chart.rows if field in r} if chart.rows else set()
            domain = (color.get("scale") or {}).get("domain")
            size = len(domain) if domain else len(values)
            assert size <= 10, (name, field, size)  # category10: no two categories share a colour
    tiles = charts["province-map"].spec
    fills = dict(
        zip(
            tiles["layer"][0]["encoding"]["color"]["scale"]["domain"],
            tiles["layer"][0]["encoding"]["color"]["scale"]["range"],
        )
    )
    text_colors = _tile_text_colors(tiles)
    for status, fill in fills.items():
        assert contrast(fill, text_colors.get(status, "#000000")) >= 4.5, (status, fill)


def _tile_text_colors(spec: dict) -> dict:
    label = spec["layer"][1]["encoding"].get("color", {})
    scale = label.get("scale", {})
    return dict(zip(scale.get("domain", []), scale.get("range", [])))


def test_a_related_plan_carries_no_research_status():
    """An XR or VR plan that does not name the metaverse (focus ``related``) is listed, but the
    jurisdiction's status rests only on documents that name it (methodology, focus)."""
    loaded = require_valid(VALID_DIR, None).loaded
    final = next(loc.record for loc in loaded.records["documents"] if loc.record.is_final)
    related = final.model_copy(update={"focus": "related"})
    assert not related.names_metaverse and final.names_metaverse
    assert rules.research_status([related], None) == "not-researched"
    assert rules.research_status([related, final.model_copy(update={"focus": "mention"})], None) == "mentioned"
    assert rules.research_status([final.model_copy(update={"focus": "dedicated"})], None) == "dedicated-plan"


def test_a_related_plan_stays_out_of_the_adoption_charts(valid_data):
    """The adoption and focus-spread charts count what the research status counts: a final
    document that names the metaverse; the same plan coded ``related`` leaves both at zero."""
    from generator.charts import adoption_chart, focus_spread_chart

    before = build_dataset(require_valid(valid_data, None).loaded, valid_data, "2026-12-07")
    assert adoption_chart(before).rule.endswith("N = 1 jurisdictions in China.")
    assert focus_spread_chart(before).rule.endswith("N = 1 jurisdictions.")
    final = valid_data / "documents" / "cn" / "cn-hubei" / "cn-hubei-wuhan-metaverse-plan-2022.yaml"
    final.write_text(final.read_text("utf-8").replace("focus: dedicated", "focus: related"), "utf-8")
    after = build_dataset(require_valid(valid_data, None).loaded, valid_data, "2026-12-07")
    assert adoption_chart(after).rule.endswith("N = 0 jurisdictions in China.")
    assert focus_spread_chart(after).rule.endswith("N = 0 jurisdictions.")
    assert rules.POLICY_RULE in adoption_chart(after).rule
    # the home page's count of jurisdictions follows the same rule, and says what it leaves out
    assert (headline_figures(before)["jurisdictions"], headline_figures(before)["related"]) == (1, 0)
    assert (headline_figures(after)["jurisdictions"], headline_figures(after)["related"]) == (0, 1)


def test_the_timeline_groups_every_document_once_by_year_with_the_undated_last():
    """The timeline had two "Undated" headings with one anchor: open-start intervals (``../2025``)
    sorted first and undated documents last. One group per year, the undated group last."""
    data = ROOT / "data"
    ds = build_dataset(require_valid(data).loaded, data, AS_OF)
    groups = ds.documents_by_year()
    years = [y for y, _ in groups]
    assert years[-1] is None and None not in years[:-1]
    assert years[:-1] == sorted(years[:-1]) and len(set(years)) == len(years)
    assert sum(len(docs) for _, docs in groups) == len(ds.documents)
    assert any(d.date and d.date.startswith("../") for d in groups[-1][1])
