"""The result contract every method's result follows, and the one way a method stores a result.

A result (a dataclass deriving from `Result`) carries

- `params`: JSON-able; the corpus identity under "corpus" ({"name", "hash", "synthetic"}, see
  `corpus_identity`), "versions" (`analysis.provenance.versions`), the seed and the method's
  parameters;
- `notes`: what a reader must know (skipped sections, documents left out, warnings);
- `tables()`: file stem -> table, the tables it writes;
- `write(out_dir, *, csv=False) -> list[Path]`: the tables (CSV; the big ones as Parquet, with
  `csv` also as CSV), any other files beside them (`extra_files`) and one `params.json` (the params
  and the notes), in the folder `out_dir`.

`cached(store, kind, record, compute)` is how a method keeps a result beside the tokens it came
from (`analysis.preprocess.cache.ResultCache`): keyed by the record, the versions and the code of
the method that computes it.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from analysis.errors import UserError
from analysis.provenance import method_code, versions

if TYPE_CHECKING:
    import pandas as pd

    from analysis.preprocess.cache import ResultCache

T = TypeVar("T")
PARAMS_FILE = "params.json"


def corpus_identity(source: Any) -> dict[str, Any]:
    """{"name", "hash", "synthetic"} of a `Corpus`, of the `Tokens` of one, or of any object with
    `name` and `hash`."""
    return {"name": source.name, "hash": source.hash, "synthetic": _synthetic_flag(source)}


def _synthetic_flag(source: Any) -> bool:
    """`is_synthetic` when the object has it; else `info["synthetic"]`; else a `synthetic`
    column of the `metadata` that is true for every document."""
    flag = getattr(source, "is_synthetic", None)
    if flag is not None:
        return bool(flag)
    info = getattr(source, "info", None)
    if isinstance(info, Mapping) and "synthetic" in info:
        return bool(info["synthetic"])
    import pandas as pd

    frame = getattr(source, "metadata", None)
    if isinstance(frame, pd.DataFrame) and "synthetic" in frame.columns and len(frame):
        values = frame["synthetic"]
        return bool(values.map(lambda v: str(v).strip().lower() in ("true", "1", "yes")).all())
    return False


def result_params(source: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """A result's `params`: the corpus identity of `source` (a Corpus or Tokens), the versions,
    then the method's parameters."""
    return {"corpus": corpus_identity(source), "versions": versions(), **params}


def output_folder(out_dir: str | Path) -> Path:
    """`out_dir`, created if needed (a clear message when it cannot be)."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{out}: cannot create the output folder ({exc.strerror}).") from None
    return out


def json_text(value: Any) -> str:
    """The text of a JSON file the results write: two-space indents, non-ASCII kept, final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"


class Result(abc.ABC):
    """Base of the methods' results (each a dataclass with `params` and `notes` fields).

    Subclasses give `tables()`; `parquet` names the tables written as Parquet (large sentence
    tables), `float_format` is passed to every CSV; `extra_files(out)` writes files that are not
    tables (e.g. topics.json) and `_write_table` can be overridden for a table with its own format.
    """

    params: dict[str, Any]
    notes: list[str]
    parquet: ClassVar[tuple[str, ...]] = ()
    float_format: ClassVar[str | None] = None

    @abc.abstractmethod
    def tables(self) -> dict[str, pd.DataFrame]:
        """File stem -> table (the index is not written: tables that need it reset it)."""

    @property
    def corpus(self) -> dict[str, Any]:
        """The corpus identity {"name", "hash", "synthetic"} the result was made from."""
        return dict(self.params.get("corpus") or {"name": None, "hash": None, "synthetic": False})

    @property
    def method_params(self) -> dict[str, Any]:
        """The params without the corpus identity and the versions (what a figure records)."""
        return {k: v for k, v in self.params.items() if k not in ("corpus", "versions")}

    def extra_files(self, out: Path) -> list[Path]:
        """Files written beside the tables that are not tables; none unless a result has some."""
        return []

    def _write_table(self, stem: str, table: pd.DataFrame, out: Path, csv: bool) -> list[Path]:
        paths = []
        if stem in self.parquet:
            paths.append(out / f"{stem}.parquet")
            table.to_parquet(paths[-1], index=False, compression="zstd")
        if stem not in self.parquet or csv:
            paths.append(out / f"{stem}.csv")
            table.to_csv(paths[-1], index=False, float_format=self.float_format)
        return paths

    def write(self, out_dir: str | Path, *, csv: bool = False) -> list[Path]:
        """Write the tables, the `extra_files` and params.json (the params, then the notes) into
        `out_dir`; `csv`: also the Parquet tables as CSV. Returns the paths, params.json last."""
        out = output_folder(out_dir)
        paths: list[Path] = []
        for stem, table in self.tables().items():
            paths += self._write_table(stem, table, out, csv)
        paths += self.extra_files(out)
        if "notes" in self.params:
            raise ValueError(f"{type(self).__name__}.params must not have a 'notes' key (notes are kept apart)")
        path = out / PARAMS_FILE
        path.write_text(json_text({**self.params, "notes": list(self.notes)}), encoding="utf-8")
        return [*paths, path]


def cached(store: ResultCache | None, kind: str, record: Mapping[str, Any], compute: Callable[[], T], *,
           complete: Callable[[], bool] | None = None) -> T:
    """`compute()`, kept in `store` (None: nothing is stored) under a key of `kind`, `record`
    (the input's fingerprint and the parameters), the toolkit and library versions and the code of
    the method `compute` belongs to (`analysis.provenance.method_code`), and read back from there
    for the same key. With `complete` (asked after computing) false, the result is partial (some
    documents failed) and not stored."""
    if store is None:
        return compute()
    return store.get_or_compute(kind, record, compute, code=method_code(compute.__module__), complete=complete)


def cache_key(store: ResultCache, kind: str, record: Mapping[str, Any], compute: Callable[[], Any]) -> str:
    """The key `cached` stores this result under (a fingerprint of it for results built on it)."""
    return store.key(kind, record, method_code(compute.__module__))[0]


__all__ = ["PARAMS_FILE", "Result", "cache_key", "cached", "corpus_identity", "json_text", "output_folder",
           "result_params"]
