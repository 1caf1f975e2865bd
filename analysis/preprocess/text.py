"""Sentence splitting and tokenization for English and Russian (rules, no downloaded models)."""

from __future__ import annotations

import re

# Words that end in a period without ending a sentence (lower-cased, without the period).
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st mt no nos vol art para paras pp p gen col lt maj capt sgt adm gov sen rep
    jan feb mar apr jun jul aug sep sept oct nov dec etc e.g i.e vs cf approx dept inc ltd co corp jr sr
    u.s u.n u.k e.u h.e h.m h.r.h rt hon ca fig
    г гг т.е т.д т.п т.к им ул стр см тыс млн млрд руб коп г-н г-жа проф акад ген др пр""".split()
)

_PARAGRAPH = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(
    r"""(?<=[.!?…])          # terminal punctuation
        [\"'”’»)\]]*          # closing quotes or brackets
        \s+                   # space
        (?=[\"'“‘«(\[]?[^\W_a-zа-яё])  # next sentence starts with a capital or digit
    """,
    re.VERBOSE,
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")  # "a", "v.v": initials
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}(?![^\W_])|[^\W_]+(?:[-‐][^\W_]+)*")
_MARKUP = re.compile(r"[*_#]{1,3}(?=\S)|(?<=\S)[*_#]{1,3}")


def normalize_text(text: str) -> str:
    """Unify line ends and spaces, drop Markdown emphasis marks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    if "*" in text or "_" in text or "#" in text:  # most texts have no emphasis marks: no regex pass
        text = _MARKUP.sub("", text)
    return text


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences.

    Blank lines end a paragraph (and a sentence); single line breaks are wrapping and join with
    a space. Inside a paragraph a sentence ends at `.`, `!`, `?` or `…` followed by a capital or
    digit, unless the word before is a known abbreviation or a single-letter initial.
    """
    out: list[str] = []
    for para in _PARAGRAPH.split(normalize_text(text)):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for m in _BOUNDARY.finditer(para):
            end = m.start()
            if para[end - 1] == ".":
                # the word before the period: spaces are single here, so it starts after the last one
                word = para[max(start, para.rfind(" ", start, end) + 1) : end]
                word = word.rstrip(".!?…\"'”’»)]").lower().lstrip("\"'“‘«([")
                if word in ABBREVIATIONS or _INITIALS.fullmatch(word):
                    continue
            sentence = para[start : m.end()].strip()
            if sentence:
                out.append(sentence)
            start = m.end()
        tail = para[start:].strip()
        if tail:
            out.append(tail)
    return out


def tokenize(sentence: str) -> list[str]:
    """Word tokens of a sentence as written: letters and digits, inner hyphens kept, punctuation dropped."""
    return _TOKEN.findall(sentence)
