"""Drive the real `tutorbargain new` in a pseudo-terminal, as a local president would.

These tests type into the installed command (questionary on a real terminal), so they catch
what a scripted asker cannot: key handling, Ctrl-C, exit codes and the files left behind.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conftest import docx_paragraphs, run_cli
from tutorbargain.answers.reading import load_answers
from tutorbargain.interview import read_answers_file

pexpect = pytest.importorskip("pexpect")

ENTER = "\r"
CTRL_C = "\x03"
CTRL_B = "\x02"
CTRL_U = "\x15"  # clears the line, to replace an answer offered as the default
ESC = "\x1b"


def spawn(tmp_path: Path, *args: str, rows: int = 60, cols: int = 200) -> pexpect.spawn:
    env = {
        **os.environ,
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # no terminal answers cursor-position requests here
        "NO_COLOR": "1",
        "COLUMNS": str(cols),
        "LINES": str(rows),
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "tutorbargain", "new", *args],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(rows, cols),
    )


PROMPT = "  >"
"""Where every answer is typed: waiting for it means the question is ready for keys."""


class Wizard:
    """Waits for each question's words and its answer line on the screen, then types."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child

    def wait(self, question: str) -> None:
        self.child.expect_exact(question)
        self.child.expect_exact(PROMPT)

    def type(self, question: str, answer: str) -> None:
        self.wait(question)
        self.child.send(answer + ENTER)

    def pick(self, question: str, number: int) -> None:
        self.wait(question)
        self.child.send(str(number))
        self.child.send(ENTER)

    def yes_no(self, question: str, yes: bool | None) -> None:
        """``y``, ``n``, or ``?`` for "Not sure yet"."""
        self.wait(question)
        self.child.send({True: "y", False: "n", None: "?"}[yes])

    def through_the_pages(self) -> int:
        """Confirm each page of a review longer than the screen; stop at its last prompt.

        Returns the number of pages confirmed, so a test can check the review did page.
        """
        pages = 0
        while self.child.expect_exact(["Are these right?", "Is everything right?"]) == 0:
            self.child.expect_exact(PROMPT)
            self.child.send("1" + ENTER)
            pages += 1
        self.child.expect_exact(PROMPT)
        return pages

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def answer_the_local(w: Wizard) -> None:
    w.type("your local's full name?", "Harbor Bay Education Association")
    w.type("state association", "California Teachers Association")
    w.type("sign for the local?", "Rosa Delgado")
    w.type("local's mailing address?", "1 Harbor Way, Harbor Bay, CA 94000")
    w.type("district's legal name?", "Harbor Bay Schools")
    w.type("Which state", "ca")
    w.type("superintendent?", "")
    w.type("Which school year", "2026-27")


def answer_the_notice_terms(w: Wizard) -> None:
    """Take the offered defaults of the notice periods the union proposes."""
    w.type("notice of program changes", "")
    w.type("answer the information request?", "")
    w.type("asks to reopen?", "")
    w.type("joint committee be set up?", "")
    w.type("recommendations be answered?", "")
    w.type("notice of the tutoring schedule", "")
    w.type("deliver what is due then?", "")
    w.type("each step of a dispute", "")
    w.type("letter asking to meet?", "")


def answer_the_rest(w: Wizard) -> None:
    """Everything after the local's section, for a vendor-run hybrid program with ESPs."""
    w.pick("bargaining relationship", 1)  # a collective bargaining agreement
    w.yes_no("already agreed any terms", False)
    w.type("covers extra-duty pay?", "Article 12")
    w.type("When does your contract expire?", "2028-06-30")
    w.type("covers bargaining during its term?", "Article 3")
    w.type("does that article require", "30")
    w.type("first learn of the program?", "2026-08-20")
    w.type("How did the union learn of it?", "a board agenda")
    answer_the_notice_terms(w)
    w.type("call the program?", "Bay Boost")
    w.pick("Who delivers the tutoring?", 2)  # an outside vendor
    w.type("vendor's name?", "TutorCo")
    w.type("each hour of tutoring?", "58")
    w.yes_no("signed its contract with the vendor?", None)  # not sure yet: no date is asked
    w.type("When does the vendor contract end?", "")
    w.yes_no("records or scores to the vendor?", None)
    w.pick("How is the tutoring delivered?", 3)  # hybrid
    w.yes_no("online sessions recorded?", False)
    w.yes_no("supervise students in the room", True)
    w.yes_no("regular school day?", False)
    w.type("When do sessions happen?", "after school")
    w.yes_no("Has tutoring already started?", None)  # not sure yet: no start date is asked
    w.yes_no("do any of the tutoring?", False)
    w.type("sessions does each student", "3")
    w.type("minutes does each session", "40")
    w.type("how many weeks", "20")
    w.type("one tutor work with", "abc")  # refused with the answers file's message...
    w.child.expect_exact('must be a whole number, not "abc"')
    w.child.expect_exact(PROMPT)
    w.child.send("4" + ENTER)  # ...and typed again into an empty box
    w.type("students will be tutored?", "300")
    w.type("its own site committee?", "")
    w.type("tutors will the program need?", "")
    w.type("Which subjects?", "math, reading")
    w.type("Which grades?", "K, 1, 2, 3")
    w.pick("choose which students", 3)  # multiple measures
    w.yes_no("evaluations in the district", None)  # not sure yet
    w.yes_no("students with IEPs", True)
    w.yes_no("classrooms set up", True)
    w.yes_no("teachers the local represents tutor?", True)
    w.yes_no("education support professionals", True)
    w.pick("Which union represents the district's ESPs?", 1)
    w.type("Grow Your Own pathway", "")
    w.yes_no("retired educators tutor?", False)
    w.yes_no("student teachers tutor?", False)
    w.yes_no("community volunteers tutor?", False)
    w.yes_no("students be paid to tutor?", False)
    w.type("tutoring posts be posted", CTRL_U + "15")  # the default 10, changed
    w.type("to leave a tutoring post?", "")
    w.type("hours of tutoring a week", "")
    w.type("one hour of preparation?", "")
    w.type("paid planning hours a week", "")
    w.type("cancelled session still paid?", "")
    w.type("certificated teacher's hourly rate", "44.10")
    w.type("propose for tutoring?", "48")
    w.type("earn an hour in their own jobs?", "23.75")
    w.type("propose for ESPs who tutor?", "25")
    w.type("propose for a lead tutor?", "")
    w.type("each lead tutor for the term?", "")
    w.type("already pay for extra duty?", "40")
    w.type("hours of paid training", "6")
    w.type("propose for training time?", "50")
    w.pick("money for the program come from?", 2)  # Title I
    w.type("come from elsewhere?", "")
    w.yes_no("program's money federal?", True)
    w.type("When does the money run out?", "2027-06-30")
    w.type("before the money runs out", "")


def test_a_whole_interview_with_one_fix_on_the_review_screen(tmp_path: Path) -> None:
    w = Wizard(spawn(tmp_path))
    answer_the_local(w)
    answer_the_rest(w)
    # The answers fill more than a screen: one page per section.
    assert w.through_the_pages() >= 2

    # The review: fix the district's name, then confirm.
    w.child.send("2" + ENTER)  # change one answer
    w.wait("Which answer do you want to change?")
    w.child.send("jjjj" + ENTER)  # down four, from the local's name to the district's name
    w.wait("district's legal name?")
    w.child.send(CTRL_U + "Harbor Bay Unified School District" + ENTER)
    w.through_the_pages()  # the review again, from its first page
    w.child.send("1" + ENTER)
    w.child.expect_exact("Saved your answers in answers.yml.")
    w.child.expect_exact("Next: open ")
    assert w.finish() == 0

    mou = tmp_path / "tutorbargain-out" / "harbor-bay-education-association-mou.docx"
    text = "\n".join(docx_paragraphs(mou))
    assert "Harbor Bay Education Association" in text
    assert "Harbor Bay Unified School District" in text
    assert "Harbor Bay Schools" not in text

    answers = load_answers(tmp_path / "answers.yml")
    assert answers.get("program.provider") == "vendor"
    assert answers.get("program.delivery") == "hybrid"
    assert answers.get("tutors.esps") is True
    assert answers.get("district.name") == "Harbor Bay Unified School District"
    assert answers.get("program.max_group_size") == 4
    assert answers.get("terms.posting_days") == 15
    assert answers.get("terms.notice_days") == 30  # the default, taken with Enter

    # The saved answers re-render, with `render`, to the same documents.
    again = run_cli(["render", "answers.yml", "-o", "again"], cwd=tmp_path)
    assert again.code == 0, again.err
    for name in ("mou.docx", "impact-questions.docx"):
        first = tmp_path / "tutorbargain-out" / f"harbor-bay-education-association-{name}"
        second = tmp_path / "again" / f"harbor-bay-education-association-{name}"
        assert docx_paragraphs(first) == docx_paragraphs(second)


def test_ctrl_c_offers_to_save_then_exits_130_and_the_file_resumes(tmp_path: Path) -> None:
    w = Wizard(spawn(tmp_path))
    answer_the_local(w)
    w.wait("bargaining relationship")
    w.child.send(CTRL_C)
    w.pick("What now?", 2)  # save the answers so far, and stop
    w.child.expect_exact("tutorbargain new --answers answers.yml")
    assert w.finish() == 130
    saved = (tmp_path / "answers.yml").read_text(encoding="utf-8")
    assert "Not finished yet" in saved and "Harbor Bay Schools" in saved
    assert "Traceback" not in w.child.before

    # Resuming asks only what is missing: the first question is the one Ctrl-C stopped.
    w = Wizard(spawn(tmp_path, "--answers", "answers.yml"))
    w.child.expect_exact("Starting from answers.yml")
    w.pick("bargaining relationship", 3)  # no bargaining: no contract questions follow
    answer_the_notice_terms(w)
    w.wait("call the program?")
    w.child.send(ESC)  # Esc pauses like Ctrl-C
    w.wait("What now?")
    w.child.send(CTRL_C)  # a second stop at the offer just exits
    assert w.finish() == 130
    assert (tmp_path / "answers.yml").read_text(encoding="utf-8") == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]

    # Plain `new` in the folder names the file and offers to pick up from it; the resumed
    # interview saves back into it, so one answers file is left at the end.
    w = Wizard(spawn(tmp_path))
    w.child.expect_exact("There is already an answers file here: answers.yml")
    w.yes_no("Pick up from answers.yml?", True)
    answer_the_rest(w)
    w.through_the_pages()
    w.child.send("1" + ENTER)
    w.yes_no("Save your answers back into answers.yml, the file you started from?", True)
    w.child.expect_exact("Saved your answers in answers.yml.")
    assert w.finish() == 0
    assert sorted(p.name for p in tmp_path.glob("*.yml")) == ["answers.yml"]
    assert load_answers(tmp_path / "answers.yml").get("bargaining.status") == "cba"


def test_back_three_questions_across_a_topic_boundary_and_change_an_answer(
    tmp_path: Path,
) -> None:
    w = Wizard(spawn(tmp_path))
    answer_the_local(w)
    w.wait("bargaining relationship")
    w.child.expect_exact("Ctrl-B: back")  # the back key is shown on screen
    w.child.send(CTRL_B)
    w.wait("Which school year")
    w.child.send(CTRL_B)
    w.wait("superintendent?")
    w.child.send(CTRL_B)
    w.wait("Which state")
    w.child.send(CTRL_U + "or" + ENTER)  # the answer was filled in: clear it, type another
    w.type("superintendent?", "")  # Enter keeps each answer on the way forward
    w.type("Which school year", "")
    w.pick("bargaining relationship", 1)
    w.wait("already agreed any terms")
    w.child.send(CTRL_C)
    w.pick("What now?", 2)
    assert w.finish() == 130
    values, problems = read_answers_file(tmp_path / "answers.yml")
    assert problems == []
    assert values["district.state"] == "OR"
    assert values["school_year"] == "2026-27"
    assert values["bargaining.status"] == "cba"


def test_a_complete_answers_file_survives_ctrl_c_with_enter_at_every_prompt(
    tmp_path: Path,
) -> None:
    from test_interview import FULL, TODAY
    from tutorbargain.interview import run_new
    from tutorbargain.interview.asker import ScriptedAsker

    run_new(ScriptedAsker(FULL), save=tmp_path / "answers.yml", out_dir=tmp_path / "o", today=TODAY)
    before = load_answers(tmp_path / "answers.yml").values
    w = Wizard(spawn(tmp_path, "-o", "o2", rows=40, cols=100))  # a 40-row terminal
    w.wait("Pick up from answers.yml?")
    w.child.send(ENTER)
    w.wait("Are these right?")  # the review, a page per section on 40 rows
    w.child.send(CTRL_C)
    w.wait("What now?")
    w.child.send(ENTER)  # the default goes on
    while w.child.expect_exact(["Are these right?", "Is everything right?"]) == 0:
        w.child.expect_exact(PROMPT)
        w.child.send(ENTER)
    w.child.expect_exact(PROMPT)
    w.child.send(ENTER)
    w.child.expect_exact("Your answers are unchanged in answers.yml.")
    assert w.finish() == 0
    assert load_answers(tmp_path / "answers.yml").values == before
    assert sorted(p.name for p in tmp_path.glob("*.yml")) == ["answers.yml"]
