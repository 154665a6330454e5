"""A small asking interface, so the interview does not care who answers it.

The interview asks through an `Asker`: `QuestionaryAsker` asks a person at a terminal, and
`ScriptedAsker` answers from a script, for tests (and, later, batch runs). Every method raises
`KeyboardInterrupt` when the person stops (Ctrl-C or Esc), so the interview can offer to go
on or save; a question asked with ``back=True`` raises `GoBack` for Ctrl-B (or "Back" in a
list), so the interview can return to the question before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

Validate = Callable[[str], "str | None"]
"""Checks what was typed: None when it is fine, else the message to show (and ask again)."""

Tone = Literal["plain", "heading", "hint", "note"]
"""How a line is shown: ordinary text, a section heading, a question's hint, a notice."""

NOT_SURE = "Not sure yet"
"""The one way every question says "I don't know yet" (the answer is left blank)."""


class GoBack(Exception):
    """The person asked for the previous question (Ctrl-B, or "Back" in a list)."""


@dataclass(frozen=True)
class Option:
    """One choice of a `select`: the value returned and the words shown."""

    value: str
    title: str


@dataclass(frozen=True)
class Heading:
    """A heading between the options of a `select`; it cannot be picked."""

    title: str


class Asker(Protocol):
    """What the interview needs from whoever answers it.

    ``name`` is a stable id for each question (a field's dotted name, or ``review``), so a
    script can answer by name whatever the wording. ``hint`` is shown under the question.
    Each method raises `KeyboardInterrupt` when the person asks to stop, and, when asked with
    ``back=True``, `GoBack` when they ask for the previous question.
    """

    def say(self, text: str = "", *, tone: Tone = "plain") -> None:
        """Show a line that is not a question."""

    def rows(self) -> int:
        """How many lines the screen shows, so a long review can be shown a page at a time."""

    def text(
        self,
        name: str,
        prompt: str,
        *,
        hint: str = "",
        default: str = "",
        validate: Validate | None = None,
        back: bool = False,
    ) -> str:
        """Ask for typed words; ``validate`` refuses what does not fit, with its message."""

    def yes_no(
        self,
        name: str,
        prompt: str,
        *,
        hint: str = "",
        default: bool | None = None,
        unsure: bool = False,
        back: bool = False,
    ) -> bool | None:
        """Ask yes or no (y or n); with ``unsure``, ``?`` answers "Not sure yet" (None)."""

    def confirm(self, name: str, prompt: str, *, hint: str = "", default: bool = False) -> bool:
        """Ask a yes-or-no question that must be answered (no "not sure", no back)."""

    def select(
        self,
        name: str,
        prompt: str,
        options: Sequence[Option | Heading],
        *,
        hint: str = "",
        default: str | None = None,
        back: bool = False,
        back_title: str = "",
    ) -> str:
        """Ask for one of ``options``; returns its value. ``back`` adds a "Back" option."""


def yes_no_keys(default: bool | None, unsure: bool) -> str:
    """The keys a yes/no question takes, the default in capitals: "(Y/n)", "(y/n/?)"."""
    keys = ["Y" if default is True else "y", "N" if default is False else "n"]
    if unsure:
        keys.append("?")
    return "(" + "/".join(keys) + ")"


# ---------------------------------------------------------------- a person at a terminal

_STYLES = {
    "heading": "bold",
    "hint": "italic fg:ansibrightblack",
    "note": "fg:ansiyellow",
}
_MAX_SHORTCUTS = 9
"""Options numbered 1 to 9 can be picked by typing the number; longer lists use arrows only."""
_BACK = "\0back"
_BACK_TITLE = "<- Back to the previous question"
_MARK = "  >"
"""Where the answer goes, under the question and its hint."""


class QuestionaryAsker:
    """Asks with questionary. Ctrl-C, Ctrl-D and Esc all raise `KeyboardInterrupt`.

    The question and its hint are printed first, so the hint sits under its question in the
    scrollback; the answer is typed on the line below. questionary's ``ask()`` swallows Ctrl-C
    and returns None, which would read as an answer; this class uses ``unsafe_ask()``.
    """

    def __init__(self) -> None:
        import questionary

        self._q = questionary

    def say(self, text: str = "", *, tone: Tone = "plain") -> None:
        text = _wrap(text)
        style = _STYLES.get(tone)
        if style:
            self._q.print(text, style=style)
        else:
            print(text, flush=True)

    def rows(self) -> int:
        import shutil

        return shutil.get_terminal_size().lines

    def _head(self, prompt: str, hint: str) -> None:
        """The question (bold), then the reason it matters, under it."""
        self._q.print(_wrap(f"? {prompt}"), style="bold")
        if hint:
            self.say(f"  {hint}", tone="hint")

    def text(
        self,
        name: str,
        prompt: str,
        *,
        hint: str = "",
        default: str = "",
        validate: Validate | None = None,
        back: bool = False,
    ) -> str:
        self._head(prompt, hint)
        # A refused answer's message is printed in full under the question, which is asked
        # again with an empty box (the message quotes what was refused), so new typing never
        # lands after the old; prompt_toolkit's own validation line would cut the message off.
        while True:
            question = self._q.text("", default=default, qmark=_MARK, rprompt=_keys_shown(back))
            answer = str(self._run(question, back=back))
            message = validate(answer) if validate else None
            if message is None:
                return answer
            self.say(f"  {message}", tone="note")
            default = ""

    def yes_no(
        self,
        name: str,
        prompt: str,
        *,
        hint: str = "",
        default: bool | None = None,
        unsure: bool = False,
        back: bool = False,
    ) -> bool | None:
        self._head(prompt, hint)
        answer = self._run(_yes_no_question(default, unsure, back), back=back)
        return None if answer == NOT_SURE else bool(answer)

    def confirm(self, name: str, prompt: str, *, hint: str = "", default: bool = False) -> bool:
        self._head(prompt, hint)
        return bool(self._run(_yes_no_question(default, False, False), back=False))

    def select(
        self,
        name: str,
        prompt: str,
        options: Sequence[Option | Heading],
        *,
        hint: str = "",
        default: str | None = None,
        back: bool = False,
        back_title: str = "",
    ) -> str:
        choices: list[Any] = []
        picks = [o for o in options if isinstance(o, Option)]
        shortcuts = len(picks) + back <= _MAX_SHORTCUTS
        for option in options:
            if isinstance(option, Heading):
                choices.append(self._q.Separator(f"── {option.title}"))
            else:
                choices.append(self._q.Choice(option.title, value=option.value))
        if back:
            choices.append(self._q.Choice(back_title or _BACK_TITLE, value=_BACK))
        values = [o.value for o in picks]
        keys = "a number or the arrow keys, then Enter" if shortcuts else "arrow keys, then Enter"
        if back:
            keys += "; Ctrl-B: back"
        self._head(prompt, hint)
        question = self._q.select(
            "",
            choices=choices,
            default=default if default in values else None,
            use_shortcuts=shortcuts,
            instruction=f"({keys})",
            qmark=_MARK,
        )
        answer = str(self._run(question, back=back))
        if answer == _BACK:
            raise GoBack
        return answer

    def _run(self, question: Any, *, back: bool) -> Any:
        """Ask, with Esc bound to stop and Ctrl-B to go back; a stop becomes KeyboardInterrupt."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from prompt_toolkit.keys import Keys

        keys = KeyBindings()

        @keys.add(Keys.Escape, eager=True)
        def _escape(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        if back:

            @keys.add(Keys.ControlB, eager=True)
            def _back(event: Any) -> None:
                event.app.current_buffer.reset()  # the left question must not look answered
                event.app.exit(exception=GoBack, style="class:aborting")

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, keys])
        try:
            answer = question.unsafe_ask()
        except EOFError:  # Ctrl-D in a text prompt
            raise KeyboardInterrupt from None
        if answer is None:
            raise KeyboardInterrupt
        return answer


def _keys_shown(back: bool) -> Callable[[], str]:
    """The keys beside a typed answer while it is typed (gone once it is answered)."""
    from prompt_toolkit.application.current import get_app

    words = "Ctrl-B: back  " if back else ""
    return lambda: "" if get_app().is_done else words


def _yes_no_question(default: bool | None, unsure: bool, back: bool) -> Any:
    """One yes/no prompt for every yes/no question: y, n, ``?`` where allowed, Enter = default.

    Built like questionary's confirm, which has no third answer and no blank default.
    """
    import questionary
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    status: dict[str, Any] = {"answer": None, "complete": False}
    words = {True: "Yes", False: "No", NOT_SURE: NOT_SURE}

    def tokens() -> Any:
        parts: list[Any] = [("class:qmark", _MARK), ("class:question", "  ")]
        if status["complete"]:
            parts.append(("class:answer", words[status["answer"]]))
        else:
            extra = [f"?: {NOT_SURE.lower()}"] if unsure else []
            extra += ["Ctrl-B: back"] if back else []
            parts.append(("class:instruction", yes_no_keys(default, unsure) + " "))
            if extra:
                parts.append(("class:instruction", "  " + "; ".join(extra)))
        return to_formatted_text(parts)

    def finish(event: Any, answer: object) -> None:
        status["answer"], status["complete"] = answer, True
        event.app.exit(result=answer)

    keys = KeyBindings()

    @keys.add(Keys.ControlC, eager=True)
    def _stop(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @keys.add("y")
    @keys.add("Y")
    def _yes(event: Any) -> None:
        finish(event, True)

    @keys.add("n")
    @keys.add("N")
    def _no(event: Any) -> None:
        finish(event, False)

    if unsure:

        @keys.add("?")
        def _unsure(event: Any) -> None:
            finish(event, NOT_SURE)

    @keys.add(Keys.ControlM, eager=True)
    def _enter(event: Any) -> None:
        if default is not None:
            finish(event, default)
        elif unsure:
            finish(event, NOT_SURE)

    @keys.add(Keys.Any)
    def _other(event: Any) -> None:
        """Other keys type nothing."""

    style = questionary.styles.merge_styles_default([None])
    return questionary.Question(PromptSession(tokens, key_bindings=keys, style=style).app)


def _wrap(text: str) -> str:
    """Fold a long line to the terminal's width, keeping its indent (and a bullet's hang)."""
    import shutil
    import textwrap

    width = max(40, min(shutil.get_terminal_size().columns, 100) - 1)
    if len(text) <= width:
        return text
    body = text.lstrip(" ")
    indent = " " * (len(text) - len(body))
    hang = indent + ("  " if body.startswith(("- ", "? ")) else "")
    return textwrap.fill(
        body, width=width, initial_indent=indent, subsequent_indent=hang, break_on_hyphens=False
    )


# ---------------------------------------------------------------- a script, for tests


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DEFAULT = _Marker("DEFAULT")
"""A scripted reply that takes the question's default, as pressing Enter would."""

INTERRUPT = _Marker("INTERRUPT")
"""A scripted reply that presses Ctrl-C."""

BACK = _Marker("BACK")
"""A scripted reply that presses Ctrl-B (back to the previous question)."""


class ScriptError(LookupError):
    """Raised when a script has no reply for a question, or its reply does not fit."""


class ScriptedAsker:
    """Answers from a script: ``{name: reply}``, or ``{name: [reply, reply, ...]}`` used in turn.

    A text reply is a string, a yes/no reply a bool (or None for "not sure"), a select reply
    an option's value; `DEFAULT` takes the default, `INTERRUPT` presses Ctrl-C and `BACK`
    presses Ctrl-B. A text reply that its validator refuses is recorded in `rejected`, and the
    next reply in the list is tried, as a person would type again. Everything asked and said is
    recorded for assertions.
    """

    def __init__(self, replies: Mapping[str, object], *, rows: int = 10_000) -> None:
        self._replies: dict[str, deque[object]] = {
            name: deque(reply if isinstance(reply, list) else [reply])
            for name, reply in replies.items()
        }
        self._rows = rows
        self.asked: list[str] = []
        """The names of the questions asked, in order (a name asked twice appears twice)."""
        self.prompts: dict[str, str] = {}
        self.hints: dict[str, str] = {}
        self.defaults: dict[str, object] = {}
        """The default each question offered, the last time it was asked."""
        self.options: dict[str, list[str]] = {}
        self.titles: dict[str, list[str]] = {}
        self.said: list[str] = []
        self.rejected: list[tuple[str, str]] = []
        """(name, message) for each reply a validator refused."""

    def unused(self) -> dict[str, list[object]]:
        """Replies the run never needed: a sign the script (or the flow) is not as expected."""
        return {name: list(queue) for name, queue in self._replies.items() if queue}

    def rows(self) -> int:
        return self._rows

    def _next(self, name: str, prompt: str, hint: str, default: object, back: bool) -> object:
        self.asked.append(name)
        self.prompts[name] = prompt
        self.hints[name] = hint
        self.defaults[name] = default
        queue = self._replies.get(name)
        if not queue:
            raise ScriptError(f"nothing scripted for {name!r} ({prompt})")
        return self._special(name, queue.popleft(), default, back)

    @staticmethod
    def _special(name: str, reply: object, default: object, back: bool) -> object:
        if reply is INTERRUPT:
            raise KeyboardInterrupt
        if reply is BACK:
            if not back:
                raise ScriptError(f"{name!r} has no way back, but the script says BACK")
            raise GoBack
        return default if reply is DEFAULT else reply

    def say(self, text: str = "", *, tone: Tone = "plain") -> None:
        self.said.append(text)

    def text(
        self,
        name: str,
        prompt: str,
        *,
        hint: str = "",
        default: str = "",
        validate: Validate | None = None,
        back: bool = False,
    ) -> str:
        reply = self._next(name, prompt, hint, default, back)
        while True:
            if not isinstance(reply, str):
                raise ScriptError(f"{name!r} needs text, but the script says {reply!r}")
            message = validate(reply) if validate else None
            if message is None:
                return reply
            self.rejected.append((name, message))
            queue = self._replies.get(name)
            if not queue:
                raise ScriptError(f"{name!r}: {reply!r} was refused: {message}")
            reply = self._special(name, queue.popleft(), "", back)

    def yes_no(
        self,
        name: str,
        prompt: str,
        *,
        hint: str = "",
        default: bool | None = None,
        unsure: bool = False,
        back: bool = False,
    ) -> bool | None:
        reply = self._next(name, prompt, hint, default, back)
        if reply is None and default is None and not unsure:
            raise ScriptError(f"{name!r} must be answered yes or no")
        if reply is None and not unsure:
            raise ScriptError(f"{name!r} does not offer {NOT_SURE!r}")
        if reply is not None and not isinstance(reply, bool):
            raise ScriptError(f"{name!r} is a yes/no question, but the script says {reply!r}")
        return reply

    def confirm(self, name: str, prompt: str, *, hint: str = "", default: bool = False) -> bool:
        reply = self._next(name, prompt, hint, default, False)
        if not isinstance(reply, bool):
            raise ScriptError(f"{name!r} is a yes/no question, but the script says {reply!r}")
        return reply

    def select(
        self,
        name: str,
        prompt: str,
        options: Sequence[Option | Heading],
        *,
        hint: str = "",
        default: str | None = None,
        back: bool = False,
        back_title: str = "",
    ) -> str:
        values = [o.value for o in options if isinstance(o, Option)]
        self.options[name] = values
        self.titles[name] = [o.title for o in options if isinstance(o, Option)]
        reply = self._next(name, prompt, hint, default if default in values else values[0], back)
        if reply not in values:
            raise ScriptError(f"{name!r} offers {values}, but the script says {reply!r}")
        return str(reply)
