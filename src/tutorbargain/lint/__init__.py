"""Check a clause library (and the document templates) before a local relies on it.

`tutorbargain clauses lint` runs these checks. The loader (`loading.load_library`) refuses a
broken library; the linter runs the loader's one pass (`loading.read_library`), which reads
every file and keeps going, and reports each problem as a `Finding` with its file, line and key
path and what to change, in words a union staffer can act on. It checks the *merged* library:
the bundled clauses with the local's folders layered over them, exactly what a render with
``--clauses`` would use.

Its modules: `findings` (what a run reports), `checks` (the loader's problems as findings, and
lint's own checks), `jinja_checks` (a text's Jinja without rendering it), `places` (a text's
lines in its file), `samples` (the answers texts are rendered with). Whether a rule can ever
hold is `library.rule_search`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tutorbargain.library.model import LIBRARY_FILE, resource_dir
from tutorbargain.library.rule_search import (
    SearchTooLarge,
    answer_space,
    candidate_values,
    complete_answers,
    rule_assignments,
    rule_constants,
    satisfying_answers,
)
from tutorbargain.lint.checks import Linter
from tutorbargain.lint.findings import Finding, LintReport, sort_key


def lint_library(
    extra_dirs: Sequence[Path] = (),
    *,
    base: Path | None = None,
    templates_dir: Path | None = None,
) -> list[Finding]:
    """Every finding for the bundled library (or ``base``) with ``extra_dirs`` layered over it."""
    return lint(extra_dirs, base=base, templates_dir=templates_dir).findings


def lint_folder(folder: Path, *, under: Sequence[Path] = ()) -> LintReport:
    """Lint one folder the way `clauses lint DIR` means it.

    A folder of the local's own clause files is checked layered over the bundled library (and
    over ``under``, other overlays given with ``--clauses``), because that merged library is what
    a render uses. A folder holding its own ``library.yml`` is a whole library and is checked
    as the base instead (this is how the bundled ``clauses/`` folder is checked in a checkout).
    """
    if (folder / LIBRARY_FILE).is_file():
        return lint(under, base=folder)
    return lint([*under, folder])


def lint(
    extra_dirs: Sequence[Path] = (),
    *,
    base: Path | None = None,
    templates_dir: Path | None = None,
) -> LintReport:
    """Lint the merged library and the document templates; never raises for a broken file."""
    linter = Linter()
    library = linter.run(list(extra_dirs), base=base or resource_dir("clauses"))
    linter.check_templates(templates_dir or resource_dir("templates"))
    findings = list(dict.fromkeys(linter.findings))
    return LintReport(sorted(findings, key=sort_key), library)


__all__ = [
    "Finding",
    "LintReport",
    "SearchTooLarge",
    "answer_space",
    "candidate_values",
    "complete_answers",
    "lint",
    "lint_folder",
    "lint_library",
    "rule_assignments",
    "rule_constants",
    "satisfying_answers",
]
