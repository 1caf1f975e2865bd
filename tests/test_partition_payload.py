"""What a per-document stage sends with each partition does not grow with the corpus: a partition
carries its own documents' shard only, and the value every task shares holds nothing per document
(issue 17: a worker's memory flat in corpus size)."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.corpus import Corpus, Document, load_corpus, write_corpus
from analysis.preprocess import Tokens, preprocess
from analysis.preprocess.engine import InProcess, Progress

BATCH = 8
MARGIN = 0.05  # a partition of the larger corpus may carry this much more (longer numbers, ...)


def _dumps(value: Any) -> bytes:
    """`value` pickled as it is sent to a Dask worker (cloudpickle when there, else pickle)."""
    try:
        import cloudpickle
    except ImportError:  # pragma: no cover - distributed brings it
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return cloudpickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class Recording(InProcess):
    """The in-process engine that also keeps, per map, the pickled partitions and shared value."""

    def __init__(self) -> None:
        self.maps: list[tuple[str, list[bytes], bytes]] = []

    def map(self, work: Callable, partitions: Sequence, shared: Any, *, sizes: Sequence[int] | None = None,
            progress: Progress | None = None) -> Iterator:
        self.maps.append((work.__name__, [_dumps(p) for p in partitions], _dumps(shared)))
        return super().map(work, partitions, shared, sizes=sizes, progress=progress)


def _documents(copies: int, tiny: Corpus) -> list[Document]:
    """`copies` copies of the tiny corpus, ids and texts of the same length in every copy."""
    return [Document(f"{d.id}-{r:03d}", f"{d.text} Copy {r:03d}.", d.language, d.date,
                     {k: d.meta[k] for k in ("title", "country")})
            for r in range(copies) for d in tiny]


def _corpus(kind: str, docs: list[Document], folder: Path) -> Corpus:
    if kind == "memory":
        return Corpus.from_documents(docs, name="tiny")
    if kind == "folder":
        write_corpus(docs, folder / "corpus", info={"name": "tiny"})
        return load_corpus(folder / "corpus", cache_dir=None)
    pytest.importorskip("pyarrow")
    from analysis.corpus.dataset import write_dataset

    write_dataset(docs, folder / "corpus", part_size=10)
    return load_corpus(folder / "corpus", cache_dir=None)


def _run_stages(corpus: Corpus, cache: Path | None, model: Any | None = None) -> tuple[Recording, Tokens]:
    """Every per-document stage over `corpus` on a recording engine."""
    from analysis.framing import detect_frames
    from analysis.topics.infer import infer_topics
    from analysis.trends import count_terms, count_vocabulary, term_totals, vocabulary_totals

    engine = Recording()
    tokens = preprocess(corpus, cache_dir=cache, batch_size=BATCH, scheduler=engine)
    by = pd.Series(tokens.metadata["year"].astype(str), index=tokens.metadata.index)
    count_terms(tokens, "terrorism, multipolar*", cache=False, scheduler=engine, batch_size=BATCH)
    count_vocabulary(tokens, cache=False, scheduler=engine, batch_size=BATCH)
    term_totals(tokens, "terrorism, multipolar*", by=by, scheduler=engine, batch_size=BATCH)
    vocabulary_totals(tokens, by=by, scheduler=engine, batch_size=BATCH)
    detect_frames(tokens, n_boot=10, cache=False, scheduler=engine, batch_size=BATCH)
    if model is not None:
        infer_topics(model, tokens, scheduler=engine, batch_size=BATCH)
    return engine, tokens


@pytest.mark.parametrize(("kind", "cached"), [("memory", False), ("memory", True), ("folder", True),
                                              ("parquet", True)])
def test_a_partition_carries_its_own_documents_only_whatever_the_corpus_size(kind, cached, tiny_corpus, tmp_path):
    from analysis.topics import TopicModel

    runs = {}
    model = None
    for copies, name in ((4, "a"), (16, "b")):  # 24 and 96 documents; folders of equal name length
        docs = _documents(copies, tiny_corpus)
        corpus = _corpus(kind, docs, tmp_path / name)
        cache = tmp_path / name / "cache" if cached else None
        if model is None:
            fit_on = preprocess(corpus, cache_dir=None, n_jobs=1)
            model = TopicModel(k=2, seed=0, passes=2, no_below=1).fit(fit_on, cache=False)
        runs[copies] = (*_run_stages(corpus, cache, model), [d.id for d in docs])
    (small, _, small_ids), (large, tokens, large_ids) = runs[4], runs[16]
    assert [m[0] for m in small.maps] == [m[0] for m in large.maps]
    assert {m[0] for m in large.maps} >= {"_preprocess_partition", "_count_partition", "_vocabulary_partition",
                                          "_terms_partition", "_vocabulary_part", "_work", "_infer_partition"}
    for (work, parts_n, shared_n), (_, parts_4n, shared_4n) in zip(small.maps, large.maps, strict=True):
        assert len(parts_4n) == 4 * len(parts_n), work
        # what one task carries: the same size for a corpus four times as large
        assert max(map(len, parts_4n)) <= (1 + MARGIN) * max(map(len, parts_n)), work
        # the shared value holds nothing per document: the same size, and no document's id in it
        assert abs(len(shared_4n) - len(shared_n)) <= 64, (work, len(shared_n), len(shared_4n))
        assert not [i for i in large_ids if i.encode() in shared_4n], work
        assert not [i for i in small_ids if i.encode() in shared_n], work
        for blob in parts_4n:  # a partition names its own documents only
            assert sum(i.encode() in blob for i in large_ids) <= BATCH, work
    assert sorted(tokens.ids) == sorted(large_ids)  # every document made it through (a folder sorts them)


def test_a_shard_reads_and_rebuilds_its_documents_like_the_whole(tiny_corpus, tmp_path):
    tokens = preprocess(tiny_corpus, cache_dir=tmp_path, n_jobs=1)
    ids = tokens.ids[2:5]
    shard = tokens.shard(ids)
    assert shard.ids == ids and set(shard._keys) == set(ids)
    assert shard._corpus.ids == ids and shard._corpus.text(ids[0]) == tiny_corpus.text(ids[0])
    with pytest.raises(KeyError):
        shard._corpus.text(tokens.ids[0])  # the other documents' texts are not in it
    want = tokens.get(ids[1]).tokens
    tokens._cache.path(tokens._keys[ids[1]]).write_text("{", encoding="utf-8")  # damaged
    back = pickle.loads(pickle.dumps(shard))  # as a worker gets it
    assert back.get(ids[1]).tokens == want  # processed again from the corpus shard and stored again
    assert tokens.get(ids[1]).tokens == want
