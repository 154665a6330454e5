"""The team's cost estimate, line by line, against arithmetic done by hand from each example.

Each expected row below is worked out from the example's answers in the comment above it, not
from the code, so a doubled line, a flipped sign or a lost rounding rule fails here.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from conftest import EXAMPLES, run_cli

HEAD = ["Item", "How it is worked out", "Amount"]
COMPARE = ["Comparison", "How it is worked out", "Amount"]

EXPECTED: dict[str, list[list[str]]] = {
    # Mixed provider, meet and confer: 640 students / groups of 5 = 128 groups;
    # 128 x 3 sessions x 28 weeks x 40 min = 430,080 min = 7,168 h; 7,168 x 46 = 329,728;
    # prep 7,168 / 3 = 2,389.3 -> 2,389 h x 46 = 109,894; training 70 x 12 x 46 = 38,640;
    # total 478,262; / 640 = 747.28 -> 747; vendor 7,168 x 55 = 394,240;
    # ESP 46.00 - 19.80 = 26.20; vendor against certificated 55.00 - 44.10 = 10.90 more.
    "cedar-valley-mixed-iep": [
        HEAD,
        [
            "Tutoring pay",
            "7,168 hours × $46.00 an hour (all hours)",
            "$329,728",
        ],
        [
            "Paid preparation and collaboration",
            "2,389 hours (1 for every 3 tutored) × $46.00 an hour",
            "$109,894",
        ],
        ["Training pay", "70 tutors × 12 hours × $46.00 an hour", "$38,640"],
        ["Total", "sum of the lines above", "$478,262"],
        ["Per student", "total divided by 640 students", "$747"],
        COMPARE,
        ["The same hours bought from the vendor", "7,168 hours × $55.00 an hour", "$394,240"],
        [
            "Extra per hour an ESP earns when tutoring",
            "tutoring rate $46.00 less usual ESP rate $19.80",
            "$26.20",
        ],
        [
            "Vendor rate against the certificated hourly rate (more per hour)",
            "$55.00 less $44.10",
            "$10.90",
        ],
    ],
    # Vendor: 420 / 3 = 140 groups x 3 x 24 x 30 min = 302,400 min = 5,040 h;
    # 5,040 x 62.50 = 315,000 (the only cost line); / 420 = 750; members 5,040 x 45 = 226,800;
    # 62.50 - 41.80 = 20.70 more.
    "lakeview-vendor-virtual": [
        HEAD,
        ["Vendor tutoring", "5,040 hours × $62.50 an hour", "$315,000"],
        ["Total", "sum of the lines above", "$315,000"],
        ["Per student", "total divided by 420 students", "$750"],
        COMPARE,
        ["The same hours tutored by unit members", "5,040 hours × $45.00 an hour", "$226,800"],
        [
            "Vendor rate against the certificated hourly rate (more per hour)",
            "$62.50 less $41.80",
            "$20.70",
        ],
    ],
    # In-house, no bargaining: 900 / 3 = 300 groups x 4 x 16 x 30 min = 576,000 min = 9,600 h;
    # 9,600 x 32 = 307,200; prep 3,200 x 32 = 102,400; no tutor count, so no training line;
    # total 409,600; / 900 = 455.1 -> 455; nothing to compare.
    "piedmont-no-bargaining": [
        HEAD,
        ["Tutoring pay", "9,600 hours × $32.00 an hour (all hours)", "$307,200"],
        [
            "Paid preparation and collaboration",
            "3,200 hours (1 for every 3 tutored) × $32.00 an hour",
            "$102,400",
        ],
        ["Total", "sum of the lines above", "$409,600"],
        ["Per student", "total divided by 900 students", "$455"],
    ],
    # In-house with ESPs: 360 / 4 = 90 groups x 3 x 20 x 45 min = 243,000 min = 4,050 h;
    # 4,050 x 40 = 162,000; prep 1,350 x 40 = 54,000; training 45 x 8 x 40 = 14,400;
    # total 230,400; / 360 = 640; ESP 40.00 - 21.75 = 18.25.
    "riverside-inhouse-esps": [
        HEAD,
        ["Tutoring pay", "4,050 hours × $40.00 an hour (all hours)", "$162,000"],
        [
            "Paid preparation and collaboration",
            "1,350 hours (1 for every 3 tutored) × $40.00 an hour",
            "$54,000",
        ],
        ["Training pay", "45 tutors × 8 hours × $40.00 an hour", "$14,400"],
        ["Total", "sum of the lines above", "$230,400"],
        ["Per student", "total divided by 360 students", "$640"],
        COMPARE,
        [
            "Extra per hour an ESP earns when tutoring",
            "tutoring rate $40.00 less usual ESP rate $21.75",
            "$18.25",
        ],
    ],
}


def cost_rows(mou: Path) -> list[list[str]]:
    """The rows of the MOU's tables after the signature block: the cost estimate."""
    tables = docx.Document(str(mou)).tables
    return [[cell.text for cell in row.cells] for table in tables[1:] for row in table.rows]


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_the_cost_estimate_matches_hand_arithmetic(tmp_path: Path, example: str) -> None:
    out = tmp_path / "out"
    result = run_cli(["render", str(EXAMPLES / f"{example}.yml"), "-o", str(out), "--clean"])
    assert result.code == 0, result.err
    team = next(p for p in out.glob("*-mou.docx") if not p.stem.endswith("-clean"))
    assert cost_rows(team) == EXPECTED[example]
    clean = next(out.glob("*-mou-clean.docx"))
    assert cost_rows(clean) == []  # the district's copy carries no estimate


def test_an_early_draft_without_numbers_has_no_estimate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(["render", str(EXAMPLES / "minimal-early-draft.yml"), "-o", str(out)])
    assert result.code == 0, result.err
    assert cost_rows(next(out.glob("*-mou.docx"))) == []
