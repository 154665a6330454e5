"""A small on-disk cache for work that is the same on every run: the parsed clause library
(stored as plain JSON data) and compiled clause templates.

Like Python's own .pyc files, it only saves time: every entry is keyed by what it was made
from (file sizes and times, template text, the tool's own source code, Jinja and Python
versions), a missing or unreadable cache is simply rebuilt, and a cache that cannot be written
is skipped without a word. Set TUTORBARGAIN_NO_CACHE=1 to turn it off, or TUTORBARGAIN_CACHE_DIR
to move it.

What it reads back is never trusted blindly. The folder must be the user's own and private
(0700, owned by them, not a symlink); one that others can write is not used at all. Every entry
carries a keyed hash (HMAC-SHA256) made with a random key kept in that folder (0600), and an
entry whose hash does not match is a miss: a file planted by someone else, who cannot know the
key, is never loaded.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import stat
import sys
import tempfile
from pathlib import Path

from tutorbargain import __version__

KEY_FILE = ".key"
_KEY_BYTES = 32
_DIGEST = hashlib.sha256().digest_size


def configured_dir() -> Path | None:
    """The cache folder the settings name, or None when caching is off."""
    if os.environ.get("TUTORBARGAIN_NO_CACHE"):
        return None
    explicit = os.environ.get("TUTORBARGAIN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tutorbargain"


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off or the folder cannot be trusted."""
    folder = configured_dir()
    if folder is None or not _private(folder, create=True):
        return None
    return folder


def _private(folder: Path, *, create: bool) -> bool:
    """Whether ``folder`` is a real folder only this user can write (made 0700 when missing).

    A folder of ours that others may only read is tightened to 0700; one that anyone else can
    write, or that belongs to someone else, may hold planted files and is refused."""
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return False
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False  # a symlink or a file: whoever made it decides what we would read
    if not hasattr(os, "getuid"):
        return True  # Windows: the per-user profile folder is private by its ACLs
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        return False
    if info.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)
        except OSError:
            return False
    return True


def _secret(folder: Path) -> bytes | None:
    """The cache's key: random bytes in a 0600 file of our own, made on first use."""
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError:
        return None
    else:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(_KEY_BYTES))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            secret = handle.read(_KEY_BYTES + 1)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or len(secret) != _KEY_BYTES:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
        return None
    return secret


def _tag(secret: bytes, kind: str, name: str, data: bytes) -> bytes:
    label = f"{kind}/{name}\0".encode("utf-8", "surrogatepass")
    return hmac.new(secret, label + data, hashlib.sha256).digest()


@functools.cache
def code_version() -> str:
    """A hash of the tool's own source files: a changed loader never reuses old results."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(*parts: object) -> str:
    """A cache key from anything printable, always including the tool's version, its source
    code and the Python version."""
    text = "\0".join(map(str, (__version__, code_version(), sys.version, *parts)))
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
    """The cached bytes, or None when there are none, they cannot be read, or their keyed
    hash does not match (not written by this user's tutorbargain)."""
    folder = cache_dir()
    if folder is None or not _private(folder / kind, create=False):
        return None
    secret = _secret(folder)
    if secret is None:
        return None
    try:
        blob = (folder / kind / name).read_bytes()
    except OSError:
        return None
    tag, data = blob[:_DIGEST], blob[_DIGEST:]
    if not hmac.compare_digest(tag, _tag(secret, kind, name, data)):
        return None
    return data


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
    """Save bytes atomically with their keyed hash; any failure (read-only home, full disk, a
    folder that is not private) is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    temp = None
    try:
        secret = _secret(folder)
        target = folder / kind
        if secret is None or not _private(target, create=True):
            return
        fd, temp = tempfile.mkstemp(dir=target, prefix=".", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(_tag(secret, kind, name, data) + data)
        os.replace(temp, target / name)
        _trim(target)
    except BaseException as exc:  # Ctrl-C included: never leave a temporary file behind
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if not isinstance(exc, OSError):
            raise
