"""Full-text search on a real archive: Arabic-aware matching, ranking, and snippets in original offsets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import QueryError
from reader.model import Block, BlockKind
from reader.store import ArticleQuery, Store
from reader.store.search import match_spans

from .helpers import BASE, article, feed

DOCS = {
    "emirates": ("أخبار الخليج", "زار الوفد دولة الإمارات العربية المتحدة أمس."),
    "school": ("التعليم", "افتتحت مدرسة جديدة في أربيل."),
    "book": ("ثقافة", "قرأتُ الكِتَابُ في المكتبة، ثم عدتُ بالكتاب إلى البيت."),
    "writing": ("ثقافة", "فنّ الكتابة عند العرب."),
    "persian": ("ایران", "کتابخانه ملی ایران"),
    "digits": ("أرقام", "وقع الحادث في ٢٢ أيار ٢٠٢١ قرب كركوك."),
    "harakat": ("شكر", "شُكْرًا جَزِيلًا لِلْمُعَلِّمِينَ"),
    "english": ("Café culture in Zürich", "The CAFÉ was crowded. Zurich cafes open early."),
    "iraq": ("Iraq election", "Voters in Iraq and Syria went to the polls."),
    "syria": ("Syria talks", "Talks on Syria resumed in Geneva."),
    "hebrew": ("חדשות", "שָׁלוֹם לכולם"),
}


@pytest.fixture
def loaded(store: Store) -> Store:
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, [article(key, title, body, day=i) for i, (key, (title, body)) in
                                    enumerate(DOCS.items())])
    return store


def found(store: Store, query: str) -> set[str]:
    return {hit.article.guid for hit in store.search(query)}


@pytest.mark.parametrize(("query", "expected"), [
    ("الامارات", {"emirates"}),
    ("الإمارات", {"emirates"}),
    ("مدرسه", {"school"}),
    ("اربيل", {"school"}),
    ("كتاب", {"book"}),  # الكِتَابُ (harakat) and بالكتاب (clitics); not الكتابة
    ("الكتاب", {"book"}),
    ("كتاب*", {"book", "writing", "persian"}),  # كتابخانه too
    ("كتابخانه", {"persian"}),  # Persian keheh folded to Arabic kaf
    ("کتابخانه", {"persian"}),
    ("ايران", {"persian"}),
    ("2021", {"digits"}),
    ("٢٠٢١", {"digits"}),
    ("۲۰۲۱", {"digits"}),
    ('"22 ايار 2021"', {"digits"}),
    ("كركوك", {"digits"}),
    ("شكرا", {"harakat"}),
    ("معلمين", {"harakat"}),  # لِلْمُعَلِّمِينَ: لل + معلمين
    ("שלום", {"hebrew"}),
    ("cafe", {"english"}),
    ("CAFÉ", {"english"}),
    ("zurich", {"english"}),
    ("ZÜRICH", {"english"}),
    ('"الامارات العربيه"', {"emirates"}),
    ('"العربيه الامارات"', set()),
    ("iraq OR syria", {"iraq", "syria"}),
    ("iraq syria", {"iraq"}),
    ("syria NOT iraq", {"syria"}),
    ("(iraq OR geneva) talks", {"syria"}),
    ("polls*", {"iraq"}),
    ("nothing-here", set()),
])
def test_matching(loaded: Store, query: str, expected: set[str]) -> None:
    assert found(loaded, query) == expected


def test_snippet_offsets_refer_to_original_text(loaded: Store) -> None:
    [hit] = loaded.search("كتاب")
    body = hit.article.body_text
    assert body[hit.snippet_start:hit.snippet_start + len(hit.snippet)] == hit.snippet
    words = [hit.snippet[s.start:s.end] for s in hit.highlights]
    assert words == ["الكِتَابُ", "بالكتاب"]  # harakat and clitics included, as written
    assert all(s.kind == "search" for s in hit.highlights)


def test_title_highlights(loaded: Store) -> None:
    [hit] = loaded.search("zurich")
    assert [hit.article.title[s.start:s.end] for s in hit.title_spans] == ["Zürich"]
    assert [hit.snippet[s.start:s.end] for s in hit.highlights] == ["Zurich"]


def test_ranking_bm25_then_recency(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, [
        article("once", "Other", "kirkuk is mentioned once among many other words here today", day=5),
        article("often", "Kirkuk Kirkuk", "kirkuk kirkuk kirkuk", day=1),
        article("same-old", "Same", "kirkuk alpha", day=2),
        article("same-new", "Emas", "kirkuk alpha", day=3),
    ])
    order = [h.article.guid for h in store.search("kirkuk")]
    assert order[0] == "often"
    assert order.index("same-new") < order.index("same-old")  # equal scores: newer first
    scores = [h.score for h in store.search("kirkuk")]
    assert scores == sorted(scores, reverse=True)
    assert len(store.search("kirkuk", limit=2)) == 2


def test_search_filter_in_listing(loaded: Store) -> None:
    assert {a.guid for a in loaded.list_articles(ArticleQuery(search="iraq OR syria"))} == {"iraq", "syria"}
    assert loaded.count_articles(ArticleQuery(search="كتاب*")) == 3
    with pytest.raises(QueryError):
        loaded.list_articles(ArticleQuery(search="NOT x"))


def test_bad_queries_raise_query_error(loaded: Store) -> None:
    for bad in ("", "NOT iraq", '""'):
        with pytest.raises(QueryError):
            loaded.search(bad)
    assert loaded.search('"iraq') != []  # an unclosed quote is forgiven


def test_updates_reindex(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, [article("a", "Before", "مدينة الموصل")])
    store.write_feed_entries(f.id, [article("a", "After", "مدينة البصرة")])
    assert found(store, "الموصل") == set()
    assert found(store, "البصره") == {"a"}
    assert found(store, "before") == set()
    assert store.integrity_check()


def test_match_spans_over_body_text() -> None:
    text = "الإمارات\nوالإماراتُ\nlater: Emirates"
    spans = match_spans(text, "الامارات OR emirates")
    assert [text[s.start:s.end] for s in spans] == ["الإمارات", "والإماراتُ", "Emirates"]


def test_snippet_of_long_block_is_cut(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    long = " ".join(["word"] * 200) + " needle " + " ".join(["word"] * 200)
    store.write_feed_entries(f.id, [article("long", "T", ["first paragraph", long])])
    [hit] = store.search("needle")
    assert len(hit.snippet) <= 200
    assert [hit.snippet[s.start:s.end] for s in hit.highlights] == ["needle"]
    assert hit.article.body_text[hit.snippet_start:].startswith(hit.snippet)


_WORDS = st.sampled_from(["الكِتَابُ", "بالكتاب", "كتاب", "مدرسة", "الإمارات", "Café", "cafe", "٢٠٢١", "x",
                          "،", "ـ", "\u200c", "!", " "])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, min_size=1, max_size=30), st.sampled_from(["كتاب", "cafe", "2021", "مدرسه", "كتاب*"]))
def test_highlights_always_point_inside_the_text(store: Store, words: list[str], query: str) -> None:
    text = " ".join(words)
    for span in match_spans(text, query):
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start:span.end].strip()


def test_search_after_many_updates_and_deletes(store: Store) -> None:
    """The contentless index forgets exactly what it is told: after churn, only live text matches."""
    f = store.add_feed(feed())
    assert f.id is not None
    for round_ in range(5):
        store.write_feed_entries(f.id, [article(str(i), f"T{i}", f"round{round_} common النص{round_}",
                                                day=i) for i in range(20)])
    assert store.count_articles(ArticleQuery(search="round4")) == 20
    assert store.count_articles(ArticleQuery(search="round3")) == 0
    assert store.count_articles(ArticleQuery(search="نص3")) == 0
    assert store.count_articles(ArticleQuery(search="النص4")) == 20
    assert store.integrity_check()


def test_replace_body_keeps_blocks_kinds(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    [aid] = store.write_feed_entries(f.id, [article("a", "T", "x", day=0)]).new
    store.replace_body(aid, [Block(BlockKind.HEADING, "عنوان", 1)], [])
    assert store.get_article(aid).blocks[0].kind is BlockKind.HEADING
    assert BASE + timedelta(days=0) == store.get_article(aid).published


def test_listing_common_matches_newest_first(store: Store) -> None:
    """Many matches take the time-index plan; the page must equal the plain answer."""
    f = store.add_feed(feed())
    assert f.id is not None
    entries = [article(str(i), f"T{i}", "common word" if i % 4 else "other", day=i) for i in range(400)]
    store.write_feed_entries(f.id, entries)
    expected = [a.guid for a in reversed(entries) if "common" in a.body_text]
    page = store.list_articles(ArticleQuery(search="common", limit=50))
    assert [a.guid for a in page] == expected[:50]
    after = store.list_articles(ArticleQuery(search="common", limit=50, before=page[-1].id))
    assert [a.guid for a in after] == expected[50:100]
    assert store.count_articles(ArticleQuery(search="common")) == 300
    assert store.count_articles(ArticleQuery(search="common", unread=True)) == 300


def test_ties_at_the_cut_go_to_the_newest(store: Store) -> None:
    """Syndicated copies score alike: the page keeps the newest of them, not whichever comes first."""
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, [article(str(i), f"Copy {i:02}", "the same syndicated wording", day=i)
                                    for i in range(12)])
    assert [h.article.guid for h in store.search("syndicated", limit=3)] == ["11", "10", "9"]
