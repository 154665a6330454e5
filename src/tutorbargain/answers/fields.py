"""The answers schema, version 2: what a field is, and the values fields share.

Every field a user can answer is a `Field` of one `Kind`; the fields themselves, one table,
are in `field_table` and importable from here too (``from tutorbargain.answers.fields import
FIELDS, BY_NAME``). The schema is a contract. Answers files, batch spreadsheet columns, the
interview, the rule linter and the published JSON Schema all read it, so a field is named,
typed and worded once. Names never change: version 2 is version 1 plus new optional fields
(each marks ``since=2``), so a version 1 file keeps its meaning.
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


FUNDING_SOURCES: tuple[tuple[str, str], ...] = (
    ("esser", "federal ESSER relief funds"),
    ("title_i", "federal Title I funds"),
    ("state_grant", "a state grant"),
    ("general_fund", "the District’s general fund"),
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


def default_note(f: Field) -> str:
    """The words for a field's default and its source, for a comment or a report."""
    return f"default {f.default}: {f.default_source}"


# The table is built from the types above, so it is read after them; `tutorbargain.answers`
# imports this module first, so the table is never read half-built.
from tutorbargain.answers.field_table import (  # noqa: E402
    BY_NAME,
    DEFAULTED,
    FIELDS,
    SECTIONS,
    TOP_LEVEL,
    field,
)

__all__ = [
    "BY_NAME",
    "DEFAULTED",
    "FEDERAL_SOURCES",
    "FIELDS",
    "FUNDING_SOURCES",
    "GRADE_VALUES",
    "SCHEMA_VERSION",
    "SECTIONS",
    "STATES",
    "STATE_NAMES",
    "SUPPORTED_VERSIONS",
    "TOP_LEVEL",
    "UNION_OPENING",
    "Field",
    "Kind",
    "default_note",
    "field",
]
