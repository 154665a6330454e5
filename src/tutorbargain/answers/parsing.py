"""Parsing one value of each kind of field: what a user typed, or YAML or a spreadsheet gave.

Internal to the answers package: `kinds.KINDS` names the parser for each kind, and
`kinds.parse_value` is the entry point (it handles a blank and the field's range). Each
parser returns the field's typed value or raises `ValueProblem` in plain words.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from tutorbargain.answers.fields import GRADE_VALUES, STATE_NAMES, STATES, Field
from tutorbargain.schema import closest, did_you_mean, shown


class ValueProblem(ValueError):
    """A value that does not fit its field; the message is already in plain words."""


_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TEMPLATE_CODE = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
MONEY_PATTERN = re.compile(r"^\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidirectional embedding, override and isolate controls (the "Trojan Source" characters)."""


def clean_text(raw: str, *, max_length: int) -> str:
    """Collapse whitespace and refuse characters a Word document cannot hold."""
    bad = _BAD_CHARS.search(raw)
    if bad:
        code = f"U+{ord(bad.group()):04X}"
        raise ValueProblem(f"contains an invisible control character ({code}); remove it")
    bidi = _BIDI.search(raw)
    if bidi:  # they reorder what a reader sees: "Cedar EA" can show as something else
        code = f"U+{ord(bidi.group()):04X}"
        raise ValueProblem(
            f"contains an invisible text-direction control ({code}), which can make the "
            "words show in a different order than they are stored; remove it"
        )
    text = " ".join(raw.split())
    if len(text) > max_length:
        raise ValueProblem(f"is {len(text):,} characters long; keep it to {max_length} or fewer")
    if _TEMPLATE_CODE.search(text):
        raise ValueProblem(
            f"{shown(text)} contains template code ({{{{ }}}} or {{% %}}), which looks like "
            "an unfilled mail-merge field; type the real words"
        )
    return text


def parse_text(f: Field, raw: object) -> str:
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueProblem(f"must be text, not {kind_of(raw)}")
    if not isinstance(raw, str):
        raise ValueProblem(f"must be text; put {raw} in quotes if you mean it as words")
    return clean_text(raw, max_length=f.max_length)


def parse_bool(f: Field, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueProblem(f"must be yes or no, not {shown(raw)}")


def parse_count(f: Field, raw: object) -> int:
    if isinstance(raw, bool):
        raise ValueProblem(f"must be a whole number, not {shown(raw)}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*\d{1,3}(,\d{3})*\s*|\s*\d+\s*", raw):
        digits = raw.replace(",", "").strip()
        if len(digits) > 18:  # int() of a 5,000-digit text is a Python error, not a count
            raise ValueProblem(f"is out of range (a number of {len(digits):,} digits)")
        return int(digits)
    raise ValueProblem(f"must be a whole number, not {shown(raw)}")


def parse_money(f: Field, raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise ValueProblem(f"must be an amount of money like 40 or $40.00, not {shown(raw)}")
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueProblem("must be an amount of money like 40 or $40.00")
        if raw < 0:
            raise ValueProblem(f"cannot be negative ({raw})")
        value = Decimal(str(raw))
    elif isinstance(raw, str) and MONEY_PATTERN.match(raw.strip()):
        value = Decimal(raw.strip().lstrip("$").strip().replace(",", ""))
    elif isinstance(raw, str) and raw.strip().startswith("-"):
        raise ValueProblem(f"cannot be negative ({raw.strip()})")
    else:
        raise ValueProblem(f"must be an amount of money like 40 or $40.00, not {shown(raw)}")
    try:
        return value.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueProblem("must be an amount of money like 40 or $40.00") from None


def parse_date(f: Field, raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise ValueProblem(f"must be a date like 2027-06-30, not {shown(raw)}")
    text = raw.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    us = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif us:
        month, day, year = (int(part) for part in us.groups())
    else:
        raise ValueProblem(f"must be a date like 2027-06-30, not {shown(raw)}")
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{text} is not a day on the calendar") from None
    if not 2000 <= value.year <= 2100:
        raise ValueProblem(f"{text} is not a plausible date for this program")
    return value


def parse_choice(f: Field, raw: object) -> str:
    values = f.choice_values()
    if isinstance(raw, str):
        word = raw.strip()
        if word in values:
            return word
        lowered = word.lower().replace("-", "_").replace(" ", "_")
        if lowered in values:
            return lowered
        for value, words in f.choices:
            if word.lower() == words.lower():
                return value
    hint = did_you_mean(str(raw), values)
    raise ValueProblem(f"must be one of {', '.join(values)}, not {shown(raw)}{hint}")


def parse_list(f: Field, raw: object) -> list[str]:
    items: list[object]
    if isinstance(raw, str):
        items = [part for part in raw.split(";")]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    else:
        raise ValueProblem(f"must be a list, like [math, reading], not {shown(raw)}")
    out: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ValueProblem(f"must be a list of words, but one item is {kind_of(item)}")
        text = clean_text(str(item), max_length=f.max_length)
        if text and f.choices:
            text = parse_choice(f, text)
        if text and text not in out:
            out.append(text)
    if len(out) > 30:
        raise ValueProblem(f"has {len(out)} items; list 30 or fewer")
    return out


def parse_grades(f: Field, raw: object) -> list[str]:
    items: list[object]
    if isinstance(raw, str):
        items = [part.strip() for part in re.split(r"[;,]", raw)]
    elif isinstance(raw, list | tuple):
        items = list(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        items = [raw]
    else:
        raise ValueProblem(f"must be a list of grades like [K, 1, 2], not {shown(raw)}")
    grades: set[str] = set()
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, bool):
            raise ValueProblem(f"grades are K and 1 to 12; {shown(item)} is not a grade")
        text = str(item).strip()
        span = re.fullmatch(r"(\w+)\s*(?:-|–|to|through)\s*(\w+)", text, flags=re.IGNORECASE)
        if span:  # a range like K-5 or 6 to 8
            first, last = (_grade(part, item) for part in span.groups())
            low, high = sorted((GRADE_VALUES.index(first), GRADE_VALUES.index(last)))
            grades.update(GRADE_VALUES[low : high + 1])
        else:
            grades.add(_grade(text, item))
    return [grade for grade in GRADE_VALUES if grade in grades]


def _grade(text: str, item: object) -> str:
    word = text.strip().upper()
    if word in ("KG", "KINDERGARTEN", "0"):
        word = "K"
    if word not in GRADE_VALUES:
        raise ValueProblem(f"grades are K and 1 to 12; {shown(item)} is not a grade")
    return word


def parse_state(f: Field, raw: object) -> str:
    if isinstance(raw, str) and raw.strip().upper() in STATES:
        return raw.strip().upper()
    by_name = {name.lower().removeprefix("the "): code for code, name in STATE_NAMES.items()}
    if isinstance(raw, str) and " ".join(raw.lower().split()) in by_name:
        return by_name[" ".join(raw.lower().split())]
    hint = ""
    if isinstance(raw, str):
        words = " ".join(raw.lower().split())
        if len(words) > 2:  # a state's name misspelt ("Minesota"): the code of the closest name
            close = closest(words, by_name)
            hint = (
                f" (did you mean {by_name[close]}, {STATE_NAMES[by_name[close]]}?)" if close else ""
            )
        else:
            hint = did_you_mean(raw.strip().upper(), STATES)
    raise ValueProblem(
        f"must be a two-letter state code like OH or CA, or a state's name, not {shown(raw)}{hint}"
    )


def parse_school_year(f: Field, raw: object) -> str:
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    match = re.fullmatch(r"(20\d\d)\s*[-/–]\s*(\d{2}|20\d\d)", text)
    if match:
        first = int(match.group(1))
        second = int(match.group(2)[-2:])
        if second == (first + 1) % 100:
            return f"{first}-{second:02d}"
        raise ValueProblem(
            f"{text} does not name two years in a row; "
            f"write it like {first}-{(first + 1) % 100:02d}"
        )
    raise ValueProblem(f"must be a school year like 2026-27, not {shown(raw)}")


def check_range(f: Field, value: int | Decimal, unit: str = "") -> None:
    """Refuse a number outside the field's limits; ``unit`` ("$") goes before each number."""
    if f.minimum is not None and value < f.minimum:
        if value < 0:
            raise ValueProblem(f"cannot be negative ({unit}{value})")
        raise ValueProblem(f"must be at least {unit}{f.minimum}, not {unit}{value}")
    if f.maximum is not None and value > f.maximum:
        raise ValueProblem(
            f"{unit}{value:,} is more than this could be; the most allowed is {unit}{f.maximum:,}"
        )


def kind_of(raw: object) -> str:
    """What a value from a file is, in words: "a list", "a number"."""
    if isinstance(raw, dict):
        return "a section of fields"
    if isinstance(raw, list | tuple):
        return "a list"
    if isinstance(raw, bool):
        return "yes/no"
    if isinstance(raw, int | float):
        return "a number"
    if isinstance(raw, bytes):
        return "binary data (a !!binary value)"
    if isinstance(raw, set | frozenset):
        return "a set (a !!set value)"
    return "text"
