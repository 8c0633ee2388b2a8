"""Issue 7: no contributor text can inject markup or script.

One combined data set is made from the valid fixture folder: every free-text field of every record
(found from the models, so a new field is covered without editing this file) gets a payload of
``tests/payloads/injection.txt``, cycling through the corpus until every payload is used. The data
stays valid: ids, dates, URLs and vocabulary terms are untouched. The site is built once and
checked statically (every HTML file, the CSV and JSON downloads) and in Chromium (every page).
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import os
import re
import shutil
import types
import typing
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, VALID_DIR, SiteServer, project_paths, read_csv, write_csv, write_yaml
from html_audit import audit_html
from pydantic import AfterValidator, BeforeValidator, StringConstraints

from generator import models
from generator.build import build
from generator.settings import Settings
from generator.validate import validate_data
from generator.yamlio import parse_yaml

CORPUS_FILE = Path(__file__).parent / "payloads" / "injection.txt"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CANARY = "window.__pwned"


# The corpus ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payload:
    """One corpus entry: its class (the ``# == name ==`` heading above it) and its text."""

    cls: str
    text: str


def read_corpus(path: Path = CORPUS_FILE) -> list[Payload]:
    """Return the payloads of ``path`` in file order (see the file's header for the format)."""
    payloads, cls = [], ""
    for line in path.read_text("utf-8").split("\n"):
        heading = re.match(r"^# == (.+) ==$", line)
        if heading:
            cls = heading.group(1)
        elif line.startswith("json: "):
            payloads.append(Payload(cls, json.loads(line[len("json: ") :])))
        elif line and not line.startswith("#"):
            payloads.append(Payload(cls, line))
    return payloads


CORPUS = read_corpus()
PLACED = [p for p in CORPUS if p.cls != "rejected"]
REJECTED = [p for p in CORPUS if p.cls == "rejected"]


def test_corpus_is_large_grouped_and_canaried():
    assert len(PLACED) >= 60
    classes = {p.cls for p in PLACED}
    for needed in (
        "script tags",
        "event-handler attributes",
        "javascript:, data: and vbscript: URLs",
        "attribute breaking",
        "Markdown tricks",
        "template syntax",
        "YAML front-matter breakers",
        "JSON-in-HTML breakers",
        "CSV formula injection",
        "unicode tricks",
        "Vega expression strings",
        "path traversal",
    ):
        assert needed in classes, needed
    assert len({p.text for p in CORPUS}) == len(CORPUS), "duplicate payloads"
    for p in PLACED:
        if p.cls != "CSV formula injection":  # those go into YAML fields, which keep a leading tab
            assert p.text == p.text.strip(), f"leading or trailing space: {p.text!r}"
        if re.search(r"<script|on[a-z]+=|javascript:", p.text, re.I) and "window" in p.text:
            assert CANARY in p.text, p.text


@pytest.mark.parametrize("payload", REJECTED, ids=[p.text.encode("unicode_escape").decode()[:30] for p in REJECTED])
def test_invisible_and_control_characters_are_rejected_in_yaml_and_csv(valid_data, payload):
    doc = next((valid_data / "documents").rglob("*.yaml"))
    data = _yaml_load(doc)
    data["title"]["en"] = payload.text
    write_yaml(doc, data)
    table = valid_data / "jurisdictions" / "cn.csv"
    rows = read_csv(table)
    rows[-1]["name_en"] = payload.text
    write_csv(table, rows)
    # The YAML file is refused as a whole when the dumper wrote the character raw (U+2028), at
    # title.en when it wrote an escape; unknown references to the refused records follow.
    problems = validate_data(valid_data).problems
    assert {Path(p.path).name for p in problems if p.code == "control-character"} == {doc.name, "cn.csv"}, problems
    assert {p.field for p in problems if p.code == "control-character"} <= {"", "title.en", "name_en"}


# Filling every free-text field --------------------------------------------------------------


def _is_free_text(metadata) -> bool:
    """A plain string with a length limit and no pattern or reshaping validator: a title, name,
    note. A validator that only refuses a placeholder (``models._named_publisher``) keeps it free text."""
    constraints = [m for m in metadata if isinstance(m, StringConstraints)]
    validators = [
        m
        for m in metadata
        if isinstance(m, (AfterValidator, BeforeValidator)) and m.func is not models._named_publisher
    ]
    return bool(constraints) and not validators and all(c.pattern is None for c in constraints)


def _kind(annotation, metadata=()):
    """Return ``"text"``, ``"texts"``, a model class, ``[model class]`` or None for a field type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return next((k for k in (_kind(a) for a in args if a is not type(None)) if k), None)
    if origin is typing.Annotated:
        return _kind(args[0], args[1:])
    if origin is list:
        inner = _kind(args[0])
        return "texts" if inner == "text" else [inner] if isinstance(inner, type) else None
    if annotation is str:
        return "text" if _is_free_text(metadata) else None
    if isinstance(annotation, type) and issubclass(annotation, models.Record):
        return annotation
    return None


def free_text_fields(model: type[models.Record]) -> dict:
    """Return ``{field name: kind}`` for every field of ``model`` that holds or contains free text."""
    out = {}
    for name, info in model.model_fields.items():
        kind = _kind(info.annotation, info.metadata)
        if kind:
            out[name] = kind
    return out


def test_free_text_fields_are_found_from_the_models():
    assert free_text_fields(models.Title) == {"original": "text", "en": "text", "zh": "text", "alternatives": "texts"}
    assert set(free_text_fields(models.Source)) == {
        "title",
        "title_en",
        "publisher",
        "original_publisher",
        "note",
        "idn_host",
    }
    assert set(free_text_fields(models.Target)) == {
        "subject",
        "as_stated",
        "baseline",
        "locator",
        "sources",
        "outcome",
        "note",
        "unusual_figure",
    }
    assert "url" not in free_text_fields(models.Source) and "deadline" not in free_text_fields(models.Target)


@dataclass(frozen=True)
class Slot:
    """One filled field: the record it belongs to and the value written there."""

    kind: str  # folder under data/
    record: str  # id (jurisdiction id for coverage, file name for vocabularies and corrections)
    path: tuple
    value: str
    from_csv: bool = False

    @property
    def stored(self) -> str:
        """The value the loader keeps: NFC-normalized, and trimmed in CSV cells."""
        text = unicodedata.normalize("NFC", self.value)
        return text.strip() if self.from_csv else text


class Filler:
    """Hands out payloads in turn and records every slot it fills. CSV formulas come first, then the
    unicode tricks, so that they land in sources and documents, whose fields are downloaded as CSV
    and JSON (the JSON must hold them NFC-normalized)."""

    FIRST = ("CSV formula injection", "unicode tricks")

    def __init__(self, payloads: list[Payload]):
        self.payloads = sorted(
            payloads, key=lambda p: self.FIRST.index(p.cls) if p.cls in self.FIRST else len(self.FIRST)
        )
        self.count = 0
        self.slots: list[Slot] = []

    def take(self, kind: str, record: str, path: tuple, from_csv: bool = False) -> str:
        text = self.payloads[self.count % len(self.payloads)].text
        self.count += 1
        self.slots.append(Slot(kind, record, path, text, from_csv))
        return text

    def fill(self, data: dict, model, kind: str, record: str, path: tuple = ()) -> None:
        """Put a payload in every free-text field of ``data`` (a record of ``model``), recursively."""
        for name, field_kind in free_text_fields(model).items():
            here = path + (name,)
            if field_kind == "text":
                data[name] = self.take(kind, record, here)
            elif field_kind == "texts":
                data[name] = [self.take(kind, record, here + (i,)) for i in range(2)]
            elif isinstance(field_kind, list):
                for i, item in enumerate(data.get(name) or []):
                    self.fill(item, field_kind[0], kind, record, here + (i,))
            elif data.get(name) is not None:
                self.fill(data[name], field_kind, kind, record, here)

    def rest(self) -> list[str]:
        """Payloads not handed out yet (when the fields ran out before the corpus)."""
        return [p.text for p in self.payloads[self.count :]]


def _yaml_load(path: Path) -> dict:
    parsed = parse_yaml(path.read_bytes(), str(path))
    assert parsed.value is not None, parsed.problems
    return parsed.value


def inject(data_dir: Path, payloads: list[Payload]) -> list[Slot]:
    """Fill every free-text field under ``data_dir`` with payloads; return the filled slots."""
    filler = Filler(payloads)
    first_doc = None
    correction = data_dir / "corrections" / "2024-06-01-cn-hubei-wuhan-metaverse-plan-2022.yaml"
    correction.parent.mkdir(exist_ok=True)
    write_yaml(
        correction,
        {
            "date": "2024-06-01",
            "kind": "document",
            "record": "cn-hubei-wuhan-metaverse-plan-2022",
            "field": "x",
            "old": "x",
            "new": "x",
            "sources": ["example-news-2022-11-wuhan-metaverse-plan"],
        },
    )
    for folder, model in (
        ("sources", models.Source),
        ("documents", models.Document),
        ("coverage", models.Coverage),
        ("corrections", models.Correction),
    ):
        for path in sorted((data_dir / folder).rglob("*.yaml")):
            data = _yaml_load(path)
            record = path.stem if folder == "corrections" else data.get("id") or data["jurisdiction"]
            filler.fill(data, model, folder, record)
            if folder == "documents" and first_doc is None:
                first_doc = (path, data)
            write_yaml(path, data)
    for table in sorted((data_dir / "jurisdictions").glob("*.csv")):
        rows = read_csv(table)
        for row in rows:
            for name in free_text_fields(models.Jurisdiction):
                row[name] = filler.take("jurisdictions", row["id"], (name,), from_csv=True)
        write_csv(table, rows)
    for path in sorted((data_dir / "vocab").glob("*.yaml")):
        data = _yaml_load(path)
        for i, term in enumerate(data["terms"]):
            filler.fill(term, models.Term, "vocab", path.stem, (i,))
        write_yaml(path, data)
    rest = filler.rest()
    if rest:  # more payloads than fields: the first document's other titles take the rest
        path, data = first_doc
        start = len(data["title"]["alternatives"])
        data["title"]["alternatives"] += rest
        filler.slots += [
            Slot("documents", data["id"], ("title", "alternatives", start + i), t) for i, t in enumerate(rest)
        ]
        write_yaml(path, data)
    return filler.slots


# The combined build -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """The combined payload site, built with the real pages and config and served on 127.0.0.1.

    A namespace with ``paths``, ``url``, ``slots`` (every filled field) and ``pages`` (every HTML
    file's path relative to the site, except 404.html and search/).
    """
    root = tmp_path_factory.mktemp("injection")
    data = shutil.copytree(VALID_DIR, root / "data")
    slots = inject(data, PLACED)
    problems = validate_data(data).problems
    assert not problems, "\n".join(p.format() for p in problems)
    site = root / "site"
    server = SiteServer(site)
    url = server.url
    paths = project_paths(
        root, data, site=site, settings=Settings(site_url=url, repository="https://github.com/owner/atlas")
    )
    with contextlib.chdir(ROOT):  # the jieba dictionary path in mkdocs.yml is relative to the working directory
        build(paths)
    pages = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.name != "404.html" and not p.relative_to(site).as_posix().startswith("search/")
    )
    yield types.SimpleNamespace(paths=paths, url=url, slots=slots, pages=pages)
    server.close()


def test_every_payload_fills_fields_of_every_kind(injected):
    used = {s.value for s in injected.slots}
    assert used == {p.text for p in PLACED}
    kinds = {s.kind for s in injected.slots}
    assert kinds == {"sources", "documents", "coverage", "corrections", "jurisdictions", "vocab"}
    filled = {(s.kind, ".".join(str(p) for p in s.path if not isinstance(p, int))) for s in injected.slots}
    for expected in (
        "title.original",
        "title.en",
        "title.zh",
        "title.alternatives",
        "issuers.name",
        "summary.en",
        "summary.zh",
        "notes",
        "relations.note",
        "disputes.field",
        "disputes.reason",
        "disputes.values.value",
        "targets.subject",
        "targets.as_stated",
        "targets.locator",
        "targets.note",
        "targets.outcome.note",
        "targets.baseline.as_stated",
        "document_number",
    ):
        assert ("documents", expected) in filled, expected
    for expected in ("note", "searches.query", "searches.where", "searches.result"):
        assert ("coverage", expected) in filled, expected
    assert {"field", "old", "new", "note"} <= {f for k, f in filled if k == "corrections"}
    assert {"name_en", "name_zh", "name_local", "name_pinyin"} <= {f for k, f in filled if k == "jurisdictions"}
    assert len(injected.pages) >= 20


def test_no_page_carries_handlers_script_urls_or_foreign_scripts(injected):
    faults = {}
    for rel in injected.pages:
        found = audit_html((injected.paths.site / rel).read_text("utf-8"))
        if found:
            faults[rel] = found[:5]
    assert not faults, json.dumps(faults, indent=1, ensure_ascii=False)


def test_feed_and_front_matter_stay_well_formed(injected):
    import xml.etree.ElementTree as ET

    ET.fromstring((injected.paths.site / "feed.xml").read_bytes())  # raises on injected markup
    for page in injected.paths.content.rglob("*.md"):
        text = page.read_text("utf-8")
        match = re.match(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", text, re.S)
        if match:  # MkDocs renders unparsable front matter as page text: it must always parse
            assert isinstance(yaml.load(match.group(1), yaml.SafeLoader), dict), page


def test_csv_downloads_neutralize_formulas(injected):
    cells = []
    for table in injected.paths.site.rglob("*.csv"):
        for row in csv.reader(io.StringIO(table.read_text("utf-8"))):
            cells += [(table.name, c) for c in row]
    for name, cell in cells:
        if cell.startswith(FORMULA_START):
            assert re.fullmatch(r"-?\d+(\.\d+)?(e[+-]?\d+)?", cell), f"{name}: formula cell {cell!r}"
    values = {c for _, c in cells}
    for p in PLACED:
        if p.cls == "CSV formula injection":
            assert "'" + p.text in values, f"{p.text!r} is not in any CSV, or not neutralized"


def _walk(record, path: tuple):
    for key in path:
        record = record[key]
    return record


def test_json_downloads_round_trip_every_payload(injected):
    checked, normalized = 0, 0
    for slot in injected.slots:
        if slot.kind not in ("documents", "sources", "jurisdictions"):
            continue
        record = json.loads(
            (injected.paths.site / "data/records" / slot.kind / f"{slot.record}.json").read_text("utf-8")
        )
        assert _walk(record, slot.path) == slot.stored, slot
        checked += 1
        normalized += slot.stored != slot.value
    assert checked > len(PLACED) // 2
    assert normalized, "no decomposed payload (NFC) landed in a record with a JSON download"
    tables = json.loads((injected.paths.site / "data/sources.json").read_text("utf-8"))
    assert {p.text for p in PLACED if p.cls == "CSV formula injection"} <= {v for row in tables for v in row.values()}


# In Chromium --------------------------------------------------------------------------------
#
# The session's shared Playwright (tests/browser/conftest.py) is not visible from this folder, and a
# second sync Playwright cannot start in the thread where that one runs; so this test drives its
# own Chromium in a worker thread, watched exactly as ``watched_page`` watches (same Watch class,
# CSP listener and launch arguments).

from browser.conftest import _CSP_LISTENER, CHROMIUM, CHROMIUM_ARGS, Watch, require_chromium  # noqa: E402

# Every element's attributes in the live DOM, after the theme's and the chart loader's scripts ran.
LIVE_DOM_FAULTS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const v = a.value.replace(/[\\t\\n\\r]/g, "").trim().toLowerCase();
      if (a.name.startsWith("on")) bad.push(el.tagName + " " + a.name);
      if (/^(href|src|action|formaction|xlink:href|data)$/.test(a.name) && /^(javascript|vbscript|data):/.test(v))
        bad.push(el.tagName + " " + a.name + "=" + v.slice(0, 40));
    }
  }
  return bad;
}"""


def _charts_settled(page) -> None:
    count = page.locator(".atlas-chart").count()
    if count:
        page.wait_for_function(
            "n => document.querySelectorAll('.atlas-chart[data-atlas-chart]').length === n", arg=count, timeout=20_000
        )


def _hover_marks(page, limit: int = 12) -> list[str]:
    """Hover chart marks so vega-tooltip shows record text; return any markup found in a tooltip."""
    found = []
    for mark in page.locator(".atlas-chart svg .mark-rect path, .atlas-chart svg .mark-symbol path").all()[:limit]:
        mark.hover(force=True)
        tooltip = page.evaluate("document.getElementById('vg-tooltip-element')?.innerHTML || ''")
        found += [f"tooltip: {f}" for f in audit_html(tooltip)]
        if re.search(r"<(img|script|svg|iframe)", tooltip, re.I):
            found.append(f"tooltip markup: {tooltip[:120]}")
    return found


@dataclass
class Visit:
    """What the browser saw: dialogs opened, faults by page, and the :class:`Watch`."""

    watch: Watch
    dialogs: list
    faults: dict


def visit_every_page(url: str, pages: list[str]) -> Visit:
    """Load every page (one context, one tab), follow two links by instant navigation and search
    four words; after each step record live-DOM faults and whether the canary was set."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
            visit = Visit(Watch(), [], {})
            context.expose_function(
                "__atlasCspViolation", lambda violation: visit.watch.csp_violations.append(violation)
            )
            context.add_init_script(_CSP_LISTENER)
            context.on("request", visit.watch.on_request)
            page = context.new_page()
            page.on("console", visit.watch.on_console)
            page.on("pageerror", lambda err: visit.watch.page_errors.append(str(err)))
            page.on("dialog", lambda d: (visit.dialogs.append(f"{d.type} {d.message!r} on {page.url}"), d.dismiss()))
            _visit(page, url, pages, visit)
            return visit
        finally:
            chromium.close()


def _visit(page, url: str, pages: list[str], visit: Visit) -> None:
    def check(where: str, extra: list[str] = ()) -> None:
        found = list(extra) + [f"DOM {f}" for f in page.evaluate(LIVE_DOM_FAULTS)]
        if page.evaluate(f"typeof {CANARY} !== 'undefined'"):
            found.append("canary window.__pwned is set")
        if found:
            visit.faults[where] = found

    for rel in pages:
        page.goto(url + rel)
        _charts_settled(page)
        check(rel, _hover_marks(page) if rel in ("targets/index.html", "index.html") else [])
    # Instant navigation swaps content in without a reload: follow links from the listings too.
    for listing, selector in (
        ("documents/", "article a[href*='cn-hubei-wuhan-metaverse']"),
        ("jurisdictions/", "article a[href$='cn-hubei-wuhan/']"),
    ):
        page.goto(url + listing)
        page.click(selector)
        page.wait_for_load_state()
        _charts_settled(page)
        check("navigated to " + page.url)
    # Search results are drawn from the index by the theme's script.
    box = page.locator("input[data-md-component=search-query]")
    for query in ("pwned", "onerror", "script", "javascript"):
        box.click()
        box.fill(query)
        box.press("End")  # fill alone may not fire the key events the search box listens to
        page.locator(".md-search-result__item").first.wait_for(state="attached", timeout=20_000)
        check(f"search {query}", [f"search result: {f}" for f in audit_html(page.inner_html(".md-search-result"))])
        page.keyboard.press("Escape")


@pytest.mark.browser
def test_every_page_in_chromium_runs_no_payload(injected):
    from concurrent.futures import ThreadPoolExecutor

    require_chromium()
    with ThreadPoolExecutor(max_workers=1) as pool:
        visit = pool.submit(visit_every_page, injected.url, injected.pages).result(timeout=600)
    assert not visit.dialogs, visit.dialogs
    assert not visit.faults, json.dumps(visit.faults, indent=1, ensure_ascii=False)
    visit.watch.assert_clean()


# Front matter: characters PyYAML refuses ----------------------------------------------------


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_front_matter_parses_with_characters_yaml_refuses(valid_data, char):
    """Noncharacters are refused by validation (they abort vl-convert), and should one reach the
    renderer anyway, the front-matter escape still writes YAML that PyYAML reads (MkDocs shows
    unreadable front matter as Markdown, raw HTML and all: mkdocs.utils.meta.get_data)."""
    from generator import escape

    doc = next((valid_data / "documents").rglob("*metaverse-plan-2022.yaml"))
    data = _yaml_load(doc)
    data["title"]["en"] = f'{char}<img src=x onerror="{CANARY}=1">'
    write_yaml(doc, data)
    assert "control-character" in {p.code for p in validate_data(valid_data).problems}
    meta = yaml.load(f"title: {escape.front_matter(data['title']['en'])}\n", yaml.SafeLoader)
    assert meta["title"] == html.escape(data["title"]["en"])


_CHART_TEXT_SCRIPT = """
import sys
from pathlib import Path
from generator.build import Paths, Report, generate
from generator.errors import DataInvalid
data, root = Path(sys.argv[1]), Path(sys.argv[2])
table = data / "jurisdictions" / "cn.csv"
table.write_text(table.read_text("utf-8").replace(",Wuhan,", ",Wuhan\uffff,"), "utf-8")  # a chart axis label
try:
    generate(Paths(data=data, pages=root / "pages", contributing=root / "CONTRIBUTING.md", config=root / "mkdocs.yml", \
cache=None), Report())
except DataInvalid as exc:
    print("refused:", sorted({p.code for p in exc.problems}))
else:
    print("rendered")
"""


def test_noncharacter_in_chart_text_is_refused_not_a_process_abort(valid_data):
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _CHART_TEXT_SCRIPT, str(valid_data), str(ROOT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-300:]}"
    assert "refused: [" in proc.stdout and "'control-character'" in proc.stdout, proc.stdout


def test_front_matter_values_are_html_for_the_theme():
    """Material prints page.meta title, description and tags raw (``{{ page.meta.title }}``), so
    the generator HTML-escapes them before they become YAML."""
    from generator import escape

    value = '</title><script>window.__pwned=1</script> " onmouseover="x \ufffe'
    loaded = yaml.load(f"title: {escape.front_matter(value)}\n", yaml.SafeLoader)
    assert loaded["title"] == html.escape(value)
    assert "<" not in loaded["title"] and '"' not in loaded["title"]
