"""Entities and mentions: stored per article, read back with it, filtered by key, dropped on change."""

from __future__ import annotations

from reader.model import Entity, EntityType, Mention, Span
from reader.store import ArticleQuery, Store

from .helpers import article, feed

BODY = "زار وفد أربيل ثم عاد إلى بكركوك."


def _entities() -> list[Entity]:
    return [
        Entity(EntityType.LOC, "اربيل", "أربيل", (Mention(Span(8, 13, "entity-LOC"), "أربيل"),)),
        Entity(EntityType.LOC, "كركوك", "كركوك", (Mention(Span(26, 31, "entity-LOC"), "كركوك"),)),
    ]


def _setup(store: Store) -> str:
    f = store.add_feed(feed())
    assert f.id is not None
    [aid] = store.write_feed_entries(f.id, [article("a", "T", BODY)]).new
    return aid


def test_set_and_get(store: Store) -> None:
    aid = _setup(store)
    assert [a.id for a in store.articles_without_entities(10)] == [aid]
    assert store.set_entities(aid, _entities())
    got = store.get_article(aid)
    assert list(got.entities) == _entities()
    assert BODY[8:13] == "أربيل"
    assert store.articles_without_entities(10) == []
    # replacing, not adding
    assert store.set_entities(aid, _entities()[:1])
    assert [e.key for e in store.get_article(aid).entities] == ["اربيل"]


def test_empty_list_records_extraction(store: Store) -> None:
    aid = _setup(store)
    store.set_entities(aid, [])
    assert store.articles_without_entities(10) == []
    assert store.get_article(aid).entities == ()


def test_filter_by_key(store: Store) -> None:
    aid = _setup(store)
    store.set_entities(aid, _entities())
    assert [a.id for a in store.list_articles(ArticleQuery(entity_key="كركوك"))] == [aid]
    assert [a.id for a in store.list_articles(ArticleQuery(entity_key="أربيل"))] == [aid]  # folded too
    assert store.count_articles(ArticleQuery(entity_key="بغداد")) == 0


def test_changed_text_drops_entities(store: Store) -> None:
    aid = _setup(store)
    store.set_entities(aid, _entities())
    f = store.list_feeds()[0]
    assert f.id is not None
    store.write_feed_entries(f.id, [article("a", "T", "نص مختلف تماما")])
    assert store.get_article(aid).entities == ()
    assert [a.id for a in store.articles_without_entities(10)] == [aid]


def test_stale_extraction_is_refused(store: Store) -> None:
    aid = _setup(store)
    assert not store.set_entities(aid, _entities(), for_text="some older text")
    assert store.set_entities(aid, _entities(), for_text=BODY)
    assert store.set_entities_many([("missing", _entities(), None), (aid, [], None)]) == 1


def test_entities_survive_unrelated_state_changes(store: Store) -> None:
    aid = _setup(store)
    store.set_entities(aid, _entities())
    store.set_state([aid], read=True, starred=True)
    assert len(store.get_article(aid).entities) == 2


def test_vacuum_prunes_unused_entities(store: Store) -> None:
    aid = _setup(store)
    store.set_entities(aid, _entities())
    store.set_entities(aid, [])
    store.vacuum()
    assert store.count_articles(ArticleQuery(entity_key="كركوك")) == 0
    assert store.integrity_check()
