"""`render --against`: re-render against the team's edited copy, keeping its Word edits and
showing what the changed answers change as tracked changes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, docx_comments
from test_compare import docx_view, revisions, view_of
from tutorbargain.cli import app

runner = CliRunner()
TEAM_WORDS = "Members who tutor are paid at the rate the parties set each spring."
ADDED = "The Union may invite a parent representative to the Committee."


def _paragraph(document: docx.Document, starts: str) -> docx.text.paragraph.Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(starts))


@pytest.fixture
def edited(tmp_path: Path) -> dict[str, Path]:
    """A team copy rendered, then edited in Word: a clause reworded, one struck, one added,
    a comment left; and answers with a changed rate and more training hours."""
    first = tmp_path / "v1"
    result = runner.invoke(
        app, ["render", str(EXAMPLES / "riverside-inhouse-esps.yml"), "-o", str(first)]
    )
    assert result.exit_code == 0, result.output
    mou = next(first.glob("*-mou.docx"))
    document = docx.Document(str(mou))
    # Reword a clause the new answers do not change.
    custodial = _paragraph(document, "Custodial and building work.")
    custodial.runs[-1].text += " Custodians are consulted on the schedule."
    # Reword a clause the new answers also change (the rate).
    rate = _paragraph(document, "Tutoring rate.")
    for run in rate.runs[1:]:
        run.text = ""
    rate.runs[-1].text = " " + TEAM_WORDS
    # Strike a clause the new answers do not change.
    struck = _paragraph(document, "No double data entry.")
    struck_text = struck.text
    struck._p.getparent().remove(struck._p)
    # Add a paragraph, with a comment on it.
    added = _paragraph(document, "Paid training for tutors.").insert_paragraph_before(ADDED)
    document.add_comment(added.runs, text="Ask the parents' council first.", author="Angela")
    previous = tmp_path / "previous.docx"
    document.save(str(previous))
    answers = tmp_path / "v2.yml"
    answers.write_text(
        (EXAMPLES / "riverside-inhouse-esps.yml")
        .read_text()
        .replace("tutoring_hourly_rate: 40", "tutoring_hourly_rate: 45")
        .replace("training_hours: 8", "training_hours: 12")
    )
    return {"previous": previous, "answers": answers, "first": mou, "struck": Path(struck_text)}


def test_team_edits_survive_and_answer_changes_are_tracked(
    edited: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "v2"
    result = runner.invoke(
        app,
        ["render", str(edited["answers"]), "-o", str(out), "--against", str(edited["previous"])],
    )
    assert result.exit_code == 0, result.output
    assert "kept your team's edits in" in result.output
    mou = next(out.glob("*-mou.docx"))
    data = mou.read_bytes()
    accepted = view_of(data, "accept")
    rejected = view_of(data, "reject")
    # Reject all gives back exactly what the other side saw.
    assert rejected == docx_view(edited["previous"])
    text = "\n".join(accepted)
    assert "Custodians are consulted on the schedule." in text  # team's words kept
    assert TEAM_WORDS in text  # kept although the rate changed...
    comments = docx_comments(mou)
    assert any(
        "$45.00" in c and "changed answers" in c for c in comments
    )  # ...the new words in a comment
    assert ADDED in text  # the team's added paragraph
    assert "Ask the parents' council first." in comments  # and its comment
    assert str(edited["struck"]) not in text  # struck stays struck
    # A clause the team did not touch takes the new training hours, as a tracked change.
    assert any(
        line.startswith("Paid training for tutors.") and "at least 12 hours" in line
        for line in accepted
    )
    assert revisions(data)


def test_an_untouched_copy_just_shows_the_answer_changes(
    tmp_path: Path, edited: dict[str, Path]
) -> None:
    out = tmp_path / "v2"
    result = runner.invoke(
        app, ["render", str(edited["answers"]), "-o", str(out), "--against", str(edited["first"])]
    )
    assert result.exit_code == 0, result.output
    data = next(out.glob("*-mou.docx")).read_bytes()
    fresh = tmp_path / "fresh"
    runner.invoke(app, ["render", str(edited["answers"]), "-o", str(fresh)])
    assert view_of(data, "accept") == docx_view(next(fresh.glob("*-mou.docx")))
    assert view_of(data, "reject") == docx_view(edited["first"])
    assert "it holds no edits by your team" in result.output


def test_a_copy_without_a_record_is_simply_redlined(
    tmp_path: Path, edited: dict[str, Path]
) -> None:
    out = tmp_path / "v2"
    clean = tmp_path / "clean"
    runner.invoke(
        app, ["render", str(EXAMPLES / "riverside-inhouse-esps.yml"), "-o", str(clean), "--clean"]
    )
    district = next(clean.glob("*-mou-clean.docx"))
    result = runner.invoke(
        app,
        ["render", str(edited["answers"]), "-o", str(out), "--against", str(district), "--clean"],
    )
    assert result.exit_code == 0, result.output
    assert "holds no record" in result.output
    clean_redline = next(out.glob("*-mou-clean.docx"))
    assert docx_comments(clean_redline) == []
    assert view_of(clean_redline.read_bytes(), "reject") == docx_view(district)
    assert "tutorbargain-provenance" not in " ".join(
        __import__("zipfile").ZipFile(clean_redline).namelist()
    )


def test_the_district_copy_never_carries_the_team_record(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "out"
    runner.invoke(
        app,
        [
            "render",
            str(EXAMPLES / "riverside-inhouse-esps.yml"),
            "-o",
            str(out),
            "--clean",
            "--kit",
        ],
    )
    team = next(out.glob("*-mou.docx"))
    assert "customXml/tutorbargain-provenance.xml" in zipfile.ZipFile(team).namelist()
    for other in out.glob("*.docx"):
        if other != team:
            assert not any("provenance" in n for n in zipfile.ZipFile(other).namelist()), other


# ---------------------------------------------------------------- batch --against


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_against_an_earlier_batch_keeps_each_locals_edits(tmp_path: Path, jobs: int) -> None:
    import csv

    from conftest import run_cli

    rows = list(csv.DictReader((EXAMPLES / "locals.csv").open(encoding="utf-8-sig")))[:3]
    columns = list(rows[0])

    def sheet(path: Path, chosen: list[dict[str, str]]) -> Path:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(chosen)
        return path

    first = tmp_path / "session-1"
    done = run_cli(["batch", str(sheet(tmp_path / "v1.csv", rows[:2])), "-o", str(first)])
    assert done.code == 0, done.err
    # The first local's team rewords a clause in Word.
    name = rows[0]["local.name"]
    slug = next(p.name for p in first.iterdir() if p.is_dir() and name.split()[0].lower() in p.name)
    previous = first / slug / f"{slug}-mou.docx"
    document = docx.Document(str(previous))
    custodial = _paragraph(document, "Custodial and building work.")
    custodial.runs[-1].text += " Custodians are consulted on the schedule."
    document.save(str(previous))
    # Next session: the second local's tutoring rate changes, and a third local is new.
    rows[1]["pay.tutoring_hourly_rate"] = "$61.00"
    second = tmp_path / "session-2"
    args = ["batch", str(sheet(tmp_path / "v2.csv", rows)), "-o", str(second)]
    done = run_cli([*args, "--against", str(first), "--jobs", str(jobs)])
    assert done.code == 0, done.err

    report = {
        r["local"]: r["message"]
        for r in csv.DictReader((second / "report.csv").open(encoding="utf-8-sig"))
    }
    assert "kept your team's edits in 1 clause(s)" in report[name]
    assert "no edits by your team" in report[rows[1]["local.name"]]
    assert "no previous copy" in report[rows[2]["local.name"]]

    edited = (second / slug / f"{slug}-mou.docx").read_bytes()
    assert "Custodians are consulted on the schedule." in "\n".join(view_of(edited, "accept"))
    assert view_of(edited, "reject") == docx_view(previous)
    changed = next(
        p
        for p in second.glob("*/*-mou.docx")
        if "$61.00" in "\n".join(view_of(p.read_bytes(), "accept"))
    )
    assert revisions(changed.read_bytes())  # the new rate is a tracked change
    assert not any("$61.00" in line for line in view_of(changed.read_bytes(), "reject"))


def test_batch_against_a_missing_folder_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    from conftest import run_cli

    out = tmp_path / "out"
    done = run_cli(
        ["batch", str(EXAMPLES / "locals.csv"), "-o", str(out), "--against", str(tmp_path / "x")]
    )
    assert done.code == 1
    assert "is not a folder: give --against the output folder" in done.err
    assert not out.exists()


def _with_legacy_bookmarks(source: Path, target: Path) -> None:
    """The file as an earlier version wrote it: bookmarks (and the record) named after ids."""
    import re
    import zipfile

    from tutorbargain.library.loading import load_library
    from tutorbargain.writers.word import bookmark_name

    library = load_library()
    ids = [e.id for e in (*library.clauses, *library.questions, *library.requests)]
    ids += [a.id for a in library.articles]
    legacy = {bookmark_name(i): "_" + i.replace("-", "_") for i in ids}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename.endswith(".xml"):
                text = re.sub(r"_B[0-9a-f]{12}", lambda m: legacy[m.group(0)], data.decode())
                data = text.encode()
            new.writestr(item, data)


def test_a_team_copy_from_before_hashed_bookmarks_keeps_its_edits(
    edited: dict[str, Path], tmp_path: Path
) -> None:
    previous = tmp_path / "legacy.docx"
    _with_legacy_bookmarks(edited["previous"], previous)
    assert b"_tutoring_rate" in __import__("zipfile").ZipFile(previous).read("word/document.xml")
    out = tmp_path / "v2"
    result = runner.invoke(
        app, ["render", str(edited["answers"]), "-o", str(out), "--against", str(previous)]
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(view_of(next(out.glob("*-mou.docx")).read_bytes(), "accept"))
    assert "Custodians are consulted on the schedule." in text
    assert TEAM_WORDS in text
    assert str(edited["struck"]) not in text


def test_no_bookmark_names_a_clause(tmp_path: Path) -> None:
    """The district's copy names no clause of the public library, even in hidden bookmarks."""
    import re
    import zipfile

    from tutorbargain.library.loading import load_library

    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "render",
            str(EXAMPLES / "lakeview-vendor-virtual.yml"),
            "-o",
            str(out),
            "--kit",
            "--clean",
        ],
    )
    assert result.exit_code == 0, result.output
    library = load_library()
    words = {e.id.replace("-", "_") for e in (*library.clauses, *library.questions)}
    for path in out.glob("*.docx"):
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        names = re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml)
        assert names or "letter" in path.name or "information" in path.name, path.name
        for name in names:
            assert re.fullmatch(r"_B[0-9a-f]{12}", name), (path.name, name)
            assert name[1:] not in words
