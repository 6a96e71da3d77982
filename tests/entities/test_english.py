"""English (Latin script): capitalised names typed by gazetteer, title, suffix and given name; dates in the
common formats."""

from __future__ import annotations

import pytest

from reader.entities import extract
from reader.model import EntityType


def spans(text: str) -> set[tuple[str, str]]:
    return {(e.type.value, m.text) for e in extract(text, language="en") for m in e.mentions}


def test_wire_report() -> None:
    text = (
        "BAGHDAD (Reuters) - Iraqi Prime Minister Mohammed Shia al-Sudani met U.N. envoy Jeanine "
        "Hennis-Plasschaert in Baghdad on Monday, the Ministry of Foreign Affairs said."
    )
    found = spans(text)
    assert ("LOC", "BAGHDAD") in found
    assert ("ORG", "Reuters") in found
    assert ("PERSON", "Mohammed Shia al-Sudani") in found
    assert ("ORG", "U.N.") in found
    assert ("PERSON", "Jeanine Hennis-Plasschaert") in found
    assert ("LOC", "Baghdad") in found
    assert ("DATE", "Monday") in found
    assert ("ORG", "Ministry of Foreign Affairs") in found


def test_titles_are_outside_and_surnames_join_the_person() -> None:
    text = "Defense Minister Yoav Gallant spoke to Gen. Herzi Halevi. Gallant said the Army was ready."
    entities = extract(text, language="en")
    gallant = [e for e in entities if e.type == EntityType.PERSON and "Yoav Gallant" in e.surfaces]
    assert gallant and "Gallant" in gallant[0].surfaces
    assert ("PERSON", "Herzi Halevi") in spans(text)


def test_compounds_and_suffixes() -> None:
    found = spans("US-Iran talks resumed as the Shas Party and Lavan Island came up in Trump-Iran remarks.")
    assert {("LOC", "US"), ("LOC", "Iran"), ("ORG", "Shas Party"), ("LOC", "Lavan Island")} <= found
    assert ("PERSON", "Trump") in found


def test_sentence_start_words_are_not_names() -> None:
    found = spans("Bereaved families protested. Additionally, Hostilities continued.")
    assert not [m for k, m in found if k in ("PERSON", "ORG")]


@pytest.mark.parametrize(
    "date",
    [
        "May 22, 2021",
        "22 May 2021",
        "1 May 2021",
        "2021-05-06",
        "Tuesday, March 14",
        "March 2015",
        "October 7",
        "Oct. 7",
        "last week",
        "next month",
        "yesterday",
        "Saturday",
    ],
)
def test_dates(date: str) -> None:
    assert ("DATE", date) in spans(f"The talks, he said, took place {date} in Geneva.")


def test_bare_years_need_context() -> None:
    found = spans("Since 2014 the war killed 2000 people; in 1999 it began.")
    assert ("DATE", "2014") in found and ("DATE", "1999") in found
    assert ("DATE", "2000") not in found


@pytest.mark.parametrize("text", [
    "Terminals draw the Unicode Bidirectional Algorithm differently, says the report.",
    "The font lacks U+FE70 and U+FEFF, so the app sets LANG to en_US.UTF-8 first.",
    "Paste the OPML file or a URL into the box; UAX 9 describes the rules.",
    "Fans watched the World Cup final in Erbil.",
    "Type the Arabic word and press enter.",
])
def test_technical_words_codes_and_events_are_not_names(text: str) -> None:
    found = spans(text)
    assert not [s for s in found if s[0] in ("PERSON", "ORG")], found


def test_unknown_acronyms_and_full_names_are_still_found() -> None:
    found = spans("Officials from UNAMI met Hooman Khalili and Nechama Munitz; the FBI declined to comment.")
    wanted = {("ORG", "UNAMI"), ("ORG", "FBI"), ("PERSON", "Hooman Khalili"), ("PERSON", "Nechama Munitz")}
    assert wanted <= found
