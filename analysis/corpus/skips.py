"""The list of what an import or a load left out, each with its file and reason."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Skip:
    """One input left out: where it came from, a short reason code, and a sentence for a person."""

    source: str
    reason: str
    detail: str = ""

    def __str__(self) -> str:
        extra = f": {self.detail}" if self.detail else ""
        return f"skipped {self.source} ({self.reason}{extra})"


SKIP_LIST_NAME = "skipped.csv"
# Reason code for inputs that are not documents at all (an R history file in a speech archive):
# listed in the skip list, but not counted as skipped documents.
IGNORED = "ignored"


def summarize_skips(skips: list[Skip]) -> dict[str, int]:
    """Count skips by reason, most frequent first."""
    return dict(Counter(s.reason for s in skips).most_common())


def write_skip_list(path: Path, skips: list[Skip]) -> Path:
    """Write the skip list as CSV (source, reason, detail); an empty list writes only the header."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["source", "reason", "detail"])
        for s in skips:
            writer.writerow([s.source, s.reason, s.detail])
    return path


def load_skip_list(path: Path) -> list[Skip]:
    """Read a skip list written by `write_skip_list`."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [Skip(r["source"], r["reason"], r["detail"]) for r in csv.DictReader(fh)]
