"""The corpus loader: front matter, dates, language detection, tables, content hash, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.corpus import Corpus, Document, load_corpus, write_corpus
from analysis.corpus.dates import parse_date
from analysis.corpus.frontmatter import FrontMatterError, render_document, split_front_matter
from analysis.corpus.language import detect_language
from analysis.errors import CorpusError

EN = ("The security of one state cannot be built at the expense of the security of others, "
      "and we call on all partners to work together in the framework of the United Nations.")
RU = ("Безопасность одного государства не может обеспечиваться за счёт безопасности других, "
      "и мы призываем всех партнёров работать вместе в рамках Организации Объединённых Наций.")
FR = ("La sécurité d'un État ne peut pas être assurée aux dépens de la sécurité des autres, "
      "et nous appelons tous nos partenaires à travailler ensemble dans le cadre des Nations unies.")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- front matter -----------------------------------------------------------------------

def test_front_matter_round_trip_keeps_metadata_and_body():
    meta = {"id": "d1", "date": "2020-03", "title": "Заявление: «безопасность»", "language": "ru",
            "country": "RUS", "session": 75, "tags": ["a", "b"]}
    text = render_document(meta, RU)
    got, body = split_front_matter(text)
    assert got == meta
    assert body.strip() == RU
    assert text.startswith("---\nid: d1\ndate: 2020-03\ntitle:")  # core keys first, in order


def test_text_without_front_matter_has_empty_metadata():
    assert split_front_matter("Just a text.\n---\nwith a rule") == ({}, "Just a text.\n---\nwith a rule")


@pytest.mark.parametrize("text, message", [
    ("---\nid: a\nno closing line\n", "never closed"),
    ("---\nid: [unclosed\n---\nbody", "not valid YAML"),
    ("---\n- a list\n---\nbody", "not a mapping"),
])
def test_malformed_front_matter_raises_with_reason(text, message):
    with pytest.raises(FrontMatterError, match=message):
        split_front_matter(text)


def test_folder_round_trip_through_write_and_load(tmp_path, tiny_corpus):
    write_corpus(tiny_corpus, tmp_path / "c", info={"name": "tiny"})
    loaded = load_corpus(tmp_path / "c")
    assert sorted(loaded.ids) == sorted(tiny_corpus.ids)
    for doc_id in tiny_corpus.ids:
        a, b = tiny_corpus.document(doc_id), loaded.document(doc_id)
        assert (b.text, b.language, b.date) == (a.text, a.language, a.date)
        assert b.meta["title"] == a.meta["title"] and b.meta["country"] == a.meta["country"]
    assert loaded.name == "tiny"
    # derived columns are not written back into the files
    assert "text_hash" not in (tmp_path / "c" / "en1.txt").read_text(encoding="utf-8")


def test_writing_a_loaded_corpus_again_gives_the_same_hash(tmp_path, tiny_corpus):
    write_corpus(tiny_corpus, tmp_path / "a")
    first = load_corpus(tmp_path / "a")
    write_corpus(first, tmp_path / "b")
    assert load_corpus(tmp_path / "b").hash == first.hash


# --- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2020", ("2020", "year")),
    (2020, ("2020", "year")),
    ("2020-3", ("2020-03", "month")),
    ("2020-03-05", ("2020-03-05", "day")),
    (" 2020-03-05 ", ("2020-03-05", "day")),
    (dt.date(2020, 3, 5), ("2020-03-05", "day")),
    (dt.datetime(2020, 3, 5, 12, 30), ("2020-03-05", "day")),
    (pd.Timestamp("2020-03-05"), ("2020-03-05", "day")),
])
def test_parse_date_normalises_with_precision(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value, message", [
    ("2020-13", "month 13"),
    ("2021-02-29", "not a calendar date"),
    ("1700", "implausible year"),
    ("March 2020", "not YYYY"),
    ("05.03.2020", "not YYYY"),
    (True, "not a string"),
    (None, "missing"),
    (pd.NaT, "missing"),
    (float("nan"), "missing"),
])
def test_parse_date_rejects_malformed_dates_with_reason(value, message):
    with pytest.raises(ValueError, match=message):
        parse_date(value)


def test_loaded_dates_keep_their_precision(tmp_path):
    write(tmp_path, "y.txt", f"---\ndate: 2019\n---\n{EN}")
    write(tmp_path, "m.txt", f"---\ndate: 2019-07\n---\n{EN}")
    write(tmp_path, "d.txt", f"---\ndate: 2019-07-04\n---\n{EN}")  # YAML reads a date object
    write(tmp_path, "n.txt", EN)
    meta = load_corpus(tmp_path).metadata
    assert meta.loc["y", ["date", "date_precision", "year"]].tolist() == ["2019", "year", 2019]
    assert meta.loc["m", ["date", "date_precision"]].tolist() == ["2019-07", "month"]
    assert meta.loc["d", ["date", "date_precision"]].tolist() == ["2019-07-04", "day"]
    assert pd.isna(meta.loc["n", "date"]) and pd.isna(meta.loc["n", "year"])


# --- language -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    (EN, "en"),
    (RU, "ru"),
    (FR, None),
    ("Президент України заявив, що Україна продовжить співпрацю з партнерами і обговорив питання "
     "безпеки в регіоні та підтримку з боку міжнародних організацій після тривалих переговорів "
     "між сторонами, які тривали кілька тижнів у столиці держави.", None),
    ("Президентът на България заяви, че страната ще продължи сътрудничеството с партньорите си. "
     "Министърът на външните работи проведе среща с делегацията и обсъди въпросите на сигурността "
     "в региона и подкрепата от страна на международните организации.", None),
    ("", None),
    ("Security first.", "en"),
    ("Безопасность прежде всего.", "ru"),
])
def test_detect_language_tells_english_and_russian_from_others(text, expected):
    assert detect_language(text) == expected


def test_english_news_item_made_of_names_is_english():
    # few function words among many names (regression: was None, so the page was skipped)
    text = ("Greetings have been sent to Moldovan President Vladimir Voronin, Ukrainian President "
            "Leonid Kuchma, Tajik President Emomali Rakhmonov, Belarusian President Alexander "
            "Lukashenko, Uzbek President Islam Karimov, Turkmen President Saparmurat Niyazov, "
            "Azerbaijani President Heidar Aliyev and Kazakh President Nursultan Nazarbayev.")
    assert detect_language(text) == "en"
    spanish = ("El presidente recibio hoy en Madrid a los representantes de los estados y hablo con "
               "ellos sobre la seguridad en Europa, Pedro Sanchez, Jose Manuel Albares, Margarita "
               "Robles y otros politicos participaron en la reunion del consejo nacional.")
    assert detect_language(spanish) is None  # plain ASCII, but Spanish function words


def test_short_russian_news_item_with_few_function_words_is_russian():
    # nominal news style: lists of names and titles, few function words (regression: was None)
    text = ("События Встреча с заместителем Премьер-министра ОАЭ Сейфом Аль Нахайяном 30 апреля "
            "2025 года 23:00 Москва, Кремль Владимир Путин принял в Кремле заместителя "
            "Премьер-министра, Министра внутренних дел Объединённых Арабских Эмиратов Сейфа Бен "
            "Заида Аль Нахайяна. Во встрече также принял участие Министр внутренних дел Российской "
            "Федерации Владимир Колокольцев. Обсуждались вопросы двустороннего взаимодействия.")
    assert detect_language(text) == "ru"


# --- bad input in a folder ----------------------------------------------------------------

@pytest.fixture()
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "messy"
    write(folder, "good.txt", f"---\ndate: 2020-01-02\n---\n{EN}")
    write(folder, "ru.txt", f"---\ndate: 2020\n---\n{RU}")
    write(folder, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(folder, "latin1.txt", "Déclaration sur la sécurité".encode("latin-1"))
    write(folder, "empty.txt", "---\ndate: 2020\n---\n   \n")
    write(folder, "sub/good.txt", f"---\ndate: 2021\n---\n{EN}")  # same id 'good'
    write(folder, "baddate.txt", f"---\ndate: 2020-02-30\n---\n{EN}")
    write(folder, "french.txt", f"---\ndate: 2020\n---\n{FR}")
    write(folder, "klingon.txt", f"---\nlanguage: tlh\n---\n{EN}")
    write(folder, "broken.txt", f"---\ndate: 2020\n{EN}")
    write(folder, "underscore.txt", f"---\nid: _x\n---\n{EN}")  # would be written as hidden _x.txt
    write(folder, "README.md", "About this corpus.")
    write(folder, ".hidden.txt", EN)
    return folder


def test_folder_with_bad_files_loads_the_good_ones_and_lists_the_rest(messy_folder):
    corpus = load_corpus(messy_folder)
    assert sorted(corpus.ids) == ["good", "ru"]
    reasons = {s.source: s.reason for s in corpus.skipped}
    assert reasons == {
        "binary.txt": "binary file",
        "latin1.txt": "undecodable bytes",
        "empty.txt": "empty document",
        str(Path("sub/good.txt")): "duplicate id",
        "baddate.txt": "malformed date",
        "french.txt": "unknown language",
        "klingon.txt": "unsupported language",
        "broken.txt": "malformed front matter",
        "underscore.txt": "bad id",
    }
    details = {s.reason: s.detail for s in corpus.skipped}
    assert "0xe9" in details["undecodable bytes"] and "UTF-8" in details["undecodable bytes"]
    assert "good.txt" in details["duplicate id"]
    assert "language: en" in details["unknown language"]


def test_language_is_detected_when_front_matter_lacks_it(messy_folder):
    corpus = load_corpus(messy_folder)
    assert corpus.metadata.loc["ru", "language"] == "ru"
    assert corpus.metadata.loc["good", "language"] == "en"


def test_corpus_yml_defaults_fill_missing_keys(tmp_path):
    write(tmp_path, "corpus.yml", "name: demo\ndefaults:\n  organization: CSTO\n  language: en\n")
    write(tmp_path, "a.txt", f"---\ndate: 2020\n---\n{EN}")
    write(tmp_path, "b.txt", f"---\ndate: 2020\norganization: SCO\n---\n{EN}")
    corpus = load_corpus(tmp_path)
    assert corpus.name == "demo"
    assert corpus.metadata["organization"].to_dict() == {"a": "CSTO", "b": "SCO"}


def test_missing_path_raises_corpus_error_naming_it(tmp_path):
    with pytest.raises(CorpusError, match=r"nowhere: no such corpus folder or table"):
        load_corpus(tmp_path / "nowhere")


def test_folder_without_documents_raises_corpus_error(tmp_path):
    write(tmp_path, "a.txt", b"\x00\x01binary")
    with pytest.raises(CorpusError, match=r"no documents could be loaded \(binary file\)"):
        load_corpus(tmp_path)


def test_unknown_file_type_raises_corpus_error(tmp_path):
    path = write(tmp_path, "corpus.docx", b"PK\x03\x04")
    with pytest.raises(CorpusError, match="a corpus is a folder or a table"):
        load_corpus(path)


# --- tables -------------------------------------------------------------------------------

RECORDS = [
    {"id": "a", "date": "2020-01-02", "title": "A", "country": "RUS", "text": EN},
    {"id": "b", "date": "2021", "title": "B", "country": "CHN", "text": RU},
    {"id": "c", "date": "", "title": "C", "country": "KAZ", "text": EN},
    {"id": "d", "date": "2021-13", "title": "D", "country": "KAZ", "text": EN},
    {"id": "e", "date": "2022", "title": "E", "country": "BLR", "text": ""},
    {"id": "a", "date": "2022", "title": "A2", "country": "BLR", "text": EN},
]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_table_corpora_load_the_same_documents(tmp_path, suffix):
    table = pd.DataFrame(RECORDS)
    path = tmp_path / f"t{suffix}"
    if suffix == ".csv":
        table.to_csv(path, index=False)
    elif suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n",
                        encoding="utf-8")
    else:
        table.to_parquet(path)
    corpus = load_corpus(path)
    assert corpus.ids == ["a", "b", "c"]
    assert corpus.text("b") == RU
    assert corpus.metadata.loc["a", "date"] == "2020-01-02"
    assert pd.isna(corpus.metadata.loc["c", "date"])
    assert corpus.metadata.loc["b", ["language", "country", "title"]].tolist() == ["ru", "CHN", "B"]
    reasons = sorted((s.source, s.reason) for s in corpus.skipped)
    assert reasons == [(f"t{suffix} row 4", "malformed date"), (f"t{suffix} row 5", "empty document"),
                       (f"t{suffix} row 6", "duplicate id")]


def test_parquet_with_typed_columns_loads_and_writes(tmp_path):
    table = pd.DataFrame({
        "id": ["a", "b"], "text": [EN, EN],
        "date": pd.to_datetime(["2020-01-02", None]),  # NaT for b
        "session": [75, 76], "score": [0.5, float("nan")], "tags": [["x", "y"], []],
    })
    table.to_parquet(tmp_path / "t.parquet")
    corpus = load_corpus(tmp_path / "t.parquet")
    assert corpus.metadata.loc["a", "date"] == "2020-01-02"
    assert pd.isna(corpus.metadata.loc["b", "date"])
    write_corpus(corpus, tmp_path / "out")  # numpy values and missing years write as YAML
    again = load_corpus(tmp_path / "out")
    assert again.document("a").meta["session"] == 75
    assert again.document("a").meta["tags"] == ["x", "y"]


def test_table_without_text_column_raises_corpus_error(tmp_path):
    pd.DataFrame({"id": ["a"], "words": [EN]}).to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(CorpusError, match="no text column"):
        load_corpus(tmp_path / "t.csv")


def test_non_utf8_csv_raises_corpus_error(tmp_path):
    (tmp_path / "t.csv").write_bytes("id,text\na,Déclaration\n".encode("latin-1"))
    with pytest.raises(CorpusError, match="not UTF-8"):
        load_corpus(tmp_path / "t.csv")


# --- content hash -------------------------------------------------------------------------

def _corpus(docs: list[Document]) -> Corpus:
    return Corpus.from_documents(docs)


BASE = [Document("a", EN, "en", "2020", {"title": "A", "country": "RUS"}),
        Document("b", RU, "ru", "2021-05", {"title": "B", "country": "BLR"})]


def test_hash_is_stable_under_reordering_and_reloading(tmp_path):
    assert _corpus(BASE).hash == _corpus(list(reversed(BASE))).hash
    write_corpus(BASE, tmp_path / "x")
    write_corpus(BASE, tmp_path / "y")
    assert load_corpus(tmp_path / "x").hash == load_corpus(tmp_path / "y").hash


def test_hash_changes_when_a_text_changes():
    changed = [BASE[0], Document("b", RU + " Спасибо.", "ru", "2021-05", dict(BASE[1].meta))]
    assert _corpus(changed).hash != _corpus(BASE).hash


@pytest.mark.parametrize("field, value", [("country", "UKR"), ("title", "B2"), ("date", "2021-06"),
                                          ("new_key", "x")])
def test_hash_changes_when_a_metadata_value_changes(field, value):
    b = BASE[1]
    meta = dict(b.meta)
    date = b.date
    if field == "date":
        date = value
    else:
        meta[field] = value
    assert _corpus([BASE[0], Document("b", b.text, b.language, date, meta)]).hash != _corpus(BASE).hash


def test_hash_changes_when_a_file_is_edited(tmp_path):
    write_corpus(BASE, tmp_path)
    before = load_corpus(tmp_path).hash
    path = tmp_path / "a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("country: RUS", "country: KAZ"),
                    encoding="utf-8")
    assert load_corpus(tmp_path).hash != before
