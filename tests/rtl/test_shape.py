"""Shaping for terminals: presentation forms, lam-alef only, cell counts, Persian/Urdu/Kurdish letters."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import arabic_reshaper
import pytest

from reader.rtl.cells import text_width
from reader.rtl.shape import HARAKAT, LAM_ALEF_LIGATURES, shape, strip_harakat

REPO = Path(__file__).resolve().parents[2]
SEED = (REPO / "sample_feeds" / "zagros-arabic-erbil-2021-05-22.txt").read_text(encoding="utf-8")
LIGATURES = set("".join(forms for pair in LAM_ALEF_LIGATURES.values() for forms in pair))

# arabic-reshaper configured the way Khabar needs it: harakat kept, and of all ligatures only lam-alef.
TERMINAL_CONFIG = {
    "delete_harakat": False,
    "support_ligatures": True,
    **{name: False for name, _ in arabic_reshaper.ligatures.LIGATURES},
    "ARABIC LIGATURE LAM WITH ALEF": True,
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE": True,
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW": True,
    "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE": True,
}


def test_positional_forms() -> None:
    # ك initial, ر final, ك initial again (ر never joins the letter after it), و final, ك isolated.
    assert shape("كركوك").text == "\ufedb\ufeae\ufedb\ufeee\ufed9"
    assert shape("داعش").text == "\ufea9\ufe8d\ufecb\ufeb6"
    assert shape("ب").text == "\ufe8f"
    assert shape("ـبـ").text == "ـ\ufe92ـ"  # tatweel joins on both sides


@pytest.mark.parametrize(
    ("word", "ligature", "absorbed"),
    [("لا", "\ufefb", 1), ("سلام", "\ufefc", 2), ("الإقليم", "\ufef9", 2), ("لأن", "\ufef7", 1),
     ("الآن", "\ufef5", 2)],
)
def test_lam_alef_ligatures(word: str, ligature: str, absorbed: int) -> None:
    result = shape(word)
    assert ligature in result.text
    assert result.removed == [absorbed]
    assert result.src is not None and absorbed not in result.src
    assert len(result.text) == len(word) - 1


def test_only_lam_alef_ligatures_and_cells_preserved() -> None:
    for paragraph in SEED.split("\n"):
        shaped = shape(paragraph)
        for ch in shaped.text:
            # No ligature other than lam-alef: nothing from Presentation Forms-A's ligature block, no U+FDF2.
            assert not 0xFC00 <= ord(ch) <= 0xFDFF, hex(ord(ch))
        ligatures = sum(ch in LIGATURES for ch in shaped.text)
        assert text_width(shaped.text) == text_width(paragraph) - ligatures


def test_default_reshaper_would_change_cell_counts() -> None:
    # Why Khabar configures the reshaper: its default forms U+FDF2 for "الله", one glyph for four letters.
    assert "\ufdf2" in arabic_reshaper.reshape("الله")
    assert "\ufdf2" not in shape("الله").text
    assert text_width(shape("الله").text) == 4


def test_agrees_with_arabic_reshaper_configured_for_terminals() -> None:
    reshaper = arabic_reshaper.ArabicReshaper(configuration=TERMINAL_CONFIG)
    samples = [*SEED.split("\n"), "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ", "هجوماً بسلاح", "پژوهشگران ایرانی",
               "یہ ایک اردو جملہ ہے", "مـرحـبـا", "ءاء"]
    for text in samples:
        assert shape(text).text == reshaper.reshape(text), text


def test_harakat_kept_after_their_letter_and_strippable() -> None:
    text = "كَتَبَ"
    assert shape(text).text == "\ufedb\u064e\ufe98\u064e\ufe92\u064e".replace("\ufe92", "\ufe90")
    stripped = shape(text, harakat=False)
    assert stripped.text == "\ufedb\ufe98\ufe90"
    assert stripped.src == [0, 2, 4]
    assert stripped.removed == [1, 3, 5]
    assert strip_harakat("لَا") == ("لا", [0, 2])
    assert not HARAKAT.search(shape("بِسْمِ", harakat=False).text)


def test_harakat_between_lam_and_alef_keep_the_ligature() -> None:
    result = shape("لَا")
    assert result.text == "\ufefb\u064e"
    assert result.src == [0, 1]


def test_persian_and_urdu_letters_have_forms() -> None:
    assert shape("پژوهش").text == "\ufb58\ufb8b\ufeed\ufeeb\ufeb6"
    assert shape("گفت").text == "\ufb94\ufed4\ufe96"
    assert shape("ہے").text == "\ufba8\ufbaf"  # heh goal initial, yeh barree final
    assert shape("ٹوٹ").text == "\ufb68\ufeee\ufb66"


def test_zwnj_breaks_joining() -> None:
    # می‌خواهم: the yeh before ZWNJ is final, the kheh after it initial.
    shaped = shape("می\u200cخواهم").text
    assert shaped == "\ufee3\ufbfd\u200c\ufea7\ufeee\ufe8d\ufeeb\ufee2"


def test_kurdish_letters_without_forms_do_not_break_neighbours() -> None:
    # هەولێر (Hewlêr): ە (U+06D5) and ێ (U+06CE) have no presentation forms. They pass through unchanged;
    # their neighbours take the forms they would have at a word break, never a dangling join.
    shaped = shape("هەولێر").text
    assert shaped == "\ufee9\u06d5\ufeed\ufedd\u06ce\ufead"
    # Their neighbours are still shaped among themselves: ڕ (U+0695) between two letters.
    assert shape("بڕب").text == "\ufe8f\u0695\ufe8f"
    assert shape("کوردستان").text[0] == "\ufb90"


def test_joining_types_agree_with_unicode() -> None:
    """Every letter we shape as dual- or right-joining is D or R in ArabicShaping.txt (one documented
    exception: U+06BA NOON GHUNNA, D in Unicode, has only isolated and final presentation forms)."""
    from reader.rtl.shape import _tables

    data = (REPO / "tests" / "data" / "unicode" / "ArabicShaping.txt").read_text(encoding="utf-8")
    unicode_types = {}
    for line in data.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            code, _name, joining, _group = (field.strip() for field in line.split(";"))
            unicode_types[int(code, 16)] = joining
    _forms, table = _tables()
    for cp, ours in list(table.items()):
        if ours in "DR" and cp != 0x06BA:
            assert unicode_types.get(cp) == ours, (hex(cp), unicodedata.name(chr(cp)))


def test_non_arabic_text_is_untouched() -> None:
    for text in ("Hello, world", "שָׁלוֹם", "", "12345", "中文"):
        result = shape(text)
        assert result.text == text and result.src is None and result.removed == []


def test_hostile_shapes_without_error() -> None:
    for text in ("ل" * 10_000, "لَ" * 5_000 + "ا", "ا" + "\u064b" * 50_000, "\u200d" * 1000 + "لا", "ﻻ" * 10):
        result = shape(text)
        assert result.src is None or len(result.src) == len(result.text)
        assert not re.search("[\ufc00-\ufdff]", result.text)
