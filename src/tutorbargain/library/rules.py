"""Declarative `when` rules: parse them from clause files, check them, and evaluate them.

A rule is data, never code: ``all`` / ``any`` / ``not`` over comparisons of one answer with a
value, or with another answer (``gt_field``, ``gte_field``; an unanswered one with a default,
such as a proposal term, counts at its default). Evaluating one returns the verdict and, in
words, the answers that decided it, so `explain` can tell a bargaining team why each clause is
in or out.

    when:
      all:
        - {field: program.provider, in: [vendor, mixed]}
        - not: {field: bargaining.status, equals: none}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Union

from tutorbargain.answers.defaults import note_default
from tutorbargain.answers.fields import BY_NAME, Field
from tutorbargain.answers.kinds import LISTED, ORDERED
from tutorbargain.answers.reading import Answers, ValueProblem, parse_value

OPERATORS = (
    "equals",
    "not_equals",
    "in",
    "not_in",
    "gt",
    "gte",
    "lt",
    "lte",
    "is_set",
    "contains",
    "gt_field",
    "gte_field",
)
FIELD_OPERATORS = {"gt_field": "gt", "gte_field": "gte"}
"""Comparisons of an answer with another answer, each with the comparison it makes."""


class RuleProblem(ValueError):
    """A rule that cannot work: unknown field, unknown operator, value outside the field's type.

    ``code`` is ``rule-shape`` when the rule is not laid out as a rule at all (so a reader
    needs to see what one looks like), ``bad-rule`` otherwise.
    """

    def __init__(self, message: str, code: str = "bad-rule") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Compare:
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class AllOf:
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class AnyOf:
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Not:
    rule: Rule


@dataclass(frozen=True)
class Always:
    pass


Rule = Union[Compare, AllOf, AnyOf, Not, Always]  # noqa: UP007 (a recursive alias)


@dataclass(frozen=True)
class Verdict:
    """Whether a rule holds for a set of answers, and the answers that decided it, in words."""

    matched: bool
    reasons: tuple[str, ...]


# ---------------------------------------------------------------- parsing


def parse_rule(data: object) -> Rule:
    """Parse a ``when`` value; raise `RuleProblem` with a message a clause author can act on."""
    if data is None or data == "always":
        return Always()
    if not isinstance(data, Mapping):
        raise RuleProblem(
            "a rule must be a mapping like {field: tutors.esps, equals: true}, "
            "or all:/any:/not:, or the word always",
            "rule-shape",
        )
    keys = set(data)
    for combinator, cls in (("all", AllOf), ("any", AnyOf)):
        if combinator in keys:
            if keys != {combinator}:
                raise RuleProblem(f"'{combinator}:' must stand alone in its rule")
            items = data[combinator]
            if not isinstance(items, Sequence) or isinstance(items, str) or not items:
                raise RuleProblem(f"'{combinator}:' needs a list of one or more rules")
            return cls(tuple(parse_rule(item) for item in items))
    if "not" in keys:
        if keys != {"not"}:
            raise RuleProblem("'not:' must stand alone in its rule")
        return Not(parse_rule(data["not"]))
    if "field" not in keys:
        raise RuleProblem(
            f"a rule needs 'field:' or all/any/not; found {sorted(map(str, keys))}", "rule-shape"
        )
    name = data["field"]
    f = BY_NAME.get(str(name))
    if f is None:
        from tutorbargain.schema import did_you_mean

        hint = did_you_mean(str(name), BY_NAME)
        raise RuleProblem(f"field '{name}' is not in the answers schema{hint}")
    ops = keys - {"field"}
    if len(ops) != 1:
        raise RuleProblem(f"a comparison of {name} needs exactly one of: {', '.join(OPERATORS)}")
    op = str(ops.pop())
    if op not in OPERATORS:
        from tutorbargain.schema import did_you_mean

        raise RuleProblem(f"unknown comparison '{op}'{did_you_mean(op, OPERATORS)}")
    return Compare(f.name, op, _parse_operand(f, op, data[op]))


def _parse_operand(f: Field, op: str, raw: object) -> Any:
    if op == "is_set":
        if not isinstance(raw, bool):
            raise RuleProblem(f"is_set takes true or false, not {raw!r}")
        return raw
    if op in FIELD_OPERATORS:
        other = BY_NAME.get(str(raw))
        if other is None:
            raise RuleProblem(f"{op} names '{raw}', which is not in the answers schema")
        if other.kind is not f.kind or f.kind not in ORDERED:
            raise RuleProblem(f"{op} compares two numbers of one kind; {f.name} and {raw} differ")
        return other.name
    if op in ("gt", "gte", "lt", "lte") and f.kind not in ORDERED:
        raise RuleProblem(f"'{op}' needs a number, money or date field; {f.name} is {f.kind.value}")
    if op in ("in", "not_in"):
        if not isinstance(raw, list) or not raw:
            raise RuleProblem(f"'{op}' needs a list of values for {f.name}")
        return tuple(_one_value(f, item) for item in raw)
    if op == "contains":
        if f.kind not in LISTED:
            raise RuleProblem(f"'contains' needs a list field; {f.name} is {f.kind.value}")
        return _one_value(f, raw)
    return _one_value(f, raw)


def _one_value(f: Field, raw: object) -> Any:
    try:
        if f.kind in LISTED:
            parsed = parse_value(f, [raw])
            return parsed[0] if parsed else None
        value = parse_value(f, raw)
    except ValueProblem as exc:
        raise RuleProblem(f"the value for {f.name} {exc}") from None
    if value is None:
        raise RuleProblem(f"use is_set: false to test that {f.name} has no answer")
    return value


# ---------------------------------------------------------------- evaluating

_Answer = Callable[[str], Any]


def evaluate(rule: Rule, answers: Answers) -> Verdict:
    """Decide ``rule`` for ``answers``, with the deciding answers in words."""
    return _evaluate(rule, answers.get)


def _evaluate(rule: Rule, get: _Answer) -> Verdict:
    if isinstance(rule, Always):
        return Verdict(True, ("it applies to every program",))
    if isinstance(rule, Compare):
        return _compare(rule, get)
    if isinstance(rule, Not):
        return _negated(rule.rule, get)
    verdicts = [_evaluate(child, get) for child in rule.rules]
    if isinstance(rule, AllOf):
        matched = all(v.matched for v in verdicts)
        deciding = verdicts if matched else [v for v in verdicts if not v.matched]
    else:
        matched = any(v.matched for v in verdicts)
        deciding = [v for v in verdicts if v.matched] if matched else verdicts
    return Verdict(matched, tuple(dict.fromkeys(r for v in deciding for r in v.reasons)))


def _compare(rule: Compare, get: _Answer) -> Verdict:
    f = BY_NAME[rule.field]
    actual = get(rule.field)
    op, expected = rule.op, rule.value
    said = f"{f.label}: {f.words_for(actual)}"
    if op == "is_set":
        matched = (actual is not None) == expected
        return Verdict(matched, (said if matched else f"{said} (needs {_needs(f, op, expected)})",))
    if op in FIELD_OPERATORS:
        other = BY_NAME[expected]
        other_value, default = get(other.name), ""
        if other_value is None and other.default is not None:
            other_value, default = other.default, " (the default)"
            if actual is not None:
                note_default(other.name)  # the default decided it: the team should know
        compare = FIELD_OPERATORS[op]
        matched = (
            actual is not None and other_value is not None and _OPS[compare](actual, other_value)
        )
        if not matched and other_value is not None:
            said = f"{said} (needs {_needs(f, compare, other_value)})"
        return Verdict(
            matched, (f"{said}; {other.label}: {other.words_for(other_value)}{default}",)
        )
    # An unanswered field matches only the negative comparisons.
    matched = op in ("not_equals", "not_in") if actual is None else _OPS[op](actual, expected)
    if not matched:
        said = f"{said} (needs {_needs(f, op, expected)})"
    return Verdict(matched, (said,))


_OPPOSITE = {"equals": "not_equals", "not_equals": "equals", "in": "not_in", "not_in": "in"}
_NEEDS_SUFFIX = re.compile(r" \(needs [^()]*\)")


def _negated(rule: Rule, get: _Answer) -> Verdict:
    """``not`` a rule, with reasons that say what the negation needs, not what the inner rule
    did ("already negotiated: no", or "(needs anything but yes)" when it fails)."""
    inner = _evaluate(rule, get)
    matched = not inner.matched
    if not isinstance(rule, Compare) or rule.op in FIELD_OPERATORS:
        return Verdict(matched, tuple(_NEEDS_SUFFIX.sub("", r) for r in inner.reasons))
    f = BY_NAME[rule.field]
    said = f"{f.label}: {f.words_for(get(rule.field))}"
    if not matched:
        if rule.op in _OPPOSITE:
            needs = _needs(f, _OPPOSITE[rule.op], rule.value)
        elif rule.op == "is_set":
            needs = _needs(f, "is_set", not rule.value)
        else:
            needs = f"anything but {_needs(f, rule.op, rule.value)}"
        said = f"{said} (needs {needs})"
    return Verdict(matched, (said,))


def _needs(f: Field, op: str, expected: Any) -> str:
    """What a comparison asks for, in words: "needs one of in person or hybrid"."""
    if op == "is_set":
        return "an answer" if expected else "no answer"
    if op in ("in", "not_in"):
        words = " or ".join(f.words_for(v) for v in expected)
        return words if op == "in" else f"anything but {words}"
    if op == "contains":
        return f"{f.words_for([expected])} among them"
    if op == "equals":
        return f.words_for(expected)
    if op == "not_equals":
        return f"anything but {f.words_for(expected)}"
    return f"{_OP_WORDS[op].removeprefix('is ')} {f.words_for(expected)}"


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda a, b: bool(a == b),
    "not_equals": lambda a, b: bool(a != b),
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "gt": lambda a, b: bool(a > b),
    "gte": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b),
    "lte": lambda a, b: bool(a <= b),
    "contains": lambda a, b: b in a,
}


_OP_WORDS = {
    "equals": "is",
    "not_equals": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "contains": "includes",
    "gt_field": "is more than",
    "gte_field": "is at least",
}


def describe_rule(rule: Rule) -> str:
    """A rule in words, for `clauses show` and the linter's reports."""
    if isinstance(rule, Always):
        return "always"
    if isinstance(rule, Not):
        return f"not ({describe_rule(rule.rule)})"
    if isinstance(rule, AllOf | AnyOf):
        joiner = " and " if isinstance(rule, AllOf) else " or "
        return joiner.join(
            f"({describe_rule(child)})"
            if isinstance(child, AllOf | AnyOf)
            else describe_rule(child)
            for child in rule.rules
        )
    f = BY_NAME[rule.field]
    if rule.op == "is_set":
        return f"{f.label} is {'answered' if rule.value else 'not answered'}"
    if rule.op in FIELD_OPERATORS:
        return f"{f.label} {_OP_WORDS[rule.op]} {BY_NAME[rule.value].label}"
    values = rule.value if rule.op in ("in", "not_in") else (rule.value,)
    words = ", ".join(f'"{f.words_for(v)}"' for v in values)
    return f"{f.label} {_OP_WORDS[rule.op]} {words}"


def fields_in(rule: Rule) -> set[str]:
    """Every answer a rule reads, for the linter and the interview."""
    if isinstance(rule, Compare):
        extra = {rule.value} if rule.op in FIELD_OPERATORS else set()
        return {rule.field, *extra}
    if isinstance(rule, Not):
        return fields_in(rule.rule)
    if isinstance(rule, AllOf | AnyOf):
        return set().union(*(fields_in(child) for child in rule.rules))
    return set()


def evaluate_values(rule: Rule, values: Mapping[str, Any]) -> bool:
    """Decide a rule over a plain mapping of answers (missing names count as unanswered)."""
    return _evaluate(rule, lambda name: values.get(name)).matched
