"""Shared helpers: read back what a user sees in the documents, and run the real CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yml"))


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One fresh cache for the whole test run: never the developer's ~/.cache/tutorbargain,
    whose warm entries could hide a change to the library loader."""
    folder = tmp_path_factory.mktemp("tutorbargain-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TUTORBARGAIN_CACHE_DIR", str(folder))
        patch.delenv("TUTORBARGAIN_NO_CACHE", raising=False)
        yield folder


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Run:
    """Run the installed command as a user would, in a subprocess (``env``: the whole
    environment to run it in; this process's by default)."""
    env = {
        **(os.environ if env is None else env),
        "COLUMNS": "100",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tutorbargain", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        input=input,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def docx_paragraphs(source: Path | bytes) -> list[str]:
    """Every paragraph's text, body then tables, as Word shows it (numbers are Word's own)."""
    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return lines


def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def docx_comments(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [comment.text for comment in document.comments]


def docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def write(tmp_path: Path):
    """Write a text file into the test's folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
