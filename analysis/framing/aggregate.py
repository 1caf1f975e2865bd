"""Frames and partners aggregated: per document, per period and group with intervals, partner
mentions over time, and the partner co-mention network.

Shares are shares of sentences. Intervals are a percentile bootstrap over documents (sentences
cluster in documents; `analysis.stats.bootstrap_ratio_ci`) or the Wilson interval over
sentences (Wilson 1927), which ignores that clustering and is narrower.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, check_choice, check_int
from analysis.preprocess.periods import assign_periods, group_labels
from analysis.stats import CI_LEVEL, N_BOOT, bootstrap_ratio_ci, wilson_ci

logger = logging.getLogger(__name__)

CI_METHODS = ("bootstrap", "wilson")
CSTO_MEMBERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
SHARE_COLUMNS = ("period", "group", "frame", "share", "low", "high", "n_documents", "n_sentences")


def document_shares(sentences: pd.DataFrame, frames: Sequence[str], metadata: pd.DataFrame) -> pd.DataFrame:
    """Per document (index doc_id): its metadata, n_sentences, and per frame `n_<frame>` and
    `share_<frame>` (NaN for a document without sentences)."""
    from analysis.framing.sentences import partition_counts

    return shares_from_counts(partition_counts(sentences, frames), frames, metadata)


def shares_from_counts(counts: pd.DataFrame, frames: Sequence[str], metadata: pd.DataFrame) -> pd.DataFrame:
    """`document_shares` from per-document counts (index doc_id: n_sentences and one column per
    frame, as `framing.sentences.partition_counts` gives them for each partition)."""
    out = metadata.copy()
    out["n_sentences"] = counts["n_sentences"].reindex(out.index).fillna(0).astype("int64")
    for f in frames:
        out[f"n_{f}"] = counts[f].reindex(out.index).fillna(0).astype("int64")
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"share_{f}"] = out[f"n_{f}"] / out["n_sentences"].where(out["n_sentences"] > 0)
    return out


def _axis(documents: pd.DataFrame, period: str, group: str | pd.Series | None) -> pd.DataFrame:
    """Each document's period label (string; NA when undated or too coarse for the period) and
    group ('all' without a group, '(none)' when a document has none), from the one period axis
    (`analysis.preprocess.periods`)."""
    periods = assign_periods(documents, period, empty_ok=True)
    groups, _ = group_labels(documents, group)
    if groups is None:
        groups = pd.Series("all", index=documents.index, dtype=object)
    return pd.DataFrame({"period": periods.labels, "group": groups.where(groups.notna(), "(none)")},
                        index=documents.index)


def membership(documents: pd.DataFrame, *, column: str = "country", members: Sequence[str] = CSTO_MEMBERS,
               labels: tuple[str, str] = ("CSTO members", "others")) -> pd.Series:
    """A group Series: `labels[0]` for documents whose `column` is in `members`, else `labels[1]`
    (default: the six CSTO member states by ISO code against all others)."""
    if column not in documents.columns:
        raise ParameterError(f"membership needs a `{column}` column in the document metadata.")
    inside = documents[column].astype("string").str.upper().isin([m.upper() for m in members])
    return pd.Series(np.where(inside.fillna(False), labels[0], labels[1]), index=documents.index,
                     name="membership")


def stat_frame_share(documents: pd.DataFrame, frames: Sequence[str], *, period: str = "year",
                     group: str | pd.Series | None = None, ci: str = "bootstrap", n_boot: int = N_BOOT,
                     level: float = CI_LEVEL, seed: int = 0) -> pd.DataFrame:
    """Share of sentences with each frame per period and group, with an interval.

    Parameters
    ----------
    documents : from `document_shares` (or `FrameResult.documents`).
    period : a period of `analysis.preprocess.periods` ('auto', 'year', 'quarter', 'month',
        'decade', 'all' or bins "1990-1999,2000-2009"); labels are strings.
    group : column, Series or None.
    ci : "bootstrap" (percentile bootstrap over documents, `n_boot` resamples, `seed`) or
        "wilson" (over sentences).

    Returns
    -------
    DataFrame with columns period, group, frame, share, low, high, n_documents, n_sentences;
    one row per period x group x frame that has documents.
    """
    check_choice("ci", ci, CI_METHODS)
    n_boot = check_int("n_boot", n_boot, minimum=1)
    if not 0 < level < 1:
        raise ParameterError(f"`level` must be between 0 and 1; got {level}.")
    table = _axis(documents, period, group)
    dropped = int(table["period"].isna().sum())
    if dropped:
        logger.warning("%d documents without a %s left out of the frame shares", dropped, period)
    table = table.join(documents[["n_sentences", *[f"n_{f}" for f in frames]]])
    table = table.dropna(subset=["period"])
    rows = []
    for (per, grp), part in table.groupby(["period", "group"], sort=True):
        den = part["n_sentences"].to_numpy(float)
        for f in frames:
            num = part[f"n_{f}"].to_numpy(float)
            if ci == "bootstrap":
                share, low, high = bootstrap_ratio_ci(num, den, n_boot=n_boot, level=level, seed=seed)
            else:
                share, low, high = wilson_ci(int(num.sum()), int(den.sum()), level=level)
            rows.append((per, grp, f, share, low, high, len(part), int(den.sum())))
    out = pd.DataFrame(rows, columns=list(SHARE_COLUMNS))
    return out


def partner_mentions(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, partner): doc_id, sentence_index, partner."""
    has = sentences[sentences["partners"].fillna("").astype(str) != ""]
    rows = [(d, i, p) for d, i, ps in zip(has["doc_id"], has["sentence_index"], has["partners"], strict=True)
            for p in str(ps).split(";") if p]
    return pd.DataFrame(rows, columns=["doc_id", "sentence_index", "partner"])


def _self_names(documents: pd.DataFrame, column: str, iso_names: dict[str, Any]) -> pd.Series:
    """Each document's own names (a set): its `column` value mapped through `iso_names`."""
    values = documents[column].astype("string") if column in documents.columns else pd.Series(
        pd.NA, index=documents.index, dtype="string")

    def names(v: Any) -> frozenset[str]:
        if pd.isna(v):
            return frozenset()
        got = iso_names.get(str(v).upper(), v)
        return frozenset({got} if isinstance(got, str) else got)

    return values.map(names)


def stat_partner_mentions(sentences: pd.DataFrame, documents: pd.DataFrame, *, period: str = "year",
                          group: str | pd.Series | None = None, drop_self: bool = False,
                          self_column: str = "country", iso_names: dict[str, Any] | None = None) -> pd.DataFrame:
    """Partners named as counterparts per period and group.

    Returns period, group, partner, n_sentences (COOPERATION sentences naming the partner),
    n_documents, share (of the period-group's COOPERATION sentences). With `drop_self`, a
    document's mentions of itself are left out: its `self_column` value (an ISO code) mapped by
    `iso_names` to a name or a set of names (e.g. `Gazetteer.self_names()`, which counts the
    Soviet Union as RUS).
    """
    mentions = partner_mentions(sentences)
    labels = _axis(documents, period, group)
    if drop_self:
        own = _self_names(documents, self_column, iso_names or {}).reindex(mentions["doc_id"])
        keep = [p not in o for p, o in zip(mentions["partner"], own, strict=True)]
        mentions = mentions[keep]
    m = mentions.join(labels, on="doc_id").dropna(subset=["period"])
    coop = sentences[sentences["cooperation"] == 1][["doc_id"]].join(labels, on="doc_id").dropna(subset=["period"])
    base = coop.groupby(["period", "group"]).size().rename("n_cooperation")
    counts = m.groupby(["period", "group", "partner"]).agg(
        n_sentences=("sentence_index", "size"), n_documents=("doc_id", "nunique")).reset_index()
    counts = counts.join(base, on=["period", "group"])
    counts["share"] = counts["n_sentences"] / counts["n_cooperation"]
    counts = counts.sort_values(["period", "group", "n_sentences", "partner"], ascending=[True, True, False, True])
    return counts[["period", "group", "partner", "n_sentences", "n_documents", "share"]].reset_index(drop=True)


def top_partners(mentions: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The `n` most named partners per period and group, with their rank (ties by name)."""
    n = check_int("n", n, minimum=1)
    out = mentions.sort_values(["period", "group", "n_sentences", "partner"], ascending=[True, True, False, True])
    out = out.groupby(["period", "group"], sort=True).head(n).copy()
    out["rank"] = out.groupby(["period", "group"]).cumcount() + 1
    return out.reset_index(drop=True)


def partner_network(sentences: pd.DataFrame, *, min_weight: int = 1, exclude: Sequence[str] = ()):
    """Co-mention network: partners as nodes (`count`: sentences naming them), an edge between
    two partners named in the same sentence (`weight`: such sentences). Returns a networkx Graph."""
    import networkx as nx

    min_weight = check_int("min_weight", min_weight, minimum=1)
    skip = set(exclude)
    graph = nx.Graph()
    edges: dict[tuple[str, str], int] = {}
    for ps in sentences["partners"].fillna("").astype(str):
        names = sorted({p for p in ps.split(";") if p and p not in skip})
        for p in names:
            if p in graph:
                graph.nodes[p]["count"] += 1
            else:
                graph.add_node(p, count=1)
        for a, b in combinations(names, 2):
            edges[(a, b)] = edges.get((a, b), 0) + 1
    for (a, b), w in sorted(edges.items()):
        if w >= min_weight:
            graph.add_edge(a, b, weight=w)
    return graph


def network_table(graph) -> pd.DataFrame:
    """The network's edges as a table (source, target, weight), for `figures.save(data=...)`."""
    rows = [(a, b, d["weight"]) for a, b, d in graph.edges(data=True)]
    return pd.DataFrame(sorted(rows), columns=["source", "target", "weight"])
