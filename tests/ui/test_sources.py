"""The sources pane's entries: fixed sources, searches, and the feeds under a tree of their tags."""

from __future__ import annotations

from reader.model import Feed
from reader.ui.sources import entries


def feed(number: int, *tags: str, unread: int = 1) -> Feed:
    return Feed(url=f"https://example.org/{number}", title=f"F{number}", id=number, tags=tags, unread=unread)


def tree(feeds: list[Feed]) -> list[str]:
    """Every entry after the fixed sources, as 'indent key count'."""
    return [f"{'  ' * e.depth}{e.key} {e.count}" for e in entries(feeds, (), {})[4:]]


def test_every_tag_is_a_source_and_each_feed_is_listed_once() -> None:
    feeds = [feed(1, "أخبار", "عربي", unread=5), feed(2, "أخبار", "World", unread=3),
             feed(3, "kurd", "عربي", unread=2), feed(4, "Tech"), feed(5, unread=7)]
    assert tree(feeds) == [
        "tag:kurd 2",  # placed at the top level where it was first seen; عربي stays under أخبار
        "tag:Tech 1",
        "  feed:4 1",
        "tag:أخبار 8",  # the OPML folder around عربي and World: every feed it holds
        "  tag:World 3",
        "    feed:2 3",
        "  tag:عربي 7",  # what choosing it lists: feeds 1 and 3
        "    feed:1 5",
        "    feed:3 2",
        "header:feeds None",
        "  feed:5 7",
    ]
    keys = [e.key for e in entries(feeds, (), {})]
    assert len(keys) == len(set(keys)), "every entry's key is unique (the pane's option ids)"


def test_tags_given_in_any_order_never_loop() -> None:
    feeds = [feed(1, "a", "b"), feed(2, "b", "a"), feed(3, "a", "a")]
    assert tree(feeds) == ["tag:a 3", "  tag:b 2", "    feed:1 1", "  feed:2 1", "  feed:3 1"]
