"""The interview behind `tutorbargain new`: ask, review, save the answers, render.

What is asked, and when, is data in ``interview.yml`` beside this package (`script`); one run
of the interview is an `Interview` (`session`); `run_new` is the whole command (`command`,
with `saving` for where the answers go); `left_out_for_unknowns` says what blank answers left
out of the documents (`left_out`). The answers file itself is written by `answers.writing`.
The names below are the package's API; the modules' other names are internal.
"""

from __future__ import annotations

from tutorbargain.interview.command import (
    NewResult,
    read_answers_file,
    require_terminal,
    run_new,
)
from tutorbargain.interview.left_out import LeftOut, left_out_for_unknowns
from tutorbargain.interview.script import (
    INTERVIEW_FILE,
    INTERVIEW_FORMAT,
    Question,
    Script,
    Section,
    load_script,
)
from tutorbargain.interview.session import UNSURE, Interview

__all__ = [
    "INTERVIEW_FILE",
    "INTERVIEW_FORMAT",
    "UNSURE",
    "Interview",
    "LeftOut",
    "NewResult",
    "Question",
    "Script",
    "Section",
    "left_out_for_unknowns",
    "load_script",
    "read_answers_file",
    "require_terminal",
    "run_new",
]
