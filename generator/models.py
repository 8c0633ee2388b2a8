"""The record model: the one source of the data schema.

The kinds of record under ``data/`` (folder, model, pages) are listed once, in the registry
:data:`generator.kinds.KINDS`; the main ones:

* :class:`Jurisdiction` rows in ``data/jurisdictions.csv``;
* :class:`Source` files in ``data/sources/**/<id>.yaml``: pages that were read;
* :class:`Document` files in ``data/documents/**/<id>.yaml``: policy documents and official
  actions, each with its :class:`Target` list;
* :class:`Coverage` files in ``data/coverage/<jurisdiction>.yaml``: the research status of a
  jurisdiction (dedicated plan, mention, nothing found) with the searches behind it.

Controlled vocabularies (:class:`Term`) live in ``data/vocab/<name>.yaml``. A field that takes a
vocabulary term says which vocabulary in a marker on its type (``Annotated[Slug, Vocab("metrics")]``),
a field that names another record says which kind (``Ref("sources")``), and a slug that names the
record itself says so (:class:`OwnId`); :mod:`generator.checks` reads the markers
(:func:`marked_values`), so contributors extend a vocabulary by pull request without touching code,
and a new field is checked once it is marked. The markers do not change the JSON Schema.

Every field carries a docstring: the contributor reference and the JSON Schema are generated from
them (``python -m generator schema``), and a test fails when one is missing.
"""

from __future__ import annotations

import types
import typing
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from .dates import edtf_bounds, fast_edtf_valid, parse_edtf_quiet
from .urls import url_problem

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


@lru_cache(maxsize=8192)
def _is_edtf(value: str) -> bool:
    """Return whether ``value`` parses as EDTF; common forms take the fast path of
    :func:`generator.dates.fast_edtf_valid`, others the edtf library (cached: ~10 ms a parse)."""
    if fast_edtf_valid(value):
        return True
    try:
        parse_edtf_quiet(value)
    except Exception:  # edtf raises EDTFParseException, and ValueError/TypeError on some inputs
        return False
    return True


def _edtf(value: str) -> str:
    """Check ``value`` is a valid EDTF string (Library of Congress EDTF, ISO 8601-2)."""
    if not _is_edtf(value):
        raise PydanticCustomError(
            "invalid_edtf",
            "'{value}' is not an EDTF date; write 2022-01-11, 2022-01, 2022, 2022-01-05? (uncertain), "
            "2021-11~ (approximate) or 2022/2025 (interval)",
            {"value": value},
        )
    if "/" in value:
        try:
            start, end = edtf_bounds(value)
        except (TypeError, ValueError):  # a form whose bounds the edtf library cannot compute: no order to check
            start, end = 0, 0
        if start > end:
            raise PydanticCustomError(
                "reversed_interval",
                "the interval '{value}' ends before it starts; write the earlier date first",
                {"value": value},
            )
    return value


def _named_publisher(value: str) -> str:
    """Refuse a bracketed placeholder (``[not named on the page]``) as an original publisher: any
    text there names an original report, and two named originals make a document's reports
    independent (:func:`generator.rules.grade`), so a placeholder would raise its grade. Leave the
    field out when the page names no original."""
    if value.lstrip().startswith("["):
        raise PydanticCustomError(
            "placeholder_text",
            "'{value}' is a placeholder, not a publisher; name the original publisher, or leave original_publisher out "
            "(a page that names none is a secondary source)",
            {"value": value[:60]},
        )
    return value


def _no_look_alikes(value):
    """Refuse full-width digits and other look-alike characters (``２０２５``, ``２０２２－０１``, Cyrillic
    ``О``) in dates and codes, naming the ASCII text to write instead (Unicode NFKC)."""
    if isinstance(value, str) and not value.isascii():
        fixed = unicodedata.normalize("NFKC", value)
        hint = f"; write '{fixed}'" if fixed.isascii() else "; retype it with ASCII letters and digits"
        raise PydanticCustomError(
            "look_alike_character",
            "'{value}' holds look-alike characters (full-width or non-Latin){hint}",
            {"value": value[:60], "hint": hint},
        )
    return value


def _http_url(value: str) -> str:
    """Check ``value`` by the rules of :func:`generator.urls.url_problem` (http(s), no userinfo,
    backslash, quote or space); the reason is the message."""
    reason = url_problem(value)
    if reason:
        raise PydanticCustomError("invalid_url", "'{value}': {reason}", {"value": value[:200], "reason": reason})
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_RE, min_length=1, max_length=100)]


@dataclass(frozen=True)
class Vocab:
    """Field marker: the value (each item, for a list) is a term of ``data/vocab/<name>.yaml``;
    :func:`generator.checks.check_vocabulary` checks it, and the loader reads every vocabulary a
    marker names (:func:`vocabularies`)."""

    name: str


@dataclass(frozen=True)
class Ref:
    """Field marker: the value (each item, for a list) is the id of a record of another kind.

    ``kind`` is a record kind's plural name (a key of :data:`generator.kinds.KINDS`, ``"sources"``);
    or, for records that can point at several kinds (corrections, redirects), ``kind_field`` names
    the sibling field holding the kind's singular name (``"kind"``: ``document`` → documents).
    :func:`generator.checks.check_references` checks the id exists."""

    kind: str | None = None
    kind_field: str | None = None


@dataclass(frozen=True)
class OwnId:
    """Field marker: a slug that names the record itself (its id, a target's id within its
    document, a redirect's old id), so neither a vocabulary term nor a reference."""


#: The marker types a field can carry.
MARKERS = (Vocab, Ref, OwnId)

#: Vocabularies no field takes a term from: read whole by a check. ``official_hosts``: the hosts
#: vetted for official sources (:func:`generator.checks.check_sources`).
STANDALONE_VOCABULARIES = ("official_hosts",)


def _year_as_text(value):
    """Let an unquoted year (``deadline: 2025``, an integer in YAML) stand for the EDTF year."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


EDTF = Annotated[
    str,
    BeforeValidator(_no_look_alikes),
    BeforeValidator(_year_as_text),
    StringConstraints(min_length=1, max_length=60),
    AfterValidator(_edtf),
]
Url = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_http_url)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
RichText = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Day = Annotated[
    str,
    BeforeValidator(_no_look_alikes),
    StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
    AfterValidator(_edtf),
]


class Record(BaseModel):
    """Base of every record: unknown fields are errors, values are immutable after loading, and
    numbers are finite (YAML's ``.inf`` and ``.nan`` are refused)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, strict=True, allow_inf_nan=False
    )


class Term(Record):
    """One entry of a controlled vocabulary (``data/vocab/<name>.yaml``)."""

    id: Annotated[Slug, OwnId()]
    """Stable identifier used in records, e.g. ``action-plan``."""
    en: Text
    """English label shown on the site."""
    zh: Text
    """Chinese label shown on the site."""
    description: Text | None = None
    """What the term covers and where its boundary lies."""
    base_unit: str | None = None
    """Units only: the base unit normalized values are given in (``CNY``, ``USD``, ``count``, ``percent``)."""
    factor: float | None = None
    """Units only: how many base units one stated unit is (亿元 → 100 million)."""
    host: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")] | None = None
    """Official hosts only (``vocab/official_hosts.yaml``): a host name; it and its subdomains are vetted."""
    source_kind: Annotated[Slug, Vocab("source_kinds")] | None = None
    """Official hosts only: the source kind pages on the host have (``government`` or ``state-media``)."""


class Jurisdiction(Record):
    """A government's area: a country, province-level division, city, district, zone or union."""

    id: Annotated[Slug, OwnId()]
    """Stable lowercase ASCII slug, built from the country code down: ``cn-hubei-wuhan``."""
    name_en: Text
    """English name, e.g. ``Wuhan``."""
    name_zh: Text
    """Chinese name, e.g. ``武汉市``; for places outside China the usual Chinese rendering."""
    name_local: Text | None = None
    """Name in the local language when it is neither Chinese nor English, e.g. ``서울특별시``."""
    name_pinyin: Text | None = None
    """Hanyu Pinyin for Chinese names, e.g. ``Wǔhàn Shì``."""
    level: Annotated[Slug, Vocab("levels")]
    """Administrative level, a term of ``vocab/levels.yaml`` (``prefecture-level-city``)."""
    parent: Annotated[Slug, Ref("jurisdictions")] | None = None
    """Id of the jurisdiction one level up; empty only for countries and supranational unions."""
    country: Annotated[str, BeforeValidator(_no_look_alikes), StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    """ISO 3166-1 alpha-2 code of the country (``CN``); empty for supranational unions."""
    iso_3166_2: (
        Annotated[str, BeforeValidator(_no_look_alikes), StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None
    ) = None
    """ISO 3166-2 subdivision code where one exists (``CN-HB``)."""
    division_code: Annotated[str, BeforeValidator(_no_look_alikes), StringConstraints(pattern=r"^[0-9]{6}$")] | None = (
        None
    )
    """GB/T 2260 administrative division code (six digits), taken from a published list."""
    division_code_edition: Text | None = None
    """Which edition or list the division code was taken from; required with ``division_code``."""
    wikidata: Annotated[str, BeforeValidator(_no_look_alikes), StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = (
        None
    )
    """Wikidata QID, only where one was seen (``Q11746``)."""
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    """Latitude in decimal degrees (WGS 84) of the seat of government, for maps."""
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    """Longitude in decimal degrees (WGS 84) of the seat of government, for maps."""


class Source(Record):
    """A page that was actually read, cited by documents and targets."""

    id: Annotated[Slug, OwnId()]
    """Stable slug: publisher, date and topic, e.g. ``xinhua-2022-01-15-work-reports``."""
    url: Url
    """The URL that was read."""
    title: Text
    """The page's title as published."""
    title_en: Text | None = None
    """English translation of the title when the page is not in English (our translation)."""
    publisher: Text
    """Who publishes the page (site or outlet), e.g. ``Wuhan Municipal People's Government``."""
    original_publisher: Annotated[Text, AfterValidator(_named_publisher)] | None = None
    """For reposts: who first published the text. Reposts of one story are one independent source."""
    kind: Annotated[Slug, Vocab("source_kinds")]
    """Kind of source, a term of ``vocab/source_kinds.yaml`` (``government``, ``state-media``, ``repost``...)."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    """Language of the page as a BCP 47 tag: ``zh``, ``en``, ``ko``."""
    published: EDTF | None = None
    """When the page was published, as EDTF (``2022-01-15``)."""
    accessed: Day
    """The day the page was read (YYYY-MM-DD)."""
    archive_url: Url | None = None
    """An archived copy actually seen; never built from a pattern."""
    idn_host: Text | None = None
    """Only for a URL whose host is not plain ASCII or is punycode (``xn--``): the host again, in
    Unicode (``例子.中国``), confirming it was checked letter by letter and is no look-alike."""
    note: RichText | None = None
    """What the page supports, or its limits (Markdown)."""


class SourceRef(Record):
    """A citation of a source by a document or a target."""

    source: Annotated[Slug, Ref("sources")]
    """Id of a source record."""
    locator: Text | None = None
    """Where on the page the claim stands (paragraph, section)."""
    carries_text: bool = False
    """True when the cited page carries the document's own text (in full, or its issuing notice)
    rather than a report about it; with an official source this gives the grade ``official-text``."""


class Title(Record):
    """A document's title in the original language and in English."""

    original: Text
    """Title in the original language, exactly as published."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "zh"
    """BCP 47 language tag of the original title."""
    en: Text
    """English title."""
    en_official: bool = False
    """True when the English title is the issuer's own; false when it is our translation."""
    zh: Text | None = None
    """Chinese title when the original is not Chinese (our translation unless stated)."""
    alternatives: list[Text] = []
    """Other titles the document is known by (short names, a second source's wording)."""


class Issuer(Record):
    """A body that issued or held a document or meeting."""

    name: Text
    """Name in the original language, e.g. ``武汉市人民政府``."""
    name_en: Text
    """English name."""


class Dates(Record):
    """A document's dates as EDTF strings, each with its honest precision."""

    announced: EDTF | None = None
    """When it was made public: a report delivered, a plan published, a meeting held."""
    issued: EDTF | None = None
    """The date the document was signed or issued (成文日期)."""
    effective: EDTF | None = None
    """When it took effect."""
    period: EDTF | None = None
    """The period it covers, as an EDTF interval (``2022/2025``)."""


class Bilingual(Record):
    """A text in English (required) and Chinese (optional), in Markdown."""

    en: RichText
    """English text, in our own words."""
    zh: RichText | None = None
    """Chinese text, in our own words."""


class Relation(Record):
    """A link from this document to another document."""

    type: Annotated[Slug, Vocab("relations")]
    """A term of ``vocab/relations.yaml``: ``supersedes``, ``final-version-of``, ``implements``..."""
    document: Annotated[Slug, Ref("documents")]
    """Id of the other document."""
    note: RichText | None = None
    """What changed between the two (for a draft and its final version), in Markdown."""


class DisputedValue(Record):
    """One of the values sources give for a disputed field."""

    value: Text
    """The value as this source gives it."""
    sources: Annotated[list[Slug], Field(min_length=1), Ref("sources")]
    """Ids of the sources that give this value."""
    preferred: bool = False
    """True for the value the record uses; exactly one value is preferred."""


class Dispute(Record):
    """Sources disagree on a date or figure; every value is kept with its sources."""

    field: Text
    """Dotted path of the field concerned, e.g. ``dates.announced`` or ``targets.scale.value``."""
    values: Annotated[list[DisputedValue], Field(min_length=2)]
    """Each value with its sources."""
    reason: RichText
    """Why the preferred value is preferred."""


class Search(Record):
    """A search made while looking for a jurisdiction's metaverse policy."""

    query: Text
    """The words searched for."""
    where: Text
    """Where: a site, a search engine, an index."""
    date: Day
    """The day of the search (YYYY-MM-DD)."""
    result: Text
    """What it found, in a few words."""


class Outcome(Record):
    """What became of a target once its deadline passed (the rule: ``pages/methodology.md``,
    "Did it happen?"). "Not yet due" and "not checked" are never stored: they follow from the
    deadline and the data's as-of date (:func:`generator.rules.target_status`)."""

    status: Literal["met", "not-met", "no-report-found", "not-applicable"]
    """``met`` or ``not-met`` (a source reports the result), ``no-report-found`` (none in the material
    searched, as of ``as_of``, with ``searches``), ``not-applicable`` (the target cannot be judged, e.g.
    a one-off budget or a measure that was withdrawn; say why in ``note``)."""
    reported: Text | None = None
    """The reported figure as the source states it (``2023年产业规模达2800亿元``), for ``met`` and ``not-met``."""
    as_of: Day | None = None
    """The day the result was looked for (YYYY-MM-DD); required for ``no-report-found``."""
    searches: list[Search] = []
    """The searches made for this target's result; required for ``no-report-found``."""
    note: RichText | None = None
    """What the source reports, with figures, or why the target is not applicable (Markdown)."""
    sources: list[SourceRef] = []
    """Sources that report the result; required for ``met`` and ``not-met``."""


class Baseline(Record):
    """The starting value a target is measured from."""

    value: float
    """The baseline figure in the target's unit."""
    year: EDTF
    """The year or date of the baseline."""
    as_stated: Text | None = None
    """The baseline as written in the source."""


class Target(Record):
    """A quantified target set by a document."""

    id: Annotated[Slug, OwnId()]
    """Slug unique within its document, e.g. ``industry-scale-2025``."""
    metric: Annotated[Slug, Vocab("metrics")]
    """A term of ``vocab/metrics.yaml``: ``industry-scale``, ``output-value``, ``revenue``, \
``enterprises-specialized``..."""
    subject: Text | None = None
    """What is counted when the metric alone does not say it (``metaverse core industry``)."""
    as_stated: Text
    """The figure exactly as written, with its unit: ``3500亿元``, ``50家以上``, ``3~5个``."""
    qualifier: Literal["exact", "at-least", "at-most", "approximately", "range", "order-of-magnitude"]
    """How the figure is stated: exact, at-least ("50+"), at-most, approximately ("about"), range ("3~5"), \
order-of-magnitude ("千亿级")."""
    value: float | None = None
    """The stated number in the stated unit (3500 for 3500亿元); empty for ranges."""
    low: float | None = None
    """Ranges only: the lower end, in the stated unit."""
    high: float | None = None
    """Ranges only: the upper end, in the stated unit."""
    unit: Annotated[Slug, Vocab("units")]
    """A term of ``vocab/units.yaml``: ``yi-yuan`` (亿元), ``wan-yuan`` (万元), ``count``, ``percent``..."""
    normalized: float | None = None
    """``value`` in the unit's base unit (3500亿元 → 350 billion CNY, written out in full in the record); checked \
against value × factor."""
    normalized_low: float | None = None
    """Ranges only: ``low`` in base units."""
    normalized_high: float | None = None
    """Ranges only: ``high`` in base units."""
    deadline: EDTF
    """When the target is due, usually a year (``2025``)."""
    baseline: Baseline | None = None
    """The starting value, where the document gives one."""
    scope: Annotated[Slug, Vocab("scopes")]
    """What the figure is about, a term of ``vocab/scopes.yaml``: ``metaverse`` (the metaverse itself),
    ``broader`` (a wider sector it is part of: electronic information, digital economy, future
    industries, software), ``driven`` (industries the metaverse is to drive, 带动), ``vr-xr`` (VR/XR
    rather than the metaverse). Only ``metaverse`` figures enter default totals (``generator.rules``)."""
    locator: Text | None = None
    """Where in the document the figure stands (article, section, paragraph)."""
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    """Sources that state the target."""
    outcome: Outcome | None = None
    """Once the deadline has passed: achieved, not achieved or unknown, with sources."""
    note: RichText | None = None
    """Anything a reader needs to read the figure right (Markdown)."""
    unusual_figure: Text | None = None
    """Only when a figure is outside the plausible range for its unit (zero, or above the limit in
    ``generator/plausibility.py``) and is really what the source says: why, in a sentence."""


#: Document kinds that are official actions, not issued documents: recorded, counted apart
#: (methodology: "What counts as a document").
NOT_ISSUED_KINDS = ("meeting", "announcement", "event")

#: Document statuses of texts not issued in final form: a draft for comment, a plan announced but
#: not yet issued. Their targets stay out of default totals (:func:`generator.rules.exclusion`).
NOT_FINAL_STATUSES = ("draft-for-comment", "announced")


class Document(Record):
    """A policy document or official action (meeting, symposium, announcement)."""

    id: Annotated[Slug, OwnId()]
    """Stable slug: jurisdiction id, kind and year, e.g. ``cn-hubei-wuhan-gwr-2022``."""
    jurisdiction: Annotated[Slug, Ref("jurisdictions")]
    """Id of the jurisdiction whose government issued it."""
    title: Title
    """Titles in the original language and English."""
    kind: Annotated[Slug, Vocab("document_kinds")]
    """A term of ``vocab/document_kinds.yaml``: ``government-work-report``, ``action-plan``..."""
    status: Annotated[Slug, Vocab("statuses")]
    """A term of ``vocab/statuses.yaml``: ``draft-for-comment``, ``issued``, ``in-force``, ``expired``, \
``superseded``."""
    focus: Literal["dedicated", "chapter", "mention", "related"]
    """How central the metaverse is: ``dedicated`` (the document is about it), ``chapter`` (a section), ``mention``,
    or ``related`` (a plan for a field the metaverse is recast as, XR or VR, that does not name the metaverse)."""
    issuers: Annotated[list[Issuer], Field(min_length=1)]
    """The bodies that issued it, jointly when several."""
    dates: Dates
    """Announced, issued, effective and period, as EDTF strings."""
    document_number: Text | None = None
    """The document number (文号) where there is one, e.g. ``沪府办发〔2022〕11号``."""
    themes: Annotated[list[Slug], Vocab("themes")] = []
    """Terms of ``vocab/themes.yaml`` the document addresses."""
    summary: Bilingual
    """What the document says about the metaverse, in our own words (Markdown)."""
    relations: list[Relation] = []
    """Links to other documents: supersedes, final version of a draft, implements a plan."""
    sources: Annotated[list[SourceRef], Field(min_length=1)]
    """Sources that were read for this record."""
    disputes: list[Dispute] = []
    """Fields on which sources disagree, with every value kept."""
    targets: list[Target] = []
    """Quantified targets the document sets."""
    notes: RichText | None = None
    """Research notes: what secondary sources got wrong or left vague (Markdown)."""

    @property
    def date(self) -> str | None:
        """The EDTF date the document is dated by: issued, else announced, else its period; None when it has none."""
        return self.dates.issued or self.dates.announced or self.dates.period

    @property
    def is_issued(self) -> bool:
        """True for issued documents (plans, measures, reports); False for meetings, events and
        announcements (:data:`NOT_ISSUED_KINDS`)."""
        return self.kind not in NOT_ISSUED_KINDS

    @property
    def names_metaverse(self) -> bool:
        """False for a document of focus ``related``: a plan for XR, VR or another field the
        metaverse is recast as, which does not name the metaverse itself (methodology, "focus").
        Such a document is listed, but no research status or mention count rests on it."""
        return self.focus != "related"

    @property
    def is_metaverse_policy(self) -> bool:
        """True for a final issued document that names the metaverse (:attr:`is_final` and
        :attr:`names_metaverse`): what a jurisdiction's research status and the adoption charts
        rest on (methodology, "focus")."""
        return self.is_final and self.names_metaverse

    @property
    def is_final(self) -> bool:
        """True for an issued document in its final form: not a draft, not only announced \
(:data:`NOT_FINAL_STATUSES`)."""
        return self.is_issued and self.status not in NOT_FINAL_STATUSES


class WorkReportCheck(Record):
    """One year's government work report of a jurisdiction that does not mention the metaverse, or
    could not be read (a report that mentions it is a document record instead)."""

    year: Annotated[int, Field(ge=2015, le=2100)]
    """The year of the report (the year it was delivered, e.g. ``2025``)."""
    finding: Literal["no-mention", "not-read"]
    """``no-mention``: the report's text was read and 元宇宙 is not in it; ``not-read``: no full text
    could be found in the material searched (``searches`` say where)."""
    sources: list[SourceRef] = []
    """The page(s) with the report's text that was read; required for ``no-mention``."""
    searches: list[Search] = []
    """Searches made for the report; required for ``not-read``."""
    note: RichText | None = None
    """What else a reader should know, e.g. a related term the report uses instead (Markdown)."""


class Coverage(Record):
    """The research record of one jurisdiction: how hard we looked, and what each year's government
    work report says. Its research status is not stored: it follows from the jurisdiction's own
    documents (:func:`generator.rules.research_status`)."""

    jurisdiction: Annotated[Slug, Ref("jurisdictions")]
    """Id of the jurisdiction."""
    evidence: Annotated[list[Slug], Ref("documents")] = []
    """Ids of the documents that matter most for the jurisdiction, shown first on its page."""
    searches: list[Search] = []
    """Searches made; required when the jurisdiction has no issued document of its own."""
    work_reports: list[WorkReportCheck] = []
    """Years whose government work report does not mention the metaverse or could not be read."""
    note: RichText | None = None
    """What else a reader should know (Markdown)."""


class Correction(Record):
    """A fix of a fact in a published record, listed on the corrections page."""

    date: Day
    """The day the correction was made (YYYY-MM-DD)."""
    kind: Literal["document", "jurisdiction", "source"]
    """Kind of the corrected record."""
    record: Annotated[Slug, Ref(kind_field="kind")]
    """Id of the corrected record."""
    field: Text
    """Dotted path of the corrected field, e.g. ``dates.issued`` or ``targets.scale.value``."""
    old: Text
    """The value before the correction."""
    new: Text
    """The value after the correction."""
    sources: Annotated[list[Slug], Ref("sources")] = []
    """Ids of the sources that show the corrected value."""
    note: RichText | None = None
    """Why and how the error arose (Markdown)."""


class Redirect(Record):
    """An old record id that now lives under another id: its old URL keeps working."""

    kind: Literal["document", "jurisdiction"]
    """Kind of the renamed record."""
    old: Annotated[Slug, OwnId()]
    """The id the record had; must not be in use by a record now."""
    new: Annotated[Slug, Ref(kind_field="kind")]
    """The record's current id."""
    date: Day
    """The day of the rename (YYYY-MM-DD)."""


class DatasetInfo(Record):
    """The dataset's release facts, in ``data/dataset.yaml``."""

    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    """The release, as MAJOR.MINOR.PATCH (``0.1.0``); bumped when a release is cut."""


# Field markers, read ----------------------------------------------------------------------------


def _markers_of(annotation) -> tuple[tuple, bool, type[BaseModel] | None]:
    """Read a field's annotation: ``(markers, is_list, nested model)``. Markers are collected from
    every ``Annotated`` layer, through ``X | None`` and into a list's item type; a marker on a list
    applies to each item."""
    markers: list = []
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            markers += [m for m in annotation.__metadata__ if isinstance(m, MARKERS)]
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            arms = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(arms) != 1:
                break  # a union of several types: no marker or model is read through it
            annotation = arms[0]
        elif origin is list:
            is_list = True
            annotation = typing.get_args(annotation)[0]
        else:
            break
    model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return tuple(markers), is_list, model


@lru_cache(maxsize=None)
def marked_fields(model: type[BaseModel]) -> tuple[tuple[str, tuple, bool, type[BaseModel] | None], ...]:
    """Return, for ``model``, the fields that carry a marker or hold a model that does (at any
    depth): ``(field name, markers, is_list, nested model or None)``, in field order."""
    out = []
    for name, info in model.model_fields.items():
        own = tuple(m for m in info.metadata if isinstance(m, MARKERS))
        markers, is_list, nested = _markers_of(info.annotation)
        markers = own + markers
        if nested is not None and not marked_fields(nested):
            nested = None
        if markers or nested is not None:
            out.append((name, markers, is_list, nested))
    return tuple(out)


def marked_values(record: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, object, str, BaseModel]]:
    """Yield ``(field path, marker, value, owner)`` for every marked value in ``record``, nested
    models and list items included (``("targets", 0, "sources", 1, "source")``); ``owner`` is the
    model instance holding the field (a :class:`Ref` with ``kind_field`` reads the kind there).
    Empty optional fields yield nothing."""
    for name, markers, is_list, nested in marked_fields(type(record)):
        value = getattr(record, name)
        if value is None:
            continue
        items = enumerate(value) if is_list else ((None, value),)
        for i, item in items:
            at = path + ((name,) if i is None else (name, i))
            if nested is not None:
                yield from marked_values(item, at)
            else:
                for marker in markers:
                    yield at, marker, item, record


def markers_in(model: type[BaseModel]) -> Iterator[tuple[str, object]]:
    """Yield ``(dotted field path, marker)`` for every marker in ``model`` and the models it holds
    (``targets.sources.source``), for the registry's tests and :func:`vocabularies`."""
    for name, markers, _, nested in marked_fields(model):
        for marker in markers:
            yield name, marker
        if nested is not None:
            for sub, marker in markers_in(nested):
                yield f"{name}.{sub}", marker


def vocabularies(record_models: Iterator[type[BaseModel]]) -> tuple[str, ...]:
    """Return the vocabularies the loader reads: every one a :class:`Vocab` marker names in
    ``record_models`` or in :class:`Term`, then :data:`STANDALONE_VOCABULARIES`, each once, in
    the order first named."""
    names = [m.name for model in (*record_models, Term) for _, m in markers_in(model) if isinstance(m, Vocab)]
    return tuple(dict.fromkeys([*names, *STANDALONE_VOCABULARIES]))
