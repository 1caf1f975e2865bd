"""Frame detection: hand-written English and Russian sentences (codebook hard cases included),
the per-batch step, the corpus-level result and its output contract, and the demo corpus."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.corpus import Corpus, Document, load_corpus
from analysis.errors import ParameterError
from analysis.framing import (
    FrameDetector,
    detect_frames,
    detect_processed_batch,
    load_sentence_frames,
    partner_scores,
)
from analysis.preprocess import preprocess, split_sentences
from analysis.stats import prf


@pytest.fixture(scope="module")
def det() -> FrameDetector:
    return FrameDetector()


def flags(det: FrameDetector, text: str, language: str = "en") -> dict[str, bool]:
    return dict(zip(det.frames, det.detect(text, language).flags, strict=True))


# (sentence, threat, multipolarity, cooperation); written for these tests, not taken from the gold sets
ENGLISH = [
    ("Terrorist groups and drug cartels exploit the porous borders of the region.", 1, 0, 0),
    ("Cyberattacks and disinformation campaigns are used to destabilize sovereign states.", 1, 0, 0),
    ("The spread of the pandemic has devastated economies and cost thousands of lives.", 1, 0, 0),
    ("We support the Treaty on the Prohibition of Nuclear Weapons and a nuclear-weapon-free zone.", 1, 0, 1),
    ("The arms race in outer space must be prevented.", 1, 0, 0),
    ("A polycentric world order is taking shape before our eyes.", 0, 1, 0),
    ("Attempts to preserve a unipolar hegemony are doomed to fail.", 0, 1, 0),
    ("The principle of indivisible security must become the basis of a new Eurasian architecture.", 0, 1, 0),
    ("NATO continues its eastward expansion towards our borders.", 0, 1, 0),
    ("Unilateral sanctions imposed in circumvention of the Security Council are illegitimate.", 1, 1, 0),
    ("Our ministers signed a memorandum of understanding on customs cooperation.", 0, 0, 1),
    ("Kazakh and Kyrgyz border guards conducted a joint operation against smugglers.", 1, 0, 1),
    ("The defence ministers held consultations with their Chinese counterparts in Beijing.", 0, 0, 1),
    ("Regrettably, dialogue with the European Union has been frozen since 2022.", 0, 0, 1),
    ("The weather in the capital was pleasant throughout the week.", 0, 0, 0),
]

RUSSIAN = [
    ("Террористические группировки вербуют молодёжь через социальные сети.", 1, 0, 0),
    ("Незаконный оборот наркотиков остаётся источником финансирования экстремистов.", 1, 0, 0),
    ("Биологические лаборатории у наших границ вызывают серьёзную обеспокоенность.", 1, 0, 0),
    ("Гонка вооружений в космосе недопустима.", 1, 0, 0),
    ("Формирование многополярного миропорядка — объективный процесс.", 0, 1, 0),
    ("Коллективный Запад пытается навязать свою волю всему миру.", 0, 1, 0),
    ("Расширение НАТО на восток подрывает стабильность в Европе.", 1, 1, 0),
    ("Мы выступаем за принцип неделимости безопасности.", 0, 1, 0),
    ("Министры подписали дорожную карту сотрудничества на 2026–2028 годы.", 0, 0, 1),
    ("Белорусские и казахстанские военные провели совместные учения.", 0, 0, 1),
    ("Контакты с ОБСЕ приостановлены.", 0, 0, 1),
    ("Погода в столице всю неделю была тёплой.", 0, 0, 0),
]


@pytest.mark.parametrize(("text", "threat", "multipolarity", "cooperation"), ENGLISH)
def test_english_sentences_get_the_codebook_frames(det, text, threat, multipolarity, cooperation):
    assert flags(det, text) == {"threat": bool(threat), "multipolarity": bool(multipolarity),
                                "cooperation": bool(cooperation)}


@pytest.mark.parametrize(("text", "threat", "multipolarity", "cooperation"), RUSSIAN)
def test_russian_sentences_get_the_codebook_frames(det, text, threat, multipolarity, cooperation):
    assert flags(det, text, "ru") == {"threat": bool(threat), "multipolarity": bool(multipolarity),
                                      "cooperation": bool(cooperation)}


def test_russian_inflected_forms_match_through_lemmas(det):
    for text in ("Угрозы терроризма сохраняются.", "Угрозу терроризма нельзя недооценивать.",
                 "Об угрозах терроризма говорили все участники."):
        assert flags(det, text, "ru")["threat"], text
    for text in ("Сотрудничество с ШОС расширяется.", "Мы высоко ценим сотрудничество с ШОС.",
                 "О сотрудничестве с ШОС договорились министры."):
        r = det.detect(text, "ru")
        assert r.flags[det.frames.index("cooperation")] and r.candidates == ("SCO",), text


# --- codebook hard cases -------------------------------------------------------------------

def test_challenges_alone_are_not_a_threat_but_threats_beside_them_are(det):
    assert not flags(det, "Our countries face new challenges in a changing world.")["threat"]
    assert flags(det, "Our countries face new threats and challenges.")["threat"]
    assert not flags(det, "Наши страны сталкиваются с новыми вызовами.", "ru")["threat"]
    assert flags(det, "Наши страны сталкиваются с новыми угрозами и вызовами.", "ru")["threat"]


def test_goals_without_a_named_danger_are_not_a_threat(det):
    assert not flags(det, "Our main task is to maintain peace and stability in the region.")["threat"]
    assert not flags(det, "Наша главная задача — поддерживать мир и стабильность.", "ru")["threat"]


def test_a_danger_named_while_removing_it_is_still_a_threat(det):
    assert flags(det, "Kazakhstan closed the nuclear test site and renounced its arsenal.")["threat"]
    assert flags(det, "Drug trafficking must be combated jointly.")["threat"]
    assert flags(det, "We welcome the settlement of the armed conflict.")["threat"]


def test_a_request_to_support_ones_own_initiative_is_not_cooperation(det):
    assert not flags(det, "We call on all delegations to support our draft resolution.")["cooperation"]
    assert not flags(det, "We hope that the world community will support it.")["cooperation"]
    assert not flags(det, "Мы надеемся на поддержку со стороны мирового сообщества.", "ru")["cooperation"]


def test_membership_or_ceremony_without_joint_work_is_not_cooperation(det):
    assert not flags(det, "Kyrgyzstan became a member of the Shanghai Cooperation Organisation in 2001.")["cooperation"]
    assert not flags(det, "In 2026 the chairmanship of the CSTO will pass to Armenia.")["cooperation"]
    assert not flags(det, "The ceremony marked the anniversary of the Organization.")["cooperation"]


def test_an_organization_name_containing_cooperation_is_not_itself_a_cooperation_cue(det):
    r = det.detect("The Shanghai Cooperation Organisation was founded in 2001.")
    assert not r.flags[det.frames.index("cooperation")]
    r = det.detect("We cooperate closely with the Shanghai Cooperation Organisation.")
    assert r.flags[det.frames.index("cooperation")] and r.candidates == ("SCO",)


def test_the_west_pressing_others_is_multipolarity_but_west_africa_is_not(det):
    assert flags(det, "Western countries impose sanctions to weaken their opponents.")["multipolarity"]
    assert not flags(det, "Floods affected several countries of West Africa.")["multipolarity"]


def test_praise_of_the_un_is_cooperation_not_multipolarity(det):
    f = flags(det, "The United Nations remains our main partner.")
    assert f["cooperation"] and not f["multipolarity"]


def test_matched_terms_name_frame_subframe_and_term(det):
    r = det.detect("The threat of terrorism persists.")
    assert "threat.terrorism_extremism:terror*" in r.terms
    assert "threat.danger_general:threat" in r.terms


def test_unknown_language_is_a_parameter_error(det):
    with pytest.raises(ParameterError, match="language"):
        det.detect("Bonjour", "fr")


# --- the per-batch step and the corpus-level result -------------------------------------------

def test_detect_processed_batch_gives_one_row_per_sentence_in_split_order(det, tiny_corpus, tiny_tokens):
    docs = list(tiny_tokens)
    languages = list(tiny_tokens.metadata["language"])
    table = detect_processed_batch(docs, languages, det)
    expected = [(d.id, i, s) for d in tiny_corpus for i, s in enumerate(split_sentences(d.text))]
    assert list(table[["doc_id", "sentence_index", "text"]].itertuples(index=False, name=None)) == expected
    assert detect_processed_batch(docs, languages, det).equals(table)  # pure: same input, same rows
    # each row as `detect` reads its sentence (flags, partners only for cooperation, terms)
    coop = det.frames.index("cooperation")
    for row in table.itertuples(index=False, name=None):
        r = det.detect(row[2], languages[[d.id for d in docs].index(row[0])])
        assert row[3:] == (*map(int, r.flags), ";".join(r.partners(r.flags[coop])), ";".join(r.terms))


def test_detect_frames_tables_follow_the_output_contract(tiny_tokens, tmp_path):
    res = detect_frames(tiny_tokens, n_boot=50, seed=1)
    assert list(res.sentences.columns) == ["doc_id", "sentence_index", "text", "threat", "multipolarity",
                                           "cooperation", "partners", "matched_terms"]
    assert list(res.shares.columns)[:6] == ["period", "group", "frame", "share", "low", "high"]
    en1 = res.sentences[res.sentences["doc_id"] == "en1"]
    assert en1["threat"].tolist() == [1, 0] and en1["cooperation"].tolist() == [0, 1]
    assert en1["partners"].tolist() == ["", "CSTO"]
    ru2 = res.sentences[res.sentences["doc_id"] == "ru2"]
    assert ru2["multipolarity"].tolist() == [1, 0] and ru2["partners"].tolist() == ["", "SCO"]
    assert res.documents.loc["en1", "share_threat"] == 0.5
    assert ((res.shares["low"] <= res.shares["share"]) & (res.shares["share"] <= res.shares["high"])).all()
    paths = res.write(tmp_path)
    assert (tmp_path / "sentence_frames.parquet").exists() and (tmp_path / "frame_shares.csv").exists()
    assert not (tmp_path / "sentence_frames.csv").exists()  # CSV only on request
    back = load_sentence_frames(tmp_path)
    pd.testing.assert_frame_equal(back, res.sentences, check_dtype=False)
    assert list(load_sentence_frames(tmp_path, ["doc_id", "threat"]).columns) == ["doc_id", "threat"]
    res.write(tmp_path / "csv", csv=True)
    pd.testing.assert_frame_equal(load_sentence_frames(tmp_path / "csv" / "sentence_frames.csv"), back,
                                  check_dtype=False)
    assert json.loads(paths[-1].read_text())["seed"] == 1


def test_detect_frames_same_seed_same_intervals(tiny_tokens):
    a = detect_frames(tiny_tokens, n_boot=50, seed=3).shares
    b = detect_frames(tiny_tokens, n_boot=50, seed=3).shares
    pd.testing.assert_frame_equal(a, b)


def test_detect_frames_adds_a_user_frame_as_a_column(tiny_corpus):
    user = {"format": 1, "version": "test", "frames": {"energy": {"subframes": {"supply": {
        "en": ["pipeline"], "ru": ["трубопровод*"]}}}}}
    docs = [Document("e1", "The pipeline was sabotaged. Peace returned.", "en", "2020")]
    res = detect_frames(preprocess(Corpus.from_documents(docs), cache_dir=None, n_jobs=1), lexicon=user, n_boot=20)
    assert res.frames == ["threat", "multipolarity", "cooperation", "energy"]
    assert res.sentences["energy"].tolist() == [1, 0]


def test_detect_frames_rejects_a_supervised_detector_without_a_model(tiny_tokens):
    with pytest.raises(ParameterError, match="supervised model"):
        detect_frames(tiny_tokens, detector="supervised")


# --- the demo corpus: planted frame sentences are found ---------------------------------------

def test_demo_corpus_planted_frame_sentences_are_found(demo_dir):
    truth_path = demo_dir / "truth.json"
    if not truth_path.exists():
        pytest.skip("corpus/demo/truth.json not generated")
    truth = pd.DataFrame(json.loads(truth_path.read_text(encoding="utf-8"))["frames"]["sentences"])
    res = detect_frames(preprocess(load_corpus(demo_dir), cache_dir=None), n_boot=10)
    m = truth.merge(res.sentences, left_on=["doc", "sentence_index"], right_on=["doc_id", "sentence_index"],
                    suffixes=("", "_pred"))
    assert len(m) == len(truth) and (m["text"] == m["text_pred"]).all()
    # thresholds: recall of planted frame sentences >= 0.9 and precision >= 0.75 per frame and
    # language; partner recall and precision >= 0.9 over (sentence, partner) pairs
    for frame in ("threat", "multipolarity", "cooperation"):
        for lang, part in m.groupby("language"):
            s = prf(part[frame], part[f"{frame}_pred"])
            assert s["recall"] >= 0.9 and s["precision"] >= 0.75, (frame, lang, s)
    pred = [p.split(";") if p else [] for p in m["partners_pred"]]
    p = partner_scores(list(m["partners"]), pred)
    assert p["recall"] >= 0.9 and p["precision"] >= 0.9, p


def test_worker_processes_give_the_same_rows(tiny_tokens):
    one = detect_frames(tiny_tokens, n_boot=20, batch_size=2)
    two = detect_frames(tiny_tokens, n_boot=20, batch_size=2, n_jobs=2)
    pd.testing.assert_frame_equal(one.sentences, two.sentences)
    pd.testing.assert_frame_equal(one.shares, two.shares)


def test_reading_a_folder_without_a_sentence_table_names_it(tmp_path):
    from analysis.errors import CorpusError

    with pytest.raises(CorpusError, match="no sentence table"):
        load_sentence_frames(tmp_path)
