"""The sanitiser: escape sequences, controls and bidi controls from hostile feeds never survive it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.rtl.sanitize import MAX_BIDI_DEPTH, balance_bidi, sanitize

LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x1b[31mred\x1b[0m b", "ared b"),
        ("\x1b[2J\x1b[H\x1b[?1049hscreen", "screen"),
        ("t\x1b]0;evil title\x07x", "tx"),  # OSC 0 with BEL
        ("t\x1b]2;evil\x1b\\x", "tx"),  # OSC 2 with ST
        ("t\x1b]52;c;ZXZpbA==\x07x", "tx"),  # OSC 52 clipboard write
        ("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink: text kept, link gone
        ("a\x1bP1$r0m\x1b\\b", "ab"),  # DCS
        ("a\x1b_apc\x1b\\b\x1b^pm\x07c\x1bXsos\x1b\\d", "abcd"),  # APC, PM, SOS
        ("\x9b2Jclear", "clear"),  # 8-bit CSI
        ("q\x9d0;title\x9cz", "qz"),  # 8-bit OSC terminated by 8-bit ST
        ("a\x90dcs\x1b\\b", "ab"),  # 8-bit DCS
        ("\x98 cp1252 tilde", " cp1252 tilde"),  # lone 8-bit SOS: only the control goes
        ("x\x1b", "x"),
        ("\x1b(Bx\x1bcy\x1b7z", "xyz"),
        ("\x1b[31", ""),
        ("\x1b[31;مرحبا", "مرحبا"),  # unfinished CSI: its parameters go, the text stays
        ("\x1b]unterminated\nnext", "\nnext"),
        ("nul\x00x\x07\x08\x7f", "nulx"),
        ("\ud800ok\udfff", "ok"),
        ("\u0085nel", "\nnel"),
    ],
)
def test_escape_sequences_and_controls_are_dropped_whole(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean


def test_line_breaks_and_tabs() -> None:
    assert sanitize("a\r\nb\rc\x0bd\x0ce\u2028f\u2029g") == "a\nb\nc\nd\ne\nf\ng"
    assert sanitize("a\r\nb\nc", multiline=False) == "a b c"
    assert sanitize("ab\tc\nx\ty") == "ab      c\nx       y"
    assert sanitize("\tx", multiline=False, tabsize=4) == "    x"


def test_clean_text_is_returned_as_is() -> None:
    text = "ناقشت رئاسة إقليم كوردستان (22 أيار 2021)\nשָׁלוֹם, עוֹלָם"
    assert sanitize(text) is text


@pytest.mark.parametrize(
    ("raw", "balanced"),
    [
        (f"{RLO}abc", f"{RLO}abc{PDF}"),  # unclosed override closed at the end of its paragraph
        (f"{RLO}abc\nnext", f"{RLO}abc{PDF}\nnext"),  # ... which is the line, not the body
        (f"{PDI}x{PDF}", "x"),  # closers with nothing to close
        (f"{RLI}a{RLE}b{PDI}c", f"{RLI}a{RLE}b{PDF}{PDI}c"),  # PDI closes the embedding opened inside it
        (f"{RLE}a{RLI}b{PDF}c", f"{RLE}a{RLI}bc{PDI}{PDF}"),  # PDF cannot close across an isolate
        (f"{FSI}{LRE}x", f"{FSI}{LRE}x{PDF}{PDI}"),
        ("\u200fa\u200e\u061c", "\u200fa\u200e\u061c"),  # marks have no scope and are kept
    ],
)
def test_bidi_controls_are_balanced_per_paragraph(raw: str, balanced: str) -> None:
    assert sanitize(raw) == balanced


def test_single_line_fields_are_one_paragraph() -> None:
    assert sanitize(f"{RLO}a\nb", multiline=False) == f"{RLO}a b{PDF}"


def test_nesting_is_capped_with_matching_closers_dropped() -> None:
    deep = RLE * (MAX_BIDI_DEPTH + 10) + "x" + PDF * (MAX_BIDI_DEPTH + 10) + "y"
    out = sanitize(deep)
    assert out == RLE * MAX_BIDI_DEPTH + "x" + PDF * MAX_BIDI_DEPTH + "y"


def test_large_hostile_inputs_stay_linear() -> None:
    # These would be quadratic with a naive pattern; they finish instantly when linear.
    assert sanitize(("\x98" + "a" * 100_000) * 5) == ("a" * 100_000) * 5
    assert sanitize("\x1b]" + "a" * 1_000_000) == ""
    text = "x" * 1_000_000 + RLO
    assert sanitize(text) == "x" * 1_000_000 + RLO + PDF


ALL_CONTROLS = LRE + RLE + PDF + LRO + RLO + LRI + RLI + FSI + PDI
bidi_heavy = st.text(
    alphabet=st.sampled_from(list("ab \nא\u0627") + list(ALL_CONTROLS)),
    max_size=60,
)
hostile = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(["\x1b", "\x9b", "\x9d", "\x9c", "\x07", "[", "]", "\\", "\r", "\n", "\t", ";"]),
    ),
    max_size=80,
)


def _is_balanced(paragraph: str) -> bool:
    """Balanced in the UBA's sense: replaying the controls with X6a/X7 matching leaves nothing open and
    meets no unmatched closer."""
    stack: list[str] = []
    for ch in paragraph:
        if ch in (LRE, RLE, LRO, RLO):
            stack.append("E")
        elif ch in (LRI, RLI, FSI):
            stack.append("I")
        elif ch == PDF:
            if not stack or stack[-1] != "E":
                return False
            stack.pop()
        elif ch == PDI:
            if not stack or stack[-1] != "I":
                return False
            stack.pop()
    return not stack


@given(hostile, st.booleans())
def test_output_is_inert_and_idempotent(text: str, multiline: bool) -> None:
    out = sanitize(text, multiline=multiline)
    assert not CONTROLS.search(out)
    assert "\t" not in out
    assert not re.search("[\ud800-\udfff\u2028\u2029]", out)
    if not multiline:
        assert "\n" not in out
    assert sanitize(out, multiline=multiline) == out
    for paragraph in out.split("\n"):
        assert _is_balanced(paragraph)


@given(bidi_heavy)
def test_every_paragraph_is_balanced(text: str) -> None:
    out = sanitize(text)
    for paragraph in out.split("\n"):
        assert _is_balanced(paragraph)
        assert balance_bidi(paragraph) == paragraph
    # Nothing but bidi controls is added or removed.
    strip = re.compile("[" + ALL_CONTROLS + "]")
    assert strip.sub("", out) == strip.sub("", text)
