"""The researcher's validation loop: coded files, Krippendorff's alpha on hand-computed values, the
sample to code, splits by document, and sample -> code -> agreement -> evaluate -> train -> apply
from the CLI and from Python on a small coded file."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.corpus import Corpus, Document
from analysis.errors import UserError
from analysis.framing import (
    SupervisedFrames,
    check_splits,
    coder_agreement,
    detect_frames,
    evaluate_frames,
    load_coded,
    load_gold,
    partner_jaccard,
    sample_sentences,
    train_frames,
)
from analysis.preprocess import preprocess
from analysis.stats import krippendorff_alpha_nominal


def test_alpha_on_a_hand_computed_two_coder_example():
    # 10 units, 2 disagreements; each coder has five 1s: n = 20, n_0 = n_1 = 10.
    # D_o = (o_01 + o_10) / n = 4 / 20 = 0.2; D_e = 2 n_0 n_1 / (n (n - 1)) = 200 / 380
    # alpha = 1 - 0.2 / (200 / 380) = 1 - 0.38 = 0.62
    a = [1, 1, 0, 0, 1, 0, 0, 0, 1, 1]
    b = [1, 0, 0, 0, 1, 0, 1, 0, 1, 1]
    assert krippendorff_alpha_nominal(np.array([a, b])) == pytest.approx(0.62)
    assert krippendorff_alpha_nominal(np.array([a, a])) == pytest.approx(1.0)


def test_alpha_matches_krippendorffs_published_example_with_missing_values():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units,
    # nominal alpha = 0.743 (units coded by one coder only are not pairable)
    n = np.nan
    data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
                     [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]])
    assert krippendorff_alpha_nominal(data) == pytest.approx(0.743, abs=5e-4)
    assert math.isnan(krippendorff_alpha_nominal(np.array([[1, 1], [1, 1]])))  # one category: undefined


def test_partner_jaccard_over_sentences_where_either_coder_names_one():
    # {UN, SCO} vs {UN}: 1/2; {} vs {}: left out; {CIS} vs {EU}: 0 -> mean 0.25 over 2
    assert partner_jaccard([["UN", "SCO"], [], ["CIS"]], [["UN"], [], ["EU"]]) == (0.25, 2)


def _write_csv(path, rows, header=""):
    frame = pd.DataFrame(rows)
    path.write_text(header + frame.to_csv(index=False), encoding="utf-8")
    return path


def test_read_coded_reads_csv_with_rule_lines_and_blank_labels(tmp_path):
    p = _write_csv(tmp_path / "a.csv", [
        {"id": "s1", "doc": "d1", "language": "en", "text": "Terrorism is a threat.", "threat": 1,
         "multipolarity": 0, "cooperation": 0, "partners": ""},
        {"id": "s2", "doc": "d1", "language": "en", "text": "We work with the UN and the SCO.", "threat": 0,
         "multipolarity": "", "cooperation": 1, "partners": "UN; SCO"},
    ], header="# coding rules\n# more rules\n")
    t = load_coded(p, require_labels=False)
    assert t["partners"].tolist() == [[], ["UN", "SCO"]]
    assert math.isnan(t.loc[1, "multipolarity"]) and t.loc[0, "threat"] == 1
    with pytest.raises(UserError, match="line 5.*blank"):
        load_coded(p)
    g = load_gold(p, skip_uncoded=True)
    assert len(g) == 1 and g.attrs["skipped"] == 1


def test_a_document_in_two_splits_is_refused():
    t = pd.DataFrame({"doc": ["a", "a", "b"], "split": ["train", "test", "test"]})
    with pytest.raises(UserError, match="document 'a'.*more than one split"):
        check_splits(t)
    assert check_splits(t.assign(doc=["a", "c", "b"])) == {"train": 1, "validation": 0, "test": 2}


def test_agreement_per_frame_and_the_disagreements(tmp_path):
    base = {"doc": "d", "language": "en", "text": "x", "threat": 0, "multipolarity": 0, "cooperation": 0,
            "partners": ""}
    a_rows = [dict(base, id=f"s{i}", threat=v) for i, v in enumerate([1, 1, 0, 0, 1, 0, 0, 0, 1, 1])]
    b_rows = [dict(base, id=f"s{i}", threat=v) for i, v in enumerate([1, 0, 0, 0, 1, 0, 1, 0, 1, 1])]
    a_rows[0].update(cooperation=1, partners="UN;SCO")
    b_rows[0].update(cooperation=1, partners="UN")
    ag = coder_agreement(_write_csv(tmp_path / "a.csv", a_rows), _write_csv(tmp_path / "b.csv", b_rows))
    assert ag.table.loc["threat", "alpha"] == pytest.approx(0.62)
    assert ag.table.loc["threat", "agreement"] == pytest.approx(0.8)
    assert ag.table.loc["partners", "jaccard"] == pytest.approx(0.5)
    assert sorted(ag.disagreements[ag.disagreements["frame"] == "threat"]["id"]) == ["s1", "s6"]
    assert "alpha" in ag.report()


def _corpus() -> Corpus:
    texts = {
        "d1": "The threat of international terrorism persists in the region. We signed an agreement on "
              "cooperation with the SCO and Kazakhstan. The weather was fine all week long.",
        "d2": "A multipolar world is emerging before our eyes today. Joint exercises with the CSTO were held "
              "in October. Drug trafficking remains a grave danger to all of us.",
        "d3": "The hegemony of one power must end in the new world order. Our museum opened a new hall for "
              "the public. Cooperation with China in trade keeps growing every year.",
        "d4": "Extremist groups attacked the border posts last night again. The unipolar order is collapsing "
              "as we speak. Consultations with Belarus took place in Minsk this week.",
        "d5": "Students passed their exams in the spring with good marks. Nuclear weapons endanger the whole "
              "of humanity today. New centres of power are rising in Asia and Africa.",
        "d6": "Dialogue with our neighbours continues in a friendly spirit. The river is long and very wide in "
              "spring. Militants crossed the frontier with heavy weapons.",
    }
    return Corpus.from_documents([Document(k, v, "en", f"20{10 + i}") for i, (k, v) in enumerate(texts.items())],
                                 name="loop")


def _code(table: pd.DataFrame) -> pd.DataFrame:
    """Codes for the sample, written as a person would: by reading each sentence."""
    t = table.copy()
    low = t["text"].str.lower()
    t["threat"] = low.str.contains("threat|terror|drug|extremist|nuclear|militant").astype(int)
    t["multipolarity"] = low.str.contains("multipolar|hegemony|unipolar|centres of power").astype(int)
    t["cooperation"] = low.str.contains("agreement|joint|cooperation|consultations|dialogue").astype(int)
    names = {"SCO": "SCO", "Kazakhstan": "Kazakhstan", "CSTO": "CSTO", "China": "China", "Belarus": "Belarus"}
    t["partners"] = [";".join(v for k, v in names.items() if k in s) if c else ""
                     for s, c in zip(t["text"], t["cooperation"], strict=True)]
    return t


def test_the_loop_sample_code_evaluate_train_apply_from_python_and_the_cli(tmp_path, capsys):
    corpus = _corpus()
    tokens = preprocess(corpus, cache_dir=None, n_jobs=1)
    sample = sample_sentences(tokens, 12, seed=1, per_document=3)
    assert len(sample.table) == 12 and sample.table["doc"].value_counts().max() <= 3
    assert sample.table[["threat", "multipolarity", "cooperation"]].isna().all().all()
    csv_path, jsonl_path, params_path = sample.write(tmp_path / "to_code")
    assert (csv_path.name, jsonl_path.name, params_path.name) == ("sample.csv", "sample.jsonl", "params.json")
    assert csv_path.read_text(encoding="utf-8").startswith("# Coding rules")
    assert "_codebook" in json.loads(jsonl_path.read_text(encoding="utf-8").splitlines()[0])
    assert load_coded(jsonl_path, require_labels=False)[["threat"]].isna().all().all()
    # the same sample again with the same seed
    pd.testing.assert_frame_equal(sample.table, sample_sentences(tokens, 12, seed=1, per_document=3).table)

    # a person codes the CSV (keeping the rule lines), then the Python API
    rule_lines = sum(1 for line in csv_path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    table = pd.read_csv(csv_path, skiprows=rule_lines)
    coded = _code(table)
    coded_path = _write_csv(tmp_path / "coded.csv", coded.to_dict("records"))
    gold = load_gold(coded_path)
    ev = evaluate_frames(gold, n_boot=50)
    assert ev.params["bootstrap"] == "documents" and ev.params["n_documents"] == gold["doc"].nunique()
    model, rules = train_frames(gold, n_folds=2, seed=0)
    assert set(rules["rule"]) == {"model", "lexicon", "or", "and"}
    assert model.info_["rules_chosen_on"] == "cross-validation"
    paths = model.save(tmp_path / "model")
    assert sorted(p.name for p in paths) == ["model.json", "model.npz"]
    loaded = SupervisedFrames.load(tmp_path / "model")
    texts = list(gold["text"])
    pd.testing.assert_frame_equal(model.predict_proba(texts, "en"), loaded.predict_proba(texts, "en"))
    applied = detect_frames(tokens, detector="supervised", model=loaded, n_boot=10)
    assert len(applied.sentences) == 18

    # the same loop from the CLI
    assert main(["frames", "sample", str(_save(corpus, tmp_path)), "--n", "12", "--seed", "1",
                 "--out", str(tmp_path / "cli_sample")]) == 0
    assert (tmp_path / "cli_sample" / "sample.csv").is_file() and (tmp_path / "cli_sample" / "sample.jsonl").is_file()
    capsys.readouterr()
    assert main(["frames", "evaluate", "--gold", str(coded_path), "--n-boot", "20", "--json"]) == 0
    assert json.loads(_last_json(capsys))["bootstrap"] == "documents"
    assert main(["frames", "train", "--gold", str(coded_path), "--out", str(tmp_path / "cli_model"),
                 "--folds", "2"]) == 0
    assert main(["frames", "evaluate", "--gold", str(coded_path), "--model", str(tmp_path / "cli_model"),
                 "--n-boot", "20"]) == 0
    assert main(["frames", str(tmp_path / "corpus"), "--model", str(tmp_path / "cli_model"),
                 "--out", str(tmp_path / "applied"), "--n-boot", "10"]) == 0
    params = json.loads((tmp_path / "applied" / "params.json").read_text())
    assert params["detector"] == "supervised"
    capsys.readouterr()
    assert main(["frames", "agreement", str(coded_path), str(coded_path), "--json"]) == 0
    assert json.loads(_last_json(capsys))["threat"]["alpha"] == pytest.approx(1.0)


def _last_json(capsys) -> str:
    text = capsys.readouterr().out
    return text[text.index("{"):]


def _save(corpus: Corpus, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for doc in corpus:
        (folder / f"{doc.id}.txt").write_text(f"---\nid: {doc.id}\ndate: '{doc.date}'\nlanguage: en\n---\n{doc.text}\n",
                                              encoding="utf-8")
    return folder


def test_a_damaged_or_missing_model_gives_a_message(tmp_path):
    with pytest.raises(UserError, match="not a saved frame model"):
        SupervisedFrames.load(tmp_path)
    (tmp_path / "model.json").write_text("{", encoding="utf-8")
    (tmp_path / "model.npz").write_bytes(b"")
    with pytest.raises(UserError, match="not valid JSON"):
        SupervisedFrames.load(tmp_path)
    assert main(["frames", "evaluate", "--gold", str(tmp_path / "none.jsonl")]) == 2
