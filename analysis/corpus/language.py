"""Language of a text: English or Russian, from its script and function words."""

from __future__ import annotations

import re

LANGUAGES = ("en", "ru")

_WORD = re.compile(r"[^\W\d_]+")
_CYR = re.compile(r"[А-Яа-яЁё]")
_EN_FUNCTION = frozenset(
    "the of and to in a is that for on with as by are be this it we our which from at has have not".split()
)
_RU_FUNCTION = frozenset(
    "и в не на что с по как к для это о из а мы но от его все так же за при то до наш".split()
)
# A text counts as a language when at least this share of its words are that language's
# function words (about 0.35-0.45 for running English, 0.2-0.3 for Russian prose).
_MIN_FUNCTION_SHARE = 0.08
# Short Russian news items in nominal style ("Встреча с ... Обсуждались ...") can have
# fewer function words (0.03-0.08); a text in Cyrillic script still counts as Russian with
# this lower share when it has Russian-only letters (ы, э) and no letters of other Cyrillic
# alphabets (Ukrainian і ї є ґ, Belarusian ў, Serbian/Macedonian ј љ њ ћ џ ѓ ќ ѕ, Kazakh,
# Kyrgyz, Tajik, Mongolian ә ғ қ ң ө ұ ү һ ӣ ҳ ҷ ӯ).
_MIN_RU_SHARE_CYRILLIC = 0.02
_RU_ONLY = re.compile(r"[ыэ]")
# ...and Bulgarian, whose ъ is a vowel (България, въпрос) where the Russian hard sign stands
# only before е, ё, ю, я (объявить, подъезд).
_OTHER_CYR = re.compile(r"[іїєґўјљњћџѓќѕәғқңөұүһӣҳҷӯ]|ъ(?![еёюя])")
# Likewise English news items that are mostly names ("Greetings have been sent to Moldovan
# President ..., Ukrainian President ...") have 0.03-0.08 English function words; they count
# as English when nearly all words are plain ASCII (French, German, Spanish, Italian prose has
# accented words) and common function words of those languages are rarer than English ones.
_MIN_EN_SHARE_ASCII = 0.03
_MIN_ASCII_SHARE = 0.98
_OTHER_LATIN_FUNCTION = frozenset(
    "le la les des et est une du au aux der die das und ist nicht ein eine el los las y del por "
    "con una il che di per non della".split()
)
# Share of words with other-Cyrillic letters above which a text is not taken for Russian
# (a Russian text may quote a Ukrainian name or two).
_MAX_OTHER_CYR_SHARE = 0.02


def _looks_latin(words: list[str]) -> bool:
    return all(w.isascii() for w in words)


def detect_language(text: str) -> str | None:
    """Return 'en' or 'ru' when the text is clearly one of them, else None (unknown).

    Decided by the share of common function words among the first 5,000 words, so French or
    Ukrainian text is not taken for English or Russian; texts under 30 words go by script.
    Texts with letters of other Cyrillic alphabets (Ukrainian і, є, ї...) are never Russian.
    """
    words = [w.lower() for w in _WORD.findall(text[:40000])][:5000]
    if not words:
        return None
    cyr = sum(bool(_CYR.match(w)) for w in words)
    other_cyr = sum(bool(_OTHER_CYR.search(w)) for w in words)
    if other_cyr > _MAX_OTHER_CYR_SHARE * len(words):
        return None  # Ukrainian, Belarusian, Kazakh...: not Russian
    if len(words) < 30:  # too short for word statistics: go by script
        return "ru" if cyr > len(words) / 2 else ("en" if cyr == 0 and _looks_latin(words) else None)
    en = sum(w in _EN_FUNCTION for w in words) / len(words)
    ru = sum(w in _RU_FUNCTION for w in words) / len(words)
    if max(en, ru) < _MIN_FUNCTION_SHARE:
        if (cyr > 0.8 * len(words) and ru >= _MIN_RU_SHARE_CYRILLIC
                and any(_RU_ONLY.search(w) for w in words)):
            return "ru"
        other = sum(w in _OTHER_LATIN_FUNCTION for w in words) / len(words)
        if (cyr == 0 and en >= _MIN_EN_SHARE_ASCII and other < en / 2
                and sum(w.isascii() for w in words) >= _MIN_ASCII_SHARE * len(words)):
            return "en"
        return None
    return "ru" if ru > en else "en"
