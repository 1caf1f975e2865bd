"""Progress bars for the command line and notebooks (tqdm), switchable off."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from tqdm.auto import tqdm


def progress_bar(description: str, *, enabled: bool | None = None) -> Callable[[int, int], None]:
    """A `(done, total)` callback that draws a bar; off when stderr is not a terminal or
    `ANALYSIS_PROGRESS=0`, unless `enabled` says otherwise."""
    if enabled is None:
        enabled = os.environ.get("ANALYSIS_PROGRESS", "1") != "0" and sys.stderr.isatty()
    bar: list[tqdm] = []

    def update(done: int, total: int) -> None:
        if not enabled:
            return
        if not bar:
            bar.append(tqdm(total=total, desc=description, unit="doc", file=sys.stderr))
        bar[0].n = done
        bar[0].refresh()
        if done >= total:
            bar[0].close()

    return update
