"""`python -m analysis cache`: what the caches hold (processed documents, stored results); clear them."""

from __future__ import annotations

import argparse
import shutil
from collections import defaultdict
from pathlib import Path

from analysis.preprocess.cache import (
    ResultCache,
    default_cache_dir,
    is_document_cache,
    local_folder,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cache", help="show or clear the caches (processed documents, stored results)")
    p.add_argument("--cache-dir", default="default", help="the cache folder (default: $ANALYSIS_CACHE_DIR "
                   "or ~/.cache/security-discourse-toolkit)")
    p.add_argument("--clear", action="store_true", help="delete the stored results (and, with --all, "
                   "the processed documents)")
    p.add_argument("--all", action="store_true", help="with --clear: the processed documents too")
    p.set_defaults(handler=run)


def _size(path: Path) -> tuple[int, int]:
    files = [f for f in path.rglob("*") if f.is_file()]
    return len(files), sum(f.stat().st_size for f in files)


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


def run(args: argparse.Namespace) -> int:
    root = default_cache_dir() if args.cache_dir == "default" else local_folder(args.cache_dir)
    print(f"cache folder: {root}")
    if not root.is_dir():
        print("  (empty: nothing cached yet)")
        return 0
    doc_dirs = sorted(d for d in root.iterdir() if is_document_cache(d))
    results = ResultCache(root)
    if args.clear:
        print(f"  stored results deleted ({results.clear()} entries)")
        if args.all:
            for d in doc_dirs:
                shutil.rmtree(d, ignore_errors=True)
            print(f"  processed documents deleted ({len(doc_dirs)} parameter sets)")
        return 0
    for d in doc_dirs:
        n, size = _size(d)
        print(f"  processed documents, parameters {d.name}: {n:,} files, {_mb(size)}")
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in results.entries():
        kinds[entry["kind"]][0] += 1
        kinds[entry["kind"]][1] += entry["bytes"]
    for kind, (n, size) in sorted(kinds.items()):
        print(f"  stored results, {kind}: {n} entries, {_mb(size)}")
    if not doc_dirs and not kinds:
        print("  (empty)")
    return 0
