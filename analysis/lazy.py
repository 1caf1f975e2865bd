"""Module attributes imported on first use (plots load matplotlib only when one is drawn)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any


def lazy_attributes(package: dict[str, Any], module: str, names: Iterable[str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports `names` from `module` on first use and keeps them in `package`."""
    lazy = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name in lazy:
            value = getattr(importlib.import_module(module), name)
            package[name] = value
            return value
        raise AttributeError(f"module {package['__name__']!r} has no attribute {name!r}")

    return __getattr__
