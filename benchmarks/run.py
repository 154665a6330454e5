"""Every speed figure of the hardening issue (and the batch issue's) from one run, each beside
its target. Not a test: nothing here asserts on time.

    python benchmarks/run.py                # everything (the batch part takes several minutes)
    python benchmarks/run.py --no-batch     # --help and render only (about a minute)
    python benchmarks/run.py --repeats 11   # more runs per figure (medians of 7 by default)
    python benchmarks/run.py --batch-rows 100

Figures (medians; the two sides of each ratio are run interleaved, so noise hits both):

(a) ``tutorbargain --help`` against ``--help`` of a minimal two-command Typer app in the same
    environment. Target: at most 1.25x.
(b) ``tutorbargain render`` of the largest example (most clauses included) against its floor:
    interpreter start, the imports of python-docx, Jinja2 and PyYAML, and the same documents
    (the models `tutorbargain.compose.documents.compose` makes) built directly with python-docx
    by the best means it offers: template opened once, style ids set directly, no style lookups by
    name, then saved. Target: at most 1.3x.
(c) The batch figures, from benchmarks/batch.py (documents per second against a python-docx
    floor, the --jobs 2 speed-up, memory at two row counts, PDF documents a second at --jobs 2
    against --jobs 1, and the national estimate from the measured rates).

Where the render target is missed, the script also prints where the time goes: a stage-by-stage
timing of a render in a fresh interpreter, the heaviest imports (``python -X importtime``) and
a cProfile of the in-process work.

Runs use the commands as installed, with bytecode caches allowed (a user's install has them),
and the clause cache warm, as on any run after the first; the cold-cache time is printed too.

This file is also the floor and the stage timer: ``--floor`` and ``--stages`` run it in a
fresh interpreter, so it imports only the standard library at the top.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = ROOT / "examples"
HELP_TARGET = 1.25
RENDER_TARGET = 1.0
"""Issue 16: a render of one local at most its python-docx floor."""

MINIMAL_APP = '''\
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    """Say hello to NAME."""
    typer.echo(f"Hello {name}")


@app.command()
def goodbye() -> None:
    """Say goodbye."""
    typer.echo("Goodbye")


app()
'''


# ---------------------------------------------------------------- the floor (fresh interpreter)


def floor(models: Path, out_dir: Path) -> dict[str, float]:
    """Build and save the documents in ``models`` with python-docx alone, by its best means
    (`floor.FloorWriter`), after paying what any render must: the imports of python-docx,
    Jinja2 and PyYAML. Returns seconds per stage."""
    marks = [time.perf_counter()]
    import docx  # noqa: F401  (the floor pays the imports a render needs)
    import jinja2  # noqa: F401
    import yaml  # noqa: F401
    from floor import FloorWriter

    marks.append(time.perf_counter())
    data = json.loads(models.read_text(encoding="utf-8"))
    writer = FloorWriter()
    saved = sum(
        writer.write(model, out_dir / f"{name}.docx") for name, model in data["documents"].items()
    )
    for name, text in data["markdown"].items():
        (out_dir / name).write_text(text, encoding="utf-8")
    marks.append(time.perf_counter())
    return {
        "imports": marks[1] - marks[0],
        "build": marks[2] - marks[1] - saved,
        "save": saved,
    }


def model_data(documents: dict[str, Any], markdown: dict[str, str]) -> dict[str, Any]:
    """Document models as plain JSON, so the floor needs no tutorbargain import to read them."""
    from floor import model_data as one

    return {"documents": {name: one(doc) for name, doc in documents.items()}, "markdown": markdown}


# ---------------------------------------------------------------- stages (fresh interpreter)


def stages(answers: Path, out_dir: Path) -> dict[str, float]:
    """Seconds for each step of a real ``render`` command run in this fresh interpreter.

    The imports are timed first, one group at a time; then `cli.main` runs the command as the
    console script would, with timers wrapped around Typer's per-parameter pydantic adapters
    and around each step of the pipeline. What is left is Typer's own parsing and printing.
    """
    totals: dict[str, float] = {}
    marks = [time.perf_counter()]

    def mark(label: str) -> None:
        marks.append(time.perf_counter())
        totals[label] = marks[-1] - marks[-2]

    import typer

    from tutorbargain import cli

    mark("import Typer (click, rich) and the CLI")
    if importlib.util.find_spec("typer._adapters") is not None:
        # Typer 0.29 and later import pydantic when any command runs (pyproject keeps 0.28).
        importlib.import_module("typer._adapters")
        mark("Typer: import pydantic")
    from tutorbargain import render
    from tutorbargain.answers import reading as answers_module

    mark("import the pipeline (python-docx, Jinja2, PyYAML, ours)")

    def timed(module: Any, name: str, label: str) -> None:
        real = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                totals[label] = totals.get(label, 0.0) + time.perf_counter() - start

        setattr(module, name, wrapper)

    import typer.core

    if hasattr(typer.core, "build_runtime_param"):
        timed(typer.core, "build_runtime_param", "Typer: build pydantic adapters per parameter")
    timed(answers_module, "load_answers", "read and validate the answers")
    timed(render, "load_library", "load the clause library (cache warm)")
    timed(render, "select", "select clauses and questions")
    timed(render, "compose", "compose the documents (Jinja, markup)")
    timed(render, "write_docx", "Word files (template prepared once)")
    timed(render, "write_markdown", "Markdown")
    timed(render, "write_files", "write the files (atomic, fsync)")
    argv = sys.argv
    sys.argv = ["tutorbargain", "render", str(answers), "-o", str(out_dir), "--force"]
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        sys.argv = argv
    command = time.perf_counter() - start
    inside = sum(v for k, v in totals.items() if not k.startswith(("import", "Typer: import")))
    totals["Typer: parse, call, print (the rest of the command)"] = command - inside
    del typer
    return totals


# ---------------------------------------------------------------- measuring


@dataclass
class Timing:
    """Wall and CPU seconds of one command, run many times."""

    label: str
    command: list[str]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    before: Callable[[], None] | None = None

    def run(self, env: dict[str, str]) -> None:
        if self.before is not None:
            self.before()
        with tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            process = subprocess.Popen(
                self.command, stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=ROOT
            )
            # wait4: this child's own CPU time (and its children's), not the whole benchmark's.
            _, status, usage = os.wait4(process.pid, 0)
            self.wall.append(time.perf_counter() - start)
            self.cpu.append(usage.ru_utime + usage.ru_stime)
            process.returncode = code = os.waitstatus_to_exitcode(status)
            if code != 0:
                errors.seek(0)
                sys.exit(f"{self.label} failed ({code}): {errors.read().decode()}")

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def interleaved(timings: Sequence[Timing], repeats: int, env: dict[str, str]) -> None:
    """Run each command ``repeats`` times, rotating the order so noise spreads evenly."""
    for round_ in range(repeats):
        shift = round_ % len(timings)
        for timing in [*timings[shift:], *timings[:shift]]:
            timing.run(env)


def largest_example() -> Path:
    """The example answers file with the most included clauses."""
    from tutorbargain.answers.reading import load_answers
    from tutorbargain.library.loading import load_library
    from tutorbargain.library.selection import select

    library = load_library()
    counts = {
        path: len(select(library, load_answers(path)).included_clauses())
        for path in sorted(EXAMPLES.glob("*.yml"))
    }
    return max(counts, key=lambda p: counts[p])


def write_models(answers: Path, target: Path) -> int:
    """The documents a render of ``answers`` composes, as JSON for the floor; their block count."""
    import datetime as dt

    from tutorbargain.answers.reading import load_answers
    from tutorbargain.compose.documents import compose
    from tutorbargain.library.loading import load_library
    from tutorbargain.library.selection import select
    from tutorbargain.render import output_names
    from tutorbargain.writers.markdown import write_markdown
    from tutorbargain.writers.output import slugify

    loaded = load_answers(answers)
    library = load_library()
    composed = compose(loaded, library, select(library, loaded), today=dt.date.today())
    names = output_names(slugify(loaded.get("local.name")))
    documents = {
        Path(names["mou"]).stem: composed.documents["mou"],
        Path(names["questions"]).stem: composed.documents["questions"],
    }
    markdown = {names["questions-md"]: write_markdown(composed.documents["questions"])}
    target.write_text(json.dumps(model_data(documents, markdown)), encoding="utf-8")
    return sum(len(doc.blocks) for doc in documents.values())


def _importtime_lines(command: list[str], env: dict[str, str]) -> list[str]:
    """The -X importtime report of one run of ``command``, a line per import."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    return done.stderr.splitlines()


def import_times(
    command: list[str], env: dict[str, str], modules: Sequence[str]
) -> dict[str, float]:
    """Cumulative import seconds of ``modules`` in one run of ``command`` (-X importtime)."""
    found: dict[str, float] = {}
    for line in _importtime_lines(command, env):
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and match.group(3) in modules and match.group(3) not in found:
            found[match.group(3)] = int(match.group(1)) / 1e6
    return found


def heaviest_imports(command: list[str], env: dict[str, str], count: int) -> list[str]:
    rows = []
    for line in _importtime_lines(command, env):
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            depth = (len(match.group(3)) - 1) // 2
            rows.append((int(match.group(2)), int(match.group(1)), depth, match.group(4)))
    top = sorted((r for r in rows if r[2] <= 1), reverse=True)[:count]
    return [f"{cum / 1000:7.1f} ms cumulative {own / 1000:6.1f} ms own  {name}"
            for cum, own, _, name in top]  # fmt: skip


def in_process_profile(answers: Path, out: Path) -> str:
    """cProfile of one render in this process (imports done, caches warm): the top functions."""
    import cProfile
    import pstats

    from tutorbargain.answers.reading import load_answers
    from tutorbargain.render import render_answers

    render_answers(load_answers(answers), out, force=True)  # warm: template prepared, compiled
    profiler = cProfile.Profile()
    profiler.enable()
    render_answers(load_answers(answers), out, force=True)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(18)
    return text.getvalue()


def find_command() -> list[str]:
    """The installed ``tutorbargain`` script beside this Python, or ``python -m tutorbargain``."""
    script = Path(sys.executable).with_name("tutorbargain")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tutorbargain"]


def verdict(value: float, target: float) -> str:
    return "holds" if value <= target else "MISSED"


# ---------------------------------------------------------------- batch


def batch_figures(rows: int, work: Path) -> tuple[str, list[str]]:
    """Run benchmarks/batch.py (the batch issue's benchmark); its report and its verdict lines."""
    path = HERE / "batch.py"
    if not path.exists():
        note = (
            "benchmarks/batch.py is not here, so the batch figures are missing: when it exists, "
            "this script runs its main(['--rows', N]) and adds its verdict lines below."
        )
        return note, [f"{'batch figures':<48} {'-':>10}  {'see batch.py':<10} NOT RUN"]
    spec = importlib.util.spec_from_file_location("tutorbargain_batch_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        module.main(
            ["--rows", str(rows), "--small", str(min(100, rows)), "--keep", str(work / "batch")]
        )
    report = buffer.getvalue()
    verdicts = r"\b(holds|MISSED|NOT RUN)\b|^national run estimate"
    lines = [line for line in report.splitlines() if re.search(verdicts, line)]
    return report, lines


# ---------------------------------------------------------------- report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per figure (7)")
    parser.add_argument("--batch-rows", type=int, default=1000, help="locals for batch (1000)")
    parser.add_argument("--no-batch", action="store_true", help="leave out the batch figures")
    parser.add_argument("--profile", action="store_true", help="always show where time goes")
    parser.add_argument("--floor", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stages", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        print(json.dumps(floor(*args.floor)))
        return
    if args.stages:
        print(json.dumps(stages(*args.stages)))
        return

    # A user's install has bytecode for tutorbargain; this environment may forbid writing it
    # (PYTHONDONTWRITEBYTECODE), which would make every run compile our modules again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(NO_COLOR="1", TERM="dumb", COLUMNS="100")
    if "PYTHONDONTWRITEBYTECODE" in os.environ:
        print("Note: PYTHONDONTWRITEBYTECODE is set here; the runs below allow bytecode caches.")
    command = find_command()
    answers = largest_example()
    work = Path(tempfile.mkdtemp(prefix="tutorbargain-run-"))
    try:
        _report(args, env, command, answers, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _report(
    args: argparse.Namespace, env: dict[str, str], command: list[str], answers: Path, work: Path
) -> None:
    minimal = work / "minimal_app.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    models = work / "models.json"
    blocks = write_models(answers, models)
    out, floor_out, cold_cache = work / "out", work / "floor-out", work / "cold-cache"
    floor_out.mkdir()
    me = [sys.executable, str(Path(__file__).resolve())]

    help_tb = Timing("tutorbargain --help", [*command, "--help"])
    help_min = Timing("minimal Typer app --help", [sys.executable, str(minimal), "--help"])
    render = Timing("render", [*command, "render", str(answers), "-o", str(out), "--force"])
    floor_run = Timing("floor", [*me, "--floor", str(models), str(floor_out)])
    cold = Timing(
        "render, empty clause cache",
        [*command, "render", str(answers), "-o", str(out), "--force"],
        before=lambda: shutil.rmtree(cold_cache, ignore_errors=True),
    )
    bare = Timing("python -c pass", [sys.executable, "-c", "pass"])
    timings = [help_tb, help_min, render, floor_run, bare]
    for timing in timings:  # warm-up: bytecode written, OS file cache and clause cache filled
        timing.run(env)
        timing.wall.clear()
        timing.cpu.clear()
    print(f"{len(timings)} commands, {args.repeats} interleaved runs each, on {os.cpu_count()} "
          f"CPUs; load average {os.getloadavg()[0]:.2f} at start")  # fmt: skip
    print(f"Largest example: {answers.relative_to(ROOT)} ({blocks} blocks in its two documents)")
    interleaved(timings, args.repeats, env)
    cold_env = {**env, "TUTORBARGAIN_CACHE_DIR": str(cold_cache)}
    for _ in range(max(3, args.repeats // 2)):
        cold.run(cold_env)
    print(f"Load average at end: {os.getloadavg()[0]:.2f}")
    print()
    print(f"{'command':<34} {'wall ms':>9} {'CPU ms':>9}   (medians)")
    for timing in (help_tb, help_min, render, floor_run, cold, bare):
        print(f"{timing.label:<34} {1000 * timing.median:9.0f} {1000 * timing.cpu_median:9.0f}")

    stage_ms, _ = _stage_breakdown(env, answers, work, models, me, bare, render, floor_run)
    pydantic_ms = sum(ms for label, ms in stage_ms.items() if "pydantic" in label)
    help_imports = import_times(["-m", "tutorbargain", "--help"], env, ["pydantic", "docx"])

    help_ratio = help_tb.median / help_min.median
    render_ratio = render.median / floor_run.median
    without_pydantic = (1000 * render.median - pydantic_ms) / (1000 * floor_run.median)
    rows: list[str] = []

    def row(label: str, measured: str, target: str = "", result: str = "") -> None:
        rows.append(f"{label:<50} {measured:>10}  {target:<10} {result}".rstrip())

    row("(a) --help: tutorbargain / minimal Typer app", f"{help_ratio:.2f}x",
        f"<= {HELP_TARGET}x", verdict(help_ratio, HELP_TARGET))  # fmt: skip
    row("    --help imports pydantic / python-docx",
        f"{'yes' if 'pydantic' in help_imports else 'no'} / "
        f"{'yes' if 'docx' in help_imports else 'no'}")  # fmt: skip
    row("(b) render largest example / its floor", f"{render_ratio:.2f}x",
        f"<= {RENDER_TARGET}x", verdict(render_ratio, RENDER_TARGET))  # fmt: skip
    row("    the same, CPU time", f"{render.cpu_median / floor_run.cpu_median:.2f}x")
    row("    Typer 0.29's pydantic in a render (ms, share)", f"{pydantic_ms:.0f} ms",
        f"{100 * pydantic_ms / 1000 / render.median:.0f}% of it")  # fmt: skip
    row("    render without that pydantic / floor", f"{without_pydantic:.2f}x",
        f"<= {RENDER_TARGET}x", verdict(without_pydantic, RENDER_TARGET))  # fmt: skip
    row("    render, empty clause cache / floor", f"{cold.median / floor_run.median:.2f}x")

    if not args.no_batch:
        print(f"\nBatch ({args.batch_rows} rows, benchmarks/batch.py); this takes a while...")
        sys.stdout.flush()
        report, lines = batch_figures(args.batch_rows, work)
        print(report.rstrip())
        rows.extend(f"(c) {line.strip()}" for line in lines)

    if args.profile or render_ratio > RENDER_TARGET:
        _profiles(env, answers, work)

    print("\nSummary (every figure beside its target):")
    print(f"{'figure':<50} {'measured':>10}  {'target':<10} verdict")
    for line in rows:
        print(line)


def _stage_breakdown(
    env: dict[str, str],
    answers: Path,
    work: Path,
    models: Path,
    me: list[str],
    bare: Timing,
    render: Timing,
    floor_run: Timing,
) -> tuple[dict[str, float], dict[str, float]]:
    """A render's time step by step beside the floor's (fresh interpreters, medians of 5)."""
    stage_runs: list[dict[str, float]] = []
    floor_runs: list[dict[str, float]] = []
    stage_out = work / "stages-out"
    stage_out.mkdir(exist_ok=True)
    for _ in range(5):
        for target, runs in (
            ([*me, "--stages", str(answers), str(stage_out)], stage_runs),
            ([*me, "--floor", str(models), str(work / "floor-out")], floor_runs),
        ):
            done = subprocess.run(target, capture_output=True, text=True, env=env, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def medians(runs: list[dict[str, float]]) -> dict[str, float]:
        return {label: 1000 * statistics.median(r[label] for r in runs) for label in runs[0]}

    stage_ms, floor_ms = medians(stage_runs), medians(floor_runs)
    start_ms = 1000 * bare.median
    print("\nWhere the time goes, ms (step by step in a fresh interpreter, medians of 5;")
    print("the sums leave out the interpreter's shutdown, which the commands above include):")
    print(f"  {'render':<64} {'':>7}")
    print(f"    {'interpreter start (python -c pass)':<62} {start_ms:7.0f}")
    for label, ms in stage_ms.items():
        print(f"    {label:<62} {ms:7.0f}")
    total = start_ms + sum(stage_ms.values())
    print(f"    {'sum (the command measured ' + f'{1000 * render.median:.0f})':<62} {total:7.0f}")
    print("  floor")
    print(f"    {'interpreter start':<62} {start_ms:7.0f}")
    for label, ms in floor_ms.items():
        name = "imports (python-docx, Jinja2, PyYAML)" if label == "imports" else label
        print(f"    {name:<62} {ms:7.0f}")
    floor_total = start_ms + sum(floor_ms.values())
    label = "sum (the command measured " + f"{1000 * floor_run.median:.0f})"
    print(f"    {label:<62} {floor_total:7.0f}")
    return stage_ms, floor_ms


def _profiles(env: dict[str, str], answers: Path, work: Path) -> None:
    print("\nHeaviest imports of a render (python -X importtime, one run, top two levels):")
    render_command = ["-m", "tutorbargain", "render", str(answers), "-o", str(work / "imp")]
    for line in heaviest_imports([*render_command, "--force"], env, 12):
        print(f"  {line}")
    print("\nProfile of the in-process work of a render (imports done, caches warm):")
    print(in_process_profile(answers, work / "profile-out").rstrip())


if __name__ == "__main__":
    main()
