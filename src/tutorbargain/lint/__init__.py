"""Check a clause library (and the document templates) before a local relies on it.

`tutorbargain clauses lint` runs these checks. The loader (`library.load_library`) stops a
render at the first broken file; the linter instead reads every file, keeps going, and reports
each problem as a `Finding` with its file, line and key path and what to change, in words a
union staffer can act on. It checks the *merged* library: the bundled clauses with the local's
folders layered over them, exactly what a render with ``--clauses`` would use.

Checks, in the order they run:

* each clause file's structure (everything the loader refuses), and duplicate ids in a folder;
* each rule (through `rules.parse_rule`, pointing at the piece of an ``all:``/``any:`` that fails);
* each text's Jinja: syntax, names that are not answers or context, ``section.field`` names,
  ``fill('...')`` names, filters; and answers printed bare where they may be blank (a warning);
* that no rule is impossible (a small search over the values each rule compares);
* that each text renders in the sandbox for sample answers that include it;
* that each topic has a clause; and the templates in ``templates/*.j2``.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import jinja2
import yaml
from jinja2 import meta, nodes

from tutorbargain.answers.fields import (
    BY_NAME,
    FIELDS,
    GRADE_VALUES,
    SECTIONS,
    TOP_LEVEL,
    Field,
    Kind,
)
from tutorbargain.answers.reading import (
    Answers,
    answers_from_mapping,
    cross_field_problems,
)
from tutorbargain.errors import AnswersError, ClauseLibraryError, Problem, TutorbargainError
from tutorbargain.library.loading import (
    LIBRARY_FILE,
    NOTE_KEY,
    POSTURES_FILE,
    STATES_FILE,
    Collector,
    Entry,
    Library,
    check_format,
    clause_files,
    file_mapping,
    load_frame,
    load_library,
    parse_entry,
    resource_dir,
)
from tutorbargain.library.rules import (
    AllOf,
    Always,
    AnyOf,
    Compare,
    Not,
    Rule,
    RuleProblem,
    describe_rule,
    evaluate_values,
    fields_in,
    parse_rule,
)
from tutorbargain.library.states import lint_states
from tutorbargain.schema import did_you_mean
from tutorbargain.yamlfile import YamlDocument, load_yaml, read_text
from tutorbargain.yamlfile import where as where_words

Severity = Literal["error", "warning"]

KINDS = tuple((kind, f"{kind}s") for kind in NOTE_KEY)
"""Each kind of entry (clause, question, ...) and the section of a clause file listing it."""

SEARCH_LIMIT = 200_000
"""Most answer combinations tried for one rule; a rule reading more is reported, not searched."""
TODAY = dt.date(2026, 9, 1)
"""A fixed "today" for sample renders, so the linter's results never depend on the date."""


@dataclass(frozen=True)
class Finding:
    """One problem in one place: the file, its line, the key path, and what to change."""

    file: str
    line: int | None
    key: str
    """Where in the file, as a key path like ``clauses[3].when``; empty for a whole file."""
    message: str
    severity: Severity = "error"
    entry: str = ""
    """The clause or question id the finding is about, when there is one."""

    @property
    def where(self) -> str:
        """``file, line N, key`` in the words the loader's messages use."""
        return where_words(self.file, self.line, self.key)

    @property
    def location(self) -> str:
        """``file:line``, the form editors and terminals turn into a link."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def __str__(self) -> str:
        key = self.key + (f" ({self.entry})" if self.entry else "")
        where = f"{key}: " if key else ""
        return f"{self.location}: {self.severity}: {where}{self.message}"


@dataclass
class LintReport:
    """The findings of one lint run, and the merged library when it could be loaded."""

    findings: list[Finding]
    library: Library | None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def by_file(self) -> dict[str, list[Finding]]:
        """Findings grouped by file, files in name order, findings in line order."""
        groups: dict[str, list[Finding]] = {}
        for finding in sorted(self.findings, key=_sort_key):
            groups.setdefault(finding.file, []).append(finding)
        return groups

    def summary(self) -> str:
        """One line: the counts, or that the library is clean."""
        if not self.findings:
            lib = self.library
            if lib is None:
                return "The clause library is clean."
            kinds = Counter(e.kind for e in lib.entries())
            counts = [_count(kinds[kind], kind) for kind, _ in KINDS if kinds[kind]]
            return f"The clause library is clean: {', '.join(counts)}, " + (
                f"{_count(len(lib.topics), 'topic')}."
            )
        files = len({f.file for f in self.findings})
        return (
            f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')} "
            f"in {_count(files, 'file')}."
        )

    def lines(self) -> list[str]:
        """What `clauses lint` prints before the summary: findings, a blank line between files."""
        out: list[str] = []
        for findings in self.by_file().values():
            if out:
                out.append("")
            out.extend(str(finding) for finding in findings)
        return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _sort_key(finding: Finding) -> tuple[str, int, str]:
    return (finding.file, finding.line or 0, finding.key)


# ---------------------------------------------------------------- entry points


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
    linter = _Linter()
    library = linter.run(list(extra_dirs), base=base)
    linter.check_templates(templates_dir or resource_dir("templates"))
    findings = list(dict.fromkeys(linter.findings))
    return LintReport(sorted(findings, key=_sort_key), library)


# ---------------------------------------------------------------- where a text is


@dataclass(frozen=True)
class _Place:
    """Where a piece of Jinja lives, to turn a line of the text into a line of the file."""

    file: str
    key: str
    entry: str = ""
    first_line: int | None = None
    """The file line of the text's first line."""
    exact: bool = True
    """Whether text line N is file line first_line + N - 1 (a ``|`` block, a one-line value)."""
    in_yaml: bool = True
    """A text inside a clause file (messages say "line N of the text"), or a template file."""

    def line(self, text_line: int | None) -> int | None:
        if self.first_line is None:
            return None
        if text_line is None or not self.exact:
            return self.first_line
        return self.first_line + text_line - 1

    def subject(self, text_line: int | None) -> str:
        """What a message is about: "line 3 of the text" in a clause file, or "the template"."""
        if not self.in_yaml:
            return "the template"
        if text_line is None or not self.exact:
            return "the text"
        return f"line {text_line} of the text"


def _value_nodes(text: str) -> dict[str, yaml.Node]:
    """The value node of every key path, to know how a text value is laid out in the file."""
    out: dict[str, yaml.Node] = {}
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return out

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                dotted = f"{prefix}.{key}" if prefix else key
                out.setdefault(dotted, value_node)
                walk(value_node, dotted)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                dotted = f"{prefix}[{index}]"
                out.setdefault(dotted, item)
                walk(item, dotted)

    if root is not None:
        walk(root, "")
    return out


# ---------------------------------------------------------------- the linter


@dataclass
class _Located:
    """Where each part of a merged entry was last set, for messages about it."""

    text: _Place
    when: _Place
    entry: _Place
    rule_broken: bool = False
    source: _Place | None = None


@dataclass
class _Linter:
    findings: list[Finding] = field(default_factory=list)
    files: dict[str, YamlDocument] = field(default_factory=dict)
    _nodes: dict[str, dict[str, yaml.Node]] = field(default_factory=dict)

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
        place: _Place,
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

    def add_problems(
        self, problems: Iterable[Problem], *, entry: str = "", unless_checked: bool = False
    ) -> None:
        """Turn the loader's problems (``file, line N, key``) into findings.

        With ``unless_checked``, a problem inside a part that already has an error is left out:
        a render failure there only repeats what the static check said.
        """
        for problem in problems:
            file, line, key = self._split(problem.where)
            if unless_checked and any(
                f.severity == "error" and f.file == file and f.key.startswith(f"{key}.")
                for f in self.findings
            ):
                continue
            if key == "schema_version" and line is None:
                line = 1  # missing: it belongs at the top
            self.add(file, line, key, _advice(problem.message), entry=entry)

    def _split(self, where: str) -> tuple[str, int | None, str]:
        known = sorted(self.files, key=len, reverse=True)
        for path in known:
            if where == path:
                return path, None, ""
            if where.startswith(path + ", "):
                rest = where[len(path) + 2 :]
                line: int | None = None
                head, _, tail = rest.partition(", ")
                if head.startswith("line ") and head[5:].isdigit():
                    line, rest = int(head[5:]), tail
                return path, line, rest
        head, sep, tail = where.rpartition(", line ")
        if sep:
            number, _, key = tail.partition(", ")
            if number.isdigit():
                return head, int(number), key
        return where, None, ""

    def place(self, doc: YamlDocument, key: str, *, entry: str = "") -> _Place:
        """The place of a text value: its first line, and whether its lines map one to one."""
        nodes_by_key = self._nodes.get(doc.path)
        if nodes_by_key is None:
            try:
                source = read_text(Path(doc.path), what="a clause file")
            except TutorbargainError:
                source = ""
            nodes_by_key = self._nodes[doc.path] = _value_nodes(source)
        node = nodes_by_key.get(key)
        if not isinstance(node, yaml.ScalarNode):
            return _Place(doc.path, key, entry, doc.line_of(key), exact=False)
        start = node.start_mark.line + 1
        if node.style == "|":
            return _Place(doc.path, key, entry, start + 1, exact=True)
        one_line = node.start_mark.line == node.end_mark.line
        return _Place(doc.path, key, entry, start, exact=one_line)

    # ------------------------------------------------------------ loading, file by file

    def run(self, extra_dirs: list[Path], *, base: Path | None) -> Library | None:
        base_dir = base or resource_dir("clauses")
        for name in (LIBRARY_FILE, POSTURES_FILE):
            self.files[str(base_dir / name)] = YamlDocument(str(base_dir / name), None)
        for path, problems in lint_states([base_dir, *extra_dirs]):
            self.files.setdefault(path, YamlDocument(path, None))
            self.add_problems(problems)
        collector = Collector()
        try:
            frame = load_frame(base_dir, collector)
        except TutorbargainError as exc:
            self.add_problems(exc.problems or [Problem(str(base_dir), exc.message)])
            return None
        self.add_problems(collector.problems)
        if collector.problems:
            return None
        merged: dict[str, Entry] = {}
        located: dict[str, _Located] = {}
        for folder in (base_dir, *extra_dirs):
            self._folder(folder, frame, merged, located, overlay=folder != base_dir)
        structural = any(f.severity == "error" for f in self.findings)
        entries = list(merged.values())
        library = replace(frame, folders=(base_dir, *extra_dirs))
        for kind, section in KINDS:
            setattr(library, section, [e for e in entries if e.kind == kind])
        if not structural:
            library = self._cross_check(library, extra_dirs, base_dir)
        self._check_postures(base_dir)
        self._check_entries(library, located)
        if not structural:
            self._check_topics(library, base_dir, located)
        return library

    def _cross_check(self, library: Library, extra_dirs: list[Path], base: Path) -> Library:
        """Load for real: the library a render would use is the one checked from here on."""
        try:
            return load_library(extra_dirs, base=base)
        except TutorbargainError as exc:  # something this pass missed: still a finding
            self.add_problems(exc.problems or [Problem(str(base), exc.message)])
            return library

    def _folder(
        self,
        folder: Path,
        frame: Library,
        merged: dict[str, Entry],
        located: dict[str, _Located],
        *,
        overlay: bool,
    ) -> None:
        try:
            files = clause_files(folder)
        except ClauseLibraryError as exc:
            self.add_problems(exc.problems)
            return
        if overlay:
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
            if not files and not (folder / STATES_FILE).is_file():
                self.add(
                    str(folder),
                    None,
                    "",
                    "has no clause files: put your clauses in files ending in .yml",
                )
        seen_here: dict[str, str] = {}
        for path in files:
            try:
                doc = load_yaml(path, what="a clause file")
            except TutorbargainError as exc:
                self.files.setdefault(str(path), YamlDocument(str(path), None))
                self.add_problems(exc.problems)
                continue
            self.files[doc.path] = doc
            self._file(doc, frame, merged, located, seen_here, overlay=overlay)

    def _file(
        self,
        doc: YamlDocument,
        frame: Library,
        merged: dict[str, Entry],
        located: dict[str, _Located],
        seen_here: dict[str, str],
        *,
        overlay: bool,
    ) -> None:
        """Mirror of `library._load_folder` for one file, reusing its checks entry by entry."""
        collector = Collector()
        data = file_mapping(doc, "", collector)
        check_format(doc, data, collector)
        sections = [section for _, section in KINDS]
        for key in sorted(set(map(str, data)) - {"schema_version", *sections}):
            collector.add(
                doc.where(key),
                "is not a section of a clause file; a clause file has "
                f"{', '.join(s + ':' for s in sections[:-1])} and {sections[-1]}:",
            )
        self.add_problems(collector.problems)
        for kind, section in KINDS:
            items = data.get(section) or []
            if not isinstance(items, list):
                self.add(
                    doc.path,
                    doc.line_of(section),
                    section,
                    f"must be a list of {section}, each starting with '- id:'",
                )
                continue
            for index, raw in enumerate(items):
                key = f"{section}[{index}]"
                if not isinstance(raw, Mapping):
                    self.add(
                        doc.path,
                        doc.line_of(key),
                        key,
                        f"each of {section} must be a set of keys (id:, topic:, title:, ...)",
                    )
                    continue
                self._one(doc, key, kind, raw, frame, merged, located, seen_here, overlay=overlay)

    def _one(
        self,
        doc: YamlDocument,
        key: str,
        kind: str,
        raw: Mapping[str, Any],
        frame: Library,
        merged: dict[str, Entry],
        located: dict[str, _Located],
        seen_here: dict[str, str],
        *,
        overlay: bool,
    ) -> None:
        entry_id = str(raw.get("id", "") or "")
        if entry_id:
            if entry_id in seen_here:
                self.add(
                    doc.path,
                    doc.line_of(f"{key}.id"),
                    f"{key}.id",
                    f"the id {entry_id} is already used at {seen_here[entry_id]}; "
                    "each clause and question in a folder needs its own id, so rename one "
                    "of them (or delete the copy)",
                    entry=entry_id,
                )
                return
            seen_here[entry_id] = doc.where(key)
        old = merged.get(entry_id)
        if old is not None and not overlay:
            return
        collector = Collector()
        # The rule is checked here, so its message can point into an all:/any: list.
        without_rule = {k: v for k, v in raw.items() if k != "when"}
        entry = parse_entry(doc, key, kind, without_rule, frame, collector, base=old)
        for problem in collector.problems:
            message = problem.message
            if overlay and old is None and message.startswith(f"a {kind} needs"):
                message += self._new_id_hint(entry_id, kind, merged)
            self.add_problems([Problem(problem.where, message)], entry=entry_id)
        rule_broken = False
        if "when" in raw:
            rule = self._rule(doc, f"{key}.when", raw["when"], entry_id)
            rule_broken = rule is None
            if entry is not None and rule is not None:
                entry = replace(entry, when=rule)
        if entry is None:
            return
        merged[entry.id] = entry
        before = located.get(entry.id)
        inherited_broken = before is not None and "when" not in raw and before.rule_broken
        here = _Place(doc.path, key, entry.id, doc.line_of(key))
        located[entry.id] = _Located(
            text=(
                self.place(doc, f"{key}.text", entry=entry.id)
                if "text" in raw or before is None
                else before.text
            ),
            when=(
                replace(here, key=f"{key}.when", first_line=doc.line_of(f"{key}.when"))
                if "when" in raw or before is None
                else before.when
            ),
            entry=here,
            rule_broken=rule_broken or inherited_broken,
            source=(
                replace(here, key=f"{key}.source", first_line=doc.line_of(f"{key}.source"))
                if "source" in raw or before is None
                else before.source
            ),
        )

    def _new_id_hint(self, entry_id: str, kind: str, merged: Mapping[str, Entry]) -> str:
        hint = did_you_mean(entry_id, [e.id for e in merged.values()])
        if hint:
            return (
                f". The id {entry_id} is not in the library, so this adds a new {kind}{hint}: "
                "to change an existing one, use its exact id"
            )
        return ""

    def _rule(self, doc: YamlDocument, key: str, raw: object, entry_id: str) -> Rule | None:
        """Parse a rule; on a problem, point at the innermost piece of it that fails."""
        try:
            return parse_rule(raw)
        except RuleProblem as exc:
            bad_key = _failing_part(raw, key)
            self.add(
                doc.path, doc.line_of(bad_key), bad_key, _rule_advice(str(exc)), entry=entry_id
            )
            return None

    # ------------------------------------------------------------ entries

    def _check_entries(self, library: Library, located: Mapping[str, _Located]) -> None:
        samples = _Samples(library, self)
        drafted: list[Answers] = [answers for _, answers, _ in samples.generic]
        for entry in library.entries():
            where = located.get(entry.id)
            if where is None or not entry.enabled:
                continue
            self._check_source(entry, where)
            template_ok = self._check_text(
                entry.text, where.text, allowed=_clause_names(), rule=entry.when
            )
            if where.rule_broken:
                continue
            found = self._check_reachable(entry, where)
            if template_ok and found:
                self._check_renders(entry, where, samples, found)
                if entry.kind == "clause":
                    drafted.append(found)
        if not any(f.severity == "error" for f in self.findings):
            self._check_drafting(library, located, drafted)
            self._check_excludes(library, located)

    def _check_source(self, entry: Entry, where: _Located) -> None:
        from tutorbargain.compose.drafting import source_problem

        problem = source_problem(entry.source)
        if problem is not None and where.source is not None:
            self.at(where.source, f"the source {problem}")

    def _check_drafting(
        self, library: Library, located: Mapping[str, _Located], samples: Sequence[Answers]
    ) -> None:
        """Undefined terms and duties stated twice, in the MOU for each set of sample answers."""
        from tutorbargain.compose.drafting import check_document, rendered_clauses

        reported: set[tuple[str, tuple[str, ...], str]] = set()
        done: set[tuple[tuple[str, Any], ...]] = set()
        for answers in samples:
            key = _frozen_items(answers.values)
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
                words = problem.message.split(", but")[0]
                if (problem.kind, problem.ids, words) in reported:
                    continue
                reported.add((problem.kind, problem.ids, words))
                where = located.get(problem.ids[-1])
                if where is None:
                    continue
                self.at(
                    where.text,
                    f"{problem}, for answers with {_describe_answers(answers)}",
                )

    def _check_excludes(self, library: Library, located: Mapping[str, _Located]) -> None:
        """A pair of clauses that exclude each other and that some answers select together."""
        by_id = {e.id: e for e in library.clauses}
        for entry in library.clauses:
            where = located.get(entry.id)
            for other_id in entry.excludes:
                other = by_id.get(other_id)
                if where is None or other is None or not (entry.enabled and other.enabled):
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
                        where.entry,
                        f"{entry.id} excludes {other_id} ({other.origin}), but answers with "
                        f"{_describe(deciding)} select both; give one of them a rule that "
                        "leaves it out when the other is in",
                    )

    def _check_text(
        self, source: str, place: _Place, *, allowed: frozenset[str], rule: Rule | None
    ) -> bool:
        """Static checks of one Jinja text; False when it has errors (so it is not rendered)."""
        before = len([f for f in self.findings if f.severity == "error"])
        env = _environment()
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
        for problem_line, message in _template_problems(ast, env, allowed):
            self.at(place, f"{place.subject(problem_line)} {message}", text_line=problem_line)
        if rule is not None:
            for line, name in _bare_prints(ast):
                if _can_be_blank(rule, name):
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

    def _check_reachable(self, entry: Entry, where: _Located) -> Answers | None:
        """A set of answers that includes the entry, or None (after reporting why)."""
        if isinstance(entry.when, Always):
            return _Samples.full_answers()
        try:
            found = satisfying_answers(entry.when)
        except SearchTooLarge as exc:
            self.at(
                where.when,
                f"this rule reads {exc.fields} answers, too many to check that some set of "
                "answers can meet it; consider splitting the clause",
                severity="warning",
            )
            return None
        if found is None:
            self.at(
                where.when,
                f"no set of answers can ever include this {entry.kind}: its rule "
                f"({describe_rule(entry.when)}) can never hold for answers that pass the "
                f"answers checks. Fix the rule, or switch the {entry.kind} off with "
                "enabled: false.",
            )
        return found

    def _check_renders(
        self, entry: Entry, where: _Located, samples: _Samples, found: Answers
    ) -> None:
        """Render the text for answers that include it; report the first failure."""
        from tutorbargain.compose.documents import render_entry

        for label, ctx in samples.for_entry(entry, found):
            try:
                render_entry(entry, ctx)
            except Exception as exc:  # any failure here is a finding, not a crash
                line = _template_line(exc, f"{entry.origin} ({entry.id})")
                self.at(
                    where.text,
                    f"{where.text.subject(line)} cannot be filled in for {label}: "
                    f"{_error_words(exc)}. An answer left blank is none: test it with "
                    "{% if section.field is not none %} or print it with fill('section.field').",
                    text_line=line,
                )
                return

    def _check_postures(self, base_dir: Path) -> None:
        path = base_dir / POSTURES_FILE
        try:
            doc = load_yaml(path, what="a postures file")
        except TutorbargainError:
            return
        self.files[doc.path] = doc
        data = doc.data if isinstance(doc.data, Mapping) else {}
        for index, raw in enumerate(data.get("postures") or []):
            if not isinstance(raw, Mapping):
                continue
            for name in ("summary", "demand"):
                if isinstance(raw.get(name), str):
                    key = f"postures[{index}].{name}"
                    place = self.place(doc, key, entry=str(raw.get("id", "")))
                    self._check_text(raw[name], place, allowed=_clause_names(), rule=None)

    def _check_topics(
        self, library: Library, base_dir: Path, located: Mapping[str, _Located]
    ) -> None:
        """Every topic needs a clause; one whose clauses are all switched off gets a warning."""
        path = base_dir / LIBRARY_FILE
        try:
            doc = load_yaml(path, what="a clause library file")
        except TutorbargainError:
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
                    str(path),
                    line,
                    key,
                    f"the topic {topic.id} has no clause, so the MOU can never "
                    f'have a "{topic.title}" section; add a clause with topic: {topic.id}',
                )
            elif not any(c.enabled for c in clauses):
                last = located[clauses[-1].id].entry
                self.add(
                    last.file,
                    last.first_line,
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
                self.add_problems(exc.problems)
                continue
            place = _Place(str(path), "", first_line=1, exact=True, in_yaml=False)
            self._check_text(source, place, allowed=_document_names(), rule=None)


def _advice(message: str) -> str:
    """The loader's message, plus what to do where it only says what is wrong."""
    if " is not a topic of the library" in message:
        return (
            f"{message}; every topic id is listed in the bundled library.yml, and "
            "`tutorbargain clauses list` shows them beside their clauses"
        )
    for kind, note in NOTE_KEY.items():
        if message.startswith(f"is not a key of a {kind}"):
            keys = ["id", "topic", "title", "when", "text", note, "source", "order", "enabled"]
            return f"{message}; a {kind} has {', '.join(keys[:-1])} and {keys[-1]}"
    if message.startswith("is not valid YAML"):
        return (
            f"{message.rstrip('.')}. Check the indentation of this line and the one above it: "
            "the keys of one clause line up under its '- id:', two spaces in from the dash"
        )
    return message


# ---------------------------------------------------------------- rules: where and why


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


def _rule_advice(message: str) -> str:
    """The rule engine's message, with what a rule looks like when it is about its shape."""
    if message.startswith(("a rule must be", "a rule needs")):
        return f"{message}. A rule looks like: when: {{field: tutors.esps, equals: true}}"
    return message


# ---------------------------------------------------------------- Jinja checks


def _environment() -> jinja2.Environment:
    from tutorbargain.compose.templating import environment

    return environment()


def _clause_names() -> frozenset[str]:
    from tutorbargain.compose.documents import CLAUSE_CONTEXT

    return frozenset({*SECTIONS, *TOP_LEVEL, *CLAUSE_CONTEXT, *_environment().globals})


def _document_names() -> frozenset[str]:
    from tutorbargain.compose.documents import DOCUMENT_CONTEXT

    return frozenset({*SECTIONS, *TOP_LEVEL, *DOCUMENT_CONTEXT, *_environment().globals})


def _template_problems(
    ast: nodes.Template, env: jinja2.Environment, allowed: frozenset[str]
) -> Iterator[tuple[int, str]]:
    """(text line, what is wrong) for every name, field, filter or fill() the text gets wrong."""
    for flt in ast.find_all(nodes.Filter):
        if flt.name not in env.filters:
            hint = did_you_mean(flt.name, env.filters)
            yield (
                flt.lineno,
                (
                    f"uses the filter |{flt.name}, which does not exist{hint}; the filters "
                    f"are {', '.join(sorted(env.filters))}"
                ),
            )
    for test in ast.find_all(nodes.Test):
        if test.name not in env.tests:
            hint = did_you_mean(test.name, env.tests)
            yield test.lineno, f"uses the test 'is {test.name}', which does not exist{hint}"
    try:
        undeclared = meta.find_undeclared_variables(ast)
    except jinja2.TemplateError:  # an unknown filter stops Jinja's own analysis; guess instead
        undeclared = _names_read(ast)
    reported: set[str] = set()
    for node in ast.find_all(nodes.Name):
        name = node.name
        if node.ctx != "load" or name not in undeclared or name in allowed or name in reported:
            continue
        reported.add(name)
        yield (
            node.lineno,
            f"uses {{{{ {name} }}}}, which is not an answer or a known value"
            + (_name_hint(name, allowed)),
        )
    for line, section, key in _section_reads(ast, undeclared):
        fields = [f.key for f in FIELDS if f.section == section]
        if key not in fields:
            hint = did_you_mean(key, fields)
            yield (
                line,
                (
                    f"uses {section}.{key}, but the {section} section has no answer called "
                    f"{key}{hint}; its answers are {', '.join(fields)}"
                ),
            )
    for call in ast.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "fill"):
            continue
        if "fill" not in undeclared:
            continue
        if not call.args:
            yield call.lineno, "calls fill() without an answer name, like fill('program.name')"
            continue
        first = call.args[0]
        if isinstance(first, nodes.Const) and first.value not in BY_NAME:
            hint = did_you_mean(str(first.value), BY_NAME)
            yield (
                call.lineno,
                (
                    f"calls fill('{first.value}'), but there is no answer called "
                    f"{first.value}{hint}; fill takes a full answer name like "
                    "'program.vendor_name'"
                ),
            )


def _name_hint(name: str, allowed: Iterable[str]) -> str:
    by_key = [f.name for f in FIELDS if f.key == name]
    if by_key:
        return f" (did you mean {by_key[0]}?)"
    hint = did_you_mean(name, allowed)
    if hint:
        return hint
    return (
        f"; a text may use the answer sections ({', '.join(SECTIONS)}), "
        f"{', '.join(TOP_LEVEL)} and the values listed in the README"
    )


def _names_read(ast: nodes.Template) -> set[str]:
    """Names read but never set anywhere in the text: a rough stand-in for Jinja's analysis."""
    stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    stored |= {"loop", "caller", "varargs", "kwargs"}
    return {n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"} - stored


def _section_reads(ast: nodes.Template, undeclared: set[str]) -> Iterator[tuple[int, str, str]]:
    """(line, section, key) for every ``section.key`` / ``section['key']`` on an answer section."""
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        field_name = _answer_field(node, undeclared, any_key=True)
        if field_name is not None:
            section, _, key = field_name.partition(".")
            yield node.lineno, section, key


def _answer_field(node: nodes.Node, undeclared: set[str], *, any_key: bool = False) -> str | None:
    """The answer a node reads directly (``program.weeks``, ``school_year``), if it is one."""
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in TOP_LEVEL:
        return node.name if node.name in undeclared else None
    base: nodes.Node | None = None
    key: object = None
    if isinstance(node, nodes.Getattr):
        base, key = node.node, node.attr
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base, key = node.node, node.arg.value
    if (
        isinstance(base, nodes.Name)
        and base.name in SECTIONS
        and base.name in undeclared
        and isinstance(key, str)
    ):
        name = f"{base.name}.{key}"
        return name if any_key or name in BY_NAME else None
    return None


def _bare_prints(ast: nodes.Template) -> list[tuple[int, str]]:
    """Optional answers printed as they are, outside an ``{% if %}`` that tests them."""
    try:
        undeclared = meta.find_undeclared_variables(ast)
    except jinja2.TemplateError:
        undeclared = _names_read(ast)
    found: list[tuple[int, str]] = []

    def tested(test: nodes.Node) -> frozenset[str]:
        names = {
            _answer_field(n, undeclared)
            for n in test.find_all((nodes.Getattr, nodes.Getitem, nodes.Name))
        }
        direct = _answer_field(test, undeclared)
        return frozenset(n for n in {*names, direct} if n)

    def expression(expr: nodes.Node, guarded: frozenset[str]) -> None:
        if isinstance(expr, nodes.CondExpr):
            expression(expr.expr1, guarded | tested(expr.test))
            if expr.expr2 is not None:
                expression(expr.expr2, guarded)
            return
        name = _answer_field(expr, undeclared)
        if name is not None and not BY_NAME[name].required and name not in guarded:
            found.append((expr.lineno, name))

    def visit(node: nodes.Node, guarded: frozenset[str]) -> None:
        if isinstance(node, nodes.If):
            for child in node.body:
                visit(child, guarded | tested(node.test))
            for branch in node.elif_:
                visit(branch, guarded)
            for child in node.else_:
                visit(child, guarded)
            return
        if isinstance(node, nodes.Output):
            for expr in node.nodes:
                if not isinstance(expr, nodes.TemplateData):
                    expression(expr, guarded)
            return
        for child in node.iter_child_nodes():
            visit(child, guarded)

    visit(ast, frozenset())
    return found


def _template_line(exc: BaseException, name: str) -> int | None:
    """The template line a render error happened on, from Jinja's rewritten traceback."""
    line: int | None = None
    for error in (exc, exc.__context__, exc.__cause__):
        tb: TracebackType | None = error.__traceback__ if error is not None else None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == name:
                line = tb.tb_lineno
            tb = tb.tb_next
        if line is not None:
            return line
    return None


def _error_words(exc: BaseException) -> str:
    if isinstance(exc, TutorbargainError) and exc.problems:
        message = exc.problems[0].message
        return message.removeprefix("text cannot be rendered: ")
    return f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- can a rule ever hold?


class SearchTooLarge(Exception):
    """A rule reads so many answers that trying every candidate combination would take too long."""

    def __init__(self, fields: int) -> None:
        super().__init__(f"{fields} fields")
        self.fields = fields


_FULL_DATA: dict[str, Any] = {
    "local": {
        "name": "Sample Education Association",
        "affiliate": "Sample State Education Association",
        "president": "Pat Sample",
        "address": "1 Main Street, Sample City, OH 43000",
    },
    "district": {"name": "Sample School District", "state": "OH", "superintendent": "Dr. Lee"},
    "school_year": "2026-27",
    "bargaining": {
        "status": "cba",
        "tutors_already_negotiated": False,
        "contract_article": "Article 14",
        "esp_representation": "same_union",
        "contract_expires": "2028-06-30",
        "midterm_notice_days": 30,
        "midterm_article": "Article 3",
        "union_notified_on": "2026-08-15",
        "union_notified_how": "a board agenda",
    },
    "program": {
        "name": "Sample Tutoring",
        "provider": "mixed",
        "vendor_name": "Sample Tutoring Co.",
        "vendor_hourly_rate": 60,
        "delivery": "hybrid",
        "during_school_day": True,
        "sessions_per_week": 3,
        "minutes_per_session": 30,
        "weeks": 24,
        "max_group_size": 3,
        "students": 300,
        "tutor_count": 20,
        "subjects": ["math", "reading"],
        "grades": ["3", "4", "5"],
        "student_identification": "multiple_measures",
        "evaluation_uses_test_scores": False,
        "serves_iep_students": True,
        "needs_space": True,
        "started": True,
        "start_date": "2026-09-08",
        "schedule": ["school_day", "after_school"],
        "vendor_contract_signed": True,
        "vendor_contract_date": "2026-07-01",
        "vendor_contract_ends": "2027-06-30",
        "sessions_recorded": True,
        "student_data_to_vendor": True,
        "members_supervise_virtual": True,
        "uses_software_tutor": True,
    },
    "tutors": {
        "unit_teachers": True,
        "esps": True,
        "retirees": True,
        "student_teachers": True,
        "community_volunteers": True,
        "retiree_pension_system": "STRS Ohio",
        "paid_student_tutors": True,
    },
    "pay": {
        "certificated_hourly_rate": 42,
        "tutoring_hourly_rate": 45,
        "esp_hourly_rate": 22,
        "training_hours": 6,
        "extra_duty_hourly_rate": 40,
        "training_hourly_rate": 45,
        "esp_tutoring_hourly_rate": 25,
        "student_teacher_hourly_rate": 20,
        "lead_tutor_hourly_rate": 50,
    },
    "funding": {
        "source": "title_i",
        "ends": "2027-06-30",
        "other_sources": ["state_grant"],
        "federal": True,
    },
    "terms": {
        "posting_days": 10,
        "notice_days": 30,
        "information_days": 10,
        "funding_notice_days": 60,
        "reopener_days": 30,
        "weekly_hours_cap": 24,
        "planning_hours_cap": 1,
        "leave_assignment_days": 10,
    },
}
"""Every answer given, all valid together; the other answers of a searched rule come from here."""

_full_values: dict[str, Any] | None = None


def full_values() -> dict[str, Any]:
    """The typed values of a sample where every answer is given."""
    global _full_values
    if _full_values is None:
        _full_values = dict(answers_from_mapping(_FULL_DATA, source="sample answers").values)
        missing = [name for name, value in _full_values.items() if value is None]
        assert not missing, f"the linter's sample answers leave out {missing}"
    return dict(_full_values)


def minimal_values() -> dict[str, Any]:
    """The sample with only the required answers given, as in an early draft."""
    return {
        name: (value if BY_NAME[name].required else None) for name, value in full_values().items()
    }


def rule_constants(rule: Rule) -> dict[str, list[Any]]:
    """Each field a rule reads, with the values the rule compares it to."""
    out: dict[str, list[Any]] = {}

    def visit(r: Rule) -> None:
        if isinstance(r, Compare):
            values = out.setdefault(r.field, [])
            if r.op == "gt_field":
                out.setdefault(r.value, [])
            elif r.op in ("in", "not_in"):
                values.extend(r.value)
            elif r.op != "is_set":
                values.append(r.value)
        elif isinstance(r, Not):
            visit(r.rule)
        elif isinstance(r, AllOf | AnyOf):
            for child in r.rules:
                visit(child)

    visit(rule)
    return out


def candidate_values(f: Field, constants: Sequence[Any] = ()) -> list[Any]:
    """The values worth trying for ``f``: enough to meet or miss any comparison in the rule.

    Every choice; yes and no; each number, amount or date in the rule, one either side of it,
    and a typical value; for lists, each value alone, all of them, something else and empty;
    and no answer at all, unless the answer is required.
    """
    sample = full_values()[f.name]
    unset: list[Any] = [] if f.required else [None]
    consts = list(dict.fromkeys(constants))
    if f.kind is Kind.BOOL:
        return [True, False, *unset]
    if f.kind is Kind.CHOICE:
        return [*f.choice_values(), *unset]
    if f.kind in (Kind.COUNT, Kind.MONEY, Kind.DATE):
        step: Any = {Kind.COUNT: 1, Kind.MONEY: Decimal(1), Kind.DATE: dt.timedelta(days=1)}[f.kind]
        values = [sample, *consts]
        for c in consts:
            values += [c - step, c + step]
        if f.kind is not Kind.DATE:
            bounds = [b for b in (f.minimum, f.maximum) if b is not None]
            values += [Decimal(b) if f.kind is Kind.MONEY else b for b in bounds]
        return [*sorted(set(filter(lambda v: _in_range(f, v), values))), *unset]
    if f.kind in (Kind.LIST, Kind.GRADES):
        if f.kind is Kind.GRADES:
            other = next(g for g in GRADE_VALUES if g not in consts)
        else:
            other = next(w for w in ("something else", "anything else") if w not in consts)
        lists: list[Any] = [[c] for c in consts]
        if len(consts) > 1:
            lists.append(consts)
        return [*lists, [other], [], *unset]
    return [*consts, *([sample] if sample not in consts else []), *unset]


def _in_range(f: Field, value: Any) -> bool:
    if f.kind is Kind.DATE:
        return bool(2000 <= value.year <= 2100)
    low = f.minimum if f.minimum is not None else -math.inf
    high = f.maximum if f.maximum is not None else math.inf
    return bool(low <= value <= high)


def complete_answers(assignment: Mapping[str, Any], *, minimal: bool = False) -> Answers | None:
    """Valid answers that keep ``assignment`` and fill in the rest, or None if none exist.

    The other answers come from the full (or minimal) sample. When the cross-field checks object
    (a vendor name without a vendor, say), the answer they name is dropped or supplied; if that
    answer is one of ``assignment``'s, the bargaining status, provider and delivery not fixed by
    ``assignment`` are tried in turn. The result passes the same validation as an answers file.
    """
    free = [name for name in _CORE if name not in assignment]
    sample = full_values()
    orders = [_first(BY_NAME[name].choice_values(), sample[name]) for name in free]
    for combo in itertools.product(*orders):
        values = minimal_values() if minimal else full_values()
        values.update(zip(free, combo, strict=True))
        values.update(assignment)
        answers = _repaired(values, fixed=assignment)
        if answers is not None:
            return answers
    return None


def _first(values: list[str], first: str) -> list[str]:
    return [first, *(v for v in values if v != first)]


def _repaired(values: dict[str, Any], *, fixed: Mapping[str, Any]) -> Answers | None:
    for _ in range(len(FIELDS)):
        problems = cross_field_problems(values, lambda name: name)
        if not problems:
            break
        flips = [p.where for p in problems if p.where in BY_NAME and p.where not in fixed]
        if len(flips) < len(problems):
            return None
        for name in flips:
            values[name] = None if values[name] is not None else full_values()[name]
    else:
        return None
    try:
        return answers_from_mapping(Answers(values).to_data(), source="sample answers")
    except AnswersError:
        return None


def rule_assignments(rule: Rule, *, also: Sequence[str] = ()) -> Iterator[dict[str, Any]]:
    """Every combination of candidate values of the fields ``rule`` reads (and ``also``)."""
    constants = rule_constants(rule)
    names = sorted({*fields_in(rule), *also})
    options = [candidate_values(BY_NAME[n], constants.get(n, ())) for n in names]
    if math.prod(len(o) for o in options) > SEARCH_LIMIT:
        raise SearchTooLarge(len(names))
    for combo in itertools.product(*options):
        yield dict(zip(names, combo, strict=True))


@functools.lru_cache(maxsize=4096)
def satisfying_answers(
    rule: Rule,
    *,
    unset: str | None = None,
    minimal: bool = False,
) -> Answers | None:
    """Valid answers for which ``rule`` holds (and ``unset`` has no answer), or None.

    Raises `SearchTooLarge` when the rule reads too many answers to search. Results are
    cached: a rule's answer does not change within a process, and `clauses lint` over an overlay
    re-checks every bundled rule.
    """
    also = [unset] if unset else []
    for values in rule_assignments(rule, also=also):
        if unset is not None and values[unset] is not None:
            continue
        if not evaluate_values(rule, values):
            continue
        answers = complete_answers(values, minimal=minimal)
        if answers is not None:
            return answers
    return None


def _can_be_blank(rule: Rule, name: str) -> bool:
    """Whether some answers include the text while leaving ``name`` unanswered."""
    try:
        return satisfying_answers(rule, unset=name) is not None
    except SearchTooLarge:
        return True


# ---------------------------------------------------------------- the combination space

TUTOR_KINDS = tuple(name for name in BY_NAME if name.startswith("tutors."))


def answer_space(library: Library) -> Iterator[Answers]:
    """Representative answer sets for a library, each once, all valid.

    The union of the core product (every bargaining status x provider x delivery x each kind
    of tutor on or off, the other answers alternately all given and all blank) and, for each
    rule of the library, every combination of the values worth trying for the fields it reads
    (see `candidate_values`), with the other answers given and then blank. The rule-coverage
    and drafting tests run over it, so it grows with the library.
    """
    seen: set[tuple[tuple[str, Any], ...]] = set()
    for assignment, minimal in itertools.chain(_core_product(), _per_rule(library)):
        key = (*_frozen_items(assignment), ("minimal", minimal))
        if key in seen:
            continue
        seen.add(key)
        answers = complete_answers(assignment, minimal=minimal)
        if answers is not None:
            yield answers


def _core_product() -> Iterator[tuple[dict[str, Any], bool]]:
    choices = [BY_NAME[name].choice_values() for name in _CORE]
    tutors = [[True, False]] * len(TUTOR_KINDS)
    for index, combo in enumerate(itertools.product(*choices, *tutors)):
        yield dict(zip((*_CORE, *TUTOR_KINDS), combo, strict=True)), index % 2 == 1


def _per_rule(library: Library) -> Iterator[tuple[dict[str, Any], bool]]:
    rules = {entry.when for entry in library.entries()}
    rules |= {posture.when for posture in library.postures}
    for rule in sorted(rules, key=describe_rule):
        for assignment in rule_assignments(rule):
            yield assignment, False
            yield assignment, True


def _frozen_items(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple((name, _frozen(v)) for name, v in sorted(values.items()))


# ---------------------------------------------------------------- sample renders


_CORE = ("bargaining.status", "program.provider", "program.delivery")


class _Samples:
    """Answer sets to render texts with: each entry's own, then every core combination."""

    def __init__(self, library: Library, linter: _Linter) -> None:
        self.library = library
        self.linter = linter
        self._contexts: dict[tuple[tuple[str, Any], ...], dict[str, Any] | None] = {}
        self._postures_only = replace(library)
        for _, section in KINDS:  # the posture is all a context needs from the selection
            setattr(self._postures_only, section, [])
        self.generic: list[tuple[str, Answers, dict[str, Any]]] = []
        combos = itertools.product(*(BY_NAME[n].choice_values() for n in _CORE))
        for index, combo in enumerate(combos):
            # Every combination once; every value with the other answers given and blank.
            minimal = index % 2 == 1
            assignment = dict(zip(_CORE, combo, strict=True))
            answers = complete_answers(assignment, minimal=minimal)
            ctx = self.context(answers) if answers is not None else None
            if answers is not None and ctx is not None:
                extent = "only the required answers" if minimal else "every other answer"
                label = f"answers with {_describe(assignment)} and {extent} given"
                self.generic.append((label, answers, ctx))

    @staticmethod
    def full_answers() -> Answers:
        return answers_from_mapping(_FULL_DATA, source="sample answers")

    def for_entry(self, entry: Entry, found: Answers) -> Iterator[tuple[str, dict[str, Any]]]:
        """Contexts whose answers include ``entry``: its own two, then the generic ones."""
        deciding = {n: found.get(n) for n in fields_in(entry.when)}
        like = f"answers with {_describe(deciding)} and" if deciding else "answers with"
        own = [(f"{like} every other answer given", found)]
        blank = complete_answers(deciding, minimal=True)
        if blank is not None:
            own.append((f"{like} only the required answers given", blank))
        for label, answers in own:
            ctx = self.context(answers)
            if ctx is not None:
                yield label, ctx
        for label, answers, ctx in self.generic:
            if evaluate_values(entry.when, answers.values):
                yield label, ctx

    def context(self, answers: Answers) -> dict[str, Any] | None:
        """The context a clause text renders with, as `documents.compose` builds it."""
        key = tuple((name, _frozen(value)) for name, value in sorted(answers.values.items()))
        if key not in self._contexts:
            from tutorbargain.compose.costing import estimate
            from tutorbargain.compose.documents import base_context, cost_view
            from tutorbargain.library.selection import select

            try:
                selection = select(self._postures_only, answers)
                ctx = base_context(answers, selection, self.library, today=TODAY)
                ctx["costs"] = cost_view(estimate(answers))
            except TutorbargainError as exc:  # a posture text that cannot be rendered
                self.linter.add_problems(exc.problems, unless_checked=True)
                ctx = None
            self._contexts[key] = ctx
        return self._contexts[key]


def _describe_answers(answers: Answers) -> str:
    """The answers that decide the core of a document, in words, for a drafting finding."""
    names = [*_CORE, *TUTOR_KINDS]
    return _describe({n: answers.get(n) for n in names})


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _describe(values: Mapping[str, Any]) -> str:
    return "; ".join(f"{BY_NAME[n].label}: {BY_NAME[n].words_for(v)}" for n, v in values.items())


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
