"""Text never runs as code: clause templates render in a sandbox, and what they print is data.

A local's own clause folder (``--clauses``) is the one place a user writes template code. Its
text runs in Jinja's immutable sandbox with strict undefined; escapes and resource bombs fail as
a `ClauseLibraryError` naming the clause file, never as a crash. Titles, rationales and
"why" notes are printed as data spans, so their words arrive in the documents exactly as typed,
even when they look like template code or markup.

(User answers cannot carry template code at all: validation refuses ``{{`` and ``{%``; see
test_catalogue.py. So the data-span mechanism is checked here with clause-file text.)
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from markdown_it import MarkdownIt

from conftest import EXAMPLES, ROOT
from tutorbargain.answers.reading import Answers, load_answers
from tutorbargain.errors import ClauseLibraryError
from tutorbargain.library.loading import load_library
from tutorbargain.render import build_files
from tutorbargain.writers.output import slugify

TODAY = dt.date(2026, 5, 1)
ANSWERS = EXAMPLES / "lakeview-vendor-virtual.yml"

HOSTILE = "{{ 7*7 }} {% if true %}x{% endif %} # heading | table | **bold** [link](x) `code`"
"""Template code and markup, as a clause title or note might hold by mistake (or on purpose)."""

CLAUSE_FILE = """\
schema_version: 1
clauses:
  - id: our-own-words
    topic: tutoring-pay-rate
    title: {title}
    text: |
      {text}
    rationale: {note}
    source: Our bargaining team.
questions:
  - id: q-our-own
    topic: tutoring-pay-rate
    title: {title}
    text: |
      Will the District answer our own question?
    why: {note}
    source: Our bargaining team.
"""


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_overlay(
    folder: Path, *, text: str = "Our own words.", title: str = "Our title", note: str = "Why."
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ours.yml"
    body = CLAUSE_FILE.format(
        title=_yaml_string(title), text=text.replace("\n", "\n      "), note=_yaml_string(note)
    )
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def answers() -> Answers:
    return load_answers(ANSWERS)


def render(answers: Answers, folder: Path) -> dict[str, bytes]:
    """Every file of a render with the overlay ``folder``, by name, without touching the disk."""
    library = load_library([folder])
    files, _, _ = build_files(answers, Path("out"), library=library, today=TODAY)
    slug = slugify(answers.get("local.name"))
    return {path.name.removeprefix(f"{slug}-"): data for path, data in files.items()}


def words(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs] + [
        p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs
    ]


def comments(data: bytes) -> list[str]:
    return [comment.text for comment in docx.Document(io.BytesIO(data)).comments]


def markdown_words(text: str) -> str:
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


# ---------------------------------------------------------------- data stays data


def test_titles_and_notes_arrive_literally(tmp_path: Path, answers: Answers) -> None:
    note = "Because # this | is | **not** markup and {{ 7*7 }} is not 49.\n## Nor is this."
    write_overlay(tmp_path / "ours", title=HOSTILE, note=note)
    files = render(answers, tmp_path / "ours")
    flat_note = " ".join(note.split())

    mou = files["mou.docx"]
    assert any(f"{HOSTILE}." in line for line in words(mou))
    assert any(f"Why this clause: {note}\n" in comment for comment in comments(mou))

    questions = files["impact-questions.docx"]
    lines = words(questions)
    assert any(f"Why it matters: {flat_note}" == line for line in lines)
    markdown = markdown_words(files["impact-questions.md"].decode("utf-8"))
    assert f"Why it matters: {flat_note}" in markdown
    # Nothing the clause file says became a heading, a table or bold text in the Markdown.
    assert "<h2>Nor is this" not in MarkdownIt("commonmark").render(
        files["impact-questions.md"].decode("utf-8")
    )


def test_clause_text_is_a_template_but_its_printed_values_are_data(
    tmp_path: Path, answers: Answers
) -> None:
    """The clause's own text may use markup; what it prints from a variable may not."""
    text = "{% set shown = '# not a heading | **not bold**' %}The District agrees: {{ shown }}."
    write_overlay(tmp_path / "ours", text=text)
    mou = render(answers, tmp_path / "ours")["mou.docx"]
    assert any(
        "The District agrees: # not a heading | **not bold**." in line for line in words(mou)
    )


# ---------------------------------------------------------------- escapes and bombs


ESCAPES = {
    "class-mro": "{{ ''.__class__.__mro__ }}",
    "subclasses": "{{ ().__class__.__base__.__subclasses__() }}",
    "cycler-globals": "{{ cycler.__init__.__globals__ }}",
    "joiner-globals": "{{ joiner.__init__.__globals__.os }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].system('true') }}",
    "helper-globals": "{{ fill.__globals__ }}",
    "helper-closure": "{{ fill.__closure__ }}",
    "format-attribute": "{{ '{0.__class__.__init__.__globals__}'.format(local) }}",
    "mutate-answers": "{{ local.update({'name': 'Someone else'}) }}",
    "pop-answers": "{{ local.pop('name') }}",
    "include-file": "{% include '/etc/passwd' %}",
    "import-module": "{% import 'os' as os %}",
    "undefined-config": "{{ config.items() }}",
    "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
}


@pytest.mark.parametrize("text", list(ESCAPES.values()), ids=list(ESCAPES))
def test_sandbox_escapes_fail_naming_the_clause_file(
    text: str, tmp_path: Path, answers: Answers
) -> None:
    path = write_overlay(tmp_path / "ours", text=text)
    with pytest.raises(ClauseLibraryError) as info:
        render(answers, tmp_path / "ours")
    where = info.value.problems[0].where
    assert str(path) in where and "our-own-words" in where


BOMBS = {
    "string-times-huge": ("{{ 'a' * 10**8 }}", "too long"),
    "list-times-huge": ("{{ [0] * 10**7 }}", "too long"),
    "just-over-the-limit": ("{{ 'ab' * 5001 }}", "too long"),
    "huge-power": ("{{ 2 ** 100000 }}", "not allowed"),
    "runaway-loop": ("{% for i in range(99999) %}more words {% endfor %}", "runaway"),
    "huge-range": ("{% for i in range(10**9) %}{% endfor %}", "far too large"),
    "padding-by-format": ("{{ '{:>3000000000}'.format('a') }}", "not available"),
    "padding-by-ljust": ("{{ 'x'.ljust(3000000000) }}", "may not use"),
    "padding-by-percent": ("{{ '%*s'|format(3000000000, 'a') }}", ""),
    "padding-by-center": ("{{ 'a'|center(3000000000) }}", ""),
    "many-filler-words": ("{{ lipsum(5000) }}", "runaway"),
}


@pytest.mark.parametrize(("text", "words_"), list(BOMBS.values()), ids=list(BOMBS))
def test_resource_bombs_are_refused(
    text: str, words_: str, tmp_path: Path, answers: Answers
) -> None:
    path = write_overlay(tmp_path / "ours", text=text)
    with pytest.raises(ClauseLibraryError) as info:
        render(answers, tmp_path / "ours")
    problem = info.value.problems[0]
    assert str(path) in problem.where
    assert words_ in problem.message


def test_repetition_within_bounds_is_fine(tmp_path: Path, answers: Answers) -> None:
    write_overlay(tmp_path / "ours", text="Signed: {{ '_' * 40 }} and {{ 2 ** 10 }}.")
    mou = render(answers, tmp_path / "ours")["mou.docx"]
    assert any("Signed: " + "_" * 40 + " and 1,024." in line for line in words(mou))


def test_nested_loops_are_refused_quickly(tmp_path: Path) -> None:
    """Run in a subprocess so the hang it finds today costs seconds, not the whole suite."""
    folder = tmp_path / "ours"
    text = "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
    path = write_overlay(folder, text=text)
    command = [
        sys.executable, "-m", "tutorbargain", "render", str(ANSWERS),
        "-o", str(tmp_path / "out"), "--clauses", str(folder),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail("a clause with nested loops was still rendering after 10 seconds")
    assert done.returncode == 1 and str(path) in done.stderr
