"""Search index and generated query pairs (generator/search.py, issue #16): unit cases, and the
real site's index holding plain text. Ranking itself is tested in Chromium:
tests/browser/test_search.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generator import search
from generator.dataset import build_dataset
from generator.loader import load_data

ROOT = Path(__file__).resolve().parent.parent
ZWSP = "\u200b"


def separator() -> re.Pattern:
    """The search separator of mkdocs.yml (a JavaScript pattern that Python's re reads the same)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    plugin = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    return re.compile(plugin["separator"])


def tokens(text: str) -> list[str]:
    """Split ``text`` the way the browser does (tags dropped, then the separator), lower-cased."""
    return [t.lower() for t in separator().split(re.sub(r"<[^>]+>", " ", text)) if t]


@pytest.fixture(scope="module")
def ds():
    return build_dataset(load_data(ROOT / "data"), ROOT / "data")


def test_index_entry_resolves_references_but_keeps_markup_and_the_three_html_escapes():
    entry = {
        "location": "x/",
        "title": "Seoul&#x27;s &quot;plan&quot; R&amp;D &lt;b&gt;",
        "text": "<p>Q&amp;A</p> <code>a&lt;b</code>",
        "tags": ["Tourism &amp; culture", "it&#x27;s"],
        "boost": 2,
    }
    out = search.index_entry(entry)
    assert out["title"] == 'Seoul\'s "plan" R&amp;D &lt;b&gt;'
    assert out["text"] == "<p>Q&amp;A</p> <code>a&lt;b</code>"
    assert out["tags"] == ["Tourism &amp; culture", "it's"]
    assert out["boost"] == 2 and "numbers" not in out
    assert search.index_entry({"location": "y/", "title": "&#38;", "text": ""})["title"] == "&amp;"


def test_index_entry_joins_units_to_numbers_and_restores_end_marks():
    text = f"目标{ZWSP}3500{ZWSP}亿元{ZWSP}，100{ZWSP}家{ZWSP}以上 15 {ZWSP}个{ZWSP} 2022{ZWSP}年"
    out = search.index_entry({"location": "x/", "title": f"亚{ZWSP}斯岛", "text": text})
    assert out["text"] == f"{ZWSP}目标{ZWSP}3500亿元{ZWSP}，100家{ZWSP}以上 15 {ZWSP}个{ZWSP} 2022年{ZWSP}"
    assert out["title"] == f"{ZWSP}亚{ZWSP}斯岛{ZWSP}"  # Material strips the marks at both ends
    assert out["numbers"] == "3,500亿元"


def test_separator_drops_one_character_segments_and_entities_and_keeps_numbers_whole():
    out = search.index_entry(
        {
            "location": "x/",
            "title": "",
            "text": f"<p>{ZWSP}在{ZWSP}上海{ZWSP}的{ZWSP}3,500亿元 R&amp;D Seoul's 100家 15%</p>",
        }
    )
    assert tokens(out["text"]) == ["上海", "3,500亿元", "r", "d", "seoul's", "100家", "15"]
    assert tokens("武汉2022 3~5 300+") == ["武汉", "2022", "3", "5", "300"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("3500亿元 and 3,500 and 12345家 and 2022年 and 310101", "3,500亿元 3500 12,345家"),
        ("1,234,567.5 元 0.1234 2,022 2022", "1234567 2022"),
        ("no numbers 999", ""),
    ],
)
def test_other_forms(text, expected):
    assert search.other_forms(text) == expected


@pytest.mark.parametrize(
    "name,short",
    [
        ("武汉市", "武汉"),
        ("内蒙古自治区", "内蒙古"),
        ("浦东新区", "浦东"),
        ("首尔特别市", "首尔"),
        ("拉萨经济技术开发区", "拉萨经济技术开发区"),
        ("北京", "北京"),
        ("东城区", "东城"),
        ("中国", "中国"),
    ],
)
def test_short_zh(name, short):
    assert search.short_zh(name) == short


@pytest.mark.parametrize(
    "as_stated,value,unit,figure",
    [
        ("突破3500亿元", 3500, "亿元", "3500亿元"),
        ("超过15,000亿元", 15000, "亿元", "15,000亿元"),
        ("新增专利申请2000项", 2000, "个/家/项", "2000项"),
        ("3~5个产业发展集聚区", None, "个/家/项", None),
        ("千亿级", 1000, "亿元", None),
        ("5年孵化10家高新企", 10, "个/家/项", "10家"),
        ("数字经济核心产业增加值占GDP比重达到15%", 15, "%", "15%"),
    ],
)
def test_stated_figure(as_stated, value, unit, figure):
    assert search.stated_figure(as_stated, value, unit) == figure


def test_figure_variants():
    assert search.figure_variants("3500亿元") == ["3500亿元", "3,500亿元"]
    assert search.figure_variants("15,000亿元") == ["15,000亿元", "15000亿元"]
    assert search.figure_variants("1.5万亿元") == ["1.5万亿元"]
    assert search.figure_variants("300家") == ["300家"]


def test_passes_one_or_every_expected_page():
    place = search.SearchPair("武汉 政府工作报告", ("documents/a/", "documents/b/"), 3, False, "work report of x")
    assert search.passes(place, ["jurisdictions/x/", "x/", "documents/b/"])
    assert not search.passes(place, ["jurisdictions/x/", "x/", "y/", "documents/a/"])
    figure = search.SearchPair("3500亿元", ("documents/a/", "documents/b/"), 3, True, "figure")
    assert not search.passes(figure, ["documents/a/", "x/", "y/", "documents/b/"])
    assert search.passes(figure, ["documents/b/", "x/", "documents/a/"])


def test_pairs_come_from_the_data(ds):
    pairs = search.search_pairs(ds)
    queries = {p.query: p for p in pairs}
    wuhan = "documents/cn-hubei-wuhan-gwr-2022/"
    assert wuhan in queries["武汉 政府工作报告"].expected and wuhan in queries["Wuhan government work report"].expected
    assert wuhan in queries["武汉市 政府工作报告"].expected
    assert "documents/cn-hubei-wuhan-metaverse-implementation-plan-2022/" in queries["武汉市 元宇宙"].expected
    assert {"3500亿元", "3,500亿元"} <= set(queries) and queries["3500亿元"].expected == queries["3,500亿元"].expected
    reports = {d.jurisdiction for d in ds.documents.values() if d.kind == "government-work-report"}
    dedicated = {d.jurisdiction for d in ds.documents.values() if d.focus == "dedicated"}
    named = {p.why.split(" of ")[1] for p in pairs if not p.every}
    assert named == reports | dedicated
    assert len([p for p in pairs if not p.every]) >= 2 * len(reports | dedicated)


def test_document_title_names_the_place(ds):
    doc = ds.documents["cn-hubei-wuhan-gwr-2022"]
    assert search.document_title(doc, ds) == "政府工作报告 Wuhan Municipal Government Work Report 2022 — 武汉市"
    named = ds.documents["cn-hubei-wuhan-metaverse-implementation-plan-2022"]
    assert " — " not in search.document_title(named, ds)  # its titles name 武汉市 and Wuhan already


def test_jieba_words_hold_place_names_up_to_four_characters(ds):
    words = {line.split()[0] for line in search.jieba_words(ds).splitlines()}
    assert {"武汉市", "武汉", "埼玉县", "埼玉", "江宁区", "江宁"} <= words
    assert "拉萨经济技术开发区" not in words and max(map(len, words)) == search.LONGEST_NAME
    assert all(line.endswith(" 20000 ns") for line in search.jieba_words(ds).splitlines())


def test_real_index_holds_plain_text(real_site):
    """Issue #16: no entity fragments in titles or tokens ("Shanghai';s"), apostrophes as text."""
    index = json.loads((real_site.paths.site / "search/search_index.json").read_text("utf-8"))
    fields = [(d["location"], f, d.get(f)) for d in index["docs"] for f in ("title", "text", "numbers")]
    fields += [(d["location"], "tags", t) for d in index["docs"] for t in d.get("tags", [])]
    bad = [(loc, f, v[:80]) for loc, f, v in fields if v and re.search(r"&(?!(?:amp|lt|gt);)", v)]
    assert not bad
    fragments = [(loc, t) for loc, f, v in fields if v for t in tokens(v) if "&" in t or ";" in t]
    assert not fragments
    titles = [d["title"] for d in index["docs"]]
    assert any("Shanghai's" in t for t in titles) and not any("&#" in t or "';" in t for t in titles)
    wuhan = next(d for d in index["docs"] if d["location"] == "documents/cn-hubei-wuhan-gwr-2022/")
    assert "武汉市" in wuhan["title"] and "Wuhan" in wuhan["title"]
    assert not [d for d in index["docs"] if "#" in d["location"] and "boost" in d]  # a page boost weighs its title only
    assert (real_site.paths.content / search.JIEBA_WORDS).is_file() and not (
        real_site.paths.site / search.JIEBA_WORDS
    ).exists()
