"""Property tests of the generator (issue 7): random, mostly valid records through validation and
rendering, in memory (no MkDocs).

Each example rewrites, in one copy of the valid folder, the main document (random titles, issuers,
summaries, relations, disputes, targets with consistent random figures), a source, the
jurisdiction table and the coverage record, using random Unicode (CJK, full-width forms), Markdown
punctuation and HTML fragments, then calls :func:`generator.build.generate`. Invariants:

- it returns, or raises :class:`~generator.errors.DataInvalid` whose problems all have known codes;
  nothing else is ever raised;
- every generated page's front matter parses with PyYAML as MkDocs reads it (else MkDocs would
  render it as Markdown, raw HTML included);
- outside fenced code blocks (which Python-Markdown escapes), no page holds a raw ``<script``;
- every generated page, rendered by Python-Markdown with the site's extensions, passes
  :func:`html_audit.audit_html`: no event-handler attribute, no script, no javascript:/data: URL.

Chart SVGs are not drawn (vl-convert takes ~1 s per example); the combined injection build draws
them. U+FFFE and U+FFFF are left out of the alphabet: validation accepts them and vl-convert aborts
the process on them (see ``test_injection.py::test_noncharacter_in_chart_text``).
``FUZZ_EXAMPLES=400`` runs a longer campaign.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import ROOT, VALID_DIR, read_csv, write_csv, write_yaml
from html_audit import audit_html
from hypothesis import HealthCheck, event, given, settings, strategies as st

from generator import build as build_module
from generator.build import Paths, Report, generate
from generator.errors import CODES, DataInvalid
from generator.plausibility import figure_problem
from generator.yamlio import parse_yaml

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
DOC_REL = "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml"
SOURCE_REL = "sources/2022/example-news-2022-11-wuhan-metaverse-plan.yaml"
COVERAGE_REL = "coverage/cn-hubei-wuhan.yaml"
SOURCES = ["example-news-2022-11-wuhan-metaverse-plan", "example-wuhan-gov-2022-08-metaverse-plan-draft"]
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


def _vocab(name: str) -> dict[str, dict]:
    parsed = parse_yaml((VALID_DIR / "vocab" / f"{name}.yaml").read_bytes(), name)
    return {t["id"]: t for t in parsed.value["terms"]}


UNITS, METRICS, THEMES, RELATIONS = (_vocab(n) for n in ("units", "metrics", "themes", "relations"))

# Text --------------------------------------------------------------------------------------

TOKENS = [
    "<script>",
    "</script>",
    "<SCRIPT>",
    "<img src=x onerror=window.__pwned=1>",
    "<svg/onload=window.__pwned=1>",
    "javascript:",
    "[x](javascript:window.__pwned=1)",
    "](",
    "[",
    "]",
    "![i](https://evil.example/i.png)",
    "{: onclick=x }",
    "{",
    "}",
    "|",
    "\n",
    "\n\n",
    "\n---\n",
    "---",
    "...",
    "`",
    "```",
    "~~~",
    "&",
    "&lt;",
    "&#106;",
    "\\",
    "'",
    '"',
    "\t",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "{{ 7*7 }}",
    "{%",
    "%}",
    "${",
    "=",
    "+",
    "-",
    "@",
    "#",
    "* ",
    "_",
    "~",
    ">",
    "!!! note",
    '=== "x"',
    "    ",
    ": ",
    "- ",
    "元宇宙",
    "武汉市",
    "（",
    "）",
    "＜script＞",
    "１２",
    "　",
    "🙂",
    "e\u0301",
    "\u00a0",
    "\u3000",
    "datum.x",
    "signal('w')",
    "../",
    "%2e%2e/",
    '<div markdown="1">',
    "</div>",
    "<https://example.org>",
    "<a@b.c>",
]
# Controls, format characters (zero-width, bidi) and line separators are refused by validation
# (tests/fixtures/bad/control-character-*); leaving them out keeps most examples valid.
CHARS = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), exclude_characters="\ufffe\uffff"
)
TEXT = (
    st.lists(
        st.one_of(
            st.sampled_from(TOKENS),
            st.text(CHARS, min_size=1, max_size=8),
            st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=8,
    )
    .map("".join)
    .filter(lambda s: s.strip())
)
OPTIONAL_TEXT = st.one_of(st.none(), TEXT)
DATES = st.sampled_from(["2022-10-28", "2022-11", "2022", "2022-11-03~", "2022-10?", "2022/2025"])
DEADLINES = st.sampled_from(["2025", "2025-12-31", "2025~", "2026?", "2030", "2021"])


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != []}


# Records -----------------------------------------------------------------------------------


@st.composite
def source_refs(draw, min_size=1):
    refs = draw(st.lists(st.sampled_from(SOURCES), min_size=min_size, max_size=2, unique=True))
    return [_drop_none({"source": s, "locator": draw(OPTIONAL_TEXT)}) for s in refs]


@st.composite
def figures(draw) -> dict:
    """A target's qualifier, unit and consistent value/normalized fields."""
    unit = draw(st.sampled_from(sorted(UNITS)))
    factor = UNITS[unit]["factor"]
    number = st.one_of(st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
    qualifier = draw(st.sampled_from(["exact", "at-least", "at-most", "approximately", "range", "order-of-magnitude"]))
    if qualifier == "range":
        low, high = sorted((draw(number), draw(number)))
        out = {
            "qualifier": qualifier,
            "unit": unit,
            "low": low,
            "high": high,
            "normalized_low": low * factor,
            "normalized_high": high * factor,
        }
    else:
        value = draw(number)
        out = {"qualifier": qualifier, "unit": unit, "value": value, "normalized": value * factor}
    base_unit = UNITS[unit].get("base_unit")
    if any(figure_problem(out[k] * factor, base_unit, False) for k in ("value", "low", "high") if k in out):
        out["unusual_figure"] = "a generated figure outside the plausible range"  # zero, or above the unit's limit
    return out


@st.composite
def targets(draw) -> list[dict]:
    out = []
    for i in range(draw(st.integers(0, 4))):
        outcome = None
        if draw(st.booleans()):
            status = draw(st.sampled_from(["achieved", "not-achieved", "unknown"]))
            outcome = _drop_none(
                {
                    "status": status,
                    "note": draw(OPTIONAL_TEXT),
                    "sources": draw(source_refs(min_size=0 if status == "unknown" else 1)),
                }
            )
        baseline = None
        if draw(st.booleans()):
            baseline = _drop_none(
                {"value": draw(st.integers(1, 100)), "year": "2020", "as_stated": draw(OPTIONAL_TEXT)}
            )
        out.append(
            _drop_none(
                {
                    "id": f"target-{i}",
                    "metric": draw(st.sampled_from(sorted(METRICS))),
                    "subject": draw(OPTIONAL_TEXT),
                    "as_stated": draw(TEXT),
                    **draw(figures()),
                    "deadline": draw(DEADLINES),
                    "baseline": baseline,
                    "scope": draw(st.sampled_from(["metaverse", "broader"])),
                    "locator": draw(OPTIONAL_TEXT),
                    "sources": draw(source_refs()),
                    "outcome": outcome,
                    "note": draw(OPTIONAL_TEXT),
                }
            )
        )
    return out


@st.composite
def documents(draw) -> dict:
    disputes = []
    if draw(st.booleans()):
        preferred = draw(st.integers(0, 1))
        disputes.append(
            {
                "field": draw(TEXT),
                "reason": draw(TEXT),
                "values": [
                    {"value": draw(TEXT), "sources": [SOURCES[i]], "preferred": i == preferred} for i in range(2)
                ],
            }
        )
    relations = []
    if draw(st.booleans()):
        relations.append(
            _drop_none(
                {
                    "type": draw(st.sampled_from(sorted(RELATIONS))),
                    "document": "cn-hubei-wuhan-metaverse-plan-draft-2022",
                    "note": draw(OPTIONAL_TEXT),
                }
            )
        )
    return _drop_none(
        {
            "id": "cn-hubei-wuhan-metaverse-plan-2022",
            "jurisdiction": "cn-hubei-wuhan",
            "title": _drop_none(
                {
                    "original": draw(TEXT),
                    "language": draw(st.sampled_from(["zh", "en", "ko"])),
                    "en": draw(TEXT),
                    "en_official": draw(st.booleans()),
                    "zh": draw(OPTIONAL_TEXT),
                    "alternatives": draw(st.lists(TEXT, max_size=2)),
                }
            ),
            "kind": "action-plan",
            "status": "issued",
            "focus": draw(st.sampled_from(["dedicated", "chapter", "mention"])),
            "issuers": draw(st.lists(st.fixed_dictionaries({"name": TEXT, "name_en": TEXT}), min_size=1, max_size=3)),
            "dates": _drop_none({"announced": draw(st.one_of(st.none(), DATES)), "issued": draw(DATES)}),
            "document_number": draw(OPTIONAL_TEXT),
            "themes": draw(st.lists(st.sampled_from(sorted(THEMES)), max_size=3, unique=True)),
            "summary": _drop_none({"en": draw(TEXT), "zh": draw(OPTIONAL_TEXT)}),
            "relations": relations,
            "sources": draw(source_refs()),
            "disputes": disputes,
            "targets": draw(targets()),
            "notes": draw(OPTIONAL_TEXT),
        }
    )


@st.composite
def sources(draw) -> dict:
    return _drop_none(
        {
            "id": SOURCES[0],
            "url": "https://news.example.org/2022/11/03/wuhan-metaverse.html",
            "title": draw(TEXT),
            "title_en": draw(OPTIONAL_TEXT),
            "publisher": draw(TEXT),
            "original_publisher": draw(TEXT),
            "kind": "repost",
            "language": "zh",
            "published": "2022-11-03",
            "accessed": "2024-05-01",
            "note": draw(OPTIONAL_TEXT),
        }
    )


@st.composite
def coverage(draw) -> dict:
    searches = draw(
        st.lists(
            st.fixed_dictionaries({"query": TEXT, "where": TEXT, "date": st.just("2024-05-01"), "result": TEXT}),
            max_size=2,
        )
    )
    return _drop_none(
        {
            "jurisdiction": "cn-hubei-wuhan",
            "status": "dedicated-plan",
            "evidence": ["cn-hubei-wuhan-metaverse-plan-2022"],
            "searches": searches,
            "note": draw(OPTIONAL_TEXT),
        }
    )


NAMES = st.fixed_dictionaries({"name_en": TEXT, "name_local": OPTIONAL_TEXT, "name_pinyin": OPTIONAL_TEXT})


# Writing and checking ---------------------------------------------------------------------


def _write_names(path: Path, names: dict) -> None:
    rows = read_csv(VALID_DIR / "jurisdictions/cn.csv")
    rows[-1].update({k: v or "" for k, v in names.items()})  # cn-hubei-wuhan; its name_zh is checked against GB/T 2260
    write_csv(path, rows)


def _markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions and settings of mkdocs.yml (MkDocs' own are path rewrites)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    names, settings_ = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings_[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=settings_)


def _without_fences(text: str) -> str:
    """Drop fenced code blocks (Python-Markdown HTML-escapes their content)."""
    return re.sub(r"^( *)(`{3,}|~{3,}).*?^\1\2 *$", "", text, flags=re.S | re.M)


class _BlankSvgs:
    """Stands in for :class:`generator.svg.SvgJobs`: a blank SVG for every chart, none drawn."""

    def __init__(self, charts):
        self.names = list(charts)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def result(self):
        return {name: b"<svg xmlns='http://www.w3.org/2000/svg'/>" for name in self.names}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """One copy of the valid folder, and chart SVGs not drawn, for the whole module."""
    data = shutil.copytree(VALID_DIR, tmp_path_factory.mktemp("fuzz-generator") / "data")
    paths = Paths(
        data=data, pages=ROOT / "pages", contributing=ROOT / "CONTRIBUTING.md", config=ROOT / "mkdocs.yml", cache=None
    )
    handwritten = set(build_module.read_handwritten(paths))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "start_svgs", lambda specs, *args: _BlankSvgs(specs))
        yield paths, handwritten, _markdown()


@FUZZ
@given(doc=documents(), source=sources(), names=NAMES, cov=coverage())
def test_random_records_render_safely_or_fail_with_known_codes(project, doc, source, names, cov):
    paths, handwritten, md = project
    write_yaml(paths.data / DOC_REL, doc)
    write_yaml(paths.data / SOURCE_REL, source)
    write_yaml(paths.data / COVERAGE_REL, cov)
    _write_names(paths.data / "jurisdictions/cn.csv", names)
    try:
        files = generate(paths, Report())
    except DataInvalid as exc:
        assert exc.problems and all(p.code in CODES for p in exc.problems)
        event("invalid: " + ", ".join(sorted({p.code for p in exc.problems})))
        return
    event("valid")
    for name, content in files.items():
        if not name.endswith(".md") or name in handwritten or name == "reference.md":
            continue
        text = content.decode("utf-8")
        match = FRONT_MATTER.match(text)
        if match:
            assert isinstance(yaml.load(match.group(1), yaml.SafeLoader), dict), name
            text = text[match.end() :]
        assert "<script" not in _without_fences(text).lower(), name
        faults = audit_html(md.reset().convert(text))
        assert not faults, (name, faults[:5])


def test_valid_fixture_renders_clean(project):
    """The checks above pass on the unchanged fixture, so a failure points at the random input."""
    paths, handwritten, md = project
    for rel in (DOC_REL, SOURCE_REL, COVERAGE_REL, "jurisdictions/cn.csv"):
        shutil.copyfile(VALID_DIR / rel, paths.data / rel)
    files = generate(paths, Report())
    for name in ("documents/cn-hubei-wuhan-metaverse-plan-2022/index.md", "jurisdictions/cn-hubei-wuhan/index.md"):
        text = files[name].decode("utf-8")
        assert not audit_html(md.reset().convert(text[FRONT_MATTER.match(text).end() :]))
