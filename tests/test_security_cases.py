"""Traceability: every attack and fault case of security.md §6 that applies to
onestory today (and 41 to 45, the family's own view's, and 46, major incidents', docs/security.md) has
at least one test marked `security_case(N)`. docs/security.md
lists the cases not yet covered; adding a test for one means adding it here."""

import re
from pathlib import Path

COVERED = {
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
    40,
    41,
    42,
    43,
    44,
    45,
    46,
}


def test_every_covered_case_has_a_marked_test():
    marked = set()
    for path in Path(__file__).parent.rglob("test_*.py"):
        marked |= {
            int(n) for n in re.findall(r"security_case\((\d+)\)", path.read_text())
        }
    marked.discard(0)
    assert marked >= COVERED
    assert marked - COVERED == set()  # a new marked case is listed here too
