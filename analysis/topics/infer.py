"""Topic shares of documents under a fitted model, inferred partition by partition where the
engine runs the partitions (in process or as Dask tasks on a cluster).

The fit stays on one machine (`TopicModel.fit`); inference is per document and parallel: each
partition cuts its documents into the model's units, counts them in the model's vocabulary, infers
the units' shares (the model's `_shares`, reseeded from the model's seed for each partition) and
returns the documents' token-weighted shares. Only those shares (documents x k) come back. The
result depends on the partitions (`batch_size`), not on where they ran: an LDA inference starts
from random draws, so shares inferred in other chunks than the fit's differ from
`TopicModel.doc_topic_` by the inference's tolerance.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.preprocess import Tokens
from analysis.preprocess.dtm import dtm_from_counts
from analysis.preprocess.engine import engine_for
from analysis.topics.model import TopicModel, _aggregate
from analysis.topics.units import split_units

Progress = Callable[[int, int], None]


def _infer_partition(shard: Tokens, shared: tuple) -> pd.DataFrame:
    """One partition's document shares (index id, columns topics): its `Tokens.shard`; shared: the
    slimmed model, its dictionary and unit settings, the learned phrases."""
    model, dictionary, settings, phraser = shared
    tokens = shard.with_phraser(phraser)
    rows, bows = [], []
    for doc_id in shard.ids:
        doc = tokens.get(doc_id)
        for part, toks in enumerate(split_units(doc, settings["unit"], chunk_size=settings["chunk_size"],
                                                paragraph_size=settings["paragraph_size"])):
            bow = dictionary.doc2bow(toks)
            if bow:
                rows.append((doc_id, part, len(toks), int(sum(c for _, c in bow))))
                bows.append(bow)
    frame = pd.DataFrame(rows, columns=["doc_id", "part", "n_tokens", "n_terms"])
    if not rows:
        empty = pd.DataFrame(np.zeros((0, model.k)), index=pd.Index([], name="id"), columns=range(model.k))
        empty.columns.name = "topic"
        return empty
    dtm = dtm_from_counts(bows, len(dictionary), dtype=np.int32)
    return _aggregate(model._shares(dtm), frame)


def infer_topics(model: TopicModel, tokens: Tokens, *, scheduler: Any = None, batch_size: int = 256,
                 progress: Progress | None = None) -> pd.DataFrame:
    """Topic shares (documents x k, rows summing to 1; index id) of `tokens` under a fitted `model`,
    inferred in partitions of `batch_size` documents where `scheduler` says
    (`analysis.preprocess.engine`); the same numbers wherever they ran. Documents without a term of
    the model's vocabulary have no row."""
    units = getattr(model, "units_", None)
    if units is None or not hasattr(model, "model_"):
        raise ParameterError("`infer_topics` needs a fitted model (TopicModel(...).fit(tokens)).")
    slim = copy.copy(model)  # what a worker needs: the fitted inference, not the training units
    slim.__dict__.pop("units_", None)
    for name in ("unit_topic_", "doc_topic_", "term_frequency_"):
        slim.__dict__.pop(name, None)
    parts = tokens.partitions(batch_size)
    shared = (slim, units.dictionary, dict(units.settings), tokens.phraser)
    out = list(engine_for(scheduler).map(_infer_partition, parts, shared, sizes=parts.sizes, progress=progress))
    if not out:
        return _infer_partition(tokens.shard([]), shared)
    shares = pd.concat(out) if len(out) > 1 else out[0]
    shares.columns.name = "topic"
    return shares


__all__ = ["infer_topics"]
