"""Problems as data: a `Place` is a file, line and key worded one way, and a `Problem` carries
its place, a stable code and a hint."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tutorbargain.errors import ClauseLibraryError, Place, Problem
from tutorbargain.library.loading import load_library, read_library
from tutorbargain.yamlfile import parse_yaml


def test_a_place_is_its_parts_and_one_wording() -> None:
    place = Place("answers.yml", 4, "pay.tutoring_rate")
    assert (place.file, place.line, place.key) == ("answers.yml", 4, "pay.tutoring_rate")
    assert place == "answers.yml, line 4, pay.tutoring_rate"
    assert str(Place("answers.yml")) == "answers.yml"
    assert str(Place("answers.yml", key="local")) == "answers.yml, local"
    assert pickle.loads(pickle.dumps(place)).line == 4
    with pytest.raises(AttributeError):
        place.line = 5  # type: ignore[misc]


def test_a_yaml_document_locates_keys_as_places() -> None:
    doc = parse_yaml("local:\n  name: X\n", path="a.yml")
    where = doc.where("local.name")
    assert isinstance(where, Place) and (where.line, where.key) == (2, "local.name")


def test_a_problem_keeps_its_place_code_and_hint() -> None:
    problem = Problem(Place("a.yml", 3, "x"), "is wrong", "bad-x", "write y instead")
    assert problem.place == Place("a.yml", 3, "x") and problem.code == "bad-x"
    assert str(problem) == "a.yml, line 3, x: is wrong; write y instead"
    assert Problem("program.name", "is missing").place is None  # a name, not a file
    sentence = Problem("a.yml", "is wrong.", hint="Write y instead.")
    assert sentence.advice == "is wrong. Write y instead."


def test_the_loader_returns_every_problem_with_its_code(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        "schema_version: 1\nclauses:\n  - id: ours\n    topic: nowhere\n    soruce: x\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yml").write_text("schema_version: 1\nclauses: [\n", encoding="utf-8")
    library, problems = read_library([tmp_path])
    assert library is not None and library.clauses  # the bundled clauses are still there
    codes = {(Path(p.place.file).name, p.code) for p in problems if p.place}
    assert {("a.yml", "unknown-key"), ("a.yml", "missing-keys"), ("b.yml", "not-yaml")} <= codes
    with pytest.raises(ClauseLibraryError) as raised:
        load_library([tmp_path])
    assert list(raised.value.problems) == problems
