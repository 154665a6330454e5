"""`tutorbargain migrate`: a version 1 answers file becomes version 2 and nothing else moves."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli
from tutorbargain.answers.reading import load_answers

V1 = """\
# Lakeview's answers, kept by the president.
schema_version: 1   # the version we started with
local:
  name: Lakeview Education Association   # as on the charter
district:
  name: Lakeview City School District
  state: OH
school_year: 2026-27

bargaining:
  status: cba
program:
  provider: in_house
  delivery: in_person
  started: true          # new in version 2: what sent the user here
"""


def migrate(*args: str) -> tuple[int, str]:
    """Run the real command; its exit code and everything it printed."""
    result = run_cli(["migrate", *args])
    return result.code, result.out + result.err


def test_a_v1_file_using_a_v2_field_is_told_to_migrate_and_then_renders(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(V1, encoding="utf-8")
    refused = run_cli(["render", str(answers), "-o", str(tmp_path / "out")])
    assert refused.code == 1
    assert "line 15, program.started: is new in schema version 2" in refused.err
    assert f"run `tutorbargain migrate {answers}`" in refused.err

    code, output = migrate(str(answers))
    assert code == 0, output
    assert "from schema version 1 to 2" in output
    # Exactly one line changed, and only its number: the comments, blank line and order stay.
    after = answers.read_text(encoding="utf-8")
    assert after == V1.replace("schema_version: 1   #", "schema_version: 2   #")
    assert load_answers(answers).get("program.started") is True

    rendered = run_cli(["render", str(answers), "-o", str(tmp_path / "out")])
    assert rendered.code == 0, rendered.err


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yml")))
def test_every_bundled_example_keeps_its_meaning(tmp_path: Path, example: str) -> None:
    before = (EXAMPLES / example).read_bytes()
    answers = tmp_path / example
    answers.write_bytes(before)
    code, output = migrate(str(answers))
    assert code == 0, output
    after = answers.read_bytes()
    if b"schema_version: 1" in before:
        assert after == before.replace(b"schema_version: 1", b"schema_version: 2", 1)
    else:
        assert after == before and "nothing to change" in output
    old = load_answers(EXAMPLES / example)
    assert load_answers(answers).values == old.values


def test_line_endings_byte_order_mark_and_permissions_survive(tmp_path: Path) -> None:
    answers = tmp_path / "windows.yml"
    answers.write_bytes(b"\xef\xbb\xbf" + V1.replace("\n", "\r\n").encode("utf-8"))
    answers.chmod(0o600)
    code, output = migrate(str(answers))
    assert code == 0, output
    expected = V1.replace("schema_version: 1", "schema_version: 2").replace("\n", "\r\n")
    assert answers.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")
    assert stat.S_IMODE(answers.stat().st_mode) == 0o600


def test_a_file_without_a_version_gets_one_under_its_heading(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    body = V1.replace("schema_version: 1   # the version we started with\n", "")
    answers.write_text(body, encoding="utf-8")
    code, output = migrate(str(answers))
    assert code == 0, output
    assert "Added 'schema_version: 2'" in output
    assert answers.read_text(encoding="utf-8") == body.replace(
        "president.\n", "president.\nschema_version: 2\n"
    )


def test_output_elsewhere_keeps_the_original_and_never_overwrites_without_force(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(V1, encoding="utf-8")
    target = tmp_path / "answers-v2.yml"
    target.write_text("the team's other file\n", encoding="utf-8")
    code, output = migrate(str(answers), "-o", str(target))
    assert code == 1
    assert "already exists" in output
    assert target.read_text(encoding="utf-8") == "the team's other file\n"
    code, output = migrate(str(answers), "-o", str(target), "--force")
    assert code == 0, output
    assert answers.read_text(encoding="utf-8") == V1
    assert "schema_version: 2   #" in target.read_text(encoding="utf-8")


def test_a_linked_answers_file_is_upgraded_where_it_lives(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "answers.yml"
    real.parent.mkdir()
    real.write_text(V1, encoding="utf-8")
    link = tmp_path / "answers.yml"
    os.symlink(real, link)
    code, output = migrate(str(link))
    assert code == 0, output
    assert link.is_symlink()
    assert "schema_version: 2" in real.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema_version: 3\n", "line 1, schema_version: is 3, newer than this tutorbargain"),
        ("schema_version: true\n", "must be 1 or 2, not a yes/no answer (yes)"),
        ("schema_version: one\n", 'must be 1 or 2, not "one"'),
        ("- a list\n", "is not a set of answers"),
        ("", "is empty, so there is nothing to upgrade"),
        ("{local: {name: X}}\n", "add 'schema_version: 2' yourself"),
        ("local:\n  name: [unclosed\n", "is not valid YAML"),
    ],
)
def test_files_that_cannot_be_upgraded_are_named_and_left_alone(
    tmp_path: Path, text: str, message: str
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(text, encoding="utf-8")
    code, output = migrate(str(answers))
    assert code == 1
    assert message in output
    assert str(answers) in output
    assert "Traceback" not in output
    assert answers.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]


def test_problems_that_remain_are_listed_but_the_upgrade_is_kept(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(V1.replace("  state: OH\n", ""), encoding="utf-8")
    code, output = migrate(str(answers))
    assert code == 0
    assert "will still refuse" in output and "district.state: is required" in output
    assert "schema_version: 2" in answers.read_text(encoding="utf-8")
