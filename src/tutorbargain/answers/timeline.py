"""Dates in the answers that today's date makes doubtful.

An answers file is often started weeks before it is rendered: a start date that was in the
future when typed may have passed, and the documents would still call the program planned.
These are warnings, never refusals: the team may know better (a start that slipped).
"""

from __future__ import annotations

import datetime as dt

from tutorbargain.answers.reading import Answers
from tutorbargain.answers.words import long_date


def date_warnings(answers: Answers, today: dt.date) -> list[str]:
    """One plain line per doubtful date, naming the field and what to change."""
    warnings: list[str] = []
    start = answers.get("program.start_date")
    if isinstance(start, dt.date) and start < today and answers.get("program.started") is False:
        warnings.append(
            f"program.start_date is {long_date(start)}, which has passed, but program.started "
            "is no: if tutoring has begun, answer started: yes so the documents treat the "
            "program as running; if the start moved, change the date."
        )
    ends = answers.get("funding.ends")
    if isinstance(ends, dt.date) and ends < today:
        warnings.append(
            f"funding.ends is {long_date(ends)}, which has passed: give the date the Program's "
            "money now runs out, so the funding terms do not rest on money already spent."
        )
    return warnings
