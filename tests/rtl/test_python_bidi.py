"""python-bidi 0.6 (the Rust unicode-bidi crate) as an oracle for our reordering.

Its fast ``get_display`` gives only a string (no levels, no index map, no mirroring, marks before their
base), so Khabar cannot build on it (see ``reader.rtl.uba``), but for what it does compute, the visual
order of a line after rules L1-L2, it must agree with ours. The benchmark (``python -m bench rtl``)
compares their speed.
"""

from __future__ import annotations

from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.rtl.uba import analyse, line_levels, visual_order

ALPHABET = [*"abc XYZ ابتثج پژ אבג 0123 ٤٥٦ ۱۲ ()[]{}<>-+%/.,:;!\"'#$", "\u064e", "\u05b8", "\u00a0",
            "\u200f", "\u200e", "\u061c", *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"]


def _ours(text: str, level: int | None) -> str:
    order = visual_order(line_levels(analyse(text, level)))
    return "".join(text[i] for i in order)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(ALPHABET), max_size=40), st.sampled_from([None, 0, 1]))
def test_visual_order_agrees_with_python_bidi(text: str, level: int | None) -> None:
    expected = get_display(text) if level is None else get_display(text, base_dir="L" if level == 0 else "R")
    assert _ours(text, level) == expected


def test_seed_article_agrees_with_python_bidi() -> None:
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2] / "sample_feeds" / "zagros-arabic-erbil-2021-05-22.txt"
    for paragraph in seed.read_text(encoding="utf-8").split("\n"):
        assert _ours(paragraph, None) == get_display(paragraph)
