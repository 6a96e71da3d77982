"""The ``Extractor`` protocol and the built-in rule-and-gazetteer extractor.

The built-in extractor decides the rules per paragraph from the script it is written in (Arabic, English;
Persian, Urdu, Kurdish and Hebrew get dates and gazetteer names), then groups the mentions of the whole text
into entities: variant spellings share a gazetteer key, and a person named in full once is the same person
when later named by one of their names.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from reader.entities import arabic, english, lexicon
from reader.entities.dates import find_dates
from reader.entities.found import Found
from reader.entities.text import fast_fold, script_language
from reader.errors import ConfigError
from reader.model import Entity, EntityType, Mention, Span


@runtime_checkable
class Extractor(Protocol):
    """Anything that finds entities in text. Spans are code-point offsets into ``text``."""

    def extract(self, text: str, *, language: str | None = None) -> list[Entity]:
        """Entities in ``text``; ``language`` is a hint (BCP 47) for text whose script is ambiguous."""
        ...


class BuiltinExtractor:
    """Rules and shipped gazetteers: offline, no model, a few MB of text per second."""

    def extract(self, text: str, *, language: str | None = None) -> list[Entity]:
        paragraphs: list[tuple[int, str, str | None]] = []
        offset = 0
        for line in text.split("\n"):
            paragraphs.append((offset, line, language))
            offset += len(line) + 1
        return self.extract_paragraphs(text, paragraphs)

    def extract_paragraphs(
        self, text: str, paragraphs: Iterable[tuple[int, str, str | None]]
    ) -> list[Entity]:
        """Entities in ``text`` given as paragraphs (offset into ``text``, paragraph text, language hint)."""
        found: list[Found] = []
        arabic_states: list[tuple[int, arabic._Paragraph]] = []
        for offset, paragraph, hint in paragraphs:
            if not paragraph.strip():
                continue
            lang = script_language(paragraph, hint)
            if lang == "ar":
                local, state = arabic.extract_paragraph(paragraph)
                arabic_states.append((offset, state))
            elif lang == "en":
                local, _ = english.extract_paragraph(paragraph)
            elif lang in ("fa", "ur", "ckb"):
                local, _ = arabic.extract_paragraph(paragraph, lang)
            elif lang == "he":
                local = [Found(s, e, EntityType.DATE, "") for s, e in find_dates(paragraph, lang)]
            else:
                local = []
            for item in local:
                item.start += offset
                item.end += offset
                found.append(item)
        aliases = _aliases(found, text)
        if aliases:
            forms = arabic.alias_forms(aliases)
            for offset, state in arabic_states:
                for item in arabic.alias_mentions(state, aliases, forms):
                    item.start += offset
                    item.end += offset
                    found.append(item)
        return group(text, found)


def _aliases(found: Sequence[Found], text: str) -> dict[str, tuple[str, str]]:
    """Folded single names -> (lookup, display) of the person named in full (two words or more)."""
    lex = lexicon.arabic()
    aliases: dict[str, tuple[str, str]] = {}
    for item in found:
        if item.type != EntityType.PERSON or item.words < 2:
            continue
        words = item.lookup.split()
        display = item.display or text[item.start : item.end]
        candidates = [words[-1]]
        if words[0] in lex.given:
            candidates.append(words[0])
        for word in candidates:
            if len(word) >= 3 and word not in lex.common and word not in ("بن", "ابن", "ابو", "عبد"):
                aliases.setdefault(word, (item.lookup, display))
    return aliases


def _key(item: Found) -> str:
    if item.group is not None:
        return item.group
    key = lexicon.key_of(item.lookup)
    for lex in (lexicon.arabic(), lexicon.english()):
        hit = lex.variants.get(key)
        if hit is not None:
            item.display = item.display or hit[1]
            return hit[0]
    return key


def group(text: str, found: Iterable[Found]) -> list[Entity]:
    """Mentions grouped into entities by (type, key), persons' single names joined to their full names."""
    items = sorted(found, key=lambda f: (f.start, -f.end))
    for item in items:
        if item.type == EntityType.DATE:
            item.lookup = fast_fold(text[item.start : item.end])
    full_names: dict[str, str] = {}
    for item in items:
        if item.type == EntityType.PERSON and item.words >= 2:
            key = _key(item)
            last = lexicon.key_of(item.lookup.split()[-1])
            full_names.setdefault(last, key)
    groups: dict[tuple[EntityType, str], list[Found]] = {}
    for item in items:
        key = _key(item)
        if item.type == EntityType.PERSON and item.words == 1:
            key = full_names.get(key, key)
        if not key:
            continue
        groups.setdefault((item.type, key), []).append(item)
    entities: list[Entity] = []
    for (kind, key), members in groups.items():
        span_kind = f"entity-{kind.value}"
        mentions = tuple(Mention(Span(m.start, m.end, span_kind), text[m.start : m.end]) for m in members)
        display = next((m.display for m in members if m.display), None)
        if display is None:
            longest = max(members, key=lambda m: (m.words, m.end - m.start))
            display = text[longest.start : longest.end]
        entities.append(Entity(kind, key, display, mentions))
    entities.sort(key=lambda e: e.mentions[0].span.start)
    return entities


def load_extractor(spec: str = "builtin") -> Extractor:
    """The extractor the ``entity_backend`` setting names: ``builtin``, or ``module:factory`` where
    ``factory()`` returns an object with an ``extract`` method (an optional heavier backend)."""
    if spec in ("", "builtin"):
        return BuiltinExtractor()
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ConfigError(f"config key 'entity_backend': expected builtin or module:factory, got {spec!r}")
    try:
        module = importlib.import_module(module_name)
        factory = getattr(module, attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"config key 'entity_backend': cannot load {spec!r}: {exc}") from None
    extractor = factory()
    if not isinstance(extractor, Extractor):
        raise ConfigError(f"config key 'entity_backend': {spec!r} did not return an Extractor")
    return extractor
