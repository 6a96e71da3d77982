"""The search language: what users type becomes FTS5 syntax that SQLite accepts, or a clear QueryError."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.errors import QueryError
from reader.store.query import clitic_variants, parse, positive_terms, term_pattern, to_fts


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body, content='')")
    conn.execute("INSERT INTO t(rowid, title, body) VALUES (1, 'iraq news', 'الكتاب في المدرسه')")
    return conn


@pytest.mark.parametrize(("query", "expected"), [
    ("iraq", '"iraq"'),
    ("Iraq Syria", '("iraq" AND "syria")'),
    ("iraq OR syria", '("iraq" OR "syria")'),
    ("iraq AND syria", '("iraq" AND "syria")'),
    ("iraq NOT syria", '("iraq" NOT "syria")'),
    ("iraq AND NOT syria", '("iraq" NOT "syria")'),
    ('"Kurdistan Region"', '"kurdistan region"'),
    ("kurd*", '"kurd" *'),
    ("(iraq OR syria) war", '(("iraq" OR "syria") AND "war")'),
    ("e-mail", '"e mail"'),
    ("and or not", '("and" AND "or" AND "not")'),  # lower case: plain words
    ('"unclosed phrase', '"unclosed phrase"'),
    ("((iraq", '"iraq"'),
    ("iraq))", '"iraq"'),
    ("iraq AND", '"iraq"'),
    ("OR iraq", '"iraq"'),
    ("NEAR(a b)", '("near" AND ("a" AND "b"))'),
    ("col:iraq", '"col iraq"'),
    ("^iraq", '"iraq"'),
])
def test_translation(query: str, expected: str) -> None:
    assert to_fts(parse(query)) == expected


@pytest.mark.parametrize(("query", "message"), [
    ("", "no words"),
    ("   ", "no words"),
    ('"" () AND', "no words"),
    ("،؛؟!", "no words"),
    ("NOT iraq", "NOT needs a word before it"),
    ("iraq OR NOT syria", "NOT needs a word before it"),
])
def test_query_errors(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse(query)


def test_too_many_words() -> None:
    with pytest.raises(QueryError, match="more than 64 words"):
        parse(" ".join(f"w{i}" for i in range(65)))


_TYPED = st.text(alphabet=st.sampled_from(list('ab كتاب"()*-:^+.NOTANDOR \t،ـ')), max_size=40)


@settings(max_examples=500)
@given(_TYPED | st.text(max_size=40))
def test_any_input_is_safe(fts: sqlite3.Connection, text: str) -> None:
    """Whatever is typed: a QueryError, or an expression SQLite runs without a syntax error."""
    try:
        expression = to_fts(parse(text))
    except QueryError:
        return
    conn = fts
    conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()


def test_clitic_variants() -> None:
    variants = clitic_variants("كتاب")
    for form in ("كتاب", "الكتاب", "والكتاب", "بالكتاب", "للكتاب", "فالكتاب", "وبكتاب", "لكتاب", "كالكتاب"):
        assert form in variants
    assert "لالكتاب" not in variants
    article = clitic_variants("الكتاب")
    assert {"الكتاب", "والكتاب", "بالكتاب", "للكتاب", "وللكتاب"} <= set(article)
    assert "كتاب" not in article  # typing the article asks for it
    assert clitic_variants("iraq") == ("iraq",)
    assert clitic_variants("ب") == ("ب",)


def test_highlight_pattern_matches_what_fts_matches() -> None:
    term = positive_terms(parse("كتاب"))[0]
    pattern = term_pattern(term)
    assert pattern.search("في الكتاب")
    assert pattern.search("وبالكتاب الجديد")
    assert not pattern.search("الكتابة")  # not a prefix query
    assert not pattern.search("مكتاب")
    prefix = term_pattern(positive_terms(parse("كتاب*"))[0])
    assert prefix.search("الكتابة").group() == "الكتابة"  # type: ignore[union-attr]


def test_not_terms_are_not_highlighted() -> None:
    assert [t.tokens for t in positive_terms(parse("iraq NOT syria"))] == [("iraq",)]
