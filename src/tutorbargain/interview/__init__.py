"""The interview behind `tutorbargain new`: ask, review, save the answers, render.

What is asked, and when, is data in ``interview.yml`` beside this package (`script`); one run
of the interview is an `Interview` (`session`); `run_new` is the whole command (`command`,
with `saving` for where the answers go); `left_out_for_unknowns` says what blank answers left
out of the documents (`left_out`). The answers file itself is written by `answers.writing`.
The names below are the package's API; the modules' other names are internal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "NewResult": "command",
    "read_answers_file": "command",
    "require_terminal": "command",
    "run_new": "command",
    "LeftOut": "left_out",
    "left_out_for_unknowns": "left_out",
    "INTERVIEW_FILE": "script",
    "INTERVIEW_FORMAT": "script",
    "Question": "script",
    "Script": "script",
    "Section": "script",
    "load_script": "script",
    "UNSURE": "session",
    "Interview": "session",
}
"""Each name of the API and its module, imported when first asked for: `render` needs only
`left_out_for_unknowns`, and the wizard's modules cost it several milliseconds."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


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
