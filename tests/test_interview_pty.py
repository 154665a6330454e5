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
from tutorbargain.answers import load_answers

pexpect = pytest.importorskip("pexpect")

ENTER = "\r"
CTRL_C = "\x03"
CTRL_U = "\x15"  # clears the line, to replace an answer offered as the default
ESC = "\x1b"


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # no terminal answers cursor-position requests here
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "LINES": "60",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "tutorbargain", "new", *args],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(60, 200),
    )


class Wizard:
    """Waits for each question's words on the screen, then types the answer."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child

    def type(self, question: str, answer: str) -> None:
        self.child.expect_exact(question)
        self.child.send(answer + ENTER)

    def pick(self, question: str, number: int) -> None:
        self.child.expect_exact(question)
        self.child.send(str(number))
        self.child.send(ENTER)

    def yes_no(self, question: str, yes: bool) -> None:
        self.child.expect_exact(question)
        self.child.send("y" if yes else "n")

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def answer_the_local(w: Wizard) -> None:
    w.type("your local's full name?", "Harbor Bay Education Association")
    w.type("state association", "California Teachers Association")
    w.type("sign for the local?", "Rosa Delgado")
    w.type("district's legal name?", "Harbor Bay Schools")
    w.type("Which state", "ca")
    w.type("superintendent?", "")
    w.type("Which school year", "2026-27")


def test_a_whole_interview_with_one_fix_on_the_review_screen(tmp_path: Path) -> None:
    w = Wizard(spawn(tmp_path))
    answer_the_local(w)
    w.pick("bargaining relationship", 1)  # a collective bargaining agreement
    w.pick("already agreed any terms", 2)  # no
    w.type("covers extra-duty pay?", "Article 12")
    w.type("call the program?", "Bay Boost")
    w.pick("Who delivers the tutoring?", 2)  # an outside vendor
    w.type("vendor's name?", "TutorCo")
    w.type("each hour of tutoring?", "58")
    w.pick("How is the tutoring delivered?", 3)  # hybrid
    w.pick("regular school day?", 2)
    w.type("sessions does each student", "3")
    w.type("minutes does each session", "40")
    w.type("how many weeks", "20")
    w.type("one tutor work with", "abc")  # refused with the answers file's message...
    w.child.expect_exact('must be a whole number, not "abc"')
    w.child.send(CTRL_U + "4" + ENTER)  # ...and typed again
    w.type("students will be tutored?", "300")
    w.type("tutors will the program need?", "")
    w.type("Which subjects?", "math, reading")
    w.type("Which grades?", "K, 1, 2, 3")
    w.pick("choose which students", 3)  # multiple measures
    w.pick("evaluations in the district", 3)  # not sure yet
    w.pick("students with IEPs", 1)
    w.pick("classrooms set up", 1)
    w.yes_no("teachers the local represents tutor?", True)
    w.yes_no("education support professionals", True)
    w.yes_no("retired educators tutor?", False)
    w.yes_no("student teachers tutor?", False)
    w.yes_no("community volunteers tutor?", False)
    w.type("certificated teacher's hourly rate", "44.10")
    w.type("propose for tutoring?", "48")
    w.type("earn an hour in their own jobs?", "23.75")
    w.type("hours of paid training", "6")
    w.pick("money for the program come from?", 2)  # Title I
    w.type("When does the money run out?", "2027-06-30")

    # The review: fix the district's name, then confirm.
    w.pick("Is everything right?", 2)  # change one answer
    w.child.expect_exact("Which answer do you want to change?")
    w.child.send("jjj" + ENTER)  # down three, from the local's name to the district's name
    w.child.expect_exact("district's legal name?")
    w.child.send(CTRL_U + "Harbor Bay Unified School District" + ENTER)
    w.pick("Is everything right?", 1)
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
    w.child.expect_exact("bargaining relationship")
    w.child.send(CTRL_C)
    w.yes_no("Save the answers you gave so far to answers.yml?", True)
    w.child.expect_exact("tutorbargain new --answers answers.yml")
    assert w.finish() == 130
    saved = (tmp_path / "answers.yml").read_text(encoding="utf-8")
    assert "Not finished yet" in saved and "Harbor Bay Schools" in saved
    assert "Traceback" not in w.child.before

    # Resuming asks only what is missing: the first question is the one Ctrl-C stopped.
    w = Wizard(spawn(tmp_path, "--answers", "answers.yml"))
    w.child.expect_exact("Starting from answers.yml")
    w.pick("bargaining relationship", 3)  # no bargaining: no contract questions follow
    w.child.expect_exact("call the program?")
    w.child.send(ESC)  # Esc stops like Ctrl-C
    w.child.expect_exact("Save the answers you gave so far")
    w.child.send(CTRL_C)  # a second stop at the offer just exits
    assert w.finish() == 130
    assert (tmp_path / "answers.yml").read_text(encoding="utf-8") == saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yml"]
