"""Paragraph layout: expected visual lines, the seed article at four widths, spans, modes, hostile input.

Expected visual lines were checked against GNU FriBidi (``fribidi --nobreak --nopad --rtl --reordernsm``,
see ``test_fribidi.py``), which agrees with them except that it keeps U+0621 where we use its isolated
presentation form U+FE80 and it does not ligate lam + haraka + alef.
"""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest

from reader.model import Direction, Span
from reader.rtl._tables import MIRRORS
from reader.rtl.cells import char_width, text_width
from reader.rtl.layout import (
    ParagraphLayout,
    VisualLine,
    clear_cache,
    layout_paragraph,
    layout_text,
    visual_line,
)

REPO = Path(__file__).resolve().parents[2]
SEED = (REPO / "sample_feeds" / "zagros-arabic-erbil-2021-05-22.txt").read_text(encoding="utf-8")
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def texts(layout: ParagraphLayout) -> list[str]:
    return [line.text for line in layout.lines]


# -- expected lines, line by line ------------------------------------------------------------------------

def test_seed_paragraph_at_50() -> None:
    layout = layout_paragraph(SEED.split("\n")[1], 50)
    assert layout.direction is Direction.RTL
    assert texts(layout) == [
        "ﻦﻤﺿ ﻱﺮﻜﺴﻋ ﺪﻓﻭ ﻊﻣ ﻥﺎﺘﺳﺩﺭﻮﻛ ﻢﻴﻠﻗﺇ ﺔﺳﺎﺋﺭ ﺖﺸﻗﺎﻧ",
        "ﺀﺎﻀﻘﻟﺍ ،(2021 ﺭﺎﻳﺃ 22) ﺖﺒﺴﻟﺍ ﻡﻮﻴﻟﺍ ،ﻲﻟﻭﺪﻟﺍ ﻒﻟﺎﺤﺘﻟﺍ",
        "ﺩﺪﺷﻭ ،ﻦﻴﻘﻧﺎﺧﻭ ﻙﻮﻛﺮﻛ ﻲﻓ ﺶﻋﺍﺩ ﻢﻴﻈﻨﺗ ﺎﻳﺎﻘﺑ ﻰﻠﻋ",
        "ﺔﻛﺮﺘﺸﻣ ﺔﻳﺮﻜﺴﻋ ﺔﻠﻴﻤﻋ ﺬﻴﻔﻨﺗ ﺔﻴﻤﻫﺃ ﻰﻠﻋ ﻥﺎﻓﺮﻄﻟﺍ",
        "ﺓﺪﻧﺎﺴﻤﺑ ﺔﻛﺮﻤﺸﻴﺒﻟﺍﻭ ﺔﻳﺩﺎﺤﺗﻻﺍ ﺕﺍﻮﻘﻟﺍ ﻞﺒﻗ ﻦﻣ ﺔﻠﺠﻌﺘﺴﻣﻭ",
        ".ﻦﻴﺘﻘﻄﻨﻤﻟﺍ ﻲﻓ ﻲﻟﻭﺪﻟﺍ ﻒﻟﺎﺤﺘﻟﺍ",
    ]
    assert [line.pad for line in layout.lines] == [7, 0, 7, 7, 0, 22]
    # The first visual line is the start of the sentence: its rightmost word is the paragraph's first.
    assert layout.lines[0].logical[-1] == 0


def test_hebrew_with_nikud() -> None:
    layout = layout_paragraph("בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָרֶץ", 30)
    assert texts(layout) == ["תאֵוְ םיִמַשָּׁהַ תאֵ םיהִלֹאֱ ארָבָּ תישִׁארֵבְּ", "ץרֶאָהָ"]
    assert [line.pad for line in layout.lines] == [1, 26]


def test_digits_percent_dates_and_phones_in_rtl_context() -> None:
    text = ("ارتفع المؤشر 3.5% إلى 1,234.56 نقطة يوم 22/5/2021، للاستفسار: +964 750 123 4567 أو "
            "٠٧٥٠١٢٣٤٥٦٧ (١٢٪)")
    assert texts(layout_paragraph(text, 40)) == [
        "ﻡﻮﻳ ﺔﻄﻘﻧ 1,234.56 ﻰﻟﺇ %3.5 ﺮﺷﺆﻤﻟﺍ ﻊﻔﺗﺭﺍ",
        # Per the UBA each group of a phone number is its own run: authors wrap them in LRI...PDI or LRM.
        "4567 123 750 964+ :ﺭﺎﺴﻔﺘﺳﻼﻟ ،22/5/2021",
        "(٪١٢) ٠٧٥٠١٢٣٤٥٦٧ ﻭﺃ",
    ]
    isolated = layout_paragraph("للاستفسار: \u2066+964 750 123 4567\u2069 شكراً", 60)
    assert texts(isolated) == ["ﺍًﺮﻜﺷ +964 750 123 4567 :ﺭﺎﺴﻔﺘﺳﻼﻟ"]


def test_english_words_and_urls_inside_arabic() -> None:
    text = "قال مدير Google في العراق إن خدمة Gmail (البريد) تعمل، راجع https://example.com/a?b=1 للمزيد."
    assert texts(layout_paragraph(text, 40)) == [
        "Gmail ﺔﻣﺪﺧ ﻥﺇ ﻕﺍﺮﻌﻟﺍ ﻲﻓ Google ﺮﻳﺪﻣ ﻝﺎﻗ",
        "ﻊﺟﺍﺭ ،ﻞﻤﻌﺗ (ﺪﻳﺮﺒﻟﺍ)",
        ".ﺪﻳﺰﻤﻠﻟ https://example.com/a?b=1",
    ]


def test_arabic_inside_english() -> None:
    layout = layout_paragraph("The minister (وزير الداخلية) said «سلام» twice at 10:30 on 22/5/2021.", 40)
    assert layout.direction is Direction.LTR
    assert texts(layout) == ["The minister (ﺔﻴﻠﺧﺍﺪﻟﺍ ﺮﻳﺯﻭ) said «ﻡﻼﺳ»", "twice at 10:30 on 22/5/2021."]
    assert all(line.pad == 0 for line in layout.lines)


def test_persian_and_urdu() -> None:
    persian = layout_paragraph("پژوهشگران ایرانی گفتند که سال ۱۴۰۲ می‌تواند «سال خوبی» باشد.", 30)
    assert texts(persian) == ["ﻝﺎﺳ ﻪﮐ ﺪﻨﺘﻔﮔ ﯽﻧﺍﺮﯾﺍ ﻥﺍﺮﮕﺸﻫﻭﮋﭘ", ".ﺪﺷﺎﺑ «ﯽﺑﻮﺧ ﻝﺎﺳ» ﺪﻧﺍﻮﺗﯽﻣ ۱۴۰۲"]
    urdu = layout_paragraph("یہ ایک اردو جملہ ہے جو ۲۰۲۳ میں لکھا گیا۔", 30)
    assert texts(urdu) == ["۲۰۲۳ ﻮﺟ ﮯﮨ ﮧﻠﻤﺟ ﻭﺩﺭﺍ ﮏﯾﺍ ﮧﯾ", "۔ﺎﯿﮔ ﺎﮭﮑﻟ ﮟﯿﻣ"]


def test_vocalised_arabic_marks_follow_their_letter() -> None:
    layout = layout_paragraph("بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ", 40)
    assert texts(layout) == ["ﻢِﻴﺣِﺮَّﻟﺍ ﻦِﻤَٰﺣْﺮَّﻟﺍ ﻪِﻠَّﻟﺍ ﻢِﺴْﺑِ"]
    stripped = layout_paragraph("بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ", 40, strip_harakat=True)
    assert texts(stripped) == ["ﻢﻴﺣﺮﻟﺍ ﻦﻤﺣﺮﻟﺍ ﻪﻠﻟﺍ ﻢﺴﺑ"]


# -- the seed article at several widths --------------------------------------------------------------------

def _base_of(text: str, i: int) -> int:
    while i > 0 and char_width(text[i]) == 0:
        i -= 1
    return i


@pytest.mark.parametrize("width", [30, 50, 80, 120])
def test_seed_article(width: int) -> None:
    for paragraph in SEED.split("\n"):
        layout = layout_paragraph(paragraph, width)
        for line in layout.lines:
            assert line.cells == text_width(line.text) <= width
            assert line.pad == (width - line.cells if layout.direction is Direction.RTL else 0)
            assert not BIDI_CONTROLS & set(line.text)
            _check_brackets_face_content(line)
            _check_marks_follow_base(layout.text, line)
        _check_no_needless_split(layout, width)
        _check_reading_order(layout)


def _check_no_needless_split(layout: ParagraphLayout, width: int) -> None:
    """Every word that fits on a line lies whole on one line."""
    pos = 0
    for word in layout.text.split(" "):
        start, end = pos, pos + len(word)
        pos = end + 1
        if not word or text_width(word) > width:
            continue
        holders = [line for line in layout.lines if line.start <= start and end <= line.end]
        assert len(holders) == 1, word


def _check_brackets_face_content(line: VisualLine) -> None:
    """Read left to right, the brackets on a line are well formed: an opening one precedes its closing one,
    so each faces its content (a mirrored '(' shows as ')' at the right of RTL content)."""
    pairs = {"(": ")", "[": "]", "{": "}", "«": "»"}
    stack: list[str] = []
    for ch in line.text:
        if ch in pairs:
            stack.append(pairs[ch])
        elif ch in pairs.values():
            if stack and stack[-1] == ch:
                stack.pop()
            else:
                assert not stack, line.text  # a closer before its opener, with an opener pending
    # Unclosed ones may continue on another line; what is here must not be reversed.


LAM_ALEF = set("\ufef5\ufef6\ufef7\ufef8\ufef9\ufefa\ufefb\ufefc")


def _check_marks_follow_base(logical: str, line: VisualLine) -> None:
    for k, ch in enumerate(line.text):
        if char_width(ch) == 0:
            assert k > 0, "a mark starts the line"
            base = _base_of(logical, line.logical[k])
            before = line.logical[k - 1]
            # The cell before a mark shows its base (a lam-alef ligature shows its alef too).
            assert before == base or (line.text[k - 1] in LAM_ALEF and before < base), line.text


def _check_reading_order(layout: ParagraphLayout) -> None:
    """Lines follow each other in logical order and together cover the paragraph."""
    ends = [(line.start, line.end) for line in layout.lines]
    assert ends == sorted(ends)
    for (_, end), (start, _) in itertools.pairwise(ends):
        assert end <= start


def test_seed_brackets_face_their_content() -> None:
    line = layout_paragraph("اليوم السبت (22 أيار 2021)، القضاء", 80).lines[0]
    # Visual order, left to right: the closing side of the bracket pair sits on the left.
    assert line.text == "ﺀﺎﻀﻘﻟﺍ ،(2021 ﺭﺎﻳﺃ 22) ﺖﺒﺴﻟﺍ ﻡﻮﻴﻟﺍ"
    opening = line.logical.index(12)
    assert line.text[opening] == ")"  # the logical "(" is mirrored at its RTL level (L4)


# -- spans --------------------------------------------------------------------------------------------------

def test_span_through_lam_alef_ligature() -> None:
    text = "قال لا أحد"
    layout = layout_paragraph(text, 40, spans=[Span(4, 6, "entity"), Span(0, 3, "search")])
    line = layout.lines[0]
    assert line.text == "ﺪﺣﺃ ﻻ ﻝﺎﻗ"
    # Cells: ﺪ ﺣ ﺃ at 0-2, the ligature ﻻ (two letters, one cell) at 4, ﻝ ﺎ ﻗ at 6-8.
    assert [(s.start_cell, s.end_cell, s.kind) for s in line.spans] == [(4, 5, "entity"), (6, 9, "search")]
    # A span covering only the alef, or only the lam, still lands on the ligature's cell.
    for span in (Span(5, 6, "x"), Span(4, 5, "x")):
        only = layout_paragraph(text, 40, spans=[span]).lines[0]
        assert [(s.start_cell, s.end_cell) for s in only.spans] == [(4, 5)]


def test_span_split_by_reordering() -> None:
    text = "the word عربي and more"
    line = layout_paragraph(text, 80, spans=[Span(4, 13, "hit")]).lines[0]
    assert line.text == "the word ﻲﺑﺮﻋ and more"
    assert [(s.start_cell, s.end_cell) for s in line.spans] == [(4, 13)]
    mixed = layout_paragraph("قال Google اليوم", 80, spans=[Span(0, 10, "x")]).lines[0]
    # "قال Google" reorders into two separate places on the line.
    assert [(s.start_cell, s.end_cell) for s in mixed.spans] == [(6, 16)]
    assert mixed.text == "ﻡﻮﻴﻟﺍ Google ﻝﺎﻗ"


def test_spans_on_the_right_lines() -> None:
    paragraph = SEED.split("\n")[1]
    start = paragraph.index("كركوك")
    layout = layout_paragraph(paragraph, 50, spans=[Span(start, start + 5, "entity-LOC")])
    hits = [line for line in layout.lines if line.spans]
    assert len(hits) == 1
    line = hits[0]
    span = line.spans[0]
    shown = line.text[span.start_cell:span.end_cell]
    assert unicodedata.normalize("NFKC", shown)[::-1] == "كركوك"
    assert line.start <= start < line.end


def test_pieces_split_text_by_span() -> None:
    line = layout_paragraph("the word عربي and more", 80, spans=[Span(9, 13, "hit")]).lines[0]
    assert line.pieces() == (("the word ", ""), ("ﻲﺑﺮﻋ", "hit"), (" and more", ""))
    assert "".join(text for text, _ in line.pieces()) == line.text


# -- modes ---------------------------------------------------------------------------------------------------

def test_terminal_mode_is_logical_unshaped_and_clean() -> None:
    text = "\u202eمرحبا\u202c بالعالم \u200fok"
    layout = layout_paragraph(text, 10, mode="terminal")
    assert layout.direction is Direction.RTL
    joined = " ".join(texts(layout))
    assert joined == "مرحبا بالعالم ok"
    assert all(line.pad == 0 for line in layout.lines)
    assert all(line.cells <= 10 for line in layout.lines)


def test_off_mode() -> None:
    layout = layout_paragraph("مرحبا (عالم)", 80, mode="off")
    assert layout.direction is Direction.LTR
    assert texts(layout) == ["مرحبا (عالم)"]


def test_auto_mode_means_app_and_bad_options_raise() -> None:
    assert texts(layout_paragraph("مرحبا", 20, mode="auto")) == texts(layout_paragraph("مرحبا", 20))
    with pytest.raises(ValueError):
        layout_paragraph("x", 10, mode="rtl")
    with pytest.raises(ValueError):
        layout_paragraph("x", 10, base="up")


def test_base_direction_override() -> None:
    assert layout_paragraph("Hello عالم", 20, base="rtl").lines[0].text == "ﻢﻟﺎﻋ Hello"
    assert layout_paragraph("عالم Hello", 20, base="ltr").lines[0].text == "ﻢﻟﺎﻋ Hello"
    assert layout_paragraph("12345", 20).direction is Direction.LTR  # no strong letter: LTR


def test_layout_text_gives_each_paragraph_its_direction() -> None:
    layouts = layout_text("Hello\nمرحبا\n\nשלום", 10)
    assert [p.direction for p in layouts] == [Direction.LTR, Direction.RTL, Direction.LTR, Direction.RTL]
    assert texts(layouts[2]) == [""]


# -- single lines ------------------------------------------------------------------------------------------

def test_visual_line_truncates_at_the_logical_end() -> None:
    title = "ناقشت رئاسة إقليم كوردستان مع وفد عسكري"
    line = visual_line(title, 20)
    assert line.cells == 20 and line.rtl and line.pad == 0
    assert line.text == "…ﻙ ﻢﻴﻠﻗﺇ ﺔﺳﺎﺋﺭ ﺖﺸﻗﺎﻧ"  # the logical end of an RTL title is on the left
    assert line.logical[0] == 19  # the ellipsis stands for the first hidden code point
    ltr = visual_line("A long English title here", 12)
    assert ltr.text == "A long Engl…" and ltr.pad == 0
    short = visual_line("قصير", 20)
    assert short.text == "ﺮﻴﺼﻗ" and short.pad == 16


def test_visual_line_keeps_the_title_direction_and_spans() -> None:
    line = visual_line("عاجل: Apple تعلن", 80, spans=[Span(6, 11, "search")])
    assert line.text == "ﻦﻠﻌﺗ Apple :ﻞﺟﺎﻋ"
    assert [(s.start_cell, s.end_cell) for s in line.spans] == [(5, 10)]


def test_results_are_cached() -> None:
    clear_cache()
    first = layout_paragraph("مرحبا بالعالم", 30)
    assert layout_paragraph("مرحبا بالعالم", 30) is first
    assert layout_paragraph("مرحبا بالعالم", 31) is not first


# -- hostile input ---------------------------------------------------------------------------------------

def test_escape_sequences_never_reach_the_output() -> None:
    text = "title\x1b]0;pwned\x07 \x1b[2J\x1b[31mred\x9b1;1H\x00 end"
    for mode in ("app", "terminal", "off"):
        for line in layout_paragraph(text, 20, mode=mode).lines:
            assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in line.text)
        assert "pwned" not in " ".join(texts(layout_paragraph(text, 20, mode=mode)))


def test_unbalanced_bidi_controls_stay_in_their_field() -> None:
    title = "\u202eevil title"  # RLO never closed
    line = visual_line(title, 30)
    assert line.text == "eltit live"  # it reverses its own field...
    assert not BIDI_CONTROLS & set(line.text)  # ...but is not emitted, so the next column is untouched
    for text in ("\u2067\u2067\u202b", "\u202c\u2069x", "a\u2068b\u202ac"):
        for line in layout_paragraph(text, 10).lines:
            assert not BIDI_CONTROLS & set(line.text)


def test_one_megabyte_word() -> None:
    word = "ب" * 1_000_000
    layout = layout_paragraph(word, 80)
    assert len(layout.lines) == 12_500
    assert all(line.cells == 80 for line in layout.lines)
    assert sum(len(line.text) for line in layout.lines) == 1_000_000
    assert [line.start for line in layout.lines[:3]] == [0, 80, 160]


def test_huge_title_is_cut_before_shaping() -> None:
    title = "ناقشت رئاسة إقليم كوردستان " * 400_000  # 10 MB
    line = visual_line(title, 40)
    assert line.rtl and line.cells <= 40 and line.text.startswith("…")
    assert line.text == visual_line(title[:200], 40).text


def test_zwj_keeps_joining_without_ligature() -> None:
    line = layout_paragraph("ل\u200dا", 10).lines[0]
    # Alef final, lam initial: joined, not ligated; the zero-width joiner rides on the lam's cell.
    assert line.text == "\ufe8e\ufedf\u200d"


def test_nul_and_wide_characters() -> None:
    layout = layout_paragraph("a\x00b 中文字 😀 عربي", 4)
    for line in layout.lines:
        assert line.cells <= 4 and "\x00" not in line.text
    assert any("中文" in text for text in texts(layout))
    assert layout_paragraph("中", 1).width == 2  # a double-width character must fit: widths start at 2


def test_mirroring_only_at_rtl_levels() -> None:
    assert layout_paragraph("a (b) [c]", 20).lines[0].text == "a (b) [c]"
    line = layout_paragraph("أ (ب) <ج> [د]", 20).lines[0]
    assert line.text == "[ﺩ] <ﺝ> (ﺏ) ﺃ"
    for k, ch in enumerate(line.text):
        source = "أ (ب) <ج> [د]"[line.logical[k]]
        mirrored = MIRRORS.get(ord(source)) == ord(ch)
        assert ch == source or mirrored or unicodedata.normalize("NFKC", ch) == source
