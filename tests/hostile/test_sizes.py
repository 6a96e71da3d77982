"""Size cases, generated at run time (``tests.hostile.corpus``) and read in by one ``khabar refresh``
subprocess: a 1 MB title, a 10 MB body, a single 1 MB word, HTML nested 10,000 levels, a 100,000-item
feed. No crash, memory bounded (the refresh process's own peak resident set, from ``wait4``), and every
article still shows. The article view opening the huge body is in ``test_app``.
"""

from __future__ import annotations

from rich.cells import cell_len

from reader.feeds.build import TITLE_MAX
from reader.feeds.html import MAX_LIST_LEVEL
from reader.model import Article
from reader.store import ArticleQuery
from tests.hostile.conftest import SIZE_CASES, Sized, run_khabar
from tests.hostile.corpus import unsafe

RSS_LIMIT = 1536 * 2**20
"""Generous: the refresh holds the parsed 100,000 articles and the 10 MB body at once (~0.4 GB here)."""


def by_guid(sized: Sized, guid: str) -> Article:
    with sized.store() as store:
        for feed in store.list_feeds():
            for listed in store.list_articles(ArticleQuery(feed_id=feed.id, limit=10)):
                if listed.guid == guid:
                    return store.get_article(listed.id)
    raise AssertionError(f"no article {guid}")


def test_every_size_case_is_taken_in_with_bounded_memory(sized: Sized) -> None:
    huge, many = sized.refreshes
    for refresh in sized.refreshes:
        assert refresh.returncode == 0, refresh.stderr
        assert "Traceback" not in refresh.stderr
    assert f"{len(SIZE_CASES)} feeds: {len(SIZE_CASES)} ok" in huge.stdout
    assert "1 feed: 1 ok, 0 unchanged, 0 failed; 100000 new" in many.stdout
    for peak in sized.max_rss:
        assert 0 < peak < RSS_LIMIT, f"{peak / 2**20:.0f} MiB"
    for home, count in ((sized.home, 5), (sized.many_home, 100_000)):
        with sized.store(home) as store:
            assert store.count_articles(ArticleQuery(limit=1_000_000)) == count
            assert store.integrity_check()


def test_huge_title_is_cut(sized: Sized) -> None:
    article = by_guid(sized, "huge-title")
    assert len(article.title) <= TITLE_MAX and article.title.endswith("…")
    assert article.title.startswith("headline word headline word") and not unsafe(article.title)


def test_huge_body_is_kept_whole(sized: Sized) -> None:
    article = by_guid(sized, "huge-body")
    assert len(article.blocks) == 20_000
    assert article.blocks[-1].text.startswith("19999 ")
    assert len(article.body_text) > 5_000_000
    assert "[bold]" in article.body_text and "\x1b" not in article.body_text


def test_huge_word_is_kept_and_wraps(sized: Sized) -> None:
    article = by_guid(sized, "huge-word")
    assert len(article.title) <= TITLE_MAX
    assert article.body_text == "ا" * 500_000 + "x" * 500_000
    shown = run_khabar(sized.home, "--bidi", "app", "show", article.id, "--width", "80")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) > 1_000_000 // 80
    assert all(cell_len(line) <= 80 for line in lines)


def test_deep_html_keeps_its_text_and_bounds_its_depth(sized: Sized) -> None:
    article = by_guid(sized, "deep")
    texts = [b.text for b in article.blocks]
    assert "deep text at the bottom" in texts and "after the nesting" in texts
    assert max(b.level for b in article.blocks) <= MAX_LIST_LEVEL
    unclosed = by_guid(sized, "deep-unclosed")
    assert unclosed.body_text == "unclosed bottom"
    shown = run_khabar(sized.home, "--bidi", "app", "show", article.id, "--width", "60")
    assert shown.returncode == 0 and all(cell_len(line) <= 60 for line in shown.stdout.splitlines())


def test_many_items_list_and_page(sized: Sized) -> None:
    listing = run_khabar(sized.many_home, "list", "--limit", "3")
    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 3
    with sized.store(sized.many_home) as store:
        (feed,) = store.list_feeds()
        assert store.count_articles(ArticleQuery(feed_id=feed.id, limit=1_000_000)) == 100_000
        last_page = store.list_articles(ArticleQuery(feed_id=feed.id, limit=10, offset=99_995))
        assert len(last_page) == 5
