"""tutorbargain: draft a tutoring MOU and impact-bargaining questions for a union local.

The command line is a thin layer over these functions, which a script may call directly:

    from tutorbargain import load_answers, render_answers
    result = render_answers(load_answers("answers.yml"), "out")

Heavy libraries (python-docx, Jinja2) load only when a function that needs them runs, so
``tutorbargain --help`` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Answers": "answers.reading",
    "load_answers": "answers.reading",
    "answers_from_mapping": "answers.reading",
    "json_schema": "answers.reading",
    "load_library": "library.loading",
    "Library": "library.loading",
    "select": "library.selection",
    "Selection": "library.selection",
    "render_answers": "render",
    "RenderResult": "render",
    "TutorbargainError": "errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from tutorbargain.answers.reading import Answers as Answers
    from tutorbargain.answers.reading import answers_from_mapping as answers_from_mapping
    from tutorbargain.answers.reading import json_schema as json_schema
    from tutorbargain.answers.reading import load_answers as load_answers
    from tutorbargain.errors import TutorbargainError as TutorbargainError
    from tutorbargain.library.loading import Library as Library
    from tutorbargain.library.loading import load_library as load_library
    from tutorbargain.library.selection import Selection as Selection
    from tutorbargain.library.selection import select as select
    from tutorbargain.render import RenderResult as RenderResult
    from tutorbargain.render import render_answers as render_answers


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tutorbargain' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
