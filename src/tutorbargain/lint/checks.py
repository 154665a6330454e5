"""The linter: the loader's problems as findings, then lint's own checks of the merged library.

The loader (`loading.read_library`) reads every file once and returns the library with every
problem, each with its `Place` and code. Lint turns each into a finding at that place, and
points a broken rule at the innermost part that fails. Then it checks what the loader does
not: each text's Jinja, that each rule can hold, that each text renders for answers that
include it, undefined terms and clauses that exclude each other, topics without a clause,
and the document templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.reading import Answers
from tutorbargain.errors import Place, Problem, TutorbargainError
from tutorbargain.library.loading import RULE_CODES, read_library
from tutorbargain.library.model import LIBRARY_FILE, POSTURES_FILE, Entry, Library, Posture
from tutorbargain.library.rule_search import (
    SearchTooLarge,
    can_be_blank,
    frozen_items,
    full_answers,
    satisfying_answers,
)
from tutorbargain.library.rules import (
    AllOf,
    Always,
    Rule,
    RuleProblem,
    describe_rule,
    fields_in,
    parse_rule,
)
from tutorbargain.lint.findings import Finding, Severity
from tutorbargain.lint.jinja_checks import (
    bare_prints,
    clause_names,
    document_names,
    environment,
    template_problems,
)
from tutorbargain.lint.places import Files, TextPlace, at
from tutorbargain.lint.samples import TODAY, Samples, describe, describe_answers
from tutorbargain.yamlfile import read_text


@dataclass
class Linter:
    findings: list[Finding] = field(default_factory=list)
    files: Files = field(default_factory=Files)
    _postures: dict[str, Place] = field(default_factory=dict)

    # ------------------------------------------------------------ recording

    def add(
        self,
        file: str,
        line: int | None,
        key: str,
        message: str,
        *,
        severity: Severity = "error",
        entry: str = "",
    ) -> None:
        self.findings.append(Finding(file, line, key, message, severity, entry))

    def at(
        self,
        place: TextPlace,
        message: str,
        *,
        text_line: int | None = None,
        severity: Severity = "error",
    ) -> None:
        self.add(
            place.file,
            place.line(text_line),
            place.key,
            message,
            severity=severity,
            entry=place.entry,
        )

    def add_problem(self, problem: Problem) -> None:
        """One of the loader's problems as a finding at its place; a broken rule is pointed
        at the innermost part of it that fails."""
        place = problem.place or Place(problem.where)
        line, key = place.line, place.key
        if problem.code in RULE_CODES:
            key = _failing_part(self.files.value(place.file, key), key)
            line = self.files.line_of(place.file, key) or line
        self.add(place.file, line, key, problem.advice, entry=self.files.entry_id(place))

    # ------------------------------------------------------------ the run

    def run(self, extra_dirs: Sequence[Path], *, base: Path) -> Library | None:
        library, problems = read_library(extra_dirs, base=base)
        for problem in problems:
            self.add_problem(problem)
        for folder in extra_dirs:
            self._check_overlay_frame(folder)
        if library is None:
            return None
        broken = {(p.place.file, p.place.key) for p in problems if p.place and p.code in RULE_CODES}
        self._check_postures(base)
        self._check_entries(library, broken)
        if not problems:
            self._check_topics(library, base)
        return library

    def _check_overlay_frame(self, folder: Path) -> None:
        """An overlay's own library.yml or postures.yml is never read: say so."""
        for name in (LIBRARY_FILE, POSTURES_FILE):
            if (folder / name).is_file():
                self.add(
                    str(folder / name),
                    None,
                    "",
                    "is not read when this folder is layered with --clauses: the articles, "
                    "topics and postures always come from the bundled library. Remove it, "
                    "or check the folder as a whole library by giving it as DIR.",
                    severity="warning",
                )

    # ------------------------------------------------------------ entries

    def _check_entries(self, library: Library, broken: set[tuple[str, str]]) -> None:
        samples = Samples(library, self._posture_failed)
        drafted: list[Answers] = [answers for _, answers, _ in samples.generic]
        for entry in library.entries():
            if not entry.enabled:
                continue
            self._check_source(entry)
            text = entry.place_of("text")
            template_ok = text is None or self._check_text(
                entry.text,
                self.files.text_place(text, entry=entry.id),
                allowed=clause_names(),
                rule=entry.when,
            )
            when = entry.place_of("when")
            if when is None or (when.file, when.key) in broken:
                continue
            found = self._check_reachable(entry, at(when, entry=entry.id))
            if template_ok and found and text is not None:
                self._check_renders(
                    entry, self.files.text_place(text, entry=entry.id), samples, found
                )
                if entry.kind == "clause":
                    drafted.append(found)
        if not any(f.severity == "error" for f in self.findings):
            self._check_drafting(library, drafted)
            self._check_excludes(library)

    def _check_source(self, entry: Entry) -> None:
        from tutorbargain.compose.drafting import citation_problem, source_problem

        problem = source_problem(entry.source) or citation_problem(entry.source)
        source = entry.place_of("source")
        if problem is not None and source is not None:
            self.at(at(source, entry=entry.id), f"the source {problem}")

    def _check_drafting(self, library: Library, samples: Sequence[Answers]) -> None:
        """Undefined terms and duties stated twice, in the MOU for each set of sample answers."""
        from tutorbargain.compose.drafting import check_document, rendered_clauses

        reported: set[tuple[str, tuple[str, ...], str]] = set()
        done: set[tuple[tuple[str, Any], ...]] = set()
        for answers in samples:
            key = frozen_items(answers.values)
            if key in done:
                continue
            done.add(key)
            try:
                clauses = rendered_clauses(library, answers, today=TODAY)
            except TutorbargainError:
                continue  # a text that cannot be rendered is reported on its own
            for problem in check_document(library, clauses):
                if problem.kind == "excluded-pair":
                    continue  # the rule search below finds every such pair
                if problem.identity in reported:
                    continue
                reported.add(problem.identity)
                entry = library.find(problem.ids[-1])
                text = entry.place_of("text") if entry is not None else None
                if entry is None or text is None:
                    continue
                self.at(
                    self.files.text_place(text, entry=entry.id),
                    f"{problem}, for answers with {describe_answers(answers)}",
                )

    def _check_excludes(self, library: Library) -> None:
        """A pair of clauses that exclude each other and that some answers select together."""
        by_id = {e.id: e for e in library.clauses}
        for entry in library.clauses:
            here = entry.place_of("entry")
            for other_id in entry.excludes:
                other = by_id.get(other_id)
                if here is None or other is None or not (entry.enabled and other.enabled):
                    continue
                if other_id < entry.id and entry.id in other.excludes:
                    continue  # the pair is reported once
                try:
                    both = satisfying_answers(AllOf((entry.when, other.when)))
                except SearchTooLarge:
                    continue
                if both is not None:
                    deciding = {n: both.get(n) for n in fields_in(AllOf((entry.when, other.when)))}
                    self.at(
                        at(here, entry=entry.id),
                        f"{entry.id} excludes {other_id} ({other.origin}), but answers with "
                        f"{describe(deciding)} select both; give one of them a rule that "
                        "leaves it out when the other is in",
                    )

    def _check_text(
        self, source: str, place: TextPlace, *, allowed: frozenset[str], rule: Rule | None
    ) -> bool:
        """Static checks of one Jinja text; False when it has errors (so it is not rendered)."""
        before = len([f for f in self.findings if f.severity == "error"])
        env = environment()
        try:
            ast = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            self.at(
                place,
                f"{place.subject(exc.lineno)} has a "
                f"{'template ' if place.in_yaml else ''}mistake: "
                f"{(exc.message or 'not valid').rstrip('.')}. "
                "Check that each {{ has a matching }}, each {% if %} an {% endif %} and each "
                "{% for %} an {% endfor %}.",
                text_line=exc.lineno,
            )
            return False
        except RecursionError:
            self.at(
                place,
                f"{place.subject(1)} is nested too deeply to be filled in (split "
                "the expression into simpler steps)",
            )
            return False
        for problem_line, message in template_problems(ast, env, allowed):
            self.at(place, f"{place.subject(problem_line)} {message}", text_line=problem_line)
        if rule is not None:
            for line, name in bare_prints(ast):
                if can_be_blank(rule, name):
                    f = BY_NAME[name]
                    self.at(
                        place,
                        f"{place.subject(line)} prints {{{{ {name} }}}} directly, so when "
                        f"that answer is left blank the document shows [NOT ANSWERED]. Write "
                        f"{{{{ fill('{name}') }}}} to show [{f.placeholder}] for the team to "
                        f"fill in, or put it inside {{% if {name} is not none %}} ... "
                        "{% endif %}.",
                        text_line=line,
                        severity="warning",
                    )
        after = len([f for f in self.findings if f.severity == "error"])
        return after == before

    def _check_reachable(self, entry: Entry, when: TextPlace) -> Answers | None:
        """A set of answers that includes the entry, or None (after reporting why)."""
        if isinstance(entry.when, Always):
            return full_answers()
        try:
            found = satisfying_answers(entry.when)
        except SearchTooLarge as exc:
            self.at(
                when,
                f"this rule reads {exc.fields} answers, too many to check that some set of "
                "answers can meet it; consider splitting the clause",
                severity="warning",
            )
            return None
        if found is None:
            self.at(
                when,
                f"no set of answers can ever include this {entry.kind}: its rule "
                f"({describe_rule(entry.when)}) can never hold for answers that pass the "
                f"answers checks. Fix the rule, or switch the {entry.kind} off with "
                "enabled: false.",
            )
        return found

    def _check_renders(
        self, entry: Entry, text: TextPlace, samples: Samples, found: Answers
    ) -> None:
        """Render the text for answers that include it; report the first failure."""
        from tutorbargain.compose.documents import render_entry
        from tutorbargain.compose.failures import RenderError

        for label, ctx in samples.for_entry(entry, found):
            try:
                render_entry(entry, ctx)
            except Exception as exc:  # any failure here is a finding, not a crash
                failed = exc if isinstance(exc, RenderError) else None
                line = failed.text_line if failed else None
                reason = failed.reason if failed else f"{type(exc).__name__}: {exc}"
                self.at(
                    text,
                    f"{text.subject(line)} cannot be filled in for {label}: {reason}. An "
                    "answer left blank is none: test it with "
                    "{% if section.field is not none %} or print it with fill('section.field').",
                    text_line=line,
                )
                return

    # ------------------------------------------------------------ postures and topics

    def _check_postures(self, base_dir: Path) -> None:
        path = str(base_dir / POSTURES_FILE)
        doc = self.files.doc(path)
        data = doc.data if doc is not None and isinstance(doc.data, Mapping) else {}
        for index, raw in enumerate(data.get("postures") or []):
            if not isinstance(raw, Mapping):
                continue
            key = f"postures[{index}]"
            posture_id = str(raw.get("id", ""))
            self._postures[posture_id] = Place(path, self.files.line_of(path, key), key)
            for name in ("summary", "demand"):
                if isinstance(raw.get(name), str):
                    text_key = f"{key}.{name}"
                    place = Place(path, self.files.line_of(path, text_key), text_key)
                    self._check_text(
                        raw[name],
                        self.files.text_place(place, entry=posture_id),
                        allowed=clause_names(),
                        rule=None,
                    )

    def _posture_failed(self, posture: Posture, exc: TutorbargainError) -> None:
        """A posture text that cannot be rendered for some answers; left out when its text
        already has an error (the render only repeats what the static check said)."""
        place = self._postures.get(posture.id) or Place(posture.origin)
        if any(
            f.severity == "error" and f.file == place.file and f.key.startswith(f"{place.key}.")
            for f in self.findings
        ):
            return
        for problem in exc.problems or [Problem(place, exc.message)]:
            self.add(place.file, place.line, place.key, problem.advice)

    def _check_topics(self, library: Library, base_dir: Path) -> None:
        """Every topic needs a clause; one whose clauses are all switched off gets a warning."""
        path = str(base_dir / LIBRARY_FILE)
        doc = self.files.doc(path)
        if doc is None:
            return
        lines: dict[str, tuple[int | None, str]] = {}
        for a_index, article in enumerate(doc.data.get("articles") or []):
            for t_index, topic in enumerate(article.get("topics") or []):
                key = f"articles[{a_index}].topics[{t_index}]"
                lines[str(topic.get("id"))] = (doc.line_of(key), key)
        for topic in library.topics.values():
            clauses = [c for c in library.clauses if c.topic == topic.id]
            line, key = lines.get(topic.id, (None, ""))
            if not clauses:
                self.add(
                    path,
                    line,
                    key,
                    f"the topic {topic.id} has no clause, so the MOU can never "
                    f'have a "{topic.title}" section; add a clause with topic: {topic.id}',
                )
            elif not any(c.enabled for c in clauses):
                last = clauses[-1].place_of("entry") or Place(clauses[-1].origin)
                self.add(
                    last.file,
                    last.line,
                    last.key,
                    f"every clause of the topic {topic.id} is switched off, so "
                    f'the MOU will have no "{topic.title}" section',
                    severity="warning",
                    entry=clauses[-1].id,
                )

    # ------------------------------------------------------------ templates

    def check_templates(self, folder: Path) -> None:
        """Syntax and names of each document template (templates/*.j2)."""
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.j2")):
            try:
                source = read_text(path, what="a document template")
            except TutorbargainError as exc:
                for problem in exc.problems:
                    self.add_problem(problem)
                continue
            place = TextPlace(str(path), "", first_line=1, exact=True, in_yaml=False)
            self._check_text(source, place, allowed=document_names(), rule=None)


def _failing_part(raw: object, key: str) -> str:
    """The key path of the innermost part of a rule that `parse_rule` refuses."""
    if not isinstance(raw, Mapping):
        return key
    for combinator in ("all", "any"):
        items = raw.get(combinator)
        if set(raw) == {combinator} and isinstance(items, list):
            for index, item in enumerate(items):
                try:
                    parse_rule(item)
                except RuleProblem:
                    return _failing_part(item, f"{key}.{combinator}[{index}]")
            return key
    if set(raw) == {"not"}:
        return _failing_part(raw["not"], f"{key}.not")
    return key
