"""``script_language`` skips its letter counts when a paragraph has no letter but the Arabic script's common
ones. The shortcut must decide as the counts do: the reference here is the plain reading of the rule."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities.text import script_language


def _count(chars: str, text: str) -> int:
    return len(re.findall(f"[{chars}]", text))


def reference(paragraph: str, hint: str | None) -> str:
    arabic = _count("\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff", paragraph)
    latin = _count("A-Za-z\u00c0-\u024f", paragraph)
    hebrew = _count("\u0590-\u05ff", paragraph)
    if not (arabic or latin or hebrew):
        return "other"
    if hebrew > arabic and hebrew > latin:
        return "he"
    if latin > arabic:
        return "en"
    kurdish = _count("ێۆڵڕەۊ", paragraph)
    urdu = _count("ٹڈڑںےۓہھ", paragraph)
    persian = _count("پچژگیک", paragraph)
    arabic_only = _count("ةىيك", paragraph)
    if kurdish >= 2 and kurdish * 20 >= arabic:
        return "ckb"
    if urdu >= 2 and urdu * 30 >= arabic:
        return "ur"
    if persian > arabic_only:
        return "fa"
    base = (hint or "").split("-")[0].lower()
    if base in ("fa", "ur", "ckb", "ku") and persian >= arabic_only:
        return "ckb" if base == "ku" else base
    return "ar"


HINTS = st.sampled_from([None, "ar", "fa", "ur", "ckb", "ku", "ku-Arab", "FA-IR", "he", "en"])


def test_examples() -> None:
    assert script_language("قال الرئيس", None) == "ar"
    assert script_language("قال الرئيس", "fa") == "ar"
    assert script_language("سلام دوستان", "fa") == "fa"
    assert script_language("سلام", "ku") == "ckb"
    assert script_language("123 ،", None) == "ar"  # the Arabic comma is in the Arabic block
    assert script_language("123 .", None) == "other"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ابتسلمنوهءةىيكپچژگیکٹڈڑںےۓہھێۆڵڕەۊשלוםabcÉ ٠1ﻻ", max_size=40), HINTS)
def test_same_as_counting(paragraph: str, hint: str | None) -> None:
    assert script_language(paragraph, hint) == reference(paragraph, hint)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ابتسلمنوهءةىيك ،.0", max_size=40), HINTS)
def test_same_as_counting_plain_arabic(paragraph: str, hint: str | None) -> None:
    assert script_language(paragraph, hint) == reference(paragraph, hint)
