"""`tutorbargain compare`: a redline whose tracked changes give NEW when accepted, OLD when
rejected, checked by a reader written here, independent of the redline's writer."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from typer.testing import CliRunner

from conftest import run_cli
from tutorbargain.cli import app

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
runner = CliRunner()


# ---------------------------------------------------------------- an independent reader


def _text(element: ET.Element, *, view: str) -> str:
    """Text of one paragraph as Word shows it after Accept All or Reject All."""
    out: list[str] = []

    def walk(node: ET.Element, inside: str | None) -> None:
        for child in node:
            tag = child.tag
            if tag == W + "pPr":
                continue
            if tag in (W + "ins", W + "del"):
                walk(child, tag[len(W) :])
                continue
            keep = inside is None or (inside == "ins") == (view == "accept")
            if keep and (tag == W + "t" or (tag == W + "delText" and inside == "del")):
                out.append(child.text or "")
            elif tag == W + "tab" and keep:
                out.append("\t")
            elif tag in (W + "br", W + "cr") and keep:
                out.append("\n")
            else:
                walk(child, inside)

    walk(element, None)
    return "".join(out)


def _mark(paragraph: ET.Element) -> str | None:
    rpr = paragraph.find(f"{W}pPr/{W}rPr")
    if rpr is None:
        return None
    if rpr.find(W + "ins") is not None:
        return "ins"
    if rpr.find(W + "del") is not None:
        return "del"
    return None


def _container(node: ET.Element, view: str) -> list[str]:
    """Paragraph texts of a body or cell; a paragraph whose mark goes joins the next one."""
    gone = "del" if view == "accept" else "ins"
    lines: list[str] = []
    carry = ""
    for child in node:
        if child.tag == W + "p":
            text = carry + _text(child, view=view)
            if _mark(child) == gone:
                carry = text
                continue
            carry = ""
            lines.append(text)
        elif child.tag == W + "tbl":
            if carry:
                lines.append(carry)
                carry = ""
            for row in child.iter(W + "tr"):
                trpr = row.find(W + "trPr")
                if trpr is not None and trpr.find(W + gone) is not None:
                    continue
                for cell in row.findall(W + "tc"):
                    lines.extend(_container(cell, view))
    if carry:
        lines.append(carry)
    return lines


def view_of(data: bytes, view: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ET.fromstring(archive.read("word/document.xml"))
    body = root.find(W + "body")
    assert body is not None
    return _container(body, view)


def revisions(data: bytes) -> list[ET.Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ET.fromstring(archive.read("word/document.xml"))
    return [e for e in root.iter() if e.tag in (W + "ins", W + "del")]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def mous(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mous")
    out: dict[str, Path] = {}
    for name in ("lakeview-vendor-virtual", "cedar-valley-mixed-iep", "piedmont-no-bargaining"):
        result = runner.invoke(
            app, ["render", str(EXAMPLES / f"{name}.yml"), "-o", str(folder / name)]
        )
        assert result.exit_code == 0, result.output
        out[name] = next((folder / name).glob("*-mou.docx"))
    return out


def district_edit(source: Path, target: Path) -> dict[str, str]:
    """What a district's lawyer does in Word: reword a clause, strike one, add one, fix a cell."""
    document = docx.Document(str(source))
    paragraphs = [p for p in document.paragraphs if len(p.text) > 80]
    reworded, struck = paragraphs[3], paragraphs[6]
    old_words = reworded.text
    reworded.runs[-1].text = reworded.runs[-1].text + " The District may end this at any time."
    struck_text = struck.text
    struck._p.getparent().remove(struck._p)
    added = paragraphs[8].insert_paragraph_before(
        "The District will review the Program's results with the Union each semester."
    )
    cell = document.tables[0].rows[0].cells[0]
    cell.paragraphs[0].runs[0].text = "For the Board of Education"
    document.save(str(target))
    return {"reworded": old_words, "struck": struck_text, "added": added.text}


# ---------------------------------------------------------------- tests


def docx_view(path: Path) -> list[str]:
    return view_of(path.read_bytes(), "accept")


def test_two_different_mous_accept_gives_new_and_reject_gives_old(
    mous: dict[str, Path], tmp_path: Path
) -> None:
    old, new = mous["lakeview-vendor-virtual"], mous["cedar-valley-mixed-iep"]
    redline = tmp_path / "redline.docx"
    result = runner.invoke(app, ["compare", str(old), str(new), "-o", str(redline)])
    assert result.exit_code == 0, result.output
    data = redline.read_bytes()
    assert view_of(data, "accept") == docx_view(new)
    assert view_of(data, "reject") == docx_view(old)
    assert revisions(data), "two different MOUs must show tracked changes"
    assert "changed" in result.output
    docx.Document(str(redline))  # opens


def test_every_pair_of_examples_round_trips(mous: dict[str, Path], tmp_path: Path) -> None:
    from tutorbargain.roundtrip.redline import compare_files

    names = list(mous)
    for old_name in names:
        for new_name in names:
            result = compare_files(mous[old_name], mous[new_name], author="Test")
            assert view_of(result.data, "accept") == docx_view(mous[new_name]), (old_name, new_name)
            assert view_of(result.data, "reject") == docx_view(mous[old_name]), (old_name, new_name)


def test_a_district_counterproposal_is_redlined_word_by_word(
    mous: dict[str, Path], tmp_path: Path
) -> None:
    ours = mous["lakeview-vendor-virtual"]
    theirs = tmp_path / "counter.docx"
    edits = district_edit(ours, theirs)
    redline = tmp_path / "redline.docx"
    result = runner.invoke(
        app, ["compare", str(ours), str(theirs), "-o", str(redline), "--author", "District counsel"]
    )
    assert result.exit_code == 0, result.output
    data = redline.read_bytes()
    accepted, rejected = view_of(data, "accept"), view_of(data, "reject")
    assert accepted == docx_view(theirs)
    assert rejected == docx_view(ours)
    assert edits["struck"] in rejected and edits["struck"] not in accepted
    assert edits["added"] in accepted and edits["added"] not in rejected
    assert "For the Board of Education" in accepted
    marks = revisions(data)
    assert {m.get(W + "author") for m in marks} == {"District counsel"}
    assert all(m.get(W + "date", "").endswith("Z") for m in marks)
    ids = [m.get(W + "id") for m in marks]
    assert len(ids) == len(set(ids))
    # The reworded clause is one paragraph with the new sentence inserted, not a whole
    # paragraph struck and retyped.
    inserted = ["".join(t.text or "" for t in m.iter(W + "t")) for m in marks if m.tag == W + "ins"]
    assert any("The District may end this at any time." in text for text in inserted)
    assert not any(edits["reworded"] in text for text in inserted)


def test_a_file_holding_tracked_changes_is_compared_as_accepted(
    mous: dict[str, Path], tmp_path: Path
) -> None:
    old, new = mous["lakeview-vendor-virtual"], mous["cedar-valley-mixed-iep"]
    first = tmp_path / "first.docx"
    assert runner.invoke(app, ["compare", str(old), str(new), "-o", str(first)]).exit_code == 0
    again = tmp_path / "again.docx"
    result = runner.invoke(app, ["compare", str(old), str(first), "-o", str(again), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["new_had_tracked_changes"] is True
    assert view_of(again.read_bytes(), "accept") == docx_view(new)
    assert view_of(again.read_bytes(), "reject") == docx_view(old)
    plain = runner.invoke(app, ["compare", str(old), str(first), "-o", str(again), "--force"])
    assert "compared as if they were all accepted" in plain.output


def test_identical_files_say_so_and_json_has_the_summary(
    mous: dict[str, Path], tmp_path: Path
) -> None:
    mou = mous["piedmont-no-bargaining"]
    result = runner.invoke(app, ["compare", str(mou), str(mou), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 0
    assert "No differences" in result.output
    assert revisions((tmp_path / "r.docx").read_bytes()) == []
    result = runner.invoke(
        app,
        [
            "compare",
            str(mou),
            str(mous["lakeview-vendor-virtual"]),
            "-o",
            str(tmp_path / "j.docx"),
            "--json",
        ],
    )
    summary = json.loads(result.output)
    assert summary["schema_version"] == 1 and summary["identical"] is False
    statuses = {a["status"] for a in summary["articles"]}
    assert statuses <= {"unchanged", "changed", "added", "removed"}
    assert any(a["status"] != "unchanged" for a in summary["articles"])


def test_an_article_added_and_removed_is_named_in_the_summary(tmp_path: Path) -> None:
    def make(path: Path, articles: list[tuple[str, str]]) -> None:
        document = docx.Document()
        for title, text in articles:
            document.add_heading(title, level=1)
            document.add_paragraph(text)
        document.save(str(path))

    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    make(old, [("Pay", "Tutors earn $40 an hour."), ("Space", "Rooms are cleaned nightly.")])
    make(new, [("Pay", "Tutors earn $45 an hour."), ("Training", "Training is paid.")])
    from tutorbargain.roundtrip.redline import compare_files

    result = compare_files(old, new)
    statuses = {a.title: a.status for a in result.articles}
    assert statuses == {"Pay": "changed", "Space": "removed", "Training": "added"}
    assert view_of(result.data, "accept") == docx_view(new)
    assert view_of(result.data, "reject") == docx_view(old)


def test_refuses_to_overwrite_and_bad_files_get_one_line(
    mous: dict[str, Path], tmp_path: Path
) -> None:
    mou = mous["piedmont-no-bargaining"]
    target = tmp_path / "r.docx"
    target.write_bytes(b"keep me")
    result = runner.invoke(app, ["compare", str(mou), str(mou), "-o", str(target)])
    assert result.exit_code == 1 and target.read_bytes() == b"keep me"
    not_word = tmp_path / "notes.docx"
    not_word.write_text("just text")
    proc = run_cli(["compare", str(not_word), str(mou), "-o", str(tmp_path / "x.docx")])
    assert proc.code == 1
    assert proc.err.count("\n") == 1, proc.err
    assert "notes.docx" in proc.err and "Traceback" not in proc.err
    assert not (tmp_path / "x.docx").exists()


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"), reason="needs LibreOffice"
)
def test_libreoffice_shows_both_sides_of_a_change(mous: dict[str, Path], tmp_path: Path) -> None:
    ours = mous["lakeview-vendor-virtual"]
    theirs = tmp_path / "counter.docx"
    edits = district_edit(ours, theirs)
    redline = tmp_path / "redline.docx"
    assert (
        runner.invoke(app, ["compare", str(ours), str(theirs), "-o", str(redline)]).exit_code == 0
    )
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(redline),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "redline.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    assert "The District may end this at any time." in flat
    assert " ".join(edits["struck"].split()[:6]) in flat  # the struck clause still shows, struck
