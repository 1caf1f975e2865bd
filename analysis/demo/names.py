"""Names the demo templates are filled with: organizations, states, cities, speakers, bodies, dates.

Surface forms in English and Russian, the canonical partner names the truth records, and the
simplified (invented) membership of each organization by year.
"""

from __future__ import annotations

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
