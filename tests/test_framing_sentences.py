"""The sentence table of frame detection as Parquet parts: stored, checked, written part by part."""

from __future__ import annotations

import pandas as pd

from analysis.framing import detect_frames
from analysis.preprocess import preprocess


def test_a_stored_sentence_table_with_a_part_gone_or_damaged_is_detected_again(tiny_corpus, tmp_path):
    tokens = preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1)
    first = detect_frames(tokens, n_boot=10, batch_size=2)
    parts = sorted((tmp_path / "results" / "frame-sentences").glob("*/*.parts/part-*.parquet"))
    assert len(parts) == len(first.table.parts) > 1
    assert first.documents["n_sentences"].sum() == len(first.sentences)
    parts[1].write_bytes(parts[1].read_bytes()[:40])  # cut short
    again = detect_frames(tokens, n_boot=10, batch_size=2)
    pd.testing.assert_frame_equal(again.sentences, first.sentences)
    parts[0].unlink()
    third = detect_frames(tokens, n_boot=10, batch_size=2)
    pd.testing.assert_frame_equal(third.sentences, first.sentences)
    assert parts[0].exists()


def test_frames_written_part_by_part_read_back_as_the_table(tiny_tokens, tmp_path):
    result = detect_frames(tiny_tokens, n_boot=10, batch_size=1)
    assert len(result.table.parts) > 1  # one part a document here
    result.write(tmp_path / "out", csv=True)
    back = pd.read_parquet(tmp_path / "out" / "sentence_frames.parquet")
    pd.testing.assert_frame_equal(back, result.sentences)
    csv = pd.read_csv(tmp_path / "out" / "sentence_frames.csv", keep_default_na=False)
    assert len(csv) == len(back) and list(csv.columns) == list(back.columns)
