"""The answers: the fields a local answers, reading and checking answers files, and upgrading
them.

`fields` is the schema (what a field is, and `field_table` every field, named and typed
once) and `kinds` what each kind of field means (parsing, words, JSON type, spreadsheet
column, linter samples); `reading` validates a file or a row into `Answers`, `writing`
writes the file the interview saves, `migrate` upgrades an older file. `parsing` (one value
of each kind) and `words` (money, dates and lists in an agreement's words) serve `kinds`,
templates and the cost appendix.
"""

from __future__ import annotations

# The schema's types first, then its table (which is built from them): so the table is never
# read half-built, whichever module of the package is imported first.
from tutorbargain.answers import fields as fields
