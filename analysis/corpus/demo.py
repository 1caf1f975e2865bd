"""The synthetic demo corpus: invented security-organization statements with planted, known signals.

`make_demo_documents(seed)` writes a few hundred short dated statements (CSTO, SCO, CIS; 2000-2026;
about 80 % English, 20 % Russian) from templates and returns them with the planted truth: five
topics whose shares drift over the years, rising / falling / flat terms, and sentence-level frame
labels (THREAT, MULTIPOLARITY, COOPERATION, partners; codebook in `docs/codebook.md`).
`write_demo(out_dir)` writes the corpus folder with `corpus.yml`, `truth.json` and a README.
Every text, speaker and event is invented; nothing is quoted from a real source.

Run `python -m analysis.corpus.demo` to regenerate `corpus/demo` (byte for byte the same).
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.corpus.io import write_corpus
from analysis.corpus.model import Document
from analysis.preprocess.pipeline import PreprocessParams, process_sentence
from analysis.preprocess.text import split_sentences

logger = logging.getLogger(__name__)

SEED = 2026
YEARS = tuple(range(2000, 2027))
DEFAULT_OUT = "corpus/demo"
TRUTH_FILE = "truth.json"
README_FILE = "README.md"
GENERATOR_VERSION = "1"

# --------------------------------------------------------------------------------------------
# Planted design: topic shares, term probabilities and frame-sentence probabilities by year
# --------------------------------------------------------------------------------------------

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

# --------------------------------------------------------------------------------------------
# Names: organizations, states, cities (surface forms and canonical partner names)
# --------------------------------------------------------------------------------------------

ORGS = ("CSTO", "SCO", "CIS")

ORG_EN = {
    "CSTO": ["the CSTO", "the CSTO", "the Collective Security Treaty Organization"],
    "SCO": ["the SCO", "the SCO", "the Shanghai Cooperation Organisation"],
    "CIS": ["the CIS", "the CIS", "the Commonwealth of Independent States"],
    "UN": ["the UN", "the United Nations"],
    "EAEU": ["the EAEU", "the Eurasian Economic Union"],
    "OSCE": ["the OSCE"],
    "BRICS": ["BRICS"],
    "EU": ["the EU", "the European Union"],
    "ASEAN": ["ASEAN"],
    "NATO": ["NATO"],
}
ORG_RU = {"CSTO": "ОДКБ", "SCO": "ШОС", "CIS": "СНГ", "UN": "ООН", "EAEU": "ЕАЭС", "OSCE": "ОБСЕ",
          "BRICS": "БРИКС", "EU": "ЕС", "ASEAN": "АСЕАН", "NATO": "НАТО"}

FOUNDED = {"SCO": 2001, "BRICS": 2009, "EAEU": 2015}  # no partner before it exists
PARTNER_UNTIL = {"EU": 2013}  # no partner after this year

PARTNER_ORGS = {
    "CSTO": ["UN", "SCO", "CIS", "OSCE", "EAEU", "EU"],
    "SCO": ["UN", "ASEAN", "CIS", "CSTO", "BRICS", "EAEU"],
    "CIS": ["UN", "CSTO", "SCO", "EAEU", "OSCE", "EU"],
}

STATES = {  # ISO3: (canonical, English variants, Russian nom, gen, ins, dat)
    "RUS": ("Russia", ["Russia", "the Russian Federation"], "Россия", "России", "Россией", "России"),
    "BLR": ("Belarus", ["Belarus", "the Republic of Belarus"], "Беларусь", "Беларуси", "Беларусью",
            "Беларуси"),
    "KAZ": ("Kazakhstan", ["Kazakhstan", "the Republic of Kazakhstan"], "Казахстан", "Казахстана",
            "Казахстаном", "Казахстану"),
    "KGZ": ("Kyrgyzstan", ["Kyrgyzstan", "the Kyrgyz Republic"], "Кыргызстан", "Кыргызстана",
            "Кыргызстаном", "Кыргызстану"),
    "TJK": ("Tajikistan", ["Tajikistan", "the Republic of Tajikistan"], "Таджикистан",
            "Таджикистана", "Таджикистаном", "Таджикистану"),
    "ARM": ("Armenia", ["Armenia", "the Republic of Armenia"], "Армения", "Армении", "Арменией",
            "Армении"),
    "UZB": ("Uzbekistan", ["Uzbekistan", "the Republic of Uzbekistan"], "Узбекистан",
            "Узбекистана", "Узбекистаном", "Узбекистану"),
    "CHN": ("China", ["China", "the People's Republic of China"], "Китай", "Китая", "Китаем",
            "Китаю"),
    "IND": ("India", ["India"], "Индия", "Индии", "Индией", "Индии"),
    "PAK": ("Pakistan", ["Pakistan"], "Пакистан", "Пакистана", "Пакистаном", "Пакистану"),
    "IRN": ("Iran", ["Iran", "the Islamic Republic of Iran"], "Иран", "Ирана", "Ираном", "Ирану"),
    "AZE": ("Azerbaijan", ["Azerbaijan"], "Азербайджан", "Азербайджана", "Азербайджаном",
            "Азербайджану"),
    "MDA": ("Moldova", ["Moldova", "the Republic of Moldova"], "Молдова", "Молдовы", "Молдовой",
            "Молдове"),
    "MNG": ("Mongolia", ["Mongolia"], "Монголия", "Монголии", "Монголией", "Монголии"),
    "SRB": ("Serbia", ["Serbia"], "Сербия", "Сербии", "Сербией", "Сербии"),
    "TKM": ("Turkmenistan", ["Turkmenistan"], "Туркменистан", "Туркменистана", "Туркменистаном",
            "Туркменистану"),
}

RU_SPEAKING = ("RUS", "BLR", "KAZ", "KGZ", "TJK", "ARM", "UZB")


def members(org: str, year: int) -> list[str]:
    """Member states (ISO3) of an organization in a year (simplified, invented for the demo)."""
    if org == "CSTO":
        return ["RUS", "BLR", "KAZ", "KGZ", "TJK", "ARM"]
    if org == "SCO":
        out = ["CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB"]
        if year >= 2017:
            out += ["IND", "PAK"]
        if year >= 2023:
            out.append("IRN")
        return out
    return ["RUS", "BLR", "KAZ", "KGZ", "TJK", "ARM", "UZB", "AZE", "MDA"]


def outside_states(org: str, year: int) -> list[str]:
    """States that are partners but not members."""
    candidates = ["CHN", "MNG", "SRB", "IRN", "IND", "UZB", "TKM", "BLR"]
    inside = set(members(org, year))
    return [s for s in candidates if s not in inside]


SPEAKER_WEIGHTS = {"RUS": 4, "KAZ": 2, "BLR": 2, "KGZ": 1, "TJK": 1, "ARM": 1, "UZB": 1, "CHN": 3,
                   "IND": 1, "PAK": 1, "IRN": 1, "AZE": 1, "MDA": 1}

CITIES = {  # English name, Russian locative
    "CSTO": [("Moscow", "Москве"), ("Minsk", "Минске"), ("Astana", "Астане"), ("Bishkek", "Бишкеке"),
             ("Dushanbe", "Душанбе"), ("Yerevan", "Ереване"), ("Sochi", "Сочи"),
             ("Cholpon-Ata", "Чолпон-Ате")],
    "SCO": [("Beijing", "Пекине"), ("Shanghai", "Шанхае"), ("Astana", "Астане"),
            ("Bishkek", "Бишкеке"), ("Dushanbe", "Душанбе"), ("Tashkent", "Ташкенте"),
            ("Moscow", "Москве"), ("Qingdao", "Циндао")],
    "CIS": [("Moscow", "Москве"), ("Minsk", "Минске"), ("Bishkek", "Бишкеке"),
            ("Dushanbe", "Душанбе"), ("Tashkent", "Ташкенте"), ("Almaty", "Алматы"),
            ("Ashgabat", "Ашхабаде"), ("Chisinau", "Кишиневе")],
}

THREAT_PLACES_EN = ["Afghanistan", "the territory of Afghanistan", "the northern provinces of Afghanistan",
                    "Syria and Iraq", "the Middle East"]
THREAT_PLACES_RU = ["Афганистана", "северных провинций Афганистана", "Сирии и Ирака",
                    "сопредельных с Афганистаном районов"]

EXERCISES = [("Frontier", "Рубеж"), ("Interaction", "Взаимодействие"), ("Search", "Поиск"),
             ("Unbreakable Brotherhood", "Нерушимое братство"), ("Peace Mission", "Мирная миссия"),
             ("Cobalt", "Кобальт"), ("Echelon", "Эшелон")]

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
MONTHS_RU_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря"]
MONTHS_RU_LOC = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                 "сентябре", "октябре", "ноябре", "декабре"]

GENRES = ("statement", "speech", "interview", "communique")
GENRE_WEIGHTS = (3, 3, 2, 2)

SPEAKERS = {
    "CSTO": ["Secretary General", "Deputy Secretary General", "Chief of the Joint Staff",
             "Minister of Foreign Affairs", "Minister of Defence", "Secretary of the Security Council",
             "Chairman of the Permanent Council"],
    "SCO": ["Secretary General", "Director of the RATS Executive Committee", "Minister of Foreign Affairs",
            "Head of State", "National Coordinator", "Minister of Defence"],
    "CIS": ["Chairman of the Executive Committee", "Executive Secretary", "Minister of Foreign Affairs",
            "Head of State", "Chairman of the Council of Border Troops Commanders",
            "Minister of Internal Affairs"],
}
SPEAKERS_RU = {
    "Secretary General": "Генеральный секретарь",
    "Deputy Secretary General": "заместитель Генерального секретаря",
    "Chief of the Joint Staff": "начальник Объединенного штаба",
    "Minister of Foreign Affairs": "министр иностранных дел",
    "Minister of Defence": "министр обороны",
    "Secretary of the Security Council": "секретарь Совета безопасности",
    "Chairman of the Permanent Council": "председатель Постоянного совета",
    "Director of the RATS Executive Committee": "директор Исполнительного комитета РАТС",
    "National Coordinator": "национальный координатор",
    "Head of State": "глава государства",
    "Chairman of the Executive Committee": "председатель Исполнительного комитета",
    "Executive Secretary": "исполнительный секретарь",
    "Chairman of the Council of Border Troops Commanders": "председатель Совета командующих "
                                                           "пограничными войсками",
    "Minister of Internal Affairs": "министр внутренних дел",
}
BODIES = {  # (English, Russian genitive)
    "CSTO": [("Council of Foreign Ministers", "Совета министров иностранных дел"),
             ("Council of Defence Ministers", "Совета министров обороны"),
             ("Committee of Secretaries of Security Councils", "Комитета секретарей советов безопасности"),
             ("Collective Security Council", "Совета коллективной безопасности")],
    "SCO": [("Council of Heads of State", "Совета глав государств"),
            ("Council of Foreign Ministers", "Совета министров иностранных дел"),
            ("Council of the Regional Anti-Terrorist Structure", "Совета Региональной антитеррористической "
                                                                 "структуры"),
            ("Council of Defence Ministers", "Совета министров обороны")],
    "CIS": [("Council of Heads of State", "Совета глав государств"),
            ("Council of Foreign Ministers", "Совета министров иностранных дел"),
            ("Council of Border Troops Commanders", "Совета командующих пограничными войсками"),
            ("Council of Defence Ministers", "Совета министров обороны")],
}

# --------------------------------------------------------------------------------------------
# Sentence templates: (text, threat, multipolarity, cooperation)
#
# `{a|b|c}` picks one alternative. Slots in brackets are filled per sentence: [ORG] the speaker's
# organization, [PORG]/[PORG2] another organization, [MEMBER]/[MEMBER2]/[MEMBER3] member states,
# [PSTATE] a non-member state, [TPLACE] a place named only as a source of danger (never a partner),
# [CITY], [EX] an exercise name, [N]/[PCT]/[BIG] numbers, [YEAR], [NEXT] (the next year).
# Russian slots take a case: [MEMBER.ins].
# In a COOPERATION sentence the organizations and states in partner slots are its partners.
# --------------------------------------------------------------------------------------------

Template = tuple[str, int, int, int]

TOPIC_EN: dict[str, list[Template]] = {
    "terrorism": [
        ("The threat of terrorism and extremism {persists|remains acute|has not diminished} "
         "{in the region|in Central Asia|in our common space}.", 1, 0, 0),
        ("Terrorist {cells|groups|networks} continue to {recruit|draw in} young people through extremist "
         "{ideology|propaganda} and radicalization.", 1, 0, 0),
        ("The anti-terrorist units of [MEMBER] and [MEMBER2] conducted a joint counter-terrorism "
         "operation {against|that dismantled} a terrorist cell {in the border area|near [CITY]}.", 1, 0, 1),
        ("[ORG] and [PORG] agreed to {exchange information on|coordinate measures against} terrorist "
         "financing and the recruitment of fighters.", 1, 0, 1),
        ("Foreign terrorist fighters returning from {conflict zones|abroad} pose a {direct|growing} "
         "danger to {our citizens|the member states}.", 1, 0, 0),
        ("{An attack|Attacks} on {civilians|public transport|schools} {shows|show} that terrorists "
         "{recognize no borders|seek to sow fear}.", 1, 0, 0),
        ("{We count on|We propose} closer coordination with [PORG] in countering the ideology of "
         "terrorism and extremism.", 1, 0, 1),
        ("The financing of terrorism through {illegal|criminal} schemes and the illegal sale of explosive "
         "materials {must be cut off|require a firm response}.", 1, 0, 0),
        ("The competent authorities of the member states of [ORG] {maintain|keep up} a joint list of "
         "terrorist and extremist organizations.", 1, 0, 1),
        ("Extremist {ideology|views} {spreads|spread} {quickly|easily} among {labour migrants|young "
         "people} and {feeds|fuels} the recruitment of new fighters.", 1, 0, 0),
        ("Counter-terrorism {training|education} of {officers|specialists} has become a "
         "{regular|permanent} part of our work.", 0, 0, 0),
    ],
    "drugs_borders": [
        ("Drug trafficking from [TPLACE] remains {one of the main sources|a major source} of "
         "income for criminal groups.", 1, 0, 0),
        ("Smuggling of narcotics and precursors across the border {feeds|fuels} organized crime "
         "{in the region|throughout Central Asia}.", 1, 0, 0),
        ("Border guards, customs and police of [MEMBER] and [MEMBER2] {conducted|carried out} the "
         "joint operation \"Channel\" to {intercept|block} drug trafficking routes.", 1, 0, 1),
        ("[ORG] and [PORG] signed a memorandum on joint border checkpoints and the exchange of "
         "records on drug seizures.", 0, 0, 1),
        ("Illegal migration and organized crime {along|across} the southern frontier "
         "{remain a serious concern|are growing}.", 1, 0, 0),
        ("A new border checkpoint {equipped with modern scanners|with a customs terminal} opened "
         "{in the south of the country|near [CITY]}.", 0, 0, 0),
        ("The seizure of [N] tonnes of {drugs|narcotic substances} {this year|over the past year} "
         "{shows|confirms} the scale of the drug threat.", 1, 0, 0),
        ("The border services of the member states of [ORG] {coordinate|synchronize} their patrols "
         "on the {external|common} frontier.", 0, 0, 1),
        ("Opium cultivation in [TPLACE] {keeps growing|has reached record levels}, and the flow of "
         "drugs northwards {does not stop|is increasing}.", 1, 0, 0),
        ("Customs officers and border guards {received|were given} new equipment for the detection "
         "of precursors.", 0, 0, 0),
        ("[ORG] {is ready to|will} {assist|support} [PSTATE] in strengthening the border and "
         "customs control against drug smuggling.", 1, 0, 1),
    ],
    "military_exercises": [
        ("Contingents of [MEMBER], [MEMBER2] and [MEMBER3] took part in the joint exercise "
         "\"[EX]-[YEAR]\".", 0, 0, 1),
        ("The command staff drill \"[EX]\" will take place at a training ground {near [CITY]|in the "
         "mountains} in {October|September}.", 0, 0, 0),
        ("During the joint exercise, troops of the member states of [ORG] practised repelling an "
         "incursion of illegal armed groups.", 1, 0, 1),
        ("The airborne battalion and a brigade of the rapid reaction forces {completed|practised} "
         "deployment to an unfamiliar area.", 0, 0, 0),
        ("[ORG] is ready to provide peacekeeping contingents for operations under a mandate of the "
         "UN Security Council.", 0, 0, 1),
        ("The peacekeepers' main task is to {maintain|preserve} peace and stability.", 0, 0, 0),
        ("The peacekeeping forces of [ORG] held joint manoeuvres with [PORG] {for the first time|"
         "in a new format}.", 0, 0, 1),
        ("More than [BIG] troops and {hundreds of|dozens of} units of equipment {were involved|took "
         "part} in the manoeuvre.", 0, 0, 0),
        ("The staff of the collective forces {rehearsed|tested} the command and control of "
         "{airborne|mountain} units in a peacekeeping operation.", 0, 0, 0),
        ("{A peacekeeping battalion|Peacekeepers} of [MEMBER] {joined|completed} a joint peacekeeping "
         "operation together with {units|contingents} of [MEMBER2].", 0, 0, 1),
        ("The scenario {simulated|envisaged} an armed conflict escalating near the borders of a "
         "member state.", 1, 0, 0),
        ("{Rapid|Timely} deployment of the brigade {remains|is} a {priority|key requirement} of the "
         "training plan.", 0, 0, 0),
    ],
    "information_security": [
        ("Cyber attacks on critical facilities and the spread of disinformation online have become "
         "{a serious|a growing|a real} threat.", 1, 0, 0),
        ("Malicious software and hacker groups are used to {commit crimes|steal data} in the field of "
         "information technology.", 1, 0, 0),
        ("[ORG] and [PORG] agreed to hold regular consultations on information security and the "
         "protection of data networks.", 0, 0, 1),
        ("The member states of [ORG] adopted a plan of joint measures to counter cyber threats and "
         "computer incidents {on the internet|in cyberspace}.", 1, 0, 1),
        ("Western {countries|special services} use the internet, digital platforms and "
         "disinformation to {interfere in our affairs|impose their will} on other states.", 1, 1, 0),
        ("The national computer incident response centre {launched|opened} a new data platform.",
         0, 0, 0),
        ("During the joint operation \"Proxy\", [N] internet resources used for the spread of "
         "disinformation online were blocked by the member states.", 1, 0, 1),
        ("Digital technologies bring new challenges for {the member states|our societies}.", 0, 0, 0),
        ("False messages and disinformation {spread|circulate} online {within hours|faster than ever} "
         "and {undermine|erode} trust in digital networks.", 1, 0, 0),
        ("[MEMBER] and [MEMBER2] {signed|concluded} an agreement on the exchange of data on computer "
         "incidents and cyber threats.", 1, 0, 1),
        ("{Protecting|Securing} the networks and data centres of {government bodies|banks} "
         "{is|remains} a priority of digital development.", 0, 0, 0),
        ("Hacker attacks on the computer networks of {banks|energy companies|government bodies} "
         "have {multiplied|grown several times} in recent years.", 1, 0, 0),
        ("The use of digital technology and the internet for criminal purposes poses a "
         "{growing|serious} danger in cyberspace.", 1, 0, 0),
        ("[ORG] and [PORG] will jointly counter the criminal use of the internet, malicious software "
         "and computer attacks.", 1, 0, 1),
        ("Fake news and deepfakes {spread online|circulate on the internet} to destabilize the "
         "situation in {our countries|the region}.", 1, 0, 0),
    ],
    "connectivity": [
        ("[MEMBER] and [PSTATE] signed an agreement on a new {transport corridor|railway line} "
         "linking {their economies|Central Asia with the sea}.", 0, 0, 1),
        ("Linking the Eurasian Economic Union with the Belt and Road initiative of [CHINA] opens new "
         "{opportunities|prospects} for trade.", 0, 0, 1),
        ("Freight traffic on the {railway|highway} {grew|increased} by [PCT] percent last year.", 0, 0, 0),
        ("Investment in transport infrastructure {is|remains} a {driver|key driver} of growth in the "
         "region.", 0, 0, 0),
        ("Unilateral sanctions against energy and transport projects {threaten|endanger} the "
         "{economies|livelihoods} of entire regions.", 1, 1, 0),
        ("The member states of [ORG] {coordinate|harmonize} tariff policy and logistics along the "
         "{international|north-south} corridor.", 0, 0, 1),
        ("The new {gas|oil} pipeline {from [MEMBER]|across the region} {will supply|supplies} energy "
         "to [N] million {consumers|households}.", 0, 0, 0),
        ("[ORG] and [PORG] {drafted|approved} a roadmap on connectivity, trade and investment.",
         0, 0, 1),
        ("Modern logistics hubs and {highways|railways} {reduce|cut} the cost of freight "
         "{transport|delivery}.", 0, 0, 0),
        ("{Energy|Transport} connectivity between [MEMBER] and [MEMBER2] {has improved|is improving} "
         "thanks to joint infrastructure projects.", 0, 0, 1),
        ("Trade {between the member states|within the region} {reached|exceeded} [N] billion "
         "dollars.", 0, 0, 0),
    ],
}

TOPIC_RU: dict[str, list[Template]] = {
    "terrorism": [
        ("Угроза терроризма и экстремизма {сохраняется|остается острой|не снижается} "
         "{в регионе|в Центральной Азии|на пространстве Содружества}.", 1, 0, 0),
        ("Террористические {ячейки|группировки} продолжают вербовку молодых людей с помощью "
         "экстремистской {идеологии|пропаганды} и радикализации.", 1, 0, 0),
        ("Антитеррористические службы [MEMBER.gen] и [MEMBER2.gen] провели совместную "
         "операцию по ликвидации террористической ячейки.", 1, 0, 1),
        ("[ORG] и [PORG] договорились {обмениваться информацией о|координировать меры против} "
         "финансирования терроризма и вербовки террористов.", 1, 0, 1),
        ("Иностранные террористы, возвращающиеся из зон конфликтов, представляют "
         "{прямую|растущую} угрозу для государств-членов.", 1, 0, 0),
        ("Теракты против {мирных граждан|объектов транспорта} показывают, что террористы "
         "{не признают границ|стремятся посеять страх}.", 1, 0, 0),
        ("{Мы рассчитываем на|Мы предлагаем} более тесную координацию с [PORG] в противодействии "
         "идеологии терроризма и экстремизма.", 1, 0, 1),
        ("Финансирование терроризма через {теневые|преступные} схемы и незаконный оборот "
         "взрывчатых веществ {должны быть пресечены|требуют жесткого ответа}.", 1, 0, 0),
        ("Компетентные органы государств - членов [ORG] ведут единый список террористических и "
         "экстремистских организаций.", 1, 0, 1),
    ],
    "drugs_borders": [
        ("Незаконный оборот наркотиков из [TPLACE.gen] остается {одним из главных источников|"
         "крупным источником} доходов преступных группировок.", 1, 0, 0),
        ("Контрабанда наркотиков и прекурсоров через границу {подпитывает|усиливает} организованную "
         "преступность в регионе.", 1, 0, 0),
        ("Пограничники, таможенные органы и полиция [MEMBER.gen] и [MEMBER2.gen] провели совместную "
         "операцию «Канал» по перекрытию каналов незаконного оборота наркотиков.", 1, 0, 1),
        ("[ORG] и [PORG] подписали меморандум о совместных пограничных пунктах и обмене сведениями "
         "об изъятии наркотиков.", 0, 0, 1),
        ("Незаконная миграция и организованная преступность на южной границе "
         "{вызывают серьезную обеспокоенность|растут}.", 1, 0, 0),
        ("Новый пограничный пункт {с современным досмотровым оборудованием|с таможенным терминалом} "
         "открыт на юге страны.", 0, 0, 0),
        ("Изъятие [N] тонн наркотических средств за год {показывает|подтверждает} масштаб "
         "наркоугрозы.", 1, 0, 0),
        ("Пограничные ведомства государств - членов [ORG] {координируют|согласовывают} охрану "
         "внешней границы.", 0, 0, 1),
        ("Таможенные органы и пограничники получили новое оборудование для выявления "
         "прекурсоров.", 0, 0, 0),
        ("Производство опия на территории Афганистана {продолжает расти|достигло рекордного "
         "уровня}, и поток наркотиков на север не прекращается.", 1, 0, 0),
    ],
    "military_exercises": [
        ("Контингенты [MEMBER.gen], [MEMBER2.gen] и [MEMBER3.gen] приняли участие в совместном "
         "учении «[EX]-[YEAR]».", 0, 0, 1),
        ("Командно-штабное учение «[EX]» пройдет на полигоне {в горной местности|в [CITY.loc]} "
         "в {октябре|сентябре}.", 0, 0, 0),
        ("В ходе совместного учения войска государств - членов [ORG] отработали отражение "
         "вторжения незаконных вооруженных формирований.", 1, 0, 1),
        ("Десантный батальон и бригада сил быстрого реагирования {завершили|отработали} "
         "развертывание в незнакомом районе.", 0, 0, 0),
        ("Государства - члены [ORG] готовы предоставить миротворческие контингенты для операций по "
         "мандату Совета Безопасности ООН.", 0, 0, 1),
        ("Главная задача миротворцев состоит в том, чтобы {поддерживать|сохранять} мир и "
         "стабильность.", 0, 0, 0),
        ("Миротворческие силы [ORG] {впервые|в новом формате} провели совместные маневры с [PORG].",
         0, 0, 1),
        ("В учении {были задействованы|участвовали} более [BIG] военнослужащих и сотни единиц "
         "техники, включая десантные подразделения.", 0, 0, 0),
        ("Сценарий учения {предусматривал|моделировал} эскалацию вооруженного конфликта у границ "
         "государства-члена.", 1, 0, 0),
        ("Штаб коллективных сил отработал управление подразделениями в ходе миротворческой "
         "операции.", 0, 0, 0),
    ],
    "information_security": [
        ("Кибератаки на критически важные объекты и распространение дезинформации стали "
         "{серьезной|растущей|реальной} угрозой.", 1, 0, 0),
        ("Вредоносные программы используются для совершения преступлений в сфере информационных "
         "технологий и хищения данных.", 1, 0, 0),
        ("[ORG] и [PORG] договорились проводить регулярные консультации по информационной "
         "безопасности.", 0, 0, 1),
        ("Государства - члены [ORG] приняли план совместных мер по противодействию киберугрозам в "
         "{сети Интернет|киберпространстве}.", 1, 0, 1),
        ("Западные {страны|спецслужбы} используют интернет и цифровые платформы, чтобы "
         "{вмешиваться в наши дела|навязывать свою волю} другим государствам.", 1, 1, 0),
        ("Национальный центр реагирования на компьютерные инциденты запустил новую платформу "
         "данных.", 0, 0, 0),
        ("Число хакерских атак на {банки|энергетические компании|государственные сети} за последние "
         "годы многократно выросло.", 1, 0, 0),
        ("Использование информационных технологий в преступных целях и для разжигания вражды "
         "представляет {растущую|серьезную} опасность.", 1, 0, 0),
        ("[ORG] и [PORG] будут совместно противодействовать преступному использованию сети "
         "Интернет и компьютерным атакам.", 1, 0, 1),
        ("Цифровые технологии ставят перед государствами-членами новые вызовы.", 0, 0, 0),
        ("Киберпространство все чаще используется для {вмешательства во внутренние дела|"
         "дестабилизации обстановки} суверенных государств с помощью цифровых технологий.", 1, 0, 0),
        ("Ложные сообщения и дезинформация распространяются в сети {за считанные часы|быстрее, "
         "чем когда-либо,} и подрывают доверие к государственным институтам.", 1, 0, 0),
        ("[MEMBER] и [MEMBER2] заключили соглашение об обмене данными о компьютерных инцидентах и "
         "киберугрозах.", 1, 0, 1),
    ],
    "connectivity": [
        ("[MEMBER] и [PSTATE] подписали соглашение о новом {транспортном коридоре|железнодорожном "
         "маршруте}.", 0, 0, 1),
        ("Сопряжение Евразийского экономического союза и инициативы «Пояс и путь» [CHINA.gen] "
         "открывает новые возможности для торговли.", 0, 0, 1),
        ("Грузовые перевозки по {железнодорожной магистрали|автомагистрали} выросли за год на [PCT] "
         "процентов.", 0, 0, 0),
        ("Инвестиции в транспортную инфраструктуру {являются|остаются} {двигателем|ключевым "
         "двигателем} роста в регионе.", 0, 0, 0),
        ("Односторонние санкции против энергетических и транспортных проектов угрожают экономике "
         "целых регионов.", 1, 1, 0),
        ("Государства - члены [ORG] {согласовывают|гармонизируют} тарифную политику и логистические "
         "услуги в транспортном коридоре.", 0, 0, 1),
        ("Новый {газопровод|нефтепровод} станет частью энергетической инфраструктуры региона, "
         "как и действующие трубопроводы.", 0, 0, 0),
        ("[ORG] и [PORG] {разработали|утвердили} дорожную карту по развитию торговли, инвестиций и "
         "транспортной связанности.", 0, 0, 1),
        ("Товарооборот между государствами-членами {достиг|превысил} [N] миллиардов долларов.",
         0, 0, 0),
    ],
}

TERM_EN: dict[str, list[Template]] = {
    "multipolar_world": [
        ("The formation of a multipolar world is an {objective|irreversible} process.", 0, 1, 0),
        ("Today Eurasia appears as {the|a} geopolitical centre of a multipolar world.", 0, 1, 0),
        ("[ORG] and [PORG] share the vision of a {just|fair} multipolar world based on international "
         "law.", 0, 1, 1),
        ("In a multipolar world there is no place for {military blocs|dividing lines} and "
         "{diktat|double standards}.", 0, 1, 0),
        ("{New centres of power|The countries of the Global South} are shaping a multipolar world.",
         0, 1, 0),
    ],
    "hybrid": [
        ("Hybrid {threats|methods of warfare} are becoming a {serious|permanent} factor of "
         "instability.", 1, 0, 0),
        ("Western countries are using hybrid wars to {weaken their opponents|undermine sovereign "
         "states}.", 1, 1, 0),
        ("The member states of [ORG] will jointly {develop|work out} measures to counter hybrid "
         "threats.", 1, 0, 1),
        ("{Colour revolutions|Information campaigns} are {an instrument|a tool} of hybrid war against "
         "our states.", 1, 0, 0),
    ],
    "sovereignty": [
        ("The member states will {defend|uphold} their sovereignty and {independent choice|the right "
         "to choose} of their path of development.", 0, 0, 0),
        ("Respect for the sovereignty of states must be the foundation of a {fair|new} world order "
         "instead of the diktat of one power.", 0, 1, 0),
        ("{Strengthening|Ensuring} digital and technological sovereignty is a {priority|key task} "
         "for {the coming years|our countries}.", 0, 0, 0),
        ("Foreign interference aimed at undermining the sovereignty of our states is a direct "
         "threat to stability.", 1, 0, 0),
        ("[MEMBER] and [MEMBER2] reaffirmed {mutual|their} support for each other's sovereignty and "
         "territorial integrity.", 0, 0, 1),
    ],
    "biological": [
        ("The activity of foreign military biological laboratories near our borders is a "
         "{cause of concern|serious concern}.", 1, 0, 0),
        ("Biological threats, including {pandemics|dangerous infections}, {require|call for} a "
         "coordinated response.", 1, 0, 0),
        ("[ORG] and [PORG] agreed to coordinate measures against biological threats.", 1, 0, 1),
        ("The pandemic {showed|demonstrated} how vulnerable our economies are to biological "
         "{risks|dangers}.", 1, 0, 0),
    ],
    "international_terrorism": [
        ("International terrorism {remains|is still} the main threat to {security|stability} in the "
         "region.", 1, 0, 0),
        ("[ORG] and [PORG] agreed to {unite|coordinate} their efforts against international "
         "terrorism.", 1, 0, 1),
        ("The fight against international terrorism {requires|demands} {the|a} {collective|common} "
         "response of the world community.", 1, 0, 0),
        ("International terrorism {has no nationality|knows no borders}, and no state can "
         "{defeat|confront} it alone.", 1, 0, 0),
    ],
    "separatism": [
        ("Terrorism, separatism and extremism, the \"three evils\", {remain|continue to be} a "
         "danger to the region.", 1, 0, 0),
        ("The member states of [ORG] {act|stand} together against separatism and extremism on the "
         "basis of the Shanghai Convention.", 1, 0, 1),
        ("Aggressive separatism {threatens|endangers} the territorial integrity of {several|our} "
         "states.", 1, 0, 0),
    ],
    "heroin": [
        ("Afghan heroin {flows|reaches} {northwards|our cities} through {the|our} {porous|long} "
         "borders.", 1, 0, 0),
        ("Border guards of [MEMBER] and [MEMBER2] seized [N] kilograms of heroin during a joint "
         "{operation|raid}.", 1, 0, 1),
        ("Heroin addiction {destroys|ruins} the health of {young people|a whole generation}.", 1, 0, 0),
    ],
    "militant": [
        ("Militants from [TPLACE] {attempted to break through|tried to infiltrate} the border of the "
         "member states.", 1, 0, 0),
        ("{Armed|Heavily armed} militants {were detained|were neutralized} {in the border area|in the "
         "mountains} by special forces.", 1, 0, 0),
        ("The concentration of militants near the southern borders {remains|is} a {source|matter} of "
         "concern.", 1, 0, 0),
    ],
    "parliamentary": [
        ("Draft model laws were sent to the parliamentary assembly for {review|consideration}.",
         0, 0, 0),
        ("The parliamentary {hearings|commission} on {defence|legal} matters {will meet|met} "
         "in [CITY].", 0, 0, 0),
    ],
    "youth": [
        ("A youth {forum|festival} will be held in [CITY] in {June|the summer}.", 0, 0, 0),
        ("{Patriotic|Civic} education of youth {remains|is} {an important|a special} "
         "{theme|subject} of the year.", 0, 0, 0),
    ],
    "humanitarian": [
        ("[ORG] sent a humanitarian {convoy|mission} to [PSTATE].", 0, 0, 1),
        ("Humanitarian {aid|assistance} from [MEMBER] {was delivered to|arrived in} [MEMBER2] "
         "{in time|within days}.", 0, 0, 1),
    ],
    "anniversary": [
        ("The anniversary of the signing of the Treaty was marked by a ceremony in [CITY].", 0, 0, 0),
        ("{This year|Next year} we {celebrate|mark} the anniversary of our organization.", 0, 0, 0),
    ],
}

TERM_RU: dict[str, list[Template]] = {
    "multipolar_world": [
        ("Формирование многополярного мира является {объективным|необратимым} процессом.", 0, 1, 0),
        ("Сегодня Евразия выступает геополитическим центром многополярного мира.", 0, 1, 0),
        ("[ORG] и [PORG] разделяют видение справедливого многополярного мира, основанного на "
         "международном праве.", 0, 1, 1),
        ("В многополярном мире нет места {военным блокам|разделительным линиям} и двойным "
         "стандартам.", 0, 1, 0),
    ],
    "hybrid": [
        ("Гибридные {угрозы|методы ведения войны} становятся {серьезным|постоянным} фактором "
         "нестабильности.", 1, 0, 0),
        ("Западные страны используют гибридные войны, чтобы {ослабить своих оппонентов|подорвать "
         "суверенные государства}.", 1, 1, 0),
        ("Государства - члены [ORG] совместно выработают меры противодействия гибридным угрозам.",
         1, 0, 1),
    ],
    "sovereignty": [
        ("Государства-члены будут {защищать|отстаивать} свой суверенитет и право на "
         "самостоятельный выбор пути развития.", 0, 0, 0),
        ("Уважение суверенитета государств должно стать основой справедливого миропорядка вместо "
         "диктата одной державы.", 0, 1, 0),
        ("Внешнее вмешательство, направленное на подрыв суверенитета наших государств, является "
         "прямой угрозой стабильности.", 1, 0, 0),
        ("{Укрепление|Обеспечение} цифрового и технологического суверенитета является "
         "{приоритетом|ключевой задачей}.", 0, 0, 0),
    ],
    "biological": [
        ("Деятельность иностранных военных биологических лабораторий вблизи наших границ вызывает "
         "{обеспокоенность|серьезную обеспокоенность}.", 1, 0, 0),
        ("Биологические угрозы, включая {пандемии|опасные инфекции}, требуют скоординированного "
         "ответа.", 1, 0, 0),
        ("[ORG] и [PORG] договорились координировать меры против биологических угроз.", 1, 0, 1),
    ],
    "international_terrorism": [
        ("Международный терроризм {остается|по-прежнему является} главной угрозой безопасности в "
         "регионе.", 1, 0, 0),
        ("[ORG] и [PORG] договорились {объединить|координировать} усилия в борьбе с международным "
         "терроризмом.", 1, 0, 1),
        ("Борьба с международным терроризмом требует коллективного ответа мирового сообщества.",
         1, 0, 0),
    ],
    "separatism": [
        ("Терроризм, сепаратизм и экстремизм, так называемые «три зла», {остаются|продолжают "
         "оставаться} опасностью для региона.", 1, 0, 0),
        ("Государства - члены [ORG] {совместно противостоят|вместе противодействуют} сепаратизму и "
         "экстремизму на основе Шанхайской конвенции.", 1, 0, 1),
        ("Агрессивный сепаратизм угрожает территориальной целостности ряда государств.", 1, 0, 0),
    ],
    "heroin": [
        ("Афганский героин {поступает|проникает} на север через протяженные границы.", 1, 0, 0),
        ("Пограничники [MEMBER.gen] и [MEMBER2.gen] изъяли [N] килограммов героина в ходе "
         "совместной операции.", 1, 0, 1),
        ("Распространение героина разрушает здоровье целого поколения.", 1, 0, 0),
    ],
    "militant": [
        ("Боевики из [TPLACE.gen] {пытались прорваться|пытались проникнуть} через границу "
         "государств-членов.", 1, 0, 0),
        ("Вооруженные боевики были {задержаны|нейтрализованы} спецподразделениями в приграничном "
         "районе.", 1, 0, 0),
        ("Сосредоточение боевиков у южных границ {остается|является} поводом для "
         "обеспокоенности.", 1, 0, 0),
    ],
    "parliamentary": [
        ("Проекты модельных законов направлены на рассмотрение в парламентскую ассамблею.",
         0, 0, 0),
        ("Парламентские слушания по вопросам обороны пройдут в [CITY.loc].", 0, 0, 0),
    ],
    "youth": [
        ("В [CITY.loc] в {июне|летний период} пройдет форум, посвященный проблемам молодежи.",
         0, 0, 0),
        ("Патриотическое воспитание молодежи остается важной темой года.", 0, 0, 0),
    ],
    "humanitarian": [
        ("По линии [ORG] в [PSTATE.acc] направлен гуманитарный {конвой|груз}.", 0, 0, 1),
        ("Гуманитарная помощь от [MEMBER.gen] доставлена {в [MEMBER2.acc]|в срок}.", 0, 0, 1),
    ],
    "anniversary": [
        ("Годовщина подписания Договора была отмечена торжественной церемонией в [CITY.loc].",
         0, 0, 0),
        ("В этом году мы отмечаем годовщину создания нашей организации.", 0, 0, 0),
    ],
}

MULTIPOLARITY_EN: list[Template] = [
    ("The world is moving towards a {polycentric|more just} world order with new centres of power.",
     0, 1, 0),
    ("Attempts to preserve the hegemony of one state {are doomed|have no future}.", 0, 1, 0),
    ("[ORG] stands for indivisible security, under which no state strengthens its own security at "
     "the expense of others.", 0, 1, 0),
    ("A new security architecture in Eurasia must rest on the sovereign equality of states.", 0, 1, 0),
    ("The expansion of NATO to the east and the militarization of Europe {undermine|erode} strategic "
     "stability.", 1, 1, 0),
    ("The system of international security built after the Second World War is going through a "
     "{deep|profound} crisis.", 0, 1, 0),
    ("The West {seeks to|tries to} impose its rules on the rest of the world.", 0, 1, 0),
    ("Together with [PORG] and [PORG2], [ORG] is building a {fairer|more democratic} system of "
     "international relations free of hegemony.", 0, 1, 1),
    ("Greater Eurasia is emerging as {a space|an independent space} of its own with its own centres "
     "of power.", 0, 1, 0),
]

MULTIPOLARITY_RU: list[Template] = [
    ("Мир движется к {полицентричному|более справедливому} миропорядку с новыми центрами силы.",
     0, 1, 0),
    ("Попытки сохранить гегемонию одного государства {обречены на провал|не имеют будущего}.",
     0, 1, 0),
    ("[ORG] выступает за неделимую безопасность, при которой ни одно государство не укрепляет свою "
     "безопасность за счет других.", 0, 1, 0),
    ("Новая архитектура безопасности в Евразии должна опираться на суверенное равенство "
     "государств.", 0, 1, 0),
    ("Расширение НАТО на восток и милитаризация Европы подрывают стратегическую стабильность.",
     1, 1, 0),
    ("Система международной безопасности, созданная после Второй мировой войны, переживает "
     "глубокий кризис.", 0, 1, 0),
    ("Запад {стремится|пытается} навязать свои правила остальному миру.", 0, 1, 0),
    ("Вместе с [PORG] и [PORG2] [ORG] строит более справедливую систему международных отношений, "
     "свободную от гегемонии.", 0, 1, 1),
]

HARD_EN: dict[str, list[Template]] = {
    "goal": [
        ("Our main task is to maintain peace and stability in the region.", 0, 0, 0),
        ("{Security|Stability} and {prosperity|well-being} of our peoples {remain|are} the "
         "{highest|main} goal.", 0, 0, 0),
    ],
    "challenges": [
        ("The member states face new challenges.", 0, 0, 0),
        ("{Today|In this period}, the world {is changing rapidly|is full of challenges}.", 0, 0, 0),
    ],
    "membership": [
        ("[PSTATE] {became|was granted the status of} an observer of [ORG] in [YEAR].", 0, 0, 0),
        ("[MEMBER] {is|has been} a member of [ORG] since its {foundation|creation}.", 0, 0, 0),
    ],
    "request": [
        ("We call on all states to support our draft resolution {in the General Assembly|at the "
         "United Nations}.", 0, 0, 0),
        ("We {hope|expect} that other countries will support the initiative of [MEMBER].", 0, 0, 0),
    ],
    "un_partner": [
        ("The UN remains our main partner.", 0, 0, 1),
        ("As for the OSCE, contacts have been suspended.", 0, 0, 1),
        ("Contacts with NATO have been {frozen|suspended} {for several years|since the crisis}.",
         0, 0, 1),
    ],
}

HARD_RU: dict[str, list[Template]] = {
    "goal": [
        ("Наша главная задача состоит в поддержании мира и стабильности в регионе.", 0, 0, 0),
        ("{Безопасность|Стабильность} и благополучие наших народов остаются главной целью.", 0, 0, 0),
    ],
    "challenges": [
        ("Государства-члены сталкиваются с новыми вызовами.", 0, 0, 0),
        ("Сегодня мир быстро меняется.", 0, 0, 0),
    ],
    "membership": [
        ("Статус наблюдателя при [ORG] был предоставлен [PSTATE.dat] в [YEAR] году.", 0, 0, 0),
        ("[MEMBER] является членом [ORG] с момента создания организации.", 0, 0, 0),
    ],
    "request": [
        ("Мы призываем все государства поддержать наш проект резолюции в Генеральной Ассамблее.",
         0, 0, 0),
        ("Мы надеемся, что другие страны поддержат инициативу [MEMBER.gen].", 0, 0, 0),
    ],
    "un_partner": [
        ("ООН остается нашим главным партнером.", 0, 0, 1),
        ("Что касается ОБСЕ, контакты приостановлены.", 0, 0, 1),
        ("Контакты с НАТО {заморожены|приостановлены} уже несколько лет.", 0, 0, 1),
    ],
}

PREFIXES_EN = ["At the same time, ", "Moreover, ", "In our view, ", "As is well known, ",
               "In addition, ", "It should be noted that "]
PREFIXES_RU = ["Вместе с тем ", "Кроме того, ", "По нашему мнению, ", "Как известно, ",
               "Следует отметить, что "]
# First words that keep their capital after a prefix.
_PROPER_FIRST = frozenset("Western Eurasia Greater Afghan Запад Евразия".split())


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

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


def _org_form(org: str, rng: random.Random, language: str) -> str:
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
            return _org_form(kind[4:], rng, ctx.language)
        if kind.startswith("state:"):
            return _state_form(kind[6:], case, rng, ctx.language)
        if kind == "city":
            return ctx.city[0] if ctx.language == "en" else ctx.city[1]
        return kind[5:]

    out = _SLOT.sub(sub, text)
    if prefix:
        prefixes = PREFIXES_EN if ctx.language == "en" else PREFIXES_RU
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


# --------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------

def _date(rng: random.Random, year: int, org: str) -> tuple[str, str]:
    """A date string with mixed precision (mostly days); SCO documents start in June 2001."""
    precision = rng.choices(["day", "month", "year"], weights=[80, 15, 5])[0]
    month = rng.randint(1, 12)
    if org == "SCO" and year == 2001:
        month = rng.randint(6, 12)
        precision = "day" if precision == "year" else precision
    day = rng.randint(1, 28)
    if precision == "day":
        return f"{year:04d}-{month:02d}-{day:02d}", precision
    if precision == "month":
        return f"{year:04d}-{month:02d}", precision
    return f"{year:04d}", precision


def _date_phrase(date: str, language: str) -> str:
    parts = [int(p) for p in date.split("-")]
    if language == "en":
        if len(parts) == 3:
            return f"On {parts[2]} {MONTHS_EN[parts[1] - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"In {MONTHS_EN[parts[1] - 1]} {parts[0]}"
        return f"In {parts[0]}"
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS_RU_GEN[parts[1] - 1]} {parts[0]} года"
    if len(parts) == 2:
        return f"В {MONTHS_RU_LOC[parts[1] - 1]} {parts[0]} года"
    return f"В {parts[0]} году"


def _opening(ctx: Context, genre: str, date: str, speaker: str, body: tuple[str, str]) -> list[Sentence]:
    rng = ctx.rng
    when = _date_phrase(date, ctx.language)
    en = ctx.language == "en"
    org = _org_form(ctx.org, rng, ctx.language)
    city = ctx.city[0] if en else ctx.city[1]
    out: list[Template] = []
    if genre == "statement":
        out.append((f"{when}, the {speaker} of {org} {{issued|made}} a statement on the "
                    "{situation in the region|results of the recent consultations|current agenda}."
                    if en else
                    f"{when} {SPEAKERS_RU[speaker]} {org} {{распространил заявление|выступил с "
                    "заявлением} {о ситуации в регионе|по текущей повестке}.", 0, 0, 0))
    elif genre == "speech":
        if rng.random() < 0.6:
            out.append(("{Dear colleagues|Distinguished participants}!" if en else
                        "{Уважаемые коллеги|Уважаемые участники заседания}!", 0, 0, 0))
        out.append((f"{when}, the {speaker} {{addressed|spoke at}} the meeting of the {body[0]} of "
                    f"{org} in {city}." if en else
                    f"{when} {SPEAKERS_RU[speaker]} выступил на заседании {body[1]} {org} в {city}.",
                    0, 0, 1))
    elif genre == "interview":
        out.append((f"{when}, the {speaker} {{gave an interview to|answered questions from}} "
                    "{a national news agency|a leading newspaper|a television channel}." if en else
                    f"{when} {SPEAKERS_RU[speaker]} {{дал интервью|ответил на вопросы}} "
                    "{информационному агентству|ведущей газете|телеканалу}.", 0, 0, 0))
    else:
        out.append((f"{when}, the {body[0]} of {org} held {{its regular session|a meeting}} in "
                    f"{city}." if en else
                    f"{when} в {city} {{состоялось очередное заседание|прошло заседание}} {body[1]} "
                    f"{org}.", 0, 0, 1))
    sentences = []
    for t in out:
        s = render(t, ctx, "opening")
        if t[3]:  # the meeting of the organization's bodies: its member states work together
            s.partners = [ctx.org]
        sentences.append(s)
    return sentences


def _closing(ctx: Context, genre: str) -> list[Sentence]:
    en = ctx.language == "en"
    if genre == "speech":
        t = ("Thank you for your attention." if en else "Благодарю за внимание.", 0, 0, 0)
    elif genre == "communique" and ctx.rng.random() < 0.6:
        t = ("The next meeting will take place in [NEXT]." if en else
             "Следующее заседание состоится в [NEXT] году.", 0, 0, 0)
    elif genre == "interview" and ctx.rng.random() < 0.5:
        t = ("{We look to the future with confidence|Much remains to be done}." if en else
             "{Мы с уверенностью смотрим в будущее|Многое еще предстоит сделать}.", 0, 0, 0)
    else:
        return []
    return [render(t, ctx, "closing")]


_LATE_TEMPLATES = {"Belt and Road": 2015, "«Пояс и путь»": 2015, "\"Proxy\"": 2009}


def _min_year(text: str) -> int:
    """The first year a template is plausible in (events and initiatives that start later)."""
    return max([y for k, y in _LATE_TEMPLATES.items() if k in text], default=0)


def _dirichlet(rng: random.Random, alphas: Sequence[float]) -> list[float]:
    draws = [rng.gammavariate(a, 1.0) for a in alphas]
    total = sum(draws)
    if total <= 0:
        return [1.0 / len(alphas)] * len(alphas)
    return [d / total for d in draws]


def _quota(rng: random.Random, shares: dict[str, float], total: int) -> dict[str, int]:
    """Split `total` sentences by `shares` with systematic sampling: unbiased, minimal variance."""
    u = rng.random()
    counts = dict.fromkeys(TOPICS, 0)
    bounds, acc = [], 0.0
    for t in TOPICS:
        acc += shares[t]
        bounds.append((acc, t))
    for i in range(total):
        point = (u + i) / total * acc
        counts[next((t for b, t in bounds if point < b), TOPICS[-1])] += 1
    return counts


def allocate_year(rng: random.Random, year: int, sizes: Sequence[int]) -> list[dict[str, int]]:
    """Topic sentence counts for each document of a year.

    The year's topical sentences are split among topics by the planted shares (so the realised
    yearly share is the planted one up to rounding), cut into runs of two to four sentences of
    one topic, shuffled, and dealt to the documents in turn: each document gets one to three
    topics.
    """
    counts = _quota(rng, topic_shares(year), sum(sizes))
    runs: list[str] = []
    for t in TOPICS:
        left = counts[t]
        while left > 0:
            k = min(left, rng.randint(2, 4))
            runs.extend([t] * k)
            left -= k
            runs.append("|")
    blocks = [b.split(",") for b in ",".join(runs).strip("|,").split(",|,") if b]
    rng.shuffle(blocks)
    sequence = [t for block in blocks for t in block]
    out: list[dict[str, int]] = []
    pos = 0
    for size in sizes:
        chunk = sequence[pos : pos + size]
        pos += size
        alloc = {t: chunk.count(t) for t in TOPICS if t in chunk}
        used = sorted(alloc, key=lambda t: (-alloc[t], TOPICS.index(t)))
        for t in used[3:]:  # at most three topics per document
            alloc[used[0]] += alloc.pop(t)
        out.append(alloc)
    return out


def _plan_document(rng: random.Random, year: int, language: str) -> dict[str, Any]:
    """Everything of a document but its topical sentences (whose topics are allocated per year)."""
    org_choices = ["CSTO", "CIS"] if year < FOUNDED["SCO"] else list(ORGS)
    org = rng.choices(org_choices, weights=[4, 3] if year < FOUNDED["SCO"] else [4, 3.5, 2.5])[0]
    pool = members(org, year)
    if language == "ru":
        pool = [c for c in pool if c in RU_SPEAKING]
    country = rng.choices(pool, weights=[SPEAKER_WEIGHTS.get(c, 1) for c in pool])[0]
    genre = rng.choices(GENRES, weights=GENRE_WEIGHTS)[0]
    body = rng.choice(BODIES[org])
    if genre == "communique":  # a communique speaks for the body that met
        speaker = f"Chairman of the {body[0]}"
    else:
        speaker = rng.choice([r for r in SPEAKERS[org] if genre != "statement" or r != "Head of State"])
    date, _ = _date(rng, year, org)
    ctx = Context(rng, language, org, year, country, rng.choice(CITIES[org]))
    term_t = TERM_EN if language == "en" else TERM_RU
    multi_t = MULTIPOLARITY_EN if language == "en" else MULTIPOLARITY_RU
    hard_t = HARD_EN if language == "en" else HARD_RU

    opening = _opening(ctx, genre, date, speaker, body)
    closing = _closing(ctx, genre)
    extras: list[Sentence] = []
    planted_terms = []
    for term in TERM_DESIGN:
        if rng.random() < term_probability(term, year):
            planted_terms.append(term)
            extras.append(render(rng.choice(term_t[term]), ctx, f"term:{term}",
                                 prefix=rng.random() < 0.2))
    if rng.random() < multipolarity_probability(year):
        extras.append(render(rng.choice(multi_t), ctx, "multipolarity", prefix=rng.random() < 0.2))
    for case, p in HARD_CASE_PROBABILITY.items():
        if rng.random() < p:
            options = hard_t[case] if case != "un_partner" or year >= 2014 else hard_t[case][:1]
            extras.append(render(rng.choice(options), ctx, f"hard:{case}"))
    n_total = rng.randint(9, 15)
    n_topic = max(3, n_total - len(opening) - len(closing) - len(extras))
    return {"ctx": ctx, "org": org, "country": country, "genre": genre, "speaker": speaker,
            "body": body, "date": date, "language": language, "opening": opening,
            "closing": closing, "extras": extras, "n_topic": n_topic, "terms": planted_terms}


def _finish_document(plan: dict[str, Any], allocation: dict[str, int]) -> dict[str, Any]:
    """Render the topical sentences, mix in the planned sentences, and lay out paragraphs."""
    ctx = plan["ctx"]
    rng, year = ctx.rng, ctx.year
    topic_t = TOPIC_EN if ctx.language == "en" else TOPIC_RU
    topical: list[Sentence] = []
    for topic, k in allocation.items():
        choices = [t for t in topic_t[topic] if year >= _min_year(t[0])]
        rng.shuffle(choices)
        for i in range(k):
            topical.append(render(choices[i % len(choices)], ctx, f"topic:{topic}",
                                  prefix=rng.random() < 0.2))
    body_sentences = list(topical)
    for s in plan["extras"]:
        body_sentences.insert(rng.randint(0, len(body_sentences)), s)
    sentences = plan["opening"] + body_sentences + plan["closing"]
    n_par = 1 if len(sentences) < 6 else rng.choice([2, 3, 3, 4])
    cuts = sorted(rng.sample(range(1, len(sentences)), n_par - 1)) if n_par > 1 else []
    paragraphs, start = [], 0
    for cut in [*cuts, len(sentences)]:
        paragraphs.append(" ".join(s.text for s in sentences[start:cut]))
        start = cut
    text = "\n\n".join(paragraphs)
    split = split_sentences(text)
    if split != [s.text for s in sentences]:  # a template broke sentence splitting
        raise RuntimeError(f"demo generator: sentence split mismatch in {year}: "
                           f"{[s for s in split if s not in [x.text for x in sentences]]}")
    main_topic = max(allocation, key=lambda t: (allocation[t], -TOPICS.index(t)))
    title = _title(ctx, plan["genre"], plan["speaker"], plan["body"], main_topic)
    keys = ("org", "country", "genre", "speaker", "date", "language", "terms")
    return {**{k: plan[k] for k in keys}, "text": text, "title": title, "sentences": sentences,
            "topics": allocation}


TITLE_TOPIC_EN = {
    "terrorism": "countering terrorism and extremism",
    "drugs_borders": "drug trafficking and border security",
    "military_exercises": "joint exercises and peacekeeping",
    "information_security": "international information security",
    "connectivity": "transport and economic connectivity",
}
TITLE_TOPIC_RU = {
    "terrorism": "противодействии терроризму и экстремизму",
    "drugs_borders": "борьбе с наркотрафиком и безопасности границ",
    "military_exercises": "совместных учениях и миротворческой деятельности",
    "information_security": "международной информационной безопасности",
    "connectivity": "транспортной и экономической связанности",
}


def _title(ctx: Context, genre: str, speaker: str, body: tuple[str, str], topic: str) -> str:
    org = ctx.org
    if ctx.language == "en":
        if genre == "statement":
            return f"Statement of the {org} Secretariat on {TITLE_TOPIC_EN[topic]}"
        if genre == "speech":
            return f"Speech by the {speaker} at the meeting of the {org} {body[0]}"
        if genre == "interview":
            return f"Interview of the {speaker} on {TITLE_TOPIC_EN[topic]}"
        return f"Joint communique of the {org} {body[0]}"
    ru = ORG_RU[org]
    if genre == "statement":
        return f"Заявление Секретариата {ru} о {TITLE_TOPIC_RU[topic]}"
    if genre == "speech":
        return f"Выступление на заседании {body[1]} {ru}"
    if genre == "interview":
        return f"Интервью о {TITLE_TOPIC_RU[topic]}"
    return f"Совместное коммюнике {body[1]} {ru}"


def _sentence_record(doc_id: str, i: int, s: Sentence, language: str) -> dict[str, Any]:
    return {"doc": doc_id, "sentence_index": i, "language": language, "text": s.text,
            "threat": s.threat, "multipolarity": s.multipolarity, "cooperation": s.cooperation,
            "partners": list(s.partners), "source": s.source}


N_LABELLED = {"en": 45, "ru": 15}
RU_FRACTION = 0.2


def make_demo_documents(seed: int = SEED) -> tuple[list[Document], dict]:
    """The synthetic demo documents and their planted truth (pure: no I/O).

    Same seed, same documents and truth, byte for byte (only `random.Random(seed)` draws).
    """
    rng = random.Random(seed)
    raw: list[tuple[str, dict[str, Any]]] = []
    for year in YEARS:
        n_docs = rng.randint(12, 16)
        n_ru = round(RU_FRACTION * n_docs)  # every year has Russian documents
        languages = ["ru"] * n_ru + ["en"] * (n_docs - n_ru)
        rng.shuffle(languages)
        plans = [_plan_document(rng, year, language) for language in languages]
        allocations = allocate_year(rng, year, [p["n_topic"] for p in plans])
        year_docs = [_finish_document(p, a) for p, a in zip(plans, allocations, strict=True)]
        year_docs.sort(key=lambda d: (d["date"], d["org"], d["title"], d["text"]))
        for k, d in enumerate(year_docs, start=1):
            raw.append((f"doc{year}_{k:02d}", d))

    documents = [
        Document(doc_id, d["text"], d["language"], d["date"],
                 {"title": d["title"], "organization": d["org"], "country": d["country"],
                  "speaker": d["speaker"], "genre": d["genre"]})
        for doc_id, d in raw
    ]
    truth = _truth(raw, rng, seed)
    return documents, truth


def _truth(raw: list[tuple[str, dict[str, Any]]], rng: random.Random, seed: int) -> dict[str, Any]:
    by_year: dict[int, list[dict[str, Any]]] = {y: [] for y in YEARS}
    for doc_id, d in raw:
        by_year[int(d["date"][:4])].append({"id": doc_id, **d})

    # Topics: planted share and realised mean document share by year.
    topics: dict[str, Any] = {}
    for t in TOPICS:
        realised = {}
        for y in YEARS:
            props = [d["topics"].get(t, 0) / sum(d["topics"].values()) for d in by_year[y]]
            realised[str(y)] = round(sum(props) / len(props), 4)
        topics[t] = {"label": TOPIC_LABELS[t], "key_terms": TOPIC_KEY_TERMS[t],
                     "key_terms_ru": TOPIC_KEY_TERMS_RU[t],
                     "share_by_year": {str(y): topic_shares(y)[t] for y in YEARS},
                     "realized_share_by_year": realised}

    # Terms: planted probability; realised counts and rates after default preprocessing.
    params = PreprocessParams()
    tokens_by_year = {y: {"en": 0, "ru": 0} for y in YEARS}
    counts = {t: {y: {"en": 0, "ru": 0} for y in YEARS} for t in TERM_DESIGN}
    lemma_of = {t: {"en": t, "ru": TERM_DESIGN[t]["ru"]} for t in TERM_DESIGN}
    for y in YEARS:
        for d in by_year[y]:
            lang = d["language"]
            for s in d["sentences"]:
                toks = process_sentence(s.text, lang, params)
                tokens_by_year[y][lang] += len(toks)
                for t in TERM_DESIGN:
                    counts[t][y][lang] += toks.count(lemma_of[t][lang])
    planted = {}
    for t, spec in TERM_DESIGN.items():
        planted[t] = {
            "direction": spec["direction"], "lemma_ru": spec["ru"],
            "doc_probability_by_year": {str(y): term_probability(t, y) for y in YEARS},
            "count_en_by_year": {str(y): counts[t][y]["en"] for y in YEARS},
            "count_ru_by_year": {str(y): counts[t][y]["ru"] for y in YEARS},
            "rate_per_10k_en_by_year": {
                str(y): round(1e4 * counts[t][y]["en"] / max(tokens_by_year[y]["en"], 1), 2)
                for y in YEARS},
        }
    terms = {
        "rising": [t for t, s in TERM_DESIGN.items() if s["direction"] == "rising"],
        "falling": [t for t, s in TERM_DESIGN.items() if s["direction"] == "falling"],
        "flat": [t for t, s in TERM_DESIGN.items() if s["direction"] == "flat"],
        "rising_ru": [s["ru"] for s in TERM_DESIGN.values() if s["direction"] == "rising"],
        "falling_ru": [s["ru"] for s in TERM_DESIGN.values() if s["direction"] == "falling"],
        "flat_ru": [s["ru"] for s in TERM_DESIGN.values() if s["direction"] == "flat"],
        "planted": planted,
        "tokens_en_by_year": {str(y): tokens_by_year[y]["en"] for y in YEARS},
        "tokens_ru_by_year": {str(y): tokens_by_year[y]["ru"] for y in YEARS},
        "preprocessing": "analysis.preprocess.PreprocessParams() defaults",
        "note": ("Each planted term has its own sentences, added to a document with "
                 "doc_probability_by_year (one sentence, one occurrence). Rising and falling "
                 "probabilities change linearly between the design points; flat terms have the "
                 "same probability every year. Counts and rates are measured in the generated "
                 "texts after default preprocessing. Russian documents carry the same terms "
                 "(lemma_ru) but are few (about three a year), so their trends are weak."),
    }

    # Frames: all sentences of a labelled subset; shares over all sentences by year.
    ids = {"en": [i for i, d in raw if d["language"] == "en"],
           "ru": [i for i, d in raw if d["language"] == "ru"]}
    labelled = sorted(rng.sample(ids["en"], N_LABELLED["en"]) + rng.sample(ids["ru"], N_LABELLED["ru"]))
    docs = dict(raw)
    frame_rows = [_sentence_record(i, k, s, docs[i]["language"])
                  for i in labelled for k, s in enumerate(docs[i]["sentences"])]
    share = {}
    for frame in ("threat", "multipolarity", "cooperation"):
        share[frame] = {}
        for y in YEARS:
            sents = [s for d in by_year[y] for s in d["sentences"]]
            share[frame][str(y)] = round(sum(getattr(s, frame) for s in sents) / len(sents), 4)
    frames = {
        "labelled_docs": labelled,
        "sentences": frame_rows,
        "share_by_year": share,
        "multipolarity_sentence_probability_by_year": {str(y): multipolarity_probability(y)
                                                        for y in YEARS},
        "hard_case_probability": HARD_CASE_PROBABILITY,
        "drift": ("MULTIPOLARITY rises after 2007 (extra world-order sentences with probability "
                  "0.08 per document up to 2007, rising linearly to 0.55 in 2026, plus the rising "
                  "term 'multipolar_world' and Western 'hybrid war' sentences); THREAT is not planted "
                  "to drift: it stays between about 0.35 and 0.5 of sentences, with a mild decline "
                  "after 2014 as terrorism and drug sentences give way to information-security, "
                  "hybrid and biological threats; COOPERATION is roughly flat (about 0.3)."),
        "codebook": "shared/framing/codebook.md (THREAT, MULTIPOLARITY, COOPERATION, partners)",
        "note": ("Labels are the template's labels: every sentence of the labelled documents is "
                 "listed, sentence_index is its position in analysis.preprocess.split_sentences("
                 "text). 'source' tells which template family produced it (opening, closing, "
                 "topic:<name>, term:<lemma>, multipolarity, hard:<case>)."),
    }
    documents = {i: {"topics": d["topics"], "planted_terms": d["terms"]} for i, d in raw}
    return {
        "corpus": "demo",
        "synthetic": True,
        "generator": f"analysis.corpus.demo (version {GENERATOR_VERSION})",
        "seed": seed,
        "n_documents": len(raw),
        "topics": topics,
        "topic_drift": TOPIC_DRIFT,
        "terms": terms,
        "frames": frames,
        "documents": documents,
    }


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

CORPUS_INFO = {
    "name": "demo",
    "synthetic": True,
    "description": (
        "SYNTHETIC demo corpus: invented short statements, speeches, interviews and communiques in "
        "the style of CSTO, SCO and CIS press releases, 2000-2026, English and Russian, generated "
        "from templates by analysis/corpus/demo.py with planted topics, term trends and frames "
        "(see truth.json and README.md). Not real documents; no real speaker is quoted."),
    "license": "CC0-1.0 (texts written by the project's generator; no third-party text)",
    "citation": ("Security Discourse Toolkit synthetic demo corpus (analysis.corpus.demo, seed "
                 f"{SEED}, generator version {GENERATOR_VERSION})."),
    "generator": "python -m analysis.corpus.demo",
    "seed": SEED,
}


def truth_json(truth: dict) -> str:
    """The planted truth as written to truth.json (sorted keys, indent 2, UTF-8, final newline)."""
    return json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _table(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def readme_text(documents: list[Document], truth: dict) -> str:
    """README.md for the demo corpus folder: what it is, and every planted signal."""
    n = len(documents)
    n_ru = sum(d.language == "ru" for d in documents)
    prec = {"day": 0, "month": 0, "year": 0}
    for d in documents:
        prec[{3: "day", 2: "month", 1: "year"}[len(d.date.split("-"))]] += 1
    orgs = {o: sum(d.meta["organization"] == o for d in documents) for o in ORGS}
    genres = {g: sum(d.meta["genre"] == g for d in documents) for g in GENRES}
    marks = ["2000", "2005", "2010", "2014", "2018", "2022", "2026"]
    topic_rows = [["topic", "key terms (EN lemmas)", *marks]]
    for t in TOPICS:
        spec = truth["topics"][t]
        topic_rows.append([t, ", ".join(spec["key_terms"]),
                           *[f"{spec['share_by_year'][y]:.2f}" for y in marks]])
    term_rows = [["term (EN)", "term (RU)", "direction", *[f"p {y}" for y in marks]]]
    for t, spec in truth["terms"]["planted"].items():
        term_rows.append([f"`{t}`", f"`{spec['lemma_ru']}`", spec["direction"],
                          *[f"{spec['doc_probability_by_year'][y]:.2f}" for y in marks]])
    frame_rows = [["frame", *marks]]
    for f, by_year in truth["frames"]["share_by_year"].items():
        frame_rows.append([f, *[f"{by_year[y]:.2f}" for y in marks]])
    labelled = truth["frames"]["sentences"]
    return f"""# Demo corpus (SYNTHETIC)

**Every document in this folder is synthetic and invented.** The texts were generated from
templates by `analysis/corpus/demo.py` (`python -m analysis.corpus.demo`, seed {SEED}); the
statements, speakers, meetings, exercises and numbers are made up and quote no real source or
person. Organizations (CSTO, SCO, CIS) and states are named only to make the genre recognisable.
Use it to learn the toolkit and to check that methods recover the planted signals below; never
cite it as evidence about real discourse. Figures made from it are captioned "synthetic demo
corpus". Licence: CC0 (written by the project).

## Contents

- {n} documents, {min(d.date for d in documents)[:4]}-{max(d.date for d in documents)[:4]},
  {n - n_ru} English and {n_ru} Russian (a fifth of each year's documents, rounded).
- Dates: {prec["day"]} `YYYY-MM-DD`, {prec["month"]} `YYYY-MM`, {prec["year"]} `YYYY`.
- Metadata: `title`, `organization` ({", ".join(f"{k} {v}" for k, v in orgs.items())}),
  `country` (ISO3 of the speaker's state), `speaker` (an invented generic role, in English for
  both languages), `genre` ({", ".join(f"{k} {v}" for k, v in genres.items())}).
- Each document: an opening sentence (date, body, city), 9-15 sentences in 1-4 paragraphs, a
  closing line for speeches and some communiques and interviews.
- `truth.json`: the planted truth as data (below). `corpus.yml` says `synthetic: true`.

Re-running the generator reproduces every file here byte for byte
(`tests/test_corpus_demo.py` checks it).

## Planted signal 1: topics

Five topics, each written with its own sentence templates that use its key lemmas (as the
default preprocessing produces them; Russian key lemmas are in `truth.json`). A document mixes
1-3 topics: each year's topical sentences are split among the topics by the planted shares
(systematic sampling), cut into runs of 2-4 sentences of one topic, shuffled and dealt to the
year's documents. Planted shares (`share_by_year`; the realised mean share of a topic among a
document's topical sentences, averaged over the year's documents, is `realized_share_by_year`):

{_table(topic_rows)}

Drift: {TOPIC_DRIFT}

## Planted signal 2: term trends

Each planted term has its own sentences; a document carries one such sentence with the year's
probability `p` (linear between design points; flat terms have the same probability every
year, so their rate per 10,000 tokens is constant in expectation). The terms are written as
default preprocessing gives them (`multipolar_world` is the protected multi-word expression
for "multipolar world"). Measured counts and rates per 10,000 English tokens by year are in
`truth.json` (`terms.planted.<term>`).

{_table(term_rows)}

Rising and falling terms are strong enough for a per-term trend test over years with
Benjamini-Hochberg correction (about 14 documents a year); flat terms should not be found.
Topic vocabulary also drifts with its topic (e.g. `cyber`, `disinformation` rise with
information security; `terrorism` falls after 2010), which a trend test will rightly find too.

## Planted signal 3: frames

Every sentence template carries labels under the project codebook
(`shared/framing/codebook.md`): THREAT, MULTIPOLARITY, COOPERATION and partners (canonical short
names: UN, CSTO, SCO, CIS, EAEU, OSCE, BRICS, ASEAN, EU, NATO, states by English short name). Partners
are the organizations and states that fill partner slots of a COOPERATION sentence, the
speaker's own organization included when named; a place named only as the source of a danger
(Afghanistan, Syria and Iraq, the Middle East) is never a partner. Hard negative cases from the
codebook are planted at constant rates: goals with no danger named, "challenges" alone,
membership or observer status without joint work, requests to support one's own initiative;
"The UN remains our main partner" and "contacts with the OSCE / NATO have been suspended"
(from 2014) are COOPERATION only.

`truth.json` → `frames.sentences` lists all {len(labelled)} sentences of
{len(truth["frames"]["labelled_docs"])} labelled documents ({N_LABELLED["en"]} English,
{N_LABELLED["ru"]} Russian) with labels, partners and `sentence_index` (the position in
`analysis.preprocess.split_sentences(text)`). Share of sentences carrying each frame, all
documents:

{_table(frame_rows)}

Drift: {truth["frames"]["drift"]}

## Limits

Template text is far more regular than real statements: methods will look better here than on
real corpora. The labels are the templates' labels, applied consistently; a human coder may
disagree on borderline templates (e.g. drills announced without the word "joint" are coded as
no COOPERATION). Russian texts carry the same signals in official-register Russian but fewer
template variants.
"""


def write_demo(out_dir: str | Path = DEFAULT_OUT, *, seed: int = SEED) -> Path:
    """Write the demo corpus, `corpus.yml`, `truth.json` and `README.md` to `out_dir`.

    Document files of an earlier run (`doc<year>_<nn>.txt`) are removed first, so the folder
    holds exactly this run.
    """
    from analysis.paths import resolve

    out = Path(resolve(out_dir))
    documents, truth = make_demo_documents(seed)
    if out.is_dir():
        for old in out.glob("doc[0-9][0-9][0-9][0-9]_[0-9][0-9].txt"):
            old.unlink()
    info = dict(CORPUS_INFO, seed=seed)
    write_corpus(documents, out, info=info)
    (out / TRUTH_FILE).write_text(truth_json(truth), encoding="utf-8")
    (out / README_FILE).write_text(readme_text(documents, truth), encoding="utf-8")
    logger.info("wrote %d synthetic demo documents to %s", len(documents), out)
    return out


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_demo(DEFAULT_OUT)
