"""Reference word vectors for lexicon suggestions on small corpora.

word2vec (Mikolov et al. 2013; gensim, skip-gram, one worker thread and a fixed seed, so a
rebuild gives the same vectors) trained once on large corpora, such as the UN General Debate
Corpus and the kremlin.ru items, one model per language over the detector's lemmas. A corpus of a
few hundred pages is too small for word2vec of its own (its vectors collapse: every cosine near
1), so `suggest_terms` uses these when the user's corpus is small. Stored in the toolkit cache
(`<cache>/framing-vectors/<language>.bin`, word2vec binary format, no pickle) with `info.json`
naming the corpora and settings; `python -m analysis frames vectors build CORPUS ...` rebuilds them.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from analysis.errors import CorpusError, UserError, check_int
from analysis.framing.elements import Lemmatizer
from analysis.framing.lexicon import LANGUAGES
from analysis.preprocess import Tokens
from analysis.preprocess.lexicon import stopwords
from analysis.preprocess.text import tokenize

logger = logging.getLogger(__name__)
FOLDER = "framing-vectors"


def vectors_dir(cache_dir: str | Path | None = None) -> Path:
    """The folder of the reference vectors (default: inside the toolkit cache)."""
    from analysis.preprocess.cache import default_cache_dir

    return Path(cache_dir) / FOLDER if cache_dir not in (None, "default") else default_cache_dir() / FOLDER


def sentence_lemmas(sentences: Sequence[str], lem: Lemmatizer, stops: frozenset[str]) -> Iterator[list[str]]:
    """The content lemmas (lower-cased, alphabetic, longer than two letters, no stop words) of
    each sentence: the units word2vec learns from, here and in `suggest_terms`."""
    for s in sentences:
        kept = [k for k in (lem[w][0].lower() for w in tokenize(s)) if len(k) > 2 and k.isalpha() and k not in stops]
        if kept:
            yield kept


def _spread(ids: Sequence[str], max_documents: int | None) -> list[str]:
    """At most `max_documents` ids taken evenly over the corpus order (all decades, all states)."""
    if max_documents is None or len(ids) <= max_documents:
        return list(ids)
    step = len(ids) / max_documents
    return [ids[int(i * step)] for i in range(max_documents)]


def build_reference_vectors(corpora: Sequence[Tokens], *, cache_dir: str | Path | None = None,
                            max_documents: int | None = 3000, vector_size: int = 100, window: int = 5,
                            min_count: int = 5, epochs: int = 5, seed: int = 0,
                            progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Train one word2vec model per language on the corpora's documents (their `Tokens`: the
    sentences as preprocessing split them) and store them.

    max_documents : per corpus, taken evenly over its order (None: all).
    Returns the info record written to `info.json`.
    """
    from gensim.models import Word2Vec

    if not corpora:
        raise UserError("build_reference_vectors needs at least one corpus.")
    min_count = check_int("min_count", min_count, minimum=1)
    sentences: dict[str, list[list[str]]] = {lang: [] for lang in LANGUAGES}
    lemmatizers = {lang: Lemmatizer(lang) for lang in LANGUAGES}
    stops = {lang: stopwords(lang) for lang in LANGUAGES}
    used = []
    chosen = [(t, _spread(t.ids, max_documents)) for t in corpora]
    total, done = sum(len(ids) for _, ids in chosen), 0
    for tokens, ids in chosen:
        for doc_id in ids:
            lang = tokens.metadata.at[doc_id, "language"]
            if lang in LANGUAGES:
                sentences[lang].extend(sentence_lemmas(tokens.sentences_of(doc_id), lemmatizers[lang], stops[lang]))
            done += 1
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
        used.append({"name": tokens.name, "hash": tokens.hash, "documents": len(ids)})
    out = vectors_dir(cache_dir)
    out.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {"corpora": used, "settings": {"vector_size": vector_size, "window": window,
                                                          "min_count": min_count, "epochs": epochs, "seed": seed,
                                                          "sg": 1, "max_documents": max_documents},
                            "languages": {}}
    for lang, sents in sentences.items():
        if not sents:
            continue
        model = Word2Vec(sents, vector_size=vector_size, window=window, min_count=min_count, workers=1, seed=seed,
                         epochs=epochs, sg=1)
        path = out / f"{lang}.bin"
        model.wv.save_word2vec_format(str(path), binary=True)
        info["languages"][lang] = {"path": str(path), "vocabulary": len(model.wv), "sentences": len(sents),
                                   "tokens": sum(map(len, sents))}
        logger.info("reference vectors %s: %d words from %d sentences", lang, len(model.wv), len(sents))
    if not info["languages"]:
        raise CorpusError("the corpora have no English or Russian sentence to learn from.")
    (out / "info.json").write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return info


def reference_vectors_info(cache_dir: str | Path | None = None) -> dict[str, Any]:
    """The info record of the stored reference vectors, or {"built": False, "folder": ...}."""
    d = vectors_dir(cache_dir)
    p = d / "info.json"
    if not p.is_file():
        return {"built": False, "folder": str(d)}
    try:
        return {"built": True, **json.loads(p.read_text(encoding="utf-8"))}
    except json.JSONDecodeError as exc:
        raise UserError(f"{p}: not valid JSON ({exc.msg}); rebuild with `frames vectors build`.") from None


def load_reference_vectors(language: str, cache_dir: str | Path | None = None):
    """The stored reference `KeyedVectors` of one language, or None when they are not built."""
    from gensim.models import KeyedVectors

    info = reference_vectors_info(cache_dir)
    if not info.get("built") or language not in info.get("languages", {}):
        return None
    path = vectors_dir(cache_dir) / f"{language}.bin"
    if not path.is_file():
        return None
    try:
        return KeyedVectors.load_word2vec_format(str(path), binary=True)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot be read ({exc}); rebuild with `frames vectors build`.") from None


def collapsed(wv, sample: int = 200, seed: int = 0) -> float:
    """Median cosine between random pairs of the vocabulary: near 1 when the vectors collapsed
    (a corpus too small for word2vec), near 0 for useful vectors."""
    import numpy as np

    n = len(wv)
    if n < 3:
        return math.nan
    rng = np.random.default_rng(seed)
    vecs = wv.get_normed_vectors()
    a, b = rng.integers(0, n, size=sample), rng.integers(0, n, size=sample)
    keep = a != b
    return float(np.median((vecs[a[keep]] * vecs[b[keep]]).sum(axis=1)))
