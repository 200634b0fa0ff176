"""Map a function over items in worker processes, results in input order.

Why a module of its own: the pipeline stays plain functions over the data; how the work is
spread over the cores lives here. Each worker receives `state` (the extractor, say) once,
when it starts: under "fork" it inherits the object without copying or pickling it, under
"spawn" the object is pickled once per worker (an Extractor then rebuilds its pipeline from
its catalog). One worker runs everything in this process, as if there were no pool.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

__all__ = ["WorkerTraceback", "add_workers_option", "available_cores", "map_in_order", "worker_count"]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_CHUNKS_PER_WORKER = 8  # enough chunks to balance uneven items, few enough to keep IPC cheap
# a spawned worker starts a fresh interpreter and loads the extractor (seconds): worth it only
# for this many items or more
_ITEMS_PER_SPAWNED_WORKER = 16
_state: Any = None  # this worker process's state, set once by _start


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def worker_count(text: str) -> int:
    """`--workers` as argparse reads it: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"needs at least 1 process, got {value}")
    return value


def add_workers_option(parser: argparse.ArgumentParser) -> None:
    """The one `--workers N` option of the commands that parse or tag."""
    cores = available_cores()
    parser.add_argument(
        "--workers", type=worker_count, default=cores, metavar="N",
        help=f"processes that parse and tag in parallel (default: the number of cores, here {cores}); "
        "1 runs everything in this process; the result is the same for any N",
    )


def _context() -> Any:
    """"fork" where it is safe (workers start at once and share the parent's objects), else
    "spawn". macOS has fork, but its system libraries may crash a forked child; a process
    with other threads running (the app's server) may fork a child holding one of their locks."""
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start(state: Any) -> None:
    global _state
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process to handle
    _state = state


class WorkerTraceback(Exception):
    """Where in the worker process an exception was raised (set as its ``__cause__``)."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


@dataclass(frozen=True)
class _Raised:
    error: BaseException
    traceback: str


def _call(func: Callable[[Any, Any], Any], item: Any) -> Any:
    """`func(item, state)`, an exception returned as a value.

    Why: items travel in chunks, and an exception would lose the results of the chunk's
    earlier items; as a value it is raised in its own turn, after them.
    """
    try:
        return func(item, _state)
    except Exception as exc:  # noqa: BLE001 - re-raised in the main process
        trace = "".join(traceback.format_exception(exc))
        try:
            pickle.loads(pickle.dumps(exc))  # some exceptions pickle but cannot be rebuilt
        except Exception:  # noqa: BLE001 - an exception that cannot travel is described instead
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        return _Raised(exc, trace)


def _unwrap(result: Any) -> Any:
    if isinstance(result, _Raised):
        raise result.error from WorkerTraceback(result.traceback)
    return result


def map_in_order(
    func: Callable[[T, S], R],
    items: Iterable[T],
    *,
    state: S,
    workers: int = 1,
    start_method: str | None = None,
) -> Iterator[R]:
    """`func(item, state)` for every item, yielded in the order of `items`.

    `func` must be a module-level function (workers look it up by name). An exception raised
    for one item is raised here when that item's turn comes, after every earlier result, as
    the one-process loop would raise it. With more than one worker, `items` is read at once.
    """
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")
    context = multiprocessing.get_context(start_method) if start_method else _context()
    if workers > 1 and not isinstance(items, Sized):
        items = list(items)
    if isinstance(items, Sized):
        per_worker = _ITEMS_PER_SPAWNED_WORKER if context.get_start_method() == "spawn" and not start_method else 1
        workers = min(workers, len(items) // per_worker or 1)
    if workers <= 1:
        yield from (func(item, state) for item in items)
        return
    items = list(items)
    chunksize = max(1, len(items) // (workers * _CHUNKS_PER_WORKER))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start, initargs=(state,))
    try:
        yield from map(_unwrap, pool.map(partial(_call, func), items, chunksize=chunksize))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
