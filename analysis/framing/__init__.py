"""Framing: THREAT, MULTIPOLARITY and COOPERATION per sentence, with the cooperation partners.

Lexicons and the partner gazetteer are YAML data (`analysis/data/framing/`), merged with a
user's own files; detection is a dictionary method with context rules over lemmas, validated
against hand-coded gold sentences (`evaluate_frames`); a supervised classifier is the
alternative (`SupervisedFrames`, `train_frames`); `suggest_terms` proposes new terms from a corpus.
The researcher's own validation loop: `sample_sentences` (a sample to code), `coder_agreement`
(Krippendorff's alpha), `evaluate_frames` (scores with document-bootstrap intervals),
`train_frames` (a model from the codes); `audit_rules` lists every lexicon rule's firing and
precision. The codebook is the project's `docs/codebook.md`. The plots are in
`analysis.figures.plots.framing`.
"""

from analysis.framing.aggregate import (
    CSTO_MEMBERS,
    document_shares,
    membership,
    network_table,
    partner_mentions,
    partner_network,
    stat_frame_share,
    stat_partner_mentions,
    top_partners,
)
from analysis.framing.audit import RuleAudit, audit_rules
from analysis.framing.coding import (
    Agreement,
    CodingSample,
    check_splits,
    coder_agreement,
    load_coded,
    partner_jaccard,
    sample_sentences,
)
from analysis.framing.detect import (
    DETECTORS,
    FrameDetector,
    FrameResult,
    SentenceFrames,
    detect_frames,
    detect_processed_batch,
    load_sentence_frames,
)
from analysis.framing.evaluate import (
    Evaluation,
    LockedTest,
    evaluate_frames,
    load_gold,
    load_locked_test,
    partner_scores,
)
from analysis.framing.gazetteer import Gazetteer, load_gazetteer
from analysis.framing.lexicon import (
    CORE_FRAMES,
    FORMAT_VERSION,
    Lexicon,
    LexiconError,
    load_lexicon,
)
from analysis.framing.suggest import Suggestions, suggest_terms
from analysis.framing.supervised import (
    SupervisedFrames,
    cross_val_labels,
    cross_val_proba,
    cross_validate_frames,
    train_frames,
)
from analysis.framing.vectors import (
    build_reference_vectors,
    load_reference_vectors,
    reference_vectors_info,
)

__all__ = [
    "Agreement",
    "CodingSample",
    "RuleAudit",
    "audit_rules",
    "build_reference_vectors",
    "check_splits",
    "coder_agreement",
    "cross_val_proba",
    "load_reference_vectors",
    "partner_jaccard",
    "load_coded",
    "reference_vectors_info",
    "sample_sentences",
    "train_frames",
    "CORE_FRAMES",
    "CSTO_MEMBERS",
    "DETECTORS",
    "FORMAT_VERSION",
    "Evaluation",
    "LockedTest",
    "FrameDetector",
    "FrameResult",
    "Gazetteer",
    "Lexicon",
    "LexiconError",
    "SentenceFrames",
    "Suggestions",
    "SupervisedFrames",
    "cross_val_labels",
    "cross_validate_frames",
    "detect_frames",
    "detect_processed_batch",
    "document_shares",
    "evaluate_frames",
    "load_gazetteer",
    "load_lexicon",
    "membership",
    "network_table",
    "partner_mentions",
    "partner_network",
    "partner_scores",
    "load_gold",
    "load_locked_test",
    "load_sentence_frames",
    "stat_frame_share",
    "stat_partner_mentions",
    "suggest_terms",
    "top_partners",
]

