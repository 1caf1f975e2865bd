"""The manifest of a figures folder (`manifest.json`): what each figure records about its source
(corpus name, content hash, synthetic flag), its parameters as JSON, and reading and writing it."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.errors import ParameterError, UserError
from analysis.paths import resolve
from analysis.provenance import versions
from analysis.results import Result, corpus_identity

TOOLKIT_NAME = "Security Discourse Toolkit"
MANIFEST_NAME = "manifest.json"
DATA_DIR = "data"
SYNTHETIC_CAPTION = "(synthetic demo corpus)"


# --- sources: where the data came from ---------------------------------------------------

def describe_source(source: Any) -> dict[str, Any]:
    """Name, content hash and synthetic flag of what a figure was made from.

    Accepts a method's result (`analysis.results.Result`: the corpus it was made from), a
    `Corpus`, a `Tokens` (or any object with `name` / `hash`), a plain dict
    `{"name", "hash", "synthetic"}`, or None.
    """
    if source is None:
        return {"name": None, "hash": None, "synthetic": False}
    if isinstance(source, Result):
        source = source.corpus
    if isinstance(source, Mapping):
        unknown = set(source) - {"name", "hash", "synthetic"}
        if unknown:
            raise ParameterError(f"`source` dict takes the keys 'name', 'hash', 'synthetic'; "
                                 f"got also {', '.join(sorted(map(str, unknown)))}.")
        return {"name": _opt_str(source.get("name")), "hash": _opt_str(source.get("hash")),
                "synthetic": bool(source.get("synthetic", False))}
    if hasattr(source, "hash") and hasattr(source, "name"):  # Corpus, Tokens
        identity = corpus_identity(source)
        return {**identity, "name": _opt_str(identity["name"]), "hash": _opt_str(identity["hash"])}
    raise ParameterError("`source` must be a Corpus, Tokens, a method's result, a dict {'name', "
                         f"'hash', 'synthetic'}} or None; got {type(source).__name__}.")


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def label_caption(caption: str, synthetic: bool) -> str:
    """The caption, with "(synthetic demo corpus)" appended when the data are synthetic."""
    caption = caption.strip()
    if synthetic and SYNTHETIC_CAPTION not in caption:
        caption = f"{caption} {SYNTHETIC_CAPTION}"
    return caption


def jsonable(value: Any, where: str = "params") -> Any:
    """Plain JSON values (sorted dict keys happen at dump time); refuses what JSON cannot hold."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return value if math.isfinite(value) else None
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Index):
        items = list(value)
        if isinstance(value, set | frozenset):
            items = sorted(items, key=repr)
        return [jsonable(v, where) for v in items]
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return jsonable(dataclasses.asdict(value), where)
    raise ParameterError(f"`{where}` holds a {type(value).__name__} ({value!r:.60}), which a JSON "
                         "manifest cannot record; pass numbers, strings, lists or dicts.")


def generated_with() -> dict[str, Any]:
    """What made the files: versions that decide their bytes (no dates, no host names)."""
    v = versions(("matplotlib", "pandas", "numpy"))
    return {"toolkit": TOOLKIT_NAME, "version": v["analysis"], "matplotlib": v["matplotlib"],
            "pandas": v["pandas"], "numpy": v["numpy"]}


def load_manifest(out_dir: str | Path = "figures") -> dict[str, Any]:
    """The manifest of a figures folder (an empty one when the folder has none yet)."""
    path = resolve(out_dir) / MANIFEST_NAME
    if not path.exists():
        return {"generated_with": generated_with(), "figures": []}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: not a readable figures manifest ({exc}); delete it and run "
                        "the notebooks again to rebuild it.") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("figures"), list) or \
            not all(isinstance(e, dict) and isinstance(e.get("id"), str)
                    for e in manifest["figures"]):
        raise UserError(f"{path}: not a figures manifest (a 'figures' list of entries with an "
                        "'id'); delete it and run the notebooks again to rebuild it.")
    return manifest


def manifest_json(entries: list[dict[str, Any]]) -> str:
    """The manifest text: entries sorted by id, keys sorted, two-space indents, final newline."""
    body = {"generated_with": generated_with(),
            "figures": sorted(entries, key=lambda e: e["id"])}
    return json.dumps(body, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_manifest(out_dir: str | Path, entries: list[dict[str, Any]]) -> Path:
    """Write `manifest.json` for these entries."""
    path = resolve(out_dir) / MANIFEST_NAME
    write_if_changed(path, manifest_json(entries).encode("utf-8"))
    return path


def figure_entries(out_dir: str | Path = "figures", *, notebook: str | None = None,
                   ) -> Iterator[dict[str, Any]]:
    """Manifest entries (sorted by id), optionally only those one notebook made, each with
    `png_path`: the absolute path of its PNG, or None when the file is missing."""
    out = resolve(out_dir)
    for entry in load_manifest(out)["figures"]:
        if notebook is not None and entry.get("notebook") != notebook:
            continue
        png = out / entry.get("files", {}).get("png", f"{entry['id']}.png")
        yield {**entry, "png_path": png if png.exists() else None}


def write_if_changed(path: Path, content: bytes) -> None:
    """Write atomically, and not at all when the file already holds these bytes."""
    if path.exists() and path.read_bytes() == content:
        return
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(content)
    os.replace(tmp, path)


__all__ = ["DATA_DIR", "MANIFEST_NAME", "SYNTHETIC_CAPTION", "TOOLKIT_NAME", "describe_source", "figure_entries",
           "generated_with", "jsonable", "label_caption", "manifest_json", "load_manifest", "write_if_changed",
           "write_manifest"]
