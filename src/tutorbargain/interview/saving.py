"""Saving the interview's answers: where (never over a file unasked), and on Ctrl-C or Esc.

Internal to the interview package; `command.run_new` calls it. A file is written whole or
not at all, by `answers.writing`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tutorbargain.answers.writing import answers_yaml, write_answers
from tutorbargain.errors import Interrupted, TutorbargainError
from tutorbargain.interview.asker import Option
from tutorbargain.interview.session import Interview


def _library_version() -> str:
    """The clause library's version for the file header; a broken library must not stop a save."""
    from tutorbargain.library.loading import load_library

    try:
        return load_library().version
    except TutorbargainError:
        return "unknown"


def _free_name(path: Path) -> Path:
    """``answers.yml`` -> ``answers-2.yml`` (or -3, ...), a name not yet taken."""
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def same_file(a: Path, b: Path | None) -> bool:
    return b is not None and a.resolve() == b.resolve()


def save_final(interview: Interview, path: Path, *, start: Path | None, today: dt.date) -> Path:
    """Pick where to save (never replacing a file unasked) and write the answers there.

    The file the interview started from is offered first, answer Yes by default: the
    answers end in one file, not in a new one beside a stale copy.
    """
    asker = interview.asker
    while path.is_dir() or path.exists() or path.is_symlink():
        if path.is_dir():
            asker.say(f"{path} is a folder.", tone="note")
        elif same_file(path, start):
            if asker.confirm(
                "save.back",
                f"Save your answers back into {path}, the file you started from?",
                hint="No: keep it as it was and save into another file.",
                default=True,
            ):
                break
        elif asker.confirm(
            "save.replace", f"{path} already exists. Replace it with these answers?", default=False
        ):
            break
        typed = asker.text(
            "save.path",
            "Save the answers to which file instead?",
            default=str(_free_name(path)),
            validate=_check_save_path,
        )
        path = Path(typed.strip())
    text = answers_yaml(
        interview.values, path=path, library_version=_library_version(), today=today
    )
    write_answers(path, text)
    return path


def _check_save_path(typed: str) -> str | None:
    if not typed.strip():
        return "Type a file name, like answers-2.yml."
    if Path(typed.strip()).is_dir():
        return f"{typed.strip()} is a folder; type a file name, like answers-2.yml."
    return None


def _partial_target(path: Path, start: Path | None) -> tuple[Path, str]:
    """Where answers so far go, and why there: never over a file they did not start from."""
    if same_file(path, start):
        return path, " (the file you started from)"
    if path.exists() or path.is_symlink():
        return _free_name(path), f" ({path} stays as it is)"
    return path, ""


def offer_stop(
    interview: Interview,
    path: Path,
    *,
    start: Path | None,
    today: dt.date,
    can_go_on: bool = True,
) -> None:
    """After Ctrl-C or Esc: offer to go on (the default), save and stop, or stop.

    Returns to go on; otherwise raises `Interrupted`. Stopping without saving what was
    answered asks once more, and No goes on (or saves, where going on is not possible).
    A second Ctrl-C at the offer stops at once; a file is written whole or not at all.
    """
    asker = interview.asker
    unchanged = f" {start} is unchanged." if start is not None else ""
    something = interview.changed and bool(interview.values)
    target, why = _partial_target(path, start)
    options: list[Option] = []
    if can_go_on:
        options.append(Option("go-on", "Go on with the interview"))
    if something:
        options.append(Option("save", f"Save the answers so far in {target}{why}, and stop"))
        options.append(Option("quit", "Stop without saving"))
    else:
        options.append(Option("quit", "Stop (there is nothing new to save)"))
    try:
        asker.say()
        picked = asker.select(
            "stop", "You pressed Ctrl-C or Esc. What now?", options, default=options[0].value
        )
        if picked == "go-on":
            asker.say("Going on.")
            return
        if picked == "quit" and something:
            since = f" since starting from {start}" if start is not None else ""
            if not asker.confirm(
                "stop.discard", f"Throw away the answers you gave{since}?", default=False
            ):
                if can_go_on:
                    asker.say("Going on.")
                    return
                picked = "save"
    except KeyboardInterrupt:
        raise Interrupted(f"Stopped. Nothing was saved.{unchanged}") from None
    if picked == "quit":
        raise Interrupted(f"Stopped. Nothing was saved.{unchanged}")
    text = answers_yaml(
        interview.values,
        path=target,
        library_version=_library_version(),
        today=today,
        finished=interview.next_missing() is None,
    )
    try:
        write_answers(target, text)
    except TutorbargainError as exc:
        raise Interrupted(f"Stopped. The answers could not be saved: {exc}") from None
    except KeyboardInterrupt:
        raise Interrupted("Stopped. Nothing was saved.") from None
    raise Interrupted(
        f"Stopped. Your answers so far are in {target}.\n"
        f"To finish, run: tutorbargain new --answers {target}"
    )
