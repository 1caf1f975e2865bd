"""The partner gazetteer: aliases in English and Russian, counterpart rules, and the partner
tables (mentions over time, top partners, co-mention network)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.framing import (
    FrameDetector,
    LexiconError,
    load_gazetteer,
    partner_network,
    stat_partner_mentions,
    top_partners,
)


@pytest.fixture(scope="module")
def det() -> FrameDetector:
    return FrameDetector()


def partners(det: FrameDetector, text: str, language: str = "en") -> list[str]:
    r = det.detect(text, language)
    return sorted(r.partners(r.flags[det.frames.index("cooperation")]))


@pytest.mark.parametrize(("text", "expected"), [
    ("We cooperate closely with the CSTO and the SCO.", ["CSTO", "SCO"]),
    ("Cooperation with the Collective Security Treaty Organization and the Shanghai Five deepened.", ["CSTO", "SCO"]),
    ("We held consultations with the CIS and the Eurasian Economic Union.", ["CIS", "EAEU"]),
    ("We thank our Belarusian friends for their hospitality.", ["Belarus"]),
    ("The Kazakh side proposed a joint statement.", ["Kazakhstan"]),
    ("The talks were led by the Syrians with the assistance of the United Nations.", ["Syria", "UN"]),
    ("We work closely with WHO, UNESCO and the General Assembly.", ["UN"]),
    ("The CSCE and later the OSCE were our partners.", ["OSCE"]),
    ("An agreement was signed with the United States of America and the Russian Federation.", ["Russia", "United States"]),
    ("Cooperation with the IAEA, the ICRC, the IMF and the World Bank continues.", ["IAEA", "ICRC", "IMF", "World Bank"]),
])
def test_english_aliases_resolve_to_canonical_names(det, text, expected):
    assert partners(det, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Мы тесно сотрудничаем с ОДКБ и ШОС.", ["CSTO", "SCO"]),
    ("Соглашение с Казахстаном и Кыргызстаном подписано.", ["Kazakhstan", "Kyrgyzstan"]),
    ("Казахстанская сторона предложила провести совместные консультации.", ["Kazakhstan"]),
    ("Взаимодействие с Организацией Договора о коллективной безопасности укрепляется.", ["CSTO"]),
    ("Мы благодарим белорусских друзей за гостеприимство.", ["Belarus"]),
    ("Диалог с Российской Федерацией и Китайской Народной Республикой продолжается.", ["China", "Russia"]),
    ("Сотрудничество с Организацией Объединённых Наций и МАГАТЭ продолжается.", ["IAEA", "UN"]),
    ("Переговоры с БРИКС и ЕАЭС идут успешно.", ["BRICS", "EAEU"]),
])
def test_russian_aliases_and_inflected_forms_resolve(det, text, expected):
    assert partners(det, text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), [
    # case forms the lemmatizer misses (simplemma has no "франция" for "Франции", no "иордания")
    ("Сотрудничество с Францией и Иорданией развивается.", ["France", "Jordan"]),
    ("Переговоры с Китаем, Индией и Соединёнными Штатами продолжаются.", ["China", "India", "United States"]),
    ("Подписано соглашение о сотрудничестве Венесуэлы и Объединённых Арабских Эмиратов.",
     ["United Arab Emirates", "Venezuela"]),
    ("Мы развиваем партнёрство с Гвинеей-Бисау и Коста-Рикой.", ["Costa Rica", "Guinea-Bissau"]),
    # a compound adjective names both states; a demonym names its state
    ("Обсуждено развитие российско-саудовского сотрудничества.", ["Russia", "Saudi Arabia"]),
    ("Мы поддерживаем контакты с американцами и белорусами.", ["Belarus", "United States"]),
])
def test_russian_case_forms_compounds_and_demonyms_resolve(det, text, expected):
    assert partners(det, text, "ru") == expected


def test_russian_case_forms_of_short_names_need_a_capital(det):
    # "кубе" (a cube) is not Cuba; "Кубе" is
    assert partners(det, "Мы сотрудничаем с Кубой.", "ru") == ["Cuba"]
    assert partners(det, "Мы сотрудничаем в кубе данных.", "ru") == []


def test_member_states_glob_is_read_as_a_glob():
    # `государств*-член*` in the exercises rule's near list: "member states" in any case
    det = FrameDetector()
    flags = dict(zip(det.frames, det.detect("Прошли учения государств-членов.", "ru").flags, strict=True))
    assert flags["cooperation"]


def test_a_threat_source_is_not_a_partner(det):
    assert partners(det, "We cooperate with Russia against threats emanating from Afghanistan.") == ["Russia"]
    assert partners(det, "Joint efforts with Tajikistan target Afghan drug trafficking.") == ["Tajikistan"]
    assert partners(det, "Мы сотрудничаем с Россией против угроз, исходящих из Афганистана.", "ru") == ["Russia"]


def test_a_state_receiving_assistance_is_a_partner(det):
    assert partners(det, "We continue to provide assistance to Afghanistan.") == ["Afghanistan"]


def test_a_place_is_not_a_partner_but_the_organization_meeting_there_is(det):
    assert partners(det, "The meeting of the CSTO Council was held in Astana, Kazakhstan.") == ["CSTO"]
    assert partners(det, "Заседание Совета ОДКБ прошло в Казахстане.", "ru") == ["CSTO"]


@pytest.mark.parametrize(("text", "expected"), [
    # adjectives and historical names of UN members; OAU is the AU (codebook R11)
    ("Agreements were signed with the Gabonese Republic and the Burundian Government.", ["Burundi", "Gabon"]),
    ("We cooperate with Kampuchea, Ceylon and Upper Volta.", ["Burkina Faso", "Cambodia", "Sri Lanka"]),
    ("We co-operate with the Federal Republic of Germany and the German Democratic Republic.",
     ["East Germany", "West Germany"]),
    ("Cooperation between the European Economic Community and the CMEA grew.", ["CMEA", "EU"]),
    ("We act in close cooperation with the Organization of African Unity.", ["AU"]),
])
def test_adjectives_historical_names_and_organizations_resolve(det, text, expected):
    assert partners(det, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Мы сотрудничаем с Верхней Вольтой и Объединенной Арабской Республикой.", ["Burkina Faso", "Egypt"]),
    ("Мы сотрудничаем с неприсоединившимися странами и Организацией африканского единства.", ["AU", "NAM"]),
    ("Мы сотрудничаем с нашей Организацией.", ["UN"]),
])
def test_russian_official_register_names_resolve(det, text, expected):
    assert partners(det, text, "ru") == expected


def test_a_continent_or_region_is_not_the_united_states(det):
    assert partners(det, "We cooperate with Latin America, the Americas and North America.") == []
    assert partners(det, "We cooperate with America.") == ["United States"]
    assert partners(det, "Мы сотрудничаем с Северной Америкой и Латинской Америкой.", "ru") == []


def test_the_former_soviet_union_is_a_region_not_a_party(det):
    text = "NATO offered the Partnership for Peace to the countries of the former Soviet Union."
    assert partners(det, text) == ["NATO"]
    assert partners(det, "We cooperate with the former Yugoslav Republic of Macedonia.") == ["North Macedonia"]


def test_a_state_after_a_conjunction_is_a_place_only_when_the_place_goes_on(det):
    assert partners(det, "We cooperate with the CSTO on security in Central Asia and Afghanistan.") == ["CSTO"]
    assert partners(det, "In assisting Afghanistan and Iraq in combating terrorism, we assist ourselves.") == [
        "Afghanistan", "Iraq"]


def test_a_state_holding_a_view_is_not_a_partner(det):
    text = "It is the opinion of the Government of Iceland that the General Assembly should prepare agreements."
    assert partners(det, text) == ["UN"]
    assert partners(det, "The Indonesian delegation is of the opinion that regional co-operation is better.") == []
    assert partners(det, "In the view of the Icelandic Government, cooperation with the UN matters.") == ["UN"]
    assert partners(det, "По мнению правительства Исландии, сотрудничество с ООН важно.", "ru") == ["UN"]


def test_national_security_councils_are_not_the_un_security_council(det):
    assert partners(det, "Secretaries of the security councils of the CIS states held a meeting.") == ["CIS"]
    assert partners(det, "We cooperate with the Security Council on sanctions.") == ["UN"]


def test_partners_are_empty_when_the_sentence_is_not_cooperation(det):
    r = det.detect("Terrorism in Syria and Iraq remains a danger.")
    assert not r.flags[det.frames.index("cooperation")]
    assert r.partners(False) == ()


def test_user_gazetteer_adds_aliases_and_partners(tmp_path):
    path = tmp_path / "gaz.yml"
    path.write_text("format: 1\nversion: mine\npartners:\n"
                    "  - name: CSTO\n    aliases: {en: [Tashkent Treaty]}\n"
                    "  - name: Collective Forces Command\n    kind: organization\n"
                    "    aliases: {en: [CFC], ru: [Командование коллективных сил]}\n", encoding="utf-8")
    det = FrameDetector(gazetteer=load_gazetteer(path))
    assert partners(det, "We cooperate with the Tashkent Treaty and the CFC.") == ["CSTO", "Collective Forces Command"]
    assert partners(det, "Мы взаимодействуем с Командованием коллективных сил.", "ru") == ["Collective Forces Command"]
    assert partners(FrameDetector(), "We cooperate with the Tashkent Treaty.") == []  # not in the shipped file


def test_bad_gazetteer_entries_are_reported(tmp_path):
    path = tmp_path / "gaz.yml"
    path.write_text("format: 1\npartners:\n  - aliases: {en: [X]}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"gaz.yml: partners\[0\]: each partner needs a `name`"):
        load_gazetteer(path)
    path.write_text("format: 1\npartners:\n  - name: X\n    kind: planet\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="`kind` must be one of"):
        load_gazetteer(path)


def test_shipped_gazetteer_covers_the_security_organizations_and_member_states():
    gaz = load_gazetteer()
    for name in ("CSTO", "SCO", "CIS", "EAEU", "UN", "OSCE", "BRICS", "EU", "NATO", "ASEAN", "AU", "OIC", "OIF",
                 "ECO", "CICA", "IAEA", "ICRC", "IMF", "World Bank"):
        assert gaz.partners[name].kind == "organization", name
    iso = gaz.iso3_names()
    for code in ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "CHN", "IND", "PAK", "IRN", "AZE", "MDA", "TKM"):
        assert code in iso, code


# --- partner tables ----------------------------------------------------------------------------

SENTENCES = pd.DataFrame({
    "doc_id": ["r1", "r1", "r2", "k1", "k1"],
    "sentence_index": [0, 1, 0, 0, 1],
    "cooperation": [1, 1, 1, 1, 0],
    "partners": ["CSTO;China", "Russia;CSTO", "China", "Russia;CSTO;China", ""],
})
DOCS = pd.DataFrame({"year": [1995, 2004, 2004], "country": ["RUS", "RUS", "KAZ"]},
                    index=pd.Index(["r1", "r2", "k1"], name="id"))


def test_partner_mentions_per_period_and_group_with_self_mentions_dropped():
    m = stat_partner_mentions(SENTENCES, DOCS, period="decade", group="country", drop_self=True,
                              iso_names=load_gazetteer().self_names())
    rus90 = m[(m["period"] == "1990s") & (m["group"] == "RUS")].set_index("partner")
    assert "Russia" not in rus90.index  # Russia naming itself
    assert rus90.loc["CSTO", "n_sentences"] == 2 and rus90.loc["CSTO", "share"] == 1.0
    kaz = m[m["group"] == "KAZ"].set_index("partner")
    assert set(kaz.index) == {"Russia", "CSTO", "China"}
    top = top_partners(m, n=1)
    assert top.groupby(["period", "group"]).size().max() == 1 and (top["rank"] == 1).all()


def test_partner_network_counts_co_mentions():
    g = partner_network(SENTENCES)
    assert g.nodes["CSTO"]["count"] == 3 and g.nodes["China"]["count"] == 3
    assert g["CSTO"]["China"]["weight"] == 2 and g["Russia"]["CSTO"]["weight"] == 2
    assert not partner_network(SENTENCES, min_weight=3).edges


def test_the_soviet_union_counts_as_self_for_russia():
    sent = pd.DataFrame({"doc_id": ["u1", "u1"], "sentence_index": [0, 1], "cooperation": [1, 1],
                         "partners": ["Soviet Union;United States", "Russia;UN"]})
    docs = pd.DataFrame({"year": [1975], "country": ["RUS"]}, index=pd.Index(["u1"], name="id"))
    names = load_gazetteer().self_names()
    assert names["RUS"] == {"Russia", "Soviet Union"}
    m = stat_partner_mentions(sent, docs, period="decade", drop_self=True, iso_names=names)
    assert sorted(m["partner"]) == ["UN", "United States"]
