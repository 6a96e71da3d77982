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


MOSUL_BODY = "سيطرت القوات على الموصل بعد معارك، وزار وفد من إقليم كوردستان مدينة أربيل."


def _extracted(store: Store) -> str:
    """An article whose entities come from the real extractor, stored as a refresh stores them."""
    from reader.entities import extract

    f = store.add_feed(feed())
    assert f.id is not None
    [aid] = store.write_feed_entries(f.id, [article("m", "الموصل", MOSUL_BODY)]).new
    found = extract(MOSUL_BODY, language="ar")
    assert {e.key for e in found} >= {"موصل", "كردستان"}  # the extractor's keys, not fold(name)
    store.set_entities(aid, found)
    return aid


def test_filter_by_name_as_typed(store: Store) -> None:
    """``--entity الموصل`` used to find nothing: the filter folded the name, the extractor keys it
    without the article. Every spelling a reader may type reaches the same entity."""
    aid = _extracted(store)
    for typed in ["الموصل", "موصل", "والموصل", "بالموصل", " الموصل ", "كوردستان", "كردستان", "وكردستان",
                  "إقليم كوردستان", "أربيل", "اربيل", "موصل"]:
        assert [a.id for a in store.list_articles(ArticleQuery(entity_key=typed))] == [aid], typed
        assert store.count_articles(ArticleQuery(entity_key=typed)) == 1, typed
    for other in ["بغداد", "الموصلي", "كرد"]:
        assert store.count_articles(ArticleQuery(entity_key=other)) == 0, other


def test_filter_by_surface_form_when_keys_differ(store: Store) -> None:
    """An entity stored under a key the built-in key function would not produce (another extractor
    backend) is still found by its name, or by the name one article shows."""
    aid = _setup(store)
    f = store.list_feeds()[0]
    assert f.id is not None
    [other] = store.write_feed_entries(f.id, [article("en", "Kirkuk", "Oil from Kirkuk.")]).new
    store.set_entities(aid, [Entity(EntityType.ORG, "org:0042", "الأمم المتحدة"),
                             Entity(EntityType.LOC, "Q1533", "كركوك")])
    store.set_entities(other, [Entity(EntityType.LOC, "Q1533", "Kirkuk")])  # the entity's name now
    assert [a.id for a in store.list_articles(ArticleQuery(entity_key="الامم المتحدة"))] == [aid]
    assert [a.id for a in store.list_articles(ArticleQuery(entity_key="org:0042"))] == [aid]
    assert store.count_articles(ArticleQuery(entity_key="الأمم")) == 0
    # one entity, two names: either finds both articles
    assert {a.id for a in store.list_articles(ArticleQuery(entity_key="kirkuk"))} == {aid, other}
    assert {a.id for a in store.list_articles(ArticleQuery(entity_key="كركوك"))} == {aid, other}
