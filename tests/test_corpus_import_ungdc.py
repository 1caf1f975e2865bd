"""Importing the UN General Debate Corpus: archive and folders, speakers table, bad files."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tarfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.cli import main
from analysis.corpus import load_corpus
from analysis.corpus.importers import import_ungdc
from analysis.corpus.importers.ungdc import (
    SOURCE,
    SpeakerRow,
    SpeechName,
    match_speakers,
    parse_speech_name,
)
from analysis.corpus.skips import load_skip_list
from analysis.errors import CorpusError

TOP = "UN General Debate Corpus/TXT"
SPEECH = ("Mr. President, the threat of terrorism concerns all of us. We support the central role "
          "of the United Nations in collective security and call for dialogue among all states.")
FILES: dict[str, bytes] = {
    f"{TOP}/Session 78 - 2023/RUS_78_2023.txt": b"\xef\xbb\xbf" + SPEECH.replace(". ", ".\r\n").encode(),
    f"{TOP}/Session 78 - 2023/PRT_78_2023.txt": SPEECH.encode(),
    f"{TOP}/Session 77 - 2022/RUS_77_2022.txt": SPEECH.encode(),
    f"{TOP}/Session 77 - 2022/PRT_77_2022.txt": SPEECH.encode(),
    f"{TOP}/Session 77 - 2022/EU_77_2022.txt": SPEECH.encode(),
    f"{TOP}/Session 79 - 2024/RUS_79_2024.txt": SPEECH.encode(),
    f"{TOP}/Session 47 - 1992/.DS_Store-to-UTF-8.txt": b"\x00\x00\x00\x01Bud1" + b"\x00" * 200,
    f"{TOP}/Session 35 - 1980/.Rhistory": b"library(readtext)\nx <- 1\n",
    f"{TOP}/Session 78 - 2023/notes.txt": b"Some notes on the session.",
    f"{TOP}/Session 78 - 2023/CHN_77_2022.txt": SPEECH.encode(),
    f"{TOP}/Session 78 - 2023/FRA_78_2023.txt": "Déclaration du président".encode("latin-1"),
    f"{TOP}/Session 78 - 2023/GBR_78_2023.txt": b"  \r\n",
}
SPEAKERS = [
    ["Year", "Session", "ISO Code", "Country", "Name of Person Speaking", "Post"],
    ["2023", "78", "RUS", "Russia ", "Sergey Lavrov ", "Minister for Foreign Affairs"],
    ["2023", "78", "RUS", "Russia", "Sergey Lavrov", "Minister for Foreign Affairs"],
    ["2022", "77", "RUS", "Russia", "Sergey\nLavrov", "Minister for Foreign Affairs "],
    ["2022", "77", "PRT", "Portugal", "António Costa", "Prime Minister"],
    ["2023", "78", "POR", "Portugal", "Marcelo Rebelo de Sousa", "President"],
    ["2022", "77", "EU", "European Union", "Charles Michel", "President of the European Council"],
    ["2022", "77", "EU", "European Union", "Josep Borrell", "High Representative"],
    ["1987", "42", "", "Leage of Arab States", "Mr. Maksoud", ""],
    ["2023", "78", "XYZ", "Nowhere", "Nobody", ""],
]
GOOD = ["EU_77_2022", "PRT_77_2022", "PRT_78_2023", "RUS_77_2022", "RUS_78_2023", "RUS_79_2024"]


@pytest.fixture()
def tgz(tmp_path: Path) -> Path:
    path = tmp_path / "UNGDC_test.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in FILES.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "extracted"
    for name, data in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture()
def speakers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "Speakers_by_session.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(SPEAKERS)
    return path


def imported(source: Path, speakers: Path | None = None):
    result = import_ungdc(source, speakers=speakers)
    docs = {d.id: d for d in result.documents}
    return result, docs


def test_archive_speeches_become_documents_with_metadata(tgz, speakers_csv):
    result, docs = imported(tgz, speakers_csv)
    assert sorted(docs) == GOOD
    rus = docs["RUS_78_2023"]
    assert (rus.date, rus.language) == ("2023", "en")
    assert rus.meta == {"country": "RUS", "session": 78, "source": SOURCE, "speaker": "Sergey Lavrov",
                        "post": "Minister for Foreign Affairs", "country_name": "Russia"}
    assert rus.text == SPEECH.replace(". ", ".\n")  # BOM dropped, CRLF -> LF
    assert docs["RUS_77_2022"].meta["speaker"] == "Sergey Lavrov"  # line break inside the cell
    assert docs["EU_77_2022"].meta["country"] == "EU"


def test_bad_files_are_skipped_and_non_speech_files_ignored(tgz):
    result, _ = imported(tgz)
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert reasons == {
        ".DS_Store-to-UTF-8.txt": "binary file",
        "notes.txt": "unexpected file name",
        "CHN_77_2022.txt": "unexpected file name",
        "FRA_78_2023.txt": "undecodable bytes",
        "GBR_78_2023.txt": "empty document",
    }
    details = {Path(s.source).name: s.detail for s in result.skipped}
    assert "Desktop Services Store" in details[".DS_Store-to-UTF-8.txt"]
    assert "Session 78 - 2023" in details["CHN_77_2022.txt"]
    assert [(Path(s.source).name, s.reason) for s in result.ignored] == [(".Rhistory", "ignored")]
    assert "R command history" in result.ignored[0].detail
    summary = result.summary()
    assert (summary["imported"], summary["skipped"], summary["ignored"]) == (0, 5, 1)  # not counted via write


def test_extracted_folder_gives_the_same_documents_as_the_archive(tgz, folder, speakers_csv):
    _, from_tgz = imported(tgz, speakers_csv)
    result, from_folder = imported(folder, speakers_csv)
    assert from_folder == from_tgz
    assert len(result.skipped) == 5 and len(result.ignored) == 1


def test_speakers_from_xlsx_match_speakers_from_csv(tgz, speakers_csv, tmp_path):
    xlsx = tmp_path / "Speakers_by_session.xlsx"
    pd.read_csv(speakers_csv, dtype=str, keep_default_na=False).to_excel(xlsx, index=False)
    _, from_csv = imported(tgz, speakers_csv)
    _, from_xlsx = imported(tgz, xlsx)
    assert from_xlsx == from_csv


def test_speaker_table_quirks_are_handled_and_reported(tgz, speakers_csv):
    result, docs = imported(tgz, speakers_csv)
    report = result.info["import"]["speaker_table"]
    # a mistyped code (POR for PRT) is matched through the country name, and reported
    assert docs["PRT_78_2023"].meta["speaker"] == "Marcelo Rebelo de Sousa"
    assert len(report["rows_reassigned"]) == 1 and "POR session 78" in report["rows_reassigned"][0]
    # two speakers for one speech: both kept, reported
    assert docs["EU_77_2022"].meta["speaker"] == "Charles Michel; Josep Borrell"
    assert any("EU session 77" in note for note in report["rows_naming_several_speakers"])
    # identical rows (after trimming spaces) merged
    assert report["duplicate_rows_merged"] == 2
    # no row for the speech: no speaker, listed
    assert "speaker" not in docs["RUS_79_2024"].meta
    assert report["speeches_without_speaker_ids"] == ["RUS_79_2024"]
    assert report["speeches_without_speaker_by_session"] == {79: 1}
    assert any("Leage of Arab States" in p for p in report["rows_not_used"])
    assert any(r.startswith("XYZ session 78") for r in report["rows_without_speech"])


@pytest.mark.parametrize("name, expected", [
    ("TXT/Session 79 - 2024/RUS_79_2024.txt", SpeechName("RUS_79_2024", "RUS", 79, 2024)),
    ("EU_66_2011.txt", SpeechName("EU_66_2011", "EU", 66, 2011)),
    ("TXT/Session 01 - 1946/USA_1_1946.txt", SpeechName("USA_1_1946", "USA", 1, 1946)),
    ("Session 79 - 2024/RUS_78_2024.txt", "was held in 2023"),
    ("Session 78 - 2023/RUS_79_2024.txt", "is in folder 'Session 78 - 2023'"),
    ("rus_79_2024.txt", "is not ISO_NN_YYYY.txt"),
    ("RUS-79-2024.txt", "is not ISO_NN_YYYY.txt"),
    (".DS_Store-to-UTF-8.txt", "is not ISO_NN_YYYY.txt"),
])
def test_parse_speech_name(name, expected):
    got = parse_speech_name(name)
    if isinstance(expected, SpeechName):
        assert got == expected
    else:
        assert isinstance(got, str) and expected in got


def _row(code: str, session: int, name: str, speaker: str, row: int = 2) -> SpeakerRow:
    return SpeakerRow(row, code, session, name, speaker, "")


def test_a_code_that_never_matches_is_mapped_when_one_code_lacks_speakers_in_all_its_sessions():
    speeches = {("YMD", s): f"YMD_{s}_{1945 + s}" for s in (30, 31)}
    speeches.update({("ZAF", 31): "ZAF_31_1976", ("FRA", 30): "FRA_30_1975"})
    rows = [_row("YDYE", 30, "Democratic Yemen", "A"), _row("YDYE", 31, "Democratic Yemen", "B"),
            _row("FRA", 30, "France", "C")]
    lookup, report = match_speakers(rows, speeches)
    assert lookup[("YMD", 30)]["speaker"] == "A" and lookup[("YMD", 31)]["speaker"] == "B"
    assert len(report["rows_reassigned"]) == 2
    assert report["speeches_without_speaker_ids"] == ["ZAF_31_1976"]


def test_no_guess_when_the_evidence_is_not_unique():
    # one unmatched row, one session, two speeches without speakers, no name seen elsewhere
    speeches = {("AAA", 40): "AAA_40_1985", ("BBB", 40): "BBB_40_1985"}
    lookup, report = match_speakers([_row("CCC", 40, "Cland", "X")], speeches)
    assert lookup == {}
    assert report["rows_reassigned"] == [] and len(report["rows_without_speech"]) == 1
    assert report["speeches_without_speaker"] == 2


def test_speakers_table_without_needed_columns_is_a_corpus_error(tgz, tmp_path):
    bad = tmp_path / "speakers.csv"
    bad.write_text("Year,Country\n2023,Russia\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="needs columns 'ISO Code'"):
        import_ungdc(tgz, speakers=bad)


def test_truncated_archive_is_a_corpus_error(tgz, tmp_path):
    cut = tmp_path / "cut.tgz"
    cut.write_bytes(tgz.read_bytes()[:300])
    with pytest.raises(CorpusError, match="cannot be read as a tar archive"):
        list(import_ungdc(cut).documents)


# --- the command line -----------------------------------------------------------------------

def test_cli_writes_corpus_skip_list_and_summary(tgz, speakers_csv, tmp_path, capsys):
    out = tmp_path / "corpus"
    code = main(["corpus", "import", "ungdc", str(tgz), "--speakers", str(speakers_csv), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert sorted(load_corpus(out).ids) == GOOD
    skips = load_skip_list(out / "skipped.csv")
    assert [(Path(s.source).name, s.reason) for s in skips][-1] == (".Rhistory", "ignored")
    assert len(skips) == 6
    assert ("imported 6, skipped 5 (unexpected file name: 2, binary file: 1, undecodable bytes: 1, "
            "empty document: 1); ignored 1 files that are not documents (.Rhistory: 1)") in printed
    assert "skipped UN General Debate Corpus/TXT/Session 47 - 1992/.DS_Store-to-UTF-8.txt: binary file" in printed
    assert "ignored UN General Debate Corpus/TXT/Session 35 - 1980/.Rhistory" in printed
    info = yaml.safe_load((out / "corpus.yml").read_text(encoding="utf-8"))
    assert info["source"] == SOURCE and info["import"]["imported"] == 6


def test_cli_strict_exits_non_zero_when_files_were_skipped(tgz, tmp_path, capsys):
    code = main(["corpus", "import", "ungdc", str(tgz), "--out", str(tmp_path / "c"), "--strict"])
    assert code == 1
    assert "--strict: 5 files were skipped" in capsys.readouterr().err


def test_cli_refuses_to_write_over_a_corpus_without_overwrite(tgz, tmp_path, capsys):
    out = tmp_path / "c"
    assert main(["corpus", "import", "ungdc", str(tgz), "--out", str(out)]) == 0
    assert main(["corpus", "import", "ungdc", str(tgz), "--out", str(out)]) == 2
    assert "already holds a corpus (6 documents)" in capsys.readouterr().err
    assert main(["corpus", "import", "ungdc", str(tgz), "--out", str(out), "--overwrite"]) == 0


def test_cli_missing_source_is_a_message_not_a_traceback(tmp_path, capsys):
    code = main(["corpus", "import", "ungdc", str(tmp_path / "nope.tgz"), "--out", str(tmp_path / "c")])
    assert code == 2
    assert "nope.tgz: no such file or folder" in capsys.readouterr().err


# --- the real corpus (../shared) --------------------------------------------------------------

@pytest.fixture(scope="module")
def real_import(shared_dir: Path, tmp_path_factory) -> tuple[Path, str]:
    """The whole UNGDC archive imported once for this module, through the command line."""
    src = shared_dir / "corpora" / "ungdc"
    out = tmp_path_factory.mktemp("ungdc") / "corpus"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["corpus", "import", "ungdc", str(src / "UNGDC_1946-2024.tgz"),
                     "--speakers", str(src / "Speakers_by_session.csv"), "--out", str(out)])
    assert code == 0, buffer.getvalue()
    return out, buffer.getvalue()


def test_real_archive_imports_every_speech_and_reports_the_junk(real_import):
    out, printed = real_import
    assert len(list(out.glob("*.txt"))) == 10952
    assert "imported 10952, skipped 1 (binary file: 1); ignored 4 files" in printed
    skips = load_skip_list(out / "skipped.csv")
    skipped = [s for s in skips if s.reason != "ignored"]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [(".DS_Store-to-UTF-8.txt", "binary file")]
    assert "Desktop Services Store" in skipped[0].detail
    ignored = sorted(Path(s.source).name for s in skips if s.reason == "ignored")
    assert ignored == [".Rapp.history", ".Rapp.history", ".Rhistory", ".Rhistory"]


def test_real_archive_metadata_spot_checks(real_import):
    out, _ = real_import
    corpus = load_corpus(out)
    rus = corpus.document("RUS_79_2024")
    assert (rus.date, rus.language, rus.meta["country"], rus.meta["session"]) == ("2024", "en", "RUS", 79)
    assert rus.meta["source"] == SOURCE
    assert "Summit of the Future" in rus.text
    # Speakers_by_session.csv ends with 2023: 2024 speeches have no speaker, and the import says so
    assert "speaker" not in rus.meta
    report = yaml.safe_load((out / "corpus.yml").read_text(encoding="utf-8"))["import"]["speaker_table"]
    assert "RUS_79_2024" in report["speeches_without_speaker_ids"]
    lavrov = corpus.document("RUS_78_2023").meta
    assert (lavrov["speaker"], lavrov["country_name"]) == ("Sergey Lavrov", "Russia")
    assert corpus.metadata["speaker"].notna().sum() == report["speeches_with_speaker"] > 10500


def test_real_corpus_info_reports_all_documents(real_import, capsys):
    out, _ = real_import
    assert main(["corpus", "info", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["documents"] == 10952
    assert info["date_range"] == ["1946", "2024"]
    assert info["skipped_at_import"] == 1 and info["ignored_at_import"] == 4
