"""The bundled seed article yields at least the entities issue 6 lists, with clitic-prefixed mentions found
and grouped under the same entity."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.entities import entity_key, extract
from reader.model import Entity, EntityType

SEED = Path(__file__).resolve().parents[2] / "sample_feeds"
SHARED = Path("/work/shared/seed/zagros-arabic-erbil-2021-05-22.txt")


def _seed_text() -> str:
    if SHARED.exists():
        return SHARED.read_text(encoding="utf-8").strip()
    gold = Path(__file__).resolve().parent.parent / "data" / "entities" / "dev"
    import json

    return str(json.loads((gold / "zagros-arabic-erbil-2021-05-22.json").read_text(encoding="utf-8"))["text"])


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[Entity]]:
    text = _seed_text()
    return text, extract(text, language="ar")


EXPECTED = {
    EntityType.PERSON: ["جعفر الشيخ مصطفى", "قهرمان كمال"],
    EntityType.LOC: [
        "أربيل",
        "كركوك",
        "خانقين",
        "جلولاء",
        "ديالى",
        "مخمور",
        "الموصل",
        "بغداد",
        "العراق",
        "سوريا",
    ],
    EntityType.ORG: [
        "التحالف الدولي",
        "داعش",
        "البيشمركة",
        "الحشد الشعبي",
        "الجيش العراقي",
        "وزارة البيشمركة",
    ],
    EntityType.DATE: ["22 أيار 2021"],
}


@pytest.mark.parametrize(("kind", "name"), [(k, n) for k, names in EXPECTED.items() for n in names])
def test_expected_entity(seed: tuple[str, list[Entity]], kind: EntityType, name: str) -> None:
    _, entities = seed
    found = [e for e in entities if e.type == kind and name in e.surfaces]
    assert found, f"{kind.value} {name} not found"
    assert found[0].key == entity_key(name)


def _entity_with(entities: list[Entity], kind: EntityType, surface: str) -> Entity:
    return next(e for e in entities if e.type == kind and surface in e.surfaces)


def test_clitic_mentions_are_found_and_grouped(seed: tuple[str, list[Entity]]) -> None:
    text, entities = seed
    kirkuk = _entity_with(entities, EntityType.LOC, "كركوك")
    at = text.index("بكركوك") + 1
    assert any(m.span.start == at and m.text == "كركوك" for m in kirkuk.mentions), "بكركوك -> كركوك"
    peshmerga = _entity_with(entities, EntityType.ORG, "البيشمركة")
    at = text.index("والبيشمركة") + 1
    assert any(m.span.start == at for m in peshmerga.mentions), "والبيشمركة -> البيشمركة"
    assert len(peshmerga.mentions) >= 8
    assert all(text[m.span.start : m.span.end] == m.text for e in entities for m in e.mentions)


def test_kurdistan_variants_and_second_mention_of_kamal(seed: tuple[str, list[Entity]]) -> None:
    _, entities = seed
    kamal = _entity_with(entities, EntityType.PERSON, "قهرمان كمال")
    assert "كمال" in kamal.surfaces, "وأوضح كمال is the same person"
    assert entity_key("كوردستان") == entity_key("كردستان") == entity_key("إقليم كوردستان")
