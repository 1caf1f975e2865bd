"""The supervised detector: one logistic regression per frame over three kinds of features, trained
on coded sentences (scikit-learn; cf. Grimmer and Stewart 2013 on validating supervised coding).

Features (each block TF-IDF weighted and L2-normalized per sentence, the lexicon block binary):

- lemma unigrams and bigrams (the detector's lemmas, so inflected forms share a feature);
- character n-grams of the lower-cased words (`char_wb`, 2-5), which carry Russian morphology
  and spelling variants the lemmatizer misses;
- optionally (`lexicon_features=True`) lexicon hits: one indicator per frame and per subframe
  of the lexicon that matched, so what the codebook-driven lexicon knows is a feature, shared by
  English and Russian. By default the lexicon enters through the decision rules instead.

Classes are weighted by their inverse frequency (`class_weight="balanced"`), which matters for
the rarest frame. Cross-validation is grouped by document (`StratifiedGroupKFold`: no document
has sentences on both sides of a fold). Each frame has a decision rule chosen on validation
sentences (`choose_rules`): the model's probability at a threshold, the lexicon alone, or the
lexicon OR / AND the model. A trained model is stored without pickle (`save`): the numbers in
`model.npz`, the vocabularies, rules and settings in `model.json`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import UserError, check_int
from analysis.framing.elements import Lemmatizer
from analysis.framing.lexicon import CORE_FRAMES
from analysis.preprocess.dtm import dtm_from_counts
from analysis.preprocess.text import tokenize
from analysis.stats import prf

logger = logging.getLogger(__name__)

MODEL_FORMAT = 1
# trained on the shipped gold's train split, the spent locked test v3 and the development gold, rules
# chosen on validation (docs/gold/train_shipped_model.py)
SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "data" / "framing" / "model"
RULES = ("model", "lexicon", "or", "and")
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.10, 0.91, 0.05))


def _tfidf(counts, idf: np.ndarray):
    """Sublinear TF-IDF rows, L2-normalized (the TfidfVectorizer weighting, computed here so a
    stored model needs only its vocabulary and idf)."""
    from sklearn.preprocessing import normalize

    x = counts.astype(np.float64).tocsr(copy=True)
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(idf[None, :]).tocsr()
    return normalize(x, norm="l2", copy=False)


def _idf(counts) -> np.ndarray:
    n = counts.shape[0]
    df = np.bincount(counts.tocsc().indices, minlength=counts.shape[1])
    return np.log((1 + n) / (1 + df)) + 1.0


@dataclass
class SupervisedFrames:
    """Per-frame logistic regression over lemma n-grams, character n-grams and lexicon hits.

    Parameters
    ----------
    frames : the frames to learn (columns of the gold table).
    C : inverse regularization strength of the logistic regression.
    ngram_range : lemma n-grams used as features.
    char_ngrams : character n-gram lengths (None: no character features).
    lexicon_features : add the lexicon's frame and subframe hits as features (off by default: on
        the shipped gold's validation split the text features with a per-frame rule that combines
        them with the lexicon scored higher: with lexicon 4.0, macro-F1 0.769 against 0.756 (C = 1),
        both in-sample for the rule choice; `docs/gold/train_shipped_model.py`).
    lexicon_weight : the value of a lexicon-hit feature (the text blocks have unit length).
    min_df : drop character n-grams seen in fewer sentences (lemma n-grams: 1).
    threshold : probability above which a frame is marked, until `choose_rules` sets one per frame.
    seed : random_state of the solver (liblinear is deterministic; kept for the record).
    """

    frames: tuple[str, ...] = CORE_FRAMES
    C: float = 4.0
    ngram_range: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (2, 5)
    lexicon_features: bool = False
    lexicon_weight: float = 1.0
    min_df: int = 2
    threshold: float = 0.5
    seed: int = 0
    words_: list[str] = field(default_factory=list, repr=False)
    chars_: list[str] = field(default_factory=list, repr=False)
    lex_names_: list[str] = field(default_factory=list, repr=False)
    idf_words_: np.ndarray | None = field(default=None, repr=False)
    idf_chars_: np.ndarray | None = field(default=None, repr=False)
    coef_: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    intercept_: dict[str, float] = field(default_factory=dict, repr=False)
    rules_: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    info_: dict[str, Any] = field(default_factory=dict, repr=False)
    _lemmatizers: dict = field(default_factory=dict, repr=False)
    _detector: Any = field(default=None, repr=False)
    _vectorizers: dict = field(default_factory=dict, repr=False)

    # --- features ---------------------------------------------------------------------------

    def _doc(self, text: str, language: str) -> str:
        lem = self._lemmatizers.get(language)
        if lem is None:
            lem = self._lemmatizers[language] = Lemmatizer(language)
        return " ".join(lem[w][0].lower() for w in tokenize(text))

    def _langs(self, texts: Sequence[str], languages: Sequence[str] | str) -> list[str]:
        if isinstance(languages, str):
            return [languages] * len(texts)
        return list(languages)

    def detector(self):
        """The lexicon detector whose hits are features (the shipped lexicon unless set)."""
        if self._detector is None:
            from analysis.framing.detect import FrameDetector

            self._detector = FrameDetector()
        return self._detector

    def lexicon_terms(self, texts: Sequence[str], languages: Sequence[str]) -> list[tuple[str, ...]]:
        """The lexicon's matched terms ("frame.subframe:term") of each text."""
        det = self.detector()
        return [det.detect(t, lang).terms for t, lang in zip(texts, languages, strict=True)]

    def _vectorizer(self, kind: str):
        from sklearn.feature_extraction.text import CountVectorizer

        v = self._vectorizers.get(kind)
        if v is None:
            vocab = {w: i for i, w in enumerate(self.words_ if kind == "words" else self.chars_)}
            if kind == "words":
                v = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=tuple(self.ngram_range),
                                    vocabulary=vocab)
            else:
                v = CountVectorizer(analyzer="char_wb", lowercase=True, ngram_range=tuple(self.char_ngrams),
                                    vocabulary=vocab)
            self._vectorizers[kind] = v
        return v

    @staticmethod
    def _char_text(text: str) -> str:
        return text.lower().replace("ё", "е")

    def _lex_block(self, terms: Sequence[Sequence[str]]):
        """One row per text: `lexicon_weight` for each frame and subframe the lexicon hit."""
        pos = {n: i for i, n in enumerate(self.lex_names_)}
        weight = float(self.lexicon_weight)
        rows = []
        for ts in terms:
            hit = set()
            for t in ts:
                head = t.split(":", 1)[0]
                for name in (head.split(".", 1)[0], head):
                    j = pos.get(name)
                    if j is not None:
                        hit.add(j)
            rows.append(dict.fromkeys(sorted(hit), weight))
        return dtm_from_counts(rows, len(self.lex_names_), np.float64)

    def features(self, texts: Sequence[str], languages: Sequence[str] | str = "en",
                 terms: Sequence[Sequence[str]] | None = None):
        """The feature matrix of texts (sparse, one row per text)."""
        from scipy import sparse

        langs = self._langs(texts, languages)
        blocks = [_tfidf(self._vectorizer("words").transform(
            [self._doc(t, lang) for t, lang in zip(texts, langs, strict=True)]), self.idf_words_)]
        if self.char_ngrams:
            blocks.append(_tfidf(self._vectorizer("chars").transform([self._char_text(t) for t in texts]),
                                 self.idf_chars_))
        if self.lexicon_features:
            if terms is None:
                terms = self.lexicon_terms(texts, langs)
            blocks.append(self._lex_block(terms))
        return sparse.hstack(blocks, format="csr")

    # --- fitting ------------------------------------------------------------------------------

    def fit(self, gold: pd.DataFrame, *, terms: Sequence[Sequence[str]] | None = None) -> SupervisedFrames:
        """Train on a gold table (`analysis.framing.evaluate.load_gold`): text, language, frames.
        `terms`: the lexicon's matched terms per sentence, when already computed."""
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.linear_model import LogisticRegression

        missing = [f for f in ("text", *self.frames) if f not in gold.columns]
        if missing:
            raise UserError(f"the gold table lacks column(s) {', '.join(missing)}.")
        texts = list(gold["text"])
        langs = list(gold["language"]) if "language" in gold.columns else ["en"] * len(gold)
        for f in self.frames:
            y = gold[f].astype(int).to_numpy()
            if len(np.unique(y)) < 2:
                raise UserError(f"cannot train the {f!r} classifier: the gold sentences are all "
                                f"{'positive' if y[0] else 'negative'} for it.")
        self._vectorizers = {}
        wv = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=tuple(self.ngram_range))
        wc = wv.fit_transform([self._doc(t, lang) for t, lang in zip(texts, langs, strict=True)])
        self.words_ = list(wv.get_feature_names_out())
        self.idf_words_ = _idf(wc)
        if self.char_ngrams:
            cv = CountVectorizer(analyzer="char_wb", lowercase=True, ngram_range=tuple(self.char_ngrams),
                                 min_df=min(self.min_df, max(1, len(texts) // 2)))
            cc = cv.fit_transform([self._char_text(t) for t in texts])
            self.chars_ = list(cv.get_feature_names_out())
            self.idf_chars_ = _idf(cc)
        if self.lexicon_features:
            lex = self.detector().lexicon
            self.lex_names_ = [n for f in lex.frame_names for n in
                               (f, *(f"{f}.{s}" for s in lex.frames[f].subframes))]
        else:
            self.lex_names_ = []
        x = self.features(texts, langs, terms)
        self.coef_, self.intercept_ = {}, {}
        for f in self.frames:
            y = gold[f].astype(int).to_numpy()
            m = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                   random_state=self.seed, max_iter=1000).fit(x, y)
            self.coef_[f] = m.coef_.ravel().astype(np.float64)
            self.intercept_[f] = float(m.intercept_[0])
        self.rules_ = {f: {"rule": "model", "threshold": self.threshold} for f in self.frames}
        self.info_ = {"n_train": len(gold), "n_features": int(x.shape[1]),
                      "lexicon_hash": self.detector().lexicon.hash if self.lexicon_features else None}
        logger.info("trained %d frame classifiers on %d sentences, %d features", len(self.frames), len(gold),
                    x.shape[1])
        return self

    # --- prediction ---------------------------------------------------------------------------

    def _check(self) -> None:
        if not self.coef_:
            raise UserError("the supervised model is not trained; call fit(gold) or load a saved model.")

    def predict_proba(self, texts: Sequence[str], language: Sequence[str] | str = "en", *,
                      terms: Sequence[Sequence[str]] | None = None) -> pd.DataFrame:
        """Probability of each frame per text (columns: frames)."""
        self._check()
        if not len(texts):
            return pd.DataFrame(columns=list(self.frames), dtype=float)
        x = self.features(list(texts), language, terms)
        out = {}
        for f in self.frames:
            z = x @ self.coef_[f] + self.intercept_[f]
            out[f] = 1.0 / (1.0 + np.exp(-np.asarray(z).ravel()))
        return pd.DataFrame(out)

    def decide(self, proba: pd.DataFrame, terms: Sequence[Sequence[str]]) -> pd.DataFrame:
        """0/1 per frame from probabilities and the lexicon's hits, by each frame's rule."""
        out = {}
        for f in self.frames:
            lex = np.array([any(t.startswith(f + ".") for t in ts) for ts in terms], dtype=bool)
            rule = self.rules_.get(f, {"rule": "model", "threshold": self.threshold})
            out[f] = apply_rule(rule["rule"], rule["threshold"], proba[f].to_numpy(), lex).astype(int)
        return pd.DataFrame(out, index=proba.index)

    def predict(self, texts: Sequence[str], language: Sequence[str] | str = "en", *,
                frames: Sequence[str] | None = None,
                terms: Sequence[Sequence[str]] | None = None) -> list[tuple[int, ...]]:
        """0/1 per text for each of `frames` (default: the model's; a frame it does not know is
        0), by each frame's decision rule."""
        frames = list(frames or self.frames)
        if not len(texts):
            return []
        langs = self._langs(texts, language)
        if terms is None:
            terms = self.lexicon_terms(texts, langs)
        labels = self.decide(self.predict_proba(texts, langs, terms=terms), terms)
        cols = [labels[f].to_numpy() if f in labels.columns else np.zeros(len(texts), dtype=int) for f in frames]
        return [tuple(int(c[i]) for c in cols) for i in range(len(texts))]

    # --- decision rules -----------------------------------------------------------------------

    def choose_rules(self, gold: pd.DataFrame, *, proba: pd.DataFrame | None = None,
                     terms: Sequence[Sequence[str]] | None = None, source: str = "validation") -> pd.DataFrame:
        """Choose each frame's rule (model / lexicon / or / and) and threshold by F1 on `gold`
        (validation sentences, or out-of-fold probabilities passed as `proba`), and return the
        table of every candidate's F1."""
        self._check()
        texts, langs = list(gold["text"]), list(gold.get("language", pd.Series(["en"] * len(gold))))
        if terms is None:
            terms = self.lexicon_terms(texts, langs)
        if proba is None:
            proba = self.predict_proba(texts, langs, terms=terms)
        rows = []
        for f in self.frames:
            y = gold[f].astype(int).to_numpy().astype(bool)
            lex = np.array([any(t.startswith(f + ".") for t in ts) for ts in terms], dtype=bool)
            p = np.asarray(proba[f], dtype=float)
            best = None
            for rule in RULES:
                for t in (THRESHOLDS if rule != "lexicon" else (0.5,)):
                    pred = apply_rule(rule, t, p, lex)
                    f1 = prf(y, pred)["f1"]
                    rows.append({"frame": f, "rule": rule, "threshold": t, "f1": f1})
                    # ties: the earlier rule and the threshold nearest 0.5
                    key = (round(f1, 6), -RULES.index(rule), -abs(t - 0.5))
                    if best is None or key > best[0]:
                        best = (key, rule, t, f1)
            self.rules_[f] = {"rule": best[1], "threshold": float(best[2]), "f1_" + source: round(best[3], 4)}
        self.info_["rules_chosen_on"] = source
        return pd.DataFrame(rows)

    # --- storage (no pickle) -------------------------------------------------------------------

    def save(self, out_dir: str | Path) -> list[Path]:
        """Write model.json (settings, vocabularies, rules) and model.npz (idf, coefficients)."""
        self._check()
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        meta = {"format": MODEL_FORMAT, "kind": "analysis.framing.SupervisedFrames",
                "frames": list(self.frames), "C": self.C, "ngram_range": list(self.ngram_range),
                "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
                "lexicon_features": self.lexicon_features, "lexicon_weight": self.lexicon_weight,
                "min_df": self.min_df, "threshold": self.threshold,
                "seed": self.seed, "rules": self.rules_, "info": self.info_, "words": self.words_,
                "chars": self.chars_, "lexicon_feature_names": self.lex_names_}
        arrays = {"idf_words": self.idf_words_,
                  "intercept": np.array([self.intercept_[f] for f in self.frames])}
        if self.idf_chars_ is not None:
            arrays["idf_chars"] = self.idf_chars_
        for i, f in enumerate(self.frames):
            arrays[f"coef_{i}"] = self.coef_[f]
        paths = [out / "model.json", out / "model.npz"]
        paths[0].write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        np.savez_compressed(paths[1], **arrays)
        return paths

    @classmethod
    def load(cls, model_dir: str | Path) -> SupervisedFrames:
        """A model written by `save` (a folder with model.json and model.npz)."""
        d = Path(model_dir)
        jp, npz = d / "model.json", d / "model.npz"
        for p in (jp, npz):
            if not p.is_file():
                raise UserError(f"{d}: not a saved frame model ({p.name} is missing; write one with "
                                "`frames train --gold ... --out DIR`).")
        try:
            meta = json.loads(jp.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise UserError(f"{jp}: not valid JSON ({exc.msg}).") from None
        if meta.get("format") != MODEL_FORMAT or meta.get("kind") != "analysis.framing.SupervisedFrames":
            raise UserError(f"{jp}: not a frame model of format {MODEL_FORMAT}.")
        try:
            arrays = np.load(npz, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise UserError(f"{npz}: cannot be read ({exc}).") from None
        frames = tuple(meta["frames"])
        m = cls(frames=frames, C=meta["C"], ngram_range=tuple(meta["ngram_range"]),
                char_ngrams=tuple(meta["char_ngrams"]) if meta["char_ngrams"] else None,
                lexicon_features=meta["lexicon_features"], lexicon_weight=meta.get("lexicon_weight", 1.0),
                min_df=meta["min_df"], threshold=meta["threshold"],
                seed=meta["seed"])
        m.words_, m.chars_, m.lex_names_ = meta["words"], meta["chars"], meta["lexicon_feature_names"]
        m.idf_words_ = arrays["idf_words"]
        m.idf_chars_ = arrays["idf_chars"] if "idf_chars" in arrays.files else None
        m.coef_ = {f: arrays[f"coef_{i}"] for i, f in enumerate(frames)}
        m.intercept_ = {f: float(v) for f, v in zip(frames, arrays["intercept"], strict=True)}
        m.rules_, m.info_ = meta["rules"], meta.get("info", {})
        n_feat = len(m.words_) + (len(m.chars_) if m.char_ngrams else 0) + len(m.lex_names_)
        if any(len(c) != n_feat for c in m.coef_.values()):
            raise UserError(f"{d}: the coefficients do not match the vocabularies (a damaged model).")
        return m


def apply_rule(rule: str, threshold: float, proba: np.ndarray, lexicon: np.ndarray) -> np.ndarray:
    """The 0/1 decision of one rule: model (p >= threshold), lexicon, or (either), and (both)."""
    model = np.asarray(proba) >= threshold
    lex = np.asarray(lexicon, dtype=bool)
    if rule == "model":
        return model
    if rule == "lexicon":
        return lex
    if rule == "or":
        return model | lex
    if rule == "and":
        return model & lex
    raise UserError(f"unknown decision rule {rule!r}; one of {', '.join(RULES)}.")


def _groups(gold: pd.DataFrame) -> np.ndarray | None:
    if "doc" not in gold.columns or gold["doc"].isna().all():
        return None
    return np.array([d if isinstance(d, str) and d else f"_sentence{i}" for i, d in enumerate(gold["doc"])])


def folds(y: np.ndarray, groups: np.ndarray | None, n_folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs, stratified on `y` and grouped by document when `groups` is given
    (no document on both sides), else stratified over sentences."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    smallest = int(min(np.bincount(y, minlength=2)))
    if smallest < 2:
        raise UserError("cross-validation needs at least two positive and two negative gold sentences per frame.")
    k = min(n_folds, smallest)
    if groups is not None:
        k = min(k, len(set(groups[y == 1])), len(set(groups)))
    if k < 2:
        raise UserError("cross-validation needs positives in at least two documents per frame.")
    if k < n_folds:
        logger.warning("using %d folds instead of %d: too few positives or documents", k, n_folds)
    if groups is None:
        return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))
    return list(StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y, groups))


def cross_val_proba(gold: pd.DataFrame, *, n_folds: int = 5, seed: int = 0, frames: Sequence[str] = CORE_FRAMES,
                    terms: Sequence[Sequence[str]] | None = None, **params) -> pd.DataFrame:
    """Out-of-fold probabilities per frame (folds grouped by `doc` when the table has it): each
    sentence scored by a model that saw no sentence of its document."""
    n_folds = check_int("n_folds", n_folds, minimum=2)
    gold = gold.reset_index(drop=True)
    groups = _groups(gold)
    if terms is None:
        probe = SupervisedFrames(frames=tuple(frames), **params)
        terms = probe.lexicon_terms(list(gold["text"]), list(gold.get("language", ["en"] * len(gold))))
    out = pd.DataFrame(0.0, index=gold.index, columns=list(frames))
    for f in frames:
        y = gold[f].astype(int).to_numpy()
        for train, test in folds(y, groups, n_folds, seed):
            model = SupervisedFrames(frames=(f,), seed=seed, **params).fit(
                gold.iloc[train], terms=[terms[i] for i in train])
            part = gold.iloc[test]
            langs = list(part["language"]) if "language" in part.columns else "en"
            p = model.predict_proba(list(part["text"]), langs, terms=[terms[i] for i in test])
            out.loc[part.index, f] = p[f].to_numpy()
    return out


def cross_val_labels(gold: pd.DataFrame, *, n_folds: int = 5, seed: int = 0,
                     frames: Sequence[str] = CORE_FRAMES, threshold: float = 0.5, **params) -> pd.DataFrame:
    """Out-of-fold 0/1 predictions per frame (probability >= `threshold`), folds grouped by document."""
    proba = cross_val_proba(gold, n_folds=n_folds, seed=seed, frames=frames, **params)
    return (proba >= threshold).astype(int)


def cross_validate_frames(gold: pd.DataFrame, *, n_folds: int = 5, seed: int = 0,
                          frames: Sequence[str] = CORE_FRAMES, **params) -> pd.DataFrame:
    """Cross-validated precision, recall and F1 per frame, folds grouped by document: the mean and
    standard deviation over folds, and the pooled out-of-fold scores."""
    n_folds = check_int("n_folds", n_folds, minimum=2)
    gold = gold.reset_index(drop=True)
    groups = _groups(gold)
    rows = {}
    for f in frames:
        y = gold[f].astype(int).to_numpy()
        fold_scores = []
        pooled = np.zeros(len(gold), dtype=int)
        for train, test in folds(y, groups, n_folds, seed):
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


def train_frames(gold: pd.DataFrame, *, extra: Sequence[pd.DataFrame] = (), n_folds: int = 5, seed: int = 0,
                 detector: Any | None = None, **params) -> tuple[SupervisedFrames, pd.DataFrame]:
    """Fit the supervised detector on coded sentences and choose each frame's decision rule.

    With a `split` column: fit on the train sentences (and any without a split, and the `extra`
    tables), choose the rules on the validation sentences; test sentences are never used. Without
    validation sentences: choose the rules on out-of-fold probabilities of a grouped `n_folds`
    cross-validation, then fit on everything. Returns the model and the table of candidate rules.
    """
    from analysis.framing.coding import check_splits

    gold = gold.reset_index(drop=True)
    check_splits(gold)
    split = gold["split"] if "split" in gold.columns else pd.Series([None] * len(gold))
    train = pd.concat([gold[split.isna() | (split == "train")], *extra], ignore_index=True)
    validation = gold[split == "validation"].reset_index(drop=True)
    model = SupervisedFrames(seed=seed, **params)
    if detector is not None:
        model._detector = detector
    texts, langs = list(train["text"]), list(train.get("language", pd.Series(["en"] * len(train))))
    terms = model.lexicon_terms(texts, langs)
    model.fit(train, terms=terms)
    if len(validation):
        table = model.choose_rules(validation, source="validation")
    else:
        proba = cross_val_proba(train, n_folds=n_folds, seed=seed, frames=model.frames, terms=terms, **params)
        table = model.choose_rules(train, proba=proba, terms=terms, source="cross-validation")
    model.info_.update(n_validation=len(validation), n_test_unused=int((split == "test").sum()))
    return model, table
