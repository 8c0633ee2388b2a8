"""Search: the plain-text clean-up of MkDocs Material's index, and the queries it must answer.

Material's search plugin (``material/plugins/search/plugin.py``) writes ``search/search_index.json``
at build time: one entry per page and per heading, each with a ``title`` and ``text``, Chinese
segmented by jieba with U+200B between words. The browser builds a lunr index from it and renders
titles and text as HTML. Body text arrives there as plain text with ``&``, ``<`` and ``>``
escaped (the plugin's own ``html.escape(data, quote=False)``), but a page-level title is copied
raw from the front matter, which the generator HTML-escapes for the theme (``escape.front_matter``):
``Shanghai&#x27;s`` then splits at the separator's ``;`` into ``shanghai&#x27`` and shows as
``Shanghai';s`` (issue #16). :func:`index_entry` puts titles into the body's form.

:func:`search_pairs` derives from the data the queries a reader would type, with the records
they must find, for ``tests/browser/test_search.py`` and ``scripts/search_pairs.py``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from . import locations, models
from .dataset import Dataset

#: How many results a place-and-kind query may put before its document (issue #16: "in the top three").
TOP = 3

#: How many results a figure query is judged on: Material shows the first ten before the reader
#: scrolls, and hand-written pages (methodology, glossary) quote figures as examples, so "finds
#: the documents that state it" means all of them on that first screen (or more, if more state it).
FIGURE_TOP = 10

#: Administrative suffixes a reader may leave out of a Chinese place name ("武汉" for 武汉市),
#: longest first. Source: GB/T 2260 names (省, 市, 自治区, 特别行政区; 区 and 县 for counties)
#: and the Korean 特别市 / 广域市 as the atlas writes them.
ZH_SUFFIXES = (
    "特别行政区",
    "特别自治市",
    "特别自治道",
    "自治区",
    "特别市",
    "广域市",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "道",
)

#: The kinds of record a place-and-kind query asks for: (label, Chinese query word, English query
#: word, test on a document). Chinese words are the vocabulary's own where it has one.
KINDS = (
    ("work report", "政府工作报告", "government work report", lambda d: d.kind == "government-work-report"),
    ("dedicated plan", "元宇宙", "metaverse", lambda d: d.focus == "dedicated"),
)

_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt);)(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_UNIT = re.compile("(?<=[0-9])\u200b(?=[\u3400-\u9fff])")
_GROUPED = re.compile("(?<![0-9,.])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{4,})(?![0-9,])([\u3400-\u9fff]*)")
_HAN_END = re.compile("^(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])$")
_HAN = re.compile("[\u3400-\u9fff]")
_DATE_UNITS = "年月日"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass(frozen=True)
class SearchPair:
    """One query and the pages it must rank high.

    Attributes:
        query: the text typed into the search box.
        expected: site-relative page URLs (``documents/<id>/``); any of them counts.
        top: how many of the first results are looked at.
        every: True when every page of ``expected`` must be among them (a figure and the
            documents stating it); False when one is enough (a place and its work reports).
        why: where the pair comes from (``work report of cn-hubei-wuhan``), for failure messages.
    """

    query: str
    expected: tuple[str, ...]
    top: int
    every: bool
    why: str


def document_title(doc: models.Document, ds: Dataset) -> str:
    """Return a document page's title (front matter ``title``: the browser tab, and the title its
    search entry is ranked and shown by): the original title, then the English and Chinese titles
    where they differ from it and are not contained in another of them, then " — " and those of
    the issuing jurisdiction's Chinese and English names that the titles do not contain
    (``政府工作报告 Wuhan Municipal Government Work Report 2022 — 武汉市``; nothing is
    added to ``上海市… Shanghai …``). Plain text; the template escapes it. Many titles do
    not name their place ("政府工作报告"), and Material boosts title matches a thousandfold,
    so a place-and-kind query needs the place here."""
    j = ds.jurisdictions[doc.jurisdiction]
    titles = list(dict.fromkeys(t for t in (doc.title.original, doc.title.en, doc.title.zh) if t))
    # a title that another one contains is left out ("Metaverses" beside "Metaverses (Policy
    # Horizons foresight brief)"): repeated words would also weigh twice in the title's ranking
    title = " ".join(t for t in titles if not any(t != other and t in other for other in titles))
    missing = [name for name in dict.fromkeys((j.name_zh, j.name_en)) if name not in title]
    return f"{title} — {' '.join(missing)}" if missing else title


#: Where the generator puts :func:`jieba_words` in ``content/`` (a dot file: MkDocs does not
#: publish it); :func:`generator.engines.build_site` loads it after ``jieba_dict_user``.
JIEBA_WORDS = ".search/jieba_words.txt"


#: The longest place name :func:`jieba_words` keeps whole (characters).
LONGEST_NAME = 4


def jieba_words(ds: Dataset) -> str:
    """Return a jieba user dictionary (``word frequency tag`` lines, the format of
    ``data/search/jieba_userdict.txt``) of the jurisdictions' Chinese names and short forms
    (:func:`short_zh`) of two to :data:`LONGEST_NAME` characters, sorted. Without it jieba cuts
    names it does not know into pieces (埼玉县 → 埼 玉县) and the place cannot be found; the names
    live in ``data/jurisdictions/``, so the dictionary is derived from them rather than kept by
    hand. Longer names (拉萨经济技术开发区) stay out: the browser can only search a Chinese query
    by index words shorter than it (拉萨* 经济* 技术开发*), which a name kept whole never matches."""
    names = sorted(
        {
            n
            for j in ds.jurisdictions.values()
            for n in (j.name_zh, short_zh(j.name_zh))
            if _HAN.search(n) and 2 <= len(n) <= LONGEST_NAME
        }
    )
    return "".join(f"{name} 20000 ns\n" for name in names)


def index_entry(entry: dict) -> dict:
    """Return a search-index entry (``{"location", "title", "text", ...}``) ready for the browser.

    - **Plain text.** Title, text and tags take the form Material's plugin gives body text:
      character references resolved except ``&amp;``, ``&lt;`` and ``&gt;`` (the browser renders
      these fields as HTML, so those three stay escaped; the separator in ``mkdocs.yml`` treats
      them as word breaks).
    - **A unit stays with its number.** The Chinese word right after a number (jieba's ``3500``
      U+200B ``亿元``, ``100`` U+200B ``家``) is joined to it: ``3500亿元``, ``100家``. The browser
      searches every query term as a prefix, so "10亿元" then finds 10亿元 and not 100亿元 or
      10 of anything. (After a space, ``15 个``, a one-character unit is dropped like any other.)
    - **No one-character Chinese words.** The separator drops every other one-character Chinese
      segment (one between two U+200B marks; a field that starts or ends in Chinese gets the mark
      Material stripped there back), because the browser cuts a Chinese query at the longest
      index term *shorter* than what was typed (Material's ``segment()``): with 合 or 元 in the
      index, "合肥" would search for 合* and "元宇宙" for 元*.

    - **Numbers both ways.** A ``numbers`` field (a search field declared in ``mkdocs.yml``,
      never shown) holds :func:`other_forms` of the title and text.

    Other keys are kept as they are."""
    out = dict(entry)
    for key in ("title", "text"):
        if isinstance(out.get(key), str):
            out[key] = _UNIT.sub("", _HAN_END.sub("\u200b", _plain(out[key])))
    if isinstance(out.get("tags"), list):
        out["tags"] = [_plain(t) if isinstance(t, str) else t for t in out["tags"]]
    numbers = other_forms(f"{out.get('title', '')} {out.get('text', '')}")
    if numbers:
        out["numbers"] = numbers
    return out


def other_forms(text: str) -> str:
    """Return the numbers of four or more digits in ``text`` written the other way, with the
    Chinese unit joined to it, once each in order of appearance, space-separated: ``3,500`` →
    ``3500``, and ``3500亿元`` → ``3,500亿元`` when a unit follows that is not a date's (年, 月,
    日: years, codes and bare numbers are not figures anyone writes with a comma; they were two
    thirds of this field). Without it a reader typing "3500亿元" misses a page that writes
    3,500亿元, and "3,500亿元" misses 3500亿元 (the separator keeps a comma between digits, so
    3,500亿元 is one word)."""
    forms = {}
    for match in _GROUPED.finditer(text):
        number, unit = match.groups()
        if "," in number:
            forms[number.replace(",", "") + unit] = None
        elif unit and unit[0] not in _DATE_UNITS:
            forms[f"{int(number):,}{unit}"] = None
    return " ".join(forms)


def _plain(text: str) -> str:
    """Resolve every character reference but ``&amp;``, ``&lt;`` and ``&gt;`` (a resolved ``&#38;``
    is escaped again); markup Material keeps in the text (``<p>``, ``<code>``) is left alone."""
    return _REFERENCE.sub(lambda m: html.escape(html.unescape(m.group(0)), quote=False), text)


def short_zh(name: str) -> str:
    """Return a Chinese place name without its administrative suffix (武汉市 → 武汉, 内蒙古自治区 →
    内蒙古), or the name itself when no :data:`ZH_SUFFIXES` ends it or the rest would not be a
    name of two to four characters (拉萨经济技术开发区 stays whole)."""
    for suffix in ZH_SUFFIXES:
        if name.endswith(suffix) and 2 <= len(name) - len(suffix) <= 4:
            return name[: -len(suffix)]
    return name


def place_pairs(ds: Dataset) -> list[SearchPair]:
    """Return, for every jurisdiction with a document of a :data:`KINDS` kind, the queries
    "<Chinese name> <kind>" (full and short name) and "<English name> <kind>", each expecting one
    of those documents in the top :data:`TOP`. Sorted by jurisdiction id, then kind."""
    pairs = []
    for jid, j in ds.jurisdictions.items():
        docs = [d for d in ds.documents.values() if d.jurisdiction == jid]
        for label, zh, en, wanted in KINDS:
            expected = tuple(_url(d.id) for d in docs if wanted(d))
            if not expected:
                continue
            names = dict.fromkeys([j.name_zh, short_zh(j.name_zh)])
            queries = [f"{name} {zh}" for name in names] + [f"{j.name_en} {en}"]
            pairs += [SearchPair(q, expected, TOP, False, f"{label} of {jid}") for q in queries]
    return pairs


def stated_figure(as_stated: str, value: float | None, unit_zh: str) -> str | None:
    """Return the figure as ``as_stated`` writes it (number and unit: ``3500亿元`` from
    ``突破3500亿元``), or None when the text holds no number equal to ``value`` directly followed by
    one of the unit's Chinese forms (``unit_zh``, alternatives split at ``/``: ``个/家/项``).
    Ranges (``value`` None) and figures written in words (千亿级) give None."""
    if value is None:
        return None
    units = sorted((u for u in unit_zh.split("/") if u), key=len, reverse=True)
    pattern = rf"({_NUMBER})\s*({'|'.join(map(re.escape, units))})"
    for match in re.finditer(pattern, as_stated):
        if float(match.group(1).replace(",", "")) == value:
            return match.group(0)
    return None


def figure_variants(figure: str) -> list[str]:
    """Return ``figure`` as written and with its thousands separators added or removed
    (``3500亿元`` → ``["3500亿元", "3,500亿元"]``); numbers under 1,000 have one form."""
    match = re.match(rf"({_NUMBER})(.*)", figure, re.S)
    number, rest = match.group(1), match.group(2)
    whole, dot, frac = number.replace(",", "").partition(".")
    if len(whole) < 4:
        return [figure]
    grouped = f"{int(whole):,}{dot}{frac}"
    return list(dict.fromkeys([figure, whole + dot + frac + rest, grouped + rest]))


def figure_pairs(ds: Dataset) -> list[SearchPair]:
    """Return, for every figure a target states (:func:`stated_figure`), each of its
    :func:`figure_variants` as a query expecting the documents that state it: every one of them
    within the top ``max(FIGURE_TOP, number of documents)``. Sorted by figure."""
    stating: dict[str, set[str]] = {}
    for doc in ds.documents.values():
        for target in doc.targets:
            figure = stated_figure(target.as_stated, target.value, ds.term("units", target.unit).zh)
            if figure:
                stating.setdefault(figure, set()).add(_url(doc.id))
    pairs = []
    for figure in sorted(stating):
        expected = tuple(sorted(stating[figure]))
        for query in figure_variants(figure):
            pairs.append(
                SearchPair(
                    query,
                    expected,
                    max(FIGURE_TOP, len(expected)),
                    True,
                    f"figure {figure} stated by {len(expected)} document(s)",
                )
            )
    return pairs


def _url(doc_id: str) -> str:
    """Site-relative URL of a document's page."""
    return locations.record_url("documents", doc_id)


def search_pairs(ds: Dataset) -> list[SearchPair]:
    """Every generated pair: :func:`place_pairs`, then :func:`figure_pairs`."""
    return place_pairs(ds) + figure_pairs(ds)


def passes(pair: SearchPair, results: list[str]) -> bool:
    """True when ``results`` (page URLs in rank order, site-relative, without query string) meet
    ``pair``: one (or, with ``pair.every``, each) of its expected pages within the top ``pair.top``."""
    top = results[: pair.top]
    return (all if pair.every else any)(e in top for e in pair.expected)
