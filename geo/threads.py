"""Element-wise geometry work on several cores (shapely releases the GIL)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

MAX_THREADS = 4  # a cap: callers may themselves run in parallel (Dask worker threads, app sessions)


def cores() -> int:
    """The cores this process may use (its CPU affinity), at most MAX_THREADS.

    Returns
    -------
    int
    """
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, MAX_THREADS))


def in_threads(func, geoms: np.ndarray, *more: np.ndarray, min_chunk: int = 5_000) -> np.ndarray:
    """``func(geoms, *more)`` for an element-wise shapely function, in chunks on every core.

    Not for prepared predicates: GEOS builds a prepared geometry's index lazily, which two threads
    must not do at once.

    Parameters
    ----------
    func : callable
        A vectorised shapely function of one array (or of several arrays of the same length,
        e.g. ``relate_pattern`` with its pattern bound).
    geoms : numpy.ndarray
        Geometries.
    *more : numpy.ndarray
        Further arrays of ``func``, element by element with ``geoms``.
    min_chunk : int, default 5000
        Fewer geometries than this per thread are not split.

    Returns
    -------
    numpy.ndarray
        ``func(geoms, *more)``.
    """
    n = min(cores(), len(geoms) // min_chunk)
    if n < 2:
        return func(geoms, *more)
    chunks = [np.array_split(a, n) for a in (geoms, *more)]
    with ThreadPoolExecutor(max_workers=n) as pool:
        return np.concatenate(list(pool.map(func, *chunks)))


def give_back_memory() -> None:
    """Hand freed memory back to the system (glibc's ``malloc_trim``; nothing elsewhere).

    Freed blocks of the arrays a big read made stay with the process (glibc keeps them for
    reuse); the peak a later step reaches is then theirs plus its own.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
