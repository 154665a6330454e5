"""State facts: the labor law, labor board, records law and retirement system of each state.

The facts live in ``clauses/states.yml`` beside the clause library, so a local can correct one
with its own ``--clauses DIR`` holding a ``states.yml``: an entry there overrides the bundled
entry fact by fact (each fact carries its own source). The documents' legal form and the
warnings about a status the state's law contradicts are decided here, from those facts only:
a fact the table does not have is None, and the documents print a placeholder for it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tutorbargain.answers.fields import STATE_NAMES
from tutorbargain.answers.reading import Answers
from tutorbargain.answers.words import with_the
from tutorbargain.errors import ClauseLibraryError, Place, Problem, problems_error
from tutorbargain.library.model import SCOPES, STATES_FILE, resource_dir
from tutorbargain.schema import unknown_keys, version_problem
from tutorbargain.yamlfile import YamlDocument, load_yaml

STATES_FORMAT = 1
BARGAINING = ("required", "permitted", "no_statute", "prohibited")
STATUSES = ("cba", "meet_and_confer", "none")
FORMS = ("bargained_mou", "meet_and_confer", "board_proposal", "collaboration")

FACTS: dict[str, frozenset[str]] = {
    "bargaining": frozenset({"status", "law", "agreements_void", "usual"}),
    "scope": frozenset({"subjects", "citation"}),
    "implementation": frozenset({"until"}),
    "labor_board": frozenset({"name", "short", "none", "charge"}),
    "school_board": frozenset({"name", "is_district"}),
    "public_records": frozenset({"name", "citation"}),
    "retirement": frozenset({"name", "short", "rules"}),
}
"""Each fact of an entry and its own keys; every fact also has a ``source`` and may have
``as_of`` and ``verified`` (the public page the fact was checked against)."""
_FACT_KEYS = frozenset({"source", "as_of", "verified"})
_ENTRY_KEYS = frozenset({"as_of", *FACTS})
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class StateFacts:
    """What the table knows about one state; None wherever it does not know."""

    code: str
    name: str
    bargaining: str | None = None
    """required | permitted (local option) | no_statute | prohibited."""
    agreements_void: bool | None = None
    bargaining_law: str | None = None
    usual_status: str | None = None
    """The answers' bargaining.status most locals of the state have, where the table says so."""
    bargaining_scope: str | None = None
    """One of `SCOPES`: what a district may bargain over; None where the table does not say."""
    scope_citation: str | None = None
    """The subsection that sets the scope, like ``Wis. Stat. 111.70(4)(mb)``."""
    implementation_until: str | None = None
    """What must happen before a district may put a change into effect without agreement, as
    the words after "complete," in the letter: "by agreement or by completing the impasse
    procedures of Cal. Gov. Code 3548-3548.3". None where the table does not say."""
    labor_board: str | None = None
    labor_board_short: str | None = None
    has_labor_board: bool | None = None
    """False where the table says no board hears teachers' unfair-labor-practice charges."""
    labor_board_charge: str | None = None
    """The state's own name for the wrong the board hears: "improper practice" (New York),
    "unfair practice" (California); None where the table does not say."""
    school_board: str | None = None
    """The state's name for a district's governing body: "governing board", "board of
    trustees"; None where the table does not say (the documents say "board of education")."""
    school_board_is_district: bool | None = None
    """True where the governing body is itself the district's legal person and name (Florida's
    "The School Board of ... County"), so "the District's board" would be circular."""
    public_records_law: str | None = None
    public_records_citation: str | None = None
    retirement_system: str | None = None
    retirement_short: str | None = None
    retirement_rules: str | None = None
    """Where the system publishes its return-to-work rules (a page or a statute)."""
    as_of: dt.date | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    """The public source of each fact, keyed by fact (bargaining, labor_board, ...)."""

    @property
    def bargaining_law_words(self) -> str | None:
        """The law as a sentence names it: ``the Public Employment Labor Relations Act, Minn.
        Stat. ch. 179A`` takes "the"; a bare citation (``Va. Code 40.1-57.2``) does not."""
        law = self.bargaining_law
        if law is None:
            return None
        named = " Act" in law or " Law," in law or law.endswith(" Law")
        return with_the(law) if named else law

    @property
    def base_wages_only(self) -> bool:
        """True where the law lets a district bargain over base wages only, so the tutoring
        terms (its pay is supplemental pay) cannot be bargained even under a contract."""
        return self.bargaining_scope == "base_wages"

    @property
    def contracts_barred(self) -> bool:
        """True where the law bars the district from a binding agreement with the union under
        any status: bargaining is prohibited, or agreements are void and no local option lets
        a board make them valid (Virginia's resolution does, so it is left out)."""
        if self.bargaining == "prohibited":
            return True
        return self.agreements_void is True and self.bargaining != "permitted"

    @property
    def charge_words(self) -> str:
        """The charge a letter threatens, with its article: "an improper practice"; "an unfair
        labor practice" where the table does not give the state's term."""
        term = self.labor_board_charge or "unfair labor practice"
        return f"{'an' if term[:1] in 'aeiou' else 'a'} {term}"

    @property
    def board_name(self) -> str:
        """The governing body in lower case, as a definition names it: "board of trustees";
        "board of education" where the table does not give the state's name."""
        return self.school_board or "board of education"

    @property
    def board_title(self) -> str:
        """The governing body as a resolution names it before a district's name: "Board of
        Trustees" (of Brazos Bend ISD), "Governing Board"; plain "Board" where the table does
        not give the state's name."""
        if self.school_board is None:
            return "Board"
        return " ".join(w if w == "of" else w.capitalize() for w in self.school_board.split())

    @property
    def retirement_label(self) -> str | None:
        """The system as clause text names it: ``the California State Teachers' Retirement
        System (CalSTRS)``; None when the table does not know it."""
        if self.retirement_system is None:
            return None
        short = f" ({self.retirement_short})" if self.retirement_short else ""
        return f"the {self.retirement_system}{short}"


@dataclass(frozen=True)
class StateWarning:
    """A plain-words warning that the answered status conflicts with the state's law."""

    text: str
    source: str

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


# ---------------------------------------------------------------- loading


def _folders_key(folders: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    key = []
    for folder in folders:
        path = folder / STATES_FILE
        try:
            stat = path.stat()
        except OSError:
            continue
        key.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(key)


def load_states(folders: Sequence[Path] = ()) -> dict[str, StateFacts]:
    """The bundled table with each folder's ``states.yml`` (if any) layered over it, in order.

    ``folders`` may start with the bundled folder itself (as ``Library.folders`` does).
    """
    base = resource_dir("clauses")
    ordered = [base, *(f for f in folders if f.resolve() != base.resolve())]
    return dict(_load_cached(_folders_key(ordered)))


@functools.lru_cache(maxsize=8)
def _load_cached(key: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, StateFacts], ...]:
    raw: dict[str, dict[str, Any]] = {}
    for path, _, _ in key:
        doc = load_yaml(Path(path), what="a state facts file")
        problems = check_states(doc)
        if problems:
            raise problems_error(ClauseLibraryError, path, problems)
        for code, entry in (doc.data.get("states") or {}).items():
            merged = raw.setdefault(str(code), {})
            merged.update(entry)  # a fact given replaces that fact whole, with its source
    return tuple((code, _facts(code, entry)) for code, entry in sorted(raw.items()))


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _facts(code: str, entry: Mapping[str, Any]) -> StateFacts:
    bargaining = entry.get("bargaining") or {}
    scope = entry.get("scope") or {}
    board = entry.get("labor_board") or {}
    school_board = entry.get("school_board") or {}
    implementation = entry.get("implementation") or {}
    records = entry.get("public_records") or {}
    retirement = entry.get("retirement") or {}
    void = bargaining.get("agreements_void")
    has_board = False if board.get("none") is True else (True if _text(board.get("name")) else None)
    sources = {
        fact: str(entry[fact]["source"]).strip()
        for fact in FACTS
        if isinstance(entry.get(fact), Mapping) and _text(entry[fact].get("source"))
    }
    return StateFacts(
        code=code,
        name=STATE_NAMES.get(code, code),
        bargaining=_text(bargaining.get("status")),
        agreements_void=void if isinstance(void, bool) else None,
        bargaining_law=_text(bargaining.get("law")),
        usual_status=_text(bargaining.get("usual")),
        bargaining_scope=_text(scope.get("subjects")),
        scope_citation=_text(scope.get("citation")),
        implementation_until=_text(implementation.get("until")),
        labor_board=_text(board.get("name")),
        labor_board_short=_text(board.get("short")),
        has_labor_board=has_board,
        labor_board_charge=_text(board.get("charge")),
        school_board=_text(school_board.get("name")),
        school_board_is_district=school_board.get("is_district") is True,
        public_records_law=_text(records.get("name")),
        public_records_citation=_text(records.get("citation")),
        retirement_system=_text(retirement.get("name")),
        retirement_short=_text(retirement.get("short")),
        retirement_rules=_text(retirement.get("rules")),
        as_of=dt.date.fromisoformat(str(entry["as_of"])) if entry.get("as_of") else None,
        sources=sources,
    )


def check_states(doc: YamlDocument) -> list[Problem]:
    """Every problem of a states.yml: codes, keys, values, and a source and as_of for each fact.

    The clause library's loader (`loading.read_library`) calls this for each folder's table,
    and `load_states` refuses a file it finds problems in.
    """
    problems: list[Problem] = []

    def add(key: str, message: str, code: str = "bad-fact", hint: str = "") -> None:
        problems.append(Problem(doc.where(key), message, code, hint))

    data = doc.data
    if not isinstance(data, Mapping):
        return [
            Problem(
                Place(doc.path),
                "must be a YAML mapping with schema_version and states",
                "not-a-mapping",
            )
        ]
    version = version_problem(data.get("schema_version"), (STATES_FORMAT,))
    if version is not None:
        top = Place(doc.path, doc.line_of("schema_version") or 1, "schema_version")
        problems.append(Problem(top, version, "schema-version"))
    others = sorted(str(key) for key in data if str(key) != "schema_version")
    for key, message in unknown_keys(others, ("states",), what="section", of="a state facts file"):
        add(key, message, "unknown-section", "a state facts file has states:")
    states = data.get("states")
    if not isinstance(states, Mapping):
        add(
            "states", "must be a mapping of postal codes (NC, TX, ...) to their facts", "not-a-list"
        )
        return problems
    for code, entry in states.items():
        where = f"states.{code}"
        if str(code) not in STATE_NAMES:
            add(
                where,
                f"{code} is not a two-letter postal code of a state, DC or a territory",
                "unknown-state",
            )
            continue
        if not isinstance(entry, Mapping):
            add(where, "must be a mapping of facts (bargaining, labor_board, ...)", "not-a-mapping")
            continue
        for key, message in unknown_keys(
            sorted(map(str, entry)), _ENTRY_KEYS, what="fact", of="a state"
        ):
            add(
                f"{where}.{key}",
                message,
                "unknown-key",
                f"a state has {', '.join(sorted(_ENTRY_KEYS))}",
            )
        if not _is_date(entry.get("as_of")):
            add(
                f"{where}.as_of",
                "every state needs as_of: the date its facts were checked",
                "missing-date",
            )
        for fact, allowed in FACTS.items():
            if fact in entry:
                _check_fact(add, f"{where}.{fact}", entry[fact], allowed)
    return problems


def _is_date(value: object) -> bool:
    if not isinstance(value, str | dt.date) or not _DATE.match(str(value)):
        return False
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _check_fact(add: Any, where: str, raw: object, allowed: frozenset[str]) -> None:
    if not isinstance(raw, Mapping):
        add(where, f"must be a mapping with {', '.join(sorted(allowed))}")
        return
    allowed = allowed | _FACT_KEYS
    for key, message in unknown_keys(
        sorted(map(str, raw)), allowed, of=f"the {where.rpartition('.')[2]} fact"
    ):
        add(f"{where}.{key}", message, "unknown-key", f"use {', '.join(sorted(allowed))}")
    if _text(raw.get("source")) is None:
        add(f"{where}.source", "every fact needs a source: the public statute, page or case")
    if "as_of" in raw and not _is_date(raw["as_of"]):
        add(f"{where}.as_of", "must be a date like 2026-12-01")
    for key in ("law", "name", "short", "citation", "rules", "verified", "until", "charge"):
        if key in raw and raw[key] is not None and _text(raw[key]) is None:
            add(f"{where}.{key}", "must be non-empty text (leave the key out when unknown)")
    if "status" in raw and raw["status"] not in BARGAINING:
        add(f"{where}.status", f"must be one of {', '.join(BARGAINING)}")
    if "usual" in raw and raw["usual"] not in STATUSES:
        add(f"{where}.usual", f"must be one of {', '.join(STATUSES)}")
    if "subjects" in raw and raw["subjects"] not in SCOPES:
        add(f"{where}.subjects", f"must be one of {', '.join(SCOPES)}")
    for key in ("agreements_void", "none", "is_district"):
        if key in raw and not isinstance(raw[key], bool):
            add(f"{where}.{key}", "must be true or false")
    if raw.get("none") is True and "name" in raw:
        add(f"{where}.none", "a state with no board (none: true) cannot also name one")


# ---------------------------------------------------------------- using the facts


def state_facts(code: str | None, *, folders: Sequence[Path] = ()) -> StateFacts:
    """The facts of the state ``code``; every fact None for a code the table lacks."""
    key = (code or "").upper()
    table = load_states(folders)
    return table.get(key) or StateFacts(code=key, name=STATE_NAMES.get(key, key))


def document_form(answers: Answers, state: StateFacts) -> str:
    """The legal form of the documents: which kind of paper this local can hand across.

    Without bargaining, a state that voids agreements or prohibits bargaining gets a proposal
    for the board to adopt, since a signed two-party agreement there would be void. So does a
    state with no bargaining statute unless the table says its agreements are valid: a board's
    own policy binds it either way, while a contract the law does not authorize may not.
    Where the law bars any agreement with the union, or lets the district bargain over base
    wages only, the tutoring terms cannot be agreed under any status (`read_as_none`), so
    they too go to the Board as its own policy.
    """
    if read_as_none(state) is not None:
        return "board_proposal"
    status = answers.get("bargaining.status")
    if status == "cba":
        return "bargained_mou"
    if status == "meet_and_confer":
        return "meet_and_confer"
    if state.agreements_void is True or state.bargaining == "prohibited":
        return "board_proposal"
    if state.bargaining == "no_statute" and state.agreements_void is not False:
        return "board_proposal"
    return "collaboration"


def read_as_none(state: StateFacts) -> str | None:
    """Why the state's law puts the tutoring terms outside any agreement with the union,
    whatever status the local has, in words that finish "because ...": the law bars such
    agreements (`StateFacts.contracts_barred`) or limits bargaining to base wages. None where
    the answered status stands."""
    if state.contracts_barred:
        return f"{_cap(state.name)} law{_law(state)} {_barred_words(state)}"
    if state.base_wages_only:
        return base_wages_words(state)
    return None


def base_wages_words(state: StateFacts) -> str:
    """Why a base-wages state keeps the tutoring terms out, finishing "because ..."."""
    return f"{scope_words(state)} limits bargaining to base wages"


def _barred_words(state: StateFacts) -> str:
    if state.agreements_void is True:
        return "makes agreements between school boards and unions void"
    return "does not allow school boards to bargain with unions"


def document_answers(answers: Answers, state: StateFacts) -> Answers:
    """The answers as the documents read them: where the law bars any agreement with the
    union or lets the district bargain over base wages only (`read_as_none`), the tutoring
    terms are outside bargaining, so every clause, question and letter line is the one a
    local without bargaining gets (bargaining.status none), whatever status was answered."""
    if read_as_none(state) is None or answers.get("bargaining.status") == "none":
        return answers
    return replace(answers, values={**answers.values, "bargaining.status": "none"})


def scope_words(state: StateFacts) -> str:
    """The scope limit as a sentence names it: "Wisconsin law (Wis. Stat. 111.70(4)(mb))"."""
    return f"{_cap(state.name)} law{_cited(state)}"


def _law(state: StateFacts) -> str:
    return f" ({state.bargaining_law})" if state.bargaining_law else ""


def usual_status(code: str | None, *, folders: Sequence[Path] = ()) -> tuple[str | None, str]:
    """The interview's default for bargaining.status in this state, and why, in one line."""
    state = state_facts(code, folders=folders)
    name = _cap(state.name)
    law = _law(state)
    if state.bargaining == "required" and state.base_wages_only:
        return state.usual_status or "cba", (
            f"{name} law{law} gives teachers' unions the right to bargain over base wages "
            f"only{_cited(state)}: tutoring terms go to the Board as a proposal for it to adopt."
        )
    if state.bargaining == "required":
        value = state.usual_status or "cba"
        return value, f"{name} law{law} gives teachers' unions the right to bargain."
    if state.bargaining == "prohibited":
        void = " and makes such agreements void" if state.agreements_void else ""
        return state.usual_status or "none", (
            f"{name} law{law} does not allow school boards to bargain with unions{void}."
        )
    if state.bargaining == "no_statute":
        return state.usual_status or "none", (
            f"{name} has no law giving teachers collective bargaining{law}."
        )
    if state.bargaining == "permitted":
        return state.usual_status, (
            f"{name} law{law} leaves bargaining to each school board: answer cba if yours "
            "has agreed to bargain."
        )
    return None, f"The state facts table has no bargaining law for {state.name or 'this state'}."


def status_conflict(answers: Answers, state: StateFacts) -> StateWarning | None:
    """A warning when the answered bargaining.status contradicts the state's law, else None.

    Never a refusal: laws change and the table can be overridden.
    """
    status = answers.get("bargaining.status")
    name = _cap(state.name)
    law = _law(state)
    source = state.sources.get("bargaining", "")
    if status in ("cba", "meet_and_confer") and state.base_wages_only:
        return StateWarning(
            f"{scope_words(state)} limits the district's bargaining with teachers to base "
            "wages, and tutoring pay and terms are outside it: the documents are a proposal for "
            "the Board to adopt by its own vote, and the letter asks it to, instead of "
            "demanding bargaining. "
            "If the law has changed, override the state's scope fact with --clauses.",
            state.sources.get("scope", source),
        )
    if status in ("cba", "meet_and_confer") and state.contracts_barred:
        return StateWarning(
            f"{name} law{law} {_barred_words(state)}; bargaining.status is {status}, but no "
            "agreement with the Union can bind the district there, so the documents are "
            "written as they are for status none: a proposal for the Board to adopt by its own "
            "vote, with no two-party signatures, and a letter that asks to meet, not a demand "
            "to bargain. If the law has changed, override the state facts with --clauses.",
            source,
        )
    if status == "cba" and state.bargaining == "no_statute":
        return StateWarning(
            f"{name} has no law giving teachers collective bargaining{law}; bargaining.status "
            "is cba, so the documents assume a duty to bargain the district may not have. "
            "Check the status (meet_and_confer or none) unless your district has agreed to "
            "bargain.",
            source,
        )
    if status == "none" and state.bargaining == "required":
        return StateWarning(
            f"{name} law{law} gives teachers' unions the right to bargain; bargaining.status "
            "is none, so the documents only ask the district to collaborate. Check the status.",
            source,
        )
    return None


def conflict_warning(answers: Answers, *, folders: Sequence[Path] = ()) -> StateWarning | None:
    """`status_conflict` for the answers' own state, with the table ``folders`` layer."""
    return status_conflict(answers, state_facts(answers.get("district.state"), folders=folders))


def _cited(state: StateFacts) -> str:
    return f" ({state.scope_citation})" if state.scope_citation else ""


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def warning_line(warning: StateWarning) -> str:
    """The one line the commands print."""
    return f"Warning: {warning.text}"


__all__ = [
    "BARGAINING",
    "FORMS",
    "SCOPES",
    "STATES_FILE",
    "StateFacts",
    "StateWarning",
    "base_wages_words",
    "check_states",
    "conflict_warning",
    "document_answers",
    "document_form",
    "load_states",
    "read_as_none",
    "scope_words",
    "state_facts",
    "status_conflict",
    "usual_status",
    "warning_line",
]
