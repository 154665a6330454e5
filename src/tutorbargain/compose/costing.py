"""What the proposal costs: tutoring hours, pay, preparation and training, worked out in the open.

Every line says how it was worked out, every assumption is listed, and the total is the sum of
the lines shown, so a treasurer can check it by hand: hours are whole hours and amounts whole
dollars, worked out from the figures printed (only per-hour comparisons show cents). Nothing is
guessed: a cost that needs an answer the user did not give is left out and named. The estimate
is the bargaining team's: it goes in the team's copy only, never in the district's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.reading import Answers
from tutorbargain.answers.words import dollars as dollars  # documents.py imports it from here
from tutorbargain.answers.words import rate_words

PLANNING_RANGE = (1200, 2500)
"""Per-student cost a district should plan on, per the National Student Support Accelerator."""

DOSAGE_FIELDS = (
    "program.students",
    "program.max_group_size",
    "program.sessions_per_week",
    "program.minutes_per_session",
    "program.weeks",
)


@dataclass(frozen=True)
class CostLine:
    item: str
    working: str
    amount: Decimal
    in_total: bool = True
    per_hour: bool = False
    """A rate or a difference per hour (shown in cents), not an amount for the year."""

    @property
    def shown(self) -> str:
        return rate_words(self.amount) if self.per_hour else dollars(self.amount)


@dataclass
class CostEstimate:
    """The cost appendix: lines, comparisons outside the total, and assumptions."""

    lines: list[CostLine] = field(default_factory=list)
    comparisons: list[CostLine] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    tutoring_hours: Decimal = Decimal(0)
    students: int = 0

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.in_total), Decimal(0))

    @property
    def per_student(self) -> Decimal:
        return _whole(self.total / self.students) if self.students else Decimal(0)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _hours(value: Decimal) -> str:
    return f"{_whole(value):,.0f}"


def missing_for_costs(answers: Answers) -> list[str]:
    """The answers a cost appendix still needs; empty when one can be made."""
    missing = [name for name in DOSAGE_FIELDS if not answers.is_set(name)]
    rates = ("pay.tutoring_hourly_rate", "program.vendor_hourly_rate")
    if not any(answers.is_set(name) for name in rates) and _esp_only_rate(answers) is None:
        missing.append("pay.tutoring_hourly_rate")
    return missing


def _esp_only_rate(answers: Answers) -> Decimal | None:
    """Where only ESPs tutor for the district and an ESP tutoring rate is answered, the rate
    every district hour is paid at: that rate, or the ESPs' own rate if it is higher."""
    esp_tutoring: Decimal | None = answers.get("pay.esp_tutoring_hourly_rate")
    if (
        esp_tutoring is None
        or answers.get("tutors.esps") is not True
        or answers.get("tutors.unit_teachers") is not False
        or answers.get("program.provider") == "vendor"
    ):
        return None
    own: Decimal | None = answers.get("pay.esp_hourly_rate")
    return esp_tutoring if own is None else max(esp_tutoring, own)


def estimate(answers: Answers) -> CostEstimate | None:
    """The cost estimate, or None when rates or dosage are unknown (see `missing_for_costs`)."""
    if missing_for_costs(answers):
        return None
    get = answers.get
    students: int = get("program.students")
    group: int = get("program.max_group_size")
    sessions: int = get("program.sessions_per_week")
    minutes: int = get("program.minutes_per_session")
    weeks: int = get("program.weeks")
    groups = math.ceil(students / group)
    total_minutes = groups * sessions * minutes * weeks
    hours = _whole(Decimal(total_minutes) / Decimal(60))
    est = CostEstimate(tutoring_hours=hours, students=students)
    est.assumptions.append(
        f"{students:,} students in groups of at most {group} make {groups:,} groups "
        f"(students divided by group size, rounded up)."
    )
    est.assumptions.append(
        f"Each group meets {sessions} times a week for {minutes} minutes, for {weeks} weeks, "
        f"with one tutor: {groups:,} groups × {sessions} sessions × {weeks} weeks × "
        f"{minutes} minutes = {total_minutes:,} minutes, or {_hours(hours)} tutoring hours"
        f"{'' if total_minutes % 60 == 0 else ' (rounded to the nearest hour)'}."
    )
    est.assumptions.append(
        "Every scheduled session happens; absences and make-ups are not counted."
    )

    provider = get("program.provider")
    rate = get("pay.tutoring_hourly_rate")
    esp_only = _esp_only_rate(answers)
    vendor_rate = get("program.vendor_hourly_rate")
    cert_rate = get("pay.certificated_hourly_rate")

    if provider == "vendor":
        if vendor_rate is not None:
            est.lines.append(
                CostLine(
                    "Vendor tutoring",
                    f"{_hours(hours)} hours × {rate_words(vendor_rate)} an hour",
                    _whole(hours * vendor_rate),
                )
            )
        else:
            est.left_out.append("the vendor's cost (the vendor's hourly rate is not known)")
        if rate is not None:
            est.comparisons.append(
                CostLine(
                    "The same hours tutored by unit members",
                    f"{_hours(hours)} hours × {rate_words(rate)} an hour",
                    _whole(hours * rate),
                    False,
                )
            )
    else:
        if esp_only is not None:
            est.assumptions.append(
                "Only ESPs tutor for the district (not teachers), so every district hour is "
                f"priced at what an ESP is paid to tutor: {rate_words(esp_only)} an hour (the "
                "ESP tutoring rate, or the ESPs' own rate where that is higher)."
            )
            rate = esp_only
        if rate is None:
            est.left_out.append(
                "pay for tutors employed by the district (the tutoring rate is not known)"
            )
        else:
            share = "the District’s share of" if provider == "vendor" else "all"
            if provider == "mixed":
                est.assumptions.append(
                    "The split of hours between district tutors and the vendor is not known; "
                    "this estimate prices every hour at the tutoring rate, and shows the vendor "
                    "rate as a comparison."
                )
            est.lines.append(
                CostLine(
                    "Tutoring pay",
                    f"{_hours(hours)} hours × {rate_words(rate)} an hour ({share} hours)",
                    _whole(hours * rate),
                )
            )
            if get("program.during_school_day") or "school_day" in (get("program.schedule") or []):
                est.assumptions.append(
                    "Tutoring runs in the school day; every hour is priced as added work at the "
                    "tutoring rate. Hours that take the place of another duty are paid by salary "
                    "instead, so they would cost less than shown."
                )
            tutors = get("program.tutor_count")
            _prep_line(est, hours=hours, rate=rate, tutors=tutors, weeks=weeks, answers=answers)
            training = get("pay.training_hours")
            training_rate: Decimal | None = get("pay.training_hourly_rate")
            paid_at = rate if training_rate is None else training_rate
            if tutors is not None and training is not None:
                est.lines.append(
                    CostLine(
                        "Training pay",
                        f"{tutors:,} tutors × {training} hours × {rate_words(paid_at)} an hour",
                        _whole(Decimal(tutors * training) * paid_at),
                    )
                )
                est.assumptions.append(
                    "Training is paid at the tutoring rate."
                    if training_rate is None
                    else f"Training is paid at the training rate of {rate_words(paid_at)} an "
                    "hour, as the agreement proposes."
                )
            else:
                need = [
                    w
                    for w, n in (
                        ("the number of tutors", "program.tutor_count"),
                        ("training hours", "pay.training_hours"),
                    )
                    if not answers.is_set(n)
                ]
                est.left_out.append(f"training pay ({' and '.join(need)} not known)")
        if provider == "mixed" and vendor_rate is not None:
            est.comparisons.append(
                CostLine(
                    "The same hours bought from the vendor",
                    f"{_hours(hours)} hours × {rate_words(vendor_rate)} an hour",
                    _whole(hours * vendor_rate),
                    False,
                )
            )
        esp_rate = get("pay.esp_hourly_rate")
        esp_tutoring = get("pay.esp_tutoring_hourly_rate")
        esp_paid, esp_name = (
            (rate, "tutoring rate") if esp_tutoring is None else (esp_tutoring, "ESP tutoring rate")
        )
        if (
            get("tutors.esps")
            and esp_tutoring is not None
            and rate is not None
            and esp_only is None
        ):
            est.assumptions.append(
                f"ESPs who tutor are paid the ESP tutoring rate of {rate_words(esp_tutoring)} an "
                "hour (or their own rate if higher); the split of hours between ESPs and other "
                f"tutors is not known, so every hour above is priced at {rate_words(rate)}, and "
                f"each hour an ESP tutors {'adds' if esp_tutoring > rate else 'takes'} "
                f"{rate_words(abs(esp_tutoring - rate))} "
                f"{'to' if esp_tutoring > rate else 'off'} the total."
            )
        if (
            get("tutors.esps")
            and esp_paid is not None
            and esp_rate is not None
            and esp_paid > esp_rate
        ):
            est.comparisons.append(
                CostLine(
                    "Extra per hour an ESP earns when tutoring",
                    f"{esp_name} {rate_words(esp_paid)} less usual ESP rate {rate_words(esp_rate)}",
                    _cents(esp_paid - esp_rate),
                    False,
                    per_hour=True,
                )
            )
    if vendor_rate is not None and cert_rate is not None:
        gap = vendor_rate - cert_rate
        words = "more" if gap > 0 else "less"
        est.comparisons.append(
            CostLine(
                f"Vendor rate against the certificated hourly rate ({words} per hour)",
                f"{rate_words(vendor_rate)} less {rate_words(cert_rate)}",
                _cents(gap),
                False,
                per_hour=True,
            )
        )
    low, high = PLANNING_RANGE
    est.assumptions.append(
        f"For comparison, the National Student Support Accelerator suggests planning on "
        f"${low:,} to ${high:,} per student a year."
    )
    return est


def _prep_line(
    est: CostEstimate,
    *,
    hours: Decimal,
    rate: Decimal,
    tutors: int | None,
    weeks: int,
    answers: Answers,
) -> None:
    """Paid preparation: one hour for every `terms.hours_per_prep_hour` tutored (the MOU's own
    ratio, so the estimate never costs a different term), within a weekly cap if one is set."""
    cap: int | None = answers.get("terms.planning_hours_cap")
    term = BY_NAME["terms.hours_per_prep_hour"]
    ratio = answers.get(term.name) or term.default  # unanswered: the default the MOU prints
    assert isinstance(ratio, int), "every proposal term has a whole-number default"
    every = "every hour" if ratio == 1 else f"every {ratio} hours"
    prep = _whole(hours / Decimal(ratio))
    working = f"{_hours(prep)} hours (1 for every {ratio} tutored) × {rate_words(rate)} an hour"
    if cap == 0:
        est.assumptions.append(
            "No separate preparation time is paid: the agreement puts preparation inside paid "
            "tutoring time (a planning cap of 0 hours a week)."
        )
        return
    if cap is not None and tutors is not None:
        most = Decimal(tutors * cap * weeks)
        if most < prep:
            prep = most
            working = (
                f"{_hours(prep)} hours (the cap: {tutors:,} tutors × {_per_week(cap)} × "
                f"{weeks} weeks) × {rate_words(rate)} an hour"
            )
        est.assumptions.append(
            f"Preparation is paid at one hour for {every} tutored, up to "
            f"{_per_week(cap)} for each tutor, as the agreement proposes."
        )
    elif cap is not None:
        est.assumptions.append(
            f"Preparation is paid at one hour for {every} tutored; the agreement caps "
            f"it at {_per_week(cap)} per tutor, which this estimate cannot apply without the "
            "number of tutors, so it may be high."
        )
    else:
        est.assumptions.append(
            f"Preparation is paid at one hour for {every} tutored, as the agreement proposes."
        )
    est.lines.append(CostLine("Paid preparation and collaboration", working, _whole(prep * rate)))


def _per_week(hours: int) -> str:
    return f"{hours} hour{'' if hours == 1 else 's'} a week"
