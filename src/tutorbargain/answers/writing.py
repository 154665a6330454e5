"""Write an answers file: the commented YAML that `reading.load_answers` reads back unchanged.

The interview saves through here (finished, or part way when the person stops), so the file a
person edits by hand and the file the interview writes are the same format, kept next to the
code that reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tutorbargain import __version__
from tutorbargain.answers.fields import FIELDS, SCHEMA_VERSION, Field
from tutorbargain.answers.kinds import to_plain, yaml_text


def answers_yaml(
    values: Mapping[str, Any],
    *,
    path: Path,
    library_version: str,
    today: dt.date,
    finished: bool = True,
) -> str:
    """The answers as a commented YAML file that `render` reads unchanged.

    Sections come in schema order, each field under a comment with its help text; a field the
    person left blank is written empty, marked "not answered yet", to fill in later. The
    header records the tool and clause-library versions, which make a later re-render
    explainable. Values go through ``yaml.safe_dump``, so any text survives the round trip.
    """
    lines = [
        f"# Answers for tutorbargain, written by `tutorbargain new` on {today.isoformat()}",
        f"# (tutorbargain {__version__}, clause library {library_version}).",
    ]
    if finished:
        lines.append(f"# Write the documents again:  tutorbargain render {path}")
        lines.append(f"# Change answers in the interview:  tutorbargain new --answers {path}")
    else:
        lines.append(f"# Not finished yet: `tutorbargain new --answers {path}` asks the rest.")
    lines.append(f"schema_version: {SCHEMA_VERSION}")
    current: str | None = None
    for f in FIELDS:
        if f.name not in values:
            continue
        if f.section != current:
            current = f.section
            lines.append("")
            if f.section:
                lines.append(f"{f.section}:")
        indent = "  " if f.section else ""
        lines.append(f"{indent}# {f.help}")
        lines.append(indent + _yaml_item(f, values[f.name]))
    return "\n".join(lines) + "\n"


def _yaml_item(f: Field, value: Any) -> str:
    """``key: value`` for one field, as a person would write it and YAML reads it back."""
    if value is None:
        return f"{f.key}:  # not answered yet"
    written = yaml_text(f, value)
    if written is not None:
        return f"{f.key}: {written}"
    plain = to_plain(f, value)
    dumped = yaml.safe_dump(
        {f.key: plain},
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=None if isinstance(plain, list) else False,
    )
    return str(dumped).rstrip("\n")


def write_answers(path: Path, text: str) -> None:
    """Write the answers file atomically: a Ctrl-C never leaves half a file."""
    from tutorbargain.writers.output import prepare_dir, write_atomic

    prepare_dir(path.parent)
    write_atomic(path, text.encode("utf-8"))
