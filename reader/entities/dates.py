"""DATE expressions for every script Khabar reads: Arabic (the month names of every region and the Hijri
months), English, Persian (Solar Hijri and Gregorian), Urdu, Kurdish Sorani and Hebrew.

Each pattern marks the date proper with the group ``d`` (and sometimes ``e`` for a second date), so
prepositions, proclitics and modifiers such as مطلع or "mid-" stay outside the span, as the annotation
guidelines ask. Digits may be European, Arabic-Indic or Persian.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence

from reader.entities.text import MARKS, Tokens, fast_fold, tokenize_columns

_D = r"[0-9٠-٩۰-۹]{1,2}"
_Y = r"(?:1[3-9]|20|21|١[٣-٩]|٢[٠١]|۱[۳-۹]|۲[۰۱])[0-9٠-٩۰-۹]{2}"
"""A year: Gregorian, or Hijri and Solar Hijri (13xx-14xx)."""
_NB = r"(?![^\W_])"  # no letter or digit follows
_START = r"(?<![^\W_])"  # no letter or digit before


def _ar(word: str) -> str:
    """A regex for an Arabic word that tolerates the spelling variants folding also ignores."""
    out = []
    for ch in word:
        if ch in "أإآا":
            out.append("[أإآا]")
        elif ch in "ةه":
            out.append("[ةه]")
        elif ch in "ىي":
            out.append("[ىي]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(words: Iterable[str], arabic: bool = True) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(_ar(w) if arabic else re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


AR_MONTHS = (
    # Levantine and Iraqi (Syriac) names
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
    # Egyptian and Gulf (from the European names)
    "يناير",
    "فبراير",
    "أبريل",
    "إبريل",
    "ابريل",
    "مايو",
    "يونيو",
    "يونيه",
    "يوليو",
    "يوليه",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
    # Maghrebi (from the French names)
    "جانفي",
    "فيفري",
    "أفريل",
    "جوان",
    "جويلية",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
    "يوليوز",
    "غشت",
    "شتنبر",
    "نونبر",
    "دجنبر",
)
AR_MONTHS_NEEDING_NUMBER = ("مارس", "آب", "ماي", "أوت")
"""Also ordinary words (مارس "he practised", آب, ماي): a date only with a day, a year or شهر."""
AR_HIJRI = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "ربيع الثاني",
    "جمادى الأولى",
    "جمادى الآخرة",
    "جمادى الثانية",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذي القعدة",
    "ذو الحجة",
    "ذي الحجة",
)
AR_WEEKDAYS = ("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت")
AR_ORDINALS = (
    "الأول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
    "العاشر",
    "مطلع",
)
_AR_PERIODS = (
    "الأسبوع",
    "الشهر",
    "العام",
    "السنة",
    "الأسابيع",
    "الأشهر",
    "الخريف",
    "الربيع",
    "الصيف",
    "الشتاء",
)
_AR_YEAR_CONTEXT = (
    "في",
    "منذ",
    "حتى",
    "قبل",
    "بعد",
    "خلال",
    "مطلع",
    "أواخر",
    "أوائل",
    "نهاية",
    "بداية",
    "منتصف",
    "مواليد",
    "بحلول",
)
AR_RELATIVE = (
    "الجاري",
    "الماضي",
    "المقبل",
    "القادم",
    "الحالي",
    "المنصرم",
    "الفائت",
    "الجارية",
    "الماضية",
    "المقبلة",
    "القادمة",
    "الحالية",
    "المنصرمة",
)

EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "Jun.",
    "Jul.",
    "Aug.",
    "Sep.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

FA_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "امرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "می",
    "ژوئن",
    "ژوئیه",
    "جولای",
    "اوت",
    "آگوست",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
)
FA_WEEKDAYS = (
    "شنبه",
    "یکشنبه",
    "یک‌شنبه",
    "دوشنبه",
    "سه‌شنبه",
    "سه شنبه",
    "چهارشنبه",
    "پنجشنبه",
    "پنج‌شنبه",
    "جمعه",
)
UR_MONTHS = (
    "جنوری",
    "فروری",
    "مارچ",
    "اپریل",
    "مئی",
    "جون",
    "جولائی",
    "اگست",
    "ستمبر",
    "اکتوبر",
    "نومبر",
    "دسمبر",
)
UR_WEEKDAYS = ("پیر", "منگل", "بدھ", "جمعرات", "جمعہ", "ہفتہ", "اتوار")
CKB_MONTHS = (
    "کانوونی دووەم",
    "شوبات",
    "ئازار",
    "نیسان",
    "ئایار",
    "مایس",
    "حوزەیران",
    "تەمووز",
    "ئاب",
    "ئەیلوول",
    "تشرینی یەکەم",
    "تشرینی دووەم",
    "کانوونی یەکەم",
    "خاکەلێوە",
    "بانەمەڕ",
    "جۆزەردان",
    "پووشپەڕ",
    "گەلاوێژ",
    "خەرمانان",
    "ڕەزبەر",
    "گەڵاڕێزان",
    "سەرماوەز",
    "بەفرانبار",
    "ڕێبەندان",
    "ڕەشەمێ",
)
CKB_WEEKDAYS = ("شەممە", "یەکشەممە", "دووشەممە", "سێشەممە", "چوارشەممە", "پێنجشەممە", "هەینی")
HE_MONTHS = (
    "ינואר",
    "פברואר",
    "מרץ",
    "מרס",
    "אפריל",
    "מאי",
    "יוני",
    "יולי",
    "אוגוסט",
    "ספטמבר",
    "אוקטובר",
    "נובמבר",
    "דצמבר",
    "תשרי",
    "חשוון",
    "חשון",
    "כסלו",
    "טבת",
    "שבט",
    "אדר",
    "ניסן",
    "אייר",
    "סיוון",
    "סיון",
    "תמוז",
    "אב",
    "אלול",
)
HE_WEEKDAYS = ("יום ראשון", "יום שני", "יום שלישי", "יום רביעי", "יום חמישי", "יום שישי", "שבת", "יום שבת")


_DIGIT = "0"
"""Stands, in a pattern's list of first words, for a number: the pattern may start with a digit."""


@functools.cache
def _arabic_rules() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """The Arabic date patterns, each with what the folded word it starts at must begin with.

    Every pattern starts at the beginning of a word (``_START``) with an optional proclitic and then one
    of a few words (a month, a weekday, يوم, عام, a digit, ...). ``find_dates`` tries a pattern only at
    the words that can begin it, instead of at every character of the paragraph. The list of first words
    beside each pattern must name every word the pattern can start with; a longer list costs a little
    time, a shorter one loses dates (``tests/entities/test_dates_scan.py`` compares against a full scan).
    """
    month = _alt(AR_MONTHS)
    any_months = AR_MONTHS + AR_MONTHS_NEEDING_NUMBER + AR_HIJRI
    any_month = _alt(any_months)
    monthx = rf"{any_month}(?:\s*[/\\(]\s*{any_month}\s*\)?)?"
    weekday = _alt(AR_WEEKDAYS)
    rel = _alt(AR_RELATIVE)
    pre = r"(?:[وفب]|لـ?)?"
    wdx = rf"(?:(?:{_ar('اليوم')}|{_ar('يوم')})\s+)?{weekday}(?:\s+{weekday})?(?:\s+{rel})?"
    year_words = ("عام", "العام", "سنة", "السنة")
    year_word = rf"(?:{_ar('عام')}|{_ar('العام')}|{_ar('سنة')}|{_ar('السنة')})"
    day = rf"(?:(?:{_ar('يوم')}\s+)?{_D}|{_alt(AR_ORDINALS)})"
    full = (
        rf"(?:{wdx}\s*[،,]?\s*)?{day}\s+(?:من\s+)?(?:{_ar('شهر')}\s+)?{monthx}(?:\s+{rel})?"
        rf"(?:\s*[،,]?\s*(?:من\s+)?(?:{year_word}\s+)?{_Y}(?:\s*[مه]{_NB})?)?"
    )
    month_year = rf"(?:{_ar('شهر')}\s+)?{monthx}\s*[،,]?\s*(?:{year_word}\s+)?{_Y}"
    bare_month = rf"(?:{_ar('شهر')}\s+{any_month}|{month}(?:\s*[/\\(]\s*{any_month}\s*\)?)?)(?:\s+{rel})?"
    relative_words = (*_AR_PERIODS, "هذا", "هذه", "أمس", "البارحة", "غد")
    relative = (
        rf"(?:{_alt(_AR_PERIODS)}"
        rf"\s+{rel}|{_ar('هذا')}\s+{_alt(('العام', 'الأسبوع', 'الشهر'))}|{_ar('هذه')}\s+{_ar('السنة')}"
        rf"|{_alt(('أمس', 'البارحة'))}|غد[اًً]+|غدًا)"
    )
    wdx_words = ("اليوم", "يوم", *AR_WEEKDAYS)
    rules: list[tuple[str, tuple[str, ...]]] = [
        (rf"{_START}{pre}(?P<d>{full}){_NB}", (*wdx_words, _DIGIT, *AR_ORDINALS)),
        (rf"{_START}{pre}(?P<d>{month_year}){_NB}", ("شهر", *any_months)),
        (rf"{_START}{pre}(?P<d>{bare_month}){_NB}", ("شهر", *AR_MONTHS)),
        (rf"{_START}{pre}(?P<d>{year_word}\s+{_Y}){_NB}", year_words),
        (rf"{_START}{_ar('عامي')}\s+(?P<d>{_Y})\s+و\s*(?P<e>{_Y}){_NB}", ("عامي",)),
        (rf"{_START}{pre}(?P<d>{wdx}){_NB}", wdx_words),
        (rf"{_START}{pre}(?P<d>{relative}){_NB}", relative_words),
        (
            rf"{_START}[وف]?(?:{_alt(_AR_YEAR_CONTEXT)})"
            rf"\s+\(?(?P<d>{_Y}){_NB}(?!\s*[0-9٠-٩%])",
            _AR_YEAR_CONTEXT,
        ),
        (rf"{_START}[وف]?(?:{_alt(('حتى',))})\s+(?P<d>{_ar('اليوم')}){_NB}", ("حتى",)),
        (
            rf"{_START}(?P<d>{_ar('اليوم')})(?=\s*[،,.؛:\"»)]|\s+(?:ل|إلى|الى|في|مع|على|عن|من)\s|\s+لل?[^\W\d_])",
            ("اليوم",),
        ),
    ]
    return tuple((re.compile(source), _first_word_re(words)) for source, words in rules)


@functools.cache
def _any_first_word() -> re.Pattern[str]:
    """Matches a folded word that can begin some Arabic pattern: most words cannot, and one test says so."""
    return re.compile("|".join(f"(?:{first.pattern})" for _, first in _arabic_rules()))


def _first_word_re(words: Iterable[str]) -> re.Pattern[str]:
    """Matches a folded word that begins, after at most one proclitic letter, with the folded first word of
    one of ``words`` (``_DIGIT``: with any digit)."""
    firsts = sorted({fast_fold(w.split()[0]) for w in words if w != _DIGIT}, key=len, reverse=True)
    options = [re.escape(w) for w in firsts]
    if _DIGIT in words:
        options.append("[0-9]")
    return re.compile(f"[وفبل]?(?:{'|'.join(options)})")


def _arabic_patterns() -> list[re.Pattern[str]]:
    """The Arabic date patterns alone, for a scan of every position."""
    return [pattern for pattern, _ in _arabic_rules()]


_FIRSTS_LIMIT = 1 << 16
_MARK_THEN_WORD_RE = re.compile(f"[{MARKS}](?=[^\\W_])")
"""A combining mark or joiner before a letter or digit: inside a token, a pattern may start after it."""


class _Firsts(dict[str, tuple[int, ...]]):
    """Folded word -> the indices of the Arabic patterns that may start at it (most words: none); filled as
    words are first seen."""

    def __missing__(self, word: str) -> tuple[int, ...]:
        value: tuple[int, ...] = ()
        if _any_first_word().match(word) is not None:
            value = tuple(k for k, (_, first) in enumerate(_arabic_rules()) if first.match(word) is not None)
        if len(self) < _FIRSTS_LIMIT:
            self[word] = value
        return value


_FIRSTS = _Firsts()


def _arabic_dates(paragraph: str, tokens: Tokens | None) -> list[tuple[int, int]]:
    """What a scan of every position with each Arabic pattern finds, found by trying each pattern only where
    it can start: at the tokens whose folded word can begin it, and (all patterns) after a combining mark
    inside a token, where ``_START`` also holds."""
    if tokens is None:
        tokens = tokenize_columns(paragraph)
    rules = _arabic_rules()
    starts: dict[int, list[int]] = {}
    firsts = list(map(_FIRSTS.__getitem__, tokens.folded))
    token_starts = tokens.starts
    for index in itertools.compress(range(len(firsts)), firsts):
        for rule in firsts[index]:
            if rule in starts:
                starts[rule].append(token_starts[index])
            else:
                starts[rule] = [token_starts[index]]
    if _MARK_THEN_WORD_RE.search(paragraph) is not None:
        inner = [m.end() for m in _MARK_THEN_WORD_RE.finditer(paragraph)]
        starts = {rule: sorted({*starts.get(rule, ()), *inner}) for rule in range(len(rules))}
    if not starts:
        return []
    found: list[tuple[int, int]] = []
    for rule in sorted(starts):
        pattern = rules[rule][0]
        match_at = pattern.match
        groups = ("d", "e") if "e" in pattern.groupindex else ("d",)
        resume = 0
        for position in starts[rule]:
            if position < resume:
                continue
            match = match_at(paragraph, position)
            if match is None:
                continue
            resume = match.end()
            _add_groups(paragraph, match, groups, found)
    return _resolve(found)


def _add_groups(
    paragraph: str, match: re.Match[str], groups: Sequence[str], found: list[tuple[int, int]]
) -> None:
    for group in groups:
        if match.start(group) >= 0:
            start, end = match.span(group)
            while end > start and paragraph[end - 1].isspace():
                end -= 1
            if end > start:
                found.append((start, end))


def _resolve(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest spans first (the earlier on a tie), each kept unless it overlaps one already kept."""
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int]] = []
    for start, end in found:
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
    return sorted(taken)


@functools.cache
def _english_patterns() -> list[re.Pattern[str]]:
    month = _alt(EN_MONTHS, arabic=False)
    full_month = _alt([m for m in EN_MONTHS if not m.endswith(".") and m != "May"], arabic=False)
    weekday = _alt(EN_WEEKDAYS, arabic=False)
    day = r"[0-3]?[0-9](?:st|nd|rd|th)?"
    year = r"(?:1[89]|20|21)[0-9]{2}"
    patterns = [
        rf"\b(?P<d>(?:{weekday},?\s+)?{month}\s+{day}(?:,?\s+{year})?)(?![\w-])",
        rf"\b(?P<d>(?:{weekday},?\s+)?{day}\s+(?:of\s+)?{month}(?:,?\s+{year})?)(?![\w-])",
        rf"\b(?P<d>{month},?\s+{year})\b",
        rf"\b(?P<d>{year}-[01][0-9]-[0-3][0-9])\b",
        rf"\b(?P<d>[0-3]?[0-9]/[01]?[0-9]/{year})\b",
        rf"\b(?P<d>{full_month})\b",
        rf"\b(?P<d>{weekday})\b",
        r"\b(?P<d>(?:yesterday|tomorrow|(?:last|next|this)\s+(?:week|month|year|weekend|spring|summer|autumn|fall|winter)))\b",
        r"(?<![\w.])(?<!^)(?P<d>today|tonight)\b",
        rf"\b(?i:in|since|by|until|till|from|before|after|during|of|early|late|mid-|mid|between|and|to)\s+(?P<d>{year})\b(?!-|\s*%)",
        rf"(?<=\()(?P<d>{year})(?=\))",
    ]
    return [re.compile(p) for p in patterns]


@functools.cache
def _other_patterns(lang: str) -> list[re.Pattern[str]]:
    months, weekdays = {
        "fa": (FA_MONTHS, FA_WEEKDAYS),
        "ur": (UR_MONTHS, UR_WEEKDAYS),
        "ckb": (CKB_MONTHS, CKB_WEEKDAYS),
        "he": (HE_MONTHS, HE_WEEKDAYS),
    }[lang]
    month = _alt(months, arabic=False)
    weekday = _alt(weekdays, arabic=False)
    prefix = r"(?:[בלמהו]|ב-)?" if lang == "he" else ""
    year = rf"(?:{_Y}|[0-9۰-۹٠-٩]{{4}})"
    patterns = [
        rf"{_START}{prefix}(?P<d>(?:{weekday}\s*[،,]?\s*)?{_D}\s*(?:ב|ל)?-?\s*(?:{prefix}){month}(?:\s*[،,]?\s*{year})?){_NB}",
        rf"{_START}{prefix}(?P<d>{month}\s*[،,]?\s*{year}){_NB}",
        rf"{_START}{prefix}(?P<d>{weekday}){_NB}",
    ]
    return [re.compile(p) for p in patterns]


def _scan(paragraph: str, patterns: Iterable[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Every pattern tried at every position of the paragraph."""
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        groups = ("d", "e") if "e" in pattern.groupindex else ("d",)
        for match in pattern.finditer(paragraph):
            _add_groups(paragraph, match, groups, found)
    return _resolve(found)


def find_dates(paragraph: str, language: str, tokens: Tokens | None = None) -> list[tuple[int, int]]:
    """Date spans in ``paragraph`` (offsets into it), longest first where patterns overlap. ``tokens``,
    the paragraph's ``tokenize_columns``, spares the Arabic rules tokenising it again."""
    if language == "ar":
        return _arabic_dates(paragraph, tokens)
    if language == "en":
        return _scan(paragraph, _english_patterns())
    if language in ("fa", "ur", "ckb", "he"):
        return _scan(paragraph, _other_patterns(language))
    return []
