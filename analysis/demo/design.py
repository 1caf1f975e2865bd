"""The demo corpus's planted design: topic shares, term probabilities and frame-sentence rates by year.

Everything the generator plants and `truth.json` reports comes from here; the numbers are the
ground truth the methods are checked against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SEED = 2026
YEARS = tuple(range(2000, 2027))
GENERATOR_VERSION = "1"
# How many documents of each language have every sentence listed with its labels in truth.json.
N_LABELLED = {"en": 45, "ru": 15}
RU_FRACTION = 0.2  # share of each year's documents written in Russian (rounded)


TOPICS = ("terrorism", "drugs_borders", "military_exercises", "information_security", "connectivity")

TOPIC_LABELS = {
    "terrorism": "counter-terrorism and extremism",
    "drugs_borders": "drug trafficking and border security",
    "military_exercises": "military exercises and peacekeeping",
    "information_security": "information and cyber security",
    "connectivity": "economic and transport connectivity",
}

# Key lemmas as the default preprocessing (`PreprocessParams()`) produces them.
TOPIC_KEY_TERMS = {
    "terrorism": ["terrorism", "terrorist", "extremism", "extremist", "radicalization",
                  "counter-terrorism", "anti-terrorist", "cell", "fighter", "ideology",
                  "recruitment", "financing", "explosive"],
    "drugs_borders": ["drug_trafficking", "drug", "narcotic", "precursor", "opium", "smuggle", "seizure", "checkpoint", "guard", "migration", "organized_crime",
                      "custom", "frontier"],
    "military_exercises": ["exercise", "peacekeeping", "peacekeeper", "contingent", "battalion",
                           "troop", "command", "staff", "drill", "manoeuvre", "airborne", "brigade",
                           "peacekeeping_operations", "deployment", "rapid"],
    "information_security": ["information_security", "cyber", "cyberspace", "hacker", "malicious",
                             "software", "digital", "network", "internet", "data", "disinformation",
                             "technology", "computer", "incident", "online"],
    "connectivity": ["transport", "corridor", "railway", "investment", "trade", "logistics",
                     "pipeline", "energy", "connectivity", "tariff", "belt_and_road", "highway",
                     "freight", "infrastructure"],
}

TOPIC_KEY_TERMS_RU = {
    "terrorism": ["терроризм", "террорист", "террористический", "экстремизм", "экстремистский",
                  "радикализация", "вербовка", "антитеррористический", "теракт", "ячейка",
                  "идеология", "финансирование", "взрывчатый"],
    "drugs_borders": ["незаконный_оборот_наркотиков", "наркотик", "наркотический", "прекурсор",
                      "опий", "пограничный", "пограничник", "контрабанда", "изъятие",
                      "миграция", "организованная_преступность", "таможенный"],
    "military_exercises": ["учение", "миротворческий", "миротворец", "контингент", "батальон",
                           "войско", "командно-штабной", "десантный", "бригада", "развертывание",
                           "полигон", "маневр", "подразделение", "миротворческие_операции"],
    "information_security": ["информационная_безопасность", "кибератака", "киберугроза",
                             "киберпространство", "вредоносный", "сеть", "интернет",
                             "дезинформация", "технология", "компьютерный", "инцидент", "данные"],
    "connectivity": ["транспортный", "коридор", "железнодорожный", "инвестиция", "торговля",
                     "логистический", "трубопровод", "энергетический", "тарифный", "магистраль",
                     "грузовой", "инфраструктура", "пояс"],
}


def _lin(year: int, points: Sequence[tuple[int, float]]) -> float:
    """Piecewise-linear value at `year` through (year, value) points, constant outside them."""
    if year <= points[0][0]:
        return points[0][1]
    for (y0, v0), (y1, v1) in zip(points, points[1:], strict=False):
        if year <= y1:
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return points[-1][1]


def topic_shares(year: int) -> dict[str, float]:
    """Planted expected share of each topic among a year's topical sentences."""
    shares = {
        "terrorism": 0.25 if year < 2001 else _lin(year, [(2001, 0.35), (2010, 0.35), (2026, 0.10)]),
        "drugs_borders": _lin(year, [(2014, 0.25), (2026, 0.15)]),
        "military_exercises": 0.20,
        "information_security": _lin(year, [(2014, 0.05), (2026, 0.35)]),
    }
    shares["connectivity"] = 1.0 - sum(shares.values())
    return {k: round(shares[k], 4) for k in TOPICS}


TOPIC_DRIFT = (
    "terrorism: 25% in 2000, 35% 2001-2010, then falls linearly to 10% in 2026; "
    "drugs_borders: 25% to 2014, then falls to 15% in 2026; military_exercises: flat 20%; "
    "information_security: 5% to 2014, then rises linearly to 35% in 2026; "
    "connectivity: the remainder (15-25%)."
)

# Planted terms: each has its own sentences, added to a document with the given probability.
TERM_DESIGN: dict[str, dict[str, Any]] = {
    "multipolar_world": {"direction": "rising", "ru": "многополярный_мир",
                         "points": [(2007, 0.03), (2026, 0.80)]},
    "hybrid": {"direction": "rising", "ru": "гибридный", "points": [(2014, 0.02), (2026, 0.80)]},
    "sovereignty": {"direction": "rising", "ru": "суверенитет", "points": [(2000, 0.03), (2026, 0.70)]},
    "biological": {"direction": "rising", "ru": "биологический",
                   "points": [(2012, 0.02), (2026, 0.75)]},
    "international_terrorism": {"direction": "falling", "ru": "международный_терроризм",
                                "points": [(2000, 0.45), (2001, 0.70), (2010, 0.70), (2026, 0.03)]},
    "separatism": {"direction": "falling", "ru": "сепаратизм", "points": [(2000, 0.65), (2026, 0.02)]},
    "heroin": {"direction": "falling", "ru": "героин", "points": [(2010, 0.60), (2026, 0.02)]},
    "militant": {"direction": "falling", "ru": "боевик", "points": [(2012, 0.55), (2026, 0.03)]},
    "parliamentary": {"direction": "flat", "ru": "парламентский", "points": [(2000, 0.2)]},
    "youth": {"direction": "flat", "ru": "молодежь", "points": [(2000, 0.2)]},
    "humanitarian": {"direction": "flat", "ru": "гуманитарный", "points": [(2000, 0.2)]},
    "anniversary": {"direction": "flat", "ru": "годовщина", "points": [(2000, 0.2)]},
}


def term_probability(term: str, year: int) -> float:
    """Planted probability that a document of `year` carries one sentence with `term`."""
    return round(_lin(year, TERM_DESIGN[term]["points"]), 4)


MULTIPOLARITY_POINTS = [(2007, 0.08), (2026, 0.55)]


def multipolarity_probability(year: int) -> float:
    """Planted probability of one extra world-order (MULTIPOLARITY) sentence in a document."""
    return round(_lin(year, MULTIPOLARITY_POINTS), 4)


# Hard negative cases from the codebook, each added with a constant probability.
HARD_CASE_PROBABILITY = {"goal": 0.2, "challenges": 0.15, "membership": 0.1, "request": 0.1,
                         "un_partner": 0.12}


# How the corpus/demo files (corpus.yml, truth.json, README.md) name the generator.
GENERATOR_NAME = "analysis.demo"
GENERATOR_FILE = "analysis/demo/"
GENERATOR_COMMAND = "python -m analysis.demo"
