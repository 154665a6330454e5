"""The command line itself: help everywhere, documented in the README, plain exit codes."""

from __future__ import annotations

import re

import typer.main

from conftest import ROOT, run_cli
from tutorbargain import __version__
from tutorbargain.cli import app


def _commands() -> list[list[str]]:
    """Every command path, like ["render"] and ["clauses", "list"]."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            if getattr(command, "commands", None):
                walk(command, [*prefix, name])
            else:
                paths.append([*prefix, name])

    walk(root, [])
    return paths


def test_every_command_has_help_with_an_example() -> None:
    for path in _commands():
        result = run_cli([*path, "--help"])
        assert result.code == 0, path
        assert "Example: tutorbargain " + " ".join(path) in result.out, path


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in _commands():
        assert re.search(r"tutorbargain " + r"\s+".join(path) + r"\b", readme), path


def test_version() -> None:
    result = run_cli(["--version"])
    assert result.code == 0 and result.out.strip() == f"tutorbargain {__version__}"


def test_usage_mistakes_exit_2() -> None:
    assert run_cli(["render"]).code == 2
    assert run_cli(["no-such-command"]).code == 2
    assert run_cli(["render", "x.yml", "--no-such-option"]).code == 2


def test_unknown_clause_id_gets_a_hint() -> None:
    result = run_cli(["clauses", "show", "voluntery"])
    assert result.code == 1
    assert "did you mean voluntary" in result.err


def test_clauses_list() -> None:
    result = run_cli(["clauses", "list"])
    assert result.code == 0
    assert "Tutoring pay rate (tutoring-pay-rate)" in result.out
    assert "  tutoring-rate: Tutoring rate" in result.out
    questions = run_cli(["clauses", "list", "--questions"])
    assert "q-retiree-limits: Retirees' return-to-work limits" in questions.out
