"""Guarding the output folder: one batch at a time, leftovers of a killed run removed, and
a report.csv tutorbargain did not write never replaced without --force."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from pathlib import Path

from tutorbargain.batch.progress import Listener
from tutorbargain.batch.report import REPORT_NAME, _is_our_report
from tutorbargain.errors import OutputError, Problem
from tutorbargain.writers.output import remove_stale_temporaries as remove_temporaries


def check_out_dir(out_dir: Path, *, force: bool) -> None:
    """Refuse an output folder that is a file, or holds a report.csv tutorbargain did not write.

    A report.csv from an earlier batch is replaced: it describes the latest run.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("", [Problem(str(out_dir), "is a file, not a folder for the outputs")])
    report = out_dir / REPORT_NAME
    if not force and (report.exists() or report.is_symlink()) and not _is_our_report(report):
        raise OutputError(
            "",
            [
                Problem(
                    str(report),
                    "already exists and was not written by tutorbargain; use --force to "
                    "replace it, or choose another folder with -o",
                )
            ],
        )


LOCK_NAME = ".tutorbargain-batch.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except OSError:
        return True
    return True


class RunLock:
    """One batch at a time in an output folder: two runs writing the same folders would
    replace each other's files and each write a report.csv that tells half the story.

    The lock is a file in the folder naming the run (process id, computer, start time). A
    second run refuses, naming the first; a lock whose process has died on this computer
    (the run was killed) is taken over, and the listener is told so.
    """

    def __init__(self, out_dir: Path, listener: Listener) -> None:
        self.path = out_dir / LOCK_NAME
        self.listener = listener
        self.text = json.dumps(
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            }
        )

    def __enter__(self) -> RunLock:
        for _ in range(3):
            if self._create():
                return self
            holder = self._holder()
            if holder is None:
                continue  # the other run just finished and removed it: try again
            pid, host, started = holder
            if host == socket.gethostname() and pid > 0 and not _alive(pid):
                self.listener.stage(
                    f"Taking over {self.path}: the run that made it (process {pid}, started "
                    f"{started}) is no longer running."
                )
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            raise OutputError(
                "",
                [
                    Problem(
                        str(self.path.parent),
                        f"is in use by another tutorbargain batch (process {pid} on {host}, "
                        f"started {started}); wait for it to finish or choose another folder "
                        f"with -o. If that run is surely gone, delete {self.path}",
                    )
                ],
            )
        raise OutputError("", [Problem(str(self.path), "cannot be created; try again")])

    def _create(self) -> bool:
        """Make the lock file whole, or not at all: a reader never sees it half-written."""
        temp = self.path.with_name(f".{LOCK_NAME}.{os.getpid()}.tmp")
        try:
            temp.write_text(self.text, encoding="utf-8")
            try:
                os.link(temp, self.path)  # fails if the lock exists; never replaces it
            except FileExistsError:
                return False
            except OSError:  # a file system without hard links: create it exclusively
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(self.text)
            return True
        except OSError as exc:
            raise OutputError(
                "", [Problem(str(self.path), f"cannot be written ({exc.strerror or exc})")]
            ) from None
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()

    def _holder(self) -> tuple[int, str, str] | None:
        """The process id, computer and start time the lock names; None if it is gone."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            text = ""
        try:
            data = json.loads(text)
            return int(data["pid"]), str(data["host"]), str(data["started"])
        except (ValueError, KeyError, TypeError):
            return 0, "an unknown computer", "at an unknown time"

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if self.path.read_text(encoding="utf-8") == self.text:
                self.path.unlink()


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Remove the ``.part`` temporaries a killed run (SIGKILL, a power cut) left behind in
    ``out_dir`` and its per-local folders. Only while holding the `RunLock`: no live run is
    writing into the folder then, so even a fresh temporary is a leftover."""
    removed = remove_temporaries(out_dir, older_than=0)
    with contextlib.suppress(OSError):
        for entry in os.scandir(out_dir):
            if entry.is_dir(follow_symlinks=False):
                removed += remove_temporaries(Path(entry.path), older_than=0)
    return removed
