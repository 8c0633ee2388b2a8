"""The registry of record kinds and the field markers on the models (issue 13, "declared, not
inferred"): every field that looks like a vocabulary term or a reference says which one it is,
every vocabulary file is named by a marker, and the registry's fields point at things that exist."""

from __future__ import annotations

import typing
from pathlib import Path

from conftest import ROOT, VALID_DIR
from pydantic import BaseModel, StringConstraints

from generator import kinds, models
from generator.loader import load_data
from generator.render import TEMPLATES

#: Field names that hold a term or an id wherever they appear (besides any ``*_id`` and any Slug).
SLUG_LIKE_NAMES = {
    "kind",
    "metric",
    "unit",
    "scope",
    "level",
    "status",
    "type",
    "theme",
    "themes",
    "parent",
    "jurisdiction",
    "document",
    "source",
    "sources",
    "record",
    "evidence",
}


def _models_under(model: type[BaseModel], seen: set | None = None) -> set[type[BaseModel]]:
    """``model`` and every model its fields hold, at any depth."""
    seen = set() if seen is None else seen
    if model in seen:
        return seen
    seen.add(model)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            item = stack.pop()
            if isinstance(item, type) and issubclass(item, BaseModel):
                _models_under(item, seen)
            stack.extend(typing.get_args(item))
    return seen


def _is_slug(info) -> bool:
    """True when the field's value, or its items, is a :data:`generator.models.Slug`."""
    stack = [info.annotation, *info.metadata]
    while stack:
        item = stack.pop()
        if isinstance(item, StringConstraints) and item.pattern == models.SLUG_RE:
            return True
        stack.extend(getattr(item, "__metadata__", ()))
        stack.extend(typing.get_args(item))
    return False


def _is_text(info) -> bool:
    """True when the field holds a plain string or a list of them (not a Literal, number or model)."""
    stack = [info.annotation]
    while stack:
        item = stack.pop()
        if item is str:
            return True
        if typing.get_origin(item) is not typing.Literal:
            stack.extend(a for a in typing.get_args(item) if not isinstance(a, (str, int, float)))
    return False


def unmarked(model: type[BaseModel]) -> list[str]:
    """``Model.field`` for every slug-like field of ``model`` (and the models it holds) that has no
    marker: a Slug, or text named like a term or an id (:data:`SLUG_LIKE_NAMES`, ``*_id``)."""
    marked = {(m, name) for m in _models_under(model) for name, markers, _, _ in models.marked_fields(m) if markers}
    out = []
    for m in sorted(_models_under(model), key=lambda m: m.__name__):
        for name, info in m.model_fields.items():
            slug_like = _is_slug(info) or (_is_text(info) and (name in SLUG_LIKE_NAMES or name.endswith("_id")))
            if slug_like and (m, name) not in marked:
                out.append(f"{m.__name__}.{name}")
    return out


def test_every_slug_like_field_says_what_it_holds():
    """A new field holding a term or an id must be marked Vocab, Ref or OwnId, or no check sees it."""
    found = [name for kind in kinds.KINDS.values() for name in unmarked(kind.model)] + unmarked(models.Term)
    assert found == []


def test_an_unmarked_slug_like_field_is_found():
    class Event(models.Record):
        """Not a real record: a model with the faults the test above must catch."""

        id: typing.Annotated[models.Slug, models.OwnId()]
        """Own id."""
        sector: models.Slug
        """A term, unmarked."""
        venue_id: str
        """An id by its name, unmarked."""
        unit: typing.Annotated[models.Slug, models.Vocab("units")]
        """Marked."""
        hosts: list[models.Slug] = []
        """Ids, unmarked."""
        focus: typing.Literal["a", "b"] = "a"
        """Closed in code: not slug-like."""
        title: models.Text = "x"
        """Free text: not slug-like."""

    assert unmarked(Event) == ["Event.sector", "Event.venue_id", "Event.hosts"]


def _vocab_files(folder: Path) -> set[str]:
    return {p.stem for p in (folder / "vocab").glob("*.yaml")}


def test_every_vocabulary_file_is_named_by_a_marker_and_every_marker_has_its_file():
    standalone = set(models.STANDALONE_VOCABULARIES)
    named = {
        m.name for kind in kinds.KINDS.values() for _, m in models.markers_in(kind.model) if isinstance(m, models.Vocab)
    }
    assert set(kinds.VOCABULARIES) == named | standalone
    assert not named & standalone
    for data in (ROOT / "data", VALID_DIR):
        assert _vocab_files(data) == set(kinds.VOCABULARIES), data
    assert {"metrics", "units", "scopes", "themes", "levels", "official_hosts"} <= set(kinds.VOCABULARIES)


def test_references_name_kinds_of_the_registry():
    for kind in kinds.KINDS.values():
        for model in _models_under(kind.model):
            for name, markers, _, _ in models.marked_fields(model):
                for ref in (m for m in markers if isinstance(m, models.Ref)):
                    assert (ref.kind is None) != (ref.kind_field is None), f"{model.__name__}.{name}"
                    if ref.kind:
                        assert ref.kind in kinds.KINDS, f"{model.__name__}.{name}"
                    else:  # the sibling field names a kind by its singular
                        choices = typing.get_args(model.model_fields[ref.kind_field].annotation)
                        assert choices and set(choices) <= set(kinds.BY_SINGULAR), f"{model.__name__}.{name}"


def test_the_walker_finds_nested_terms_and_references():
    loaded = load_data(VALID_DIR)
    doc = next(
        loc.record for loc in loaded.records["documents"] if loc.record.id == "cn-hubei-wuhan-metaverse-plan-2022"
    )
    refs = list(kinds.references(doc))
    assert refs[0] == (("jurisdiction",), "jurisdictions", "cn-hubei-wuhan")
    assert (
        ("targets", 0, "outcome", "sources", 0, "source"),
        "sources",
        "example-wuhan-gov-2022-08-metaverse-plan-draft",
    ) in refs
    assert (
        ("disputes", 0, "values", 1, "sources", 0),
        "sources",
        "example-wuhan-gov-2022-08-metaverse-plan-draft",
    ) in refs
    assert {kind for _, kind, _ in refs} == {"jurisdictions", "documents", "sources"}
    terms = list(kinds.terms(doc))
    assert (("targets", 3, "scope"), "scopes", doc.targets[3].scope) in terms
    assert [t for t in terms if t[0][0] == "themes"] == [(("themes", i), "themes", t) for i, t in enumerate(doc.themes)]
    correction = models.Correction(
        date="2024-01-01", kind="source", record="x", field="title", old="a", new="b", sources=["y"]
    )
    assert list(kinds.references(correction)) == [(("record",), "sources", "x"), (("sources", 0), "sources", "y")]
    jurisdiction = next(loc.record for loc in loaded.records["jurisdictions"] if loc.record.parent is None)
    assert list(kinds.references(jurisdiction)) == []


def _refers(model) -> set[str]:
    """The fields of ``model`` that hold a reference to a record, directly or in a nested model."""
    return {
        name
        for name, markers, _, nested in models.marked_fields(model)
        if any(isinstance(m, models.Ref) for m in markers) or (nested is not None and _refers(nested))
    }


def test_registry_fields_point_at_what_exists():
    reference_fields = {kind.name: _refers(kind.model) for kind in kinds.KINDS.values()}
    for kind in kinds.KINDS.values():
        assert kind.id_field in kind.model.model_fields or kind.name in ("corrections", "redirects"), kind.name
        assert set(kind.shown_on) <= reference_fields[kind.name], kind.name
        assert set(kind.shows) <= set(kinds.KINDS), kind.name
        if kind.section:
            assert (TEMPLATES / f"{kind.singular}.md.j2").is_file() and (TEMPLATES / f"{kind.name}.md.j2").is_file(), (
                kind.name
            )
        if kind.name in kinds.TABLES or kind.shown_on or any(kind.name in k.shows for k in kinds.KINDS.values()):
            assert kind.section or kind.listings, f"{kind.name} is shown somewhere but has no page or listing"
    assert set(kinds.TABLES) <= set(kinds.KINDS) | {"targets"}
    assert {p.stem for p in (TEMPLATES / "new").glob("*.yaml")} <= set(kinds.BY_SINGULAR)
    assert len(kinds.BY_SINGULAR) == len(kinds.KINDS)


def test_affected_pages_follow_the_registry(tmp_path):
    """diff reads a kind's pages from the registry (its own page, its listings, the pages of what it
    is shown on, the pages of the records that show it: a source, every document citing it), with
    the refinements that rendering showed (tests/test_affected_pages.py): a changed source changes
    the grade shown on its documents' jurisdiction pages and the coverage page, but no count; record
    pages do not show corrections; a city's coverage is only on its own page."""
    from conftest import copy_valid

    from generator.diff import RecordChange, affected_pages
    from generator.validate import validate_data

    data = copy_valid(tmp_path / "data")
    (data / "corrections").mkdir()
    (data / "corrections" / "2024-01-01-example-news-2022-11-wuhan-metaverse-plan.yaml").write_text(
        "date: 2024-01-01\nkind: source\nrecord: example-news-2022-11-wuhan-metaverse-plan\nfield: title\nold: a\n"
        "new: b\n",
        "utf-8",
    )
    (data / "corrections" / "2024-01-02-cn-hubei.yaml").write_text(
        "date: 2024-01-02\nkind: jurisdiction\nrecord: cn-hubei\nfield: name_en\nold: a\nnew: b\n", "utf-8"
    )
    validated = validate_data(data)
    assert validated.problems == []

    def pages(kind, rid):
        return affected_pages([RecordChange(kind, rid, "changed", "x")], validated, validated)

    assert pages("sources", "example-wuhan-gov-2022-08-metaverse-plan-draft") == [
        "/coverage/",
        "/documents/cn-hubei-wuhan-metaverse-plan-2022/",
        "/documents/cn-hubei-wuhan-metaverse-plan-draft-2022/",
        "/jurisdictions/cn-hubei-wuhan/",
        "/sources/",
    ]
    assert pages("corrections", "2024-01-01-example-news-2022-11-wuhan-metaverse-plan") == ["/corrections/"]
    assert pages("corrections", "2024-01-02-cn-hubei") == ["/corrections/"]
    assert pages("coverage", "cn-hubei-wuhan") == ["/jurisdictions/cn-hubei-wuhan/"]
    assert pages("redirects", "old") == []
