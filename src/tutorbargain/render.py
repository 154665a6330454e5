"""Render answers into their documents: the library entry point the CLI and scripts call.

from tutorbargain import load_answers, render_answers
result = render_answers(load_answers("answers.yml"), "out")
print(result.paths, result.placeholders)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tutorbargain.answers.defaults import recording_defaults
from tutorbargain.answers.reading import Answers
from tutorbargain.compose.costing import missing_for_costs
from tutorbargain.compose.documents import Composed, compose
from tutorbargain.errors import InputFileError, Problem
from tutorbargain.library.loading import Library, load_library
from tutorbargain.library.selection import Selection, select
from tutorbargain.roundtrip.provenance import Stamp, answers_hash
from tutorbargain.writers.markdown import write_markdown
from tutorbargain.writers.output import slugify, write_files
from tutorbargain.writers.word import write_docx

if TYPE_CHECKING:
    from tutorbargain.roundtrip.carryover import Carried


@dataclass
class RenderResult:
    """What a render wrote and what the team still has to fill in."""

    paths: list[Path]
    placeholders: list[str]
    selection: Selection
    composed: Composed
    cost_needs: list[str] = field(default_factory=list)
    """Answers still needed for a cost appendix; empty when the MOU has one."""
    defaults_used: list[str] = field(default_factory=list)
    """Proposal terms (``terms.*``) the documents print at their default, never answered."""
    carried: Carried | None = None
    """With ``against``: the team's edits kept and the redline's summary."""


def output_names(slug: str, *, clean: bool = False, kit: bool = False) -> dict[str, str]:
    """File names of a render, keyed by what they are."""
    names = {
        "mou": f"{slug}-mou.docx",
        "questions": f"{slug}-impact-questions.docx",
        "questions-md": f"{slug}-impact-questions.md",
    }
    if clean:
        names["mou-clean"] = f"{slug}-mou-clean.docx"
        names["questions-clean"] = f"{slug}-impact-questions-clean.docx"
    if kit:
        names["letter"] = f"{slug}-demand-letter.docx"
        names["information"] = f"{slug}-information-request.docx"
    return names


def build_files(
    answers: Answers,
    out_dir: Path,
    *,
    library: Library,
    clean: bool = False,
    kit: bool = False,
    reference_docx: Path | None = None,
    templates_dir: Path | None = None,
    today: dt.date | None = None,
    record: bool = True,
) -> tuple[dict[Path, bytes], Composed, Selection]:
    """Everything a render writes, as bytes by path, without touching the disk.

    ``record`` puts into the team's MOU the record of what was generated, so a later
    ``render --against`` can tell the team's Word edits apart (see `provenance`)."""
    selection = select(library, answers)
    composed = compose(
        answers,
        library,
        selection,
        today=today or dt.date.today(),
        kit=kit,
        clean=clean,
        letterhead=reference_docx is None,
        templates_dir=templates_dir,
    )
    names = output_names(slugify(answers.get("local.name")), clean=clean, kit=kit)
    docs = composed.documents
    team_stamp = (
        Stamp(library=library.version, answers=answers_hash(dict(answers.values)))
        if record
        else None
    )
    team_mou = write_docx(docs["mou"], reference=reference_docx, stamp=team_stamp)
    files: dict[Path, bytes] = {
        out_dir / names["mou"]: team_mou,
        out_dir / names["questions"]: write_docx(docs["questions"], reference=reference_docx),
        out_dir / names["questions-md"]: write_markdown(docs["questions"]).encode("utf-8"),
    }
    if clean:  # the district's copies: composed without the tool's notes, written without comments
        for key in ("mou-clean", "questions-clean"):
            files[out_dir / names[key]] = write_docx(
                docs[key], comments=False, reference=reference_docx
            )
    if kit:
        for key in ("letter", "information"):
            files[out_dir / names[key]] = write_docx(docs[key], reference=reference_docx)
    return files, composed, selection


def apply_against(
    files: dict[Path, bytes],
    answers: Answers,
    out: Path,
    against: Path,
    *,
    clean: bool = False,
    kit: bool = False,
    author: str | None = None,
) -> Carried:
    """Replace the MOU among ``files`` (and its clean copy) by tracked changes against the
    team's previous copy ``against``, keeping the team's edits (see `carryover`)."""
    from tutorbargain.roundtrip.carryover import render_against, without_comments

    names = output_names(slugify(answers.get("local.name")), clean=clean, kit=kit)
    carried = render_against(against, files[out / names["mou"]], author=author)
    files[out / names["mou"]] = carried.comparison.data
    if clean:
        files[out / names["mou-clean"]] = without_comments(carried.comparison.data)
    return carried


def render_answers(
    answers: Answers,
    out_dir: Path | str,
    *,
    force: bool = False,
    clean: bool = False,
    kit: bool = False,
    pdf: bool = False,
    reference_docx: Path | None = None,
    clause_dirs: Sequence[Path] = (),
    templates_dir: Path | None = None,
    library: Library | None = None,
    today: dt.date | None = None,
    against: Path | None = None,
    author: str | None = None,
) -> RenderResult:
    """Render validated answers into ``out_dir``. Nothing is written if any step fails.

    With ``against`` (the team's previous copy, perhaps edited in Word), the MOU is written as
    tracked changes against it, keeping the team's edits (see `carryover`)."""
    out = Path(out_dir)
    if templates_dir is not None and not templates_dir.is_dir():
        raise InputFileError(
            "", [Problem(str(templates_dir), "is not a folder of document templates")]
        )
    if pdf:
        from tutorbargain.writers.pdf import require_soffice

        require_soffice()
    lib = library or load_library(clause_dirs)
    with recording_defaults() as defaults_used:
        files, composed, selection = build_files(
            answers,
            out,
            library=lib,
            clean=clean,
            kit=kit,
            reference_docx=reference_docx,
            templates_dir=templates_dir,
            today=today,
        )
    carried = None
    if against is not None:
        carried = apply_against(files, answers, out, against, clean=clean, kit=kit, author=author)
    pdf_targets = [p.with_suffix(".pdf") for p in files if p.suffix == ".docx"] if pdf else []
    paths = write_files(files, force=force, also_check=pdf_targets)
    if pdf:
        from tutorbargain.writers.pdf import convert_to_pdf

        paths += convert_to_pdf([p for p in paths if p.suffix == ".docx"], force=force)
    return RenderResult(
        paths=paths,
        placeholders=composed.placeholders(),
        selection=selection,
        composed=composed,
        cost_needs=missing_for_costs(answers) if composed.costs is None else [],
        carried=carried,
        defaults_used=defaults_used,
    )
