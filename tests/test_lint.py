"""`clauses lint`: each kind of broken clause file is caught, at its file and line, in plain words.

Most cases are small folders under tests/fixtures/lint/, read like a local's own clause folder
(layered over the bundled library). Line numbers in the assertions are lines of those files.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run_cli
from tutorbargain.answers.fields import BY_NAME
from tutorbargain.errors import TutorbargainError
from tutorbargain.library.loading import load_library
from tutorbargain.library.rule_search import (
    candidate_values,
    complete_answers,
    satisfying_answers,
)
from tutorbargain.library.rules import describe_rule, evaluate_values, parse_rule
from tutorbargain.lint import Finding, lint, lint_folder, lint_library

FIXTURES = Path(__file__).parent / "fixtures" / "lint"


@functools.cache
def _findings(case: str) -> tuple[Finding, ...]:
    return tuple(lint_folder(FIXTURES / case).findings)


def findings(case: str) -> list[Finding]:
    """The findings for a fixture folder layered over the bundled library (linted once)."""
    return list(_findings(case))


def one(found: list[Finding], file: str, line: int | None, *words: str) -> Finding:
    """The single finding at ``file:line``; its message must contain each of ``words``."""
    here = [f for f in found if Path(f.file).name == file and f.line == line]
    assert len(here) == 1, f"expected one finding at {file}:{line}, got:\n" + "\n".join(
        map(str, found)
    )
    for word in words:
        assert word in here[0].message, here[0]
    return here[0]


def errors(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.severity == "error"]


# ---------------------------------------------------------------- the bundled library


def test_bundled_library_lints_clean() -> None:
    report = lint()
    assert report.errors == [], "\n".join(map(str, report.errors))
    assert report.library is not None and report.library.clauses


def test_bundled_folder_given_as_dir_is_checked_as_a_whole_library() -> None:
    report = lint_folder(ROOT / "clauses")
    assert report.errors == [], "\n".join(map(str, report.errors))


# ---------------------------------------------------------------- structure


def test_broken_yaml_is_a_finding_and_the_other_files_are_still_read() -> None:
    found = findings("bad-yaml")
    one(found, "broken.yml", 5, "is not valid YAML", "indentation")
    # The file beside it is still checked (its rule names a field that does not exist).
    one(found, "fine.yml", 7, "tutors.esp", "did you mean tutors.esps?")


def test_clause_file_structure() -> None:
    found = findings("structure")
    one(found, "clauses.yml", 1, "put 'schema_version: 1' at the top")
    section = one(found, "clauses.yml", 2, "is not a section of a clause file", "clauses:")
    assert section.key == "clause"
    missing = one(found, "clauses.yml", 5, "a question needs source, title, why")
    assert missing.entry == "q-missing-parts"
    one(found, "clauses.yml", 14, "is not a key of a question", "did you mean source?")
    one(found, "clauses.yml", 16, "not a topic of the library", "did you mean tutoring-pay-rate?")
    one(found, "clauses.yml", 27, "must be a whole number")
    one(found, "clauses.yml", 28, "must be true or false")
    assert len(errors(found)) == 7


def test_duplicate_ids_within_a_file_and_across_files_of_one_folder() -> None:
    found = findings("duplicate-ids")
    same_file = one(found, "a.yml", 9, "the id local-pay is already used at", "a.yml, line 3")
    assert same_file.key == "clauses[1].id"
    one(found, "b.yml", 3, "the id local-pay is already used at", "a.yml, line 3")
    assert len(errors(found)) == 2


def test_overlay_folder_without_clause_files() -> None:
    found = findings("empty-folder")
    assert [f.message for f in found] == [
        "has no clause files: put your clauses in files ending in .yml"
    ]
    assert found[0].file.endswith("empty-folder")


def test_every_folder_the_loader_refuses_gives_findings_not_a_crash() -> None:
    """Whatever load_library rejects, the linter reports as errors (and never raises)."""
    for case in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        if (case / "library.yml").exists():
            continue
        try:
            load_library([case])
        except TutorbargainError:
            assert errors(findings(case.name)), case.name


def test_overlay_with_a_library_file_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "library.yml").write_text("schema_version: 1\n", encoding="utf-8")
    (tmp_path / "house.yml").write_text(
        "schema_version: 1\nclauses:\n  - id: voluntary\n    title: Voluntary work\n",
        encoding="utf-8",
    )
    report = lint([tmp_path])
    assert report.errors == []
    [warning] = report.warnings
    assert warning.file == str(tmp_path / "library.yml")
    assert "is not read when this folder is layered with --clauses" in warning.message


def test_a_misspelt_id_in_an_overlay_says_which_clause_was_meant(tmp_path: Path) -> None:
    target = next(c for c in load_library().clauses if len(c.id) > 6)
    typo = target.id[:-1]
    (tmp_path / "house.yml").write_text(
        f"schema_version: 1\nclauses:\n  - id: {typo}\n    text: Our own words.\n",
        encoding="utf-8",
    )
    found = lint_library([tmp_path])
    finding = one(found, "house.yml", 3, "a clause needs", f"did you mean {target.id}?")
    assert f"The id {typo} is not in the library" in finding.message


def test_a_citation_no_reader_can_find_is_an_error_at_its_source(tmp_path: Path) -> None:
    # The guide section passes the whole source; the district and the ruling name nothing.
    (tmp_path / "house.yml").write_text(
        "schema_version: 1\nclauses:\n  - id: house-lead\n    topic: workload-compensation\n"
        "    title: Lead tutors\n    text: A lead tutor is paid.\n    rationale: Paid work.\n"
        '    source: >-\n      NEA/NSSA guide, "Union Members serving as Tutors": added roles;\n'
        "      Valley Central School District, New York, tutoring program has a lead tutor.\n"
        "  - id: house-notice\n    topic: workload-compensation\n    title: Notice\n"
        "    text: Notice comes first.\n    rationale: Notice.\n"
        "    source: >-\n      NEA/NSSA guide, introduction: collaborate; California PERB,\n"
        "      County of Santa Clara (2019): waiver by delay.\n",
        encoding="utf-8",
    )
    found = lint_library([tmp_path])
    one(found, "house.yml", 8, "Valley Central School District", "no document and year")
    one(found, "house.yml", 16, "California PERB", "no decision number")


# ---------------------------------------------------------------- rules


def test_rule_problems_point_at_the_part_of_the_rule_that_is_wrong() -> None:
    found = findings("bad-rules")
    unknown_field = one(found, "rules.yml", 9, "field 'tutors.esp' is not in the answers schema")
    assert unknown_field.key == "clauses[0].when.all[1]"
    one(found, "rules.yml", 16, "unknown comparison 'equal'", "did you mean equals?")
    choice = one(found, "rules.yml", 26, "must be one of in_house, vendor, mixed", "contractor")
    assert choice.key == "clauses[2].when.any[1].not"
    one(found, "rules.yml", 33, "must be a whole number", "many")
    one(found, "rules.yml", 40, "gte_field compares two numbers of one kind", "esp_hourly_rate")
    assert len(errors(found)) == 5


def test_rule_messages_come_from_the_rule_engine() -> None:
    """The linter reuses parse_rule's words instead of checking rules a second way."""
    from tutorbargain.library.rules import RuleProblem

    with pytest.raises(RuleProblem) as raised:
        parse_rule({"field": "tutors.esp", "equals": True})
    assert str(raised.value) in {f.message for f in findings("bad-rules")}


def test_unreachable_rules_are_reported_in_words() -> None:
    found = findings("unreachable")
    contradiction = one(found, "rules.yml", 6, "no set of answers can ever include this clause")
    # The rule in the words `clauses show` uses.
    rule = parse_rule(
        {"all": [{"field": "bargaining.status", "equals": v} for v in ("none", "cba")]}
    )
    assert f"its rule ({describe_rule(rule)}) can never hold" in contradiction.message
    # Unreachable only because the answers checks refuse the combination.
    one(found, "rules.yml", 17, "this question", "district staff", "vendor name is answered")
    # A comparison of two answers, at the edge of a field's range, is reachable.
    assert not [f for f in found if f.entry == "q-reachable"]
    # A term left blank is compared at its default (500), so this one is reachable too.
    assert not [f for f in found if f.entry == "q-reachable-at-a-default"]
    assert len(errors(found)) == 2


def test_candidate_values_straddle_each_constant() -> None:
    weeks = BY_NAME["program.weeks"]
    # One either side of the rule's number, a typical value, the field's limits, and blank.
    assert candidate_values(weeks, [10]) == [1, 9, 10, 11, 24, 52, None]
    assert candidate_values(BY_NAME["bargaining.status"]) == ["cba", "meet_and_confer", "none"]
    assert candidate_values(BY_NAME["tutors.esps"]) == [True, False, None]
    grades = candidate_values(BY_NAME["program.grades"], ["K", "1"])
    assert ["K"] in grades and ["K", "1"] in grades and None in grades and [] in grades


def test_satisfying_answers_are_valid_and_meet_the_rule() -> None:
    rule = parse_rule(
        {
            "all": [
                {"field": "program.provider", "equals": "vendor"},
                {"field": "program.vendor_hourly_rate", "gt_field": "pay.certificated_hourly_rate"},
                {"not": {"field": "tutors.esps", "equals": True}},
            ]
        }
    )
    answers = satisfying_answers(rule)
    assert answers is not None
    assert evaluate_values(rule, answers.values)
    assert answers.get("program.vendor_name") is not None  # the answers checks require it


def test_complete_answers_changes_the_provider_to_leave_the_vendor_blank() -> None:
    answers = complete_answers({"program.vendor_name": None})
    assert answers is not None
    assert answers.get("program.provider") == "in_house"


# ---------------------------------------------------------------- Jinja


def test_jinja_syntax_errors_give_the_line_of_the_text_and_of_the_file() -> None:
    found = findings("jinja-syntax")
    braces = one(found, "syntax.yml", 8, "line 2 of the text has a template mistake", "'}'")
    assert braces.key == "clauses[0].text"
    assert "each {{ has a matching }}" in braces.message
    # A folded (>-) text's lines do not match the file's, so the text's first line is given.
    one(found, "syntax.yml", 15, "the text has a template mistake", "endif")


def test_unknown_names_fields_fill_and_filters() -> None:
    found = findings("jinja-names")
    one(found, "names.yml", 7, "{{ vendor_name }}", "did you mean program.vendor_name?")
    one(found, "names.yml", 8, "program.wekes", "no answer called wekes", "did you mean weeks?")
    one(found, "names.yml", 9, "fill('pay.tutoring_rate')", "pay.tutoring_hourly_rate")
    one(found, "names.yml", 10, "filter |shout, which does not exist")
    # The loop variable, loop.index and a {% set %} name on line 11 are the text's own.
    assert not [f for f in found if f.line == 11]
    assert len(errors(found)) == 4


def test_bare_prints_of_optional_answers_are_warnings() -> None:
    found = findings("bare-print")
    warning = one(
        found,
        "prints.yml",
        7,
        "prints {{ program.vendor_hourly_rate }} directly",
        "[NOT ANSWERED]",
        "{{ fill('program.vendor_hourly_rate') }}",
        "[VENDOR RATE]",
    )
    assert warning.severity == "warning"
    # Inside an {% if %} on the answer, in a x-if-x-else expression, behind a rule that needs
    # the answer, or a vendor name whose provider rule makes the answers checks require it:
    # no warning.
    assert [f.entry for f in found] == ["bare-vendor-rate"]


def test_text_that_cannot_render_for_sample_answers() -> None:
    found = findings("render-fails")
    failure = one(
        found,
        "render.yml",
        8,
        "line 2 of the text cannot be filled in",
        "only the required answers given",
        "with an answer that may be left blank",
    )
    assert "is not none" in failure.message


def test_a_whole_library_base_topics_and_postures() -> None:
    found = lint_folder(FIXTURES / "small-library").findings
    topic = one(found, "library.yml", 17, "the topic pay-extra has no clause")
    assert topic.key == "articles[1].topics[1]"
    # The posture's summary is checked like clause text; the render failure it also causes
    # is not repeated.
    one(found, "postures.yml", 7, "local.nam", "did you mean name?")
    assert len(errors(found)) == 2


def test_a_topic_whose_clauses_are_all_switched_off_is_a_warning(tmp_path: Path) -> None:
    library = load_library()
    by_topic: dict[str, list[str]] = {}
    for clause in library.clauses:
        by_topic.setdefault(clause.topic, []).append(clause.id)
    topic, ids = min(by_topic.items(), key=lambda item: len(item[1]))
    lines = ["schema_version: 1", "clauses:"]
    for clause_id in ids:
        lines += [f"  - id: {clause_id}", "    enabled: false"]
    (tmp_path / "off.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = lint([tmp_path])
    assert report.errors == []
    [warning] = report.warnings
    assert f"every clause of the topic {topic} is switched off" in warning.message
    assert warning.file == str(tmp_path / "off.yml")
    assert warning.line == 1 + 2 * len(ids)


def test_document_templates_are_checked() -> None:
    found = lint(templates_dir=FIXTURES / "bad-templates").findings
    one(found, "mou.j2", 4, "the template has a mistake", "'}'")
    one(found, "questions.j2", 2, "district.nam", "did you mean name?")
    one(found, "questions.j2", 3, "{{ question_group }}", "did you mean question_groups?")
    one(found, "questions.j2", 6, "fill('local.presidnt')", "local.president")


# ---------------------------------------------------------------- the command


def test_lint_command_exits_1_with_file_and_line_grouped_by_file() -> None:
    result = run_cli(["clauses", "lint", str(FIXTURES / "duplicate-ids")])
    assert result.code == 1, result
    assert "Traceback" not in result.err
    a_file = str(FIXTURES / "duplicate-ids" / "a.yml")
    b_file = str(FIXTURES / "duplicate-ids" / "b.yml")
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{a_file}:9: error: clauses[1].id (local-pay): ")
    assert lines[1] == ""
    assert lines[2].startswith(f"{b_file}:3: error: questions[0].id (local-pay): ")
    assert result.err.startswith("Error: 2 errors, 0 warnings in 2 files.")


def test_lint_command_warnings_alone_exit_0() -> None:
    result = run_cli(["clauses", "lint", str(FIXTURES / "bare-print")])
    assert result.code == 0, result
    assert ":7: warning: " in result.out
    assert result.out.rstrip().endswith("0 errors, 1 warning in 1 file.")


def test_lint_command_on_the_bundled_library() -> None:
    result = run_cli(["clauses", "lint"])
    assert result.code == 0, result
    assert result.out.startswith("The clause library is clean: ")
    assert "clauses" in result.out and "questions" in result.out and "topics" in result.out


def test_lint_command_checks_clauses_options_too() -> None:
    result = run_cli(
        ["clauses", "lint", str(FIXTURES / "bare-print"), "--clauses", str(FIXTURES / "bad-rules")]
    )
    assert result.code == 1
    assert "rules.yml:9: error" in result.out
    assert "prints.yml:7: warning" in result.out


# ---------------------------------------------------------------- advice follows codes, not words


def test_lint_advice_survives_a_reworded_loader_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Lint reads a problem's code and place, never its wording: reword every message the
    loader makes and each finding is still at its line, for its entry, with its advice."""
    from tutorbargain.library.entries import Collector

    real_add = Collector.add

    def reworded(self: Collector, where: str, message: str, code: str, hint: str = "") -> None:
        real_add(self, where, f"(reworded) {message.upper()}", code, hint)

    monkeypatch.setattr(Collector, "add", reworded)
    found = lint_folder(FIXTURES / "structure").findings
    typo = one(found, "clauses.yml", 14, "(reworded)", "a question has id, topic, title")
    assert typo.entry == "q-typo-key"
    one(found, "clauses.yml", 16, "(reworded)", "every topic id is listed in the bundled")
    # A broken rule is still pointed at the part of it that fails.
    rule = one(lint_folder(FIXTURES / "bad-rules").findings, "rules.yml", 9, "(reworded)")
    assert rule.key == "clauses[0].when.all[1]"
    # A new id close to an existing one still says which clause was meant.
    target = next(c for c in load_library().clauses if len(c.id) > 6)
    (tmp_path / "house.yml").write_text(
        f"schema_version: 1\nclauses:\n  - id: {target.id[:-1]}\n    text: Our own words.\n",
        encoding="utf-8",
    )
    one(lint_library([tmp_path]), "house.yml", 3, "(reworded)", f"did you mean {target.id}?")


def test_lint_findings_survive_reworded_render_and_drafting_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lint reads a render failure's reason and line, and a drafting problem's identity, never
    their wording: reword compose's heading and every drafting message, and lint finds as
    many problems, at the same places."""
    from tutorbargain.compose import drafting
    from tutorbargain.compose.failures import RenderError

    drafting_fixtures = Path(__file__).parent / "fixtures" / "drafting"
    cases = [
        FIXTURES / "render-fails",
        drafting_fixtures / "undefined-term",
        drafting_fixtures / "stated-twice",
    ]

    def lint_cases() -> list[list[Finding]]:
        return [lint_folder(case).findings for case in cases]

    def places(found: list[Finding]) -> list[tuple[str, int | None, str, str, str]]:
        return [(f.file, f.line, f.key, f.entry, f.severity) for f in found]

    before = lint_cases()
    real_init = RenderError.__init__
    real_problem = drafting.DraftingProblem

    def reworded_init(
        self: RenderError, where: str, heading: str, reason: str, **parts: Any
    ) -> None:
        real_init(self, where, f"(reworded) {heading.upper()}", reason, **parts)

    def reworded_problem(
        kind: str, ids: tuple[str, ...], message: str, subject: str = ""
    ) -> drafting.DraftingProblem:
        words = message.upper().replace(", BUT", "; YET")
        return real_problem(kind, ids, f"(reworded) {words}", subject)

    monkeypatch.setattr(RenderError, "__init__", reworded_init)
    monkeypatch.setattr(drafting, "DraftingProblem", reworded_problem)
    after = lint_cases()
    assert [places(found) for found in after] == [places(found) for found in before]
    assert all(len(found) == 1 for found in after), after
    # A render failure's finding is worded from its reason alone; the heading never shows.
    assert after[0] == before[0]
    assert "cannot be filled in" in after[0][0].message
    # The drafting findings carry the reworded words, at the same places.
    assert all("(reworded)" in found[0].message for found in after[1:]), after
