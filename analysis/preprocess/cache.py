"""On-disk cache of processed documents, one JSON file a document, keyed by text hash and parameters."""

from __future__ import annotations

import json
import os
from pathlib import Path

from analysis.preprocess.pipeline import ProcessedDoc

CACHE_ENV = "ANALYSIS_CACHE_DIR"


def default_cache_dir() -> Path:
    """`$ANALYSIS_CACHE_DIR`, else `$XDG_CACHE_HOME/security-discourse-toolkit`, else ~/.cache/..."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "security-discourse-toolkit"


class DocCache:
    """Processed documents stored under `root/<params key>/<hash[:2]>/<hash>.json`."""

    def __init__(self, root: Path, params_key: str) -> None:
        self.dir = Path(root) / params_key

    def path(self, doc_key: str) -> Path:
        return self.dir / doc_key[:2] / f"{doc_key}.json"

    def get(self, doc_key: str, doc_id: str) -> ProcessedDoc | None:
        """The cached document, or None when absent or unreadable (then it is rebuilt)."""
        try:
            record = json.loads(self.path(doc_key).read_text(encoding="utf-8"))
            return ProcessedDoc(doc_id, record["s"], [t.split(" ") if t else [] for t in record["t"]],
                               record["w"])
        except (OSError, ValueError, KeyError):
            return None

    def has(self, doc_key: str) -> bool:
        return self.path(doc_key).exists()

    @property
    def index_path(self) -> Path:
        return self.dir / "counts.json"

    def read_counts(self) -> dict[str, list[int]]:
        """Document key -> [sentences, tokens kept, running words], for cached documents."""
        try:
            return json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def add_counts(self, counts: dict[str, list[int]]) -> None:
        """Merge counts into the index (atomic; a lost race only costs a re-read later)."""
        if not counts:
            return
        merged = {**self.read_counts(), **counts}
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.index_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(merged, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.index_path)

    def put(self, doc_key: str, doc: ProcessedDoc) -> None:
        """Store a document atomically (write to a temporary name, then rename)."""
        path = self.path(doc_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        record = {"s": doc.sentences, "t": [" ".join(t) for t in doc.tokens], "w": doc.n_words}
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
