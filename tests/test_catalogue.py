"""A catalogue of hostile and broken inputs, each one run through the real command.

Users feed tutorbargain files typed by hand and spreadsheets from other people. Every case here
must end the same way: exit code 1, no traceback, exactly one ``Error:`` message that names where
the problem is (the file, and the line and field or the row and column when there is one), and
no file written or changed anywhere in the test's folder.

A second test reads each message again for programmer's words (exception names, Python reprs)
that a union staffer should never have to decode; the cases known to fail it are marked with
the bug they show. The per-rule validation messages are in test_answers.py; this catalogue is
about inputs that are broken or hostile rather than merely wrong.

Row problems in a batch are run with ``--dry-run``: a real batch writes report.csv even when
every row fails (that is its purpose), so "nothing written" is only promised for a dry run.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import io
import os
import re
import resource
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import Run, docx_text, run_cli
from tutorbargain.answers.fields import FIELDS

# A valid answers file; cases edit one line of it, so each line number below is known.
GOOD = """\
schema_version: 1
local:
  name: Cedar Hollow Education Association
  president: Ana Ruiz
district:
  name: Cedar Hollow School District
  state: OH
school_year: 2026-27
bargaining:
  status: cba
program:
  name: Reading Boost
  provider: vendor
  vendor_name: BrightBridge Tutoring
  delivery: hybrid
  sessions_per_week: 3
  minutes_per_session: 45
  weeks: 20
  students: 300
  grades: [K, 1, 2]
  subjects: [reading, math]
tutors:
  unit_teachers: yes
pay:
  tutoring_hourly_rate: 45
funding:
  source: esser
  ends: 2027-06-30
"""

# A clause file for --clauses: {text} is the clause's Jinja text (line 7).
OVERLAY = """\
schema_version: 1
clauses:
  - id: our-own-words
    topic: tutoring-pay-rate
    title: Our own words
    text: |
      {text}
    rationale: Why we want it.
    source: Our bargaining team.
"""

COLUMNS = [f.name for f in FIELDS]
ROW = {
    "local.name": "Cedar Hollow Education Association",
    "district.name": "Cedar Hollow School District",
    "district.state": "OH",
    "school_year": "2026-27",
    "bargaining.status": "cba",
    "program.provider": "in_house",
    "program.delivery": "in_person",
    "pay.tutoring_hourly_rate": "$45.00",
    "funding.ends": "2027-06-30",
}
MEMORY_CAP = 2 * 1024**3
"""Address space each run may use: a memory bomb that gets through fails the test, not CI."""

JARGON = re.compile(
    r"Traceback|\b\w+(Error|Exception)\b|BadZipFile|\bNone\b|NoneType|dict object|errno|"
    r"0x[0-9a-f]{6,}|<class|\{'|Package not found"
)
"""Words from inside Python that a message for a union staffer should not contain."""


# ---------------------------------------------------------------- the cases


@dataclass
class Setup:
    """What to run, and what the message must say."""

    args: list[str]
    where: tuple[str, ...]
    """Every piece of the location (file, ``line N``, field, row, column) the message names."""
    words: tuple[str, ...] = ()
    """Words saying what is wrong; in the ``Error:`` message, or the row lines of a dry run."""
    rows_in_stdout: bool = False
    """A batch dry run: each row's problem is printed above the one ``Error:`` summary."""


class Workspace:
    """The test's folder, with helpers that write the broken inputs into it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        return path

    def answers(self, old: str = "", new: str = "", *, name: str = "answers.yml") -> Path:
        """GOOD with one piece replaced (checked to be there)."""
        assert old in GOOD, old
        return self.file(name, GOOD.replace(old, new, 1) if old else GOOD)

    def render(self, path: Path, *extra: str) -> list[str]:
        return ["render", str(path), "-o", str(self.out), *extra]

    def overlay(self, text: str, *, folder: str = "ours") -> Path:
        """A --clauses folder with one clause whose text is ``text``; returns its file."""
        return self.file(f"{folder}/pay.yml", OVERLAY.format(text=text))

    def csv(
        self,
        rows: list[dict[str, str]],
        *,
        columns: list[str] = COLUMNS,
        name: str = "locals.csv",
        bom: bool = True,
    ) -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
        return self.file(name, ("\ufeff" if bom else "") + buffer.getvalue())

    def batch(self, path: Path, *extra: str) -> list[str]:
        return ["batch", str(path), "-o", str(self.out), *extra]


CASES: dict[str, Callable[[Workspace], Setup]] = {}


def case(name: str) -> Callable[[Callable[[Workspace], Setup]], Callable[[Workspace], Setup]]:
    def register(build: Callable[[Workspace], Setup]) -> Callable[[Workspace], Setup]:
        assert name not in CASES, name
        CASES[name] = build
        return build

    return register


def bad_value(name: str, old: str, new: str, line: int, dotted: str, *words: str) -> None:
    """Register a case that changes one line of GOOD and expects file, line and field."""

    @case(name)
    def _build(ws: Workspace) -> Setup:
        path = ws.answers(old, new)
        return Setup(ws.render(path), (str(path), f"line {line}", dotted), words)


# ---- malformed YAML


@case("yaml-unclosed-bracket")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  grades: [K, 1, 2]", "  grades: [K, 1, 2")
    return Setup(ws.render(path), (str(path), "line 21"), ("not valid YAML",))


@case("yaml-unclosed-quote")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  name: Reading Boost", '  name: "Reading Boost')
    return Setup(ws.render(path), (str(path), "line "), ("not valid YAML",))


@case("yaml-colon-in-unquoted-value")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  name: Reading Boost", "  name: Reading: Boost")
    return Setup(ws.render(path), (str(path), "line 12"), ("not valid YAML",))


@case("yaml-bad-indentation")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  state: OH", "    state: OH")
    return Setup(ws.render(path), (str(path), "line 7"), ("not valid YAML",))


@case("yaml-list-item-inside-mapping")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  president: Ana Ruiz", "  president: Ana Ruiz\n- stray item")
    return Setup(ws.render(path), (str(path), "line 5"), ("not valid YAML",))


@case("yaml-two-documents")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", GOOD + "---\nschema_version: 1\n")
    return Setup(ws.render(path), (str(path), "line 29"), ("not valid YAML",))


@case("yaml-python-tag-is-not-code")
def _(ws: Workspace) -> Setup:
    path = ws.answers(
        "  name: Reading Boost",
        '  name: !!python/object/apply:os.system ["touch hacked"]',
    )
    return Setup(ws.render(path), (str(path), "line 12"), ("not valid YAML",))


@case("yaml-unknown-escape")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  name: Reading Boost", r'  name: "Reading \q Boost"')
    return Setup(ws.render(path), (str(path), "line 12"), ("not valid YAML",))


@case("tab-indentation")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  vendor_name: BrightBridge Tutoring", "\tvendor_name: BrightBridge")
    return Setup(ws.render(path), (str(path), "line 14"), ("tab",))


@case("tab-mixed-with-spaces")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  ends: 2027-06-30", "  \tends: 2027-06-30")
    return Setup(ws.render(path), (str(path), "line 28"), ("tab",))


# ---- the wrong shape of file


@case("empty-file")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", "")
    return Setup(ws.render(path), (str(path),), ("empty",))


@case("only-comments")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", "# our answers go here\n# (not yet)\n")
    return Setup(ws.render(path), (str(path),), ("empty",))


@case("file-is-a-list")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", "- local\n- district\n")
    return Setup(ws.render(path), (str(path),), ("not a list",))


@case("file-is-a-scalar")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", "Cedar Hollow Education Association\n")
    return Setup(ws.render(path), (str(path),), ("not text",))


# ---- wrong types


bad_value(
    "section-is-a-scalar",
    "local:\n  name: Cedar Hollow Education Association\n  president: Ana Ruiz",
    "local: Cedar Hollow Education Association",
    2,
    "local",
    "section of fields",
)
bad_value(
    "text-is-a-mapping",
    "  name: Cedar Hollow Education Association",
    "  name: {first: Cedar, last: Hollow}",
    3,
    "local.name",
    "must be text",
)
bad_value("text-is-a-number", "  name: Reading Boost", "  name: 2026", 12, "program.name", "quotes")
bad_value(
    "count-is-yes",
    "  sessions_per_week: 3",
    "  sessions_per_week: yes",
    16,
    "program.sessions_per_week",
    "whole number",
)
bad_value(
    "count-is-a-fraction", "  weeks: 20", "  weeks: 20.5", 18, "program.weeks", "whole number"
)
bad_value(
    "bool-is-maybe",
    "  unit_teachers: yes",
    "  unit_teachers: maybe",
    23,
    "tutors.unit_teachers",
    "yes or no",
)
bad_value(
    "bool-is-a-list",
    "  unit_teachers: yes",
    "  unit_teachers: [yes, no]",
    23,
    "tutors.unit_teachers",
    "yes or no",
)
bad_value(
    "money-is-yes",
    "  tutoring_hourly_rate: 45",
    "  tutoring_hourly_rate: yes",
    25,
    "pay.tutoring_hourly_rate",
    "amount of money",
)
bad_value(
    "grades-is-a-mapping",
    "  grades: [K, 1, 2]",
    "  grades: {K: 1}",
    20,
    "program.grades",
    "list of grades",
)
bad_value(
    "list-item-is-a-mapping",
    "  subjects: [reading, math]",
    "  subjects: [reading, {math: yes}]",
    21,
    "program.subjects",
    "list of words",
)
bad_value(
    "date-is-a-number", "  ends: 2027-06-30", "  ends: 20270630", 28, "funding.ends", "date like"
)
bad_value(
    "state-is-a-number", "  state: OH", "  state: 39", 7, "district.state", "two-letter state code"
)

# ---- unknown keys


bad_value("unknown-section", "tutors:", "tutor:", 22, "tutor", "did you mean tutors")
bad_value(
    "unknown-field-in-section",
    "  state: OH",
    "  sate: OH",
    7,
    "district.sate",
    "did you mean district.state",
)
bad_value(
    "field-in-the-wrong-section",
    "  tutoring_hourly_rate: 45",
    "  sessions_per_week: 3",
    25,
    "pay.sessions_per_week",
    "not a field",
)
bad_value(
    "dotted-key-at-top-conflicts",
    "school_year: 2026-27",
    "school_year: 2026-27\npay.tutoring_hourly_rate: 50",
    9,
    "pay.tutoring_hourly_rate",
    "twice",
)
bad_value("duplicate-key", "  state: OH", "  state: OH\n  state: MI", 8, "district.state", "twice")
bad_value(
    "duplicate-section", "funding:", "pay:\n  esp_hourly_rate: 20\nfunding:", 26, "pay", "twice"
)


@case("null-key")
def _(ws: Workspace) -> Setup:
    path = ws.answers("school_year: 2026-27", "school_year: 2026-27\n~: 45")
    return Setup(ws.render(path), (str(path), "line "), ("no name",))


# ---- missing and empty required fields


@case("required-field-blank-spaces")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  name: Cedar Hollow School District", '  name: "    "')
    return Setup(ws.render(path), (str(path), "line 6", "district.name"), ("required but empty",))


@case("required-field-null")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  status: cba", "  status: ~")
    return Setup(
        ws.render(path), (str(path), "line 10", "bargaining.status"), ("required but empty",)
    )


@case("required-section-missing")
def _(ws: Workspace) -> Setup:
    path = ws.answers("district:\n  name: Cedar Hollow School District\n  state: OH\n", "")
    return Setup(
        ws.render(path), (str(path), "district.name", "district.state"), ("required but missing",)
    )


@case("required-section-empty")
def _(ws: Workspace) -> Setup:
    path = ws.answers("bargaining:\n  status: cba", "bargaining: {}")
    return Setup(ws.render(path), (str(path), "bargaining.status"), ("required but missing",))


# ---- enum typos


bad_value(
    "enum-typo-provider",
    "  provider: vendor",
    "  provider: vender",
    13,
    "program.provider",
    "did you mean vendor",
)
bad_value(
    "enum-typo-delivery",
    "  delivery: hybrid",
    "  delivery: hybird",
    15,
    "program.delivery",
    "did you mean hybrid",
)
bad_value(
    "enum-typo-funding", "  source: esser", "  source: ESSR", 27, "funding.source", "must be one of"
)
bad_value(
    "enum-words-instead-of-value",
    "  status: cba",
    "  status: union contract",
    10,
    "bargaining.status",
    "must be one of",
)

# ---- negative and absurd numbers


bad_value("negative-count", "  weeks: 20", "  weeks: -3", 18, "program.weeks", "cannot be negative")
bad_value(
    "negative-money-text",
    "  tutoring_hourly_rate: 45",
    '  tutoring_hourly_rate: "-$45"',
    25,
    "pay.tutoring_hourly_rate",
    "negative",
)
bad_value(
    "absurd-students",
    "  students: 300",
    "  students: 99999999999999999999999999",
    19,
    "program.students",
    "more than this could be",
)
bad_value(
    "absurd-minutes",
    "  minutes_per_session: 45",
    "  minutes_per_session: 100000",
    17,
    "program.minutes_per_session",
    "more than this could be",
)
bad_value(
    "money-infinite",
    "  tutoring_hourly_rate: 45",
    "  tutoring_hourly_rate: .inf",
    25,
    "pay.tutoring_hourly_rate",
    "amount of money",
)
bad_value(
    "money-not-a-number",
    "  tutoring_hourly_rate: 45",
    "  tutoring_hourly_rate: .nan",
    25,
    "pay.tutoring_hourly_rate",
    "amount of money",
)
bad_value(
    "money-overflows-float",
    "  tutoring_hourly_rate: 45",
    "  tutoring_hourly_rate: 1e400",
    25,
    "pay.tutoring_hourly_rate",
    "amount of money",
)
bad_value(
    "money-three-decimals",
    "  tutoring_hourly_rate: 45",
    '  tutoring_hourly_rate: "$45.125"',
    25,
    "pay.tutoring_hourly_rate",
    "amount of money",
)

# ---- dates that do not exist


bad_value(
    "date-february-29-not-leap",
    "  ends: 2027-06-30",
    "  ends: 2027-02-29",
    28,
    "funding.ends",
    "not a day on the calendar",
)
bad_value(
    "date-april-31",
    "  ends: 2027-06-30",
    "  ends: 2027-04-31",
    28,
    "funding.ends",
    "not a day on the calendar",
)
bad_value(
    "date-month-13",
    "  ends: 2027-06-30",
    "  ends: 2027-13-01",
    28,
    "funding.ends",
    "not a day on the calendar",
)
bad_value(
    "date-day-zero-us-style",
    "  ends: 2027-06-30",
    "  ends: 6/0/2027",
    28,
    "funding.ends",
    "not a day on the calendar",
)
bad_value(
    "date-year-1850",
    "  ends: 2027-06-30",
    "  ends: 1850-06-30",
    28,
    "funding.ends",
    "not a plausible date",
)
bad_value(
    "date-in-words", "  ends: 2027-06-30", "  ends: June 31st", 28, "funding.ends", "date like"
)

# ---- size


@case("one-megabyte-name")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  name: Cedar Hollow Education Association", "  name: " + "x" * 1_000_000)
    return Setup(ws.render(path), (str(path), "line 3", "local.name"), ("1,000,000 characters",))


@case("five-megabyte-file")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", GOOD + "# " + "x" * 5_000_000 + "\n")
    return Setup(ws.render(path), (str(path),), ("too large",))


@case("thousands-of-subjects")
def _(ws: Workspace) -> Setup:
    subjects = ", ".join(f"subject {n}" for n in range(5000))
    path = ws.answers("  subjects: [reading, math]", f"  subjects: [{subjects}]")
    return Setup(ws.render(path), (str(path), "line 21", "program.subjects"), ("30 or fewer",))


# ---- control characters, NUL bytes, surrogates, encodings


def _raw(name: str, char: str, code: str) -> None:
    @case(name)
    def _build(ws: Workspace) -> Setup:
        path = ws.answers("  name: Reading Boost", f"  name: Reading{char}Boost")
        return Setup(ws.render(path), (str(path), "line 12"), (code,))


_raw("raw-nul-byte", "\x00", "U+0000")
_raw("raw-bell", "\x07", "U+0007")
_raw("raw-escape", "\x1b", "U+001B")
_raw("raw-delete", "\x7f", "U+007F")
_raw("raw-c1-next-line", "\x85", "U+0085")


def _escaped(name: str, escape: str, code: str) -> None:
    @case(name)
    def _build(ws: Workspace) -> Setup:
        path = ws.answers("  name: Reading Boost", f'  name: "Reading{escape}Boost"')
        return Setup(ws.render(path), (str(path), "line 12", "program.name"), (code,))


_escaped("escaped-nul", r"\x00", "U+0000")
_escaped("escaped-bell-u0007", r"\u0007", "U+0007")
_escaped("escaped-vertical-tab", r"\v", "U+000B")
_escaped("escaped-not-a-character", r"\uFFFE", "U+FFFE")


@case("escaped-lone-surrogate")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  name: Reading Boost", r'  name: "Reading \ud800 Boost"')
    return Setup(ws.render(path), (str(path), "line 12"), ())


@case("escaped-lone-low-surrogate")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  name: Reading Boost", r'  name: "Reading \udc80 Boost"')
    return Setup(ws.render(path), (str(path), "line 12"), ())


@case("invalid-utf8-bytes")
def _(ws: Workspace) -> Setup:
    text = GOOD.replace("  name: Reading Boost", "  name: Reading \udcff Boost")
    path = ws.file("answers.yml", text.encode("utf-8", "surrogateescape"))
    return Setup(ws.render(path), (str(path), "line 12"), ("not UTF-8",))


@case("latin1-file")
def _(ws: Workspace) -> Setup:
    text = GOOD.replace("Ana Ruiz", "Ana Peña")
    path = ws.file("answers.yml", text.encode("latin-1"))
    return Setup(ws.render(path), (str(path), "line 4"), ("not UTF-8",))


@case("utf16-file")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", GOOD.encode("utf-16"))
    return Setup(ws.render(path), (str(path), "line 1"), ("not UTF-8",))


# ---- right-to-left text and emoji in a value that is wrong for other reasons


@case("rtl-text-as-a-state")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  state: OH", "  state: أوهايو")
    return Setup(ws.render(path), (str(path), "line 7", "district.state"), ("أوهايو",))


@case("emoji-in-an-enum")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  delivery: hybrid", "  delivery: hybrid 🎉")
    return Setup(ws.render(path), (str(path), "line 15", "program.delivery"), ("hybrid 🎉",))


@case("rtl-and-emoji-name-too-long")
def _(ws: Workspace) -> Setup:
    path = ws.answers(
        "  name: Cedar Hollow Education Association", "  name: " + "שלום 👩🏽‍🏫 " * 40
    )
    return Setup(ws.render(path), (str(path), "line 3", "local.name"), ("characters long",))


@case("rtl-school-year")
def _(ws: Workspace) -> Setup:
    path = ws.answers("school_year: 2026-27", "school_year: ٢٠٢٦-٢٧")
    return Setup(ws.render(path), (str(path), "line 8", "school_year"), ("school year like",))


# ---- template syntax where a name should be


bad_value(
    "template-print-in-local-name",
    "  name: Cedar Hollow Education Association",
    '  name: "{{ 7*7 }}"',
    3,
    "local.name",
    "template code",
)
bad_value(
    "template-block-in-district-name",
    "  name: Cedar Hollow School District",
    "  name: \"{% include '/etc/passwd' %}\"",
    6,
    "district.name",
    "template code",
)
bad_value(
    "template-comment-in-program-name",
    "  name: Reading Boost",
    '  name: "Boost {# hidden #}"',
    12,
    "program.name",
    "template code",
)
bad_value(
    "template-escape-in-vendor",
    "  vendor_name: BrightBridge Tutoring",
    "  vendor_name: \"{{ ''.__class__.__mro__ }}\"",
    14,
    "program.vendor_name",
    "template code",
)
bad_value(
    "template-in-a-list-item",
    "  subjects: [reading, math]",
    '  subjects: [reading, "{{ cycler.__init__.__globals__ }}"]',
    21,
    "program.subjects",
    "template code",
)

# ---- YAML anchors, aliases and bombs


@case("alias-bomb")
def _(ws: Workspace) -> Setup:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = ws.file("answers.yml", "\n".join(bomb) + "\n")
    return Setup(ws.render(path), (str(path), "line "), ("alias",))


@case("anchor-and-alias")
def _(ws: Workspace) -> Setup:
    path = ws.answers(
        "  grades: [K, 1, 2]\n  subjects: [reading, math]",
        "  grades: &g [K, 1, 2]\n  subjects: *g",
    )
    return Setup(ws.render(path), (str(path), "line "), ("alias",))


@case("alias-named-at-its-own-line")
def _(ws: Workspace) -> Setup:
    path = ws.answers("  subjects: [reading, math]", "  subjects: *grades")
    path.write_text(
        path.read_text(encoding="utf-8").replace("  grades: [K, 1, 2]", "  grades: &grades [K, 1]"),
        encoding="utf-8",
    )
    return Setup(ws.render(path), (str(path), "line 21"), ("alias",))


@case("merge-key")
def _(ws: Workspace) -> Setup:
    path = ws.answers(
        "district:\n  name: Cedar Hollow School District\n  state: OH",
        "district: &d\n  name: Cedar Hollow School District\n  state: OH\nother:\n  <<: *d",
    )
    return Setup(ws.render(path), (str(path), "line "), ("alias",))


@case("deeply-nested-lists")
def _(ws: Workspace) -> Setup:
    path = ws.file("answers.yml", "local: " + "[" * 5000 + "]" * 5000 + "\n")
    return Setup(ws.render(path), (str(path),), ())


@case("deeply-nested-mappings")
def _(ws: Workspace) -> Setup:
    lines = ["schema_version: 1"] + [" " * level + f"k{level}:" for level in range(300)]
    path = ws.file("answers.yml", "\n".join(lines) + " end\n")
    return Setup(ws.render(path), (str(path), "line 2", "k0"), ("not a field",))


# ---- files that are not there, or not files


@case("missing-answers-file")
def _(ws: Workspace) -> Setup:
    path = ws.root / "nope.yml"
    return Setup(ws.render(path), (str(path),), ("no such file",))


@case("folder-as-answers-file")
def _(ws: Workspace) -> Setup:
    path = ws.root / "answers.yml"
    path.mkdir()
    return Setup(ws.render(path), (str(path),), ("folder",))


@case("broken-symlink-as-answers-file")
def _(ws: Workspace) -> Setup:
    path = ws.root / "answers.yml"
    path.symlink_to(ws.root / "gone.yml")
    return Setup(ws.render(path), (str(path),), ("no such file",))


@case("symlink-loop-as-answers-file")
def _(ws: Workspace) -> Setup:
    path = ws.root / "answers.yml"
    path.symlink_to(path)
    return Setup(ws.render(path), (str(path),), ("cannot be read",))


@case("unreadable-answers-file")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: a chmod 000 file is still readable")
    return Setup(ws.render(path), (str(path),), ("permission denied",))


@case("device-as-answers-file")
def _(ws: Workspace) -> Setup:
    return Setup(ws.render(Path("/dev/zero")), ("/dev/zero",), ())


# ---- outputs


@case("output-is-a-file")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    ws.file("out", "my notes, not a folder\n")
    return Setup(ws.render(path), (str(ws.out),), ("is a file",))


@case("output-under-a-file")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    ws.file("notes.txt", "my notes\n")
    out = ws.root / "notes.txt" / "out"
    return Setup(["render", str(path), "-o", str(out)], (str(out),), ("cannot be created",))


@case("output-is-a-device")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    return Setup(["render", str(path), "-o", "/dev/null"], ("/dev/null",), ("not a folder",))


@case("output-read-only")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    ws.out.mkdir()
    ws.out.chmod(0o555)
    if os.access(ws.out, os.W_OK):
        pytest.skip("running as root: a read-only folder is still writable")
    return Setup(ws.render(path), (str(ws.out),), ("permission denied",))


@case("outputs-exist-without-force")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    slug = "cedar-hollow-education-association"
    ws.file(f"out/{slug}-mou.docx", b"the team's edited MOU")
    ws.file(f"out/{slug}-impact-questions.md", "the team's notes\n")
    return Setup(ws.render(path), (f"{slug}-mou.docx",), ("already exists", "--force"))


@case("output-name-taken-by-a-folder-even-with-force")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    taken = ws.out / "cedar-hollow-education-association-impact-questions.docx"
    taken.mkdir(parents=True)
    return Setup(ws.render(path, "--force"), (str(taken),), ("folder",))


@case("one-output-exists-as-a-symlink")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    target = ws.file("elsewhere.docx", b"someone else's file")
    ws.out.mkdir()
    (ws.out / "cedar-hollow-education-association-impact-questions.docx").symlink_to(target)
    return Setup(ws.render(path), ("impact-questions.docx",), ("already exists",))


@case("pdf-output-exists-without-force")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    ws.file("out/cedar-hollow-education-association-mou.pdf", b"%PDF-1.4 the signed copy")
    return Setup(ws.render(path, "--pdf"), ("mou.pdf",), ("already exists",))


# ---- --reference-docx that is not a Word file


@case("reference-docx-is-text")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    ref = ws.file("letterhead.docx", "not a word file\n")
    return Setup(ws.render(path, "--reference-docx", str(ref)), (str(ref),), ("Word",))


@case("reference-docx-broken-zip")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types><unclosed")
    ref = ws.file("letterhead.docx", buffer.getvalue())
    return Setup(ws.render(path, "--reference-docx", str(ref)), (str(ref),), ("Word",))


@case("reference-docx-truncated")
def _(ws: Workspace) -> Setup:
    import docx

    path = ws.answers()

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    ref = ws.file("letterhead.docx", buffer.getvalue()[:4000])
    return Setup(ws.render(path, "--reference-docx", str(ref)), (str(ref),), ("Word",))


@case("reference-docx-missing")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    ref = ws.root / "letterhead.docx"
    return Setup(ws.render(path, "--reference-docx", str(ref)), (str(ref),), ())


@case("reference-docx-is-a-folder")
def _(ws: Workspace) -> Setup:
    path = ws.answers()
    ref = ws.root / "letterhead.docx"
    ref.mkdir()
    return Setup(ws.render(path, "--reference-docx", str(ref)), (str(ref),), ())


# ---- a local's clause folder (--clauses) with broken or hostile clauses


def _clause(name: str, text: str, *words: str) -> None:
    @case(name)
    def _build(ws: Workspace) -> Setup:
        clause_file = ws.overlay(text)
        args = ws.render(ws.answers(), "--clauses", str(clause_file.parent))
        return Setup(args, (str(clause_file), "line 3", "our-own-words"), words)


_clause("clause-jinja-unclosed-print", "Paid {{ pay.tutoring_hourly_rate", "syntax error")
_clause("clause-jinja-unclosed-block", "{% if has_vendor %}Vendor tutors too.", "syntax error")
_clause("clause-jinja-unknown-tag", "{% exec 'rm -rf /' %}", "syntax error")
_clause("clause-sandbox-mro", "{{ ''.__class__.__mro__ }}", "unsafe")
_clause("clause-sandbox-globals", "{{ cycler.__init__.__globals__ }}", "unsafe")
_clause("clause-sandbox-format-escape", "{{ '{0.__class__}'.format(local) }}", "not available")
_clause("clause-huge-repetition", "{{ 'a' * 10**8 }}", "too long")
_clause("clause-huge-padding", "{{ '{:>3000000000}'.format('a') }}", "not available")
_clause("clause-huge-ljust", "{{ 'x'.ljust(3000000000) }}", "may not use")
_clause("clause-huge-power", "{{ 2 ** 100000000 }}", "not allowed")
_clause(
    "clause-runaway-loop", "{% for i in range(99999) %}tutoring {% endfor %}", "200,000 characters"
)
_clause("clause-huge-range", "{% for i in range(10**9) %}{% endfor %}", "too large")
_clause("clause-unknown-variable", "Paid {{ tutoring_rate }} an hour.", "tutoring_rate")
_clause("clause-unknown-field", "Paid {{ pay.tutoring_rate }} an hour.", "tutoring_rate")
_clause("clause-fill-unknown-field", "Paid {{ fill('pay.rate') }} an hour.", "pay.rate")


@case("clause-broken-rule")
def _(ws: Workspace) -> Setup:
    clause_file = ws.file(
        "ours/pay.yml",
        OVERLAY.format(text="Text.").replace(
            "    title: Our own words",
            "    title: Our own words\n    when: {field: program.provider, equal: vendor}",
        ),
    )
    args = ws.render(ws.answers(), "--clauses", str(clause_file.parent))
    return Setup(args, (str(clause_file), "line 6", "when"), ("did you mean equals",))


@case("clause-rule-on-unknown-field")
def _(ws: Workspace) -> Setup:
    clause_file = ws.file(
        "ours/pay.yml",
        OVERLAY.format(text="Text.").replace(
            "    title: Our own words",
            "    title: Our own words\n    when: {field: tutors.esp, equals: true}",
        ),
    )
    args = ws.render(ws.answers(), "--clauses", str(clause_file.parent))
    return Setup(args, (str(clause_file), "line 6"), ("tutors.esp",))


@case("clause-file-with-alias-bomb")
def _(ws: Workspace) -> Setup:
    clause_file = ws.file(
        "ours/pay.yml",
        "schema_version: 1\nx: &x [1, 2, 3]\ny: [*x, *x, *x]\nclauses: []\n",
    )
    args = ws.render(ws.answers(), "--clauses", str(clause_file.parent))
    return Setup(args, (str(clause_file), "line "), ("alias",))


@case("clauses-folder-missing")
def _(ws: Workspace) -> Setup:
    folder = ws.root / "ours"
    return Setup(ws.render(ws.answers(), "--clauses", str(folder)), (str(folder),), ())


@case("clauses-folder-is-a-file")
def _(ws: Workspace) -> Setup:
    folder = ws.file("ours", "not a folder\n")
    return Setup(ws.render(ws.answers(), "--clauses", str(folder)), (str(folder),), ())


# ---- batch: spreadsheets and lists from other people


@case("batch-csv-ragged-row-with-bom")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW])
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    lines = text.splitlines(keepends=True)
    path.write_text(
        lines[0] + lines[1].rstrip("\r\n").rsplit(",", 3)[0] + "\r\n", encoding="utf-8", newline=""
    )
    return Setup(
        ws.batch(path, "--dry-run"),
        ("row 2",),
        (f"row 2: has {len(COLUMNS) - 3} cells",),
        rows_in_stdout=True,
    )


@case("batch-csv-row-with-an-extra-cell")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW])
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        lines[0] + lines[1].rstrip("\r\n") + ",Article 9, Section 2\r\n",
        encoding="utf-8",
        newline="",
    )
    return Setup(ws.batch(path, "--dry-run"), ("row 2",), ("needs quotes",), rows_in_stdout=True)


@case("batch-csv-bad-value")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW, {**ROW, "local.name": "Pine Ridge EA", "funding.ends": "2027-02-29"}])
    return Setup(
        ws.batch(path, "--dry-run"),
        ("row 3",),
        ("row 3, column funding.ends", "not a day on the calendar"),
        rows_in_stdout=True,
    )


@case("batch-csv-nul-and-template-code")
def _(ws: Workspace) -> Setup:
    path = ws.csv([{**ROW, "local.name": "Pine\x00Ridge"}, {**ROW, "local.name": "{{ 7*7 }}"}])
    return Setup(
        ws.batch(path, "--dry-run"),
        ("rows 2 and 3",),
        ("row 2, column local.name", "U+0000", "row 3, column local.name", "template code"),
        rows_in_stdout=True,
    )


@case("batch-csv-same-folder-twice")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW, {**ROW, "local.name": "Cedar Hollow Education Association!"}])
    return Setup(
        ws.batch(path, "--dry-run"), ("rows 2 and 3",), ("same folder name",), rows_in_stdout=True
    )


@case("batch-csv-unknown-column")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW], columns=[*COLUMNS, "pay.tutoring_rate"])
    return Setup(
        ws.batch(path),
        (str(path), "row 1", "pay.tutoring_rate"),
        ("did you mean pay.tutoring_hourly_rate",),
    )


@case("batch-csv-missing-required-column")
def _(ws: Workspace) -> Setup:
    columns = [c for c in COLUMNS if c != "district.state"]
    path = ws.csv([ROW], columns=columns)
    return Setup(ws.batch(path), (str(path), "row 1"), ("district.state",))


@case("batch-csv-empty")
def _(ws: Workspace) -> Setup:
    path = ws.file("locals.csv", "")
    return Setup(ws.batch(path), (str(path),), ("empty",))


@case("batch-csv-header-only")
def _(ws: Workspace) -> Setup:
    path = ws.csv([])
    return Setup(ws.batch(path), (str(path),), ("no locals",))


@case("batch-csv-utf16")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW])
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("utf-16"))
    return Setup(ws.batch(path), (str(path), "line 1"), ("not UTF-8",))


@case("batch-csv-one-megabyte-cell")
def _(ws: Workspace) -> Setup:
    path = ws.csv([{**ROW, "program.name": "x" * 1_000_000}])
    return Setup(ws.batch(path), (str(path), "row 2"), ())


@case("batch-xlsx-no-such-sheet")
def _(ws: Workspace) -> Setup:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Locals"
    workbook.active.append(COLUMNS)
    workbook.active.append([ROW.get(c, "") for c in COLUMNS])
    path = ws.root / "locals.xlsx"
    workbook.save(path)
    return Setup(ws.batch(path, "--sheet", "Locols"), (str(path),), ("did you mean Locals",))


@case("batch-xlsx-corrupt")
def _(ws: Workspace) -> Setup:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(COLUMNS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = ws.file("locals.xlsx", buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return Setup(ws.batch(path), (str(path),), ("Excel workbook",))


@case("batch-xlsx-is-a-csv")
def _(ws: Workspace) -> Setup:
    path = ws.file("locals.xlsx", ",".join(COLUMNS) + "\n")
    return Setup(ws.batch(path), (str(path),), ("Excel workbook",))


def _workbook(ws: Workspace, *, sheet_xml: str | None = None, extra: bytes = b"") -> Path:
    """A one-local workbook saved by openpyxl; ``sheet_xml`` replaces its sheet's rows
    (inline-string cells), ``extra`` is added as one more part."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append([ROW.get(c) or None for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    if sheet_xml is None and not extra:
        return ws.file("locals.xlsx", buffer.getvalue())
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if sheet_xml is not None and item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start, end = text.index("<sheetData>"), text.index("</sheetData>")
                data = (text[: start + 11] + sheet_xml + text[end:]).encode()
            new.writestr(item, data)
        if extra:
            new.writestr("xl/media/padding.bin", extra)
    return ws.file("locals.xlsx", rebuilt.getvalue())


def _inline_row(number: int, cells: Iterable[tuple[str, str]]) -> str:
    inner = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{html.escape(text)}</t></is></c>'
        for col, text in cells
    )
    return f'<row r="{number}">{inner}</row>'


@case("batch-xlsx-16384-columns")
def _(ws: Workspace) -> Setup:
    from tutorbargain.batch import column_letter

    header = [(column_letter(i), c) for i, c in enumerate(COLUMNS)]
    wide = [*header, *((column_letter(i), "x") for i in range(len(COLUMNS), 16384))]
    path = _workbook(ws, sheet_xml=_inline_row(1, wide))
    return Setup(ws.batch(path), (str(path), "row 1", "column"), ("500 columns",))


@case("batch-xlsx-200000-rows")
def _(ws: Workspace) -> Setup:
    from tutorbargain.batch import column_letter

    header = _inline_row(1, [(column_letter(i), c) for i, c in enumerate(COLUMNS)])
    name = column_letter(COLUMNS.index("local.name"))
    rows = "".join(_inline_row(n, [(name, f"Local {n}")]) for n in range(2, 200_002))
    path = _workbook(ws, sheet_xml=header + rows)
    return Setup(ws.batch(path), (str(path), "row 20002"), ("20,000 locals",))


@case("batch-xlsx-zip-bomb")
def _(ws: Workspace) -> Setup:
    path = _workbook(ws, extra=bytes(300 * 1024 * 1024))
    return Setup(ws.batch(path), (str(path), "xl/media/padding.bin"), ("unpack",))


@case("batch-xlsx-merged-cells")
def _(ws: Workspace) -> Setup:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append([ROW.get(c) or None for c in COLUMNS])
    workbook.active.append(
        [{**ROW, "local.name": "Pine Valley EA"}.get(c) or None for c in COLUMNS]
    )
    workbook.active.merge_cells("B2:B3")
    path = ws.root / "locals.xlsx"
    workbook.save(path)
    return Setup(ws.batch(path), (str(path), "B2:B3"), ("merged",))


@case("batch-xlsx-formula-without-result")
def _(ws: Workspace) -> Setup:
    openpyxl = pytest.importorskip("openpyxl")
    from tutorbargain.batch import column_letter

    workbook = openpyxl.Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append([ROW.get(c) or None for c in COLUMNS])
    rate = f"{column_letter(COLUMNS.index('pay.tutoring_hourly_rate'))}2"
    workbook.active[rate] = "=40+5"  # openpyxl saves a formula without its result
    path = ws.root / "locals.xlsx"
    workbook.save(path)
    return Setup(ws.batch(path), (str(path), f"cell {rate}"), ("formula",))


@case("batch-csv-unclosed-quote")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW, {**ROW, "local.name": "Pine Valley EA"}])
    text = path.read_text(encoding="utf-8-sig").replace(
        "Cedar Hollow Education", '"Cedar Hollow Education', 1
    )
    path.write_text("\ufeff" + text, encoding="utf-8")
    return Setup(ws.batch(path, "--dry-run"), (str(path), "row 2 (line 2)"), ("never closed",))


@case("batch-old-excel-format")
def _(ws: Workspace) -> Setup:
    path = ws.file("locals.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return Setup(ws.batch(path), (str(path),), (".xlsx",))


@case("batch-sheet-option-on-csv")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW])
    return Setup(ws.batch(path, "--sheet", "Locals"), (str(path),), ("--sheet",))


@case("batch-yaml-one-local-not-a-list")
def _(ws: Workspace) -> Setup:
    path = ws.file("locals.yml", GOOD)
    return Setup(ws.batch(path), (str(path),), ("list of locals",))


@case("batch-yaml-item-with-alias")
def _(ws: Workspace) -> Setup:
    item = "  " + GOOD.replace("\n", "\n  ").rstrip()
    path = ws.file("locals.yml", f"- &first\n{item}\n- *first\n")
    return Setup(ws.batch(path), (str(path), "line "), ("alias",))


@case("batch-folder-as-spreadsheet")
def _(ws: Workspace) -> Setup:
    path = ws.root / "locals.csv"
    path.mkdir()
    return Setup(ws.batch(path), (str(path),), ("folder",))


@case("batch-output-is-a-file")
def _(ws: Workspace) -> Setup:
    path = ws.csv([ROW])
    ws.file("out", "my notes\n")
    return Setup(ws.batch(path), (str(ws.out),), ("is a file",))


# ---------------------------------------------------------------- running them


@dataclass
class Outcome:
    setup: Setup
    run: Run
    before: dict[str, object]
    after: dict[str, object] = field(default_factory=dict)


def snapshot(root: Path) -> dict[str, object]:
    """Every path under ``root`` with its kind, mode and content hash (symlinks not followed)."""
    state: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        key = str(path.relative_to(root))
        if path.is_symlink():
            state[key] = ("link", os.readlink(path))
        elif path.is_dir():
            state[key] = ("dir", info.st_mode)
        else:
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                digest = f"unreadable {info.st_size} {info.st_mtime_ns}"
            state[key] = ("file", info.st_mode, digest)
    return state


@contextlib.contextmanager
def memory_cap(limit: int) -> Iterator[None]:
    """Cap the address space of processes started inside (a memory bomb fails, not the host)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


_OUTCOMES: dict[str, Outcome | BaseException] = {}


def _run_case(name: str, root: Path) -> Outcome | BaseException:
    try:
        setup = CASES[name](Workspace(root))
    except BaseException as exc:  # pytest.skip() in a case's set-up, raised again in its test
        return exc
    before = snapshot(root)
    run = run_cli(setup.args, cwd=root)
    return Outcome(setup, run, before, snapshot(root))


@pytest.fixture(scope="module", autouse=True)
def _run_selected_cases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Run every selected case up front, one process per CPU: each run is a fresh interpreter,
    so running them side by side halves the catalogue's time on a two-core machine."""
    names: set[str] = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is request.module and callspec is not None:
            names.add(str(callspec.params.get("name")))
    pending = [name for name in CASES if name in names and name not in _OUTCOMES]
    roots = {name: tmp_path_factory.mktemp(name) for name in pending}
    with memory_cap(MEMORY_CAP), ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for name, result in zip(
            pending, pool.map(lambda n: _run_case(n, roots[n]), pending), strict=True
        ):
            _OUTCOMES[name] = result


def outcome(name: str) -> Outcome:
    """The run of a case (both tests below read the same run)."""
    result = _OUTCOMES[name]
    if isinstance(result, BaseException):
        raise result
    return result


KNOWN_BUGS: dict[str, str] = {}
"""Cases that break the contract today; each is reported, and fails loudly once fixed."""

POOR_MESSAGES: dict[str, str] = {}
"""Refused cleanly, but in words from inside Python; listed in the hardening report."""


def _marked(table: dict[str, str], *, leave_out: Iterable[str] = ()) -> list[object]:
    """Every case name, those in ``table`` marked as expected to fail for the reason given."""
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=table[name]))
        if name in table
        else name
        for name in CASES
        if name not in leave_out
    ]


@pytest.mark.parametrize("name", _marked(KNOWN_BUGS))
def test_refused_cleanly(name: str) -> None:
    result = outcome(name)
    run, setup = result.run, result.setup
    assert run.code == 1, run
    assert "Traceback" not in run.err + run.out
    assert run.err.startswith("Error: "), run.err
    assert len(re.findall(r"^Error: ", run.err, re.MULTILINE)) == 1, run.err
    for piece in setup.where:
        assert piece in run.err, (piece, run.err)
    told = run.out + run.err if setup.rows_in_stdout else run.err
    for words in setup.words:
        assert words in told, (words, told)
    assert result.after == result.before, "a refused input must not write or change any file"


@pytest.mark.parametrize("name", _marked(POOR_MESSAGES, leave_out=KNOWN_BUGS))
def test_message_is_plain_words(name: str) -> None:
    run = outcome(name).run
    found = JARGON.search(run.err)
    assert found is None, f"{found.group()!r} in: {run.err}"
    assert len(run.err) < 3000, "a message must not echo a huge value back"


def test_catalogue_is_big_enough() -> None:
    assert len(CASES) >= 60


# ---------------------------------------------------------------- inputs that must be accepted


ACCEPTED = {
    "arabic-local-name": ("local.name", "نقابة معلمي سيدار هولو"),
    "hebrew-and-emoji-district": ("district.name", "מחוז בית הספר 🏫 Cedar Hollow"),
    "emoji-with-skin-tone-and-zwj": ("local.name", "Teachers 👩🏽‍🏫 United"),
    "combining-marks": ("local.name", "Asociación de Educadores de Pen\u0303a"),
    "astral-plane-letters": ("program.name", "𝐑𝐞𝐚𝐝𝐢𝐧𝐠 𝔅𝔬𝔬𝔰𝔱 𐐀"),
    "bidi-marks-mixed-direction": ("district.name", "Distrito \u200fمدرسة\u200e 12"),
    "markup-lookalikes": ("program.name", "# Boost | *Math* & <Reading> [1] AT&amp;T ~~old~~"),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_unusual_but_valid_text_renders_exactly(name: str, tmp_path: Path) -> None:
    """Right-to-left text, emoji and combining marks are real names: they render, unchanged."""
    dotted, value = ACCEPTED[name]
    section, key = dotted.split(".")
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    text = re.sub(
        rf"(?m)^({section}:\n(?:  .*\n)*?)  {key}: .*$", rf"\g<1>  {key}: {quoted}", GOOD, count=1
    )
    assert quoted in text
    # Saved the way Windows Notepad saves: a byte-order mark and CRLF line ends.
    answers = tmp_path / "answers.yml"
    answers.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "out"
    result = run_cli(["render", str(answers), "-o", str(out)])
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    for document in ("mou", "impact-questions"):
        assert value in docx_text(next(out.glob(f"*-{document}.docx"))), document
    markdown = next(out.glob("*-impact-questions.md")).read_text(encoding="utf-8")
    assert value in markdown_words(markdown), "the Markdown must show the words, not markup"


def markdown_words(text: str) -> str:
    """What a reader sees of Markdown in a browser (GitHub-style): the rendered text."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))
