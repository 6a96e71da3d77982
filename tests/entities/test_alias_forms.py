"""The alias pass looks only at words in ``alias_forms(aliases)``; every word one of whose readings
(``variants``) is an alias must be among them, or a later mention of a person would be missed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities.arabic import alias_forms, variants

LETTERS = "وفبلكاتمرس"
ALIASES = ["كمال", "الكمال", "لمى", "باسم", "فؤاد", "البرزاني", "للو", "سمر", "وسام"]


def test_examples() -> None:
    forms = alias_forms(["كمال", "الكمال"])
    assert {"كمال", "وكمال", "فبكمال", "لكمال", "للكمال", "وللكمال", "بالكمال"} <= forms
    assert "كمالي" not in forms and "مال" not in forms


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فل", "فك", "لل", "ولل"]),
    st.sampled_from([*ALIASES, *(a[1:] for a in ALIASES)]),
    st.text(alphabet=LETTERS, max_size=3),
    st.lists(st.sampled_from(ALIASES), min_size=1, max_size=3),
)
def test_every_reading_of_an_alias_is_a_form(prefix: str, stem: str, tail: str, aliases: list[str]) -> None:
    forms = alias_forms(aliases)
    for word in (prefix + stem, prefix + stem + tail, stem + tail):
        if any(reading in aliases for _, reading in variants(word)):
            assert word in forms
