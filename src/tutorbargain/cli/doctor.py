"""The `doctor` command: what is installed and which features are ready.

Registered, with its example, in `tutorbargain.cli.application`.
"""

from __future__ import annotations

from tutorbargain.cli.common import ClausesOpt, guarded, say


@guarded
def doctor(clauses: ClausesOpt = None) -> None:
    """Show what is installed and whether each feature is ready (paste it into a bug report)."""
    from tutorbargain.doctor import diagnose

    diagnosis = diagnose(clause_dirs=clauses or ())
    for line in diagnosis.lines():
        say(line)
    diagnosis.raise_if_broken()
