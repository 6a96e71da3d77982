"""Folding as search sees it: ``reader.normalize.fold`` cases, and the store's fast path equal to it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.normalize import fold, fold_with_map
from reader.store.textfold import fast_fold, fingerprint, fold_offsets

CASES = [
    # the cases
    ("الإمارات", "الامارات"),
    ("مدرسة", "مدرسه"),
    ("الكِتَابُ", "الكتاب"),
    # alef forms
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمنة", "امنه"), ("ٱلله", "الله"),
    # alef maksura and yeh, teh marbuta and heh
    ("مستشفى", "مستشفي"), ("على", "علي"), ("جامعة", "جامعه"),
    # tanween, shadda, sukun, superscript alef
    ("شُكْرًا", "شكرا"), ("محمّد", "محمد"), ("رحمٰن", "رحمن"),
    # tatweel, zero-width joiner and non-joiner, bidi marks
    ("مـــدرســة", "مدرسه"), ("می\u200cخواهم", "ميخواهم"), ("a\u200db", "ab"), ("\u200fعربي\u200e", "عربي"),
    # Persian yeh and keheh; Urdu heh goal; hamza seats
    ("ایران", "ايران"), ("کتاب", "كتاب"), ("پاکستان", "پاكستان"), ("مسئله", "مسيله"), ("مؤتمر", "موتمر"),
    # Arabic-Indic and Persian digits
    ("٢٠٢١", "2021"), ("۱۴۰۰", "1400"), ("٢٢ أيار ٢٠٢١", "22 ايار 2021"),
    # Hebrew niqqud
    ("שָׁלוֹם", "שלום"), ("בְּרֵאשִׁית", "בראשית"),
    # Latin case and accents
    ("Éric", "eric"), ("ÇAĞRI", "cagri"), ("Straße", "strasse"), ("naïve café", "naive cafe"),
    ("KURDISTAN", "kurdistan"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_fold_cases(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert fast_fold(text) == expected


def test_variant_spellings_meet() -> None:
    assert fold("كوردستان") != fold("كردستان")  # spelling variants are the entity extractor's business
    assert fold("أربيل") == fold("اربيل") == fold("إربيل")


@settings(max_examples=300)
@given(st.text())
def test_fast_fold_is_fold(text: str) -> None:
    assert fast_fold(text) == fold(text)


_ARABIC = st.text(alphabet=st.characters(min_codepoint=0x600, max_codepoint=0x6FF), max_size=200)


@settings(max_examples=300)
@given(st.one_of(_ARABIC, st.text(alphabet="ًٌٍَُِّْـأإآىةیکa\u200cZé ", max_size=60)))
def test_fast_fold_on_arabic(text: str) -> None:
    assert fast_fold(text) == fold(text)


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_map_points_into_original(text: str) -> None:
    folded, origin = fold_with_map(text)
    assert len(origin) == len(folded) + 1
    assert all(0 <= o <= len(text) for o in origin)
    assert origin == sorted(origin)


def test_fingerprint_is_stable() -> None:
    assert fingerprint() == fingerprint()
    assert len(fingerprint()) == 32


@settings(max_examples=300)
@given(st.one_of(st.text(), st.text(alphabet="كتابًٌٍَُِّْـ\u200cﻷßa É", max_size=50)))
def test_fold_offsets_agree_with_fold_with_map(text: str) -> None:
    folded, origin = fold_with_map(text)
    fast, to_original = fold_offsets(text)
    assert fast == folded
    assert [to_original(i) for i in range(len(folded) + 1)] == origin


def test_lower_first_changes_nothing() -> None:
    """fast_fold lower-cases with str.lower before folding; that must never change the result."""
    for code in [*range(0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x20000, 7)]:
        ch = chr(code)
        assert fold(ch.lower()) == fold(ch), hex(code)
    assert fast_fold("ΟΔΟΣ ΟΔΟΣ") == fold("ΟΔΟΣ ΟΔΟΣ")  # final sigma depends on context in str.lower
