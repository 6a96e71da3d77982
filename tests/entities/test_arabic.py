"""Arabic as news writes it: proclitics, the article after ل, titles, heads, month names of every region,
Arabic-Indic digits, variant spellings and a person named again by one name."""

from __future__ import annotations

import pytest

from reader.entities import entity_key, extract
from reader.model import Entity, EntityType


def spans(text: str) -> set[tuple[str, str]]:
    return {(e.type.value, m.text) for e in extract(text, language="ar") for m in e.mentions}


def only(text: str, kind: EntityType) -> list[str]:
    return [m.text for e in extract(text, language="ar") if e.type == kind for m in e.mentions]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("وصل الوفد إلى بكركوك صباحا", "كركوك"),
        ("وبالموصل جرت الاشتباكات", "الموصل"),
        ("قدمت الحكومة الدعم للموصل أمس", "لموصل"),
        ("وكذلك فالعراق يواجه أزمة", "العراق"),
        ("عاد الرئيس ولبنان في أزمة", "لبنان"),
        ("كطهران تماما", "طهران"),
    ],
)
def test_proclitics_stay_outside_the_span(text: str, surface: str) -> None:
    assert ("LOC", surface) in spans(text)


def test_al_after_li_keeps_the_same_key() -> None:
    entities = extract("زار الوفد الموصل ثم عاد وقدم الدعم للموصل", language="ar")
    mosul = [e for e in entities if e.type == EntityType.LOC]
    assert len(mosul) == 1
    assert mosul[0].surfaces == ("الموصل", "لموصل")
    assert mosul[0].key == entity_key("الموصل") == entity_key("للموصل") == entity_key("بالموصل")


def test_titles_are_outside_person_names() -> None:
    text = "وقال وزير الدفاع الإسرائيلي، أفيغدور ليبرمان، إن اللواء محمد الحقي والعقيد الشايف وصلا"
    people = only(text, EntityType.PERSON)
    assert "أفيغدور ليبرمان" in people
    assert "محمد الحقي" in people
    assert "الشايف" in people


def test_person_named_in_full_then_by_one_name() -> None:
    text = "التقى اللواء عاصم الدباغ بالوفد.\nوأوضح الدباغ أن العمل مستمر، وقال الدباغ إن الوضع مستقر."
    people = [e for e in extract(text, language="ar") if e.type == EntityType.PERSON]
    assert len(people) == 1
    assert people[0].name == "عاصم الدباغ"
    assert len(people[0].mentions) == 3


def test_heads_introduce_places_and_organisations() -> None:
    text = (
        "هاجم مسلحون قرية الحميدية في ناحية السعدية، وأعلنت وزارة الخارجية العراقية وقوات الأمن العراقية ذلك"
    )
    found = spans(text)
    assert ("LOC", "الحميدية") in found
    assert ("LOC", "السعدية") in found
    assert ("ORG", "وزارة الخارجية العراقية") in found
    assert ("ORG", "قوات الأمن العراقية") in found


def test_descriptor_heads_stay_outside() -> None:
    found = spans('أعلن تنظيم داعش وقوات البيشمركة وحزب "التقدم الجديد" ذلك')
    assert ("ORG", "داعش") in found
    assert ("ORG", "البيشمركة") in found
    assert ("ORG", "التقدم الجديد") in found


@pytest.mark.parametrize(
    "date",
    [
        "22 أيار 2021",
        "22 مايو 2021",
        "22 ماي 2021",
        "22 جانفي 2021",
        "3 جويلية 2019",
        "الأحد 5 حزيران 2022",
        "يوليو/ تموز 2016",
        "17 أيار/مايو 2017",
        "15 رمضان 1442",
        "١٢ أيلول ٢٠٢٠",
        "12 من آذار الجاري",
        "تشرين الثاني/نوفمبر",
        "عام 2005",
        "الأسبوع الماضي",
        "شهر مارس",
    ],
)
def test_month_names_of_every_region(date: str) -> None:
    assert ("DATE", date) in spans(f"وقع ذلك في {date} بحسب البيان")


def test_ambiguous_month_words_need_a_number() -> None:
    assert not only("مارس الضغط على الحكومة ثم صفر العداد", EntityType.DATE)
    assert not only("التقى الرئيس رجب طيب أردوغان", EntityType.DATE)


def test_arabic_indic_digits_fold_into_the_key() -> None:
    a = next(e for e in extract("في ٢٢ أيار ٢٠٢١", language="ar") if e.type == EntityType.DATE)
    b = next(e for e in extract("في 22 أيار 2021", language="ar") if e.type == EntityType.DATE)
    assert a.key == b.key


def test_variant_spellings_group() -> None:
    entities = extract("زار الوفد إقليم كوردستان ثم أربيل عاصمة كردستان واربيل", language="ar")
    locs = {e.key: e for e in entities if e.type == EntityType.LOC}
    assert len(locs) == 2
    kurdistan = locs[entity_key("كردستان")]
    assert set(kurdistan.surfaces) == {"كوردستان", "كردستان"}
    assert set(locs[entity_key("أربيل")].surfaces) == {"أربيل", "اربيل"}


def test_ala_is_not_ali() -> None:
    """على folds to علي, a given name; it is a preposition and never a person."""
    assert only("التقى خالد علي بالوفد ثم عاد على الفور وركز على الأمن", EntityType.PERSON) != []
    assert "على" not in only("التقى خالد علي بالوفد ثم عاد على الفور وركز على الأمن", EntityType.PERSON)


def test_adjective_saudi_is_not_a_place() -> None:
    found = spans("قالت السلطات السعودية إن السعودية ستدعم القنصلية السعودية")
    assert [m for k, m in found if k == "LOC"] == ["السعودية"]
    assert (
        len(
            [
                1
                for e in extract("قالت السلطات السعودية إن السعودية ستدعم", language="ar")
                for m in e.mentions
                if e.type == EntityType.LOC
            ]
        )
        == 1
    )


def test_entity_key() -> None:
    assert entity_key("الموصل") == entity_key("موصل") == entity_key("بالموصل") == entity_key("وللموصل")
    assert entity_key("أربيل") == entity_key("اربيل") == entity_key("بأربيل")
    assert entity_key("ترامب") == entity_key("دونالد ترمب")
    assert entity_key("الإمارات") == entity_key("الإمارات العربية المتحدة")
    assert entity_key("The New York Times") == entity_key("new york times")
    assert entity_key("") == ""


def _names(entities: list[Entity]) -> set[str]:
    return {e.name for e in entities}
