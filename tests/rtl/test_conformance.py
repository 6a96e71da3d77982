"""UBA conformance: every line of the Unicode ``BidiCharacterTest.txt`` through our levels and reordering.

The file (Unicode 15.0, vendored gzipped with its licence header under ``tests/data/unicode``) gives, per
line, the input code points, the paragraph direction, the resolved paragraph level, the resolved level of
each character (``x`` for those removed by X9) and the visual order (rules up to L2; L3 and L4 are out of
its scope). One test runs all ~91,000 lines and reports every failure outside ``KNOWN_EXCEPTIONS``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from reader.rtl.uba import analyse, line_levels, visual_order

DATA = Path(__file__).resolve().parent.parent / "data" / "unicode" / "BidiCharacterTest.txt.gz"
REMOVED = frozenset("12345b")

KNOWN_EXCEPTIONS: dict[int, str] = {}
"""Line numbers we knowingly fail, with the reason."""


def _cases() -> list[tuple[int, str, int | None, int, list[int | None], list[int]]]:
    cases = []
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            codes, direction, para, levels, order = line.rstrip("\n").split(";")
            text = "".join(chr(int(c, 16)) for c in codes.split())
            base = None if direction == "2" else int(direction)
            expected_levels = [None if lv == "x" else int(lv) for lv in levels.split()]
            expected_order = [int(i) for i in order.split()]
            cases.append((number, text, base, int(para), expected_levels, expected_order))
    return cases


def check(text: str, base: int | None) -> tuple[int, list[int | None], list[int]]:
    """Our paragraph level, levels (None for X9-removed characters) and visual order for one line."""
    par = analyse(text, base)
    levels = line_levels(par)
    shown = [None if c in REMOVED else lv for c, lv in zip(par.classes, levels, strict=True)]
    order = [i for i in visual_order(levels) if par.classes[i] not in REMOVED]
    return par.level, shown, order


def test_bidi_character_test_all_lines() -> None:
    cases = _cases()
    assert len(cases) > 90_000
    failures = []
    for number, text, base, para, expected_levels, expected_order in cases:
        if number in KNOWN_EXCEPTIONS:
            continue
        got = check(text, base)
        if got != (para, expected_levels, expected_order):
            failures.append((number, " ".join(f"{ord(c):04X}" for c in text), got,
                             (para, expected_levels, expected_order)))
    assert not failures, f"{len(failures)} failing lines, first ones: {failures[:5]}"
