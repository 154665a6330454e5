"""What `clauses lint` reports: findings, each at a file, line and key, and the report of a run."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from tutorbargain.errors import Place
from tutorbargain.library.model import KINDS, Library

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem in one place: the file, its line, the key path, and what to change."""

    file: str
    line: int | None
    key: str
    """Where in the file, as a key path like ``clauses[3].when``; empty for a whole file."""
    message: str
    severity: Severity = "error"
    entry: str = ""
    """The clause or question id the finding is about, when there is one."""

    @property
    def where(self) -> Place:
        """The finding's place, which words it as every message does."""
        return Place(self.file, self.line, self.key)

    @property
    def location(self) -> str:
        """``file:line``, the form editors and terminals turn into a link."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        key = self.key + (f" ({self.entry})" if self.entry else "")
        where = f"{key}: " if key else ""
        return f"{self.location}: {self.severity}: {where}{self.message}"


@dataclass
class LintReport:
    """The findings of one lint run, and the merged library when it could be loaded."""

    findings: list[Finding]
    library: Library | None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def by_file(self) -> dict[str, list[Finding]]:
        """Findings grouped by file, files in name order, findings in line order."""
        groups: dict[str, list[Finding]] = {}
        for finding in sorted(self.findings, key=sort_key):
            groups.setdefault(finding.file, []).append(finding)
        return groups

    def summary(self) -> str:
        """One line: the counts, or that the library is clean."""
        if not self.findings:
            lib = self.library
            if lib is None:
                return "The clause library is clean."
            kinds = Counter(e.kind for e in lib.entries())
            counts = [_count(kinds[kind], kind) for kind, _ in KINDS if kinds[kind]]
            return f"The clause library is clean: {', '.join(counts)}, " + (
                f"{_count(len(lib.topics), 'topic')}."
            )
        files = len({f.file for f in self.findings})
        return (
            f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')} "
            f"in {_count(files, 'file')}."
        )

    def lines(self) -> list[str]:
        """What `clauses lint` prints before the summary: findings, a blank line between files."""
        out: list[str] = []
        for findings in self.by_file().values():
            if out:
                out.append("")
            out.extend(str(finding) for finding in findings)
        return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sort_key(finding: Finding) -> tuple[str, int, str]:
    return (finding.file, finding.line or 0, finding.key)
