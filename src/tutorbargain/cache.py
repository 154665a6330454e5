"""A small on-disk cache for work that is the same on every run: the parsed clause library
and compiled clause templates.

Like Python's own .pyc files, it only saves time: every entry is keyed by what it was made
from (file sizes and times, template text, tool and Jinja versions), a missing or unreadable
cache is simply rebuilt, and a cache that cannot be written is skipped without a word.
Set TUTORBARGAIN_NO_CACHE=1 to turn it off, or TUTORBARGAIN_CACHE_DIR to move it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from . import __version__


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("TUTORBARGAIN_NO_CACHE"):
        return None
    explicit = os.environ.get("TUTORBARGAIN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tutorbargain"


def key(*parts: object) -> str:
    """A cache key from anything printable, always including the tool and Python versions."""
    text = "\0".join(map(str, (__version__, sys.version, *parts)))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def files_key(folders: list[Path], *extra: object) -> str:
    """A key that changes whenever any file in ``folders`` is added, removed or edited."""
    stamps: list[object] = list(extra)
    for folder in folders:
        for path in sorted(folder.iterdir()):
            try:
                info = path.stat()
            except OSError:
                continue
            stamps.append((str(path.resolve()), info.st_size, info.st_mtime_ns))
    return key(*stamps)


def load(kind: str, name: str) -> bytes | None:
    """The cached bytes, or None when there are none (or they cannot be read)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / kind / name).read_bytes()
    except OSError:
        return None


KEEP = 400
"""Entries kept per kind: enough for several libraries and their templates, never gigabytes."""


def _trim(folder: Path) -> None:
    """Drop the oldest entries once a kind holds more than KEEP (edits leave stale ones)."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for stale in entries[: len(entries) - KEEP // 2]:
        with contextlib.suppress(OSError):
            stale.unlink()


def store(kind: str, name: str, data: bytes) -> None:
    """Save bytes atomically; any failure (read-only home, full disk) is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    temp = None
    try:
        target = folder / kind
        target.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target, prefix=".", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target / name)
        _trim(target)
    except BaseException as exc:  # Ctrl-C included: never leave a temporary file behind
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if not isinstance(exc, OSError):
            raise
