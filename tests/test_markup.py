"""The template markup: what template text can do, and what words from users can never do."""

from __future__ import annotations

from tutorbargain.compose.markup import ESC, parse
from tutorbargain.compose.model import BlockKind, Run
from tutorbargain.compose.templating import compile_template, render
from tutorbargain.writers.markdown import write_markdown


def _parse(template: str, **values: object):
    return parse(render(compile_template(template, name="test"), values))


def test_block_markers() -> None:
    doc = _parse(
        "@header Head {{ who }}\n# Title\n#+ Sub\n## H1\n### H2\n#. Article\n"
        "§ **Clause.** First line\ncontinues here.\n- item one\n- item two\n\nMore.\n\n"
        "1. Question\n> Why\n^ Centered\n",
        who="Local 1",
    )
    kinds = [b.kind for b in doc.blocks]
    assert kinds == [
        BlockKind.TITLE,
        BlockKind.SUBTITLE,
        BlockKind.HEADING1,
        BlockKind.HEADING2,
        BlockKind.ARTICLE,
        BlockKind.SECTION,
        BlockKind.ITEM,
        BlockKind.ITEM,
        BlockKind.CONTINUE,
        BlockKind.NUMBER,
        BlockKind.NOTE,
        BlockKind.CENTERED,
    ]
    section = doc.blocks[5]
    assert section.text == "Clause. First line continues here."
    assert section.runs[0].bold and section.runs[0].text == "Clause."
    assert "".join(r.text for r in doc.header) == "Head Local 1"
    assert doc.title == "Title"


def test_user_words_are_never_markup() -> None:
    hostile = "# Not a heading | not a cell **not bold** §  - not an item \n@header x"
    doc = _parse("{{ name }}\n\n| a | {{ name }} |\n", name=hostile)
    first = doc.blocks[0]
    assert first.kind is BlockKind.PARAGRAPH
    assert first.text == " ".join(hostile.split())
    assert not any(run.bold for run in first.runs)
    table = doc.blocks[1].table
    assert table is not None and len(table.rows[0]) == 2
    assert "".join(r.text for r in table.rows[0][1]) == " ".join(hostile.split())
    assert doc.header == []


def test_private_use_marker_in_user_text_survives() -> None:
    doc = _parse("{{ name }}", name=f"A{ESC}d{ESC}e B")
    assert doc.blocks[0].text == f"A{ESC}d{ESC}e B"


def test_comment_paragraphs_and_escaped_markers_survive_line_splitting() -> None:
    """Every line break in a span's text is encoded, so the parser can split rendered text
    into lines first: a comment keeps its paragraphs, and a user's own marker characters
    (even one spelling the encoded line break) stay as typed."""
    doc = _parse(
        "Text {{ comment(why) }}more\n\n{{ name }}",
        why="First.\n\nSecond\nline.",
        name=f"X{ESC}n{ESC}{ESC}e Y",
    )
    assert doc.blocks[0].text == "Text more"
    assert doc.blocks[0].comment == "First.\n\nSecond\nline."
    assert doc.blocks[1].text == f"X{ESC}n{ESC}{ESC}e Y"


def test_the_same_block_in_two_documents_is_parsed_alike() -> None:
    """Parsed lines and blocks are shared between documents: a second document with the same
    lines reads exactly as the first, whatever came before it."""
    first = _parse("§ Clause one.\n- item\n\nPlain.")
    second = _parse("# Title\n\n- item\n\nPlain.")
    assert [b.kind for b in first.blocks] == [BlockKind.SECTION, BlockKind.ITEM, BlockKind.CONTINUE]
    assert [b.kind for b in second.blocks] == [
        BlockKind.TITLE,
        BlockKind.BULLET,
        BlockKind.PARAGRAPH,
    ]


def test_a_document_changed_by_a_script_leaves_the_next_one_alone() -> None:
    """Stretches of markup are read once and copied into each document: a script that edits
    the blocks, runs or table of one document changes nothing in the next."""
    text = "@header Head\n§ Clause one.{{ comment('Why.') }}\n\n| A | B |\n|---|---|\n| 1 | 2 |"
    first = _parse(text)
    first.blocks[0].runs.append(Run("Added by a script."))
    first.blocks[0].comment = "changed"
    table = first.blocks[1].table
    assert table is not None
    table.rows[1][0].append(Run("9"))
    table.align.append("center")
    first.header.append(Run(" more"))
    second = _parse(text)
    assert second.blocks[0].text == "Clause one."
    assert second.blocks[0].comment == "Why."
    assert second.blocks[1].table is not None
    assert second.blocks[1].table.rows[1][0] == [Run("1")]
    assert second.blocks[1].table.align == ["left", "left"]
    assert "".join(r.text for r in second.header) == "Head"


def test_state_carries_across_blank_lines_and_repeated_stretches() -> None:
    """A section's further paragraphs stay under it across blank lines, a pending table style
    waits for its table, and the first title names the document however often it repeats."""
    doc = _parse("# One\n\n§ Clause.\n\nMore.\n\n@table answer\n\n| a |\n\n# Two\n\nMore.")
    kinds = [b.kind for b in doc.blocks]
    assert kinds == [
        BlockKind.TITLE,
        BlockKind.SECTION,
        BlockKind.CONTINUE,
        BlockKind.TABLE,
        BlockKind.TITLE,
        BlockKind.PARAGRAPH,
    ]
    assert doc.blocks[3].table is not None and doc.blocks[3].table.style == "answer"
    assert doc.title == "One"


def test_placeholders_and_comments() -> None:
    doc = _parse("Pay is {{ placeholder('tutoring rate') }}.{{ comment(why) }}", why="Because.")
    block = doc.blocks[0]
    assert [r.text for r in block.runs if r.placeholder] == ["[TUTORING RATE]"]
    assert block.comment == "Because."
    assert doc.placeholders() == ["[TUTORING RATE]"]


def test_line_break_with_backslash() -> None:
    doc = _parse("Name\\\nStreet\\\nTown\n\nNext")
    assert doc.blocks[0].text == "Name\nStreet\nTown"
    assert doc.blocks[1].text == "Next"


def test_tables_with_header_and_style() -> None:
    doc = _parse("@table signature\n| A | B |\n|---|---|\n| 1 | 2 |\n| 3 |\n")
    table = doc.blocks[0].table
    assert table is not None and table.header and table.style == "signature"
    assert [["".join(r.text for r in c) for c in row] for row in table.rows] == [
        ["A", "B"],
        ["1", "2"],
        ["3", ""],
    ]


def test_markdown_numbers_like_word_and_escapes_user_text() -> None:
    doc = _parse(
        "# T\n#. One\n§ First.\n- a\n- b\n§ Second.\n#. Two\n§ Third {{ x }}.\n"
        "## Q\n1. q1\n## R\n1. q2\n",
        x="*star* #1",
    )
    md = write_markdown(doc)
    assert "## Article 1. One" in md and "## Article 2. Two" in md
    assert "**1.1** First." in md and "(a) a" in md and "(b) b" in md
    assert "**1.2** Second." in md and "**2.1** Third \\*star\\* \\#1." in md
    assert "1. q1" in md and "2. q2" in md


def test_template_quotes_are_typographic_and_answers_stay_as_typed() -> None:
    doc = _parse(
        "The Union's program (the \"{{ name }}\") and the 'Plan'.\n\n"
        '{{ who }} said it.\n\n**"Session"** means a meeting.\n',
        name='O\'Brien "Reads"',
        who="Local 'A'",
    )
    first, second, third = (b.text for b in doc.blocks)
    # Template words: curly; the answer inside them is exactly as the team typed it.
    assert first == 'The Union’s program (the “O\'Brien "Reads"”) and the ‘Plan’.'
    assert second == "Local 'A' said it."
    # A quote right after bold markup still opens.
    assert third == "“Session” means a meeting."


def test_a_template_quote_closes_or_opens_by_the_answer_just_before_it() -> None:
    # The same template words after different answers: the quote's direction follows the
    # answer's last character each time (the quote mark's cache must not remember the first).
    doc = _parse(
        '"{{ a }}" it\'s\n\n"{{ b }}" it\'s\n\n{{ c }}"Tutor" means\n\n{{ d }}"Tutor" means\n',
        a="Reading Corps",
        b="Math (Lab",
        c="the term (",
        d="Math Lab",
    )
    assert [b.text for b in doc.blocks] == [
        "\u201cReading Corps\u201d it\u2019s",
        "\u201cMath (Lab\u201d it\u2019s",
        "the term (\u201cTutor\u201d means",
        "Math Lab\u201dTutor\u201d means",
    ]


def test_stray_and_doubled_markers_stay_text() -> None:
    stray = f"Before {ESC} after {ESC}{ESC} end{ESC}"
    doc = parse(stray)
    assert doc.blocks[0].text == stray
    # Inside a span a doubled marker is one literal marker; a span never closed runs to the end.
    doc = parse(f"A {ESC}dx{ESC}{ESC}y{ESC}e B\n\nC {ESC}dopen to the end")
    assert [b.text for b in doc.blocks] == [f"A x{ESC}y B", "C open to the end"]


def test_line_starts_anchors_tables_and_breaks() -> None:
    doc = _parse(
        "{{ who }} at a line start is a paragraph\n\n"
        "§ First.\n{{ anchor('c-1') }}- an item\n{{ anchor('c-2') }}\n\n"
        "Street  \\  \nTown\n\n"
        "| Item | Cost |\n|:---|:---:|\n| Tutors | 12 hours |\n",
        who="- Local 7",
    )
    kinds = [(b.kind, b.anchor) for b in doc.blocks]
    assert kinds == [
        (BlockKind.PARAGRAPH, None),
        (BlockKind.SECTION, None),
        (BlockKind.ITEM, "c-1"),
        (BlockKind.CONTINUE, "c-2"),
        (BlockKind.TABLE, None),
    ]
    assert doc.blocks[0].text == "- Local 7 at a line start is a paragraph"
    assert doc.blocks[3].text == "Street\nTown"
    table = doc.blocks[4].table
    assert table is not None and table.header and table.align == ["left", "center"]
    assert [["".join(r.text for r in c) for c in row] for row in table.rows] == [
        ["Item", "Cost"],
        ["Tutors", "12 hours"],
    ]
