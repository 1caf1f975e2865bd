"""`Tokens`: a corpus after preprocessing, streamed from the cache, with its metadata and parameters."""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus import Corpus, Skip
from analysis.errors import CorpusError
from analysis.preprocess.cache import DocCache, ResultCache, default_cache_dir
from analysis.preprocess.engine import Failure, Lazy, chunks, engine_for, per_document
from analysis.preprocess.pipeline import PreprocessParams, ProcessedDoc, preprocess_batch

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (documents done, documents in all)


def doc_key(text_hash: str, language: str, params: PreprocessParams | str) -> str:
    """Cache key of one document: its text, its language and the parameters (or their
    `PreprocessParams.doc_key()`, computed once for a corpus: it hashes the data files)."""
    params_key = params if isinstance(params, str) else params.doc_key()
    return hashlib.sha1(f"{text_hash}|{language}|{params_key}".encode()).hexdigest()


class Tokens:
    """A preprocessed corpus: re-iterable over `ProcessedDoc` in corpus order.

    `metadata` is the corpus metadata plus `n_sentences`, `n_words` (running words before any
    filtering: the denominator for rates) and `n_tokens` (tokens kept); `params` made it.
    Documents are read back from the on-disk cache one at a time (or held in memory when
    preprocessing ran without a cache), so iterating does not load the corpus into memory.
    """

    def __init__(self, metadata: pd.DataFrame, params: PreprocessParams, *, name: str,
                 hash: str, cache: DocCache | None, keys: dict[str, str],
                 memory: dict[str, ProcessedDoc] | None = None, phraser=None,
                 is_synthetic: bool = False, corpus: Corpus | None = None) -> None:
        self.metadata = metadata
        self.params = params
        self.name = name  # the corpus's name and content hash, as `Corpus` has them
        self.hash = hash
        self._cache = cache
        self._keys = keys
        self._memory = memory
        self.phraser = phraser
        self.is_synthetic = is_synthetic
        self._corpus = corpus  # to rebuild a cache entry that no longer loads
        self.skipped: list[Skip] = []  # documents whose preprocessing raised, with the reason

    def __len__(self) -> int:
        return len(self.metadata)

    def __repr__(self) -> str:
        return f"Tokens({self.name!r}, {len(self)} documents, {int(self.metadata['n_tokens'].sum())} tokens)"

    @property
    def ids(self) -> list[str]:
        return list(self.metadata.index)

    @property
    def fingerprint(self) -> str:
        """Hash of what the documents are and how they were processed: every document's cache
        key (text, language, parameters), the metadata (dates, groups, as they are now) and the
        learned phrases. Computed afresh on each call, so edits to `metadata` count."""
        digest = hashlib.sha1(self.params.doc_key().encode())
        digest.update(repr(self.params.to_dict()).encode())
        digest.update(self.metadata.to_csv(lineterminator="\n").encode("utf-8"))
        for doc_id in self.metadata.index:
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
                doc = self._rebuild(doc_id)
        if self.phraser is not None:
            doc = ProcessedDoc(doc.id, doc.sentences, [self.phraser[s] for s in doc.tokens], doc.n_words)
        return doc

    def sentences_of(self, doc_id: str) -> list[str]:
        """One document's sentences as preprocessing split them, without unpacking its tokens
        (what frame detection reads)."""
        if self._memory is not None:
            return self._memory[doc_id].sentences
        sentences = self._cache.get_sentences(self._keys[doc_id])
        if sentences is None:
            return self._rebuild(doc_id).sentences
        return sentences

    def _rebuild(self, doc_id: str) -> ProcessedDoc:
        """A document whose cache entry is gone or does not load (damaged, cut short): processed
        again from the corpus and stored again; a stored file is never trusted unread."""
        path = self._cache.path(self._keys[doc_id])
        if self._corpus is None:
            raise CorpusError(f"{path}: the cached document {doc_id} is missing or unreadable; "
                              "run preprocess again")
        logger.warning("%s: the cached document %s is missing or unreadable; processing it again",
                       path, doc_id)
        (pdoc,) = preprocess_batch([self._corpus.document(doc_id)], self.params)
        self._cache.put(self._keys[doc_id], pdoc)
        return self._cache.get(self._keys[doc_id], doc_id) or pdoc  # as read back from the cache

    def __iter__(self) -> Iterator[ProcessedDoc]:
        for doc_id in self.metadata.index:
            yield self.get(doc_id)

    def sentences(self) -> Iterator[list[str]]:
        """Every sentence's tokens in corpus order (a re-iterable input for gensim)."""
        for doc in self:
            yield from doc.tokens

    def shard(self, ids: Sequence[str], *, phrases: bool = True) -> Tokens:
        """The tokens of the documents `ids` only, what one partition carries to its worker: their
        metadata rows, cache keys and in-memory documents, and the corpus restricted the same way
        (`Corpus.shard`, to rebuild a damaged cache entry there), nothing of the other documents.
        With ``phrases=False`` the learned phrases (corpus-level) are left out: a stage sends them
        once in its shared value and puts them back with `with_phraser`."""
        ids = list(ids)
        memory = self._memory
        return Tokens(self.metadata.loc[ids], self.params, name=self.name, hash=self.hash, cache=self._cache,
                      keys={i: self._keys[i] for i in ids if i in self._keys},
                      memory={i: memory[i] for i in ids if i in memory} if memory is not None else None,
                      phraser=self.phraser if phrases else None, is_synthetic=self.is_synthetic,
                      corpus=self._corpus.shard(ids) if self._corpus is not None else None)

    def with_phraser(self, phraser: Any) -> Tokens:
        """These tokens with the learned phrases `phraser` applied (None: as they are)."""
        if phraser is None or phraser is self.phraser:
            return self
        return Tokens(self.metadata, self.params, name=self.name, hash=self.hash, cache=self._cache,
                      keys=self._keys, memory=self._memory, phraser=phraser, is_synthetic=self.is_synthetic,
                      corpus=self._corpus)

    def partitions(self, batch_size: int) -> Lazy[Tokens]:
        """The shards (`shard`, without the learned phrases) of `batch_size` documents in corpus
        order, made when asked for: what a per-document stage sends to `Engine.map`, with
        `phraser` in its shared value."""
        return Lazy(chunks(self.ids, batch_size), lambda ids: self.shard(ids, phrases=False))

    def subset(self, mask) -> Tokens:
        """Tokens of the documents where `mask` is true."""
        frame = self.metadata[mask.values if isinstance(mask, pd.Series) else list(mask)]
        return Tokens(frame, self.params, name=self.name, hash=self.hash,
                      cache=self._cache, keys=self._keys, memory=self._memory, phraser=self.phraser,
                      is_synthetic=self.is_synthetic, corpus=self._corpus)


def preprocess(corpus: Corpus, params: PreprocessParams | None = None, *,
               cache_dir: str | Path | None = "default", n_jobs: int | None = None,
               batch_size: int = 64, progress: Progress | None = None, scheduler: Any = None) -> Tokens:
    """Preprocess a corpus into `Tokens`, reusing cached documents.

    Parameters
    ----------
    corpus : the corpus.
    params : the choices (default `PreprocessParams()`).
    cache_dir : where processed documents are cached; "default" is `default_cache_dir()`,
        None keeps everything in memory (small corpora, tests). On a cluster it must be a folder
        every worker sees: the workers write the documents there, and only their counts come back.
    n_jobs : with no `scheduler`, more than 1 runs on a local Dask cluster of that many workers,
        1 in this process; None (default): all cores for a large corpus (`engine.Auto`).
    batch_size : documents per partition (one task).
    progress : called with (done, total) as documents are processed.
    scheduler : where the partitions run (`analysis.preprocess.engine`): None (`Auto`, or
        `$ANALYSIS_SCHEDULER`), "local", "local:N", "tcp://HOST:PORT" or a `distributed.Client`.
        The tokens are the same wherever they were made.

    A document whose processing raises is left out and listed in `Tokens.skipped` with the reason.
    """
    params = params or PreprocessParams()
    if cache_dir == "default":
        cache_dir = default_cache_dir()
    params_key = params.doc_key()
    cache = DocCache(cache_dir, params_key) if cache_dir is not None else None
    meta = corpus.metadata
    keys = {i: doc_key(h, lang, params_key) for i, h, lang in zip(meta.index, meta["text_hash"], meta["language"], strict=True)}
    # A document in the counts index was stored whole (its counts are merged after it is written);
    # only the others are looked for on disk. An indexed file that has gone since is processed
    # again when it is read (`Tokens.get`).
    indexed = cache.load_counts() if cache is not None else {}
    todo = [i for i in meta.index if cache is None or (keys[i] not in indexed and not cache.has(keys[i]))]
    total = len(meta)
    if progress:
        progress(total - len(todo), total)
    memory: dict[str, ProcessedDoc] | None = {} if cache is None else None
    counts: dict[str, tuple[int, int, int]] = {}
    skipped: list[Skip] = []
    failed: set[str] = set()  # ids of the documents whose processing raised
    engine = engine_for(scheduler, n_jobs=n_jobs)
    if engine.is_distributed and cache is not None:
        cache.dir.mkdir(parents=True, exist_ok=True)  # for a shared folder, before the workers write

    def run(ids: list[str]) -> None:
        # a partition carries its documents' corpus shard and keys; shared: what every one needs
        parts = Lazy(chunks(ids, batch_size), lambda part: (corpus.shard(part), [(i, keys[i]) for i in part]))
        done0 = total - len(todo)
        report = (lambda d, _t: progress(done0 + d, total)) if progress else None
        for result in engine.map(_preprocess_partition, parts, (params, cache), sizes=parts.sizes,
                                 progress=report):
            for doc_id, doc_counts, pdoc in result.docs:
                counts[doc_id] = doc_counts
                if memory is not None:
                    memory[doc_id] = pdoc
            for failure in result.failures:
                failed.add(failure.doc_id)
                skip = Skip(_source(corpus, failure.doc_id), "preprocessing failed", failure.reason)
                logger.warning("%s", skip)
                skipped.append(skip)

    run(todo)
    logger.info("preprocessed %d documents (%d from cache)", len(todo), total - len(todo))

    if todo:
        indexed = cache.load_counts() if cache is not None else {}
    new_counts: dict[str, list[int]] = {keys[i]: list(c) for i, c in counts.items()}
    missing = [i for i in meta.index if i not in counts and keys[i] not in indexed and i not in failed]
    for i in missing:
        pdoc = cache.get(keys[i], i)
        if pdoc is not None:
            counts[i] = (len(pdoc.sentences), pdoc.n_tokens, pdoc.n_words)
            new_counts[keys[i]] = list(counts[i])
    rebuild = [i for i in missing if i not in counts]  # an unreadable or outdated entry: rebuild it
    if rebuild:
        todo = rebuild
        run(rebuild)
        new_counts.update({keys[i]: list(counts[i]) for i in rebuild if i in counts})
    for i in meta.index:
        if i not in counts and keys[i] in indexed:
            counts[i] = tuple(indexed[keys[i]])
    if cache is not None:
        cache.add_counts(new_counts)
    kept = [i for i in meta.index if i in counts]
    if total and not kept:
        raise CorpusError(f"{corpus.name}: every document failed in preprocessing; the first: "
                          f"{skipped[0] if skipped else 'no reason recorded'}"
                          + (" (on a cluster, the corpus and cache must be at paths every worker can read)"
                             if engine.is_distributed else ""))
    metadata = meta.loc[kept].copy() if len(kept) < len(meta) else meta.copy()
    metadata["n_sentences"] = [counts[i][0] for i in kept]
    metadata["n_words"] = [counts[i][2] for i in kept]
    metadata["n_tokens"] = [counts[i][1] for i in kept]
    tokens = Tokens(metadata, params, name=corpus.name, hash=corpus.hash, cache=cache,
                    keys=keys, memory=memory, is_synthetic=corpus.is_synthetic,
                    corpus=corpus if cache is not None else None)
    tokens.skipped = skipped
    if params.phrases:
        tokens.phraser = learn_phrases(tokens, params)
    return tokens


def _source(corpus: Corpus, doc_id: str) -> str:
    """Where a document came from, for the skip list: its file, else its id; a document of a file
    that holds several (a part of a Parquet corpus) as ``FILE#ID``."""
    if "path" in corpus.metadata.columns:
        paths = corpus.metadata["path"]
        path = paths.at[doc_id]
        if isinstance(path, str) and path:
            return f"{path}#{doc_id}" if int((paths == path).sum()) > 1 else path
    return doc_id


@dataclass
class PartitionResult:
    """What one partition sends back: (id, (sentences, tokens, words), document or None) per
    document (the document only when nothing is cached), and the documents that raised."""

    docs: list[tuple[str, tuple[int, int, int], ProcessedDoc | None]]
    failures: list[Failure]


def _preprocess_partition(part: tuple[Corpus, list[tuple[str, str]]], shared: tuple) -> PartitionResult:
    """One partition on a worker (its corpus shard and its (id, cache key) pairs): read its
    documents, `preprocess_batch`, store each in the document cache (a folder every worker sees).
    Only counts travel back, unless there is no cache."""
    corpus, pairs = part
    params, cache = shared
    docs, failures = per_document(lambda items: [corpus.document(i) for i, _ in items], pairs,
                                  [i for i, _ in pairs])
    keys = dict(pairs)
    processed, failed = per_document(lambda ds: preprocess_batch(ds, params), docs, [d.id for d in docs])
    out = []
    for pdoc in processed:
        if cache is not None:
            cache.put(keys[pdoc.id], pdoc)
        out.append((pdoc.id, (len(pdoc.sentences), pdoc.n_tokens, pdoc.n_words),
                    None if cache is not None else pdoc))
    return PartitionResult(out, failures + failed)


def learn_phrases(tokens: Tokens, params: PreprocessParams):
    """Frequent phrases learned from the whole corpus (gensim `Phrases`), frozen for applying."""
    from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

    model = Phrases(tokens.sentences(), min_count=params.phrases_min_count,
                    threshold=params.phrases_threshold, connector_words=ENGLISH_CONNECTOR_WORDS)
    return model.freeze()
