"""Persian, Urdu, Kurdish Sorani and Hebrew: dates at least, and names where the gazetteers cover them."""

from __future__ import annotations

import pytest

from reader.entities import extract
from reader.entities.text import script_language
from reader.model import EntityType


@pytest.mark.parametrize(
    ("text", "date", "language"),
    [
        ("این دیدار روز ۲۲ خرداد ۱۴۰۰ در تهران برگزار شد", "۲۲ خرداد ۱۴۰۰", "fa"),
        ("نشست در دوشنبه برگزار شد و گفت‌وگو ادامه یافت", "دوشنبه", "fa"),
        ("یہ اجلاس 5 جنوری 2024 کو ہوا اور وزیر نے کہا", "5 جنوری 2024", "ur"),
        ("کۆبوونەوەکە لە ٢٢ی ئایار ٢٠٢١ لە هەولێر بەڕێوەچوو و وەزیر وتی", "ئایار ٢٠٢١", "ckb"),
        ("הפגישה התקיימה ב-7 באוקטובר 2023 בירושלים", "7 באוקטובר 2023", "he"),
        ("הישיבה תתקיים ביום שני הבא", "יום שני", "he"),
    ],
)
def test_dates(text: str, date: str, language: str) -> None:
    assert script_language(text) == language
    dates = [m.text for e in extract(text) if e.type == EntityType.DATE for m in e.mentions]
    assert date in dates


def test_persian_gazetteer_names() -> None:
    names = {
        m.text for e in extract("سفر وزیر به ایران و عراق") for m in e.mentions if e.type == EntityType.LOC
    }
    assert {"ایران", "عراق"} <= names or {"ایران"} <= names


def test_script_choice_per_paragraph() -> None:
    text = "زار الوفد بغداد يوم الأحد.\nThe delegation visited Baghdad on Sunday."
    found = {(e.type.value, m.text) for e in extract(text) for m in e.mentions}
    assert ("LOC", "بغداد") in found and ("LOC", "Baghdad") in found
    assert ("DATE", "يوم الأحد") in found and ("DATE", "Sunday") in found
