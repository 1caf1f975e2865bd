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


SCHEDULER_HELP = ("where the per-document batches run: 'auto' (default, or $ANALYSIS_SCHEDULER: all cores "
                  "for a large corpus, this process for a small one), 'inprocess', "
                  "'local' / 'local:N' (a local Dask cluster of N workers), or 'tcp://HOST:PORT' "
                  "(an existing Dask cluster; the cache folder must be one every worker sees)")


def open_scheduler(spec: str | None, *, jobs: int | None = None):
    """The engine for `--scheduler` (and `--jobs`); on a Dask cluster, say where and print the
    dashboard link to stderr, where its live progress is shown."""
    from analysis.errors import ParameterError
    from analysis.preprocess.engine import engine_for

    if spec is not None and jobs is not None and jobs != 1:
        raise ParameterError(f"--jobs {jobs} and --scheduler {spec} both say where to run: --jobs N is "
                             "a local cluster of N workers (the same as --scheduler local:N); give one.")
    engine = engine_for(spec, n_jobs=jobs)
    if engine.is_distributed:
        link = engine.dashboard_link
        print(f"dask: {engine.n_workers} workers at {engine.address}; "
              + (f"dashboard {link}" if link else "progress below (install bokeh for the Dask dashboard)"),
              file=sys.stderr)
    return engine
