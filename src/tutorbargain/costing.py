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

from .answers import Answers

PREP_HOURS_PER_TUTORING_HOUR = Decimal(1) / Decimal(3)
"""The MOU's paid-preparation term: one hour for every three tutored (Sioux City, Iowa, 2021)."""

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


def dollars(value: Decimal) -> str:
    """A yearly amount in whole dollars: $315,000, $750."""
    return f"${_whole(value):,.0f}"


def rate_words(value: Decimal) -> str:
    """An amount per hour, in dollars and cents: $45.00."""
    return f"${_cents(value):,.2f}"


def _hours(value: Decimal) -> str:
    return f"{_whole(value):,.0f}"


def missing_for_costs(answers: Answers) -> list[str]:
    """The answers a cost appendix still needs; empty when one can be made."""
    missing = [name for name in DOSAGE_FIELDS if not answers.is_set(name)]
    rates = ("pay.tutoring_hourly_rate", "program.vendor_hourly_rate")
    if not any(answers.is_set(name) for name in rates):
        missing.append("pay.tutoring_hourly_rate")
    return missing


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
        if rate is None:
            est.left_out.append(
                "pay for tutors employed by the district (the tutoring rate is not known)"
            )
        else:
            share = "all" if provider == "in_house" else "the district's share of"
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
            prep = _whole(hours * PREP_HOURS_PER_TUTORING_HOUR)
            est.lines.append(
                CostLine(
                    "Paid preparation and collaboration",
                    f"{_hours(prep)} hours (1 for every 3 tutored) × {rate_words(rate)} an hour",
                    _whole(prep * rate),
                )
            )
            est.assumptions.append(
                "Preparation is paid at one hour for every three hours "
                "tutored, as the agreement proposes."
            )
            tutors = get("program.tutor_count")
            training = get("pay.training_hours")
            if tutors is not None and training is not None:
                est.lines.append(
                    CostLine(
                        "Training pay",
                        f"{tutors:,} tutors × {training} hours × {rate_words(rate)} an hour",
                        _whole(Decimal(tutors * training) * rate),
                    )
                )
                est.assumptions.append("Training is paid at the tutoring rate.")
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
        if get("tutors.esps") and rate is not None and esp_rate is not None and rate > esp_rate:
            est.comparisons.append(
                CostLine(
                    "Extra per hour an ESP earns when tutoring",
                    f"tutoring rate {rate_words(rate)} less usual ESP rate {rate_words(esp_rate)}",
                    _cents(rate - esp_rate),
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
