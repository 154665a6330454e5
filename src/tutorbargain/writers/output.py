"""Write output files safely: all-or-nothing checks, atomic writes, never an unasked overwrite."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from tutorbargain.errors import OutputError, Problem

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)
"""Names Windows keeps for devices: a folder called ``CON`` cannot be opened or deleted there."""


def slugify(name: str, *, fallback: str = "local") -> str:
    """A file-name-safe form of a local's name: ``Springfield EA #12`` -> ``springfield-ea-12``.

    A name that is a Windows device name (``CON``, ``NUL``, ``COM1`` ...) gets ``-local`` added,
    so a folder made from it can be opened on every system."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:60].rstrip("-") or fallback
    if slug in WINDOWS_RESERVED:
        slug = f"{slug}-local"
    return slug


def prepare_dir(out_dir: Path) -> None:
    """Make the output folder, or say in words why it cannot be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("", [Problem(str(out_dir), "is a file, not a folder for the outputs")])
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise OutputError(
            "", [Problem(str(out_dir), "cannot be created (permission denied)")]
        ) from None
    except OSError as exc:
        raise OutputError(
            "", [Problem(str(out_dir), f"cannot be created ({exc.strerror})")]
        ) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError("", [Problem(str(out_dir), "cannot be written to (permission denied)")])


def refuse_overwrite(paths: list[Path], *, force: bool) -> None:
    """Stop before writing anything if any output exists and ``force`` was not given."""
    if force:
        return
    existing = [p for p in paths if p.exists() or p.is_symlink()]
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(
            "",
            [
                Problem(
                    names,
                    "already exists; use --force to replace it, or choose another folder with -o",
                )
            ],
        )


TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{16}\.part$")
"""The name of our own temporaries: ``.name.<16 hex digits>.part`` beside the target."""
STALE_AFTER = 300.0
"""Seconds after which a temporary is a leftover of a run that was killed, not work in hand."""


def temporary_for(path: Path) -> str:
    """A fresh temporary name beside ``path`` (same folder, so the rename is atomic).

    Text, not a Path: a Path keeps each of its parts in Python's table of shared strings, and
    a name used once leaves a hole there that a long batch pays for in memory."""
    name = f".{os.path.basename(path)}.{secrets.token_hex(8)}.part"
    return os.path.join(os.path.dirname(path), name)


def _write_new(temp: str, data: bytes) -> None:
    """Create ``temp`` (never an existing file) and write all of ``data`` to disk.

    Written with ``os.write`` in a loop so a short write is finished and a full disk surfaces
    as the OSError it is (ENOSPC), before anything is renamed.
    """
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.fchmod(fd, 0o644)
    finally:
        os.close(fd)


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError("", [Problem(str(path), f"cannot be written ({exc.strerror or exc})")])


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place.

    A reader (or a crash, or Ctrl-C) sees the old file or the new one, never half a file. The
    temporary name is chosen before the file is made, so whenever Ctrl-C lands, the cleanup
    knows what to remove.
    """
    write_all({path: data})


def write_all(files: Mapping[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary beside its target first, and only
    when all are complete are they renamed into place. On any failure (a full disk, Ctrl-C)
    every temporary is removed and no target has been touched."""
    temps: dict[Path, str] = {}
    current = next(iter(files), Path())
    try:
        for path, data in files.items():
            current = path
            temps[path] = temporary_for(path)
            _write_new(temps[path], data)
        for path, temp in list(temps.items()):
            current = path
            os.replace(temp, path)
            del temps[path]
    except BaseException as exc:
        for temp in temps.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        if isinstance(exc, OSError):
            raise _cannot_write(current, exc) from None
        raise


def remove_stale_temporaries(folder: Path, *, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove our own leftover ``.name.<hex>.part`` files from ``folder`` (a run killed with
    SIGKILL cannot clean up after itself); a fresh one may belong to a run still going, so only
    those older than ``older_than`` seconds go. Returns what was removed; never raises."""
    removed: list[Path] = []
    cutoff = time.time() - older_than
    try:
        names = [entry for entry in os.scandir(folder) if TEMPORARY.match(entry.name)]
    except OSError:
        return removed
    for entry in names:
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or info.st_mtime > cutoff:
                continue
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def write_files(
    files: Mapping[Path, bytes], *, force: bool, also_check: Sequence[Path] = ()
) -> list[Path]:
    """Check every target (and ``also_check``, files a later step makes) first, then write
    them all or none (see `write_all`); returns the paths written."""
    paths = list(files)
    for folder in dict.fromkeys(p.parent for p in paths):
        prepare_dir(folder)
    folders = [p for p in [*paths, *also_check] if p.is_dir()]
    if folders:  # even --force must not get halfway and then fail on a folder
        raise OutputError(
            "",
            [
                Problem(
                    ", ".join(map(str, folders)),
                    "is a folder where a document should go; "
                    "rename or move it, or choose another folder with -o",
                )
            ],
        )
    refuse_overwrite([*paths, *also_check], force=force)
    write_all(files)
    return paths
