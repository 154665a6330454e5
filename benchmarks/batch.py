"""Benchmark `tutorbargain batch` against a python-docx floor (issue 5). Not a test.

    python benchmarks/batch.py              # 1,000 generated locals (several minutes)
    python benchmarks/batch.py --rows 100   # a quick run
    python benchmarks/batch.py --profile 40 # also profile 40 locals in process

Prints, from one run on this machine:
- documents (.docx) per second for `batch --jobs 1`, wall time of the real command;
- the floor: the same documents built straight from the document models the pipeline
  composes, by the best means python-docx offers (see `FloorWriter`), and saved;
- batch as a ratio of the floor (target >= 0.75 per core);
- the `--jobs 2` speed-up at the full row count (target >= 1.8x);
- peak memory (max RSS of the batch process tree) at 100 rows and at the full count
  (target: flat in row count, at most 5% above the 100-row figure);
- where a batch row's time goes, stage by stage, measured in process;
- PDF documents a second at --jobs 1 and --jobs 2, by the converters `batch --pdf` uses
  (target: --jobs 2 at least 1.7x), and from the measured rates an estimate of a national run.

Figures from shared machines are noisy; compare the ratios printed by one run.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import gc
import io
import itertools
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from floor import FloorWriter, model_data

from tutorbargain import batch
from tutorbargain.answers.fields import FIELDS
from tutorbargain.compose.documents import compose
from tutorbargain.compose.model import Document
from tutorbargain.library.loading import Library, load_library
from tutorbargain.library.selection import select

TODAY = dt.date(2026, 5, 1)
TARGET_RATIO = 4.0
"""Issue 16: documents a second per core at least 4x the python-docx floor."""
TARGET_COMPOSE_MS = 5.0
NATIONAL_LOCALS = 13_000
KIT_DOCUMENTS = 4
"""--kit writes the MOU, the questions, the letter and the information request."""
TARGET_SPEEDUP = 1.8
"""Issue 16: `batch --jobs 2` on 1,000 rows at least 1.8x as fast as --jobs 1."""
TARGET_PDF_SPEEDUP = 1.7
"""Issue 16: PDF documents a second at --jobs 2 at least 1.7x --jobs 1."""
FLAT_MEMORY = 1.05
"""Issue 16: peak memory at 1,000 rows at most 5% above the 100-row figure."""

# ---------------------------------------------------------------- varied locals

PLACES = tuple(
    (
        "Cedar Hollow, Maple Ridge, Harbor City, Bluestem, Three Rivers, Granite Hills, "
        "Sawtooth Valley, Coastal Bend, Lake Superior, Pinon Mesa, Red Clay, Willow Creek, "
        "North Fork, Prairie View, Stony Brook, Elk Meadow, Juniper Flats, Silver Lake, "
        "Copper Canyon, Magnolia Parish, Oak Bluff, Pine Barrens, Sandhill, Iron Range, "
        "Blue Ridge, Clearwater, Fox River, High Plains, Kettle Moraine, Laurel Springs, "
        "Mill Valley, Ocean Grove, Palisade, Quarry Hill, Rock Island, Shady Grove"
    ).split(", ")
)
KINDS = tuple(
    (
        "Education Association, Teachers Association, Federation of Teachers, "
        "Association of Educators, Education Support Professionals, Faculty Association"
    ).split(", ")
)
STATES = ("OH", "WA", "NM", "KS", "PA", "LA", "NH", "ID", "TX", "MN", "CA", "MI", "OR", "VA")
VENDORS = (
    "Lumen Learning Partners LLC",
    "Desert Sky Tutoring",
    "Keystone Academic Services, Inc.",
    "BrightBridge Virtual Tutoring",
    "North Country Learning Co.",
    "Gulf Coast Tutoring",
)
SUBJECTS = ("math", "reading", "writing", "science", "phonics", "English language arts")
GRADE_BANDS = ("K;1;2", "K;1;2;3", "3;4;5", "4;5;6;7;8", "6;7;8", "9;10;11;12", "3;4;5;6")
FUNDING = ("esser", "title_i", "state_grant", "general_fund", "other")
PEOPLE = ("Ana Ruiz", "Ben Okafor", "Carla Haugen", "Dev Patel", "Erin Cote", "Farid Lind")


def generate_locals(count: int, *, seed: int = 5) -> list[dict[str, str]]:
    """``count`` valid, varied locals: states, bargaining, providers, deliveries, tutors."""
    rng = random.Random(seed)
    names = [f"{place} {kind}" for kind in KINDS for place in PLACES]
    rows: list[dict[str, str]] = []
    for index in range(count):
        name = names[index % len(names)]
        if index >= len(names):
            name = f"{name} Unit {index // len(names) + 1}"
        status = rng.choice(("cba", "cba", "meet_and_confer", "none"))
        provider = rng.choice(("in_house", "vendor", "mixed"))
        has_vendor = provider != "in_house"

        def money(low: float, high: float) -> str:
            return f"{rng.uniform(low, high):.2f}"

        year = rng.choice((2026, 2027))
        row = {
            "local.name": name,
            "local.affiliate": f"{rng.choice(STATES)} Education Association",
            "local.president": rng.choice(PEOPLE),
            "district.name": f"{name.split(' ')[0]} {rng.choice(('City', 'Unified', 'Area'))} "
            "School District",
            "district.state": rng.choice(STATES),
            "district.superintendent": rng.choice(("", *PEOPLE)),
            "school_year": f"{year}-{(year + 1) % 100:02d}",
            "bargaining.status": status,
            "bargaining.tutors_already_negotiated": rng.choice(("yes", "no", "")),
            "bargaining.contract_article": ""
            if status == "none"
            else rng.choice(("", "Article 12", "Article 7, Section 3")),
            "program.name": rng.choice(("", "Learning Boost", "Reading Corps", "Math Lab")),
            "program.provider": provider,
            "program.vendor_name": rng.choice(VENDORS) if has_vendor else "",
            "program.vendor_hourly_rate": money(40, 75) if has_vendor else "",
            "program.delivery": rng.choice(("in_person", "virtual", "hybrid")),
            "program.during_school_day": rng.choice(("yes", "no")),
            "program.sessions_per_week": str(rng.randint(1, 5)),
            "program.minutes_per_session": str(rng.choice((30, 45, 60, 90))),
            "program.weeks": rng.choice(("", str(rng.randint(6, 36)))),
            "program.max_group_size": str(rng.randint(1, 8)),
            "program.students": rng.choice(("", str(rng.randint(50, 3000)))),
            "program.tutor_count": rng.choice(("", str(rng.randint(5, 80)))),
            "program.subjects": ";".join(rng.sample(SUBJECTS, rng.randint(1, 3))),
            "program.grades": rng.choice(GRADE_BANDS),
            "program.student_identification": rng.choice(
                ("test_scores", "teacher_referral", "multiple_measures", "undecided", "")
            ),
            "program.evaluation_uses_test_scores": rng.choice(("yes", "no", "")),
            "program.serves_iep_students": rng.choice(("yes", "no")),
            "program.needs_space": rng.choice(("yes", "no")),
            "tutors.unit_teachers": rng.choice(("yes", "yes", "no")),
            "tutors.esps": rng.choice(("yes", "no")),
            "tutors.retirees": rng.choice(("yes", "no")),
            "tutors.student_teachers": rng.choice(("yes", "no")),
            "tutors.community_volunteers": rng.choice(("yes", "no")),
            "pay.certificated_hourly_rate": rng.choice(("", money(32, 60))),
            "pay.tutoring_hourly_rate": rng.choice(("", money(35, 65))),
            "pay.esp_hourly_rate": rng.choice(("", money(16, 30))),
            "pay.training_hours": rng.choice(("", str(rng.randint(2, 12)))),
            "funding.source": rng.choice(FUNDING),
            "funding.ends": rng.choice(("", f"{year + 1}-06-30", f"9/30/{year + 1}")),
        }
        rows.append(row)
    return rows


def write_locals(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        columns = [f.name for f in FIELDS]
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])  # newer fields: unanswered
    return path


# ---------------------------------------------------------------- running the real command


@dataclass
class Run_:
    seconds: float
    peak_mb: float
    cpu_seconds: float
    """User and system time of the batch process and its workers together."""
    load_before: float
    """The machine's 1-minute load average as the run started: others' work on shared cores."""

    @property
    def cores_used(self) -> float:
        return self.cpu_seconds / self.seconds


def run_batch_command(source: Path, out: Path, *, jobs: int) -> Run_:
    """Run `tutorbargain batch` as a user would; wall time and the peak RSS of its processes."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "tutorbargain", "batch", str(source), "-o", str(out)]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--jobs", str(jobs)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    # wait4 gives this child's own resource use, including the workers it waited for.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        assert process.stderr is not None
        sys.exit(f"batch failed ({process.returncode}): {process.stderr.read().decode()}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run_(seconds, usage.ru_maxrss / 1024, cpu, load)


def describe_run(label: str, run: Run_) -> str:
    return (
        f"  {label}: {run.seconds:.1f} s wall, {run.cpu_seconds:.1f} s CPU "
        f"({run.cores_used:.2f} cores busy), load average {run.load_before:.2f} at the start"
    )


# ---------------------------------------------------------------- the python-docx floor


def composed_models(source: Path, library: Library) -> Iterator[tuple[str, Document]]:
    """The MOU and question-list models the pipeline composes for each row (untimed)."""
    for item in batch.validate_rows(batch.read_locals(source)):
        assert item.answers is not None and item.slug is not None
        selection = select(library, item.answers)
        composed = compose(item.answers, library, selection, today=TODAY)
        yield f"{item.slug}-mou", composed.documents["mou"]
        yield f"{item.slug}-impact-questions", composed.documents["questions"]


def floor_rate(source: Path, out: Path) -> tuple[float, float, int]:
    """Documents per second of `FloorWriter` (by wall time and by CPU time), timing only the
    build and the save."""
    library = load_library()
    writer = FloorWriter()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    spent, cpu, count = 0.0, 0.0, 0
    for name, model in composed_models(source, library):
        data = model_data(model)  # (untimed: the floor reads plain data)
        start, start_cpu = time.perf_counter(), time.process_time()
        writer.write(data, out / f"{name}.docx")
        spent += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        count += 1
    # Check the floor is a real document: it opens, and holds the model's words.
    sample = docx.Document(str(next(out.glob("*-mou.docx"))))
    assert len(sample.paragraphs) > 40
    return count / spent, count / cpu, count


# ---------------------------------------------------------------- where a row's time goes


def stage_times(source: Path, out: Path, rows: int) -> dict[str, float]:
    """Milliseconds per local for each stage of the pipeline, in process (the first rows)."""
    from tutorbargain.writers.markdown import write_markdown
    from tutorbargain.writers.output import write_files
    from tutorbargain.writers.word import write_docx

    library = load_library()
    totals = dict.fromkeys(
        (
            "read and validate",
            "select",
            "compose (Jinja, markup)",
            "Word files",
            "Markdown",
            "write to disk (atomic, fsync)",
        ),
        0.0,
    )
    start = time.perf_counter()
    every_row = batch.validate_rows(batch.read_locals(source))
    totals["read and validate"] = (time.perf_counter() - start) * rows / len(every_row)
    checked = every_row[:rows]
    shutil.rmtree(out, ignore_errors=True)
    write_docx(Document())  # the once-per-process template preparation, outside the loop
    first = checked[0]
    assert first.answers is not None
    compose(first.answers, library, select(library, first.answers), today=TODAY)  # and compiling
    gc.collect()
    gc.freeze()  # as a batch process does once its library is loaded (batch.worker)
    for item in checked:
        assert item.answers is not None and item.slug is not None
        folder = out / item.slug
        marks = [time.perf_counter()]
        selection = select(library, item.answers)
        marks.append(time.perf_counter())
        composed = compose(item.answers, library, selection, today=TODAY)
        marks.append(time.perf_counter())
        files = {
            folder / "m.docx": write_docx(composed.documents["mou"]),
            folder / "q.docx": write_docx(composed.documents["questions"]),
        }
        marks.append(time.perf_counter())
        files[folder / "q.md"] = write_markdown(composed.documents["questions"]).encode()
        marks.append(time.perf_counter())
        write_files(files, force=True)
        marks.append(time.perf_counter())
        for key, (a, b) in zip(list(totals)[1:], itertools.pairwise(marks), strict=True):
            totals[key] += b - a
    return {key: 1000 * value / len(checked) for key, value in totals.items()}


@dataclass
class PdfRate:
    """``batch --pdf``'s conversion step (`pdf.convert_files`, as batch calls it) at one
    --jobs: documents a second by wall time, and how busy the cores were."""

    jobs: int
    documents: int
    seconds: float
    cpu_seconds: float
    starts: int

    @property
    def rate(self) -> float:
        return self.documents / self.seconds

    @property
    def cores_used(self) -> float:
        return self.cpu_seconds / self.seconds


def pdf_rates(folder: Path, count: int, repeat: int) -> tuple[PdfRate, PdfRate] | None:
    """PDF documents a second at --jobs 1 and --jobs 2, converting the same ``count``
    documents from ``folder`` with the converters batch uses (LibreOffice's start included,
    as a real batch pays it); runs alternate and the fastest of ``repeat`` of each is kept.
    None without LibreOffice."""
    from tutorbargain.writers import pdf

    files = sorted(folder.rglob("*.docx"))[:count]
    if pdf.find_soffice() is None or not files:
        return None
    best: dict[int, PdfRate] = {}
    for _ in range(max(1, repeat)):
        for jobs in (1, 2):
            for made in folder.rglob("*.pdf"):
                made.unlink()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            run = pdf.convert_files(files, jobs=jobs)
            seconds = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if run.failed:
                sys.exit(f"PDF conversion failed: {next(iter(run.failed.values()))}")
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            rate = PdfRate(jobs, len(files), seconds, cpu, run.starts)
            print(
                f"  PDFs of {len(files)} documents, --jobs {jobs}: {seconds:.1f} s wall, "
                f"{cpu:.1f} s CPU ({rate.cores_used:.2f} cores busy), {run.starts} LibreOffice "
                f"start{'s' if run.starts != 1 else ''}",
                flush=True,
            )
            if jobs not in best or rate.seconds < best[jobs].seconds:
                best[jobs] = rate
    return best[1], best[2]


def profile(source: Path, out: Path, rows: int) -> str:
    """cProfile of an in-process batch of ``rows`` locals: the top functions, as text."""
    subset = out.parent / "profile.csv"
    with source.open(encoding="utf-8") as handle:
        lines = handle.readlines()[: rows + 1]
    subset.write_text("".join(lines), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    profiler = cProfile.Profile()
    profiler.enable()
    batch.run_batch(subset, out, today=TODAY)
    profiler.disable()
    text = io.StringIO()
    text.write(f"\nProfile of {rows} locals in process (cumulative, then own time):\n")
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    return text.getvalue()


# ---------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "holds" if ok else "MISSED"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1000, help="locals to generate (1000)")
    parser.add_argument("--small", type=int, default=100, help="the smaller memory run (100)")
    parser.add_argument("--profile", type=int, default=0, help="also profile this many locals")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run --jobs 1 and --jobs 2 this many times, alternately, and keep the fastest of "
        "each (a shared machine's other work only ever slows a run down)",
    )
    parser.add_argument("--keep", type=Path, help="keep the generated files in this folder")
    parser.add_argument(
        "--pdf-documents", type=int, default=120, help="documents for the PDF figure (120)"
    )
    parser.add_argument(
        "--pdf-repeat", type=int, default=2, help="runs of each PDF --jobs, fastest kept (2)"
    )
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="tutorbargain-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = generate_locals(args.rows)
    source = write_locals(work / "locals.csv", rows)
    small = write_locals(work / "locals-small.csv", rows[: args.small])
    docs = 2 * args.rows
    print(f"{args.rows} generated locals ({docs} Word documents), {os.cpu_count()} CPUs")
    if args.repeat > 1:
        print(f"Timing the fastest of {args.repeat} runs each of --jobs 1 and --jobs 2.")
    try:
        mem_small = run_batch_command(small, work / "out-small", jobs=1)
        print(describe_run(f"batch --jobs 1, {args.small} rows", mem_small), flush=True)
        ones: list[Run_] = []
        twos: list[Run_] = []
        for _ in range(max(1, args.repeat)):
            ones.append(run_batch_command(source, work / "out-1", jobs=1))
            print(describe_run(f"batch --jobs 1, {args.rows} rows", ones[-1]), flush=True)
            twos.append(run_batch_command(source, work / "out-2", jobs=2))
            print(describe_run(f"batch --jobs 2, {args.rows} rows", twos[-1]), flush=True)
        one = min(ones, key=lambda run: run.seconds)
        two = min(twos, key=lambda run: run.seconds)
        one.peak_mb = max(run.peak_mb for run in ones)
        two.peak_mb = max(run.peak_mb for run in twos)
        floor, floor_cpu, floor_docs = floor_rate(source, work / "out-floor")
        assert floor_docs == docs
        stages = stage_times(source, work / "out-stages", min(args.rows, 100))
        pdfs = pdf_rates(work / "out-1", args.pdf_documents, args.pdf_repeat)
        profiled = profile(source, work / "out-profile", args.profile) if args.profile else ""
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    rate = docs / one.seconds
    ratio = rate / floor
    speedup = one.seconds / two.seconds
    growth = one.peak_mb / mem_small.peak_mb
    print()
    print(f"{'figure':<44} {'measured':>14}  {'target':<22} verdict")
    print(f"{'batch --jobs 1, documents/s':<44} {rate:>14.2f}")
    print(f"{'python-docx floor, documents/s':<44} {floor:>14.2f}")
    print(
        f"{'batch / floor (one core)':<44} {ratio:>14.2f}  {f'>= {TARGET_RATIO}':<22} "
        f"{verdict(ratio >= TARGET_RATIO)}"
    )
    cpu_ratio = (docs / one.cpu_seconds) / floor_cpu
    print(f"{'  the same by CPU time (not wall time)':<44} {cpu_ratio:>14.2f}")
    print(
        f"{'--jobs 2 speed-up':<44} {speedup:>13.2f}x  {f'>= {TARGET_SPEEDUP}x':<22} "
        f"{verdict(speedup >= TARGET_SPEEDUP)}"
    )
    print(f"{f'peak memory, {args.small} rows (MB)':<44} {mem_small.peak_mb:>14.1f}")
    print(
        f"{f'peak memory, {args.rows} rows (MB)':<44} {one.peak_mb:>14.1f}  "
        f"{f'<= {FLAT_MEMORY:.2f}x the {args.small}-row run':<22} "
        f"{verdict(growth <= FLAT_MEMORY)} ({growth:.2f}x)"
    )
    print(f"{'peak memory, --jobs 2 (MB, largest process)':<44} {two.peak_mb:>14.1f}")
    compose_ms = stages["compose (Jinja, markup)"]
    print(
        f"{'composing, ms a local':<44} {compose_ms:>14.1f}  {f'<= {TARGET_COMPOSE_MS}':<22} "
        f"{verdict(compose_ms <= TARGET_COMPOSE_MS)}"
    )
    if pdfs is not None:
        pdf_one, pdf_two = pdfs
        pdf_speedup = pdf_two.rate / pdf_one.rate
        print(f"{'PDF documents/s, --jobs 1 (one LibreOffice)':<44} {pdf_one.rate:>14.2f}")
        print(f"{'PDF documents/s, --jobs 2 (two side by side)':<44} {pdf_two.rate:>14.2f}")
        print(
            f"{'PDF --jobs 2 speed-up':<44} {pdf_speedup:>13.2f}x  "
            f"{f'>= {TARGET_PDF_SPEEDUP}x':<22} {verdict(pdf_speedup >= TARGET_PDF_SPEEDUP)}"
        )
        word_hours = NATIONAL_LOCALS * KIT_DOCUMENTS / (docs / two.seconds) / 3600
        pdf_hours = NATIONAL_LOCALS * KIT_DOCUMENTS / pdf_two.rate / 3600
        print(
            f"{'national run estimate, hours':<44} {word_hours + pdf_hours:>14.1f}  "
            f"{f'{NATIONAL_LOCALS:,} locals, --kit --pdf, --jobs 2 (Word {word_hours:.1f} h, '}"
            f"PDF {pdf_hours:.1f} h at {pdf_two.rate:.2f} PDFs/s measured)"
        )
        if pdf_two.cores_used < 1.8 or pdf_one.cores_used < 0.9:
            print(
                f"\nNote: the PDF runs kept {pdf_two.cores_used:.2f} cores busy at --jobs 2 and "
                f"{pdf_one.cores_used:.2f} at --jobs 1: other work was taking CPU time (or "
                "LibreOffice waited on the disk), so the PDF speed-up above is a lower bound."
            )
    else:
        print(f"{'PDF --jobs 2 speed-up':<44} {'-':>14}  {'>= 1.7x':<22} NOT RUN (no LibreOffice)")
    if two.cores_used < 1.8 or one.cores_used < 0.9:
        print(
            f"\nNote: the --jobs 2 run kept {two.cores_used:.2f} cores busy and --jobs 1 "
            f"{one.cores_used:.2f}; other work on this shared machine was taking CPU time, so "
            "the speed-up above is a lower bound. Run again when the load average is near 0."
        )
    print("\nWhere one local's time goes in the pipeline (ms per local, in process):")
    total = sum(stages.values())
    for stage, ms in stages.items():
        print(f"  {stage:<34} {ms:8.1f}  {100 * ms / total:5.1f}%")
    print(f"  {'total':<34} {total:8.1f}   (the command also pays start-up once)")
    print(f"  floor for the same two documents:   {2000 / floor:8.1f}")
    print(profiled, end="")


if __name__ == "__main__":
    main()
