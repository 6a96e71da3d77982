"""The shipped gazetteers and cue lists, loaded once from ``reader/entities/data`` (see its LICENSE.md).

Everything is folded with ``reader.normalize.fold`` at load time, so the rules compare folded words only.
Variant spellings on one gazetteer line share one key, which is how كوردستان and كردستان, or ترمب and
دونالد ترامب, end up as one entity.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from reader.entities.text import fast_fold
from reader.model import EntityType

_ARTICLE_RE = re.compile(r"^(?:[وف]?[بكل]?ال(?=\w\w)|[وف]?لل(?=\w\w))")
_LEAD_RE = re.compile(r"^\[([^\]]+)\]\s*")
_PROCLITIC_RE = re.compile(r"^(?:[وف][بكل]?|[بكل])")
_PUNCT_RE = re.compile(r"[_\-#\"'«»“”‘’()\[\]]+")
_EN_PUNCT_RE = re.compile(r"[_#\"«»“”()\[\]]+")


def key_of(folded_name: str) -> str:
    """The grouping key of an already folded name: punctuation inside it as spaces, spaces collapsed, and
    the definite article (with any proclitic before it) or an English "the" dropped from the first word."""
    words = _PUNCT_RE.sub(" ", folded_name).split()
    if not words:
        return ""
    if words[0] == "the" and len(words) > 1:
        words = words[1:]
    first = _ARTICLE_RE.sub("", words[0])
    if len(first) >= 2:
        words[0] = first
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Entry:
    """One spelling of a gazetteer name."""

    type: EntityType
    words: tuple[str, ...]
    """The folded words of this spelling."""
    key: str
    """The group's key (the first spelling on its line)."""
    display: str
    """The group's display name."""
    lead: int = 0
    """How many leading words must be present but stay outside the span ("[قناة] الجزيرة")."""


@dataclass(slots=True)
class Lexicon:
    """Lookup tables built from the data files."""

    phrases: dict[str, list[Entry]] = field(default_factory=dict)
    """First folded word of a name -> every spelling starting with it, longest first."""
    variants: dict[str, tuple[str, str]] = field(default_factory=dict)
    """key_of(spelling) -> (group key, display name) for every gazetteer spelling."""
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    """Cue kind (TITLE, ORGHEAD, ...) -> folded single words."""
    multi_cues: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    """Cue kind -> folded multi-word cues."""
    common: frozenset[str] = frozenset()
    given: frozenset[str] = frozenset()
    nisba: frozenset[str] = frozenset()
    """Folded definite nationality adjectives, masculine and feminine (العراقي, العراقيه)."""
    nisba_country: frozenset[str] = frozenset()
    """The subset naming countries and peoples."""


def _lines(name: str) -> list[str]:
    text = resources.files("reader.entities").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _add_names(
    lex: Lexicon, name: str, default: EntityType | None, punct: re.Pattern[str] = _PUNCT_RE
) -> None:
    for line in _lines(name):
        kind = default
        if default is None:
            label, _, line = line.partition("\t")
            kind = EntityType(label)
        assert kind is not None
        spellings = [s.strip() for s in line.split("|") if s.strip()]
        display = _LEAD_RE.sub("", spellings[0])
        group = key_of(fast_fold(display))
        for spelling in spellings:
            lead_match = _LEAD_RE.match(spelling)
            lead = len(lead_match.group(1).split()) if lead_match else 0
            folded = fast_fold(spelling.replace("[", "").replace("]", ""))
            words = tuple(punct.sub(" ", folded).split())
            if not words:
                continue
            lex.variants.setdefault(key_of(" ".join(words[lead:])), (group, display))
            if lead:
                lex.variants.setdefault(key_of(" ".join(words)), (group, display))
            lex.phrases.setdefault(words[0], []).append(Entry(kind, words, group, display, lead))


@functools.cache
def arabic() -> Lexicon:
    """The Arabic-script lexicon."""
    lex = Lexicon()
    _add_names(lex, "ar_places.tsv", EntityType.LOC)
    _add_names(lex, "ar_orgs.tsv", EntityType.ORG)
    _add_names(lex, "ar_persons.tsv", EntityType.PERSON)
    for entries in lex.phrases.values():
        entries.sort(key=lambda e: -len(e.words))
    single: dict[str, set[str]] = {}
    multi: dict[str, set[tuple[str, ...]]] = {}
    for line in _lines("ar_cues.tsv"):
        kind, _, words = line.partition("\t")
        for word in words.split():
            parts = tuple(fast_fold(word).split("_"))
            if len(parts) == 1:
                single.setdefault(kind, set()).add(parts[0])
            else:
                multi.setdefault(kind, set()).add(parts)
    lex.cues = {k: frozenset(v) for k, v in single.items()}
    lex.multi_cues = {k: frozenset(v) for k, v in multi.items()}
    lex.common = frozenset(fast_fold(w) for line in _lines("ar_common.txt") for w in line.split())
    lex.given = frozenset(fast_fold(w) for line in _lines("given_ar.txt") for w in line.split())
    nisba: set[str] = set()
    country: set[str] = set()
    for line in _lines("ar_nisba.txt"):
        for word in line.split():
            stem = fast_fold(word.lstrip("*"))
            forms = {"ال" + stem, "ال" + stem + "ه"}
            nisba |= forms
            if not word.startswith("*"):
                country |= forms
    lex.nisba = frozenset(nisba)
    lex.nisba_country = frozenset(country)
    return lex


@functools.cache
def english() -> Lexicon:
    """The Latin-script lexicon: gazetteer keyed by folded (lower-case) words, cue lists."""
    lex = Lexicon()
    _add_names(lex, "en_gazetteer.tsv", None, _EN_PUNCT_RE)
    for entries in lex.phrases.values():
        entries.sort(key=lambda e: -len(e.words))
    single: dict[str, set[str]] = {}
    for line in _lines("en_cues.tsv"):
        kind, _, words = line.partition("\t")
        single.setdefault(kind, set()).update(w.replace("_", " ") for w in words.split())
    lex.cues = {k: frozenset(v) for k, v in single.items()}
    lex.common = lex.cues.get("COMMON", frozenset())
    lex.given = lex.cues.get("GIVEN", frozenset())
    return lex


def entity_key(name: str) -> str:
    """The normalised key an entity named ``name`` is stored and filtered under: ``reader.normalize.fold``,
    then proclitics with the definite article (وال, بال, لل, ...) or an English "the" dropped from the
    front, then the spelling's group key when a gazetteer knows it (كوردستان -> كردستان)."""
    key = key_of(fast_fold(name))
    candidates = [key]
    stripped = _PROCLITIC_RE.sub("", key)
    if stripped != key and len(stripped.split(" ")[0]) >= 3:
        candidates.append(stripped)
    for candidate in candidates:
        for lex in (arabic(), english()):
            hit = lex.variants.get(candidate)
            if hit is not None:
                return hit[0]
    return key
