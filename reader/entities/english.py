"""Rules and gazetteers for English (Latin-script) news text.

Names are runs of capitalised words, joined across "of", "the", "al-", "bin" and "&". A run is split where a
gazetteer name, a title (President, Gen., Mr) or a common capitalised word (The, Former, Israeli) sits, and
what is left is typed by the gazetteer, by its last word (Ministry, Party, Island, River) or, failing that,
as a person when a title or a given name introduces it or when it has two or more words.
"""

from __future__ import annotations

import re

from reader.entities import lexicon
from reader.entities.dates import find_dates
from reader.entities.found import Found
from reader.entities.text import fast_fold
from reader.model import EntityType

_TOKEN_RE = re.compile(
    r"[A-Za-z\u00c0-\u024f](?:[A-Za-z\u00c0-\u024f0-9]|[-.&'’](?=[A-Za-z\u00c0-\u024f]))*\.?"
)
_ABBREVIATIONS = frozenset(
    [
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "gen.",
        "col.",
        "lt.",
        "maj.",
        "capt.",
        "sgt.",
        "spc.",
        "cpl.",
        "pvt.",
        "adm.",
        "brig.",
        "rev.",
        "sen.",
        "rep.",
        "gov.",
        "st.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "corp.",
        "inc.",
        "ltd.",
        "co.",
        "jr.",
        "sr.",
        "lt.-gen.",
        "brig.-gen.",
        "staff-sgt.",
    ]
)
_SPEECH = frozenset(
    [
        "said",
        "says",
        "told",
        "added",
        "warned",
        "stressed",
        "claimed",
        "asserted",
        "voiced",
        "thanked",
        "confirmed",
        "denied",
        "announced",
        "wrote",
        "noted",
        "called",
        "urged",
        "recounts",
        "explained",
        "commented",
    ]
)
_CONNECTORS = frozenset(("of", "the", "al", "bin", "ibn", "de", "el", "abu"))
_NOT_ACRONYM_NAMES = frozenset((
    "AI", "AM", "API", "CEO", "CSS", "DNA", "FAQ", "GB", "GMT", "GPS", "HTML", "HTTP", "HTTPS", "ID", "JSON",
    "KB", "LANG", "MB", "OK", "OPML", "PDF", "PM", "RSS", "SMS", "TB", "TV", "UAX", "URL", "USB", "UTC",
    "UTF", "XML",
))
"""Upper-case words that are units, formats and technical terms, not organisations (the rule that takes an
unknown acronym for an organisation is right for news: FBI, UNHCR, YPG)."""
_NOT_PERSON_HEADS = frozenset((
    "Act", "Agreement", "Accord", "Algorithm", "Award", "Awards", "Championship", "Conference", "Cup",
    "Day", "Festival", "Games", "League", "Prize", "Protocol", "Standard", "Summit", "Treaty", "War",
))
"""Last words of capitalised runs that name events, laws and things, never a person (World Cup, Unicode
Bidirectional Algorithm); an unknown run is otherwise taken for a person."""
_CONNECT_GAP = re.compile(r" (?:of|of the|the|and|&|de|al|bin|ibn|bint|el|van|von|da|di|du|abu|le|la) ")


class _Token:
    __slots__ = ("end", "folded", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.folded = fast_fold(text)


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for match in _TOKEN_RE.finditer(text):
        word = match.group()
        start, end = match.span()
        if word.endswith(".") and word.lower() not in _ABBREVIATIONS and word.count(".") < 2:
            word = word[:-1]
            end -= 1
        for suffix in ("'s", "’s", "'", "’"):
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                word = word[: -len(suffix)]
                end -= len(suffix)
                break
        out.append(_Token(start, end, word))
    return out


def _capitalised(word: str) -> bool:
    if word[:1].isupper():
        return True
    return word[:3] in ("al-", "el-", "ad-", "as-") and word[3:4].isupper()


class _Paragraph:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lex = lexicon.english()
        self.tokens = _tokens(text)
        self.claimed = [False] * len(self.tokens)

    def sentence_initial(self, i: int) -> bool:
        before = self.text[: self.tokens[i].start].rstrip(" \"'“‘(")
        return not before or before[-1] in ".!?:\n–—-|"

    def gazetteer(self, i: int, j: int) -> tuple[int, lexicon.Entry] | None:
        """Longest gazetteer name starting at token ``i`` within the run ending before ``j``."""
        tokens = self.tokens
        for entry in self.lex.phrases.get(tokens[i].folded, ()):
            size = len(entry.words)
            if i + size > j:
                continue
            if all(tokens[i + k].folded == entry.words[k] for k in range(1, size)):
                if (
                    size == 1
                    and entry.words[0] in ("us", "is", "it", "who", "pa", "ap")
                    and tokens[i].text.islower()
                ):
                    continue
                if (
                    entry.words[0] in ("is", "it", "who", "pa", "ap", "kan", "un")
                    and not tokens[i].text.isupper()
                ):
                    continue
                return i + size, entry
        return None

    def runs(self) -> list[tuple[int, int]]:
        """Maximal runs of capitalised tokens, joined by single spaces or connector words."""
        runs: list[tuple[int, int]] = []
        tokens = self.tokens
        i = 0
        n = len(tokens)
        while i < n:
            if self.claimed[i] or not _capitalised(tokens[i].text):
                i += 1
                continue
            j = i + 1
            while j < n and not self.claimed[j]:
                gap = self.text[tokens[j - 1].end : tokens[j].start]
                if gap == " " and _capitalised(tokens[j].text):
                    j += 1
                    continue
                if gap in (" & ", "-") and _capitalised(tokens[j].text):
                    j += 1
                    continue
                # a connector word between two capitalised words
                if gap == " " and tokens[j].text in _CONNECTORS:
                    k = j + 1
                    while k < n and tokens[k].text == "the":
                        k += 1
                    if k < n and _capitalised(tokens[k].text):
                        j = k + 1
                        continue
                break
            runs.append((i, j))
            i = j
        return runs

    def run(self) -> list[Found]:
        results: list[Found] = []
        tokens = self.tokens
        for start, end in find_dates(self.text, "en"):
            results.append(Found(start, end, EntityType.DATE, "", priority=9))
            for k, tok in enumerate(tokens):
                if tok.end > start and tok.start < end:
                    self.claimed[k] = True
        cues = self.lex.cues
        titles = cues.get("TITLE", frozenset())
        common = self.lex.common
        events = cues.get("EVENT", frozenset())
        suffixes = cues.get("ORGSUFFIX", frozenset())
        for i, j in self.runs():
            if tokens[i].text in events:
                continue
            k = i
            person_cue = k > 0 and tokens[k - 1].text in titles
            while k < j:
                hit = self.gazetteer(k, j)
                if (
                    hit is not None
                    and hit[0] == k + 1
                    and hit[1].type != EntityType.PERSON
                    and tokens[k].text in self.lex.given
                    and k + 1 < j
                    and self.gazetteer(k + 1, j) is None
                ):
                    hit = None  # Negev Dagan: a given name that is also a place
                if hit is not None:
                    end, entry = hit
                    found_kind = entry.type
                    group: str | None = entry.key
                    display: str | None = entry.display
                    while end < j and tokens[end].text in suffixes:
                        end += 1
                        found_kind, group, display = EntityType.ORG, None, None
                    results.append(self.found(k, end, found_kind, group=group, display=display))
                    k = end
                    person_cue = False
                    continue
                word = tokens[k].text
                two = f"{word} {tokens[k + 1].text}" if k + 1 < j else ""
                if two in titles:
                    person_cue = True
                    k += 2
                    continue
                if word in titles or word.lower() in titles:
                    person_cue = True
                    k += 1
                    continue
                if word in cues.get("ORGHEAD", ()) and k + 1 < j and tokens[k + 1].text == "of":
                    results.append(self.found(k, j, EntityType.ORG))
                    k = j
                    continue
                if word in common:
                    person_cue = person_cue and word in ("Crown", "Vice", "Deputy", "Former")
                    k += 1
                    continue
                if "-" in word and self._split_compound(k, results):
                    k += 1
                    continue
                m = k + 1
                while (
                    m < j
                    and self.gazetteer(m, j) is None
                    and tokens[m].text not in titles
                    and not (tokens[m].text in common and m + 1 < j)
                ):
                    m += 1
                kind: EntityType | None = self.classify(k, m, person_cue)
                if m == k + 1 and tokens[k].text in suffixes:
                    kind = None
                if kind is not None and not person_cue and self.quoted(k, m):
                    kind = None
                if kind is not None:
                    results.append(self.found(k, m, kind))
                person_cue = False
                k = m
        results.sort(key=lambda f: f.start)
        return results

    def quoted(self, i: int, j: int) -> bool:
        """Is the run the whole of a quotation (a title such as 'Upside-Down Love')?"""
        before = self.text[max(0, self.tokens[i].start - 1) : self.tokens[i].start]
        after = self.text[self.tokens[j - 1].end : self.tokens[j - 1].end + 1]
        return bool(before) and before in "'\"‘“" and bool(after) and after in "'\"’”"

    def _split_compound(self, k: int, results: list[Found]) -> bool:
        """US-Iran, Trump-Iran, Iran-backed: the parts a gazetteer knows are mentions of their own."""
        token = self.tokens[k]
        parts = token.text.split("-")
        if len(parts) < 2 or (
            all(p[:1].isupper() for p in parts) and fast_fold(token.text) in self.lex.phrases
        ):
            return False
        offset = token.start
        hits: list[Found] = []
        for part in parts:
            entries = self.lex.phrases.get(fast_fold(part), ())
            entry = next((e for e in entries if len(e.words) == 1), None)
            if entry is not None and part[:1].isupper():
                lookup = fast_fold(part)
                hits.append(Found(offset, offset + len(part), entry.type, lookup, entry.key, entry.display))
            offset += len(part) + 1
        results.extend(hits)
        # a compound with a lower-case part (Saudi-led, Iran-backed) is an adjective, never a name itself
        return bool(hits) or any(p[:1].islower() for p in parts)

    def classify(self, i: int, j: int, person_cue: bool) -> EntityType | None:
        tokens = self.tokens[i:j]
        cues = self.lex.cues
        last = tokens[-1].text
        first = tokens[0].text
        if last in cues.get("ORGSUFFIX", ()) or (first in cues.get("ORGHEAD", ()) and len(tokens) > 1):
            return EntityType.ORG
        if last in cues.get("LOCSUFFIX", ()) and len(tokens) > 1:
            return EntityType.LOC
        if first in cues.get("LOCHEAD", ()) and len(tokens) > 1:
            return EntityType.LOC
        if person_cue:
            return EntityType.PERSON
        if any(ch.isdigit() for t in tokens for ch in t.text):
            return None  # FE70, US.UTF-8, B52: codes, not names
        if len(tokens) == 1:
            word = tokens[0].text
            if len(word) < 2 or "." in word:
                return None  # U+FE70's U, US.UTF-8: letters and codes
            if len(word) >= 2 and word.isupper() and word.isalpha():
                hexadecimal = len(word) >= 4 and all(ch in "ABCDEF" for ch in word)
                return None if word in _NOT_ACRONYM_NAMES or hexadecimal else EntityType.ORG
            following = self.text[self.tokens[j - 1].end : self.tokens[j - 1].end + 20].split()
            speech = bool(following) and following[0].strip(",.") in _SPEECH
            if self.sentence_initial(i) and not speech:
                return None
            if word.lower() == word:
                return None
            return EntityType.PERSON
        if last in _NOT_PERSON_HEADS or any(t.text in _NOT_ACRONYM_NAMES for t in tokens):
            return None
        if self.sentence_initial(i) and any(t.text in ("the", "of") for t in tokens) \
                and first not in self.lex.given:
            return None  # "Type the Arabic ...": an imperative, not a name
        return EntityType.PERSON

    def found(
        self, i: int, j: int, kind: EntityType, *, group: str | None = None, display: str | None = None
    ) -> Found:
        for k in range(i, j):
            self.claimed[k] = True
        lookup = " ".join(t.folded for t in self.tokens[i:j])
        return Found(self.tokens[i].start, self.tokens[j - 1].end, kind, lookup, group, display, j - i, 1)


def extract_paragraph(text: str) -> tuple[list[Found], _Paragraph]:
    """Mentions in one English paragraph, with the paragraph's state for the alias pass."""
    paragraph = _Paragraph(text)
    return paragraph.run(), paragraph


def alias_mentions(paragraph: _Paragraph, aliases: dict[str, tuple[str, str]]) -> list[Found]:
    """Re-type single capitalised words that are a known person's surname (Barak after Ehud Barak)."""
    return []
