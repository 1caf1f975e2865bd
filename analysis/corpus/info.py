"""A corpus at a glance: size, languages, dates, metadata keys and what was left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from analysis.corpus.model import META_COLUMNS, Corpus
from analysis.corpus.skips import IGNORED, Skip, summarize_skips

# Columns the loader adds to every corpus; not metadata a user wrote.
_DERIVED = set(META_COLUMNS) | {"path"}


def corpus_info(corpus: Corpus, import_skips: Sequence[Skip] = ()) -> dict[str, Any]:
    """Describe a corpus: documents, tokens, languages, date range, documents per year,
    metadata keys and skips (at import, from `import_skips`, and on load).

    Tokens are whitespace-separated words (`len(text.split())`), a quick size measure, not
    the tokenizer of `analysis.preprocess`. Reads every text once.
    """
    meta = corpus.metadata
    tokens = sum(len(corpus.text(doc_id).split()) for doc_id in meta.index)
    dated = meta[meta["date"].notna()]
    years = Counter(int(y) for y in dated["year"])
    at_import = [s for s in import_skips if s.reason != IGNORED]
    ignored = [s for s in import_skips if s.reason == IGNORED]
    keys = [c for c in meta.columns if c not in _DERIVED or c == "title"]
    keys = [c for c in keys if meta[c].notna().any()]
    return {
        "name": corpus.name,
        "location": corpus.location,
        "synthetic": corpus.is_synthetic,
        "hash": corpus.hash,
        "documents": len(corpus),
        "tokens": tokens,
        "tokens_note": "whitespace-separated words",
        "characters": int(meta["n_chars"].sum()),
        "languages": dict(Counter(meta["language"]).most_common()),
        "date_range": ([str(min(dated["date"])), str(max(dated["date"]))] if len(dated) else None),
        "date_precision": dict(Counter(dated["date_precision"]).most_common()),
        "undated": int(meta["date"].isna().sum()),
        "documents_per_year": {str(y): n for y, n in sorted(years.items())},
        "metadata_keys": keys,
        "skipped": len(at_import) + len(corpus.skipped),
        "skipped_at_import": len(at_import),
        "skipped_at_import_by_reason": summarize_skips(at_import),
        "skipped_on_load": len(corpus.skipped),
        "skipped_on_load_by_reason": summarize_skips(corpus.skipped),
        "ignored_at_import": len(ignored),
    }


def format_info(info: dict[str, Any]) -> str:
    """The `corpus_info` dict as a readable table."""
    def reasons(d: dict[str, int]) -> str:
        return f" ({', '.join(f'{k}: {v}' for k, v in d.items())})" if d else ""

    rows = [
        ("corpus", f"{info['name']}" + (f"  ({info['location']})" if info.get("location") else "")
         + ("  [synthetic]" if info.get("synthetic") else "")),
        ("documents", f"{info['documents']:,}"),
        ("tokens", f"{info['tokens']:,} ({info['tokens_note']})"),
        ("characters", f"{info['characters']:,}"),
        ("languages", ", ".join(f"{k} {v:,}" for k, v in info["languages"].items())),
        ("dates", (f"{info['date_range'][0]} to {info['date_range'][1]}" if info["date_range"]
                   else "none") + reasons(info["date_precision"])),
        ("undated", f"{info['undated']:,}"),
        ("metadata", ", ".join(info["metadata_keys"]) or "none"),
        ("skipped", f"{info['skipped_at_import']:,} at import{reasons(info['skipped_at_import_by_reason'])}, "
                    f"{info['skipped_on_load']:,} on load{reasons(info['skipped_on_load_by_reason'])}"),
        ("ignored", f"{info['ignored_at_import']:,} files at import (not documents)"),
        ("hash", info["hash"][:16]),
    ]
    width = max(len(k) for k, _ in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]
    per_year = info["documents_per_year"]
    if per_year:
        lines.append("documents per year:")
        items = list(per_year.items())
        for i in range(0, len(items), 6):
            lines.append("  " + "   ".join(f"{y} {n:>5,}" for y, n in items[i:i + 6]))
    return "\n".join(lines)
