"""Property tests: whatever bytes a contributor commits, validation reports problems and never raises.

Each test writes one generated file into a copy of the valid folder and validates the whole folder.
Set ``FUZZ_EXAMPLES`` for a longer run. Invariants: no exception; every problem has a known code,
a line and column >= 0, and a path that names a real file (or the data folder itself, for
``no-records``).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import VALID_DIR, copy_valid
from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML

from generator import models
from generator.errors import CODES
from generator.terminal import _INVISIBLE, terminal_line
from generator.urls import url_problem
from generator.validate import validate_data
from generator.yamlio import parse_yaml

# FUZZ_EXAMPLES=5000 runs a longer campaign; the default keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DOC_REL = "documents/cn/cn-hubei/cn-hubei-wuhan-metaverse-plan-2022.yaml"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """One copy of the valid folder per module; each example writes one file and removes it."""
    return copy_valid(tmp_path_factory.mktemp("fuzz") / "data")


def check_invariants(data_dir: Path) -> list:
    """Validate ``data_dir`` and assert the invariants on every problem; return the problems."""
    problems = validate_data(data_dir).problems
    for p in problems:
        assert p.code in CODES
        assert p.line >= 0 and p.column >= 0
        assert Path(p.path).is_file() or Path(p.path) == data_dir, p.path
        assert p.message and "\n" not in p.format()
        assert not _INVISIBLE.search(terminal_line(p.format())), p.format()  # one visible line
    return problems


def validate_with(data_dir: Path, rel: str, content: bytes) -> list:
    """Write ``content`` at ``rel`` (restoring what was there afterwards), validate, check invariants."""
    target = data_dir / rel
    original = target.read_bytes() if target.exists() else None
    target.write_bytes(content)
    try:
        return check_invariants(data_dir)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)


# --- random bytes and YAML-ish text ----------------------------------------------------------

DOC_FIELDS = list(models.Document.model_fields) + list(models.Target.model_fields) + ["terms", "<<", "", "id"]
TOKENS = [
    "\n",
    "\n  ",
    "\n    ",
    "\n- ",
    "  - ",
    ": ",
    ":",
    "- ",
    "? ",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "|",
    "|-",
    ">",
    "# c",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!!set ",
    "!x ",
    "! ",
    "<<: *a",
    "~",
    "null",
    "NO",
    "yes",
    "012",
    "0o17",
    "0x1F",
    "1e3",
    ".inf",
    ".nan",
    "2022-01-11",
    "2022/2025",
    "2025~",
    "1:20",
    "3500亿元",
    "元宇宙",
    "武汉市",
    "\t",
    "\r\n",
    "\r",
    "\x00",
    "\x07",
    "\x85",
    "\u200b",
    "\u202e",
    "\u2066",
    "\u2028",
    "\ufeff",
    "\uff11\uff12",
    "\uff1a",
    "\\",
    "\\u0000",
    "\\x85",
    "%",
    "@",
    "`",
]
SCALARS = st.one_of(
    st.sampled_from(["x", "1", "true", "", "cn-hubei-wuhan", "example-news-2022-11-wuhan-metaverse-plan"]),
    st.text(max_size=12),
)
LINE = st.tuples(
    st.integers(0, 6),
    st.sampled_from(DOC_FIELDS),
    st.sampled_from([": ", ":", ": - ", ":\n  - ", ": [", ": {"]),
    SCALARS,
).map(lambda t: "  " * t[0] + t[1] + t[2] + t[3])
YAMLISH = st.lists(st.one_of(LINE, st.sampled_from(TOKENS), st.text(max_size=6)), max_size=40).map("".join)


@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_as_document(data_dir: Path, content: bytes) -> None:
    validate_with(data_dir, "documents/cn/cn-hubei/fuzz.yaml", content)


@FUZZ
@given(text=YAMLISH, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_yamlish_text_as_document(data_dir: Path, text: str, encoding: str) -> None:
    validate_with(data_dir, "documents/cn/cn-hubei/fuzz.yaml", text.encode(encoding, errors="replace"))


@FUZZ
@given(text=YAMLISH)
def test_yamlish_text_replacing_a_vocabulary(data_dir: Path, text: str) -> None:
    validate_with(data_dir, "vocab/units.yaml", text.encode("utf-8", errors="replace"))


@FUZZ
@given(
    content=st.one_of(st.binary(max_size=600), YAMLISH.map(lambda t: t.encode("utf-8", errors="replace"))),
    vocab=st.sampled_from(["levels", "document_kinds", "statuses", "units", "themes"]),
)
def test_random_bytes_as_a_vocabulary(data_dir: Path, content: bytes, vocab: str) -> None:
    validate_with(data_dir, f"vocab/{vocab}.yaml", content)


@FUZZ
@given(content=st.one_of(st.binary(max_size=600), YAMLISH.map(lambda t: t.encode("utf-8", errors="replace"))))
def test_random_dataset_yaml(data_dir: Path, content: bytes) -> None:
    validate_with(data_dir, "dataset.yaml", content)


@FUZZ
@given(
    info=st.dictionaries(st.sampled_from(["version", "name", "", "terms"]), st.deferred(lambda: JSONISH), max_size=3)
)
def test_dataset_yaml_with_random_values(data_dir: Path, info: dict) -> None:
    problems = validate_with(data_dir, "dataset.yaml", _dump(info))
    valid = (
        set(info) == {"version"}
        and isinstance(info["version"], str)
        and bool(re.fullmatch(r"\d+\.\d+\.\d+", info["version"]))
    )
    assert (problems == []) == valid, problems


@FUZZ
@given(
    text=st.lists(
        st.one_of(
            st.sampled_from(["元宇宙 20000 n", "专精特新", "a b c d", "x 1", "x n", "", " ", "\t", "\u202e", "\r"]),
            st.text(max_size=12),
        ),
        max_size=8,
    ).map("\n".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_random_search_dictionary(data_dir: Path, text: str, encoding: str) -> None:
    (data_dir / "search").mkdir(exist_ok=True)
    validate_with(data_dir, "search/jieba_userdict.txt", text.encode(encoding, errors="replace"))


URL_PARTS = st.sampled_from(
    [
        "https://",
        "http://",
        "javascript:",
        "ftp://",
        "//",
        "www.gov.cn",
        "www.gоv.cn",
        "xn--fsqu00a.xn--fiqs8s",
        "例子.中国",
        "@",
        ":",
        ":80",
        ":8x",
        "/",
        "\\",
        '"',
        "'",
        "<",
        " ",
        "\n",
        "?",
        "#",
        "%2F",
        "evil.example",
        "a.b",
        "..",
        "\u202e",
    ]
)


@FUZZ
@given(url=st.lists(st.one_of(URL_PARTS, st.text(max_size=4)), max_size=8).map("".join))
def test_random_source_urls(data_dir: Path, url: str) -> None:
    """Whatever the URL, validation reports it on the url field or accepts it; an accepted one is
    http(s) with a dotted host, and no user information, backslash, quote, space or control."""
    rel = "sources/2022/example-news-2022-11-wuhan-metaverse-plan.yaml"
    text = (VALID_DIR / rel).read_text("utf-8")
    text = re.sub(
        r"(?m)^url: .*$", lambda m: "url: " + json.dumps(url, ensure_ascii=False), text, count=1
    )  # a JSON string is a YAML double-quoted scalar
    problems = validate_with(data_dir, rel, text.encode("utf-8", errors="replace"))
    reported = [p for p in problems if p.field == "url"]
    if url_problem(url) is None and not reported:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and "@" not in parts.netloc and "." in (parts.hostname or ""), url
        assert not re.search(r"[\\\"'<>`\s\x00-\x1f]", url), url
    elif url_problem(url) is not None:
        assert problems, url  # reported, on the url field or as the file's text


# --- random CSV ------------------------------------------------------------------------------

JUR_COLUMNS = list(models.Jurisdiction.model_fields)
SRC_COLUMNS = list(models.Source.model_fields)
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "cn",
            "cn-hubei",
            "CN",
            "CN-HB",
            "420100",
            "４２０１００",
            "45383",
            "2024-05-01",
            "30.5",
            "nan",
            "-inf",
            "1e400",
            "Q11746",
            "national",
            "repost",
            "https://www.example.org/",
            "javascript:x",
            '"',
            '""',
            '"a,b"',
            "a\nb",
            "\u200b",
            "\ufeff",
            "武汉市",
        ]
    ),
    st.text(max_size=10),
)


@st.composite
def csv_text(draw, columns: list[str]) -> str:
    header = draw(
        st.one_of(st.just(columns), st.lists(st.sampled_from(columns + ["x", "", "ＩＤ"]), max_size=len(columns) + 2))
    )
    rows = draw(st.lists(st.lists(CELLS, min_size=max(0, len(header) - 1), max_size=len(header) + 1), max_size=5))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return sep.join(",".join(r) for r in [header, *rows]) + draw(st.sampled_from(["", sep, "\n"]))


@FUZZ
@given(
    text=st.one_of(csv_text(JUR_COLUMNS), st.text(max_size=300)),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]),
)
def test_random_csv_as_jurisdictions(data_dir: Path, text: str, encoding: str) -> None:
    validate_with(data_dir, "jurisdictions/fuzz.csv", text.encode(encoding, errors="replace"))


@FUZZ
@given(text=csv_text(SRC_COLUMNS))
def test_random_csv_as_sources(data_dir: Path, text: str) -> None:
    validate_with(data_dir, "sources/fuzz.csv", text.encode("utf-8", errors="replace"))


# --- whole records with random values --------------------------------------------------------

JSONISH = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.integers(min_value=0, max_value=10**200),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.sampled_from(["2025", "2022-13-01", "", "cn", "range", "yi-yuan"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(DOC_FIELDS), inner, max_size=4)
    ),
    max_leaves=12,
)


def _base_document() -> dict:
    parsed = parse_yaml((VALID_DIR / DOC_REL).read_bytes(), DOC_REL)
    assert parsed.problems == []
    return parsed.value


def _paths(value, prefix=()) -> list[tuple]:
    """Return every path into ``value`` (dict keys and list indices), the empty path excluded."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    out = []
    for key, child in items:
        out.append(prefix + (key,))
        out.extend(_paths(child, prefix + (key,)))
    return out


def _set(doc, path: tuple, new, delete: bool) -> None:
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new


@st.composite
def mutated_document(draw) -> dict:
    doc = _base_document()
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        _set(doc, path, draw(JSONISH), draw(st.booleans()) and draw(st.booleans()))
    return doc


def _dump(value) -> bytes:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    stream = io.StringIO()
    yaml.dump(value, stream)
    return stream.getvalue().encode("utf-8")


@FUZZ
@given(doc=mutated_document())
def test_mutated_document_records(data_dir: Path, doc: dict) -> None:
    validate_with(data_dir, DOC_REL, _dump(doc))


def test_base_document_round_trips(data_dir: Path) -> None:
    """The mutation test starts from a valid record: dumping it unchanged gives no problem."""
    assert validate_with(data_dir, DOC_REL, _dump(_base_document())) == []


def test_dump_keeps_non_finite_numbers_detectable(data_dir: Path) -> None:
    doc = _base_document()
    doc["targets"][0]["value"] = math.inf
    keys = [(p.field, p.code) for p in validate_with(data_dir, DOC_REL, _dump(doc))]
    assert ("targets.0.value", "invalid-value") in keys


def test_data_dir_is_restored(data_dir: Path) -> None:
    """Examples leave the module's copy as they found it (each writes and restores one file)."""
    assert not list(data_dir.rglob("fuzz*"))
    assert (data_dir / DOC_REL).read_bytes() == (VALID_DIR / DOC_REL).read_bytes()
