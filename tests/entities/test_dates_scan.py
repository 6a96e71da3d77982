"""The Arabic date finder tries each pattern only at the words that can begin it. It must find exactly what
trying every pattern at every position finds: on the gold set's paragraphs and on generated text full of
date words, proclitics, digits of three scripts, combining marks, tatweel and joiners."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities.dates import _arabic_patterns, _scan, find_dates
from reader.entities.text import tokenize_columns

GOLD = Path(__file__).resolve().parent.parent / "data" / "entities"

PIECES = [
    "أيار",
    "ايار",
    "آب",
    "مارس",
    "ماي",
    "أوت",
    "كانون الثاني",
    "تشرين الأول",
    "ذي الحجة",
    "رمضان",
    "جمادى الأولى",
    "يناير",
    "جانفي",
    "الأحد",
    "الإثنين",
    "يوم",
    "اليوم",
    "أمس",
    "غداً",
    "غدًا",
    "غدا",
    "شهر",
    "عام",
    "العام",
    "عامي",
    "السنة",
    "هذا",
    "هذه",
    "الأسبوع",
    "الماضي",
    "المقبلة",
    "الجاري",
    "منذ",
    "حتى",
    "مطلع",
    "أواخر",
    "الأول",
    "من",
    "في",
    "إلى",
    "و",
    "ب",
    "ل",
    "لـ",
    "ف",
    "22",
    "٢٢",
    "۲۲",
    "5",
    "2021",
    "٢٠٢١",
    "۱۴۰۰",
    "1443",
    "هـ",
    "م",
    "كركوك",
    "الرئيس",
    "/",
    "(",
    ")",
    "،",
    ",",
    ".",
    "%",
    "«",
    '"',
]
GLUE = [" ", " ", " ", "", "  ", "\n", "\u00a0", "\u064e", "\u0651", "\u0640", "\u200c", "\u200d", "_", "-"]


def _both(paragraph: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    return find_dates(paragraph, "ar", tokenize_columns(paragraph)), _scan(paragraph, _arabic_patterns())


def test_gold_paragraphs() -> None:
    paragraphs = 0
    dated = 0
    for path in sorted(GOLD.glob("*/*.json")):
        text = str(json.loads(path.read_text(encoding="utf-8"))["text"])
        for paragraph in text.split("\n"):
            anchored, scanned = _both(paragraph)
            assert anchored == scanned, paragraph
            paragraphs += 1
            dated += bool(scanned)
    assert paragraphs > 200 and dated > 50


def test_without_tokens_given() -> None:
    paragraph = "وصل في 22 أيار 2021 ثم غادر يوم الأحد الماضي، منذ عام 2014."
    assert find_dates(paragraph, "ar") == find_dates(paragraph, "ar", tokenize_columns(paragraph))
    assert len(find_dates(paragraph, "ar")) == 3


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(GLUE)), max_size=30))
def test_same_as_full_scan(parts: list[tuple[str, str]]) -> None:
    paragraph = "".join(piece + glue for piece, glue in parts)
    anchored, scanned = _both(paragraph)
    assert anchored == scanned


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="أاآبتيومهرشعلفن٠٢2 \u064e\u0640\u200d،/()", max_size=40))
def test_same_as_full_scan_on_letter_soup(paragraph: str) -> None:
    anchored, scanned = _both(paragraph)
    assert anchored == scanned
