"""Property tests: whatever a user may validly answer, the documents come out whole.

- Any answer set that passes validation renders documents whose every XML part parses and that
  python-docx opens again.
- Any Unicode text that validation accepts as a name (right-to-left scripts, emoji, astral
  letters, combining marks) survives exactly into the Word documents, and into the Markdown
  question list as words, never as markup.
- Rule evaluation never raises, for any valid answers and every rule in the library.

Answer sets are drawn from `fields.FIELDS` itself (kinds, choices, ranges), so a new field is
covered the day it is added. Example counts come from a settings profile: ``ci`` (the default,
under two minutes on a two-core machine) or ``thorough``; choose with
``TUTORBARGAIN_HYPOTHESIS=thorough``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt

from conftest import docx_paragraphs
from tutorbargain.answers.fields import BY_NAME, FIELDS, GRADE_VALUES, STATES, Field, Kind
from tutorbargain.answers.reading import (
    Answers,
    ValueProblem,
    answers_from_mapping,
    clean_text,
)
from tutorbargain.errors import AnswersError
from tutorbargain.library.loading import Library, load_library
from tutorbargain.library.rules import evaluate
from tutorbargain.render import build_files

TODAY = dt.date(2026, 5, 1)

settings.register_profile(
    "ci",
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=400,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PROFILE = settings.get_profile(os.environ.get("TUTORBARGAIN_HYPOTHESIS", "ci"))


def scaled(factor: float) -> settings:
    """The chosen profile with ``factor`` times its examples (cheap properties run more)."""
    return settings(PROFILE, max_examples=max(1, int(PROFILE.max_examples * factor)))


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


# ---------------------------------------------------------------- strategies

REFUSED_CHARACTERS = (
    "".join(
        chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
    )
    + "\ufffe\uffff"
)
"""Characters validation refuses on purpose (a Word file cannot hold them, or they are
invisible controls); lone surrogates are left out by excluding category Cs."""

_ANY_CHARACTER = st.characters(exclude_categories=["Cs"], exclude_characters=REFUSED_CHARACTERS)
_SCRIPTS = st.sampled_from(
    [
        (0x0590, 0x05FF),  # Hebrew
        (0x0600, 0x06FF),  # Arabic
        (0x0300, 0x036F),  # combining marks
        (0x200B, 0x200F),  # zero-width and direction marks
        (0x202A, 0x202E),  # bidi embeddings and overrides
        (0x1F300, 0x1FAFF),  # emoji
        (0x1D400, 0x1D7FF),  # mathematical letters (astral)
        (0xE000, 0xE0FF),  # private use, where the markup's own marker lives
        (0x0020, 0x007E),  # ASCII, markup characters included
    ]
)


@st.composite
def _script_text(draw: st.DrawFn) -> str:
    low, high = draw(_SCRIPTS)
    return draw(
        st.text(st.characters(min_codepoint=low, max_codepoint=high), min_size=1, max_size=30)
    )


def acceptable(text: str, f: Field) -> bool:
    """Whether validation takes ``text`` for ``f`` (blank means "no answer", so not here)."""
    try:
        return bool(clean_text(text, max_length=f.max_length))
    except ValueProblem:
        return False


def name_text(f: Field) -> st.SearchStrategy[str]:
    """Any text validation accepts for a text field: all of Unicode, weighted to hard cases."""
    raw = st.one_of(
        st.text(_ANY_CHARACTER, min_size=1, max_size=60),
        st.lists(_script_text(), min_size=1, max_size=4).map(" ".join),
    )
    return raw.filter(lambda text: acceptable(text, f))


def _money(f: Field) -> st.SearchStrategy[object]:
    cents = st.integers(min_value=0, max_value=int(float(f.maximum or 1000) * 100))
    return st.one_of(
        cents.map(lambda c: c / 100),
        cents.map(lambda c: f"${c // 100:,}.{c % 100:02d}"),
        st.integers(min_value=0, max_value=int(f.maximum or 1000)),
    )


def value_for(f: Field) -> st.SearchStrategy[object]:
    """A valid raw value for ``f``, in one of the forms a user types or YAML gives."""
    kind = f.kind
    if kind is Kind.TEXT:
        return name_text(f)
    if kind is Kind.BOOL:
        return st.sampled_from([True, False, "yes", "no", "Y", "n", 1, 0])
    if kind is Kind.COUNT:
        low, high = int(f.minimum or 0), int(f.maximum or 100)
        return st.one_of(
            st.integers(min_value=low, max_value=high),
            st.integers(min_value=low, max_value=high).map(lambda n: f"{n:,}"),
        )
    if kind is Kind.MONEY:
        return _money(f)
    if kind is Kind.DATE:
        days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
        return st.one_of(
            days.map(dt.date.isoformat), days.map(lambda d: f"{d.month}/{d.day}/{d.year}")
        )
    if kind is Kind.CHOICE:
        return st.sampled_from(f.choice_values())
    if kind is Kind.LIST and f.choices:
        return st.lists(st.sampled_from(f.choice_values()), max_size=len(f.choices), unique=True)
    if kind is Kind.LIST:
        return st.lists(name_text(f), max_size=5)
    if kind is Kind.GRADES:
        return st.lists(st.sampled_from(GRADE_VALUES), max_size=13, unique=True)
    if kind is Kind.STATE:
        return st.sampled_from(STATES)
    if kind is Kind.SCHOOL_YEAR:
        return st.integers(min_value=2000, max_value=2098).map(lambda y: f"{y}-{(y + 1) % 100:02d}")
    raise AssertionError(f"no strategy for {kind}")


@st.composite
def answer_sets(draw: st.DrawFn, *, names: dict[str, str] | None = None) -> Answers:
    """A valid answers mapping drawn from the schema table, then validated.

    Optional fields are left out about half the time; the cross-field rules are respected
    (a vendor needs a vendor name; no vendor terms without a vendor; no contract article
    without bargaining). ``names`` fixes some text fields.
    """
    data: dict[str, Any] = {}
    provider = draw(st.sampled_from(BY_NAME["program.provider"].choice_values()))
    status = draw(st.sampled_from(BY_NAME["bargaining.status"].choice_values()))
    for f in FIELDS:
        if names and f.name in names:
            value: object = names[f.name]
        elif f.name == "program.provider":
            value = provider
        elif f.name == "bargaining.status":
            value = status
        elif f.name == "program.vendor_name" and provider != "in_house":
            value = draw(value_for(f))
        elif (f.name.startswith("program.vendor_") and provider == "in_house") or (
            f.name == "bargaining.contract_article" and status == "none"
        ):
            continue
        elif f.required or draw(st.booleans()):
            value = draw(value_for(f))
        else:
            continue
        if f.section:
            data.setdefault(f.section, {})[f.key] = value
        else:
            data[f.name] = value
    return _agreeing(data)


def _agreeing(data: dict[str, Any]) -> Answers:
    """Validate ``data``, first leaving out each optional answer that disagrees with another
    (the schema's cross-field rules name it), so the strategy keeps up as rules are added."""
    while True:
        try:
            return answers_from_mapping(data, source="drawn answers")
        except AnswersError as exc:
            names = {p.where.rpartition(", ")[2] for p in exc.problems}
            optional = [n for n in names if n in BY_NAME and not BY_NAME[n].required]
            present = [
                n
                for n in optional
                if isinstance(data.get(n.partition(".")[0]), dict)
                and n.partition(".")[2] in data[n.partition(".")[0]]
            ]
            if not present:
                raise
            for name in present:
                section, _, key = name.partition(".")
                del data[section][key]


# ---------------------------------------------------------------- reading documents back


def assert_sound_docx(data: bytes) -> None:
    """Every XML part parses, strictly, and python-docx opens the file again."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name), etree.XMLParser(recover=False))
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs


_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_words(text: str) -> str:
    """What a reader sees of Markdown in a browser (GitHub-style): the rendered text."""
    rendered = _MARKDOWN.render(text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


# ---------------------------------------------------------------- the properties


@scaled(1)
@given(answers=answer_sets(), kit=st.booleans(), clean=st.booleans())
def test_valid_answers_make_sound_documents(
    answers: Answers, kit: bool, clean: bool, library: Library
) -> None:
    files, _, _ = build_files(
        answers, Path("out"), library=library, kit=kit, clean=clean, today=TODAY
    )
    documents = [data for path, data in files.items() if path.suffix == ".docx"]
    assert len(documents) == 2 + kit * 2 + clean * 2  # clean: the MOU and the question list
    for data in documents:
        assert_sound_docx(data)
    markdown = next(data for path, data in files.items() if path.suffix == ".md")
    markdown.decode("utf-8")


NAME_FIELDS = ("local.name", "district.name", "program.name")


@scaled(1.5)
@given(
    field=st.sampled_from(NAME_FIELDS),
    text=name_text(BY_NAME["local.name"]),
    data=st.data(),
)
@example(field="local.name", text="# Local | 1 **bold** [link](x) `code` _em_ <b>", data=None)
@example(field="district.name", text="שלום עולם · مدرسة 👩🏽‍🏫 e\u0301", data=None)
@example(field="program.name", text="\ue000d\ue000e \ue000\ue000 stray \ue000", data=None)
@example(field="local.name", text="1. Local  \\ ends with a backslash\\", data=None)
@example(field="district.name", text="AT&amp;T &#169; ~~struck~~ District", data=None)
def test_any_name_survives_exactly(
    field: str, text: str, data: st.DataObject | None, library: Library
) -> None:
    """The name as validated (whitespace collapsed, nothing else) is in every document."""
    base = {
        "local.name": "Cedar Hollow Education Association",
        "district.name": "Cedar Hollow Schools",
        "program.name": "Reading Boost",
        field: text,
    }
    if data is None:
        answers = answers_from_mapping(_minimal(base))
    else:
        answers = data.draw(answer_sets(names=base))
    expected = answers.get(field)
    assert expected == " ".join(text.split())
    files, _, _ = build_files(answers, Path("out"), library=library, today=TODAY)
    for path, content in files.items():
        if path.suffix == ".docx":
            assert any(expected in line for line in docx_paragraphs(content)), (path.name, expected)
        else:
            assert expected in markdown_words(content.decode("utf-8")), expected


def _minimal(names: dict[str, str]) -> dict[str, Any]:
    return {
        "local": {"name": names["local.name"]},
        "district": {"name": names["district.name"], "state": "OH"},
        "school_year": "2026-27",
        "bargaining": {"status": "cba"},
        "program": {"name": names["program.name"], "provider": "in_house", "delivery": "virtual"},
    }


@pytest.mark.parametrize("name", ["AT&amp;T Teachers &copy; Local", "~~Old~~ New Local"])
def test_markdown_entities_are_words(name: str, library: Library) -> None:
    answers = answers_from_mapping(
        _minimal({"local.name": name, "district.name": "Cedar Hollow Schools", "program.name": "P"})
    )
    files, _, _ = build_files(answers, Path("out"), library=library, today=TODAY)
    markdown = next(data for path, data in files.items() if path.suffix == ".md")
    assert name in markdown_words(markdown.decode("utf-8"))


@scaled(5)
@given(answers=answer_sets())
def test_rules_never_raise(answers: Answers, library: Library) -> None:
    """Every rule of the library (clauses, questions, requests, postures) gives a verdict."""
    rules = [entry.when for entry in library.entries()]
    rules += [posture.when for posture in library.postures]
    for rule in rules:
        verdict = evaluate(rule, answers)
        assert isinstance(verdict.matched, bool)
        assert all(isinstance(reason, str) and reason for reason in verdict.reasons)


@scaled(2)
@given(text=st.text(st.characters(exclude_characters="\r"), min_size=1, max_size=80))
@example(text="NUL\x00 VT\x0b ESC\x1b FFFE\ufffe lone\ud800 low\udc80 end")
def test_characters_word_cannot_hold_are_replaced_visibly(text: str) -> None:
    """The writer's last line of defence: whatever text reaches it (validation refuses control
    characters and lone surrogates long before), the file opens and each character Word cannot
    hold shows as U+FFFD, never written raw."""
    from tutorbargain.compose.model import Block, BlockKind, Document, Run
    from tutorbargain.writers.word import write_docx

    model = Document(blocks=[Block(BlockKind.PARAGRAPH, [Run(text)])], title=text)
    data = write_docx(model)
    assert_sound_docx(data)
    shown = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", text)
    assert docx_paragraphs(data) == [shown]


@given(st.text(alphabet=st.characters(blacklist_characters="{\r"), max_size=300))
def test_text_without_jinja_renders_as_itself(text: str) -> None:
    """Clause text with no brace is printed as written, without a render: it must read exactly
    as Jinja would have made it (the skip is only a shortcut)."""
    from tutorbargain.compose.templating import compile_template, is_plain, render

    assert is_plain(text)
    assert render(compile_template(text, name="plain"), {}) == text
