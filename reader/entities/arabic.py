"""Rules and gazetteers for Arabic news text.

Arabic has no capital letters, so names are found three ways: gazetteers of places, organisations and
people (matched after stripping the proclitics و ف ب ل ك and their combinations, with لل restored to ال),
cue words that introduce a name (a title before a person, a head such as وزارة or محافظة before an
organisation or a place), and given names that start a person's name. Frequent news words
(``data/ar_common.txt``) are never taken as names. Spans follow the gold-set guidelines: titles and
place-class heads outside, the definite article inside, proclitics outside.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable

from reader.entities import lexicon
from reader.entities.dates import find_dates
from reader.entities.found import Found
from reader.entities.text import Tokens, folded_prefix_to_chars, tokenize_columns
from reader.model import EntityType

_FUNCTION = frozenset(
    [
        "في",
        "من",
        "على",
        "الي",
        "الى",
        "عن",
        "مع",
        "ان",
        "انه",
        "انها",
        "ال",
        "لا",
        "لم",
        "لن",
        "قد",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "الذي",
        "التي",
        "الذين",
        "اللذين",
        "و",
        "او",
        "ام",
        "ثم",
        "بل",
        "كما",
        "لكن",
        "حتى",
        "اذا",
        "اذ",
        "لو",
        "بعد",
        "قبل",
        "خلال",
        "منذ",
        "بين",
        "عند",
        "لدي",
        "لدى",
        "حول",
        "ضد",
        "نحو",
        "دون",
        "غير",
        "عبر",
        "وفق",
        "وفقا",
        "حسب",
        "بحسب",
        "تحت",
        "فوق",
        "امام",
        "وراء",
        "هو",
        "هي",
        "هم",
        "هن",
        "نحن",
        "انا",
        "انت",
        "كان",
        "كانت",
        "يكون",
        "تكون",
        "ما",
        "ماذا",
        "لماذا",
        "كيف",
        "اين",
        "متي",
        "هل",
        "كل",
        "بعض",
        "اي",
        "ايضا",
        "فقط",
        "قال",
        "قالت",
        "وقال",
        "وقالت",
        "اكد",
        "اكدت",
        "واكد",
        "اعلن",
        "اعلنت",
        "واعلن",
        "اضاف",
        "واضاف",
        "مع",
        "يوم",
        "اليوم",
        "امس",
        "غدا",
    ]
)
_FUNCTION_RAW = frozenset(("على", "إلى", "الى", "حتى", "متى", "لدى", "سوى", "أنى", "مدى", "ذا"))
"""Words whose folded form is a name (على folds to علي): judged on the letters as written."""
_MORE_FUNCTION = frozenset(
    [
        "بان",
        "لان",
        "فان",
        "وان",
        "كان",
        "بانه",
        "لانه",
        "فانه",
        "وانه",
        "بانها",
        "لانها",
        "انذاك",
        "حيث",
        "بينما",
        "عندما",
        "بعدما",
        "قبلما",
        "كلما",
        "ريثما",
        "لدي",
        "اثر",
        "جراء",
        "بسبب",
        "ازاء",
        "تجاه",
        "عبر",
        "منذ",
        "مثل",
        "غير",
        "سوي",
        "شمال",
        "جنوب",
        "شرق",
        "غرب",
        "وسط",
        "شمالي",
        "جنوبي",
        "شرقي",
        "غربي",
    ]
)
_NOT_NAME_CUES = ("TITLE", "ORGHEAD", "ORGDESC", "LOCHEAD", "GEOHEAD", "DEFHEAD")
_VAGUE = frozenset(["الاقليم", "البلاد", "المنطقه", "المدينه", "الدوله", "الحكومه"])
_BARE_NAME_HEADS = frozenset(["حزب", "حركه", "صحيفه", "شركه", "قناه", "موقع", "وكاله", "مجله", "تنظيم"])
_CLITIC_ARTICLE = re.compile(r"^(?:[وف]?[بكل]ال|[وف]?لل|[وف]ال)")
_QUOTES = "\"'«»“”‘’"
_SUFFIX_RE = re.compile(r"(?:هم|هما|كم|نا|ها)$")
_COMMA_GAP = re.compile(r"\s*[،,]\s*")
_QUOTE_GAP = re.compile(r"\s*[\"'«»“”‘’]\s*")


@functools.lru_cache(maxsize=65536)
def variants(word: str) -> tuple[tuple[int, str], ...]:
    """Ways to read a folded word: itself, and without its proclitics (و ف, then ب ل ك), each with how many
    folded characters the span skips. After ل a word beginning with ل may have lost the article's alef
    (للموصل = ل + الموصل): both readings are offered."""
    return _variants(word)


def _variants(word: str) -> tuple[tuple[int, str], ...]:
    """``variants`` without its cache, for ``_analyse``, whose results are memoised already."""
    out = [(0, word)]
    i = 0
    if len(word) > 3 and word[0] in "وف":
        i = 1
        out.append((1, word[1:]))
    if len(word) - i >= 3 and word[i] in "بلك":
        rest = word[i + 1 :]
        if word[i] == "ل" and rest.startswith("ل"):
            out.append((i + 1, "ا" + rest))
        out.append((i + 1, rest))
    return tuple(out)


_Analysis = tuple[dict[str, int], tuple[tuple[int, str], ...]]
_CACHE_LIMIT = 1 << 16
_NOTHING: _Analysis = ({}, ())
"""The analysis of most words (no cue, no gazetteer name), shared by them all: never modified."""


class _Analyses(dict[str, _Analysis]):
    """Folded word -> ``_analyse(word)``, filled as words are first seen (up to a limit)."""

    def __missing__(self, word: str) -> _Analysis:
        value = _analyse(word)
        if len(self) < _CACHE_LIMIT:
            self[word] = value
        return value


class _Readings(dict[str, tuple[tuple[int, str], ...]]):
    """Folded word -> the readings under which a gazetteer name starts with it (often none)."""

    def __missing__(self, word: str) -> tuple[tuple[int, str], ...]:
        value = _ANALYSES[word][1]
        if len(self) < _CACHE_LIMIT:
            self[word] = value
        return value


_ANALYSES = _Analyses()
_READINGS = _Readings()


def analyse(word: str) -> _Analysis:
    """What a folded word can be, computed once per distinct word: the cue kinds it is (with the proclitic
    length to skip) and the readings under which a gazetteer name starts with it."""
    return _ANALYSES[word]


def _analyse(word: str) -> _Analysis:
    lex = lexicon.arabic()
    kinds: dict[str, int] = {}
    names: list[tuple[int, str]] = []
    index = _cue_index()
    for skip, stem in _variants(word):
        for kind in index.get(stem, ()):
            kinds.setdefault(kind, skip)
        if stem in lex.phrases:
            names.append((skip, stem))
        if stem in ("ابو", "ابي") or (stem in _FORCES and skip == 0):
            kinds.setdefault("TRIGGER", skip)
    if word in lex.given or (word[:1] == "و" and word[1:] in lex.given):
        kinds.setdefault("TRIGGER", 0)
    if not kinds and not names:
        return _NOTHING
    return kinds, tuple(names)


@functools.cache
def _cue_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for kind, words in lexicon.arabic().cues.items():
        for word in words:
            index.setdefault(word, []).append(kind)
    return {word: tuple(kinds) for word, kinds in index.items()}


_FORCES = frozenset(("قوات", "قوي", "وقوات", "لقوات", "بقوات", "وقوي"))


class _Paragraph:
    """The working state of the rules over one paragraph."""

    def __init__(self, text: str, *, language: str = "ar") -> None:
        self.text = text
        self.language = language
        """``ar`` runs every rule; for Persian, Urdu and Kurdish only dates and gazetteer names."""
        self.lex = lexicon.arabic()
        self.tokens: Tokens = tokenize_columns(text)
        self.n = len(self.tokens)
        self.starts = self.tokens.starts
        self.ends = self.tokens.ends
        self.texts = self.tokens.texts
        self.folded = self.tokens.folded
        """The folded words; ``_given`` briefly replaces one to judge a name without its و."""
        self.joins = self.tokens.joined
        self.claimed = [False] * self.n
        self.gazetteer_at: dict[int, int] = {}
        """Token index -> end token index of the longest gazetteer match starting there."""
        self._gazetteer: dict[int, Found] = {}

    # -- word classes -------------------------------------------------------------------------------
    def cue(self, i: int, kind: str) -> int | None:
        """The folded prefix length to skip if token ``i`` (possibly with proclitics) is a ``kind`` cue."""
        return _ANALYSES[self.folded[i]][0].get(kind)

    def namelike(self, i: int) -> bool:
        """Could token ``i`` be (part of) a name? Frequent words, function words, adjectives of nationality,
        cue words, numbers and words already taken are not."""
        if i >= self.n or self.claimed[i]:
            return False
        word = self.folded[i]
        lex = self.lex
        if self.texts[i] in _FUNCTION_RAW or word in _MORE_FUNCTION:
            return False
        if len(word) < 2 or word.isdigit() or word in _FUNCTION or word in lex.common or word in lex.nisba:
            return False
        if word in lex.given:
            return True
        if _CLITIC_ARTICLE.match(word) or (word.endswith("يه") and not word.startswith("ال")):
            return False
        for _skip, stem in variants(word)[1:]:
            if (
                stem in lex.common
                or stem in _FUNCTION
                or any(stem in lex.cues.get(k, ()) for k in _NOT_NAME_CUES)
            ):
                return False
        for kind in (
            "TITLE",
            "ORGHEAD",
            "ORGDESC",
            "LOCHEAD",
            "GEOHEAD",
            "DEFHEAD",
            "ADJ",
            "ADJ2",
            "COMPLEMENT",
        ):
            if word in lex.cues.get(kind, ()):
                return False
        if i in self.gazetteer_at and self.gazetteer_type(i) != EntityType.PERSON:
            return False
        return not (len(word) > 4 and _SUFFIX_RE.search(word) and not word.startswith("ال"))

    def gazetteer_type(self, i: int) -> EntityType | None:
        hit = self._gazetteer.get(i)
        return hit.type if hit else None

    def joined(self, i: int) -> bool:
        return i < self.n and self.joins[i]

    def gap(self, i: int) -> str:
        """The text between token ``i - 1`` and token ``i``."""
        return self.text[self.ends[i - 1] : self.starts[i]]

    def definite(self, i: int) -> bool:
        word = self.folded[i]
        return word.startswith("ال") or word.startswith("لل") or word.startswith("وال")

    # -- building candidates ------------------------------------------------------------------------
    def found(
        self,
        i: int,
        j: int,
        kind: EntityType,
        skip: int = 0,
        *,
        priority: int = 0,
        group: str | None = None,
        display: str | None = None,
        lookup: str | None = None,
    ) -> Found:
        start = self.starts[i] + (folded_prefix_to_chars(self.texts[i], skip) if skip else 0)
        end = self.ends[j - 1]
        if lookup is None:
            first = self.folded[i]
            head = first[skip:]
            if skip and first[skip - 1 : skip + 1] == "لل":
                head = "ا" + head
            lookup = " ".join([head, *self.folded[i + 1 : j]])
        return Found(start, end, kind, lookup, group, display, j - i, priority)

    def run(self) -> list[Found]:
        n = self.n
        folded = self.folded
        joins = self.joins
        claimed = self.claimed
        results: list[Found] = []
        for start, end in find_dates(self.text, self.language, self.tokens):
            results.append(Found(start, end, EntityType.DATE, "", words=1, priority=9))
            # the tokens overlapping [start, end): offsets are increasing
            for k in range(bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end)):
                claimed[k] = True
        candidates: list[tuple[int, int, Found]] = []
        readings = list(map(_READINGS.__getitem__, folded))
        for i in itertools.compress(range(n), readings):
            if claimed[i]:
                continue
            best: tuple[int, Found] | None = None
            for skip, word in readings[i]:
                for entry in self.lex.phrases.get(word, ()):
                    size = len(entry.words)
                    if best is not None and size <= best[0] - i:
                        break
                    j = i + size
                    if j > n or any(
                        claimed[k] or not joins[k] or folded[k] != entry.words[k - i] for k in range(i + 1, j)
                    ):
                        continue
                    if size == 1 and entry.type == EntityType.LOC and word in self.lex.nisba and i > 0:
                        before = folded[i - 1]
                        if joins[i] and before.startswith("ال") and before not in _FUNCTION:
                            continue
                    hit = self.found(
                        i + entry.lead,
                        j,
                        entry.type,
                        0 if entry.lead else skip,
                        priority=3,
                        group=entry.key,
                        display=entry.display,
                        lookup=" ".join((word, *entry.words[1:])),
                    )
                    best = (j, hit)
                    break
            if best is not None:
                self._gazetteer[i] = best[1]
                self.gazetteer_at[i] = best[0]
                candidates.append((i, best[0], best[1]))
        # each rule starts at a word of its cue kind (_PLANS); أم, which folds to the common ام, may start a
        # name too
        plans = list(map(_PLANS.__getitem__, folded)) if self.language == "ar" else []
        if plans and "أم" in self.texts:
            for k, text in enumerate(self.texts):
                if text == "أم":
                    plans[k] = tuple(r for r in _RULES if r in plans[k] or r is _Paragraph._given)
        for i in itertools.compress(range(n), plans):
            if claimed[i]:
                continue
            for rule in plans[i]:
                candidate = rule(self, i)
                if candidate is not None:
                    candidates.append(candidate)
        candidates.sort(key=lambda c: (-(c[1] - c[0]), -c[2].priority, c[0]))
        for i, j, chosen in candidates:
            if any(self.claimed[i:j]):
                continue
            for k in range(i, j):
                self.claimed[k] = True
            results.append(chosen)
        results.sort(key=lambda f: f.start)
        return results

    # -- the rules ----------------------------------------------------------------------------------
    def _name_from(self, j: int, limit: int = 4) -> int:
        """End index of a person's name starting at token ``j`` (``j`` if there is none). Past the second
        word a name goes on only with a given name, a family name with the article or a link (بن, أبو)."""
        k = j
        n = self.n
        lex = self.lex
        links = lex.cues.get("NAMELINK", frozenset())
        while k < n and k - j < limit:
            if k > j and not self.joined(k):
                break
            word = self.folded[k]
            if (word in links or word in ("عبد", "ابو", "ابي", "ام")) and self.texts[k] not in _FUNCTION_RAW:
                nxt = k + 1
                if (
                    nxt < n
                    and self.joined(nxt)
                    and not self.claimed[nxt]
                    and not self.claimed[k]
                    and self.texts[nxt] not in _FUNCTION_RAW
                ):
                    k += 2
                    continue
            if (
                k > j
                and word.startswith("ال")
                and word in lex.cues.get("TITLE", ())
                and k + 1 < n
                and self.joined(k + 1)
                and self.folded[k + 1] in lex.given
            ):
                k += 2
                continue
            if not self.namelike(k):
                break
            if k > j and word not in lex.given:
                if word[0] == "و" or word.endswith("ه"):
                    break
                if k - j >= 2 and not word.startswith("ال"):
                    break
                if k - j == 1 and word[0] in "يت" and len(word) <= 5:
                    break
            k += 1
        return k

    def _title(self, i: int) -> tuple[int, int, Found] | None:
        skip = self.cue(i, "TITLE")
        if skip is None:
            return None
        n = self.n
        j = i + 1
        complement = 0
        lex = self.lex
        while j < n and complement < 6 and self.joined(j):
            word = self.folded[j]
            end = self.gazetteer_at.get(j)
            if end is not None and self.gazetteer_type(j) != EntityType.PERSON:
                j = end
            elif word not in lex.given and (
                word in lex.nisba
                or word in lex.cues.get("COMPLEMENT", ())
                or word in lex.cues.get("ADJ", ())
                or word in lex.cues.get("TITLE", ())
                or (
                    word in lex.common and (complement == 0 or word.startswith("ال") or word.startswith("لل"))
                )
            ):
                j += 1
            else:
                break
            complement += 1
        if j < n and not self.joined(j) and _COMMA_GAP.fullmatch(self.gap(j)):
            pass
        elif j < n and not self.joined(j):
            return None
        k = self._name_from(j)
        if k == j:
            return None
        last = self.folded[j]
        if (
            k == j + 1
            and j > i + 1
            and last.startswith("ال")
            and last.endswith("ي")
            and self.folded[j - 1] in self.lex.nisba
        ):
            return None
        return j, k, self.found(j, k, EntityType.PERSON, priority=1)

    def _given(self, i: int) -> tuple[int, int, Found] | None:
        text = self.texts[i]
        if text in _FUNCTION_RAW:
            return None
        for skip, word in variants(self.folded[i]):
            if word in ("ابو", "ابي") or (skip == 0 and text == "أم"):
                if i + 1 < self.n and self.joined(i + 1):
                    k = self._name_from(i + 1, limit=2)
                    if k > i + 1:
                        return i, k, self.found(i, k, EntityType.PERSON, skip, priority=1)
                return None
        word = self.folded[i]
        if word in self.lex.given:
            skip = 0
        elif word[:1] == "و" and word[1:] in self.lex.given:
            skip = 1
        else:
            return None
        if skip:
            # the chain test reads the folded word, so judge the name without its و
            self.folded[i] = word[1:]
            k = self._name_from(i, limit=4)
            self.folded[i] = word
        else:
            k = self._name_from(i, limit=4)
        if k <= i + 1 or not self.joined(i + 1):
            return None
        return i, k, self.found(i, k, EntityType.PERSON, skip, priority=1)

    def _org_head(self, i: int) -> tuple[int, int, Found] | None:
        skip = self.cue(i, "ORGHEAD")
        if skip is None or i in self.gazetteer_at:
            return None
        lex = self.lex
        n = self.n
        head = self.folded[i][skip:]
        j = i + 1
        if j >= n or not self.joined(j) or self.claimed[j]:
            return None
        if head.startswith("ال") or head.startswith("لل"):
            word = self.folded[j]
            if not (word in lex.nisba or word in lex.cues.get("ADJ2", ()) or word.startswith("لل")):
                return None
        else:
            if not self.definite(j):
                end = self.gazetteer_at.get(j + 1) if j + 1 < n and self.joined(j + 1) else None
                if self.gazetteer_type(j) == EntityType.LOC:
                    j = self.gazetteer_at[j]
                elif end is not None and self.folded[j] in lex.common:
                    j = end
                else:
                    return None
            elif self.folded[j] in _FUNCTION:
                return None
        if j == i + 1:
            end = self.gazetteer_at.get(j)
            j = end if end is not None else j + 1
        coordinated = False
        if j == i + 2 and self.folded[i + 1] in _VAGUE:
            return None
        definite_head = head.startswith("ال")
        while j < n and j - i < 7 and self.joined(j) and not self.claimed[j]:
            word = self.folded[j]
            previous = self.folded[j - 1]
            if (
                word in lex.nisba
                or word in lex.cues.get("ADJ2", ())
                or (word.startswith("لل") and (definite_head or previous in lex.cues.get("ADJ2", ())))
            ):
                j += 1
            elif (
                word.startswith("وال")
                and not coordinated
                and j + 1 < n
                and self.joined(j + 1)
                and self.folded[j + 1] in lex.nisba
            ):
                coordinated = True
                j += 2
            else:
                break
        return i, j, self.found(i, j, EntityType.ORG, skip, priority=1)

    def _org_desc(self, i: int) -> tuple[int, int, Found] | None:
        skip = self.cue(i, "ORGDESC")
        if skip is None or i + 1 >= self.n:
            return None
        j = i + 1
        if self.claimed[j] or j in self.gazetteer_at:
            return None
        gap = self.gap(j)
        if _QUOTE_GAP.fullmatch(gap) and any(q in gap for q in _QUOTES):
            k = j
            while k < self.n and k - j < 6 and not self.claimed[k]:
                k += 1
                if k >= self.n or not self.joined(k):
                    break
            word = self.folded[j]
            if j not in self.gazetteer_at and (
                word in self.lex.common or word in self.lex.nisba or word.endswith("يه") or word in _FUNCTION
            ):
                return None
            after = self.text[self.ends[k - 1] : self.ends[k - 1] + 2]
            if not any(q in after for q in _QUOTES):
                return None
            return j, k, self.found(j, k, EntityType.ORG, priority=2)
        head = self.folded[i][skip:]
        if head not in _BARE_NAME_HEADS or not self.joined(j) or self.definite(j) or not self.namelike(j):
            return None
        return j, j + 1, self.found(j, j + 1, EntityType.ORG, priority=0)

    def _def_head(self, i: int) -> tuple[int, int, Found] | None:
        if i > 0 and self.cue(i - 1, "TITLE") is not None:
            return None
        skip = self.cue(i, "DEFHEAD")
        forces = skip is None
        if skip is None:
            word = self.folded[i]
            if word not in ("قوات", "قوي", "وقوات", "لقوات", "بقوات", "وقوي"):
                return None
            skip = 0 if word[0] == "ق" else 1
        lex = self.lex
        j = i + 1
        n = self.n
        steps = 0
        while j < n and steps < 3 and self.joined(j) and not self.claimed[j]:
            word = self.folded[j]
            if word in lex.nisba_country:
                return i, j + 1, self.found(i, j + 1, EntityType.ORG, skip, priority=1)
            if word in lex.cues.get("ADJ2", ()) or (word == "الامن" and j == i + 1 and forces):
                j += 1
                steps += 1
                continue
            break
        return None

    def _loc_head(self, i: int) -> tuple[int, int, Found] | None:
        if self.cue(i, "LOCHEAD") is None:
            return None
        j = i + 1
        n = self.n
        if j >= n or self.claimed[j] or j in self.gazetteer_at:
            return None
        gap = self.gap(j)
        if not (self.joined(j) or (_QUOTE_GAP.fullmatch(gap) and any(q in gap for q in _QUOTES))):
            return None
        if self.cue(j, "LOCHEAD") is not None or not self.namelike(j):
            return None
        k = j + 1
        lex = self.lex
        if k < n and self.joined(k) and not self.claimed[k]:
            word = self.folded[k]
            first = self.folded[j]
            if first in lex.cues.get("COMPOUND", ()) or (
                word.startswith("ال") and self.namelike(k) and word not in lex.cues.get("ADJ2", ())
            ):
                k += 1
        return j, k, self.found(j, k, EntityType.LOC, priority=1)

    def _geo_head(self, i: int) -> tuple[int, int, Found] | None:
        skip = self.cue(i, "GEOHEAD")
        if skip is None:
            return None
        j = i + 1
        n = self.n
        lex = self.lex
        while (
            j < n and self.joined(j) and not self.claimed[j] and self.folded[j] in lex.cues.get("GEOHEAD", ())
        ):
            j += 1
        if j >= n or not self.joined(j) or self.claimed[j]:
            return None
        end = self.gazetteer_at.get(j)
        if end is not None:
            j = end
        elif self.namelike(j):
            j += 1
        else:
            return None
        while j < n and self.joined(j) and not self.claimed[j] and self.folded[j] in lex.cues.get("ADJ2", ()):
            j += 1
        return i, j, self.found(i, j, EntityType.LOC, skip, priority=1)


_Rule = Callable[[_Paragraph, int], tuple[int, int, Found] | None]
_RULES: tuple[_Rule, ...] = (
    _Paragraph._title,
    _Paragraph._given,
    _Paragraph._org_head,
    _Paragraph._org_desc,
    _Paragraph._def_head,
    _Paragraph._loc_head,
    _Paragraph._geo_head,
)
"""Every rule, in the order they are tried at a word."""


def _plan(word: str) -> tuple[_Rule, ...]:
    """The rules that can find something starting at a folded word: each needs its cue kind first (the
    given-name rule a TRIGGER: a given name, أبو or قوات; the forces rule قوات or قوى as written), so the
    others would return None at once."""
    kinds = _ANALYSES[word][0]
    if not kinds:
        return ()
    wanted: dict[_Rule, bool] = {
        _Paragraph._title: "TITLE" in kinds,
        _Paragraph._given: "TRIGGER" in kinds,
        _Paragraph._org_head: "ORGHEAD" in kinds,
        _Paragraph._org_desc: "ORGDESC" in kinds,
        _Paragraph._def_head: "DEFHEAD" in kinds or word in _FORCES,
        _Paragraph._loc_head: "LOCHEAD" in kinds,
        _Paragraph._geo_head: "GEOHEAD" in kinds,
    }
    return tuple(rule for rule in _RULES if wanted[rule])


class _Plans(dict[str, tuple[_Rule, ...]]):
    """Folded word -> ``_plan(word)``, filled as words are first seen (up to a limit)."""

    def __missing__(self, word: str) -> tuple[_Rule, ...]:
        value = _plan(word)
        if len(self) < _CACHE_LIMIT:
            self[word] = value
        return value


_PLANS = _Plans()


def extract_paragraph(text: str, language: str = "ar") -> tuple[list[Found], _Paragraph]:
    """Mentions in one Arabic-script paragraph, with the paragraph's state for the alias pass. Persian,
    Urdu and Kurdish paragraphs (``language``) get their dates and the names the gazetteers know."""
    paragraph = _Paragraph(text, language=language)
    return paragraph.run(), paragraph


_CLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")


def alias_forms(aliases: Iterable[str]) -> frozenset[str]:
    """Every folded word one of whose ``variants`` may be one of ``aliases``: the name itself, after one or
    two proclitics, and (when it has the article) after ل that swallowed the article's alef (للكمال)."""
    forms: set[str] = set()
    for alias in aliases:
        forms.add(alias)
        forms.update(clitic + alias for clitic in _CLITICS)
        if alias.startswith("ال"):
            forms.update(clitic + alias[1:] for clitic in ("ل", "ول", "فل"))
    return frozenset(forms)


def alias_mentions(
    paragraph: _Paragraph, aliases: dict[str, tuple[str, str]], forms: frozenset[str] | None = None
) -> list[Found]:
    """Later mentions of a person by one of their names (كمال after قهرمان كمال), among the words no rule
    took. ``aliases`` maps a folded word to the person's (lookup, display); ``forms``, its
    ``alias_forms``, spares looking at the other words (computed here when not given)."""
    if forms is None:
        forms = alias_forms(aliases)
    found: list[Found] = []
    folded = paragraph.folded
    if forms.isdisjoint(folded):
        return found
    for i in [k for k, word in enumerate(folded) if word in forms]:
        if paragraph.claimed[i] or paragraph.texts[i] in _FUNCTION_RAW:
            continue
        for skip, word in variants(folded[i]):
            hit = aliases.get(word)
            if hit is not None:
                paragraph.claimed[i] = True
                found.append(paragraph.found(i, i + 1, EntityType.PERSON, skip, lookup=hit[0]))
                break
    return found
