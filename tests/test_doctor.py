"""`tutorbargain doctor`: it says what is installed and what each feature needs, and fails
(exit 1) only when the core cannot render documents."""

from __future__ import annotations

import platform
import re
import stat
import sys
from importlib import metadata
from pathlib import Path

import pytest

from conftest import run_cli
from tutorbargain import __version__, doctor
from tutorbargain.doctor import DoctorFailed, diagnose
from tutorbargain.library.loading import resource_dir
from tutorbargain.writers import pdf

FEATURES = (
    "render",
    "explain, clauses list/show",
    "render --pdf, batch --pdf",
    "batch (.csv, .yml)",
    "batch (.xlsx)",
    "new (the interview)",
)


def feature(diagnosis: doctor.Diagnosis, name: str) -> doctor.Feature:
    return next(f for f in diagnosis.features if f.name == name)


def test_reports_versions_library_and_features() -> None:
    result = run_cli(["doctor"])
    assert result.code == 0, result.err
    assert result.err == ""
    out = result.out
    assert f"Python        {platform.python_version()}" in out
    assert f"tutorbargain  {__version__}" in out
    for name in ("typer", "jinja2", "pyyaml", "python-docx", "questionary", "openpyxl"):
        assert f"  {name:<12}  {metadata.version(name)}" in out, name
    # Wherever this install keeps them (the checkout, or site-packages after `pip install .`).
    assert str(resource_dir("clauses")) in out and str(resource_dir("templates")) in out
    assert "Library          loads cleanly: version " in out
    for name in FEATURES:
        assert f"  {name}" in out, name
    # The test runs without a terminal: the interview is ready but needs one.
    assert "ready (run it in a terminal window; this input is not one)" in out
    assert out.rstrip().endswith("tutorbargain works here, with every feature ready.") or (
        "optional features not ready" in out
    )


def test_without_libreoffice_still_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    result = run_cli(["doctor"])
    assert result.code == 0, result.err
    assert "LibreOffice   not found (optional)" in result.out
    assert "apt-get install libreoffice-writer-nogui" in result.out
    assert re.search(r"(?m)^  render --pdf, batch --pdf +not ready: needs LibreOffice", result.out)
    assert "optional features not ready: render --pdf, batch --pdf." in result.out


def test_a_broken_clause_folder_fails_with_the_problem_named(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "pay.yml").write_text(
        "schema_version: 1\nclauses:\n  - id: our-pay\n    topic: tutoring-pay-rate\n"
        "    title: Pay\n    when: {field: pay.rate, equals: 40}\n    text: Text.\n"
        "    rationale: Why.\n    source: Us.\n",
        encoding="utf-8",
    )
    result = run_cli(["doctor", "--clauses", str(folder)])
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.startswith("Error: tutorbargain cannot render documents here")
    assert "clauses lint" in result.err
    assert f"{folder / 'pay.yml'}, line 6" in result.out  # the report is still printed
    for name in FEATURES:
        pattern = rf"(?m)^  {re.escape(name)} +not ready: needs the problems above"
        assert re.search(pattern, result.out), name


def fake_soffice(folder: Path, script: str) -> str:
    path = folder / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_libreoffice_that_hangs_is_reported_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = fake_soffice(tmp_path, "sleep 30")
    monkeypatch.setattr(pdf, "find_soffice", lambda: program)
    diagnosis = diagnose(soffice_timeout=0.5)
    lines = "\n".join(diagnosis.lines())
    assert f"{program} did not answer within 0.5 seconds  [problem]" in lines
    assert not feature(diagnosis, "render --pdf, batch --pdf").ready
    assert feature(diagnosis, "render").ready
    diagnosis.raise_if_broken()  # optional: no failure


def test_libreoffice_that_fails_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = fake_soffice(tmp_path, "echo 'cannot open display' >&2; exit 1")
    monkeypatch.setattr(pdf, "find_soffice", lambda: program)
    diagnosis = diagnose()
    assert f"{program} failed to start (cannot open display)" in "\n".join(diagnosis.lines())
    assert not feature(diagnosis, "render --pdf, batch --pdf").ready


def test_openpyxl_missing_only_stops_xlsx(monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor._version_of
    monkeypatch.setattr(doctor, "_version_of", lambda n: None if n == "openpyxl" else real(n))
    diagnosis = diagnose()
    xlsx = feature(diagnosis, "batch (.xlsx)")
    assert not xlsx.ready and "pip install 'tutorbargain[xlsx]'" in xlsx.needs
    assert feature(diagnosis, "batch (.csv, .yml)").ready
    assert "openpyxl      not installed (optional)" in "\n".join(diagnosis.lines())
    diagnosis.raise_if_broken()


def test_a_missing_required_package_is_a_core_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor._version_of
    monkeypatch.setattr(doctor, "_version_of", lambda n: None if n == "jinja2" else real(n))
    diagnosis = diagnose()
    assert "jinja2        not installed  [problem]" in "\n".join(diagnosis.lines())
    assert not feature(diagnosis, "render").ready
    with pytest.raises(DoctorFailed, match=r"required package is missing \(jinja2\)"):
        diagnosis.raise_if_broken()


def test_a_broken_template_is_a_core_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutorbargain.compose import documents

    broken = tmp_path / "mou.j2"
    broken.write_text("# Title\n{% for x in y %}\nno end\n", encoding="utf-8")
    monkeypatch.setattr(documents, "template_path", lambda name, folder=None: broken)
    diagnosis = diagnose()
    assert f"{broken}, line " in "\n".join(diagnosis.lines())
    with pytest.raises(DoctorFailed, match="document template is broken"):
        diagnosis.raise_if_broken()


def test_doctor_never_crashes_when_the_library_raises_a_bug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tutorbargain.library import loading as library

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(library, "load_library", explode)
    diagnosis = diagnose()
    assert "RuntimeError: disk on fire" in "\n".join(diagnosis.lines())
    with pytest.raises(DoctorFailed):
        diagnosis.raise_if_broken()
