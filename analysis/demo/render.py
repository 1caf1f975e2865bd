"""Sentence templates of the demo corpus: loaded from `templates/<language>.yml`, rendered per document.

A template is `(text, threat, multipolarity, cooperation)`. `{a|b|c}` in the text picks one
alternative; slots in brackets (`[ORG]`, `[MEMBER2]`, `[PSTATE.gen]`, ...) are filled from the
document's context (see the header of the template files). In a COOPERATION sentence the
organizations and states filling partner slots are its partners.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from analysis.corpus.language import LANGUAGES
from analysis.demo.names import (
    EXERCISES,
    FOUNDED,
    ORG_EN,
    ORG_RU,
    PARTNER_ORGS,
    PARTNER_UNTIL,
    STATES,
    THREAT_PLACES_EN,
    THREAT_PLACES_RU,
    members,
    outside_states,
)

Template = tuple[str, int, int, int]


@dataclass(frozen=True)
class Templates:
    """One language's sentence templates, as in `templates/<language>.yml`."""

    topics: dict[str, list[Template]]  # topic -> its topical sentences
    terms: dict[str, list[Template]]  # planted term (English lemma) -> sentences carrying it
    multipolarity: list[Template]  # extra world-order sentences
    hard: dict[str, list[Template]]  # hard negative case -> sentences
    prefixes: list[str]  # openers put before some sentences


def _templates(rows: list[list]) -> list[Template]:
    return [(text, threat, multi, coop) for threat, multi, coop, text in rows]


def load_templates(language: str) -> Templates:
    """The sentence templates of one language from the package's `templates/<language>.yml`."""
    path = resources.files("analysis.demo").joinpath("templates", f"{language}.yml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Templates(
        topics={k: _templates(v) for k, v in data["topics"].items()},
        terms={k: _templates(v) for k, v in data["terms"].items()},
        multipolarity=_templates(data["multipolarity"]),
        hard={k: _templates(v) for k, v in data["hard"].items()},
        prefixes=list(data["prefixes"]),
    )


TEMPLATES = {language: load_templates(language) for language in LANGUAGES}

# First words that keep their capital after a prefix.
_PROPER_FIRST = frozenset("Western Eurasia Greater Afghan Запад Евразия".split())

_ALT = re.compile(r"\{([^{}]*)\}")
_SLOT = re.compile(r"\[([A-Z]+[0-9]?)(?:\.([a-z]+))?\]")
PARTNER_SLOTS = ("ORG", "PORG", "PORG2", "MEMBER", "MEMBER2", "MEMBER3", "PSTATE", "CHINA")


@dataclass
class Context:
    """What the slots of one document's sentences are filled from."""

    rng: random.Random
    language: str
    org: str
    year: int
    speaker_country: str
    city: tuple[str, str]


@dataclass
class Sentence:
    """One rendered sentence with its frame labels, partners and template family (`source`)."""

    text: str
    threat: int
    multipolarity: int
    cooperation: int
    partners: list[str]
    source: str


def _state_form(iso: str, case: str | None, rng: random.Random, language: str) -> str:
    canonical, en_forms, nom, gen, ins, dat = STATES[iso]
    if language == "en":
        return rng.choice(en_forms)
    forms = {None: nom, "nom": nom, "gen": gen, "ins": ins, "dat": dat,
             "acc": {"Россия": "Россию", "Армения": "Армению", "Индия": "Индию", "Монголия": "Монголию",
                     "Сербия": "Сербию", "Молдова": "Молдову"}.get(nom, nom)}
    return forms[case]


def org_form(org: str, rng: random.Random, language: str) -> str:
    """One surface form of an organization's name (English variants; Russian abbreviation)."""
    return rng.choice(ORG_EN[org]) if language == "en" else ORG_RU[org]


def render(template: Template, ctx: Context, source: str, *, prefix: bool = False) -> Sentence:
    """Fill a template's alternatives and slots; partners come from the partner slots."""
    text, threat, multi, coop = template
    rng = ctx.rng
    text = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    names = sorted({m.group(1) for m in _SLOT.finditer(text)})
    member_pool = [s for s in members(ctx.org, ctx.year)]
    rng.shuffle(member_pool)
    org_pool = [o for o in PARTNER_ORGS[ctx.org]
                if FOUNDED.get(o, 0) <= ctx.year <= PARTNER_UNTIL.get(o, 9999)]
    rng.shuffle(org_pool)
    outside = outside_states(ctx.org, ctx.year)
    fill: dict[str, tuple[str, str | None]] = {}  # slot -> (kind/id, canonical partner)
    for name in names:
        if name == "ORG":
            fill[name] = ("org:" + ctx.org, ctx.org)
        elif name.startswith("PORG"):
            o = org_pool.pop()
            fill[name] = ("org:" + o, o)
        elif name.startswith("MEMBER"):
            s = member_pool.pop()
            fill[name] = ("state:" + s, STATES[s][0])
        elif name == "PSTATE":
            s = rng.choice(outside)
            fill[name] = ("state:" + s, STATES[s][0])
        elif name == "CHINA":
            fill[name] = ("state:CHN", "China")
        elif name == "TPLACE":
            places = THREAT_PLACES_EN if ctx.language == "en" else THREAT_PLACES_RU
            fill[name] = ("text:" + rng.choice(places), None)
        elif name == "CITY":
            fill[name] = ("city", None)
        elif name == "EX":
            ex = rng.choice(EXERCISES)
            fill[name] = ("text:" + (ex[0] if ctx.language == "en" else ex[1]), None)
        elif name == "N":  # numbers whose Russian noun takes the genitive plural
            fill[name] = ("text:" + str(rng.choice([5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 40, 60])), None)
        elif name == "PCT":
            fill[name] = ("text:" + str(rng.randint(5, 19)), None)
        elif name == "BIG":
            fill[name] = ("text:" + str(rng.choice([500, 1500, 2000, 3000, 5000])), None)
        elif name == "YEAR":
            fill[name] = ("text:" + str(ctx.year), None)
        elif name == "NEXT":
            fill[name] = ("text:" + str(ctx.year + 1), None)
        else:
            raise ValueError(f"unknown slot {name!r} in template {template[0]!r}")

    def sub(m: re.Match) -> str:
        kind, _ = fill[m.group(1)]
        case = m.group(2)
        if kind.startswith("org:"):
            return org_form(kind[4:], rng, ctx.language)
        if kind.startswith("state:"):
            return _state_form(kind[6:], case, rng, ctx.language)
        if kind == "city":
            return ctx.city[0] if ctx.language == "en" else ctx.city[1]
        return kind[5:]

    out = _SLOT.sub(sub, text)
    if prefix:
        prefixes = TEMPLATES[ctx.language].prefixes
        first = out.split(" ", 1)[0]
        keep = (template[0].startswith("[") or first in _PROPER_FIRST
                or (first.isupper() and len(first) > 1))
        out = rng.choice(prefixes) + (out if keep else out[0].lower() + out[1:])
    out = out[0].upper() + out[1:]
    partners: list[str] = []
    if coop:
        for m in _SLOT.finditer(text):
            canon = fill[m.group(1)][1]
            if m.group(1) in PARTNER_SLOTS and canon and canon not in partners:
                partners.append(canon)
        for fixed, canon in (("UN Security Council", "UN"), ("The UN remains", "UN"),
                             ("the OSCE, contacts", "OSCE"), ("ООН остается", "UN"),
                             ("Contacts with NATO", "NATO"), ("Контакты с НАТО", "NATO"),
                             ("Совета Безопасности ООН", "UN"), ("ОБСЕ, контакты", "OSCE"),
                             ("Eurasian Economic Union with the Belt", "EAEU"),
                             ("Евразийского экономического союза", "EAEU"),
                             ("basis of the Shanghai Convention", "SCO"),
                             ("основе Шанхайской конвенции", "SCO")):
            if fixed.lower() in out.lower() and canon not in partners:
                partners.append(canon)
    return Sentence(out, threat, multi, coop, partners, source)
