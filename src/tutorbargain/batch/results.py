"""Every row's `RowResult`, kept on disk while a batch runs (`RowResults`).

A state affiliate's run of thousands of locals must not grow with its rows: a result is a
kilobyte or more of text (its files, problems and warnings), so the results go, one line of
JSON each, to an unnamed temporary file the system deletes when it is closed, and only the
row number and where its line starts stay in memory. They are read back in row order for the
report, the PDFs and the summary. JSON, not pickle: reading the file back runs no code.
"""

from __future__ import annotations

import json
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, overload

from tutorbargain.batch.report import RowResult, Status


class RowResults(Sequence[RowResult]):
    """Results in the order added, or in row order once `sort` has been called."""

    def __init__(self, results: Iterable[RowResult] = ()) -> None:
        # Open as long as the results are: closed, and so deleted, when they are.
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="tutorbargain-results-")  # noqa: SIM115
        self._numbers = array("q")
        self._starts = array("q")
        self._sizes = array("q")
        self._end = 0
        self._statuses: Counter[Status] = Counter()
        for result in results:
            self.append(result)

    def append(self, result: RowResult) -> None:
        # ASCII with \u escapes: any text survives, a lone surrogate too.
        line = json.dumps(_fields(result)).encode() + b"\n"
        self._file.seek(self._end)
        self._file.write(line)
        self._numbers.append(result.number)
        self._starts.append(self._end)
        self._sizes.append(len(line))
        self._end += len(line)
        self._statuses[result.status] += 1

    def sort(self) -> None:
        """Put the results in row order (workers finish rows out of order)."""
        order = sorted(range(len(self._numbers)), key=self._numbers.__getitem__)
        self._numbers = array("q", (self._numbers[i] for i in order))
        self._starts = array("q", (self._starts[i] for i in order))
        self._sizes = array("q", (self._sizes[i] for i in order))

    def count(self, *statuses: Status) -> int:
        """How many results have any of ``statuses`` (kept as they are added: no reading)."""
        return sum(self._statuses[status] for status in statuses)

    def __len__(self) -> int:
        return len(self._numbers)

    @overload
    def __getitem__(self, index: int) -> RowResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[RowResult]: ...
    def __getitem__(self, index: int | slice) -> RowResult | list[RowResult]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        self._file.seek(self._starts[index])
        return _result(json.loads(self._file.read(self._sizes[index])))

    def __iter__(self) -> Iterator[RowResult]:
        for index in range(len(self)):
            yield self[index]

    def __repr__(self) -> str:
        return f"RowResults({len(self)} rows)"


def _fields(result: RowResult) -> list[object]:
    return [
        result.number,
        result.label,
        result.local,
        result.status.value,
        result.files,
        result.problems,
        result.placeholders,
        result.warnings,
        result.exists,
    ]


def _result(fields: list[object]) -> RowResult:
    number, label, local, status, files, problems, placeholders, warnings, exists = fields
    assert isinstance(number, int) and isinstance(label, str) and isinstance(local, str)
    assert isinstance(status, str) and isinstance(exists, bool)
    return RowResult(
        number,
        label,
        local,
        Status(status),
        files=_texts(files),
        problems=_texts(problems),
        placeholders=_texts(placeholders),
        warnings=_texts(warnings),
        exists=exists,
    )


def _texts(value: object) -> tuple[str, ...]:
    assert isinstance(value, list)
    return tuple(str(item) for item in value)


__all__ = ["RowResults"]
