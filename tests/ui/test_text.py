"""The UI's text seam: column entries are cell-exact and untrusted text cannot disturb its neighbours."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reader.ui.text import CURSOR_END, fit_cell, visual_input, wrap_block

BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def test_rtl_title_is_right_aligned_and_ltr_left_aligned() -> None:
    rtl = fit_cell("ناقشت رئاسة", 20, "app")
    ltr = fit_cell("Hello", 20, "app")
    assert cell_len(rtl) == cell_len(ltr) == 20
    assert rtl.startswith(" ") and not rtl.endswith(" ")
    assert ltr.startswith("Hello") and ltr.endswith(" ")
    assert fit_cell("ناقشت رئاسة", 20, "app", align="left").startswith("ﻧ") is False  # visual order
    assert fit_cell("ناقشت رئاسة", 20, "app", align="left").endswith(" ")


def test_long_titles_are_truncated_at_their_logical_end() -> None:
    text = "ناقشت رئاسة إقليم كوردستان مع وفد عسكري ضمن التحالف الدولي"
    shown = fit_cell(text, 16, "app")
    assert cell_len(shown) == 16
    assert shown.startswith("…")  # the end of an RTL title is on the left


def test_terminal_mode_hands_over_logical_text() -> None:
    shown = fit_cell("خبر news", 12, "terminal", align="left")
    assert shown.startswith("خبر news")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), st.integers(1, 60),
       st.sampled_from(["app", "terminal", "off"]))
def test_fit_cell_is_always_exact_and_clean(text: str, width: int, bidi: str) -> None:
    shown = fit_cell(text, width, bidi)
    assert cell_len(shown) == width
    assert not BIDI_CONTROLS & set(shown)
    assert "\x1b" not in shown and "\n" not in shown


def test_unbalanced_bidi_controls_stay_inside_their_field() -> None:
    hostile = "\u202eevil title\u2067 with open isolate"
    shown = fit_cell(hostile, 30, "app") + "|" + fit_cell("Next column", 12, "app")
    assert shown.endswith("|Next column ")
    assert not BIDI_CONTROLS & set(shown)


def test_wrap_block_lines_fit_and_carry_spans() -> None:
    from reader.model import Span

    text = "قام مسلحون من تنظيم داعش بالهجوم على ناحية جلولاء"
    start = text.index("جلولاء")
    lines = wrap_block(text, 20, bidi="app", spans=[Span(start, start + 6, "entity-loc")])
    assert all(line.pad + sum(cell_len(t) for t, _ in line.pieces) <= 20 for line in lines)
    marked = [t for line in lines for t, kind in line.pieces if kind == "entity-loc"]
    # جلولاء is six code points but five cells: its lam-alef is one ligature.
    assert len(marked) == 1 and cell_len(marked[0]) == 5


def test_visual_input_draws_a_query_in_reading_order_with_its_cursor() -> None:
    pad, pieces = visual_input("كركوك", 5, 20, "app") or (0, ())
    assert pieces[0] == (CURSOR_END, "cursor"), "the end of a right-to-left query is at its left"
    assert pad + sum(cell_len(t) for t, _ in pieces) == 20 and "".join(t for t, _ in pieces)[1:] == "ﻙﻮﻛﺮﻛ"
    pad, pieces = visual_input("كركوك", 0, 20, "app") or (0, ())
    assert pieces[-1] == ("ﻛ", "cursor"), "the first letter, at the right"
    assert visual_input("Kirkuk", 2, 20, "app") is None
    assert visual_input("كركوك", 0, 20, "terminal") is None, "the terminal orders it itself"
    assert visual_input("كركوك " * 10, 0, 20, "app") is None, "too long: the box scrolls it as typed"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="كركوك أربيل abc 123()«»\u064e", max_size=30), st.data())
def test_visual_input_fits_and_marks_one_cursor_cell(value: str, data: st.DataObject) -> None:
    cursor = data.draw(st.integers(min_value=0, max_value=len(value)))
    shown = visual_input(value, cursor, 60, "app")
    if shown is None:
        return
    pad, pieces = shown
    assert pad + sum(cell_len(t) for t, _ in pieces) <= 60
    marked = [t for t, kind in pieces if kind == "cursor"]
    assert len(marked) == 1 and cell_len(marked[0]) == 1, pieces
