"""The on-disk cache only saves time: an edit is always seen, and a bad cache is only a miss."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tutorbargain.errors import Problem
from tutorbargain.library import cache
from tutorbargain.library.loading import library_from_json, load_library, resource_dir


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TUTORBARGAIN_CACHE_DIR", str(folder))
    monkeypatch.delenv("TUTORBARGAIN_NO_CACHE", raising=False)
    return folder


def test_an_edited_clause_file_is_seen(tmp_path: Path, cache_home: Path) -> None:
    library_dir = tmp_path / "clauses"
    shutil.copytree(resource_dir("clauses"), library_dir)
    first = load_library(base=library_dir)
    assert list((cache_home / "library").iterdir())
    path = library_dir / "30-positions-and-pay.yml"
    path.write_text(path.read_text().replace("title: Tutoring rate\n", "title: Our rate\n"))
    second = load_library(base=library_dir)
    assert first.find("tutoring-rate").title == "Tutoring rate"  # type: ignore[union-attr]
    assert second.find("tutoring-rate").title == "Our rate"  # type: ignore[union-attr]


def test_a_damaged_entry_is_only_a_miss(tmp_path: Path, cache_home: Path) -> None:
    load_library()
    for entry in (cache_home / "library").iterdir():
        entry.write_bytes(b"not a pickle")
    assert len(load_library().clauses) >= 45


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("TUTORBARGAIN_CACHE_DIR", str(blocker / "cache"))
    assert len(load_library().clauses) >= 45


def test_old_entries_are_trimmed(cache_home: Path) -> None:
    for index in range(cache.KEEP + 5):
        cache.store("templates", f"entry-{index}", b"x")
    kept = list((cache_home / "templates").iterdir())
    assert len(kept) <= cache.KEEP
    assert cache.load("templates", f"entry-{cache.KEEP + 4}") == b"x"


def test_no_cache_when_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTORBARGAIN_NO_CACHE", "1")
    assert cache.cache_dir() is None
    cache.store("library", "x", b"y")
    assert cache.load("library", "x") is None


def test_a_change_to_the_tool_s_code_is_a_miss(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm cache must not hand back what an older loader made (the key covers the code)."""
    from tutorbargain.library import loading as library

    parsed: list[object] = []
    real = library.read_library

    def counting(*args: Any, **kwargs: Any) -> tuple[library.Library | None, list[Problem]]:
        parsed.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(library, "read_library", counting)
    load_library()
    load_library()
    assert len(parsed) == 1  # the second came from the cache
    monkeypatch.setattr(cache, "code_version", lambda: "the loader was edited")
    load_library()
    assert len(parsed) == 2


def test_the_cached_library_is_plain_data_equal_to_the_parsed_one(cache_home: Path) -> None:
    parsed = load_library()
    (entry,) = (cache_home / "library").iterdir()
    data = entry.read_bytes()[32:]
    assert data.startswith(b'{"~": "Library"')  # JSON, not a pickle
    assert library_from_json(data) == parsed == load_library()
    with pytest.raises(ValueError):
        library_from_json(data.replace(b'"~": "Topic"', b'"~": "Path"', 1))
