"""The supervised option: one TF-IDF + logistic-regression classifier per frame, trained on gold
sentences (scikit-learn; cf. Grimmer and Stewart 2013 on validating supervised text coding).

Features are lemma unigrams and bigrams (the detector's lemmas, so Russian inflections share a
feature). Scores are reported by stratified k-fold cross-validation with a fixed seed; used on a
corpus, the classifier replaces the lexicon's frame labels (`detector="supervised"`) or is
combined with them (`detector="both"`: a frame when either marks it). Partners still come from
the gazetteer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import UserError, check_int
from analysis.framing.lexicon import CORE_FRAMES
from analysis.framing.matcher import Lemmatizer
from analysis.preprocess.text import tokenize

logger = logging.getLogger(__name__)


@dataclass
class SupervisedFrames:
    """Per-frame TF-IDF + logistic regression.

    Parameters
    ----------
    frames : the frames to learn (columns of the gold table).
    C : inverse regularization strength of the logistic regression.
    ngram_range : lemma n-grams used as features.
    min_df : drop features seen in fewer gold sentences.
    threshold : probability above which a frame is marked.
    seed : random_state of the solver (liblinear is deterministic; kept for the record).
    """

    frames: tuple[str, ...] = CORE_FRAMES
    C: float = 4.0
    ngram_range: tuple[int, int] = (1, 2)
    min_df: int = 1
    threshold: float = 0.5
    seed: int = 0
    models_: dict = field(default_factory=dict, repr=False)
    vectorizer_: object = field(default=None, repr=False)
    _lemmatizers: dict = field(default_factory=dict, repr=False)

    def _doc(self, text: str, language: str) -> str:
        lem = self._lemmatizers.get(language)
        if lem is None:
            lem = self._lemmatizers[language] = Lemmatizer(language)
        return " ".join(lem[w][0].lower() for w in tokenize(text))

    def _docs(self, texts: Sequence[str], languages: Sequence[str] | str) -> list[str]:
        if isinstance(languages, str):
            languages = [languages] * len(texts)
        return [self._doc(t, lang) for t, lang in zip(texts, languages, strict=True)]

    def fit(self, gold: pd.DataFrame) -> SupervisedFrames:
        """Train on a gold table (`analysis.framing.evaluate.read_gold`): text, language, frames."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        missing = [f for f in ("text", *self.frames) if f not in gold.columns]
        if missing:
            raise UserError(f"the gold table lacks column(s) {', '.join(missing)}.")
        langs = gold["language"] if "language" in gold.columns else ["en"] * len(gold)
        docs = self._docs(list(gold["text"]), list(langs))
        self.vectorizer_ = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=self.ngram_range,
                                           min_df=self.min_df, sublinear_tf=True)
        x = self.vectorizer_.fit_transform(docs)
        self.models_ = {}
        for f in self.frames:
            y = gold[f].astype(int).to_numpy()
            if len(np.unique(y)) < 2:
                raise UserError(f"cannot train the {f!r} classifier: the gold sentences are all "
                                f"{'positive' if y[0] else 'negative'} for it.")
            model = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                       random_state=self.seed, max_iter=1000)
            self.models_[f] = model.fit(x, y)
        logger.info("trained %d frame classifiers on %d sentences, %d features", len(self.frames), len(gold),
                    x.shape[1])
        return self

    def predict_proba(self, texts: Sequence[str], language: Sequence[str] | str = "en") -> pd.DataFrame:
        """Probability of each frame per text (columns: frames)."""
        if self.vectorizer_ is None:
            raise UserError("the supervised model is not trained; call fit(gold) first.")
        x = self.vectorizer_.transform(self._docs(list(texts), language))
        return pd.DataFrame({f: m.predict_proba(x)[:, 1] for f, m in self.models_.items()})

    def predict(self, texts: Sequence[str], language: Sequence[str] | str = "en", *,
                frames: Sequence[str] | None = None) -> list[tuple[int, ...]]:
        """0/1 per text for each of `frames` (default: the model's; a frame it does not know is 0)."""
        frames = list(frames or self.frames)
        if not texts:
            return []
        proba = self.predict_proba(texts, language)
        cols = [(proba[f].to_numpy() >= self.threshold).astype(int) if f in proba.columns
                else np.zeros(len(texts), dtype=int) for f in frames]
        return [tuple(int(c[i]) for c in cols) for i in range(len(texts))]


def _folds(y: np.ndarray, n_folds: int, seed: int):
    from sklearn.model_selection import StratifiedKFold

    smallest = int(min(np.bincount(y, minlength=2)))
    if smallest < 2:
        raise UserError("cross-validation needs at least two positive and two negative gold sentences per frame.")
    k = min(n_folds, smallest)
    if k < n_folds:
        logger.warning("using %d folds instead of %d: a class has only %d sentences", k, n_folds, smallest)
    return StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)


def cross_val_labels(gold: pd.DataFrame, *, n_folds: int = 5, seed: int = 0,
                     frames: Sequence[str] = CORE_FRAMES, **params) -> pd.DataFrame:
    """Out-of-fold 0/1 predictions per frame (stratified k-fold on that frame, `seed`): each gold
    sentence is labelled by a model that did not see it."""
    n_folds = check_int("n_folds", n_folds, minimum=2)
    gold = gold.reset_index(drop=True)
    out = pd.DataFrame(0, index=gold.index, columns=list(frames))
    for f in frames:
        y = gold[f].astype(int).to_numpy()
        for train, test in _folds(y, n_folds, seed):
            model = SupervisedFrames(frames=(f,), seed=seed, **params).fit(gold.iloc[train])
            part = gold.iloc[test]
            langs = part["language"] if "language" in part.columns else "en"
            pred = model.predict(list(part["text"]), list(langs) if not isinstance(langs, str) else langs)
            out.loc[part.index, f] = [p[0] for p in pred]
    return out


def cross_validate_frames(gold: pd.DataFrame, *, n_folds: int = 5, seed: int = 0,
                          frames: Sequence[str] = CORE_FRAMES, **params) -> pd.DataFrame:
    """Cross-validated precision, recall and F1 per frame: the mean and standard deviation over
    folds, and the pooled out-of-fold scores."""
    from analysis.framing.evaluate import prf

    n_folds = check_int("n_folds", n_folds, minimum=2)
    gold = gold.reset_index(drop=True)
    rows = {}
    for f in frames:
        y = gold[f].astype(int).to_numpy()
        fold_scores = []
        pooled = np.zeros(len(gold), dtype=int)
        for train, test in _folds(y, n_folds, seed):
            model = SupervisedFrames(frames=(f,), seed=seed, **params).fit(gold.iloc[train])
            part = gold.iloc[test]
            langs = list(part["language"]) if "language" in part.columns else "en"
            pred = np.array([p[0] for p in model.predict(list(part["text"]), langs)])
            pooled[test] = pred
            fold_scores.append(prf(y[test], pred))
        p = prf(y, pooled)
        rows[f] = {
            "precision": p["precision"], "recall": p["recall"], "f1": p["f1"],
            "f1_fold_mean": float(np.nanmean([s["f1"] for s in fold_scores])),
            "f1_fold_sd": float(np.nanstd([s["f1"] for s in fold_scores], ddof=1)),
            "n_folds": len(fold_scores), "support": int(y.sum()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.attrs["macro_f1"] = float(table["f1"].mean())
    return table
