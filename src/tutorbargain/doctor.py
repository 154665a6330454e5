"""`tutorbargain doctor`: what is installed, and whether each feature is ready.

A staffer whose run goes wrong can read this (or paste it into a bug report) instead of
guessing: the Python and package versions, LibreOffice, where the clause library and the
document templates come from and whether they load, and for each feature what it still needs.

Optional things that are missing (LibreOffice, openpyxl, a terminal) are reported with what
would fix them; only a broken core (the library or a template will not load, a required
package is missing) makes `Diagnosis.raise_if_broken` fail, so a script can rely on the exit
code meaning "tutorbargain cannot render here".
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from tutorbargain import __version__
from tutorbargain.errors import Place, Problem, TutorbargainError

SOFFICE_TIMEOUT = 20.0
"""Seconds to wait for ``soffice --version``; a first start of LibreOffice can be slow."""
XLSX_HINT = "pip install 'tutorbargain[xlsx]'"
CORE_PACKAGES = ("typer", "jinja2", "pyyaml", "python-docx", "questionary")
"""Used when the installed metadata cannot be read (a source checkout without install)."""


class DoctorFailed(TutorbargainError):
    """Raised after the report when the core cannot work here (nothing could be rendered)."""


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was looked at, what was found, and whether it is fine."""

    label: str
    found: str
    ok: bool = True
    fix: str = ""
    """What to do about it, when it is not fine."""


@dataclass(frozen=True)
class Feature:
    name: str
    ready: bool
    needs: str = ""
    """What the feature is missing, in words, when it is not ready."""
    note: str = ""
    """Something to know when it is ready (the interview needs a terminal window)."""


@dataclass
class Diagnosis:
    """Everything doctor found, grouped as it is printed."""

    installed: list[Finding] = field(default_factory=list)
    library: list[Finding] = field(default_factory=list)
    features: list[Feature] = field(default_factory=list)
    core_problems: list[str] = field(default_factory=list)

    @property
    def core_ok(self) -> bool:
        return not self.core_problems

    def lines(self) -> list[str]:
        """The report as printed: three sections, then a verdict."""
        out = ["Installed:"]
        out += _finding_lines(self.installed)
        out += ["", "Clause library and templates:"]
        out += _finding_lines(self.library)
        out += ["", "Features:"]
        width = max((len(f.name) for f in self.features), default=0)
        for feature in self.features:
            if feature.ready:
                state = "ready" + (f" ({feature.note})" if feature.note else "")
            else:
                state = f"not ready: needs {feature.needs}"
            out.append(f"  {feature.name:<{width}}  {state}")
        out.append("")
        if self.core_ok:
            missing = [f.name for f in self.features if not f.ready]
            if missing:
                out.append(
                    "tutorbargain works here; optional features not ready: "
                    + ", ".join(missing)
                    + "."
                )
            else:
                out.append("tutorbargain works here, with every feature ready.")
        return out

    def raise_if_broken(self) -> None:
        """Raise `DoctorFailed` (exit code 1) when the core cannot render documents here."""
        if self.core_problems:
            raise DoctorFailed(
                "tutorbargain cannot render documents here: "
                + "; ".join(self.core_problems)
                + ". Fix that and run `tutorbargain doctor` again."
            )


def _finding_lines(findings: Sequence[Finding]) -> list[str]:
    width = max((len(f.label) for f in findings), default=0)
    lines = []
    for finding in findings:
        mark = "" if finding.ok else "  [problem]"
        lines.append(f"  {finding.label:<{width}}  {finding.found}{mark}")
        if finding.fix:
            lines.append(f"  {'':<{width}}  -> {finding.fix}")
    return lines


# ---------------------------------------------------------------- looking


def diagnose(
    *, clause_dirs: Sequence[Path] = (), soffice_timeout: float = SOFFICE_TIMEOUT
) -> Diagnosis:
    """Look at this installation. Reads and runs nothing that changes anything."""
    diagnosis = Diagnosis()
    found = diagnosis.installed
    found.append(Finding("Python", f"{platform.python_version()} ({sys.executable})"))
    found.append(Finding("Platform", platform.platform()))
    found.append(Finding("tutorbargain", _own_version()))
    missing_core = []
    for name in _dependencies():
        version = _version_of(name)
        if version is None:
            missing_core.append(name)
            found.append(Finding(name, "not installed", ok=False, fix="reinstall tutorbargain"))
        else:
            found.append(Finding(name, version))
    if missing_core:
        diagnosis.core_problems.append(
            f"a required package is missing ({', '.join(missing_core)}); reinstall tutorbargain"
        )
    openpyxl = _version_of("openpyxl")
    found.append(
        Finding("openpyxl", openpyxl)
        if openpyxl
        else Finding("openpyxl", "not installed (optional)", fix=f"for .xlsx: {XLSX_HINT}")
    )
    soffice, soffice_works = _libreoffice(soffice_timeout)
    found.append(soffice)

    library_ok = _check_library(diagnosis, clause_dirs)
    _check_templates(diagnosis)
    cache_finding = _cache()
    if cache_finding is not None:
        diagnosis.library.append(cache_finding)

    core = diagnosis.core_ok
    why_not = "the problems above fixed" if not core else ""
    features = diagnosis.features
    features.append(Feature("render", core, why_not))
    features.append(Feature("explain, clauses list/show", library_ok, why_not))
    features.append(
        Feature(
            "render --pdf, batch --pdf",
            core and soffice_works,
            why_not or "LibreOffice (see above)",
        )
    )
    features.append(Feature("batch (.csv, .yml)", core, why_not))
    features.append(
        Feature(
            "batch (.xlsx)",
            core and openpyxl is not None,
            why_not or ("" if openpyxl else f"openpyxl: {XLSX_HINT}"),
        )
    )
    features.append(_interview(core))
    return diagnosis


def _own_version() -> str:
    try:
        installed = metadata.version("tutorbargain")
    except metadata.PackageNotFoundError:
        return f"{__version__} (running from source, not installed)"
    if installed != __version__:
        return f"{__version__} (installed metadata says {installed}: reinstall to match)"
    return f"{__version__} ({Path(__file__).resolve().parent})"


def _dependencies() -> list[str]:
    """The required packages, as the installed metadata lists them (extras left out)."""
    try:
        requires = metadata.requires("tutorbargain") or []
    except metadata.PackageNotFoundError:
        return list(CORE_PACKAGES)
    names = []
    for requirement in requires:
        if "extra ==" in requirement:
            continue
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        if match:
            names.append(match.group())
    return names or list(CORE_PACKAGES)


def _version_of(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _libreoffice(timeout: float) -> tuple[Finding, bool]:
    """LibreOffice's path and version, asked with a time limit (it can hang on a bad profile);
    and whether it works."""
    from tutorbargain.writers.pdf import find_soffice

    program = find_soffice()
    install = "install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui)"
    if program is None:
        return Finding("LibreOffice", "not found (optional)", fix=f"for PDFs: {install}"), False
    with tempfile.TemporaryDirectory(prefix="tutorbargain-doctor-") as work:
        profile = Path(work).as_uri()
        try:
            done = subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--version"],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            answer = f"{program} did not answer within {timeout:g} seconds"
            fix = "close any LibreOffice windows, or reinstall LibreOffice"
            return Finding("LibreOffice", answer, ok=False, fix=fix), False
        except OSError as exc:
            answer = f"{program} cannot be run ({exc.strerror})"
            return Finding("LibreOffice", answer, ok=False, fix=install), False
    words = " ".join((done.stdout or done.stderr).split())
    if done.returncode != 0 or not words:
        answer = f"{program} failed to start ({words[:200] or 'no output'})"
        return Finding("LibreOffice", answer, ok=False, fix=install), False
    return Finding("LibreOffice", f"{words[:80]} ({program})"), True


def _check_library(diagnosis: Diagnosis, clause_dirs: Sequence[Path]) -> bool:
    from tutorbargain.library.loading import resource_dir

    found = diagnosis.library
    try:
        found.append(Finding("Bundled clauses", str(resource_dir("clauses"))))
    except TutorbargainError as exc:
        found.append(Finding("Bundled clauses", "missing", ok=False, fix="reinstall tutorbargain"))
        diagnosis.core_problems.append(exc.lines()[0])
        return False
    for folder in clause_dirs:
        found.append(Finding("Your clauses", str(folder)))
    try:
        from tutorbargain.library.loading import load_library

        library = load_library(clause_dirs)
    except Exception as exc:  # doctor must report, never crash: this is what it is for
        if isinstance(exc, TutorbargainError):
            lines = [line.strip() for line in exc.lines()]
        else:
            lines = [f"{type(exc).__name__}: {exc}"]
        found.append(Finding("Library", "does not load:", ok=False))
        found.extend(Finding("", line, ok=False) for line in lines)
        if clause_dirs:
            problem = (
                "the clause library does not load with your clause folders (see above; "
                "`tutorbargain clauses lint DIR` checks a folder)"
            )
        else:
            problem = "the bundled clause library does not load (see above); reinstall tutorbargain"
        diagnosis.core_problems.append(problem)
        return False
    found.append(
        Finding(
            "Library",
            f"loads cleanly: version {library.version}, {len(library.clauses)} clauses, "
            f"{len(library.questions)} questions, {len(library.requests)} information requests",
        )
    )
    return True


def _check_templates(diagnosis: Diagnosis) -> None:
    """Each document template is there and compiles (a syntax error would stop every render)."""
    try:
        import jinja2

        from tutorbargain.compose.documents import TEMPLATES, template_path
        from tutorbargain.compose.templating import compile_template
        from tutorbargain.library.loading import resource_dir
        from tutorbargain.yamlfile import read_text

        folder = resource_dir("templates")
    except TutorbargainError as exc:
        diagnosis.library.append(Finding("Templates", "missing", ok=False))
        diagnosis.core_problems.append(exc.lines()[0])
        return
    except ImportError as exc:
        diagnosis.library.append(Finding("Templates", f"cannot be checked ({exc})", ok=False))
        diagnosis.core_problems.append(f"a required package cannot be imported ({exc.name})")
        return
    broken = []
    for name in TEMPLATES:
        path = template_path(name)
        try:
            compile_template(read_text(path, what="a document template"), name=str(path))
        except TutorbargainError as exc:
            broken.append(exc.lines()[0])
        except jinja2.TemplateSyntaxError as exc:
            broken.append(str(Problem(Place(str(path), exc.lineno), str(exc.message))))
        except Exception as exc:  # report it, never crash
            broken.append(f"{path}: {type(exc).__name__}: {exc}")
    if broken:
        diagnosis.library.append(Finding("Templates", str(folder), ok=False))
        diagnosis.library.extend(Finding("", problem, ok=False) for problem in broken)
        diagnosis.core_problems.append(
            "a document template is broken (see above); reinstall tutorbargain"
        )
    else:
        count = len(TEMPLATES)
        diagnosis.library.append(Finding("Templates", f"{folder} ({count} compile cleanly)"))


def _cache() -> Finding | None:
    from tutorbargain.library import cache

    folder = cache.cache_dir()
    if folder is None and cache.configured_dir() is None:
        return Finding("Cache", "off (TUTORBARGAIN_NO_CACHE is set)")
    if folder is None:
        return Finding(
            "Cache",
            f"{cache.configured_dir()} is not used: it is not a private folder of yours "
            "(others can write it, or it belongs to someone else)",
        )
    return Finding("Cache", f"{folder} (speeds up later runs; safe to delete)")


def _interview(core: bool) -> Feature:
    name = "new (the interview)"
    if not core:
        return Feature(name, False, "the problems above fixed")
    if _version_of("questionary") is None:
        return Feature(name, False, "questionary (reinstall tutorbargain)")
    try:
        from tutorbargain.interview import load_script

        load_script()
    except TutorbargainError as exc:
        return Feature(name, False, f"a working interview file ({exc.lines()[0]})")
    try:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        interactive = False
    if not interactive:
        return Feature(name, True, note="run it in a terminal window; this input is not one")
    return Feature(name, True)
