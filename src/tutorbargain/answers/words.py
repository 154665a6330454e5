"""Money, dates, counts and lists in the words an agreement writes them.

The field-kinds table, the templates and the cost appendix all print amounts; they share these
functions so $1,500 is written one way everywhere and the cost appendix does not depend on
template code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from tutorbargain.answers.fields import GRADE_VALUES


def money(value: Decimal | int | float) -> str:
    """An amount as an agreement writes it: $41.80, $1,500 (whole thousands drop the cents)."""
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    if amount == amount.to_integral_value() and abs(amount) >= 1000:
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


def dollars(value: Decimal) -> str:
    """A yearly amount in whole dollars, rounded half up: $315,000, $750."""
    return f"${value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"


def rate_words(value: Decimal) -> str:
    """An amount per hour, in dollars and cents, rounded half up: $45.00."""
    return f"${value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def count_words(value: int) -> str:
    """A whole number with thousands marked: 1,200."""
    return f"{value:,}"


def long_date(value: dt.date) -> str:
    """June 30, 2027."""
    return f"{value:%B} {value.day}, {value.year}"


def and_list(items: Sequence[object], conjunction: str = "and") -> str:
    """a, b and c (or ``conjunction`` for the last join)."""
    words = [str(item) for item in items]
    if len(words) <= 2:
        return f" {conjunction} ".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def grades_words(grades: Sequence[str]) -> str:
    """K, 1, 2, 3 -> "K through 3"; K, 3, 5 -> "K, 3 and 5"."""
    positions = [GRADE_VALUES.index(g) for g in grades]
    if len(grades) > 2 and positions == list(range(positions[0], positions[-1] + 1)):
        return f"{grades[0]} through {grades[-1]}"
    return and_list(grades)


def with_the(name: str) -> str:
    """A proper name as a sentence uses it: "the Ohio Education Association"; a name that
    already starts with "the" (or "The") is left as written."""
    return name if name.lower().startswith("the ") else f"the {name}"
