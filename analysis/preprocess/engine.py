"""Where the per-document stages run: in this process, or as Dask tasks on a cluster.

One switch, `scheduler`, chooses where the batches (partitions of the corpus) go:

- ``None`` (default): ``$ANALYSIS_SCHEDULER`` when it is set, else `Auto`: this process for small
  work, and for work of at least `Auto.MIN_DOCUMENTS` documents a local Dask cluster of one worker a
  core, started only then (a rerun that finds everything stored starts none); ``n_jobs=1`` keeps
  everything in this process;
- ``"inprocess"``: this process, one partition after the other;
- ``"local"`` or ``"local:N"``: a Dask cluster of N worker processes on this machine (default: one a
  core), started on first use and kept for later calls of the same process;
- ``"tcp://HOST:PORT"``: an existing Dask cluster (its scheduler's address);
- a ``distributed.Client`` (or an `Engine`): that one.

Every stage is written once as ``work(partition, shared) -> result``: a function of one partition
and of what every partition shares. A partition carries its own documents' view only (their ids,
and `Tokens.shard` / `Corpus.shard`: their metadata rows, cache keys and texts, nothing of the other
documents); the shared value holds only what is small and common to all (parameters, patterns, a
lexicon, the cache folder), never a value per document, so what a task carries does not grow with
the corpus (a worker's peak grew by 21-37 % for 8x the documents: benchmarks/README.md). Callers build the partitions with `Lazy`, so this process
makes them one at a time when they run here. `Engine.map` runs the work over the partitions and
returns the results in partition order, so the numbers are the same wherever it ran. On Dask the
partitions are a `dask.bag` (one partition a task); the shared value is one key of the graph that
every task depends on, so it is sent once per worker and recomputed by Dask if the worker holding
it dies; a task whose worker dies is run again on another worker (Dask's retries). The results are small
per partition (counts, a partition's summary): the documents themselves never travel back.
`Engine.reduce` goes further: the partitions' results (e.g. sparse count matrices) are combined on
the workers, `SPLIT_EVERY` at a time in a tree of tasks, and only the last combination comes back;
in process the same tree is combined here, so the result is the same.

A document whose processing raises does not stop the run: `per_document` runs a batch and, when
it raises, each document alone, and reports the ones that raise with their reason (the caller puts
them on the skip list).
"""

from __future__ import annotations

import atexit
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from analysis.errors import ParameterError

SCHEDULER_ENV = "ANALYSIS_SCHEDULER"
CONNECT_TIMEOUT = "20s"  # to reach an existing scheduler
SPLIT_EVERY = 8  # results combined by one task of a reduction
P = TypeVar("P")
R = TypeVar("R")
Progress = Callable[[int, int], None]  # (items done, items in all)
logger = logging.getLogger(__name__)

_LOCAL = re.compile(r"^local(?::(\d+))?$")


class Lazy(Sequence[R]):
    """Partitions made when they are asked for: ``make(item)`` for each of `items` (e.g. the id lists
    of the partitions, made into their `Tokens.shard`). In process one partition exists at a time;
    a cluster's graph holds them all (it sends each to its task). `sizes`: the items' lengths."""

    def __init__(self, items: Sequence[P], make: Callable[[P], R]) -> None:
        self.items = list(items)
        self.make = make

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> R:  # type: ignore[override]
        if isinstance(index, slice):
            return [self.make(item) for item in self.items[index]]  # type: ignore[return-value]
        return self.make(self.items[index])

    def __iter__(self) -> Iterator[R]:
        for item in self.items:
            yield self.make(item)

    @property
    def sizes(self) -> list[int]:
        """Each item's length (documents a partition), without making the partitions."""
        return [len(item) for item in self.items]  # type: ignore[arg-type]


class Engine:
    """Runs `work(partition, shared)` over partitions, results in partition order."""

    name = "engine"
    dashboard_link: str | None = None

    def map(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any, *,
            sizes: Sequence[int] | None = None, progress: Progress | None = None) -> Iterator[R]:
        raise NotImplementedError

    def reduce(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any,
               combine: Callable[[list[R]], R], *, sizes: Sequence[int] | None = None,
               progress: Progress | None = None, split_every: int = SPLIT_EVERY) -> R:
        """`work` over the partitions, its results combined `split_every` at a time, level by
        level, into one (`combine(list of results) -> result`), the same tree wherever it runs."""
        raise NotImplementedError

    @property
    def is_distributed(self) -> bool:
        return False

    def close(self) -> None:
        """Release what the engine started (a no-op in process)."""


def _levels(n: int, split_every: int) -> Iterator[list[range]]:
    """The tree of a reduction of `n` results: per level, the groups of positions combined."""
    split_every = max(2, int(split_every))
    while n > 1:
        groups = [range(i, min(i + split_every, n)) for i in range(0, n, split_every)]
        yield groups
        n = len(groups)


class InProcess(Engine):
    """This process, one partition after the other (the default)."""

    name = "inprocess"

    def map(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any, *,
            sizes: Sequence[int] | None = None, progress: Progress | None = None) -> Iterator[R]:
        sizes = list(sizes) if sizes is not None else [1] * len(partitions)
        total, done = sum(sizes), 0
        for part, size in zip(partitions, sizes, strict=True):
            result = work(part, shared)
            done += size
            if progress:
                progress(done, total)
            yield result

    def reduce(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any,
               combine: Callable[[list[R]], R], *, sizes: Sequence[int] | None = None,
               progress: Progress | None = None, split_every: int = SPLIT_EVERY) -> R:
        results = list(self.map(work, partitions, shared, sizes=sizes, progress=progress))
        if not results:
            return combine([])
        for groups in _levels(len(results), split_every):
            results = [combine([results[i] for i in g]) for g in groups]
        return combine(results)

    def __repr__(self) -> str:
        return "InProcess()"


class DaskEngine(Engine):
    """Partitions as the tasks of a `dask.bag` on a `distributed` cluster.

    Parameters
    ----------
    client : a connected `distributed.Client`.
    cluster : the `LocalCluster` this engine started (closed with it), or None.
    """

    name = "dask"

    def __init__(self, client: Any, cluster: Any | None = None) -> None:
        self.client = client
        self.cluster = cluster

    @property
    def is_distributed(self) -> bool:
        return True

    @property
    def dashboard_link(self) -> str | None:  # type: ignore[override]
        try:
            return self.client.dashboard_link if _has_dashboard(self.client) else None
        except Exception:  # noqa: BLE001 - no dashboard (bokeh absent) is not an error
            return None

    @property
    def address(self) -> str:
        return self.client.scheduler.address

    @property
    def n_workers(self) -> int:
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def map(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any, *,
            sizes: Sequence[int] | None = None, progress: Progress | None = None) -> Iterator[R]:
        import dask
        import dask.bag as db
        from distributed import as_completed

        partitions = list(partitions)
        sizes = list(sizes) if sizes is not None else [1] * len(partitions)
        total = sum(sizes)
        if not partitions:
            return
        shared_key = dask.delayed(shared, traverse=False)  # one key of the graph, sent once a worker
        bag = db.from_sequence(partitions, npartitions=len(partitions)).map(work, shared_key)
        futures = self.client.compute(bag.to_delayed())
        position = {f.key: i for i, f in enumerate(futures)}
        done, next_out = 0, 0
        try:
            # Results are fetched in partition order only: one that finishes early stays on its
            # worker until its turn, so this process holds one partition's result at a time, not
            # every result that finished before a slow partition. (A result lost with its worker
            # is computed again by Dask: the future is still held.)
            for future in as_completed(futures):
                done += sizes[position[future.key]]
                if progress:
                    progress(done, total)
                while next_out < len(futures) and futures[next_out].done():
                    yield self._take(futures[next_out])
                    next_out += 1
            while next_out < len(futures):
                yield self._take(futures[next_out])
                next_out += 1
        finally:
            for f in futures:
                f.release()

    def reduce(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any,
               combine: Callable[[list[R]], R], *, sizes: Sequence[int] | None = None,
               progress: Progress | None = None, split_every: int = SPLIT_EVERY) -> R:
        """The partitions' results are combined on the workers (a tree of tasks); only the last
        combination comes to this process."""
        import dask
        import dask.bag as db
        from distributed import as_completed

        partitions = list(partitions)
        sizes = list(sizes) if sizes is not None else [1] * len(partitions)
        if not partitions:
            return combine([])
        shared_key = dask.delayed(shared, traverse=False)
        bag = db.from_sequence(partitions, npartitions=len(partitions)).map(work, shared_key)
        futures = self.client.compute(bag.to_delayed())  # each a one-item list
        position = {f.key: i for i, f in enumerate(futures)}
        level = [self.client.submit(_unwrap, f, pure=False) for f in futures]
        # This process holds only the partitions' futures (for the progress, each released when it
        # is done) and the final one: a partition's result or a combination lives on its worker only
        # until the combination that needs it has run, so the workers hold a few results at a time,
        # not one per partition. (Dask recomputes a result lost with its worker while a combination
        # still needs it.)
        for groups in _levels(len(level), split_every):
            upper = [self.client.submit(_combine, combine, *[level[i] for i in g], pure=False) for g in groups]
            for f in level:
                f.release()
            level = upper
        final = self.client.submit(_combine, combine, *level, pure=False)
        for f in level:
            f.release()
        try:
            done, total = 0, sum(sizes)
            for future in as_completed(futures):
                done += sizes[position[future.key]]
                future.release()
                if progress:
                    progress(done, total)
            return final.result()
        finally:
            for f in futures:
                f.release()
            final.release()

    @staticmethod
    def _take(future: Any) -> Any:
        """A finished partition's result, fetched, and released on the cluster."""
        (result,) = future.result()  # a bag partition is a list: one result
        future.release()
        return result

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __repr__(self) -> str:
        return f"DaskEngine({self.address!r})"


class Auto(Engine):
    """The default engine: all cores for large work, no cluster start-up for small work.

    A map over fewer than `MIN_DOCUMENTS` documents (by `sizes`) or fewer than two partitions runs in
    this process; a larger one on ``"local:<n_workers>"`` (default: one worker a core), opened on the
    first such map and kept for the rest of the process. The results are the same either way.
    """

    name = "auto"
    MIN_DOCUMENTS = 1000  # below this, starting a local cluster (seconds) costs more than it saves

    def __init__(self, n_workers: int | None = None) -> None:
        self.n_workers = n_workers or os.cpu_count() or 1

    def choose(self, partitions: Sequence[Any], sizes: Sequence[int] | None) -> Engine:
        """The engine a map over these partitions runs on."""
        n_docs = sum(sizes) if sizes is not None else len(partitions)
        if self.n_workers <= 1 or len(partitions) < 2 or n_docs < self.MIN_DOCUMENTS:
            return InProcess()
        return engine_for(f"local:{self.n_workers}")

    def map(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any, *,
            sizes: Sequence[int] | None = None, progress: Progress | None = None) -> Iterator[R]:
        return self.choose(partitions, sizes).map(work, partitions, shared, sizes=sizes, progress=progress)

    def reduce(self, work: Callable[[P, Any], R], partitions: Sequence[P], shared: Any,
               combine: Callable[[list[R]], R], *, sizes: Sequence[int] | None = None,
               progress: Progress | None = None, split_every: int = SPLIT_EVERY) -> R:
        return self.choose(partitions, sizes).reduce(work, partitions, shared, combine, sizes=sizes,
                                                     progress=progress, split_every=split_every)

    def __repr__(self) -> str:
        return f"Auto({self.n_workers} cores)"


def _unwrap(items: list) -> Any:
    """A bag partition's one result."""
    (result,) = items
    return result


def _combine(combine: Callable[[list], Any], *results: Any) -> Any:
    return combine(list(results))


def _has_dashboard(client: Any) -> bool:
    try:
        import bokeh  # noqa: F401 - the dashboard needs it
    except ImportError:
        return False
    return bool(client.scheduler_info().get("services", {}).get("dashboard"))


_OPEN: dict[str, Engine] = {}


def _close_open() -> None:
    while _OPEN:
        _, engine = _OPEN.popitem()
        try:
            engine.close()
        except Exception:  # noqa: BLE001 - shutting down: nothing left to tell
            pass


atexit.register(_close_open)


def _dask_missing() -> ParameterError:
    return ParameterError("a Dask scheduler needs the packages `dask` and `distributed` "
                          "(pip install dask distributed); or run in process (scheduler=None).")


def engine_for(scheduler: Any = None, *, n_jobs: int | None = None) -> Engine:
    """The engine for a `scheduler` setting (see the module docstring).

    `n_jobs` > 1 without a scheduler means ``"local:<n_jobs>"`` (a local Dask cluster), `n_jobs` 1
    this process, and neither `Auto` (``"auto"``: all cores for large work); engines opened from a
    string are kept for the rest of the process and closed at its exit.
    """
    if isinstance(scheduler, Engine):
        return scheduler
    if scheduler is None and n_jobs is not None and int(n_jobs) > 1:
        scheduler = f"local:{int(n_jobs)}"
    from_env = scheduler is None and bool(os.environ.get(SCHEDULER_ENV))
    if scheduler is None:
        one = n_jobs is not None and int(n_jobs) <= 1
        scheduler = os.environ.get(SCHEDULER_ENV) or ("inprocess" if one else "auto")
    if not isinstance(scheduler, str):
        try:
            from distributed import Client
        except ImportError:
            raise _dask_missing() from None
        if isinstance(scheduler, Client):
            return DaskEngine(scheduler)
        raise ParameterError(f"`scheduler` must be None, 'inprocess', 'local', 'local:N', "
                             f"'tcp://HOST:PORT' or a distributed.Client; got {type(scheduler).__name__}.")
    spec = scheduler.strip()
    if spec in ("", "inprocess", "none"):
        return InProcess()
    if spec == "auto":
        return Auto()
    if spec in _OPEN:
        return _OPEN[spec]
    local = _LOCAL.match(spec)
    if not local and "://" not in spec:
        raise ParameterError(f"`scheduler` must be 'auto', 'inprocess', 'local', 'local:N' or a scheduler "
                             f"address such as 'tcp://127.0.0.1:8786'; got {scheduler!r}.")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise _dask_missing() from None
    if logging.getLogger().getEffectiveLevel() > logging.INFO:  # its start and stop lines only with -v
        logging.getLogger("distributed").setLevel(logging.WARNING)
    if local:
        n = int(local.group(1) or os.cpu_count() or 1)
        if n < 1:
            raise ParameterError(f"`scheduler` 'local:N' needs N >= 1; got {scheduler!r}.")
        saved = dict(os.environ)
        try:
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        finally:  # the workers keep one BLAS thread each; this process keeps its own settings
            _restore_environ(saved)
        engine: Engine = DaskEngine(Client(cluster), cluster)
    else:
        try:
            client = Client(spec, timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            raise ParameterError(f"cannot reach the Dask scheduler at {spec} ({exc}); start one with "
                                 "`dask scheduler` and `dask worker ADDRESS`.") from None
        except (ValueError, TypeError) as exc:  # no port, an unknown protocol: not an address
            origin = f" (from ${SCHEDULER_ENV})" if from_env else ""
            raise ParameterError(f"`scheduler` {spec!r}{origin} is not a Dask scheduler address ({exc}); "
                                 "give 'tcp://HOST:PORT' (e.g. tcp://scheduler-host:8786), 'local', "
                                 "'local:N' or 'inprocess'.") from None
        engine = DaskEngine(client)
    _OPEN[spec] = engine
    logger.info("running on %r", engine)
    return engine


def _restore_environ(saved: dict[str, str]) -> None:
    """Put this process's environment back as `saved`: Dask sets OMP_NUM_THREADS=1,
    MALLOC_TRIM_THRESHOLD_, PYTHONHASHSEED ... here before it starts its workers, and starting a local
    cluster must not leave this process (and the notebooks or processes it starts later) with them."""
    for key in set(os.environ) - set(saved):
        del os.environ[key]
    for key, value in saved.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def close_engine(scheduler: str) -> None:
    """Close an engine opened from the string `scheduler`, if any."""
    engine = _OPEN.pop(scheduler.strip(), None)
    if engine is not None:
        engine.close()


@dataclass(frozen=True)
class Failure:
    """A document whose processing raised: its id and why."""

    doc_id: str
    reason: str


def per_document(step: Callable[[list], list], items: Sequence, ids: Sequence[str]) -> tuple[list, list[Failure]]:
    """`step(items)`, or, when that raises, `step([item])` for each item alone: the results of
    the items that work (in order, flattened) and a `Failure` for each item that raises."""
    try:
        return list(step(list(items))), []
    except Exception:  # noqa: BLE001 - find the document that raises, keep the others
        pass
    out: list = []
    failures: list[Failure] = []
    for item, doc_id in zip(items, ids, strict=True):
        try:
            out.extend(step([item]))
        except Exception as exc:  # noqa: BLE001 - one bad document is skipped, not fatal
            failures.append(Failure(doc_id, f"{type(exc).__name__}: {exc}"))
    return out, failures


def chunks(items: Sequence[P], size: int) -> list[list[P]]:
    """`items` cut into lists of `size` (the last one shorter)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
