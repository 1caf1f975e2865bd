"""A corpus folder's loaded metadata, kept in the cache folder so that loading it again reads
one index file instead of opening and parsing every document.

The index is found by the folder's absolute path and used only when it still describes the
folder: the same document files with the same size, modification and change times and inode
(one `os.stat` each, no file opened), the same `corpus.yml`, the same toolkit version and the
same source of `analysis.corpus` (the code that reads the files). Anything else loads the folder
as before and writes a new index. A file changed within `RACY_SECONDS` of the index being written
could change again within the resolution of its timestamps, so such an index is not written (as
git does with its index). What the index holds are the rows `load_folder` builds the metadata
frame from, the sources, the skip list and the content hash, as JSON: it is rebuilt into the
same frame by the same code, and it runs no code when read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from analysis.corpus.skips import Skip

logger = logging.getLogger(__name__)

FORMAT = "sdt-corpus-index/1"
INDEX_DIR = "corpora"
RACY_SECONDS = 2.0


def _plain(value: Any) -> bool:
    """Whether `value` survives JSON unchanged (type and value)."""
    if value is None or isinstance(value, bool | str):
        return True
    if type(value) is int:
        return True
    if type(value) is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if type(value) is list:
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def _code() -> str:
    """The toolkit version and the source of the package that reads corpora."""
    from analysis import __version__

    digest = hashlib.sha1(__version__.encode())
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def signature(folder: Path, files: list[Path], info: dict[str, Any]) -> tuple[str, float]:
    """A hash of what the folder's documents are on disk (relative path, size, modification and
    change times, inode of every file), its `corpus.yml` and the code; and the newest of the
    files' times (to tell an index written too soon after a change)."""
    digest = hashlib.sha1(_code().encode())
    digest.update(json.dumps(info, sort_keys=True, default=str).encode("utf-8"))
    newest = 0.0
    for path in files:
        st = path.stat()
        digest.update(f"{path.relative_to(folder)}\x00{st.st_size}\x00{st.st_mtime_ns}\x00{st.st_ctime_ns}"
                      f"\x00{st.st_ino}\n".encode("utf-8", "surrogateescape"))
        newest = max(newest, st.st_mtime, st.st_ctime)
    return digest.hexdigest(), newest


def index_path(cache_dir: str | Path, folder: Path) -> Path:
    """Where the index of `folder` is kept in `cache_dir`."""
    name = hashlib.sha1(str(folder.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return Path(cache_dir) / INDEX_DIR / f"{name}.json"


def read_index(path: Path, key: str) -> dict[str, Any] | None:
    """The stored rows, sources, skips and hash when `path` holds the index for `key`; else None."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("key") != key:
        return None
    try:
        skips = [Skip(**s) for s in record["skipped"]]
        return {"rows": record["rows"], "sources": record["sources"], "skipped": skips,
                "hash": record["hash"]}
    except (KeyError, TypeError):
        return None


def write_index(path: Path, key: str, newest: float, rows: list[dict[str, Any]], sources: dict[str, str],
                skipped: list[Skip], content_hash: str) -> bool:
    """Store the index (atomically) unless a file changed too recently or a value would not come
    back from JSON as it is; False when not stored. Failing to write only costs a full load later."""
    if time.time() - newest < RACY_SECONDS or not _plain(rows) or not _plain(sources):
        return False
    record = {"format": FORMAT, "key": key, "hash": content_hash, "rows": rows, "sources": sources,
              "skipped": [{"source": s.source, "reason": s.reason, "detail": s.detail} for s in skipped]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        logger.info("could not write the corpus index %s (%s)", path, exc)
        return False
    return True
