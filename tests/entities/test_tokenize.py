"""The tokeniser builds its columns from one ``re.split`` and running lengths. It must give what the plain
reading of the rules gives: a word is a ``WORD_RE`` match, folded with ``fast_fold``, and joined to the
previous word when only one to three spaces (or one ``_``, ``-`` or ZWNJ) lie between them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.entities.text import WORD_RE, fast_fold, tokenize, tokenize_columns

_JOIN = re.compile(r"[ \u00a0]{1,3}|_|-|\u200c")

Row = tuple[int, int, str, str, bool]


def reference(paragraph: str) -> list[Row]:
    rows: list[Row] = []
    previous_end = -1
    for match in WORD_RE.finditer(paragraph):
        start, end = match.span()
        joined = previous_end >= 0 and _JOIN.fullmatch(paragraph, previous_end, start) is not None
        rows.append((start, end, match.group(), fast_fold(match.group()), joined))
        previous_end = end
    return rows


def columns(paragraph: str) -> list[Row]:
    c = tokenize_columns(paragraph)
    assert len(c) == len(c.starts) == len(c.ends) == len(c.folded) == len(c.joined)
    return list(zip(c.starts, c.ends, c.texts, c.folded, c.joined, strict=True))


def test_examples() -> None:
    assert columns("") == [] and columns(" ،. ") == []
    paragraph = "قال  الرئيسُ-محمد،  وبالموصل\u200cاليوم _ x"
    assert columns(paragraph) == reference(paragraph)
    assert [r[4] for r in columns(paragraph)] == [False, True, True, False, True, False]
    assert [(t.start, t.end, t.text, t.folded, t.joined) for t in tokenize(paragraph)] == reference(paragraph)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='أبتكلمو يAbz09٣ \u00a0\u200c\u200d\u064e\u0651\u0640_-،.\n"«', max_size=60))
def test_same_as_reference(paragraph: str) -> None:
    assert columns(paragraph) == reference(paragraph)
