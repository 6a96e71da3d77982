"""Entities and mentions in the archive: written by the extractor (issue 6), read with each article.

An entity is stored once per (normalised key, type) in ``entities``; ``article_entities`` says which
articles mention it (with the name shown in that article) and ``mentions`` holds every span, in body-text
code-point offsets. Spans are only valid for the body they were computed on, so whenever an article's text
changes its entities are dropped and ``entities_at`` is cleared, which puts it back in
``articles_without_entities`` for the background pass.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from reader.model import Entity, EntityType, Mention, Span
from reader.normalize import fold
from reader.store import codec


def clear(conn: sqlite3.Connection, seq: int) -> None:
    """Forget an article's entities and mark it as not extracted."""
    conn.execute("DELETE FROM article_entities WHERE article_seq = ?", (seq,))
    conn.execute("UPDATE articles SET entities_at = NULL WHERE seq = ?", (seq,))


def store(conn: sqlite3.Connection, seq: int, entities: Sequence[Entity]) -> None:
    """Replace an article's entities (an empty list records that it has none)."""
    conn.execute("DELETE FROM article_entities WHERE article_seq = ?", (seq,))
    for position, entity in enumerate(entities):
        # An upsert, then the id (not RETURNING, which needs SQLite 3.35; some Linux Pythons have older).
        conn.execute("INSERT INTO entities(type, key, name) VALUES (?, ?, ?) ON CONFLICT(key, type)"
                     " DO UPDATE SET name = excluded.name", (entity.type.value, entity.key, entity.name))
        entity_id = conn.execute("SELECT id FROM entities WHERE key = ? AND type = ?",
                                 (entity.key, entity.type.value)).fetchone()[0]
        conn.execute("INSERT OR IGNORE INTO article_entities(article_seq, entity_id, name, position)"
                     " VALUES (?, ?, ?, ?)", (seq, entity_id, entity.name, position))
        conn.executemany(
            'INSERT OR IGNORE INTO mentions(article_seq, entity_id, start, "end", text, kind)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(seq, entity_id, m.span.start, m.span.end, m.text, m.span.kind) for m in entity.mentions])
    conn.execute("UPDATE articles SET entities_at = ? WHERE seq = ?", (codec.to_iso(codec.now()), seq))


def load(conn: sqlite3.Connection, seq: int) -> tuple[Entity, ...]:
    """An article's entities in the order the extractor gave them, mentions in text order."""
    rows = conn.execute(
        "SELECT ae.entity_id, e.type, e.key, ae.name FROM article_entities ae JOIN entities e"
        " ON e.id = ae.entity_id WHERE ae.article_seq = ? ORDER BY ae.position", (seq,)).fetchall()
    if not rows:
        return ()
    mentions: dict[int, list[Mention]] = {}
    for entity_id, start, end, text, kind in conn.execute(
            'SELECT entity_id, start, "end", text, kind FROM mentions WHERE article_seq = ?'
            " ORDER BY start, \"end\"", (seq,)):
        mentions.setdefault(entity_id, []).append(Mention(Span(start, end, kind), text))
    return tuple(Entity(type=_type(r[1]), key=r[2], name=r[3], mentions=tuple(mentions.get(r[0], ())))
                 for r in rows)


def _type(value: str) -> EntityType:
    try:
        return EntityType(value)
    except ValueError:
        return EntityType.MISC


def key_filter(conn: sqlite3.Connection, name: str) -> tuple[str, list[object]]:
    """SQL (over ``articles a``) selecting articles that mention the entity a user means by ``name``:
    see ``resolve``."""
    ids = resolve(conn, name)
    if not ids:
        return "0", []
    marks = ",".join("?" * len(ids))
    return (f"a.seq IN (SELECT article_seq FROM article_entities WHERE entity_id IN ({marks}))",
            list(ids))


def candidate_keys(name: str) -> list[str]:
    """The keys ``name`` may be stored under: as given (a key the UI passes back), its fold, and the key
    the extractor builds (``reader.entities.entity_key``: the article and proclitics dropped, variant
    spellings grouped), also for the name with a leading conjunction or preposition taken off
    (وكردستان), which ``entity_key`` keeps when no gazetteer knows the stripped word."""
    from reader.entities.lexicon import entity_key

    name = name.strip()
    keys = [name, fold(name), entity_key(name)]
    words = fold(name).split(" ")
    if words and len(words[0]) >= 4 and words[0][0] in "وفبكل":
        keys.append(entity_key(" ".join([words[0][1:], *words[1:]])))
    return [k for k in dict.fromkeys(keys) if k]


def resolve(conn: sqlite3.Connection, name: str) -> list[int]:
    """The ids of the entities ``name`` stands for: those stored under one of its ``candidate_keys``;
    unless ``name`` is itself a stored key, also those whose name (as stored, or as shown in some article)
    folds to the same key, so an entity keyed differently (another extractor backend, an older key
    function) is still found by what the articles call it."""
    keys = candidate_keys(name)
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    found = {r[0]: r[1] for r in conn.execute(f"SELECT id, key FROM entities WHERE key IN ({marks})", keys)}
    if name.strip() in found.values():
        return sorted(found)  # an exact key (the reader's entity list passes those back): nothing to guess
    from reader.entities.lexicon import key_of

    wanted = set(keys) | {key_of(k) for k in keys}

    def same(surface: str) -> bool:
        folded = fold(surface)
        return folded in wanted or key_of(folded) in wanted

    found.update((r[0], "") for r in conn.execute("SELECT id, name FROM entities") if same(r[1]))
    if not found:  # names as each article shows them: a bigger table, read only as a last resort
        found.update((r[0], "") for r in conn.execute("SELECT DISTINCT entity_id, name FROM article_entities")
                     if same(r[1]))
    return sorted(found)


def prune(conn: sqlite3.Connection) -> int:
    """Delete entities no article mentions any more."""
    return int(conn.execute("DELETE FROM entities WHERE id NOT IN (SELECT entity_id FROM article_entities)")
               .rowcount)
