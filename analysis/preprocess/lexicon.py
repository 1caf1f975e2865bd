"""Word lists shipped with the toolkit: stop words and protected multi-word expressions."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import yaml

DATA = resources.files("analysis") / "data"


def data_text(name: str) -> str:
    """The text of a data file shipped in `analysis/data/`."""
    return (DATA / name).read_text(encoding="utf-8")


def data_hash(*names: str) -> str:
    """A short hash of data files' contents, so caches notice when a list changes."""
    h = hashlib.sha1()
    for name in names:
        h.update(data_text(name).encode("utf-8"))
    return h.hexdigest()[:12]


@cache
def stopwords(language: str) -> frozenset[str]:
    """The shipped stop words for 'en' or 'ru' (lower-cased lemmas)."""
    lines = data_text(f"stopwords_{language}.txt").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def default_mwe(language: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The shipped multi-word expressions for a language: (canonical token, variants)."""
    table = yaml.safe_load(data_text("mwe.yml")).get(language) or {}
    return tuple((str(k), tuple(str(v) for v in vs)) for k, vs in table.items())
