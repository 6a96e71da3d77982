"""Hypothesis properties of the layout engine on arbitrary and hostile text.

For any text, width and options: it never raises; no line is wider than the width; nothing unsafe or
invisible-but-active is emitted; and no text is lost: through each line's visual-to-logical map every
non-space character of the sanitised input is shown exactly once (compared in NFKC form, with mirrored
brackets mapped back and lam-alef ligatures standing for both their letters; stripped harakat and the
never-emitted bidi controls excepted).
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.rtl._tables import MIRRORS
from reader.rtl.cells import char_width, text_width
from reader.rtl.layout import layout_paragraph, visual_line
from reader.rtl.sanitize import sanitize
from reader.rtl.shape import HARAKAT
from reader.rtl.wrap import BREAK_SPACES, _wrap_general, _wrap_simple

HIDDEN = set("\u061c\u200b\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
LAM_ALEF = set("\ufef5\ufef6\ufef7\ufef8\ufef9\ufefa\ufefb\ufefc")
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

PIECES = [
    *"ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى", *"\u064b\u064e\u064f\u0650\u0651\u0652\u0670",
    *"پچژگکیہےںٹڈڑھ", *"ڕڵێە", *"אבגדהוזחטיכלמנסעפצקרשת", *"\u05b0\u05b4\u05b8\u05bc\u05c1",
    *"abcXYZ", *"0123", *"٠١٢٣", *"۱۲۳", *"()[]{}<>«».,;:!?%+-/\"'", " ", " ", " ", "  ",
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    "\u200c", "\u200d", "\u00a0", "\t", "\n", "中", "😀", "\u0301", "\u3000", "\u200b", "لا", "لَا", "الله",
    "https://example.com/x?y=1", "\x1b[31m", "\x1b]0;t\x07", "\x00", "\ufefb",
]
bodies = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8")), max_size=60).map("".join)
# Some paragraphs start with indentation (it is kept, up to width - 1 cells).
texts = st.one_of(bodies, st.builds(lambda n, body: " " * n + body, st.integers(1, 12), bodies))
widths = st.integers(min_value=2, max_value=50)
modes = st.sampled_from(["app", "terminal", "off"])
bases = st.sampled_from(["auto", "rtl", "ltr"])


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


@settings(max_examples=300, deadline=None)
@given(texts, widths, modes, bases, st.booleans())
def test_never_raises_and_lines_fit(text: str, width: int, mode: str, base: str, strip: bool) -> None:
    layout = layout_paragraph(text, width, mode=mode, base=base, strip_harakat=strip)
    assert layout.lines
    for line in layout.lines:
        assert line.cells == text_width(line.text) <= width
        assert line.pad + line.cells <= width
        assert not UNSAFE.search(line.text)
        assert not HIDDEN & set(line.text)
        assert len(line.logical) == len(line.text)
        assert all(0 <= i < max(1, len(layout.text)) for i in line.logical)
        for span in line.spans:
            assert 0 <= span.start_cell < span.end_cell <= line.cells


@settings(max_examples=300, deadline=None)
@given(texts, widths, bases, st.booleans())
def test_no_text_is_lost(text: str, width: int, base: str, strip: bool) -> None:
    layout = layout_paragraph(text, width, base=base, strip_harakat=strip)
    t = layout.text
    stripped = {i for m in HARAKAT.finditer(t) for i in range(*m.span())} if strip else set()
    shown: dict[int, str] = {}
    covered: list[int] = []
    for line in layout.lines:
        for ch, i in zip(line.text, line.logical, strict=True):
            covered.append(i)
            shown[i] = ch
    assert len(covered) == len(set(covered)), "a code point is shown twice"
    absorbed: set[int] = set()
    for i, ch in shown.items():
        source = t[i]
        if ch in LAM_ALEF and source != ch:
            # A ligature shows a lam and the alef after it (harakat between them stay marks of their own).
            j = i + 1
            while j < len(t) and char_width(t[j]) == 0 and t[j] not in "\u0622\u0623\u0625\u0627":
                j += 1
            assert _nfkc(ch) == _nfkc(source + t[j]), (ch, source, t[j])
            absorbed.add(j)
            continue
        mirrored = MIRRORS.get(ord(ch))
        assert _nfkc(ch) == _nfkc(source) or (mirrored is not None and chr(mirrored) == source), (ch, source)
    for i, ch in enumerate(t):
        if ch.isspace() or ch in BREAK_SPACES or ch in HIDDEN or i in stripped or i in absorbed:
            continue
        assert i in shown, f"{ch!r} at {i} is not shown"


@settings(max_examples=200, deadline=None)
@given(texts, widths, st.sampled_from(["terminal", "off"]))
def test_logical_modes_keep_order(text: str, width: int, mode: str) -> None:
    layout = layout_paragraph(text, width, mode=mode)
    joined = "".join(line.text for line in layout.lines)
    expected = "".join(ch for ch in layout.text if ch not in HIDDEN)

    def squash(s: str) -> str:
        return "".join(ch for ch in s if not (ch.isspace() or ch in BREAK_SPACES))

    assert squash(joined) == squash(expected)


@settings(max_examples=200, deadline=None)
@given(texts, widths)
def test_sanitised_input_lays_out_the_same(text: str, width: int) -> None:
    clean = sanitize(text, multiline=False)
    assert [line.text for line in layout_paragraph(text, width).lines] == \
        [line.text for line in layout_paragraph(clean, width).lines]


@settings(max_examples=300, deadline=None)
@given(texts, widths, modes, bases)
def test_visual_line_fits(text: str, width: int, mode: str, base: str) -> None:
    line = visual_line(text, width, mode=mode, base=base)
    assert line.cells == text_width(line.text) <= width
    assert line.pad + line.cells <= width
    assert not UNSAFE.search(line.text) and not HIDDEN & set(line.text)


@given(st.lists(st.tuples(st.integers(1, 14), st.integers(1, 3)), min_size=1, max_size=10),
       st.integers(0, 2), st.integers(1, 16))
def test_fast_wrap_equals_general_wrap(words: list[tuple[int, int]], trailing: int, width: int) -> None:
    text = "".join("x" * n + " " * gap for n, gap in words).rstrip(" ") + " " * trailing
    assert _wrap_simple(text, width) == _wrap_general(text, width, False)
