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


def _looks_latin(words: list[str]) -> bool:
    return all(w.isascii() for w in words)


def detect_language(text: str) -> str | None:
    """Return 'en' or 'ru' when the text is clearly one of them, else None (unknown).

    Decided by the share of common function words among the first 5,000 words, so French or
    Ukrainian text is not taken for English or Russian; texts under 30 words go by script.
    """
    words = [w.lower() for w in _WORD.findall(text[:40000])][:5000]
    if not words:
        return None
    if len(words) < 30:  # too short for word statistics: go by script
        cyr = sum(bool(_CYR.match(w)) for w in words)
        return "ru" if cyr > len(words) / 2 else ("en" if cyr == 0 and _looks_latin(words) else None)
    en = sum(w in _EN_FUNCTION for w in words) / len(words)
    ru = sum(w in _RU_FUNCTION for w in words) / len(words)
    if max(en, ru) < _MIN_FUNCTION_SHARE:
        return None
    return "ru" if ru > en else "en"
