"""Properties over arbitrary text: extraction never raises, every span lies in the text and cuts out
exactly the mention's text, and entities never share a mention."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities import entity_key, extract

WORDS = [
    "بكركوك",
    "والبيشمركة",
    "للموصل",
    "الرئيس",
    "محمد",
    "على",
    "وزارة",
    "الخارجية",
    "العراقية",
    "قرية",
    "22",
    "أيار",
    "2021",
    "٢٠٢١",
    "Trump",
    "said",
    "President",
    "U.S.",
    "Gen.",
    "al-Sudani",
    "of",
    "the",
    "Ministry",
    "Strait",
    "Hormuz",
    '"',
    "«",
    "،",
    ".",
    "-",
    "_",
    "#",
    "\u200f",
    "\u0640",
    "ً",
    "ّ",
    "إقليم",
    "كوردستان",
    "ترمب",
    "أبو",
    "بن",
    "عبد",
    "الله",
    "May",
    "Monday",
    "ב-7",
    "באוקטובר",
    "خرداد",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), max_size=30).map(
        lambda parts: "".join(p + (" " if i % 3 else "\n") for i, p in enumerate(parts))
    ),
)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from([None, "ar", "en", "fa", "he"]))
def test_spans_are_exact_and_inside(text: str, language: str | None) -> None:
    seen: set[tuple[int, int]] = set()
    for entity in extract(text, language=language):
        assert entity.mentions
        assert entity.key == entity.key.strip()
        for mention in entity.mentions:
            start, end = mention.span.start, mention.span.end
            assert 0 <= start < end <= len(text)
            assert text[start:end] == mention.text
            assert (start, end) not in seen
            seen.add((start, end))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_entity_key_never_raises_and_is_idempotent(name: str) -> None:
    key = entity_key(name)
    assert isinstance(key, str)
    assert entity_key(key) == entity_key(key)
