"""The answers schema, version 1: every field a user can answer, in one table.

This table is a contract. Answers files, batch spreadsheet columns, the interview, the rule
linter and the published JSON Schema all read it, so a field is named, typed and worded once.
Names never change within a schema version; new fields are optional.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

SCHEMA_VERSION = 1


class Kind(str, Enum):
    """What kind of value a field holds; decides parsing, messages and formatting."""

    TEXT = "text"
    BOOL = "bool"
    COUNT = "count"
    MONEY = "money"
    DATE = "date"
    CHOICE = "choice"
    LIST = "list"
    GRADES = "grades"
    STATE = "state"
    SCHOOL_YEAR = "school_year"


@dataclass(frozen=True)
class Field:
    """One answer: its dotted name, kind, plain-language label and limits."""

    name: str
    kind: Kind
    label: str
    """Plain words for the answer, used in reasons ("retirees tutor") and messages."""
    placeholder: str
    """Shown in documents, highlighted, when the answer is unknown: ``[VENDOR NAME]``."""
    help: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    """For a choice: (value, words for it)."""
    minimum: int | float | None = None
    maximum: int | float | None = None
    max_length: int = 200

    @property
    def section(self) -> str:
        return self.name.partition(".")[0] if "." in self.name else ""

    @property
    def key(self) -> str:
        return self.name.rpartition(".")[2]

    def choice_values(self) -> list[str]:
        return [value for value, _ in self.choices]

    def words_for(self, value: object) -> str:
        """A value in the words a reader of a reason or a review screen expects."""
        if value is None:
            return "not answered"
        if self.kind is Kind.BOOL:
            return "yes" if value else "no"
        if self.kind is Kind.CHOICE:
            return dict(self.choices).get(str(value), str(value))
        if self.kind is Kind.MONEY:
            return f"${value:,.2f}"
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value) or "none"
        return str(value)


def _f(name: str, kind: Kind, label: str, placeholder: str, help: str, **extra: object) -> Field:
    return Field(name, kind, label, placeholder, help, **extra)  # type: ignore[arg-type]


GRADE_VALUES = ("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")

STATE_NAMES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "the District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "the Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "the U.S. Virgin Islands",
}
STATES = tuple(STATE_NAMES)

FIELDS: tuple[Field, ...] = (
    _f(
        "local.name",
        Kind.TEXT,
        "the local's name",
        "LOCAL NAME",
        "The union local's full name, as it signs agreements.",
        required=True,
    ),
    _f(
        "local.affiliate",
        Kind.TEXT,
        "state affiliate",
        "STATE AFFILIATE",
        "The state association the local belongs to.",
    ),
    _f(
        "local.president",
        Kind.TEXT,
        "the local's president",
        "PRESIDENT",
        "Who signs for the union.",
    ),
    _f(
        "district.name",
        Kind.TEXT,
        "the district's name",
        "DISTRICT NAME",
        "The school district's legal name.",
        required=True,
    ),
    _f(
        "district.state",
        Kind.STATE,
        "state",
        "STATE",
        "Two-letter postal code of the district's state.",
        required=True,
    ),
    _f(
        "district.superintendent",
        Kind.TEXT,
        "superintendent",
        "SUPERINTENDENT",
        "Who signs for the district; the demand letter is addressed to them.",
    ),
    _f(
        "school_year",
        Kind.SCHOOL_YEAR,
        "school year",
        "SCHOOL YEAR",
        "The school year the program runs, like 2026-27.",
        required=True,
    ),
    _f(
        "bargaining.status",
        Kind.CHOICE,
        "bargaining status",
        "BARGAINING STATUS",
        "The legal relationship between the local and the district.",
        required=True,
        choices=(
            ("cba", "a collective bargaining agreement"),
            ("meet_and_confer", "meet-and-confer or consultation"),
            ("none", "no bargaining"),
        ),
    ),
    _f(
        "bargaining.tutors_already_negotiated",
        Kind.BOOL,
        "tutoring terms already negotiated",
        "ALREADY NEGOTIATED",
        "Whether the local and district have already negotiated any terms for tutors.",
    ),
    _f(
        "bargaining.contract_article",
        Kind.TEXT,
        "contract article on extra duty",
        "CONTRACT ARTICLE",
        "The article of the agreement that covers extra-duty pay, like 'Article 14'.",
    ),
    _f(
        "program.name",
        Kind.TEXT,
        "program name",
        "PROGRAM NAME",
        "What the district calls the tutoring program.",
    ),
    _f(
        "program.provider",
        Kind.CHOICE,
        "who runs the program",
        "PROVIDER",
        "Whether district staff, an outside vendor, or both deliver the tutoring.",
        required=True,
        choices=(
            ("in_house", "district staff"),
            ("vendor", "an outside vendor"),
            ("mixed", "district staff and an outside vendor"),
        ),
    ),
    _f(
        "program.vendor_name",
        Kind.TEXT,
        "vendor name",
        "VENDOR NAME",
        "The outside provider's name; required when a vendor is involved.",
    ),
    _f(
        "program.vendor_hourly_rate",
        Kind.MONEY,
        "vendor's hourly rate",
        "VENDOR RATE",
        "What the district pays the vendor per tutoring hour.",
        minimum=0,
        maximum=1000,
    ),
    _f(
        "program.delivery",
        Kind.CHOICE,
        "how tutoring is delivered",
        "DELIVERY",
        "In person, online, or both.",
        required=True,
        choices=(
            ("in_person", "in person"),
            ("virtual", "online (virtual)"),
            ("hybrid", "both in person and online (hybrid)"),
        ),
    ),
    _f(
        "program.during_school_day",
        Kind.BOOL,
        "tutoring during the school day",
        "SCHOOL DAY OR NOT",
        "Whether sessions happen during the regular school day.",
    ),
    _f(
        "program.sessions_per_week",
        Kind.COUNT,
        "sessions per week",
        "SESSIONS PER WEEK",
        "How many sessions each student gets a week.",
        minimum=1,
        maximum=10,
    ),
    _f(
        "program.minutes_per_session",
        Kind.COUNT,
        "minutes per session",
        "MINUTES",
        "How long each session lasts.",
        minimum=5,
        maximum=240,
    ),
    _f(
        "program.weeks",
        Kind.COUNT,
        "weeks of tutoring",
        "NUMBER OF WEEKS",
        "How many weeks the program runs in the school year.",
        minimum=1,
        maximum=52,
    ),
    _f(
        "program.max_group_size",
        Kind.COUNT,
        "students per tutor",
        "GROUP SIZE",
        "The most students a tutor works with at once.",
        minimum=1,
        maximum=40,
    ),
    _f(
        "program.students",
        Kind.COUNT,
        "students served",
        "NUMBER OF STUDENTS",
        "How many students the program expects to serve.",
        minimum=1,
        maximum=2_000_000,
    ),
    _f(
        "program.tutor_count",
        Kind.COUNT,
        "number of tutors",
        "NUMBER OF TUTORS",
        "How many tutors the program expects to employ.",
        minimum=1,
        maximum=100_000,
    ),
    _f(
        "program.subjects",
        Kind.LIST,
        "subjects tutored",
        "SUBJECTS",
        "The subjects tutored, like math and reading.",
        max_length=60,
    ),
    _f(
        "program.grades",
        Kind.GRADES,
        "grades served",
        "GRADES",
        "The grades served: K and 1 to 12.",
    ),
    _f(
        "program.student_identification",
        Kind.CHOICE,
        "how students are chosen",
        "SELECTION METHOD",
        "How the district decides which students get tutoring.",
        choices=(
            ("test_scores", "test scores"),
            ("teacher_referral", "teacher referral"),
            ("multiple_measures", "multiple measures"),
            ("undecided", "not decided yet"),
        ),
    ),
    _f(
        "program.evaluation_uses_test_scores",
        Kind.BOOL,
        "teacher evaluations use student test scores",
        "EVALUATION USES SCORES",
        "Whether teachers' evaluations rely on student test scores.",
    ),
    _f(
        "program.serves_iep_students",
        Kind.BOOL,
        "serves students with IEPs",
        "IEP STUDENTS",
        "Whether students with IEPs will be tutored.",
    ),
    _f(
        "program.needs_space",
        Kind.BOOL,
        "needs school space",
        "SPACE NEEDS",
        "Whether tutoring needs rooms set up or reconfigured in schools.",
    ),
    _f(
        "tutors.unit_teachers",
        Kind.BOOL,
        "teachers in the unit tutor",
        "UNIT TEACHERS",
        "Whether teachers the local represents will tutor.",
    ),
    _f(
        "tutors.esps",
        Kind.BOOL,
        "education support professionals tutor",
        "ESPS",
        "Whether education support professionals (ESPs) will tutor.",
    ),
    _f(
        "tutors.retirees",
        Kind.BOOL,
        "retirees tutor",
        "RETIREES",
        "Whether retired educators will tutor.",
    ),
    _f(
        "tutors.student_teachers",
        Kind.BOOL,
        "student teachers tutor",
        "STUDENT TEACHERS",
        "Whether student teachers will tutor.",
    ),
    _f(
        "tutors.community_volunteers",
        Kind.BOOL,
        "community volunteers tutor",
        "VOLUNTEERS",
        "Whether volunteers from the community will tutor.",
    ),
    _f(
        "pay.certificated_hourly_rate",
        Kind.MONEY,
        "certificated staff's hourly rate",
        "CERTIFICATED HOURLY RATE",
        "A certificated teacher's hourly pay (the contract's hourly or per-diem rate).",
        minimum=0,
        maximum=1000,
    ),
    _f(
        "pay.tutoring_hourly_rate",
        Kind.MONEY,
        "tutoring hourly rate",
        "TUTORING RATE",
        "The hourly rate the union proposes for tutoring.",
        minimum=0,
        maximum=1000,
    ),
    _f(
        "pay.esp_hourly_rate",
        Kind.MONEY,
        "ESPs' usual hourly rate",
        "ESP RATE",
        "What ESPs who would tutor earn an hour in their own jobs.",
        minimum=0,
        maximum=1000,
    ),
    _f(
        "pay.training_hours",
        Kind.COUNT,
        "paid training hours per tutor",
        "TRAINING HOURS",
        "How many hours of paid training each tutor gets before tutoring.",
        minimum=0,
        maximum=200,
    ),
    _f(
        "funding.source",
        Kind.CHOICE,
        "funding source",
        "FUNDING SOURCE",
        "Where the money for the program comes from.",
        choices=(
            ("esser", "federal ESSER relief funds"),
            ("title_i", "federal Title I funds"),
            ("state_grant", "a state grant"),
            ("general_fund", "the district's general fund"),
            ("other", "another source"),
        ),
    ),
    _f(
        "funding.ends",
        Kind.DATE,
        "funding end date",
        "FUNDING END DATE",
        "The date the program's money runs out, like 2027-06-30.",
    ),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(f.section for f in FIELDS if f.section))
TOP_LEVEL: tuple[str, ...] = tuple(f.name for f in FIELDS if not f.section)


def field(name: str) -> Field:
    """The field called ``name``; a `KeyError` means a caller used a name not in the schema."""
    return BY_NAME[name]
