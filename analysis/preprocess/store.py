"""Stored results that load no code: values written as arrays, Parquet tables and JSON, never pickles.

A cache folder that many workers and users write to must not be a way in: unpickling a file runs
whatever code it names. Here a value is written as one `.npz` file (numpy's zip of `.npy` arrays,
read with ``allow_pickle=False``) that holds a JSON manifest of the value's structure and, beside
it, its arrays; a table is a Parquet file kept as bytes in it. Reading builds only:

- JSON values (None, bool, int, float, str), lists, tuples, dicts (any JSON-able keys);
- numpy arrays (text arrays as lists of strings) and numpy scalars, numpy dtypes;
- pandas DataFrames and Series (Parquet), scipy sparse matrices (their arrays);
- ``numpy.random.RandomState`` (its state tuple);
- objects of the classes in `ALLOWED_CLASSES` (a topic model: gensim's ``LdaModel``, or `analysis.topics.lda.CsrLda`, with its
  ``LdaState`` (the topic-word λ as sufficient statistics plus η), α and ``Dictionary``; scikit-learn's
  ``NMF`` and ``TfidfTransformer``), rebuilt from their attributes, each itself one of the above.

Anything else cannot be stored (`UnstorableError`: the result is then computed again next time);
a file that does not decode (damaged, truncated, an unknown class) raises `UnreadableError` and
is recomputed, never trusted.
"""

from __future__ import annotations

import importlib
import io
import json
from typing import IO, Any

import numpy as np

FORMAT = "sdt-store/1"
ALLOWED_CLASSES = frozenset({
    "gensim.models.ldamodel.LdaModel",
    "analysis.topics.lda.CsrLda",
    "gensim.models.ldamodel.LdaState",
    "gensim.corpora.dictionary.Dictionary",
    "sklearn.decomposition._nmf.NMF",
    "sklearn.feature_extraction.text.TfidfTransformer",
})


class UnstorableError(TypeError):
    """A value of a type this store does not write."""


class UnreadableError(ValueError):
    """A stored file that does not decode into a value."""


def _class_name(obj: Any) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


class _Encoder:
    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, a: np.ndarray) -> str:
        name = f"a{len(self.arrays)}"
        self.arrays[name] = a
        return name

    def node(self, v: Any) -> Any:  # noqa: C901 - one branch a type
        import pandas as pd
        from scipy import sparse

        if v is None or isinstance(v, bool | str):
            return {"t": "json", "v": v}
        if isinstance(v, int | float) and type(v) in (int, float):
            return {"t": "json", "v": v}
        if isinstance(v, np.generic):
            return {"t": "scalar", "a": self.array(np.asarray(v))}
        if isinstance(v, np.dtype):
            return {"t": "dtype", "v": v.str}
        if isinstance(v, type) and issubclass(v, np.generic):
            return {"t": "nptype", "v": np.dtype(v).name}
        if isinstance(v, list | tuple):
            return {"t": "list" if isinstance(v, list) else "tuple", "v": [self.node(x) for x in v]}
        if isinstance(v, dict) and type(v) is dict:
            return {"t": "dict", "k": [self.node(k) for k in v], "v": [self.node(x) for x in v.values()]}
        if isinstance(v, np.ndarray):
            if v.dtype == object:
                items = v.ravel().tolist()
                if not all(isinstance(x, str) for x in items):
                    raise UnstorableError("an object array holding other values than strings")
                return {"t": "strs", "v": items, "shape": list(v.shape)}
            if v.dtype.hasobject or v.dtype.kind == "V":
                raise UnstorableError(f"an array of dtype {v.dtype}")
            return {"t": "nd", "a": self.array(v)}
        if isinstance(v, pd.Series):
            return {"t": "series", "name": self.node(v.name), "frame": self.node(v.to_frame(name="value"))}
        if isinstance(v, pd.DataFrame):
            columns = list(v.columns)
            frame = v.copy(deep=False)
            frame.columns = [f"c{i}" for i in range(len(columns))]  # Parquet wants text column names
            buf = io.BytesIO()
            frame.to_parquet(buf, engine="pyarrow")
            return {"t": "frame", "a": self.array(np.frombuffer(buf.getvalue(), dtype=np.uint8)),
                    "columns": [self.node(c) for c in columns], "columns_name": self.node(v.columns.name)}
        if sparse.issparse(v):
            m = v.tocsr() if v.format not in ("csr", "csc") else v
            return {"t": "sparse", "format": m.format, "shape": list(m.shape),
                    "data": self.array(m.data), "indices": self.array(m.indices),
                    "indptr": self.array(m.indptr), "as": v.format}
        if isinstance(v, np.random.RandomState):
            return {"t": "randomstate", "state": self.node(v.get_state())}
        name = _class_name(v)
        if name in ALLOWED_CLASSES:
            return {"t": "object", "class": name, "vars": self.node(dict(vars(v)))}
        raise UnstorableError(f"a value of type {name}")


class _Decoder:
    def __init__(self, arrays: Any) -> None:
        self.arrays = arrays

    def node(self, n: dict) -> Any:  # noqa: C901 - one branch a type
        t = n["t"]
        if t == "json":
            return n["v"]
        if t == "scalar":
            return self.arrays[n["a"]][()]
        if t == "dtype":
            return np.dtype(n["v"])
        if t == "nptype":
            return np.dtype(n["v"]).type
        if t == "list":
            return [self.node(x) for x in n["v"]]
        if t == "tuple":
            return tuple(self.node(x) for x in n["v"])
        if t == "dict":
            return {_hashable(self.node(k)): self.node(x) for k, x in zip(n["k"], n["v"], strict=True)}
        if t == "strs":
            out = np.empty(len(n["v"]), dtype=object)
            out[:] = n["v"]
            return out.reshape(n["shape"])
        if t == "nd":
            return self.arrays[n["a"]]
        if t == "series":
            return self.node(n["frame"])["value"].rename(self.node(n["name"]))
        if t == "frame":
            import pandas as pd

            frame = pd.read_parquet(io.BytesIO(self.arrays[n["a"]].tobytes()), engine="pyarrow")
            frame.columns = pd.Index([self.node(c) for c in n["columns"]], name=self.node(n["columns_name"]))
            return frame
        if t == "sparse":
            from scipy import sparse

            cls = sparse.csr_matrix if n["format"] == "csr" else sparse.csc_matrix
            m = cls((self.arrays[n["data"]], self.arrays[n["indices"]], self.arrays[n["indptr"]]),
                    shape=tuple(n["shape"]))
            return m.asformat(n["as"])
        if t == "randomstate":
            rs = np.random.RandomState()
            rs.set_state(self.node(n["state"]))
            return rs
        if t == "object":
            name = n["class"]
            if name not in ALLOWED_CLASSES:
                raise UnreadableError(f"class {name} is not one this store rebuilds")
            module, _, qualname = name.rpartition(".")
            cls = getattr(importlib.import_module(module), qualname)
            obj = cls.__new__(cls)
            obj.__dict__.update(self.node(n["vars"]))
            return obj
        raise UnreadableError(f"unknown node type {t!r}")


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def dump(value: Any, fh: IO[bytes]) -> None:
    """Write `value` to the binary file `fh` (raises `UnstorableError` for what cannot be stored)."""
    enc = _Encoder()
    manifest = {"format": FORMAT, "value": enc.node(value)}
    text = json.dumps(manifest, ensure_ascii=False, allow_nan=True).encode("utf-8")
    np.savez(fh, __manifest__=np.frombuffer(text, dtype=np.uint8), **enc.arrays)


def load(fh: IO[bytes]) -> Any:
    """The value stored in `fh`; `UnreadableError` when the file is not one `dump` wrote whole."""
    try:
        with np.load(fh, allow_pickle=False) as arrays:
            manifest = json.loads(arrays["__manifest__"].tobytes().decode("utf-8"))
            if manifest.get("format") != FORMAT:
                raise UnreadableError(f"not a stored result of format {FORMAT}")
            loaded = {name: arrays[name] for name in arrays.files if name != "__manifest__"}
    except UnreadableError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file in any way is unreadable
        raise UnreadableError(f"{type(exc).__name__}: {exc}") from None
    try:
        return _Decoder(loaded).node(manifest["value"])
    except UnreadableError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise UnreadableError(f"{type(exc).__name__}: {exc}") from None
