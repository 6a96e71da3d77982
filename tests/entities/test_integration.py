"""The article seam (spans in body-text coordinates across blocks), the backend loader, the command and
the archive passes against a real SQLite store."""

from __future__ import annotations

import io
import json
import sys
import types
from pathlib import Path

import pytest

from reader.entities import (
    BuiltinExtractor,
    annotate_articles,
    backfill,
    entity_key,
    extract_article,
    load_extractor,
)
from reader.errors import ConfigError
from reader.model import Article, Block, BlockKind, Entity, EntityType, Mention, Span

SEED = Path("/work/shared/seed/zagros-arabic-erbil-2021-05-22.txt")


def _article(blocks: list[str], *, article_id: str = "a1", langs: list[str | None] | None = None) -> Article:
    langs = langs or [None] * len(blocks)
    return Article(
        id=article_id,
        feed_id=None,
        guid=article_id,
        title="t",
        blocks=tuple(Block(BlockKind.PARAGRAPH, b, lang=lang) for b, lang in zip(blocks, langs, strict=True)),
    )


def test_extract_article_spans_are_body_text_offsets() -> None:
    article = _article(["عنوان", "زار الوفد بكركوك يوم الأحد", "The envoy met Erbil officials on Monday."])
    body = article.body_text
    entities = extract_article(article)
    found = {(e.type, m.text) for e in entities for m in e.mentions}
    assert (EntityType.LOC, "كركوك") in found and (EntityType.LOC, "Erbil") in found
    for entity in entities:
        for mention in entity.mentions:
            assert body[mention.span.start : mention.span.end] == mention.text
    kirkuk = next(e for e in entities if "كركوك" in e.surfaces)
    assert kirkuk.mentions[0].span.start == body.index("بكركوك") + 1


def test_load_extractor() -> None:
    assert isinstance(load_extractor("builtin"), BuiltinExtractor)
    module = types.ModuleType("khabar_test_backend")

    class Upper:
        def extract(self, text: str, *, language: str | None = None) -> list[Entity]:
            return [Entity(EntityType.MISC, "x", "x", (Mention(Span(0, 1), text[:1]),))] if text else []

    module.make = Upper  # type: ignore[attr-defined]
    sys.modules["khabar_test_backend"] = module
    try:
        backend = load_extractor("khabar_test_backend:make")
        assert extract_article(_article(["abc"]), extractor=backend)[0].type == EntityType.MISC
        with pytest.raises(ConfigError):
            load_extractor("khabar_test_backend:missing")
        with pytest.raises(ConfigError):
            load_extractor("no_such_module_here:make")
        with pytest.raises(ConfigError):
            load_extractor("nonsense")
    finally:
        del sys.modules["khabar_test_backend"]


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store_mod = pytest.importorskip("reader.store")
    with store_mod.Store.open(tmp_path / "khabar.db") as opened:
        yield opened


def test_backfill_and_annotate_on_a_real_archive(store) -> None:  # type: ignore[no-untyped-def]
    arabic = _article(["قصف الطيران مواقع في الموصل وبغداد يوم الجمعة"], article_id="ar1")
    english = _article(["Kurdistan Region officials met in Erbil on Saturday."], article_id="en1")
    empty = _article(["..."], article_id="none")
    result = store.import_articles([arabic, english, empty])
    ids = [*result.new, *result.updated]
    assert len(ids) == 3
    assert backfill(store) == 3
    assert store.articles_without_entities(10) == []
    assert backfill(store) == 0
    stored = store.get_article(next(i for i in ids if store.get_article(i).guid == "ar1"))
    keys = {e.key for e in stored.entities}
    assert entity_key("الموصل") in keys and entity_key("بغداد") in keys
    body = stored.body_text
    assert all(body[m.span.start : m.span.end] == m.text for e in stored.entities for m in e.mentions)
    assert annotate_articles(store, [*ids, "missing-id"]) == 3


def test_command_on_a_file(tmp_path: Path) -> None:
    from reader.commands import Context
    from reader.commands import entities as command
    from reader.config import Settings, default_paths

    source = tmp_path / "seed.txt"
    source.write_text(
        "ناقشت رئاسة إقليم كوردستان في أربيل، اليوم السبت (22 أيار 2021)، الوضع في كركوك", encoding="utf-8"
    )
    out = io.StringIO()
    ctx = Context(paths=default_paths(tmp_path), settings=Settings(), stdout=out, stderr=io.StringIO())
    parser = __import__("argparse").ArgumentParser()
    command.add_arguments(parser)
    assert command.run(parser.parse_args([str(source), "--json"]), ctx) == 0
    data = json.loads(out.getvalue())
    text = source.read_text(encoding="utf-8")
    assert {"type": "DATE", "text": "22 أيار 2021"}.items() <= {
        "type": "DATE",
        "text": "22 أيار 2021",
    }.items()
    names = {(d["type"], m["text"]) for d in data for m in d["mentions"]}
    assert ("LOC", "أربيل") in names and ("DATE", "22 أيار 2021") in names
    for entity in data:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    out.truncate(0)
    out.seek(0)
    assert command.run(parser.parse_args([str(source)]), ctx) == 0
    assert "LOC" in out.getvalue() and "DATE" in out.getvalue()
