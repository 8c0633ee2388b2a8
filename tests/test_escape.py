"""Each escaping function, on the strings that break its context."""

import json

import markdown
import pytest
from hypothesis import given, settings, strategies as st

from generator import escape
from generator.richtext import render_rich


def _md_to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables"])


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "**bold** _em_",
        "{: onclick=alert(1) }",
        "<img src=x onerror=alert(1)>",
        "a | b",
        "# heading",
        "`code`",
        "![i](https://e.x/i.png)",
        "&lt;b&gt;",
    ],
)
def test_md_renders_as_literal_text(payload):
    html = _md_to_html(f"Before {escape.md(payload)} after")
    assert html.startswith("<p>Before ") and html.endswith(" after</p>")
    inner = html[len("<p>Before ") : -len(" after</p>")]
    assert "<" not in inner.replace("&lt;", "") and ">" not in inner.replace("&gt;", "")
    import html as h

    assert h.unescape(inner) == payload


def test_cell_keeps_table_shape():
    two_lines = "line1\nline2"
    table = f"| a | b |\n|---|---|\n| {escape.cell('x | y')} | {escape.cell(two_lines)} |\n"
    html = _md_to_html(table)
    assert html.count("<td>") == 2
    assert "x | y" in html and "line1 line2" in html


def test_attr_escapes_quotes_and_angle_brackets():
    assert escape.attr('a" onmouseover="x') == "a&quot; onmouseover=&quot;x"
    assert escape.attr("<b>") == "&lt;b&gt;"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&amp;c=2"),
        ("http://x.y/", "http://x.y/"),
        ("mailto:a@b.c", "mailto:a@b.c"),
        ("javascript:alert(1)", "#"),
        ("JaVaScRiPt:alert(1)", "#"),
        ("data:text/html,<script>", "#"),
        ("vbscript:x", "#"),
        ('https://x.y/"onmouseover="a', "#"),
        ("//evil.example/x", "#"),
    ],
)
def test_url_allows_only_http_https_mailto(value, expected):
    assert escape.url(value) == expected


def test_json_html_cannot_close_a_script_or_attribute():
    text = escape.json_html({"k": "</script><b>&'"})
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert json.loads(text) == {"k": "</script><b>&'"}


def test_yaml_value_round_trips():
    from ruamel.yaml import YAML

    for value in ["a: b", '"quoted" and \\ backslash', "- list", "NO", "2022-01-11", "多行\n文本"]:
        loaded = YAML(typ="safe").load(f"title: {escape.yaml_value(value)}\n")
        assert loaded["title"] == " ".join(value.split())


@pytest.mark.parametrize("bad", ["../etc", "A", "a/b", "a..b", "", "a_b", "-a", "x" * 101])
def test_path_segment_refuses_unsafe_names(bad):
    with pytest.raises(ValueError):
        escape.path_segment(bad)


def test_rich_text_drops_raw_html_images_and_bad_links():
    html = render_rich("Hi <script>x()</script> [a](javascript:x) [b](https://ok.example/) ![i](https://e.x/i.png)")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://ok.example/" rel="nofollow noopener">b</a>' in html
    assert "<img" not in html


def _md_reference(value: object) -> str:
    """:func:`generator.escape.md` without its fast path for text that needs no escaping."""
    import html
    import re

    text = html.escape(" ".join(str(value).split()), quote=True)
    return re.sub(
        r"(&(?:amp|lt|gt|quot|#x27);)|" + escape._MD_SPECIAL.pattern, lambda m: m.group(1) or "\\" + m.group(2), text
    )


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab 武汉\n\t.|&<>\"'\\`*_{}[]()#+-!;x")), max_size=30) | st.text(max_size=30)
)
def test_md_fast_path_changes_nothing(text):
    assert escape.md(text) == _md_reference(text)
