"""`Tokens`: a corpus after preprocessing, streamed from the cache, with its metadata and parameters."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import pandas as pd

from analysis.corpus import Corpus
from analysis.preprocess.cache import DocCache, ResultCache, default_cache_dir
from analysis.preprocess.parallel import map_in_order
from analysis.preprocess.pipeline import PreprocessParams, ProcessedDoc, preprocess_batch

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (documents done, documents in all)


def doc_key(text_hash: str, language: str, params: PreprocessParams) -> str:
    """Cache key of one document: its text, its language and the parameters."""
    return hashlib.sha1(f"{text_hash}|{language}|{params.doc_key()}".encode()).hexdigest()


class Tokens:
    """A preprocessed corpus: re-iterable over `ProcessedDoc` in corpus order.

    `docvars` is the corpus metadata plus `n_sentences`, `n_words` (running words before any
    filtering: the denominator for rates) and `n_tokens` (tokens kept); `params` made it.
    Documents are read back from the on-disk cache one at a time (or held in memory when
    preprocessing ran without a cache), so iterating does not load the corpus into memory.
    """

    def __init__(self, docvars: pd.DataFrame, params: PreprocessParams, *, corpus_name: str,
                 corpus_hash: str, cache: DocCache | None, keys: dict[str, str],
                 memory: dict[str, ProcessedDoc] | None = None, phraser=None,
                 is_synthetic: bool = False) -> None:
        self.docvars = docvars
        self.params = params
        self.corpus_name = corpus_name
        self.corpus_hash = corpus_hash
        self._cache = cache
        self._keys = keys
        self._memory = memory
        self.phraser = phraser
        self.is_synthetic = is_synthetic

    def __len__(self) -> int:
        return len(self.docvars)

    def __repr__(self) -> str:
        return f"Tokens({self.corpus_name!r}, {len(self)} documents, {int(self.docvars['n_tokens'].sum())} tokens)"

    @property
    def ids(self) -> list[str]:
        return list(self.docvars.index)

    @property
    def fingerprint(self) -> str:
        """Hash of what the documents are and how they were processed: every document's cache
        key (text, language, parameters), the metadata (dates, groups, as they are now) and the
        learned phrases. Computed afresh on each call, so edits to `docvars` count."""
        digest = hashlib.sha1(self.params.doc_key().encode())
        digest.update(repr(self.params.to_dict()).encode())
        digest.update(self.docvars.to_csv(lineterminator="\n").encode("utf-8"))
        for doc_id in self.docvars.index:
            digest.update(f"{doc_id}\x00{self._keys.get(doc_id, '')}\x00".encode())
        if self.phraser is not None:
            grams = getattr(self.phraser, "phrasegrams", None)
            digest.update(repr(sorted(grams.items())).encode() if grams is not None
                          else pickle.dumps(self.phraser, protocol=pickle.HIGHEST_PROTOCOL))
        return digest.hexdigest()[:20]

    @property
    def results(self) -> ResultCache | None:
        """Where methods store their results for these tokens: beside the preprocessing cache;
        None for tokens held in memory (`cache_dir=None`), whose results are not stored."""
        return ResultCache(self._cache.root) if self._cache is not None else None

    def get(self, doc_id: str) -> ProcessedDoc:
        """One processed document."""
        if self._memory is not None:
            doc = self._memory[doc_id]
        else:
            doc = self._cache.get(self._keys[doc_id], doc_id)
            if doc is None:
                raise FileNotFoundError(f"cache entry for {doc_id} vanished; run preprocess again")
        if self.phraser is not None:
            doc = ProcessedDoc(doc.id, doc.sentences, [self.phraser[s] for s in doc.tokens], doc.n_words)
        return doc

    def __iter__(self) -> Iterator[ProcessedDoc]:
        for doc_id in self.docvars.index:
            yield self.get(doc_id)

    def sentences(self) -> Iterator[list[str]]:
        """Every sentence's tokens in corpus order (a re-iterable input for gensim)."""
        for doc in self:
            yield from doc.tokens

    def subset(self, mask) -> Tokens:
        """Tokens of the documents where `mask` is true."""
        frame = self.docvars[mask.values if isinstance(mask, pd.Series) else list(mask)]
        return Tokens(frame, self.params, corpus_name=self.corpus_name, corpus_hash=self.corpus_hash,
                      cache=self._cache, keys=self._keys, memory=self._memory, phraser=self.phraser,
                      is_synthetic=self.is_synthetic)


def preprocess(corpus: Corpus, params: PreprocessParams | None = None, *,
               cache_dir: str | Path | None = "default", n_jobs: int | None = None,
               batch_size: int = 64, progress: Progress | None = None) -> Tokens:
    """Preprocess a corpus into `Tokens`, reusing cached documents.

    Parameters
    ----------
    corpus : the corpus.
    params : the choices (default `PreprocessParams()`).
    cache_dir : where processed documents are cached; "default" is `default_cache_dir()`,
        None keeps everything in memory (small corpora, tests).
    n_jobs : worker processes for uncached documents (default: all cores, at most 8).
    progress : called with (done, total) as documents are processed.
    """
    params = params or PreprocessParams()
    if cache_dir == "default":
        cache_dir = default_cache_dir()
    cache = DocCache(Path(cache_dir), params.doc_key()) if cache_dir is not None else None
    meta = corpus.metadata
    keys = {i: doc_key(h, lang, params) for i, h, lang in zip(meta.index, meta["text_hash"], meta["language"], strict=True)}
    todo = [i for i in meta.index if cache is None or not cache.has(keys[i])]
    total = len(meta)
    done = total - len(todo)
    if progress:
        progress(done, total)
    memory: dict[str, ProcessedDoc] | None = {} if cache is None else None
    counts: dict[str, tuple[int, int, int]] = {}

    def store(batch: list[ProcessedDoc]) -> None:
        nonlocal done
        for pdoc in batch:
            counts[pdoc.id] = (len(pdoc.sentences), pdoc.n_tokens, pdoc.n_words)
            if cache is not None:
                cache.put(keys[pdoc.id], pdoc)
            else:
                memory[pdoc.id] = pdoc
        done += len(batch)
        if progress:
            progress(done, total)

    batches = (
        [corpus.document(i) for i in todo[start : start + batch_size]]
        for start in range(0, len(todo), batch_size)
    )
    workers = min(n_jobs or os.cpu_count() or 1, 8)
    if workers > 1 and len(todo) > batch_size:
        # A bounded window of batches in flight keeps memory flat however large the corpus.
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for _, processed in map_in_order(pool, partial(preprocess_batch, params=params), batches,
                                             window=2 * workers):
                store(processed)
    else:
        for b in batches:
            store(preprocess_batch(b, params))
    logger.info("preprocessed %d documents (%d from cache)", len(todo), total - len(todo))

    docvars = meta.copy()
    n_sent, n_tok, n_words = [], [], []
    indexed = cache.read_counts() if cache is not None else {}
    new_counts: dict[str, list[int]] = {keys[i]: list(c) for i, c in counts.items()}
    for i in meta.index:
        if i not in counts and keys[i] in indexed:
            counts[i] = tuple(indexed[keys[i]])
        if i not in counts:
            pdoc = cache.get(keys[i], i)
            if pdoc is None:  # an unreadable or outdated entry: rebuild it
                store(preprocess_batch([corpus.document(i)], params))
                pdoc = cache.get(keys[i], i)
            counts[i] = (len(pdoc.sentences), pdoc.n_tokens, pdoc.n_words)
            new_counts[keys[i]] = list(counts[i])
        n_sent.append(counts[i][0])
        n_tok.append(counts[i][1])
        n_words.append(counts[i][2])
    if cache is not None:
        cache.add_counts(new_counts)
    docvars["n_sentences"] = n_sent
    docvars["n_words"] = n_words
    docvars["n_tokens"] = n_tok
    tokens = Tokens(docvars, params, corpus_name=corpus.name, corpus_hash=corpus.hash, cache=cache,
                    keys=keys, memory=memory, is_synthetic=corpus.is_synthetic)
    if params.phrases:
        tokens.phraser = learn_phrases(tokens, params)
    return tokens


def learn_phrases(tokens: Tokens, params: PreprocessParams):
    """Frequent phrases learned from the whole corpus (gensim `Phrases`), frozen for applying."""
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    model = Phrases(tokens.sentences(), min_count=params.phrases_min_count,
                    threshold=params.phrases_threshold, connector_words=ENGLISH_CONNECTOR_WORDS)
    return model.freeze()
