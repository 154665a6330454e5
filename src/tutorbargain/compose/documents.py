"""Compose the documents of a render: the MOU, the impact questions, and the bargaining kit.

Answers and a selection go in; `model.Document` objects come out. The words live in the clause
library and in `templates/`; this module only gathers what each template needs and turns a
template error into a message naming the clause file or template and its line.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from tutorbargain import __version__
from tutorbargain.answers.reading import Answers
from tutorbargain.answers.timeline import demand_is_prompt
from tutorbargain.answers.words import with_the
from tutorbargain.compose import markup
from tutorbargain.compose.costing import CostEstimate, dollars, estimate
from tutorbargain.compose.failures import (
    BAD_MARKUP,
    TEMPLATE_SYNTAX,
    RenderError,
    describe,
    template_line,
)
from tutorbargain.compose.model import Document, all_runs
from tutorbargain.compose.templating import (
    Trusted,
    compile_template,
    is_plain,
    is_unknown,
    make_fill,
    render,
    render_context,
    time_limit,
)
from tutorbargain.errors import ClauseLibraryError, Place, Problem
from tutorbargain.library.loading import Entry, Library, resource_dir
from tutorbargain.library.selection import Selection
from tutorbargain.library.states import document_answers, document_form, state_facts
from tutorbargain.yamlfile import read_text

TEMPLATES = {
    "mou": "mou.j2",
    "questions": "questions.j2",
    "letter": "demand-letter.j2",
    "information": "information-request.j2",
}


@dataclass(frozen=True)
class Composed:
    """The documents of one render, as models, keyed as in `TEMPLATES`."""

    documents: dict[str, Document]
    costs: CostEstimate | None

    def placeholders(self) -> list[str]:
        seen: dict[str, None] = {}
        for doc in self.documents.values():
            for label in doc.placeholders():
                seen.setdefault(label, None)
        return list(seen)


FORM_TITLES = {
    "bargained_mou": "Memorandum of Understanding",
    "meet_and_confer": "Memorandum of Understanding",
    "board_proposal": "Proposed Board Resolution",
    "collaboration": "Collaboration Agreement",
}
"""The document's title in each legal form (`states.document_form`)."""
FORM_KINDS = {
    "bargained_mou": "Memorandum of Understanding",
    "meet_and_confer": "Memorandum of Understanding",
    "board_proposal": "Resolution",
    "collaboration": "Collaboration Agreement",
}
"""How clause text names the document ("This Resolution takes effect ...")."""
CLAUSE_CONTEXT = (
    "fill",
    "form",
    "state",
    "district_copy",
    "letterhead",
    "proposal_footer",
    "document_title",
    "salutation",
    "program_title",
    "collaboration",
    "agreement_kind",
    "bargain_words",
    "signing_words",
    "affiliate_words",
    "has_vendor",
    "program_name",
    "generated",
    "tool_version",
    "library_version",
    "posture",
    "costs",
)
"""Names, besides the answer sections and the template helpers, that clause text may use."""
DOCUMENT_CONTEXT = (
    *CLAUSE_CONTEXT,
    "preamble",
    "articles",
    "closing",
    "question_groups",
    "request_groups",
    "demand_prompt",
)
"""Names a document template (templates/*.j2) may use as well."""


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "edd", "ed.d", "ph.d"})
_DOCTORATES = frozenset({"phd", "edd", "ph.d", "ed.d"})
_PARTICLES = frozenset(
    {"de", "la", "del", "della", "van", "von", "der", "den", "da", "di", "du", "le"}
)


def salutation(name: str | None) -> str:
    """'Dear Dr. Bell:' for "Dr. Marcus Bell" or "Marcus Bell, Ed.D."; else 'Dear
    Superintendent Bell:'. A letter to a superintendent never opens with a first name."""
    if not name or not name.strip() or is_unknown(name):
        return "Dear Superintendent:"
    words = name.replace(",", " ").split()
    keys = [w.lower().rstrip(".") for w in words]
    doctor = keys[0] == "dr" or any(k in _DOCTORATES for k in keys)
    while words and keys[-1] in _SUFFIXES:
        words, keys = words[:-1], keys[:-1]
    if keys and keys[0] in ("dr", "mr", "ms", "mrs", "mx", "superintendent"):
        words, keys = words[1:], keys[1:]
    if not words:
        return "Dear Superintendent:"
    start = len(words) - 1  # the surname, with particles: "de la Cruz", "van der Berg"
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return f"Dear {'Dr.' if doctor else 'Superintendent'} {' '.join(words[start:])}:"


def base_context(
    answers: Answers,
    selection: Selection,
    library: Library,
    *,
    today: dt.date,
    district_copy: bool = False,
    letterhead: bool = True,
) -> dict[str, Any]:
    """What every clause and template may use: the answers by section and a few plain facts.

    The answers are read as the documents read them (`states.document_answers`): where the
    law lets the district bargain over base wages only, as those of a local without
    bargaining over the tutoring terms."""
    state = state_facts(answers.get("district.state"), folders=library.folders)
    answers = document_answers(answers, state)
    ctx: dict[str, Any] = render_context(answers.nested())
    status = answers.get("bargaining.status")
    form = document_form(answers, state)
    generated = f"{today:%B} {today.day}, {today.year}"
    affiliate = answers.get("local.affiliate")
    version = 1  # one version until the answers carry the team's own version number
    ctx.update(
        fill=make_fill(answers.values),
        form=form,
        state=state,
        district_copy=district_copy,
        letterhead=letterhead,
        proposal_footer=f"Union proposal, {generated}, version {version}",
        document_title=FORM_TITLES[form],
        salutation=salutation(answers.get("district.superintendent")),
        collaboration=status == "none",
        agreement_kind=FORM_KINDS[form],
        signing_words="adoption" if form == "board_proposal" else "signing",
        affiliate_words=with_the(affiliate) if affiliate else None,
        bargain_words={
            "cba": "bargain",
            "meet_and_confer": "meet and confer",
            "none": "collaborate",
        }[status],
        has_vendor=answers.get("program.provider") in ("vendor", "mixed"),
        program_name=answers.get("program.name") or make_fill(answers.values)("program.name"),
        program_title=answers.get("program.name") or "the Tutoring Program",
        generated=generated,
        tool_version=__version__,
        library_version=library.version,
    )
    posture = selection.posture
    ctx["posture"] = {
        "id": posture.id,
        "title": _set(posture.title),
        "source": _set(posture.source),
        "reason": selection.posture_reason,
    }
    ctx["posture"]["summary"] = _render_text(posture.summary, ctx, where=posture.origin)
    ctx["posture"]["demand"] = _render_text(posture.demand, ctx, where=posture.origin)
    return ctx


def _render_text(
    source: str, ctx: Mapping[str, Any], *, where: str, entry: Entry | None = None
) -> Trusted:
    if is_plain(source):
        return Trusted(source)  # a third of the library's texts: nothing to render
    try:
        return render(compile_template(source, name=where), ctx)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            where,
            f"text line {exc.lineno}",
            f"Jinja syntax error: {exc.message}",
            code=TEMPLATE_SYNTAX,
            place=_text_place(entry),
            text_line=exc.lineno,
        ) from None
    except Exception as exc:  # clause text is user data: any failure in it is a message
        code, reason = describe(exc)
        raise RenderError(
            where,
            "text cannot be rendered",
            reason,
            code=code,
            place=_text_place(entry),
            text_line=template_line(exc, where),
        ) from None


def render_entry(entry: Entry, ctx: Mapping[str, Any]) -> Trusted:
    """A clause's, question's or request's text rendered for these answers."""
    where = f"{entry.origin} ({entry.id})"
    return _render_text(entry.text, ctx, where=where, entry=entry)


def _text_place(entry: Entry | None) -> Place | None:
    """Where an entry's text is in its clause file, looked up only for a message."""
    return entry.place_of("text") if entry is not None else None


def _set(text: str) -> str:
    """Library words (titles, reasons, sources) in typographic quotes, as clause text is; they
    reach the templates as data, which `markup` leaves as typed."""
    return markup.typographic(text, "")


@functools.lru_cache(maxsize=512)
def _entry_words(title: str, note: str, source: str) -> tuple[str, str, str, str]:
    """An entry's title, note and source as set for print, and the opening of its comment:
    the same for every local, so set once (a local's documents hold some 120 entries)."""
    comment = _set(f"Why this clause: {note}\n\nSource: {source}\n\n")
    return _set(title), _set(note), _set(source), comment


def _clause_view(entry: Entry, reason: str, ctx: Mapping[str, Any]) -> dict[str, Any]:
    title, rationale, source, comment = _entry_words(entry.title, entry.note, entry.source)
    return {
        "id": entry.id,
        "title": title,
        "body": render_entry(entry, ctx),
        "rationale": rationale,
        "source": source,
        "reason": reason,
        "comment": comment + markup.typographic_once(reason, "\n"),
    }


def compose(
    answers: Answers,
    library: Library,
    selection: Selection,
    *,
    today: dt.date,
    kit: bool = False,
    clean: bool = False,
    letterhead: bool = True,
    templates_dir: Path | None = None,
) -> Composed:
    """Build the MOU and question list (and, with ``kit``, the letter and information request).

    With ``clean`` the MOU and question list are composed a second time as the district's
    copies (``mou-clean``, ``questions-clean``); the letters are always the district's.
    ``letterhead`` is False when the user's own letterhead (--reference-docx) heads the page.
    """
    with time_limit():  # one timer for the whole local, not one per clause
        ctx = base_context(answers, selection, library, today=today, letterhead=letterhead)
        costs = estimate(answers)
        ctx["costs"] = cost_view(costs)
        reasons = {c.entry.id: c.reason for c in (*selection.clauses, *selection.questions)}

        by_topic: dict[str, list[dict[str, Any]]] = {}
        for entry in selection.included_clauses():
            by_topic.setdefault(entry.topic, []).append(_clause_view(entry, reasons[entry.id], ctx))
        articles = []
        form = ctx["form"]
        for article in library.articles:
            present = [topic for topic in article.topics if by_topic.get(topic)]
            if present:
                articles.append(
                    {
                        "id": article.id,
                        "title": _set(
                            article_heading(library, article.id, article.title, present, form)
                        ),
                        "placement": article.placement,
                        "clauses": [view for topic in present for view in by_topic[topic]],
                    }
                )
        ctx["preamble"] = [a for a in articles if a["placement"] == "preamble"]
        ctx["articles"] = [a for a in articles if a["placement"] == "body"]
        ctx["closing"] = [a for a in articles if a["placement"] == "closing"]
        ctx["question_groups"] = _groups(library, selection.included_questions(), ctx)
        ctx["request_groups"] = _groups(library, selection.included_requests(), ctx) if kit else []
        ctx["demand_prompt"] = demand_is_prompt(answers, today)  # the letter goes out today

        district = render_context({**ctx, "district_copy": True})
        plan: list[tuple[str, str, Mapping[str, Any]]] = [
            ("mou", "mou", ctx),
            ("questions", "questions", ctx),
        ]
        if clean:
            plan += [("mou-clean", "mou", district), ("questions-clean", "questions", district)]
        if kit:
            plan += [("letter", "letter", district), ("information", "information", district)]
        documents = {key: _document(name, c, templates_dir) for key, name, c in plan}
        return Composed(documents=documents, costs=costs)


HEADING_WORDS = {
    "esp-grow-your-own": "Education Support Professionals",
    "student-teacher-compensation": "Student Teachers",
    "retiree-pension-protection": "Retirees",
    "funding-and-sunset": "Funding",
    "duration-and-reopener": "Term",
    "savings": "Savings",
}
"""Short names for the heading of an article that holds only some of its topics."""


def article_heading(
    library: Library, article_id: str, title: str, present: list[str], form: str = "bargained_mou"
) -> str:
    """The article's title in the words of the form, when it holds all its topics; else the
    names of those it holds.

    "Education Support Professionals, Student Teachers and Retirees" over an article holding
    only the retiree clause would promise terms the document does not have, and "Relationship
    to Existing Agreements" over a Board resolution would name agreements it does not have.
    """
    topics = next(a.topics for a in library.articles if a.id == article_id)
    if len(present) < len(topics) and all(t in HEADING_WORDS for t in present):
        return and_words([HEADING_WORDS[t] for t in present])
    if form == "board_proposal" and article_id in RESOLUTION_ARTICLE_TITLES:
        return RESOLUTION_ARTICLE_TITLES[article_id]
    if form in NO_CONTRACT_FORMS:
        return NO_CONTRACT_ARTICLE_TITLES.get(article_id, title)
    return title


def and_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' (no serial comma, as the article titles write it)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


NO_CONTRACT_FORMS = ("board_proposal", "collaboration")
"""The forms with no contract and no bargaining: their titles never name either."""
NO_CONTRACT_ARTICLE_TITLES = {
    "framework": "Relationship to District Policy and Notice of Changes",
    "disputes": "Raising Concerns",
    "term": "Funding and Term",
}
"""Article titles that name agreements, disputes or reopening, in the words of a form
without a contract (clauses/library.yml holds the contract's titles)."""
RESOLUTION_ARTICLE_TITLES = {"signatures": "Submission and Adoption"}
"""Titles of a Board resolution, which one party submits and the Board alone adopts."""
NO_CONTRACT_TOPIC_TITLES = {
    "relationship-to-agreement": "Relationship to District policy",
    "no-unilateral-subcontracting": "The vendor contract",
    "grievance": "Raising concerns",
    "duration-and-reopener": "Term and review",
    "signatures": "Adoption",
}
"""Topic titles that name a contract term, in the words of a form without a contract."""


def _topic_title(library: Library, topic: str, ctx: Mapping[str, Any]) -> str:
    if ctx["form"] in NO_CONTRACT_FORMS and topic in NO_CONTRACT_TOPIC_TITLES:
        return _set(NO_CONTRACT_TOPIC_TITLES[topic])
    return _set(library.topics[topic].title)


def _groups(library: Library, entries: list[Entry], ctx: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Questions or requests grouped as the MOU is: by article, then by topic."""
    chosen: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        title, why, source, _ = _entry_words(entry.title, entry.note, entry.source)
        chosen.setdefault(entry.topic, []).append(
            {
                "id": entry.id,
                "title": title,
                "text": render_entry(entry, ctx),
                "why": why,
                "source": source,
            }
        )
    groups = []
    for article in library.articles:
        present = [t for t in article.topics if t in chosen]
        topics = [
            {"id": t, "title": _topic_title(library, t, ctx), "entries": chosen[t]} for t in present
        ]
        if topics:
            title = _set(article_heading(library, article.id, article.title, present, ctx["form"]))
            groups.append({"title": title, "topics": topics})
    return groups


def cost_view(costs: CostEstimate | None) -> dict[str, Any] | None:
    if costs is None:
        return None
    return {
        "lines": costs.lines,
        "comparisons": costs.comparisons,
        "assumptions": costs.assumptions,
        "left_out": costs.left_out,
        "total": costs.total,
        "per_student": costs.per_student,
        "total_shown": dollars(costs.total),
        "per_student_shown": dollars(costs.per_student),
        "hours": costs.tutoring_hours,
    }


def template_path(name: str, templates_dir: Path | None = None) -> Path:
    """The template file for a document: the user's folder first, then the bundled one."""
    filename = TEMPLATES[name]
    if templates_dir is not None and (templates_dir / filename).is_file():
        return templates_dir / filename
    return resource_dir("templates") / filename


_SOURCES: dict[Path, tuple[tuple[int, int], str]] = {}
"""Each document template's text, by path, with the modification time and size it was read
at: a batch reads its templates once, and a template edited between renders is read again."""


def _template_source(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return read_text(path, what="a document template")  # its message names the problem
    stamp = (info.st_mtime_ns, info.st_size)
    known = _SOURCES.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    source = read_text(path, what="a document template")
    _SOURCES[path] = (stamp, source)
    return source


def keep_used_definitions(doc: Document) -> Document:
    """The document without the definitions (blocks marked by the template's ``defines``) of
    abbreviations it does not use, and without their lead-in when none is left. A question
    list or an information request has no definitions clause: its template defines every
    abbreviation it knows, and this keeps those the rest of the document shows its reader
    ("ESP" counts "ESPs"; answers count too)."""
    defined = {b.defines for b in doc.blocks if b.defines is not None}
    if not defined:
        return doc
    shown = [*doc.header, *doc.footer]
    for block in doc.blocks:
        if block.defines is None:
            shown.extend(all_runs(block))
    words = " ".join(run.text for run in shown)
    used = {a for a in defined if a and _shows(words, a)}
    doc.blocks = [
        b
        for b in doc.blocks
        if b.defines is None or b.defines in used or (b.defines == "" and used)
    ]
    return doc


def _shows(words: str, abbreviation: str) -> bool:
    """Whether ``words`` hold the abbreviation as a word of its own, or with a plural "s".
    (str.find, not a regular expression: a pattern that opens with a word boundary is tried
    at every position of a 20,000-character list.)"""
    start = words.find(abbreviation)
    while start >= 0:
        end = start + len(abbreviation)
        end += words.startswith("s", end)
        before = words[start - 1 : start]
        after = words[end : end + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = words.find(abbreviation, start + 1)
    return False


def _document(name: str, ctx: Mapping[str, Any], templates_dir: Path | None) -> Document:
    """A document from its template (its unused definitions left out)."""
    path = template_path(name, templates_dir)
    source = _template_source(path)
    where = str(path)
    try:
        template = compile_template(source, name=where)
        text = render(template, ctx)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            Place(where, exc.lineno),
            "Jinja syntax error",
            f"{exc.message}",
            code=TEMPLATE_SYNTAX,
            place=Place(where),
            text_line=exc.lineno,
        ) from None
    except Exception as exc:  # a template is user data: any failure in it is a message
        code, reason = describe(exc)
        raise RenderError(
            Place(where),
            "cannot be rendered",
            reason,
            code=code,
            place=Place(where),
            text_line=template_line(exc, where),
        ) from None
    try:
        return keep_used_definitions(markup.parse(text))
    except ValueError as exc:
        raise ClauseLibraryError("", [Problem(Place(where), str(exc), BAD_MARKUP)]) from None
