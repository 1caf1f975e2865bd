"""On-disk caches: processed documents (one JSON file a document, keyed by text hash and parameters)
and the results of the methods made from them (keyed by input fingerprint, parameters and code)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from analysis.paths import CACHE_ENV, default_cache_dir, local_path  # noqa: F401 - the cache's names, kept here too
from analysis.preprocess import store as stored
from analysis.preprocess.pipeline import ProcessedDoc
from analysis.provenance import code_fingerprint, library_versions

T = TypeVar("T")
logger = logging.getLogger(__name__)


def local_folder(path: str | Path) -> Path:
    """`path` as a folder of this machine's file system (a local disk or a mount every worker
    sees); a ``file://`` URL is read through fsspec (`analysis.paths.local_path`), any other URL
    (s3://, ...) is refused, not written to a folder named after it."""
    return local_path(path, "the cache folder")


class DocCache:
    """Processed documents stored under `root/<params key>/<hash[:2]>/<hash>.json`."""

    def __init__(self, root: Path, params_key: str) -> None:
        self.root = local_folder(root)
        self.dir = self.root / params_key

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

    def get_sentences(self, doc_key: str) -> list[str] | None:
        """The cached document's sentences only (its tokens are not unpacked), or None."""
        try:
            return json.loads(self.path(doc_key).read_text(encoding="utf-8"))["s"]
        except (OSError, ValueError, KeyError):
            return None

    def has(self, doc_key: str) -> bool:
        return self.path(doc_key).exists()

    @property
    def index_path(self) -> Path:
        return self.dir / "counts.json"

    def load_counts(self) -> dict[str, list[int]]:
        """Document key -> [sentences, tokens kept, running words], for cached documents."""
        try:
            return json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def add_counts(self, counts: dict[str, list[int]]) -> None:
        """Merge counts into the index (atomic; a lost race only costs a re-read later)."""
        if not counts:
            return
        merged = {**self.load_counts(), **counts}
        self.dir.mkdir(parents=True, exist_ok=True)
        data = json.dumps(merged, sort_keys=True).encode("utf-8")
        _write_atomic(self.index_path, lambda fh: fh.write(data))  # a unique temporary name, as `put`

    def put(self, doc_key: str, doc: ProcessedDoc) -> None:
        """Store a document atomically (write to a temporary name, then rename)."""
        path = self.path(doc_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"s": doc.sentences, "t": [" ".join(t) for t in doc.tokens], "w": doc.n_words}
        data = json.dumps(record, ensure_ascii=False).encode("utf-8")
        # a unique temporary name: two workers (or threads) may store the same text at once
        _write_atomic(path, lambda fh: fh.write(data))


def is_document_cache(path: Path) -> bool:
    """Whether `path` is a `DocCache` folder: named by a parameter key (16 hex digits), holding the
    counts index or two-letter shard folders (so that clearing never touches anything else)."""
    if not path.is_dir() or len(path.name) != 16 or any(c not in "0123456789abcdef" for c in path.name):
        return False
    return (path / "counts.json").exists() or any(p.is_dir() and len(p.name) == 2 for p in path.iterdir())


# --- results of the methods ------------------------------------------------------------------

RESULTS_DIR = "results"
SUFFIX = ".npz"  # a stored result (`analysis.preprocess.store`); ".pkl" files of older versions are never read
PARTS = ".parts"  # a folder of Parquet parts beside an entry (a sentence table written by the workers)
_KEY = re.compile(r"[0-9a-f]{40}\.")  # a stored file's name starts with its key


class ResultCache:
    """Stored results of the methods (fitted models, count matrices, sentence tables), one file a
    result under `root/results/<kind>/<key[:2]>/<key>.npz`, with the key's record beside it in a
    `.json` file. The file holds arrays, Parquet tables and JSON (`analysis.preprocess.store`),
    never a pickle: reading it runs no code, so a folder shared by many workers and users is safe.
    The key is a hash of everything that shapes the result: the input's fingerprint, the parameters
    and seed, the package version, the source of the modules that compute it and the versions of the
    numerical libraries.

    It is a cache, not an archive: an entry that does not load is recomputed (never trusted), a
    result that cannot be written as data is not stored, and the folder can be deleted at any time
    (`python -m analysis cache --clear`).
    """

    def __init__(self, root: str | Path) -> None:
        self.root = local_folder(root)
        self.dir = self.root / RESULTS_DIR

    def key(self, kind: str, record: Mapping[str, Any], code: Sequence[str]) -> tuple[str, dict]:
        """The hex key and the full record it hashes."""
        from analysis import __version__
        from analysis.kernels import kernel_record

        full = {"kind": kind, **record, "analysis": __version__, "code": code_fingerprint(*code),
                "libraries": library_versions(), "kernels": kernel_record()}
        text = json.dumps(full, sort_keys=True, default=str)
        return hashlib.sha1(text.encode("utf-8")).hexdigest(), full

    def path(self, kind: str, key: str) -> Path:
        return self.dir / kind / key[:2] / f"{key}{SUFFIX}"

    def get_or_compute(self, kind: str, record: Mapping[str, Any], compute: Callable[[], T], *,
                       code: Sequence[str], complete: Callable[[], bool] | None = None) -> T:
        """The stored result for this key, or `compute()` stored under it; when `complete()` (asked
        after computing) is false, the result is partial (some documents failed) and not stored."""
        key, full = self.key(kind, record, code)
        path = self.path(kind, key)
        if path.exists():
            try:
                with path.open("rb") as fh:
                    value = stored.load(fh)
                logger.info("%s: reused the stored result %s", kind, path)
                return value
            except Exception as exc:  # noqa: BLE001 - a damaged entry is recomputed, never fatal
                logger.warning("%s: the stored result %s is unreadable (%s); computing it again", kind, path, exc)
        value = compute()
        if complete is not None and not complete():
            logger.info("%s: not stored (some documents failed; they are tried again next time)", kind)
            return value
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            record_text = json.dumps(full, indent=1, sort_keys=True, default=str).encode("utf-8")
            _write_atomic(path.with_suffix(".json"), lambda fh: fh.write(record_text))
            # arrays, Parquet and JSON only (UnstorableError for anything else: then not stored)
            _write_atomic(path, lambda fh: stored.dump(value, fh))
            self._prune_superseded(kind, key, full)
        except Exception as exc:  # noqa: BLE001 - not storing only costs a recomputation later
            if not path.exists():  # no record without its result
                path.with_suffix(".json").unlink(missing_ok=True)
            logger.warning("%s: could not store the result in %s (%s); it is computed again next time",
                           kind, path, exc)
        return value

    def _prune_superseded(self, kind: str, key: str, full: Mapping[str, Any]) -> None:
        """Delete entries of the same input and parameters made by other code of the same toolkit
        version (a development edit); entries of other versions are kept (another checkout may use
        them) until `python -m analysis cache --clear`."""
        ignore = ("code", "libraries")
        same = {k: v for k, v in json.loads(json.dumps(full, default=str)).items() if k not in ignore}
        for record_path in (self.dir / kind).glob("*/*.json"):
            if record_path.stem == key:
                continue
            try:
                old = json.loads(record_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if {k: v for k, v in old.items() if k not in ignore} == same:
                record_path.with_suffix(SUFFIX).unlink(missing_ok=True)
                record_path.with_suffix(".pkl").unlink(missing_ok=True)  # written by an older version
                shutil.rmtree(record_path.with_suffix(PARTS), ignore_errors=True)
                record_path.unlink(missing_ok=True)
                logger.info("%s: deleted %s, made by other code for the same input", kind, record_path.stem)

    def clear(self) -> int:
        """Delete every stored result: only the files this cache writes (named by their key), then
        the folders left empty. Returns the number of results deleted."""
        n = 0
        for path in self.dir.glob("*/*/*"):
            name = path.name.lstrip(".")
            if path.is_file() and _KEY.match(name) and name.endswith((SUFFIX, ".pkl", ".json", ".tmp")):
                n += path.suffix in (SUFFIX, ".pkl")
                path.unlink(missing_ok=True)
            elif path.is_dir() and _KEY.match(name) and name.endswith(PARTS):
                shutil.rmtree(path, ignore_errors=True)
        for folder in sorted(self.dir.glob("*/*"), reverse=True) + sorted(self.dir.glob("*")) + [self.dir]:
            try:
                folder.rmdir()  # only when empty
            except OSError:
                pass
        return n

    def entries(self) -> list[dict[str, Any]]:
        """What is stored: kind, key, bytes, and the record of each entry."""
        out = []
        for path in sorted(self.dir.glob(f"*/*/*{SUFFIX}")):
            try:
                record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                record = {}
            out.append({"kind": path.parent.parent.name, "key": path.stem, "bytes": path.stat().st_size,
                        "record": record})
        return out


def _write_atomic(path: Path, write: Callable[[Any], object]) -> None:
    """Call `write(binary file)` on a unique temporary file beside `path`, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
