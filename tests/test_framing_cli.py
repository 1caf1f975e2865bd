"""The `frames` command: output contract, `evaluate --json`, `suggest`, and user errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import Document, write_corpus


@pytest.fixture()
def corpus_dir(tmp_path, tiny_corpus):
    return write_corpus(list(tiny_corpus), tmp_path / "tiny", info={"name": "tiny"})


def test_frames_writes_the_output_contract(corpus_dir, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["frames", str(corpus_dir), "--out", str(out), "--period", "year", "--group", "country",
                 "--n-boot", "50"]) == 0
    sent = pd.read_parquet(out / "sentence_frames.parquet")
    assert list(sent.columns) == ["doc_id", "sentence_index", "text", "threat", "multipolarity", "cooperation",
                                  "partners", "matched_terms"]
    assert len(sent) == 11 and set(sent["threat"]) <= {0, 1}
    assert "CSTO" in set(sent["partners"])
    shares = pd.read_csv(out / "frame_shares.csv")
    assert list(shares.columns)[:6] == ["period", "group", "frame", "share", "low", "high"]
    assert set(shares["group"]) == {"RUS", "CHN", "KAZ", "BLR"}
    assert "11 sentences" in capsys.readouterr().out


def test_frames_csto_grouping(corpus_dir, tmp_path):
    out = tmp_path / "out"
    assert main(["frames", str(corpus_dir), "--out", str(out), "--period", "decade", "--group", "csto",
                 "--ci", "wilson"]) == 0
    shares = pd.read_csv(out / "frame_shares.csv")
    assert set(shares["group"]) == {"CSTO members", "others"}


def test_frames_evaluate_json(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    rows = [{"text": "The threat of terrorism persists.", "threat": 1, "multipolarity": 0, "cooperation": 0,
             "partners": []},
            {"text": "We signed an agreement with the SCO.", "threat": 0, "multipolarity": 0, "cooperation": 1,
             "partners": ["SCO"]},
            {"text": "Многополярный мир формируется.", "language": "ru", "threat": 0, "multipolarity": 1,
             "cooperation": 0, "partners": []}]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert main(["frames", "evaluate", "--gold", str(gold), "--json", "--n-boot", "50"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d) >= {"threat", "multipolarity", "cooperation", "macro_f1", "partners"}
    assert d["macro_f1"] == 1.0 and d["partners"]["recall"] == 1.0
    for frame in ("threat", "multipolarity", "cooperation"):
        assert set(d[frame]) >= {"precision", "recall", "f1"}
    assert main(["frames", "evaluate", "--gold", str(gold), "--n-boot", "20"]) == 0
    assert "macro-F1" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["frames", "evaluate", "--gold", "/nonexistent/gold.jsonl"],
    ["frames", "/nonexistent/corpus", "--out", "/tmp/x"],
])
def test_user_errors_print_a_message_and_exit_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


def test_supervised_detector_needs_training_data(corpus_dir, tmp_path, capsys):
    assert main(["frames", str(corpus_dir), "--out", str(tmp_path / "o"), "--detector", "supervised"]) == 2
    assert "--train" in capsys.readouterr().err


def test_frames_help_lists_the_three_forms(capsys):
    assert main(["frames", "--help"]) == 0
    out = capsys.readouterr().out
    assert "frames evaluate" in out and "frames suggest" in out and "--out" in out


def test_frames_suggest_prints_candidates_and_rejects_unknown_frames(tmp_path, capsys):
    texts = []
    for i in range(40):
        texts.append(Document(f"d{i}", "Saboteurs and terrorists attacked the pipeline near the border. "
                                       "Saboteurs threaten the power grid. The harvest was good this year. "
                                       "Farmers sold bread at the market.", "en", "2020"))
    folder = write_corpus(texts, tmp_path / "c", info={"name": "c"})
    out = tmp_path / "sug"
    assert main(["frames", "suggest", str(folder), "--frame", "threat", "--top", "5", "--min-count", "5",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out / "suggestions.csv", keep_default_na=False)
    assert "saboteur" in set(table["term"])
    assert "terrorist" not in set(table["term"])  # already covered by the lexicon
    assert (table["decision"] == "").all()
    assert main(["frames", "suggest", str(folder), "--frame", "piracy"]) == 2
    assert "`frame` must be one of" in capsys.readouterr().err


def test_frames_audit_and_vectors_from_the_cli(corpus_dir, tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "doc": "d", "split": "train", "text": "Terrorism is a threat.",
                                "threat": 1, "multipolarity": 0, "cooperation": 0, "partners": []}) + "\n",
                    encoding="utf-8")
    out = tmp_path / "audit"
    assert main(["frames", "audit", str(corpus_dir), "--gold", str(gold), "--split", "train", "--out", str(out)]) == 0
    assert json.loads((out / "params.json").read_text(encoding="utf-8"))["n_gold"] == 1
    table = pd.read_csv(out / "audit.csv")
    assert {"rule", "corpus_sentences", "gold_precision", "verdict"} <= set(table.columns)
    assert table.loc[table["rule"] == "threat.terrorism_extremism:terror*", "gold_sentences"].max() == 1
    assert main(["frames", "vectors", "info", "--cache-dir", str(tmp_path / "vec")]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["built"] is False
    assert main(["frames", "vectors", "build", "--cache-dir", str(tmp_path / "vec")]) == 2  # no corpus given
