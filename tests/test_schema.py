"""The words every file format shares for its schema_version and its keys."""

from __future__ import annotations

import pytest

from tutorbargain.schema import did_you_mean, unknown_keys, version_problem


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (1, None),
        (2, None),
        (None, "is missing: put 'schema_version: 2' at the top"),
        (3, "is 3, newer than this tutorbargain understands; upgrade tutorbargain"),
        (0, 'must be 1 or 2, not "0"'),
        ("2", 'must be 1 or 2, not "2"'),  # quoted in YAML: text, not a number
        (True, "must be 1 or 2, not a yes/no answer (yes)"),
        ([2], "must be 1 or 2, not a list"),
    ],
)
def test_version_problem(version: object, expected: str | None) -> None:
    got = version_problem(version, (1, 2))
    if expected is None:
        assert got is None
    else:
        assert got is not None and got.startswith(expected)


def test_a_missing_version_may_be_allowed() -> None:
    assert version_problem(None, (1,), required=False) is None
    assert version_problem(None, (1,)) == "is missing: put 'schema_version: 1' at the top"


def test_unknown_keys_suggest_the_nearest() -> None:
    found = unknown_keys(["schema_version", "claueses", "zzz"], {"schema_version", "clauses"})
    assert found == [
        ("claueses", "is not a key this file can hold (did you mean clauses?)"),
        ("zzz", "is not a key this file can hold"),
    ]
    assert did_you_mean("pay.tutoring_rat", ["pay.tutoring_rate"]) == (
        " (did you mean pay.tutoring_rate?)"
    )
