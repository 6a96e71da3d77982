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


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("پێشانگایەکی کتێب لە هەولێر و سلێمانی و دهۆک کرایەوە، هەروەها لە کەرکووک.",
         {"هەولێر", "سلێمانی", "دهۆک", "کەرکووک"}),
        ("هوای تهران و شیراز امروز گرم است.", {"تهران", "شیراز"}),
        ("کراچی، لاہور اور پشاور میں بارش ہوئی۔", {"کراچی", "لاہور", "پشاور"}),
    ],
)
def test_places_in_their_own_spelling_group_with_the_arabic(text: str, places: set[str]) -> None:
    found = {m.text: e.key for e in extract(text) if e.type == EntityType.LOC for m in e.mentions}
    assert places <= set(found), found
    # هەولێر is the same place as أربيل: one key, so khabar list --entity أربيل finds Kurdish articles.
    visited = "زار الوفد أربيل والسليمانية ودهوك وكركوك وطهران وشيراز وكراتشي ولاهور وبيشاور"
    arabic = {e.key for e in extract(visited)}
    assert {found[p] for p in places} <= arabic
