"""A small asking interface, so the interview does not care who answers it.

The interview asks through an `Asker`: `QuestionaryAsker` asks a person at a terminal, and
`ScriptedAsker` answers from a script, for tests (and, later, batch runs). Every method raises
`KeyboardInterrupt` when the person stops (Ctrl-C or Esc), so the interview can offer to save
what it has before it exits.
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
    script can answer by name whatever the wording. Each method raises `KeyboardInterrupt`
    when the person asks to stop.
    """

    def say(self, text: str = "", *, tone: Tone = "plain") -> None:
        """Show a line that is not a question."""

    def text(
        self,
        name: str,
        prompt: str,
        *,
        hint: str = "",
        default: str = "",
        validate: Validate | None = None,
    ) -> str:
        """Ask for typed words; ``validate`` refuses what does not fit, with its message."""

    def confirm(self, name: str, prompt: str, *, hint: str = "", default: bool = False) -> bool:
        """Ask a yes-or-no question."""

    def select(
        self,
        name: str,
        prompt: str,
        options: Sequence[Option | Heading],
        *,
        hint: str = "",
        default: str | None = None,
    ) -> str:
        """Ask for one of ``options``; returns its value."""


# ---------------------------------------------------------------- a person at a terminal

_STYLES = {
    "heading": "bold",
    "hint": "italic fg:ansibrightblack",
    "note": "fg:ansiyellow",
}
_MAX_SHORTCUTS = 9
"""Options numbered 1 to 9 can be picked by typing the number; longer lists use arrows only."""


class QuestionaryAsker:
    """Asks with questionary. Ctrl-C, Ctrl-D and Esc all raise `KeyboardInterrupt`.

    questionary's ``ask()`` swallows Ctrl-C and returns None, which would read as an answer;
    this class uses ``unsafe_ask()`` and treats a None result as a request to stop.
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

    def _hint(self, hint: str) -> None:
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
    ) -> str:
        self._hint(hint)
        # A refused answer's message is printed in full under the question, which is then asked
        # again with what was typed; prompt_toolkit's own validation line is one row high and
        # cuts a message like "... (did you mean OH?)" off at the edge of the terminal.
        while True:
            answer = str(self._run(self._q.text(prompt, default=default, qmark="?")))
            message = validate(answer) if validate else None
            if message is None:
                return answer
            self.say(f"  {message}", tone="note")
            default = answer

    def confirm(self, name: str, prompt: str, *, hint: str = "", default: bool = False) -> bool:
        self._hint(hint)
        return bool(self._run(self._q.confirm(prompt, default=default, qmark="?")))

    def select(
        self,
        name: str,
        prompt: str,
        options: Sequence[Option | Heading],
        *,
        hint: str = "",
        default: str | None = None,
    ) -> str:
        self._hint(hint)
        choices: list[Any] = []
        picks = [o for o in options if isinstance(o, Option)]
        shortcuts = len(picks) <= _MAX_SHORTCUTS
        for option in options:
            if isinstance(option, Heading):
                choices.append(self._q.Separator(f"── {option.title}"))
            else:
                choices.append(self._q.Choice(option.title, value=option.value))
        values = [o.value for o in picks]
        instruction = (
            "(a number or arrows, then Enter)" if shortcuts else "(arrow keys, then Enter)"
        )
        question = self._q.select(
            prompt,
            choices=choices,
            default=default if default in values else None,
            use_shortcuts=shortcuts,
            instruction=instruction,
            qmark="?",
        )
        return str(self._run(question))

    def _run(self, question: Any) -> Any:
        """Ask, with Esc bound to stop; a stop of any kind becomes `KeyboardInterrupt`."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from prompt_toolkit.keys import Keys

        stop = KeyBindings()

        @stop.add(Keys.Escape, eager=True)
        def _escape(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, stop])
        try:
            answer = question.unsafe_ask()
        except EOFError:  # Ctrl-D in a text prompt
            raise KeyboardInterrupt from None
        if answer is None:
            raise KeyboardInterrupt
        return answer


def _wrap(text: str) -> str:
    """Fold a long line to the terminal's width, keeping its indent (and a bullet's hang)."""
    import shutil
    import textwrap

    width = max(40, min(shutil.get_terminal_size().columns, 100) - 1)
    if len(text) <= width:
        return text
    body = text.lstrip(" ")
    indent = " " * (len(text) - len(body))
    hang = indent + ("  " if body.startswith("- ") else "")
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


class ScriptError(LookupError):
    """Raised when a script has no reply for a question, or its reply does not fit."""


class ScriptedAsker:
    """Answers from a script: ``{name: reply}``, or ``{name: [reply, reply, ...]}`` used in turn.

    A text reply is a string, a confirm reply a bool, a select reply an option's value;
    `DEFAULT` takes the default and `INTERRUPT` presses Ctrl-C. A text reply that its
    validator refuses is recorded in `rejected`, and the next reply in the list is tried, as a
    person would type again. Everything asked and said is recorded for assertions.
    """

    def __init__(self, replies: Mapping[str, object]) -> None:
        self._replies: dict[str, deque[object]] = {
            name: deque(reply if isinstance(reply, list) else [reply])
            for name, reply in replies.items()
        }
        self.asked: list[str] = []
        """The names of the questions asked, in order (a name asked twice appears twice)."""
        self.prompts: dict[str, str] = {}
        self.hints: dict[str, str] = {}
        self.defaults: dict[str, object] = {}
        """The default each question offered, the last time it was asked."""
        self.options: dict[str, list[str]] = {}
        self.said: list[str] = []
        self.rejected: list[tuple[str, str]] = []
        """(name, message) for each reply a validator refused."""

    def unused(self) -> dict[str, list[object]]:
        """Replies the run never needed: a sign the script (or the flow) is not as expected."""
        return {name: list(queue) for name, queue in self._replies.items() if queue}

    def _next(self, name: str, prompt: str, hint: str, default: object) -> object:
        self.asked.append(name)
        self.prompts[name] = prompt
        self.hints[name] = hint
        self.defaults[name] = default
        queue = self._replies.get(name)
        if not queue:
            raise ScriptError(f"nothing scripted for {name!r} ({prompt})")
        reply = queue.popleft()
        if reply is INTERRUPT:
            raise KeyboardInterrupt
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
    ) -> str:
        reply = self._next(name, prompt, hint, default)
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
            reply = queue.popleft()
            if reply is INTERRUPT:
                raise KeyboardInterrupt
            if reply is DEFAULT:
                reply = default

    def confirm(self, name: str, prompt: str, *, hint: str = "", default: bool = False) -> bool:
        reply = self._next(name, prompt, hint, default)
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
    ) -> str:
        values = [o.value for o in options if isinstance(o, Option)]
        self.options[name] = values
        reply = self._next(name, prompt, hint, default if default in values else values[0])
        if reply not in values:
            raise ScriptError(f"{name!r} offers {values}, but the script says {reply!r}")
        return str(reply)
