"""Hostile and unlucky inputs outside the batch: a poisoned cache, a full disk, sandbox bombs,
huge numbers, YAML 1.1 surprises, names that hide text or name devices. Each is run through
the real command: refused with one plain message naming where, or survived with nothing lost.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import pickle
import re
import sys
import time
from pathlib import Path

import pytest

from conftest import Run, docx_text, run_cli
from tutorbargain.writers import output

GOOD = """\
schema_version: 1
local:
  name: Cedar Hollow Education Association
  president: Ana Ruiz
district:
  name: Cedar Hollow School District
  state: OH
school_year: 2026-27
bargaining:
  status: cba
program:
  name: Reading Boost
  provider: vendor
  vendor_name: BrightBridge Tutoring
  delivery: hybrid
  sessions_per_week: 3
  minutes_per_session: 45
  weeks: 20
  students: 300
  grades: [K, 1, 2]
  subjects: [reading, math]
tutors:
  unit_teachers: yes
pay:
  tutoring_hourly_rate: 45
funding:
  source: esser
  ends: 2027-06-30
"""


def answers(tmp_path: Path, old: str = "", new: str = "", *, name: str = "answers.yml") -> Path:
    """GOOD with one piece replaced (checked to be there)."""
    assert old in GOOD, old
    path = tmp_path / name
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    return path


def refused(run: Run, *where: str) -> str:
    """Exit 1 with one plain ``Error:`` message naming every piece of ``where``."""
    assert run.code == 1, (run.code, run.out, run.err)
    assert "Traceback" not in run.err + run.out
    assert run.err.count("Error:") == 1, run.err
    for piece in where:
        assert piece in run.err, (piece, run.err)
    return run.err


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def render(tmp_path: Path, path: Path, cache: Path, *extra: str) -> tuple[Run, str]:
    """The real render with ``cache`` as TUTORBARGAIN_CACHE_DIR; the run and the MOU's text."""
    out = tmp_path / "out"
    env = {**os.environ, "TUTORBARGAIN_CACHE_DIR": str(cache)}
    env.pop("TUTORBARGAIN_NO_CACHE", None)
    run = run_cli(["render", str(path), "-o", str(out), "--force", *extra], env=env)
    mou = out / "cedar-hollow-education-association-mou.docx"
    return run, docx_text(mou) if run.code == 0 else ""


# ---------------------------------------------------------------- a poisoned cache


class _Planted:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_a_planted_pickle_or_marshal_in_the_cache_runs_nothing(tmp_path: Path) -> None:
    path, cache = answers(tmp_path), tmp_path / "cache"
    first, text = render(tmp_path, path, cache)
    assert first.code == 0, first.err
    marker = tmp_path / "ran"
    evil_pickle = pickle.dumps(_Planted(marker))
    evil_code = marshal.dumps(compile(f"open({str(marker)!r}, 'w').close()", "x", "exec"))
    entries = [p for p in cache.rglob("*") if p.is_file() and p.name != ".key"]
    assert len(entries) > 10  # the library and the clause texts were cached
    for entry in entries:  # as they are, and after a forged 32-byte "hash"
        entry.write_bytes((b"\0" * 32 if entry.stat().st_size % 2 else b"") + evil_pickle)
        if entry.parent.name == "templates":
            entry.write_bytes(evil_code)
    second, again = render(tmp_path, path, cache)
    assert second.code == 0, second.err
    assert not marker.exists()
    assert again == text and "Reading Boost" in again


def _forge_library(cache: Path, old: str, new: str) -> None:
    """Rewrite the cached library as this user's own tool would, with the cache's key: what a
    render reads from a folder it trusts."""
    (entry,) = (cache / "library").iterdir()
    secret = (cache / ".key").read_bytes()
    data = entry.read_bytes()[32:]
    assert old.encode() in data
    data = data.replace(old.encode(), new.encode())
    tag = hmac.new(secret, f"library/{entry.name}\0".encode() + data, hashlib.sha256).digest()
    entry.write_bytes(tag + data)


def test_the_cache_is_read_only_when_the_folder_is_private(tmp_path: Path) -> None:
    """The trust test's control: a forged entry with the right key IS read from a private
    folder, so the refusals below are the folder checks at work, not a cold cache."""
    path, cache = answers(tmp_path), tmp_path / "cache"
    assert render(tmp_path, path, cache)[0].code == 0
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / ".key").stat().st_mode & 0o777 == 0o600
    _forge_library(cache, "Tutoring rate", "Forged heading")
    run, text = render(tmp_path, path, cache)
    assert run.code == 0 and "Forged heading" in text


def _world_writable(cache: Path) -> None:
    cache.chmod(0o777)


def _foreign(cache: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    os.chown(cache, 4242, 4242)


def _symlinked(cache: Path) -> None:
    real = cache.with_name("real-cache")
    cache.rename(real)
    cache.symlink_to(real)


@pytest.mark.parametrize("spoil", [_world_writable, _foreign, _symlinked])
def test_a_cache_folder_others_control_is_not_trusted(tmp_path: Path, spoil: object) -> None:
    path, cache = answers(tmp_path), tmp_path / "cache"
    first, text = render(tmp_path, path, cache)
    assert first.code == 0
    _forge_library(cache, "Tutoring rate", "Forged heading")
    spoil(cache)  # type: ignore[operator]
    entries = sorted(p.name for p in cache.rglob("*"))
    run, again = render(tmp_path, path, cache)
    assert run.code == 0, run.err
    assert "Forged heading" not in again and again == text
    assert sorted(p.name for p in cache.rglob("*")) == entries  # nothing written into it
    doctor = run_cli(["doctor"], env={**os.environ, "TUTORBARGAIN_CACHE_DIR": str(cache)})
    assert "is not used" in doctor.out


def test_a_key_file_others_can_read_turns_the_cache_off(tmp_path: Path) -> None:
    path, cache = answers(tmp_path), tmp_path / "cache"
    assert render(tmp_path, path, cache)[0].code == 0
    _forge_library(cache, "Tutoring rate", "Forged heading")
    (cache / ".key").chmod(0o644)
    run, text = render(tmp_path, path, cache)
    assert run.code == 0 and "Forged heading" not in text and "Tutoring rate" in text


# ---------------------------------------------------------------- sandbox bombs

OVERLAY_HEAD = "schema_version: 1\nclauses:\n"
CLAUSE = """\
  - id: {id}
    topic: tutoring-pay-rate
    title: {title}
    text: |
      {text}
    rationale: Why we want it.
    source: Our bargaining team.
"""
MEMORY_CAP = 2 * 1024**3
"""Address space a bomb run may use: one that gets through fails the test, not the machine."""


def overlay(tmp_path: Path, *texts: str) -> Path:
    """A --clauses folder with one clause per text (ids our-clause-1, -2, ...)."""
    folder = tmp_path / "ours"
    folder.mkdir(exist_ok=True)
    body = "".join(
        CLAUSE.format(id=f"our-clause-{n}", title=f"Our clause {n}", text=text)
        for n, text in enumerate(texts, 1)
    )
    (folder / "ours.yml").write_text(OVERLAY_HEAD + body, encoding="utf-8")
    return folder


def run_capped(args: list[str]) -> Run:
    """The real command with its memory capped at MEMORY_CAP."""
    import resource
    import subprocess

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, "-m", "tutorbargain", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        preexec_fn=cap,
    )
    return Run(done.returncode, done.stdout, done.stderr)


TEN_X = "'" + "x" * 10 + "'"
BOMBS = {
    "nested-replace": "{{ " + TEN_X + "".join(f".replace('x', {TEN_X})" for _ in range(9)) + " }}",
    "replace-filter": "{{ ('x' * 10000) | replace('x', 'x' * 10000) }}",
    "join-method": "{{ ('x' * 10000).join(['y' * 10000] * 10000) }}",
    "join-filter": "{{ (['y' * 10000] * 10000) | join('x' * 10000) }}",
    "join-generator": "{{ ('x' * 10000).join(range(99999) | map('string')) }}",
    "concat-doubling": "{% set ns = namespace(s='x' * 10000) %}"
    "{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    "plus-doubling": "{% set ns = namespace(s=['x'] * 10000) %}"
    "{% for i in range(30) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s | length }}",
    "percent-doubling": "{% set ns = namespace(s='x' * 10000) %}"
    "{% for i in range(30) %}{% set ns.s = '%s%s' % (ns.s, ns.s) %}{% endfor %}{{ ns.s | length }}",
    "number-squaring": "{% set ns = namespace(n=10 ** 60) %}"
    "{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}{% endfor %}{{ ns.n > 1 }}",
    "batch-fill": "{{ [1] | batch(10 ** 9, 'x') | list | length }}",
    "slice-count": "{{ [1] | slice(10 ** 9) | list | length }}",
    "expandtabs": "{{ 'x\\t'.expandtabs(10 ** 9) }}",
    "zfill": "{{ 'x'.zfill(10 ** 9) }}",
    "format": "{{ '{:>1000000000}'.format('x') }}",
    "list-times": "{{ ([1] * 10000) * 10000 }}",
}


@pytest.mark.parametrize("text", list(BOMBS.values()), ids=list(BOMBS))
def test_a_template_bomb_is_refused_before_it_eats_memory(tmp_path: Path, text: str) -> None:
    folder = overlay(tmp_path, text)
    out = tmp_path / "out"
    run = run_capped(["render", str(answers(tmp_path)), "-o", str(out), "--clauses", str(folder)])
    err = refused(run, str(folder / "ours.yml"), "line 3", "our-clause-1")
    assert not out.exists()
    # Refused by a bound, before the memory was asked for (not a MemoryError under the cap).
    assert "far too large" not in err
    assert re.search(r"longer than|too large|too long|at most|may not use", err), err


def test_fifteen_long_real_clauses_render(tmp_path: Path) -> None:
    """Issue 11 item 11: real clauses of about 19,000 characters each (the library's limit is
    20,000) make a long MOU, not a refusal blaming mou.j2."""
    sentence = "The District shall pay every tutor for every hour of tutoring and planning. "
    paragraph = sentence * 12
    text = "\n\n      ".join([paragraph] * 21)
    assert 18_500 < len(text.replace("\n      ", "\n")) < 20_000
    folder = overlay(tmp_path, *[text] * 15)
    out = tmp_path / "out"
    run = run_cli(["render", str(answers(tmp_path)), "-o", str(out), "--clauses", str(folder)])
    assert run.code == 0, run.err
    mou = docx_text(out / "cedar-hollow-education-association-mou.docx")
    assert all(f"Our clause {n}" in mou for n in range(1, 16))
    assert mou.count(sentence.strip()) == 15 * 21 * 12


def test_a_clause_that_renders_too_much_is_named(tmp_path: Path) -> None:
    folder = overlay(tmp_path, "Fine.", "{% for i in range(300) %}{{ 'word ' * 200 }}{% endfor %}")
    run = run_cli(
        ["render", str(answers(tmp_path)), "-o", str(tmp_path / "out"), "--clauses", str(folder)]
    )
    err = refused(run, str(folder / "ours.yml"), "our-clause-2", "200,000 characters")
    assert "mou.j2" not in err


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{% include 'mou.j2' %}", "uses {% include %}, {% import %} or {% extends %}"),
        ("{% from 'x' import y %}{{ y }}", "write the words out in the clause itself"),
        ("{{ " + "(" * 400 + "1" + ")" * 400 + " }}", "is nested too deeply to be filled in"),
        ("{{ pay.tutoring_hourly_rate / 0 }}", "arithmetic with an amount that cannot be done"),
        ("{{ 1 // (program.tutor_count - 3) }}", "with an answer that may be left blank"),
    ],
    ids=["include", "import", "deep-nesting", "divide-by-zero", "blank-answer"],
)
def test_clause_text_that_fails_in_python_is_told_in_words(
    tmp_path: Path, text: str, words: str
) -> None:
    folder = overlay(tmp_path, text)
    args = ["-o", str(tmp_path / "out"), "--clauses", str(folder)]
    err = refused(
        run_cli(["render", str(answers(tmp_path)), *args]), "ours.yml", "our-clause-1", words
    )
    lint = run_cli(["clauses", "lint", str(folder)])  # lint prints its findings, then sums up
    assert lint.code == 1 and "Traceback" not in lint.err
    assert f"{folder / 'ours.yml'}:" in lint.out and words in lint.out
    for python in ("TypeError", "RecursionError", "InvalidOperation", "Decimal", "fails with"):
        assert python not in err + lint.out


# ---------------------------------------------------------------- a full disk

FULL_DISK = """\
import errno, os, sys
real_write = os.write
allowed = int(sys.argv[1])
seen = set()
def write(fd, data):
    name = os.readlink(f"/proc/self/fd/{fd}")
    if name.endswith(".part") and os.path.basename(os.path.dirname(name)) == "out":
        seen.add(name)
        if len(seen) > allowed:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real_write(fd, data)
os.write = write
sys.argv = ["tutorbargain", *sys.argv[2:]]
from tutorbargain._entry import main
main()
"""


def run_with_full_disk(tmp_path: Path, allowed: int, args: list[str]) -> Run:
    """The real command, with the disk full once ``allowed`` output files have been begun."""
    import subprocess

    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK, encoding="utf-8")
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [sys.executable, str(script), str(allowed), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name open files")
def test_a_full_disk_writes_no_file_of_a_kit(tmp_path: Path) -> None:
    path = answers(tmp_path)
    out = tmp_path / "out"
    args = ["render", str(path), "-o", str(out), "--kit", "--clean"]
    run = run_with_full_disk(tmp_path, 4, args)
    refused(run, str(out), "No space left on device")
    assert listing(out) == {}  # not four of six files, and no temporary left behind


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name open files")
def test_a_full_disk_leaves_the_old_kit_untouched_with_force(tmp_path: Path) -> None:
    path = answers(tmp_path)
    out = tmp_path / "out"
    args = ["render", str(path), "-o", str(out), "--kit", "--clean"]
    first = run_cli(args)
    assert first.code == 0, first.err
    before = listing(out)
    assert len(before) == 7  # --clean: the district's MOU and question list
    path.write_text(GOOD.replace("Reading Boost", "Math Boost"), encoding="utf-8")
    run = run_with_full_disk(tmp_path, 6, [*args, "--force"])
    refused(run, "No space left on device")
    assert listing(out) == before
    with_room = run_with_full_disk(tmp_path, 7, [*args, "--force"])
    assert with_room.code == 0, with_room.err
    assert set(listing(out)) == set(before) and listing(out) != before


def test_stale_temporaries_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    old = tmp_path / ".springfield-mou.docx.0123456789abcdef.part"
    fresh = tmp_path / ".springfield-mou.docx.fedcba9876543210.part"
    theirs = tmp_path / ".notes.txt.part"
    folder = tmp_path / ".x.docx.00112233445566ff.part"
    for path in (old, fresh, theirs):
        path.write_bytes(b"half a file")
    folder.mkdir()
    long_ago = time.time() - output.STALE_AFTER - 60
    for path in (old, theirs, folder):
        os.utime(path, (long_ago, long_ago))
    assert output.remove_stale_temporaries(tmp_path) == [old]
    assert not old.exists() and fresh.exists() and theirs.exists() and folder.is_dir()
    assert output.remove_stale_temporaries(tmp_path / "missing") == []


# ---------------------------------------------------------------- names


@pytest.mark.parametrize("name", ["CON", "nul", "Aux", "COM1", "lpt9", "PRN"])
def test_windows_device_names_never_become_file_names(tmp_path: Path, name: str) -> None:
    path = answers(tmp_path, "Cedar Hollow Education Association", name)
    out = tmp_path / "out"
    run = run_cli(["render", str(path), "-o", str(out)])
    assert run.code == 0, run.err
    written = sorted(p.name for p in out.iterdir())
    assert written and all(n.startswith(f"{name.lower()}-local-") for n in written), written


# ---------------------------------------------------------------- numbers and YAML 1.1

HUGE = "9" * 5000
READINGS = {
    # answers line 19 is program.students, line 25 pay.tutoring_hourly_rate
    "sexagesimal": ("  students: 300", "  students: 5:00", 19, "program.students", '"5:00"'),
    "hexadecimal": ("  students: 300", "  students: 0x12C", 19, "program.students", '"0x12C"'),
    "huge-number": ("  students: 300", f"  students: {HUGE}", 19, "program.students", "4,300"),
    "huge-quoted": ("  students: 300", f'  students: "{HUGE}"', 19, "program.students", "range"),
    "huge-money": (
        "  tutoring_hourly_rate: 45",
        f"  tutoring_hourly_rate: {HUGE}",
        25,
        "pay.tutoring_hourly_rate",
        "range",
    ),
    "bidi-override": (
        "  name: Cedar Hollow Education Association",
        '  name: "Cedar \\u202Eevil Association"',
        3,
        "local.name",
        "U+202E",
    ),
    "binary-name": (
        "  name: Cedar Hollow Education Association",
        "  name: !!binary aGVsbG8=",
        3,
        "local.name",
        "must be text, not binary data",
    ),
    "yes-as-a-key": (
        "  unit_teachers: yes",
        "  unit_teachers: yes\n  yes: 1",
        24,
        "tutors.yes",
        "is read as a yes/no answer, not a name",
    ),
    "yes-no-version": (
        "schema_version: 1",
        "schema_version: true",
        1,
        "schema_version",
        "not a yes/no answer (yes)",
    ),
    "decimal-version": (
        "schema_version: 1",
        "schema_version: 1.0",
        1,
        "schema_version",
        'must be 1 or 2, not "1.0"',
    ),
    "bidi-isolate": (
        "  name: Cedar Hollow School District",
        '  name: "Cedar \\u2066Hollow\\u2069 School District"',
        6,
        "district.name",
        "U+2066",
    ),
}


@pytest.mark.parametrize("case", list(READINGS.values()), ids=list(READINGS))
def test_numbers_and_names_that_mislead_are_refused(
    tmp_path: Path, case: tuple[str, str, int, str, str]
) -> None:
    old, new, line, field, words = case
    path = answers(tmp_path, old, new)
    out = tmp_path / "out"
    run = run_cli(["render", str(path), "-o", str(out)])
    err = refused(run, str(path), f"line {line}", field, words)
    assert "sys.set_int_max_str_digits" not in err and "ValueError" not in err
    assert not out.exists()


def test_a_huge_clause_order_is_refused_naming_it(tmp_path: Path) -> None:
    folder = overlay(tmp_path, "Fine.")
    clause_file = folder / "ours.yml"
    text = clause_file.read_text(encoding="utf-8")
    clause_file.write_text(text.replace("    title:", f"    order: {HUGE}\n    title:", 1))
    run = run_cli(
        ["render", str(answers(tmp_path)), "-o", str(tmp_path / "out"), "--clauses", str(folder)]
    )
    refused(run, str(clause_file), "line 5", "order", "4,300 digits")


def test_a_huge_number_in_a_batch_cell_fails_only_its_row(tmp_path: Path) -> None:
    sheet = tmp_path / "locals.csv"
    header = "local.name,district.name,district.state,school_year,bargaining.status,"
    header += "program.provider,program.delivery,pay.tutoring_hourly_rate,funding.ends,"
    header += "program.students"
    common = "2026-27,cba,in_house,in_person,45,2027-06-30"
    rows = [
        f"Alpha EA,Alpha SD,OH,{common},300",
        f"Beta EA,Beta SD,OH,{common},{HUGE}",
        f"Gamma EA,Gamma SD,OH,{common},300",
    ]
    sheet.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    run = run_cli(["batch", str(sheet), "-o", str(tmp_path / "out"), "--dry-run"])
    assert run.code == 1, run.err
    assert "Traceback" not in run.err + run.out
    assert "program.students" in run.out + run.err and "range" in run.out + run.err
    assert "sys.set_int_max_str_digits" not in run.out + run.err
