"""Per-batch work in worker processes, a bounded window at a time, results in input order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from typing import TypeVar

B = TypeVar("B")
R = TypeVar("R")


def map_in_order(pool: Executor, work: Callable[[B], R], batches: Iterable[B], *, window: int) -> Iterator[tuple[B, R]]:
    """(batch, work(batch)) for each batch, in order, with at most `window` batches submitted and not
    yet returned: unlike `Executor.map`, which submits every batch at once, memory stays flat however
    many batches there are."""
    pending: deque = deque()
    for batch in batches:
        pending.append((batch, pool.submit(work, batch)))
        if len(pending) >= window:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()
