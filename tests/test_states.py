"""The state facts table (clauses/states.yml): every fact sourced and dated, the form of the
documents each status gives in each state, overrides with --clauses, and the lint checks."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, docx_paragraphs, run_cli
from tutorbargain.answers.fields import STATE_NAMES
from tutorbargain.answers.reading import answers_from_mapping
from tutorbargain.errors import ClauseLibraryError
from tutorbargain.library.states import (
    BARGAINING,
    FACTS,
    StateFacts,
    document_form,
    load_states,
    state_facts,
    status_conflict,
    usual_status,
)
from tutorbargain.lint import lint

TABLE = ROOT / "clauses" / "states.yml"


def _raw() -> dict[str, Any]:
    data = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    states: dict[str, Any] = data["states"]
    return states


def _answers(state: str, status: str) -> Any:
    return answers_from_mapping(
        {
            "schema_version": 1,
            "local": {"name": "Test Local"},
            "district": {"name": "Test District", "state": state},
            "school_year": "2026-27",
            "bargaining": {"status": status},
            "program": {"provider": "vendor", "vendor_name": "unknown", "delivery": "virtual"},
        }
    )


def test_every_entry_is_a_state_and_every_fact_has_a_source_and_a_date() -> None:
    raw = _raw()
    assert raw, "the table is empty"
    for code, entry in raw.items():
        assert code in STATE_NAMES, code
        as_of = dt.date.fromisoformat(str(entry["as_of"]))
        assert dt.date(2020, 1, 1) <= as_of <= dt.date(2027, 1, 1), code
        facts = [name for name in FACTS if name in entry]
        assert facts, f"{code} has no facts"
        for name in facts:
            source = entry[name].get("source")
            assert isinstance(source, str) and len(source.strip()) > 10, f"{code}.{name}"
            assert "domain notes" not in source.lower(), f"{code}.{name} cites no public source"
        if "bargaining" in entry:
            assert entry["bargaining"]["status"] in BARGAINING, code


def test_the_bundled_table_lints_clean() -> None:
    report = lint()
    assert not [f for f in report.findings if f.file.endswith("states.yml")]


@pytest.mark.parametrize(
    ("state", "status", "form"),
    [
        ("CA", "cba", "bargained_mou"),
        ("MO", "meet_and_confer", "meet_and_confer"),
        ("NC", "none", "board_proposal"),
        ("TX", "none", "board_proposal"),
        ("GA", "none", "board_proposal"),
        ("AZ", "none", "board_proposal"),
        ("VA", "none", "board_proposal"),
        ("CA", "none", "collaboration"),
        # Agreements void (N.C. Gen. Stat. 95-98, Tex. Gov't Code 617.002): whatever the status.
        ("NC", "cba", "board_proposal"),
        ("TX", "meet_and_confer", "board_proposal"),
        ("TX", "cba", "board_proposal"),
        # Virginia's agreements are void only without the board's resolution: a local option.
        ("VA", "cba", "bargained_mou"),
        ("MN", "cba", "bargained_mou"),
        ("OH", "cba", "bargained_mou"),
        ("IL", "cba", "bargained_mou"),
        # Base wages only (Wis. Stat. 111.70(4)(mb), Iowa Code 20.9): the terms go to the Board.
        ("WI", "cba", "board_proposal"),
        ("WI", "meet_and_confer", "board_proposal"),
        ("WI", "none", "board_proposal"),
        ("IA", "cba", "board_proposal"),
    ],
)
def test_the_form_follows_the_status_and_the_state(state: str, status: str, form: str) -> None:
    assert document_form(_answers(state, status), state_facts(state)) == form


def test_a_state_the_table_lacks_knows_nothing() -> None:
    facts = state_facts("GU")
    assert facts == StateFacts(code="GU", name="Guam")
    assert document_form(_answers("GU", "none"), facts) == "collaboration"
    assert usual_status("GU")[0] is None


@pytest.mark.parametrize(
    ("state", "status", "law"),
    [
        ("NC", "cba", "N.C. Gen. Stat. 95-98"),
        ("TX", "cba", "Tex. Gov’t Code 617.002"),
        ("NC", "meet_and_confer", "N.C. Gen. Stat. 95-98"),
        ("AZ", "cba", "Arizona has no law"),
    ],
)
def test_a_status_the_law_contradicts_warns_naming_the_law(
    state: str, status: str, law: str
) -> None:
    warning = status_conflict(_answers(state, status), state_facts(state))
    assert warning is not None
    assert law in warning.text
    assert warning.source == state_facts(state).sources["bargaining"]
    assert "\n" not in warning.text


@pytest.mark.parametrize(
    ("state", "status"), [("NC", "none"), ("CA", "cba"), ("AZ", "meet_and_confer"), ("VA", "cba")]
)
def test_a_status_the_law_allows_gives_no_warning(state: str, status: str) -> None:
    assert status_conflict(_answers(state, status), state_facts(state)) is None


def test_the_usual_status_names_the_law() -> None:
    value, reason = usual_status("NC")
    assert value == "none" and "95-98" in reason
    value, reason = usual_status("CA")
    assert value == "cba" and "Educational Employment Relations Act" in reason
    assert "base wages" not in reason
    value, reason = usual_status("WI")
    assert value == "cba"
    assert reason == (
        "Wisconsin law (Municipal Employment Relations Act, Wis. Stat. 111.70) gives teachers' "
        "unions the right to bargain over base wages only (Wis. Stat. 111.70(4)(mb)): tutoring "
        "terms go to the Board as a proposal for it to adopt."
    )
    assert "over base wages only (Iowa Code 20.9(1) and (3))" in usual_status("IA")[1]


def test_the_illinois_duty_to_bargain_cites_its_section() -> None:
    source = state_facts("IL").sources["bargaining"]
    assert source.startswith("115 ILCS 5/10 ") and "5/1 " not in source


def test_a_base_wages_scope_warns_naming_the_subsection_and_its_source() -> None:
    warning = status_conflict(_answers("IA", "cba"), state_facts("IA"))
    assert warning is not None
    assert warning.text.startswith(
        "Iowa law (Iowa Code 20.9(1) and (3)) limits the district's bargaining with teachers "
        "to base wages"
    )
    assert warning.source == state_facts("IA").sources["scope"]
    assert status_conflict(_answers("MN", "cba"), state_facts("MN")) is None


def test_a_users_states_file_can_lift_the_scope(tmp_path: Path) -> None:
    folder = _overlay(
        tmp_path,
        "schema_version: 1\nstates:\n  WI:\n    as_of: 2027-01-15\n    scope:\n"
        "      subjects: full\n      source: a final court judgment striking Act 10\n",
    )
    facts = load_states([folder])["WI"]
    assert not facts.base_wages_only
    assert document_form(_answers("WI", "cba"), facts) == "bargained_mou"


def _overlay(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "states.yml").write_text(text, encoding="utf-8")
    return folder


def test_a_users_states_file_overrides_fact_by_fact(tmp_path: Path) -> None:
    folder = _overlay(
        tmp_path,
        "schema_version: 1\nstates:\n  NC:\n    as_of: 2027-01-15\n    retirement:\n"
        "      name: Our Own System\n      short: OOS\n      source: our county's handbook, p. 3\n",
    )
    facts = load_states([folder])["NC"]
    assert facts.retirement_system == "Our Own System"
    assert facts.sources["retirement"] == "our county's handbook, p. 3"
    assert facts.bargaining == "prohibited"  # untouched facts stay the bundled ones
    assert facts.as_of == dt.date(2027, 1, 15)


def test_a_fact_without_a_source_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    folder = _overlay(
        tmp_path,
        "schema_version: 1\nstates:\n  NC:\n    as_of: 2027-01-15\n    retirement:\n"
        "      name: Our Own System\n",
    )
    with pytest.raises(ClauseLibraryError) as caught:
        load_states([folder])
    assert "states.yml, line 5, states.NC.retirement.source" in str(caught.value)
    findings = lint([folder]).findings
    assert any(f.key == "states.NC.retirement.source" and f.line == 5 for f in findings)


def test_lint_refuses_a_bad_code_status_and_date(tmp_path: Path) -> None:
    folder = _overlay(
        tmp_path,
        "schema_version: 1\nstates:\n  XX:\n    as_of: 2027-01-15\n  NC:\n    as_of: soon\n"
        "    bargaining:\n      status: maybe\n      source: N.C. Gen. Stat. 95-98\n",
    )
    keys = {f.key for f in lint([folder]).errors}
    assert {"states.XX", "states.NC.as_of", "states.NC.bargaining.status"} <= keys


def test_lint_refuses_an_unknown_scope(tmp_path: Path) -> None:
    folder = _overlay(
        tmp_path,
        "schema_version: 1\nstates:\n  WI:\n    as_of: 2027-01-15\n    scope:\n"
        "      subjects: wages\n      source: Wis. Stat. 111.70(4)(mb)\n",
    )
    assert "states.WI.scope.subjects" in {f.key for f in lint([folder]).errors}


# ---------------------------------------------------------------- warnings through the real CLI

CONFLICTS = [
    ("NC", "cba", "North Carolina law (N.C. Gen. Stat. 95-98)"),
    ("TX", "cba", "Texas law (Tex. Gov’t Code 617.002)"),
    ("GA", "cba", "Georgia has no law giving teachers collective bargaining"),
    ("AZ", "cba", "Arizona has no law giving teachers collective bargaining"),
]


def _answers_file(tmp_path: Path, state: str, status: str) -> Path:
    path = tmp_path / f"{state}-{status}.yml"
    path.write_text(
        "schema_version: 1\n"
        "local: {name: Test Local}\n"
        f"district: {{name: Test District, state: {state}}}\n"
        "school_year: 2026-27\n"
        f"bargaining: {{status: {status}}}\n"
        "program: {provider: vendor, vendor_name: unknown, delivery: virtual}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(("state", "status", "law"), CONFLICTS)
def test_render_warns_in_one_line_naming_the_law(
    tmp_path: Path, state: str, status: str, law: str
) -> None:
    run = run_cli(["render", str(_answers_file(tmp_path, state, status)), "-o", str(tmp_path)])
    assert run.code == 0, run.err
    lines = [line for line in run.err.splitlines() if line.startswith("Warning:")]
    assert len(lines) == 1, run.err
    assert law in lines[0]
    assert list(tmp_path.rglob("*.docx")), "the documents are still written"


def _notified_file(tmp_path: Path, state: str, learned: dt.date) -> Path:
    """An answers file (schema 2, which has union_notified_on) of a cba local in ``state``."""
    path = _answers_file(tmp_path, state, "cba")
    text = path.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2")
    path.write_text(
        text.replace("{status: cba}", f"{{status: cba, union_notified_on: {learned}}}"),
        encoding="utf-8",
    )
    return path


def test_render_warns_when_the_demand_comes_too_late_to_be_prompt(tmp_path: Path) -> None:
    learned = dt.date.today() - dt.timedelta(days=104)
    answers = _notified_file(tmp_path, "CA", learned)
    run = run_cli(["render", str(answers), "-o", str(tmp_path / "out"), "--kit"])
    assert run.code == 0, run.err
    [line] = [line for line in run.err.splitlines() if "union_notified_on" in line]
    assert line.startswith("Warning: bargaining.union_notified_on is ")
    assert "104 days ago, more than 14 days" in line and "waived its right to bargain" in line
    letter = "\n".join(docx_paragraphs(next((tmp_path / "out").glob("*demand-letter.docx"))))
    assert "promptly" not in letter
    # In Iowa there is no demand to bargain the tutoring terms, so no waiver to warn of.
    run = run_cli(["render", str(_notified_file(tmp_path, "IA", learned)), "-o", str(tmp_path)])
    assert run.code == 0 and "union_notified_on" not in run.err, run.err
    recent = _notified_file(tmp_path, "CA", dt.date.today() - dt.timedelta(days=3))
    run = run_cli(["render", str(recent), "-o", str(tmp_path / "recent")])
    assert run.code == 0 and "union_notified_on" not in run.err, run.err


def test_render_warns_of_a_date_that_cannot_be_in_the_future_by_its_line(tmp_path: Path) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=6)
    answers = _notified_file(tmp_path, "CA", tomorrow)
    line = next(
        n
        for n, text in enumerate(answers.read_text(encoding="utf-8").splitlines(), 1)
        if "union_notified_on" in text
    )
    run = run_cli(["render", str(answers), "-o", str(tmp_path / "out")])
    assert run.code == 0, run.err
    [warning] = [w for w in run.err.splitlines() if "union_notified_on" in w]
    assert warning.startswith(f"Warning: {answers}, line {line}: bargaining.union_notified_on is ")
    assert "later than today" in warning and "give the day it did learn of it" in warning
    today = run_cli(
        [
            "render",
            str(_notified_file(tmp_path, "CA", dt.date.today())),
            "-o",
            str(tmp_path / "today"),
        ]
    )
    assert today.code == 0 and "later than today" not in today.err, today.err


def test_a_start_or_signing_date_is_past_only_when_the_answers_say_it_happened() -> None:
    from tutorbargain.answers.reading import answers_from_mapping
    from tutorbargain.answers.timeline import future_date_problems

    today = dt.date(2026, 12, 2)
    later = "2027-01-11"

    def problems(**program: object) -> list[str]:
        answers = answers_from_mapping(
            {
                "local": {"name": "Test Local"},
                "district": {"name": "Test District", "state": "CA"},
                "school_year": "2026-27",
                "bargaining": {"status": "cba"},
                "schema_version": 2,
                "program": {
                    "provider": "vendor",
                    "vendor_name": "Acme",
                    "delivery": "virtual",
                    **program,
                },
            }
        )
        return [p.where for p in future_date_problems(answers, today)]

    assert problems(start_date=later, started=False) == []  # a planned start
    assert problems(start_date=later, started=True) == ["program.start_date"]
    assert problems(vendor_contract_date=later) == []  # not said to be signed
    assert problems(vendor_contract_date=later, vendor_contract_signed=True) == [
        "program.vendor_contract_date"
    ]


def test_render_of_a_status_the_law_allows_prints_no_warning(tmp_path: Path) -> None:
    run = run_cli(["render", str(_answers_file(tmp_path, "NC", "none")), "-o", str(tmp_path)])
    assert run.code == 0, run.err
    assert "Warning" not in run.err + run.out


@pytest.mark.parametrize(("state", "status", "law"), CONFLICTS)
def test_explain_warns_with_the_source(tmp_path: Path, state: str, status: str, law: str) -> None:
    run = run_cli(["explain", str(_answers_file(tmp_path, state, status))])
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Warning:"))
    assert law in lines[at]
    assert lines[at + 1].strip() == "source: " + state_facts(state).sources["bargaining"]


@pytest.mark.parametrize(("state", "status", "law"), CONFLICTS)
def test_explain_json_carries_the_warning_and_its_source(
    tmp_path: Path, state: str, status: str, law: str
) -> None:
    run = run_cli(["explain", str(_answers_file(tmp_path, state, status)), "--json"])
    assert run.code == 0, run.err
    data = json.loads(run.out)
    [warning] = data["warnings"]
    assert law in warning["text"]
    assert warning["source"] == state_facts(state).sources["bargaining"]
    assert "95-98" in state_facts("NC").sources["bargaining"]


def test_explain_json_without_a_conflict_has_no_warnings(tmp_path: Path) -> None:
    run = run_cli(["explain", str(_answers_file(tmp_path, "CA", "cba")), "--json"])
    assert "warnings" not in json.loads(run.out)


def test_batch_puts_the_warning_in_each_rows_message(tmp_path: Path) -> None:
    table = tmp_path / "locals.csv"
    header = (
        "local.name,district.name,district.state,school_year,bargaining.status,"
        "program.provider,program.vendor_name,program.delivery\n"
    )
    rows = [
        "Tar Heel Educators,Piedmont County Schools,NC,2026-27,cba,vendor,unknown,virtual",
        "Lone Star Educators,Brazos ISD,TX,2026-27,none,vendor,unknown,virtual",
        "Desert Educators,Saguaro Unified,AZ,2026-27,cba,vendor,unknown,virtual",
    ]
    table.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli(["batch", str(table), "-o", str(out)])
    assert run.code == 0, run.err
    with (out / "report.csv").open(encoding="utf-8", newline="") as handle:
        report = {row["local"]: row for row in csv.DictReader(handle)}
    assert report["Tar Heel Educators"]["status"] == "rendered"
    assert "North Carolina law (N.C. Gen. Stat. 95-98)" in report["Tar Heel Educators"]["message"]
    assert "Warning" not in report["Lone Star Educators"]["message"]
    assert "Arizona has no law" in report["Desert Educators"]["message"]


# ---------------------------------------------------------------- retirees


def _retiree_answers(tmp_path: Path, state: str) -> Path:
    path = tmp_path / f"{state}-retirees.yml"
    path.write_text(
        "schema_version: 1\n"
        "local: {name: Test Local}\n"
        f"district: {{name: Test District, state: {state}}}\n"
        "school_year: 2026-27\n"
        "bargaining: {status: cba}\n"
        "program: {provider: vendor, vendor_name: Acme Tutors, delivery: virtual}\n"
        "tutors: {retirees: true}\n",
        encoding="utf-8",
    )
    return path


def _retiree_paragraph(folder: Path) -> str:
    [mou] = folder.glob("*mou.docx")
    found = [p for p in docx_paragraphs(mou) if p.startswith("Retirees’ pensions")]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("state", "system"),
    [
        ("CA", "California State Teachers' Retirement System (CalSTRS)"),
        ("MI", "Michigan Public School Employees' Retirement System (MPSERS)"),
        ("NC", "Teachers' and State Employees' Retirement System (TSERS)"),
    ],
)
def test_the_retiree_clause_names_the_states_system_and_its_rules(
    tmp_path: Path, state: str, system: str
) -> None:
    out = tmp_path / "out"
    run = run_cli(["render", str(_retiree_answers(tmp_path, state)), "-o", str(out)])
    assert run.code == 0, run.err
    text = _retiree_paragraph(out)
    assert system in text
    rules = state_facts(state).retirement_rules
    assert rules is not None and rules in text
    assert "$" not in text, "yearly limits are the retiree's to set, never a printed figure"
    # Not every system caps a year's work (some suspend benefits, some require a break), and a
    # vendor's retirees are the vendor's to schedule: its contract makes it report to the District.
    assert "for that year" not in text
    assert "stop benefits on any return to work" in text
    assert "whose contract with the District will require it to report" in text


def test_a_state_without_a_known_system_gets_a_placeholder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_cli(["render", str(_retiree_answers(tmp_path, "GU")), "-o", str(out)])
    assert run.code == 0, run.err
    assert "[STATE TEACHERS RETIREMENT SYSTEM]" in _retiree_paragraph(out)


def test_no_retiree_entry_prints_a_yearly_figure() -> None:
    import re

    for path in sorted((ROOT / "clauses").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("clauses", "questions", "requests"):
            for entry in data.get(section) or []:
                if "retire" in entry["id"]:
                    assert not re.search(r"\$\d|\d[\d,]* hours", entry["text"]), entry["id"]


def test_without_bargaining_the_position_asks_for_board_policy_not_a_signed_agreement(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    answers = ROOT / "examples" / "piedmont-no-bargaining.yml"
    run = run_cli(["render", str(answers), "-o", str(out), "--kit"])
    assert run.code == 0, run.err
    [questions] = out.glob("*impact-questions.docx")
    text = "\n".join(docx_paragraphs(questions))
    assert "adopt the program’s terms for staff as board policy" in text
    assert "N.C. Gen. Stat. 95-98" in text
    [letter] = out.glob("*demand-letter.docx")
    assert "agree, in writing" not in "\n".join(docx_paragraphs(letter))


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("MN", "the Public Employment Labor Relations Act, Minn. Stat. ch. 179A"),
        ("ME", "the Municipal Public Employees Labor Relations Law, 26 M.R.S. 961 et seq."),
        ("OH", "Ohio Rev. Code ch. 4117"),
        ("RI", "R.I. Gen. Laws 28-9.3 (School Teachers' Arbitration)"),
    ],
)
def test_a_named_law_takes_its_article_and_a_citation_does_not(state: str, words: str) -> None:
    assert state_facts(state).bargaining_law_words == words
