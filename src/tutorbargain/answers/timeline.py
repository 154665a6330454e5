"""Dates in the answers that today's date makes doubtful.

An answers file is often started weeks before it is rendered: a start date that was in the
future when typed may have passed, and the documents would still call the program planned.
These are warnings, never refusals: the team may know better (a start that slipped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tutorbargain.answers.reading import Answers
from tutorbargain.answers.words import long_date
from tutorbargain.errors import Place, Problem, by_line

PROMPT_DAYS = 14
"""Days after the Union learned of the program within which the letter calls its demand
prompt, when the contract's mid-term article gives no notice period of its own. No statute
sets this: under the waiver-by-inaction doctrine a union given clear notice of a change must ask
to bargain with due diligence, and two weeks is a cautious reading of that, not a deadline."""


def demand_days(answers: Answers) -> int:
    """How long the Union has to make its demand: the contract's mid-term notice days, else
    `PROMPT_DAYS`."""
    days = answers.get("bargaining.midterm_notice_days")
    return days if isinstance(days, int) and days > 0 else PROMPT_DAYS


def demand_is_prompt(answers: Answers, sent: dt.date) -> bool:
    """True when a demand sent on ``sent`` is within `demand_days` of the day the Union
    learned of the program; False when it is later or that day is not known, so the letter
    never claims promptness it cannot show."""
    learned = answers.get("bargaining.union_notified_on")
    if not isinstance(learned, dt.date):
        return False
    return 0 <= (sent - learned).days <= demand_days(answers)


PAST_DATES: tuple[tuple[str, str | None, str], ...] = (
    (
        "bargaining.union_notified_on",
        None,
        "the Union cannot have learned of the program on a day still to come, and the letter "
        "and information request print this date: give the day it did learn of it",
    ),
    (
        "program.vendor_contract_date",
        "program.vendor_contract_signed",
        "a contract is not signed on a day still to come: give the day it was signed, or "
        "answer vendor_contract_signed: no if it is not signed yet",
    ),
    (
        "program.start_date",
        "program.started",
        "tutoring cannot have begun on a day still to come: give the day it began, or answer "
        "started: no if it has not begun",
    ),
)
"""Dates that cannot be later than today: each field, the yes/no field that makes it a date
already past (None: always), and what to do about a later one."""


def future_date_problems(
    answers: Answers, today: dt.date, where: Callable[[str], str] | None = None
) -> list[Problem]:
    """A problem for each date that cannot be in the future but is later than ``today``, by
    line where ``where`` places a field in the answers file (as reading's problems are)."""
    problems = []
    for name, past_when, what in PAST_DATES:
        value = answers.get(name)
        if not isinstance(value, dt.date) or value <= today:
            continue
        if past_when is not None and answers.get(past_when) is not True:
            continue
        problems.append(
            Problem(
                where(name) if where is not None else name,
                f"{name} is {long_date(value)}, later than today ({long_date(today)}): {what}.",
                "future-date",
            )
        )
    return by_line(problems)


def date_warnings(
    answers: Answers, today: dt.date, where: Callable[[str], str] | None = None
) -> list[str]:
    """One plain line per doubtful date, naming the field and what to change; a date that
    cannot be in the future and is (`future_date_problems`) comes first, with its line when
    ``where`` places fields in the answers file."""
    warnings: list[str] = [
        f"{Place(p.place.file, p.place.line)}: {p.message}" if p.place is not None else p.message
        for p in future_date_problems(answers, today, where)
    ]
    start = answers.get("program.start_date")
    if isinstance(start, dt.date) and start < today and answers.get("program.started") is False:
        warnings.append(
            f"program.start_date is {long_date(start)}, which has passed, but program.started "
            "is no: if tutoring has begun, answer started: yes so the documents treat the "
            "program as running; if the start moved, change the date."
        )
    learned = answers.get("bargaining.union_notified_on")
    bargains = answers.get("bargaining.status") in ("cba", "meet_and_confer")
    if bargains and isinstance(learned, dt.date) and (today - learned).days > demand_days(answers):
        notice = answers.get("bargaining.midterm_notice_days")
        period = (
            f"longer than the contract's {notice}-day mid-term notice period"
            if demand_days(answers) == notice
            else f"more than {PROMPT_DAYS} days"
        )
        warnings.append(
            f"bargaining.union_notified_on is {long_date(learned)}, {(today - learned).days} "
            f"days ago, {period}: the District may argue that by waiting the Union waived its "
            "right to bargain. Send the demand now; the letter does not call it prompt."
        )
    ends = answers.get("funding.ends")
    if isinstance(ends, dt.date) and ends < today:
        warnings.append(
            f"funding.ends is {long_date(ends)}, which has passed: give the date the Program's "
            "money now runs out, so the funding terms do not rest on money already spent."
        )
    return warnings
