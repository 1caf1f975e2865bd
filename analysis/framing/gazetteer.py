"""The partner gazetteer: states and organizations with English and Russian aliases.

`analysis/data/framing/gazetteer.yml` lists each partner once under its canonical short name
(codebook: UN, CSTO, SCO, ..., states by English short name) with aliases in both languages:
full names, acronyms, adjectives and demonyms ("Belarusian friends", "Kazakh side",
"российская сторона"). Russian inflected forms match through lemmas and, since the lemmatizer
misses many proper names ("Франции", "Соединенными Штатами"), through the case forms of each
plain Russian alias (`analysis.framing.inflect`; a capitalized alias's forms must be capitalized
too); a Russian state adjective in -ский also matches inside a compound ("российско-саудовское
сотрудничество": Russia and Saudi Arabia). A user file of the same shape is merged over it:
aliases of a known name are added, new names appended::

    format: 1
    version: "my-2025-06"
    partners:
      - name: UN
        aliases: {en: ["UNRCCA"], ru: ["Регион* центр* ООН"]}
      - name: Mongolia
        kind: state
        iso3: MNG
        aliases: {en: [Mongolia, Mongolian], ru: [Монголия, монгольский]}

The `rules` section holds the words that decide when a named partner is not a counterpart:
a threat source ("threats from Afghanistan"), a place ("held in Astana, Kazakhstan") or the
holder of a view ("in the opinion of the Government of Iceland").
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from analysis.framing.elements import Lemmatizer, term_elements
from analysis.framing.inflect import case_phrases, combining_globs
from analysis.framing.lexicon import LANGUAGES, LexiconError, load_yaml, normalize_term
from analysis.framing.matcher import Entry, PatternSet, compile_rules

KINDS = ("organization", "state", "other")
RULE_LISTS = ("source_cues", "locative_cues", "skip_words", "view_cues", "holder_words")


@dataclass
class Partner:
    """A canonical partner with its aliases per language."""

    name: str
    kind: str
    iso3: str | None = None
    aliases: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    self_for: list[str] = field(default_factory=list)


@dataclass
class Gazetteer:
    """Partners plus the counterpart rules; `version` names the content, `sources` the files."""

    version: str
    partners: dict[str, Partner]
    rules: dict[str, Any]
    sources: list[str]

    @property
    def hash(self) -> str:
        """Content hash of the merged gazetteer (short hex)."""
        record = {"partners": {k: asdict(p) for k, p in sorted(self.partners.items())}, "rules": self.rules}
        text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]

    def entries(self, lemmatizer: Lemmatizer) -> list[Entry]:
        """Compiled aliases of every language (a Russian text may name "BRICS" in Latin letters),
        payload ("partner", canonical name, alias as written)."""
        out = []
        for p in self.partners.values():
            for lang in LANGUAGES:
                for spec in p.aliases.get(lang, []):
                    rules = compile_rules(spec, lemmatizer)
                    word = spec["term"]
                    sequences = term_elements(word, lemmatizer, hyphens=True)
                    if (lang == "en" and p.kind == "state" and " " not in word and word[:1].isupper()
                            and not word.isupper() and word[-1:] not in ("s", "*")):
                        sequences += term_elements(f"={word}s", lemmatizer)  # demonym plurals: Syrians, Kazakhs
                    for elements in sequences:
                        out.append(Entry(elements, ("partner", p.name, spec["term"]), rules))
                    if _russian_plain(word):
                        out += _case_entries(spec, p, lemmatizer)
                    elif lang == "en" and p.kind in ("state", "organization") and _english_compound_part(word):
                        # "Russian-Chinese relations", "US-Russia talks": each state of a compound
                        # a later part only for an alias without context rules: "American" has
                        # not_prev (Latin, Central ...), and "*-american" would take Pan-American
                        plain = compile_rules({}, lemmatizer)
                        w = word.lower()
                        globs = (f"{w}-*",) if spec.get("not_prev") or spec.get("not_near") else (f"{w}-*", f"*-{w}")
                        out += [Entry((("g", g),), ("partner", p.name, word), plain) for g in globs]
        return out

    def cues(self, name: str, lemmatizer: Lemmatizer) -> PatternSet:
        """One of the rule word lists for a language as a pattern set."""
        return PatternSet.build(self.rules.get(name, {}).get(lemmatizer.language, []), lemmatizer)

    @property
    def source_window(self) -> int:
        return int(self.rules.get("source_window", 4))

    def iso3_names(self) -> dict[str, str]:
        """ISO 3166 alpha-3 code -> canonical name."""
        return {p.iso3: p.name for p in self.partners.values() if p.iso3}

    def self_names(self) -> dict[str, set[str]]:
        """ISO code -> the names that are the speaker itself: its own name and predecessors
        listed with `self_for` (the USSR for RUS, which holds its UN seat)."""
        out: dict[str, set[str]] = {iso: {name} for iso, name in self.iso3_names().items()}
        for p in self.partners.values():
            for iso in p.self_for:
                out.setdefault(iso, set()).add(p.name)
        return out

    def kind_of(self, name: str) -> str:
        p = self.partners.get(name)
        return p.kind if p else "other"


def _english_compound_part(word: str) -> bool:
    """A one-word English state name or adjective that can be a part of a hyphenated compound
    (Russian-Chinese, Russia-US): letters only, capitalized, not a phrase or a pattern."""
    return word.isalpha() and word[:1].isupper() and len(word) >= 2 and word.isascii()


def _russian_plain(word: str) -> bool:
    """A Russian alias of plain words (no prefix, glob or exact mark, not an acronym alone)."""
    return (any("а" <= c <= "я" for c in word.lower()) and not any(c in word for c in "*?[=|")
            and not (word.isupper() and " " not in word))


def _case_entries(spec: dict[str, Any], p: Partner, lemmatizer: Lemmatizer) -> list[Entry]:
    """Entries for the case forms of a Russian alias (exact forms for the words that decline),
    capitalized when the alias is; a state adjective in -ский also as a compound's part."""
    word = spec["term"]
    payload = ("partner", p.name, word)
    rules = compile_rules({**spec, "capitalized": True} if word[:1].isupper() else spec, lemmatizer)
    written = word.split()
    out = []
    for phrase in case_phrases(word)[1:]:
        text = " ".join(w if w.lower().replace("ё", "е") == f else f"={f}"
                        for w, f in zip(written, phrase, strict=True))
        out += [Entry(e, payload, rules) for e in term_elements(text, lemmatizer)]
    globs = combining_globs(word) if p.kind == "state" and " " not in word else None
    if globs:
        plain = compile_rules({}, lemmatizer)
        out += [Entry((("g", g),), payload, plain) for g in globs]
    return out


def _merge(partners: dict[str, Partner], rules: dict, data: dict, label: str) -> None:
    raw = data.get("partners") or []
    if not isinstance(raw, list):
        raise LexiconError(f"{label}: `partners` must be a list of entries with `name` and `aliases`.")
    for i, item in enumerate(raw):
        where = f"{label}: partners[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise LexiconError(f"{where}: each partner needs a `name` (its canonical short name).")
        unknown = set(item) - {"name", "kind", "iso3", "aliases", "remove_aliases", "self_for"}
        if unknown:
            raise LexiconError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: name, kind, iso3, "
                               "aliases, remove_aliases, self_for.")
        name = item["name"].strip()
        where = f"{label}: partner {name!r}"
        kind = item.get("kind")
        if kind is not None and kind not in KINDS:
            raise LexiconError(f"{where}: `kind` must be one of {', '.join(KINDS)}; got {kind!r}.")
        partner = partners.get(name)
        if partner is None:
            partner = partners[name] = Partner(name, kind or "other")
            partner.aliases[LANGUAGES[0]] = [normalize_term(name, where)]
        if kind:
            partner.kind = kind
        if item.get("iso3"):
            partner.iso3 = str(item["iso3"]).upper()
        if item.get("self_for"):
            if not isinstance(item["self_for"], list):
                raise LexiconError(f"{where}: `self_for` must be a list of ISO codes.")
            partner.self_for = sorted({*partner.self_for, *(str(c).upper() for c in item["self_for"])})
        aliases = item.get("aliases") or {}
        remove = item.get("remove_aliases") or {}
        if not isinstance(aliases, dict) or not isinstance(remove, dict):
            raise LexiconError(f"{where}: `aliases` and `remove_aliases` map languages (en, ru) to lists.")
        for lang, words in remove.items():
            gone = {" ".join(str(w).split()) for w in (words or [])}
            partner.aliases[lang] = [a for a in partner.aliases.get(lang, []) if a["term"] not in gone]
        for lang, words in aliases.items():
            if lang not in LANGUAGES:
                raise LexiconError(f"{where}: alias language must be one of {', '.join(LANGUAGES)}; got {lang!r}.")
            if not isinstance(words, list):
                raise LexiconError(f"{where}: aliases for {lang!r} must be a list.")
            have = {a["term"] for a in partner.aliases.get(lang, [])}
            for w in words:
                spec = normalize_term(w, f"{where}, {lang}")
                if spec["term"] not in have:
                    partner.aliases.setdefault(lang, []).append(spec)
                    have.add(spec["term"])
                elif isinstance(w, dict):  # the same term with context rules: the rules apply
                    partner.aliases[lang] = [spec if a["term"] == spec["term"] else a for a in partner.aliases[lang]]
    new_rules = data.get("rules") or {}
    if not isinstance(new_rules, dict):
        raise LexiconError(f"{label}: `rules` must be a mapping.")
    for key, value in new_rules.items():
        if key == "source_window":
            if not isinstance(value, int) or value < 0:
                raise LexiconError(f"{label}: rules.source_window must be an int >= 0; got {value!r}.")
            rules[key] = value
        elif key in RULE_LISTS:
            if not isinstance(value, dict):
                raise LexiconError(f"{label}: rules.{key} must map languages to word lists.")
            for lang, words in value.items():
                rules.setdefault(key, {}).setdefault(lang, [])
                rules[key][lang] = list(dict.fromkeys([*rules[key][lang], *map(str, words or [])]))
        else:
            raise LexiconError(f"{label}: unknown rule {key!r}; allowed: source_window, "
                               f"{', '.join(RULE_LISTS)}.")


def load_gazetteer(path: str | Path | dict | None = None, *, base: bool = True) -> Gazetteer:
    """The shipped gazetteer, with a user file (or mapping) merged over it."""
    datas = []
    if base or path is None:
        datas.append(load_yaml(None, "gazetteer.yml"))
    if isinstance(path, dict):
        datas.append((path, "user gazetteer"))
    elif path is not None:
        datas.append(load_yaml(path, "gazetteer.yml"))
    partners: dict[str, Partner] = {}
    rules: dict[str, Any] = {}
    version, sources = "", []
    for data, label in datas:
        if data.get("format") != 1:
            raise LexiconError(f"{label}: `format` must be 1; got {data.get('format')!r}.")
        _merge(partners, rules, copy.deepcopy(data), label)
        version = "+".join(v for v in (version, str(data.get("version") or "")) if v)
        sources.append(label)
    return Gazetteer(version, partners, rules, sources)
