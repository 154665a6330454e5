"""The answers schema, version 2: every field a user can answer, in one table.

This table is a contract. Answers files, batch spreadsheet columns, the interview, the rule
linter and the published JSON Schema all read it, so a field is named, typed and worded once.
Names never change: version 2 is version 1 plus new optional fields (each marks ``since=2``),
so a version 1 file keeps its meaning. A proposal term (``terms.*``) carries a default and the
public document it comes from, so an unanswered term still prints a number a reader can trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

SCHEMA_VERSION = 2
SUPPORTED_VERSIONS = (1, 2)
"""Versions an answers file may declare; older ones load with the same meaning."""

UNION_OPENING = (
    "the union's opening number, not taken from any agreement: change it to what your team "
    "will propose"
)
"""The source of a default that is the union's own starting point, said plainly."""


class Kind(str, Enum):
    """What kind of value a field holds; `kinds.KINDS` says what each one means."""

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
    since: int = 1
    """The schema version that added the field; a file of an older version may not use it."""
    default: int | None = None
    """For a proposal term: the number the documents use when the team gives none."""
    default_source: str = ""
    """Where ``default`` comes from: a public document, or plainly the union's opening number."""

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
        from tutorbargain.answers.kinds import words_for  # the kinds table reads this module

        return words_for(self, value)


def _f(name: str, kind: Kind, label: str, placeholder: str, help: str, **extra: object) -> Field:
    return Field(name, kind, label, placeholder, help, **extra)  # type: ignore[arg-type]


def _term(key: str, label: str, help: str, default: int | None, source: str, maximum: int) -> Field:
    """A proposal term: a count of days or hours the union proposes, with its default."""
    placeholder = key.replace("_", " ").upper()
    return Field(
        f"terms.{key}",
        Kind.COUNT,
        label,
        placeholder,
        help,
        minimum=0 if key == "planning_hours_cap" else 1,
        maximum=maximum,
        since=2,
        default=default,
        default_source=source,
    )


FUNDING_SOURCES: tuple[tuple[str, str], ...] = (
    ("esser", "federal ESSER relief funds"),
    ("title_i", "federal Title I funds"),
    ("state_grant", "a state grant"),
    ("general_fund", "the district's general fund"),
    ("other", "another source"),
)
FEDERAL_SOURCES = frozenset({"esser", "title_i"})
"""Funding sources that are federal money."""

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
        "local.address",
        Kind.TEXT,
        "the local's mailing address",
        "LOCAL ADDRESS",
        "The union's mailing address, for the letterhead of its letters.",
        max_length=300,
        since=2,
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
        "bargaining.esp_representation",
        Kind.CHOICE,
        "who represents the ESPs",
        "ESP REPRESENTATION",
        "Whether the district's ESPs are in this union, another union, or none; another "
        "union's ESPs sign their own agreement.",
        choices=(
            ("same_union", "this union"),
            ("other_union", "another union"),
            ("unrepresented", "no union"),
        ),
        since=2,
    ),
    _f(
        "bargaining.contract_expires",
        Kind.DATE,
        "the contract's expiry date",
        "CONTRACT EXPIRY DATE",
        "The date the collective bargaining agreement expires, like 2028-06-30.",
        since=2,
    ),
    _f(
        "bargaining.midterm_notice_days",
        Kind.COUNT,
        "the contract's mid-term notice period in days",
        "NOTICE DAYS",
        "How many days' notice the contract's mid-term bargaining article requires before a "
        "change; waiting past it can waive the right to bargain.",
        minimum=0,
        maximum=365,
        since=2,
    ),
    _f(
        "bargaining.midterm_article",
        Kind.TEXT,
        "contract article on mid-term bargaining",
        "MID-TERM ARTICLE",
        "The article of the agreement on bargaining during its term, like 'Article 3'.",
        since=2,
    ),
    _f(
        "bargaining.union_notified_on",
        Kind.DATE,
        "the date the union learned of the program",
        "DATE THE UNION WAS TOLD",
        "When the union first learned of the tutoring program, like 2026-08-15.",
        since=2,
    ),
    _f(
        "bargaining.union_notified_how",
        Kind.TEXT,
        "how the union learned of the program",
        "HOW THE UNION WAS TOLD",
        "How the union learned of it, like 'a board agenda' or 'a letter from the superintendent'.",
        since=2,
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
        "program.started",
        Kind.BOOL,
        "the program has started",
        "PROGRAM STARTED",
        "Whether tutoring has already begun; work done before the agreement is then paid back.",
        since=2,
    ),
    _f(
        "program.start_date",
        Kind.DATE,
        "the program's start date",
        "START DATE",
        "The date tutoring began or is planned to begin, like 2026-09-08.",
        since=2,
    ),
    _f(
        "program.schedule",
        Kind.LIST,
        "when tutoring happens",
        "SCHEDULE",
        "When sessions happen: any of school_day, before_school, after_school, weekends, summer.",
        choices=(
            ("school_day", "during the school day"),
            ("before_school", "before school"),
            ("after_school", "after school"),
            ("weekends", "on weekends"),
            ("summer", "in the summer"),
        ),
        since=2,
    ),
    _f(
        "program.vendor_contract_signed",
        Kind.BOOL,
        "the vendor contract is signed",
        "VENDOR CONTRACT SIGNED",
        "Whether the district has already signed its contract with the vendor.",
        since=2,
    ),
    _f(
        "program.vendor_contract_date",
        Kind.DATE,
        "the vendor contract's date",
        "VENDOR CONTRACT DATE",
        "The date the district signed the vendor contract, like 2026-07-01.",
        since=2,
    ),
    _f(
        "program.vendor_contract_ends",
        Kind.DATE,
        "the vendor contract's end date",
        "VENDOR CONTRACT END DATE",
        "The date the vendor contract ends, like 2027-06-30.",
        since=2,
    ),
    _f(
        "program.sessions_recorded",
        Kind.BOOL,
        "sessions are recorded",
        "SESSIONS RECORDED",
        "Whether tutoring sessions are recorded (video or audio).",
        since=2,
    ),
    _f(
        "program.student_data_to_vendor",
        Kind.BOOL,
        "student data goes to the vendor",
        "STUDENT DATA TO VENDOR",
        "Whether the district gives students' records or scores to the vendor.",
        since=2,
    ),
    _f(
        "program.members_supervise_virtual",
        Kind.BOOL,
        "members supervise students in virtual sessions",
        "MEMBERS SUPERVISE VIRTUAL SESSIONS",
        "Whether members must supervise students in the room while an online tutor teaches.",
        since=2,
    ),
    _f(
        "program.uses_software_tutor",
        Kind.BOOL,
        "software is used as a tutor",
        "SOFTWARE TUTOR",
        "Whether the program uses software (an app or AI) in place of a person tutoring.",
        since=2,
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
        "tutors.retiree_pension_system",
        Kind.TEXT,
        "retirees' pension system",
        "PENSION SYSTEM",
        "The retirement system retired tutors draw a pension from, like 'STRS Ohio'.",
        since=2,
    ),
    _f(
        "tutors.paid_student_tutors",
        Kind.BOOL,
        "paid student tutors",
        "PAID STUDENT TUTORS",
        "Whether high-school or college students are paid to tutor.",
        since=2,
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
        "pay.extra_duty_hourly_rate",
        Kind.MONEY,
        "the contract's extra-duty hourly rate",
        "EXTRA-DUTY RATE",
        "The hourly rate the contract already pays for extra duty.",
        minimum=0,
        maximum=1000,
        since=2,
    ),
    _f(
        "pay.training_hourly_rate",
        Kind.MONEY,
        "training hourly rate",
        "TRAINING RATE",
        "The hourly rate the union proposes for tutors' training time.",
        minimum=0,
        maximum=1000,
        since=2,
    ),
    _f(
        "pay.esp_tutoring_hourly_rate",
        Kind.MONEY,
        "ESPs' tutoring hourly rate",
        "ESP TUTORING RATE",
        "The hourly rate the union proposes for ESPs who tutor.",
        minimum=0,
        maximum=1000,
        since=2,
    ),
    _f(
        "pay.student_teacher_hourly_rate",
        Kind.MONEY,
        "student teachers' tutoring hourly rate",
        "STUDENT TEACHER RATE",
        "The hourly rate the union proposes for student teachers who tutor.",
        minimum=0,
        maximum=1000,
        since=2,
    ),
    _f(
        "pay.lead_tutor_hourly_rate",
        Kind.MONEY,
        "lead tutors' hourly rate",
        "LEAD TUTOR RATE",
        "The hourly rate the union proposes for a lead tutor who supports other tutors.",
        minimum=0,
        maximum=1000,
        since=2,
    ),
    _f(
        "funding.source",
        Kind.CHOICE,
        "funding source",
        "FUNDING SOURCE",
        "Where the money for the program comes from.",
        choices=FUNDING_SOURCES,
    ),
    _f(
        "funding.ends",
        Kind.DATE,
        "funding end date",
        "FUNDING END DATE",
        "The date the program's money runs out, like 2027-06-30.",
    ),
    _f(
        "funding.other_sources",
        Kind.LIST,
        "other funding sources",
        "OTHER FUNDING SOURCES",
        "Any further sources of money: any of esser, title_i, state_grant, general_fund, other.",
        choices=FUNDING_SOURCES,
        since=2,
    ),
    _f(
        "funding.federal",
        Kind.BOOL,
        "federal money pays for the program",
        "FEDERAL FUNDS",
        "Whether any of the program's money is federal; federal money brings time-and-effort "
        "records and its own end dates.",
        since=2,
    ),
    *(
        _term(name, label, help, default, source, maximum)
        for name, label, help, default, source, maximum in (
            (
                "posting_days",
                "days tutoring posts are posted",
                "How many days tutoring posts are posted to members before they are offered.",
                10,
                UNION_OPENING,
                90,
            ),
            (
                "notice_days",
                "days of notice of program changes",
                "How many days' notice the District gives the union before it changes the program.",
                30,
                UNION_OPENING,
                365,
            ),
            (
                "information_days",
                "days to answer the information request",
                "How many days the District has to answer the union's request for information.",
                10,
                UNION_OPENING,
                90,
            ),
            (
                "funding_notice_days",
                "days of notice before the money runs out",
                "How many days before the program's money runs out the District tells the union.",
                60,
                UNION_OPENING,
                365,
            ),
            (
                "reopener_days",
                "days to reopen the agreement",
                "How many days after either side asks the parties meet to reopen the agreement.",
                30,
                UNION_OPENING,
                365,
            ),
            (
                "weekly_hours_cap",
                "most tutoring hours a week per tutor",
                "The most hours of tutoring one tutor may be assigned in a week.",
                24,
                "Poudre School District (Colorado) tutoring terms, 2023-24: at most 24 hours "
                "a week",
                60,
            ),
            (
                "planning_hours_cap",
                "most paid planning hours a week per tutor",
                "The most paid planning hours a tutor may claim a week (Poudre School District, "
                "2023-24, capped planning at 1 hour a week); leave it out for no cap.",
                None,
                "",
                40,
            ),
            (
                "leave_assignment_days",
                "days' notice to leave a tutoring post",
                "How many days' notice a member gives to leave a tutoring post.",
                10,
                UNION_OPENING,
                90,
            ),
        )
    ),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
DEFAULTED: tuple[Field, ...] = tuple(f for f in FIELDS if f.default is not None)
"""Fields whose unanswered value prints a default (the proposal terms)."""
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(f.section for f in FIELDS if f.section))
TOP_LEVEL: tuple[str, ...] = tuple(f.name for f in FIELDS if not f.section)


def field(name: str) -> Field:
    """The field called ``name``; a `KeyError` means a caller used a name not in the schema."""
    return BY_NAME[name]


def default_note(f: Field) -> str:
    """The words for a field's default and its source, for a comment or a report."""
    return f"default {f.default}: {f.default_source}"
