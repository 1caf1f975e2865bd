"""Russian case forms of partner names, for the gazetteer's aliases.

The lemmatizer misses many inflected forms of proper names (simplemma gives no "франция" for
"Франции" or "Францию", no "иордания" for "Иордании"), so a Russian alias is also matched by
its case forms, generated here from the nominative by the regular endings of the official
register: adjectives (Саудовская, Объединенные, российский; soft Верхняя), nouns in -ия, -я, -а, -ь, -й, -о
(-ство), a consonant, plurals in -ы (Штаты, Мальдивы); indeclinable names (Марокко, Перу,
Зимбабве, Гвинея-Бисау's second part) keep their form. In a name of several words the words up
to and including the first noun take the case (and, after "и", the next group: Босния и
Герцеговина); the rest is a complement that keeps its form (Организации Объединенных Наций).

    >>> [" ".join(p) for p in case_phrases("Соединенные Штаты")][:2]
    ['соединенные штаты', 'соединенных штатов']

The forms over-generate harmlessly (a form that does not exist is never found in a text);
compound adjectives ("российско-саудовский") are matched by `combining_globs`.
"""

from __future__ import annotations

_ADJ_SOFT = "кгхжшщч"  # after these, -ы- is written -и-
_HISSING = "жшщчц"
_ADJECTIVE = ("ий", "ый", "ой", "ая", "яя", "ое", "ее", "ие", "ые")
_INDECLINABLE_END = "оеуюиэ"

# six slots: nominative, genitive, dative, accusative, instrumental, prepositional
_ADJ = {
    "m": ("{n}", "ого", "ому", "{n}", "{y}м", "ом"),
    "f": ("ая", "ой", "ой", "ую", "ой|ою", "ой"),
    "n": ("ое", "ого", "ому", "ое", "{y}м", "ом"),
    "p": ("{y}е", "{y}х", "{y}м", "{y}е", "{y}ми", "{y}х"),
}

_SOFT = {  # soft-stem adjectives (верхний, верхняя)
    "m": ("ий", "его", "ему", "ий", "им", "ем"),
    "f": ("яя", "ей", "ей", "юю", "ей|ею", "ей"),
    "n": ("ее", "его", "ему", "ее", "им", "ем"),
    "p": ("ие", "их", "им", "ие", "ими", "их"),
}


def _adjective(word: str) -> list[tuple[str, ...]] | None:
    ending = word[-2:]
    if ending not in _ADJECTIVE or len(word) < 4:
        return None
    stem = word[:-2]
    if ending in ("яя", "ее") or (ending in ("ий", "ие") and stem[-1] == "н"):  # soft: Верхняя, Средний
        kind = {"яя": "f", "ее": "n", "ие": "p"}.get(ending, "m")
        return [tuple(stem + e for e in slot.split("|")) for slot in _SOFT[kind]]
    y = "и" if stem[-1] in _ADJ_SOFT else "ы"
    kind = {"ая": "f", "яя": "f", "ое": "n", "ее": "n", "ие": "p", "ые": "p"}.get(ending, "m")
    return [tuple(stem + e for e in slot.format(n=ending, y=y).split("|")) for slot in _ADJ[kind]]


def _noun(word: str) -> list[tuple[str, ...]]:
    def table(stem: str, *slots: str) -> list[tuple[str, ...]]:
        return [tuple(stem + e for e in s.split("|")) for s in slots]

    if word.endswith("ия"):
        return table(word[:-1], "я", "и", "и", "ю", "ей|ею", "и")
    if word.endswith("я"):
        return table(word[:-1], "я", "и", "е", "ю", "ей|ею", "е")
    if word.endswith("а") and len(word) > 2 and word[-2] not in "аоуеиыэюя":
        stem = word[:-1]
        gen = "и" if stem[-1] in _ADJ_SOFT else "ы"
        ins = "ей|ой|ею|ою" if stem[-1] in _HISSING else "ой|ою"
        return table(stem, "а", gen, "е", "у", ins, "е")
    if word.endswith("ь"):
        return table(word[:-1], "ь", "я|и", "ю|и", "ь", "ем|ью", "е|и")
    if word.endswith("й"):
        return table(word[:-1], "й", "я", "ю", "й", "ем", "е")
    if word.endswith("ство"):
        return table(word[:-1], "о", "а", "у", "о", "ом", "е")
    if word.endswith("ы") and len(word) > 3:
        return table(word[:-1], "ы", "ов|", "ам", "ы", "ами", "ах")
    if word[-1] in _INDECLINABLE_END or word[-1] == "а" or not word[-1].isalpha():
        return [(word,)] * 6
    ins = "ем|ом" if word[-1] in _HISSING else "ом"
    return table(word, "", "а", "у", "", ins, "е")


def word_cases(word: str) -> list[tuple[str, ...]]:
    """The six case slots of one lower-cased word (each a tuple of spellings), and whether it is
    an adjective; a hyphenated name declines its last part, or its first when the last is
    indeclinable (Коста-Рика: коста-рики; Гвинея-Бисау: гвинеи-бисау)."""
    if "-" in word:
        first, _, last = word.rpartition("-")
        cases = _noun(last)
        if len(set(cases)) > 1:
            return [tuple(f"{first}-{x}" for x in slot) for slot in cases]
        head, _, rest = word.partition("-")
        return [tuple(f"{x}-{rest}" for x in slot) for slot in _noun(head)]
    return _adjective(word) or _noun(word)


def case_phrases(name: str) -> list[tuple[str, ...]]:
    """Every case form of a Russian name, lower-cased, as word tuples, nominative first."""
    words = name.lower().replace("ё", "е").split()
    declines: list[bool] = []
    on = True
    for w in words:
        if w == "и":
            declines.append(False)
            on = True
            continue
        declines.append(on and w.isalpha() or (on and "-" in w))
        if on and _adjective(w) is None:
            on = False  # the group's noun: what follows is a complement
    slots = [word_cases(w) if d else [(w,)] * 6 for w, d in zip(words, declines, strict=True)]
    out: dict[tuple[str, ...], None] = {}
    for case in range(6):
        phrases: list[tuple[str, ...]] = [()]
        for s in slots:
            phrases = [(*p, x) for p in phrases for x in s[case]]
        out.update(dict.fromkeys(phrases))
    return list(out)


def combining_globs(adjective: str) -> tuple[str, str] | None:
    """Globs for a state adjective inside a compound ("российско-саудовский"): its combining
    form as the first part (`российско-*`) and the adjective as a later part (`*-саудовск*`);
    None when the word is not an adjective in -ский/-цкий."""
    word = adjective.lower().replace("ё", "е")
    if not (word.endswith(("ский", "цкий")) and word.isalpha()):
        return None
    stem = word[:-2]
    return f"{stem}о-*", f"*-{stem}*"
