"""Lexicons: the shipped YAML, its validation, and merging a user's own file."""

from __future__ import annotations

import pytest

from analysis.framing import FrameDetector, LexiconError, load_lexicon
from analysis.framing.lexicon import FORMAT_VERSION

SUBFRAMES = {
    "threat": {"terrorism_extremism", "drugs_organized_crime", "information_hybrid_ai", "wmd_arms_race",
               "biological", "armed_conflict_instability"},
    "multipolarity": {"multipolar_order", "hegemony_west", "security_architecture", "greater_eurasia"},
    "cooperation": {"partnership_dialogue", "agreements", "joint_exercises_operations", "suspended_contacts"},
}


def test_shipped_lexicon_has_the_codebook_frames_and_subframes_in_both_languages():
    lex = load_lexicon()
    assert lex.frame_names[:3] == ["threat", "multipolarity", "cooperation"]
    assert lex.version
    for frame, subs in SUBFRAMES.items():
        assert subs <= set(lex.frames[frame].subframes), frame
        for sub in subs:
            terms = lex.frames[frame].subframes[sub].terms
            assert terms.get("en") and terms.get("ru"), (frame, sub)
    counts = lex.count_terms()
    assert all(counts[f]["en"] >= 50 and counts[f]["ru"] >= 50 for f in SUBFRAMES)


def test_user_file_adds_terms_and_frames_and_removes_shipped_terms(tmp_path):
    user = tmp_path / "mine.yml"
    user.write_text(
        "format: 1\nversion: mine-1\nframes:\n"
        "  threat:\n    subframes:\n      terrorism_extremism:\n        en: ['narco-state']\n"
        "        remove:\n          en: [militant]\n"
        "  energy:\n    label: Energy security\n    subframes:\n      supply:\n"
        "        en: [{term: pipeline, near: [sabotage*, attack*]}]\n        ru: [трубопровод*]\n",
        encoding="utf-8")
    lex = load_lexicon(user)
    assert lex.frame_names == ["threat", "multipolarity", "cooperation", "energy"]
    assert lex.version.endswith("+mine-1") and str(user) in lex.sources
    det = FrameDetector(lex)
    assert det.detect("Saboteurs attacked the pipeline.").flags[3]
    assert not det.detect("The pipeline was opened.").flags[3]
    assert det.detect("It has become a narco-state.").flags[0]
    assert not det.detect("A militant spoke.").flags[0]  # removed by the user file
    assert FrameDetector().detect("A militant spoke.").flags[0]  # still in the shipped lexicon


def test_user_lexicon_alone_without_the_shipped_one():
    lex = load_lexicon({"format": 1, "frames": {"threat": {"subframes": {"x": {"en": ["boom"]}}},
                                                "multipolarity": {"subframes": {"x": {"en": ["poles"]}}},
                                                "cooperation": {"subframes": {"x": {"en": ["hands"]}}}}},
                       base=False)
    assert lex.count_terms()["threat"] == {"en": 1, "ru": 0}


def test_a_frame_with_replace_true_replaces_the_shipped_frame():
    lex = load_lexicon({"format": 1, "frames": {"threat": {"replace": True, "subframes": {
        "only": {"en": ["boom"]}}}}})
    assert list(lex.frames["threat"].subframes) == ["only"]


@pytest.mark.parametrize(("text", "message"), [
    ("frames: {}\n", r"`format` must be 1"),
    ("format: 2\nframes: {}\n", r"`format` must be 1"),
    ("format: 1\n", r"`frames` must be a mapping"),
    ("format: 1\nframes:\n  Threat!:\n    subframes: {a: {en: [x]}}\n", r"frame names are lower-case"),
    ("format: 1\nframes:\n  threat:\n    subframes: {a: {de: [x]}}\n", r"unknown key\(s\) \['de'\]"),
    ("format: 1\nframes:\n  threat:\n    subframes: {a: {en: [{term: x, nearby: [y]}]}}\n", r"unknown key\(s\) \['nearby'\]"),
    ("format: 1\nframes:\n  threat:\n    subframes: {a: {en: [{term: x, not_next: [on]}]}}\n", r"write 'on' in quotes"),
    ("format: 1\nframes:\n  threat:\n    subframes: {a: {en: [{term: x, window: -1}]}}\n", r"`window` .* int >= 0"),
    ("format: 1\nframes:\n  threat:\n    subframes: {a: {en: [3]}}\n", r"a term must be a string"),
    ("format: 1\nframes: [\n", r"not valid YAML"),
])
def test_bad_user_files_raise_a_message_naming_the_file_and_place(tmp_path, text, message):
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as err:
        load_lexicon(path)
    assert "bad.yml" in str(err.value)


def test_missing_user_file_is_reported():
    with pytest.raises(LexiconError, match="no such file"):
        load_lexicon("/nonexistent/lexicon.yml")


def test_term_syntax_prefix_exact_form_acronym_and_hyphen_variants():
    lex = load_lexicon({"format": 1, "frames": {
        "threat": {"replace": True, "subframes": {"a": {"en": ["terror*", "=meetings", "WHO", "co-operation"]}}}}})
    det = FrameDetector(lex)

    def hit(text: str) -> bool:
        return det.detect(text).flags[0]

    assert hit("Terrorists struck.") and hit("Counter measures against terrorism.")
    assert hit("Two meetings took place.") and not hit("We will meet again.")  # exact form, no lemma
    assert hit("The WHO warned.") and not hit("Those who warned.")  # acronym only in capitals
    assert hit("Co-operation grows.") and hit("Cooperation grows.") and hit("Co operation grows.")
    assert FORMAT_VERSION == 1


def test_lexicon_hash_changes_with_content():
    a = load_lexicon()
    b = load_lexicon({"format": 1, "frames": {"threat": {"subframes": {"x": {"en": ["boom"]}}}}})
    assert a.hash == load_lexicon().hash and a.hash != b.hash
