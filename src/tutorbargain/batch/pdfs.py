"""PDFs of the rendered rows' Word files, after every row is rendered (``batch --pdf``)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from tutorbargain.batch.report import RowResult, Status, files_of
from tutorbargain.batch.results import RowResults


def make_pdfs(
    results: Sequence[RowResult], *, jobs: int = 1, stop: Callable[[], bool] = lambda: False
) -> RowResults:
    """Convert the .docx of every rendered row to PDF: ``jobs`` LibreOffice processes side by
    side, each started once for hundreds of documents (see `pdf.convert_files`).

    A row whose PDFs LibreOffice could not make becomes failed, naming them (its .docx files
    stay). When ``stop()`` turns true the converters stop; rows keep the PDFs already made.
    The PDF names were checked against existing files before the row was rendered.
    """
    from tutorbargain.writers.pdf import convert_files

    docx_files = [p for r in results if r.status is Status.RENDERED for p in r.outputs]
    run = convert_files([p for p in docx_files if p.suffix == ".docx"], jobs=jobs, stop=stop)
    return with_pdfs(results, failed=run.failed, stopped=run.stopped)


def with_pdfs(
    results: Sequence[RowResult], *, failed: Mapping[Path, str], stopped: bool = False
) -> RowResults:
    """Add each rendered row's PDFs that exist to its outputs. A row missing one fails, naming
    each missing PDF with the reason in ``failed`` (keyed by its .docx); when the run was
    ``stopped`` (Ctrl-C), a PDF with no reason was not tried and the row just has fewer files."""
    out = RowResults()
    for result in results:
        if result.status is not Status.RENDERED:
            out.append(result)
            continue
        docx_files = [p for p in result.outputs if p.suffix == ".docx"]
        made = tuple(
            p.with_suffix(".pdf")
            for p in docx_files
            if p not in failed and p.with_suffix(".pdf").exists()  # (an old one is no PDF of it)
        )
        why = {
            p: failed.get(p, "LibreOffice gave no reason")
            for p in docx_files
            if p.with_suffix(".pdf") not in made and (p in failed or not stopped)
        }
        for p in why:  # a PDF left from an earlier run (--force) is not a PDF of this MOU
            with contextlib.suppress(OSError):
                p.with_suffix(".pdf").unlink(missing_ok=True)
        if why:
            names = "; ".join(
                f"{p.with_suffix('.pdf').name} was not made ({w})" for p, w in why.items()
            )
            out.append(
                replace(
                    result,
                    status=Status.FAILED,
                    files=(*result.files, *files_of(made)),
                    problems=(f"{result.label}: the Word files are written, but {names}",),
                )
            )
        else:
            out.append(replace(result, files=(*result.files, *files_of(made))))
    return out
