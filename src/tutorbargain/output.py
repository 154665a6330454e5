"""Write output files safely: all-or-nothing checks, atomic writes, never an unasked overwrite."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import OutputError, Problem


def slugify(name: str, *, fallback: str = "local") -> str:
    """A file-name-safe form of a local's name: ``Springfield EA #12`` -> ``springfield-ea-12``."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place.

    A reader (or a crash, or Ctrl-C) sees the old file or the new one, never half a file. The
    temporary name is chosen before the file is made, so whenever Ctrl-C lands, the cleanup
    knows what to remove.
    """
    temp_name = path.parent / f".{path.name}.{secrets.token_hex(8)}.part"
    try:
        fd = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(
                "", [Problem(str(path), f"cannot be written ({exc.strerror or exc})")]
            ) from None
        raise


def write_files(
    files: Mapping[Path, bytes], *, force: bool, also_check: Sequence[Path] = ()
) -> list[Path]:
    """Check every target (and ``also_check``, files a later step makes) first, then write
    each atomically; returns the paths written."""
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
    for path, data in files.items():
        write_atomic(path, data)
    return paths
