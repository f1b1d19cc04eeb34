"""One way to scale out: seeded work in fixed blocks, in process or on Dask.

Every analysis that repeats a random experiment many times (Monte Carlo
robustness, tournaments) splits its items into *blocks* of a fixed size and
gives each block its own child of one :class:`numpy.random.SeedSequence`
(``SeedSequence.spawn``). A block's result depends only on the shared data, its
item range and its seed, so the results are the same bit for bit whether the
blocks run one after another in this process or spread over any number of
Dask workers, and whatever ``chunk_blocks`` groups them into tasks.

With ``client`` (a ``dask.distributed.Client``, for a cluster
``Client("tcp://scheduler:8786")``), the shared data is scattered to the
workers once and only block ranges and seeds travel with each task. Dask is
imported only then (the ``dist`` extra).

>>> import numpy as np
>>> def draw(shared, start, stop, seed):
...     return np.random.default_rng(seed).uniform(size=stop - start) * shared
>>> a = np.concatenate(run_blocks(draw, 2.0, 10, rng=0, block_size=4))
>>> b = np.concatenate(run_blocks(draw, 2.0, 10, rng=0, block_size=4, chunk_blocks=3))
>>> a.shape, bool(np.array_equal(a, b))
((10,), True)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from ._checks import check_int
from .errors import BargainTypeError, MissingDependencyError

__all__ = ["DEFAULT_BLOCK_SIZE", "root_seed", "run_blocks"]

R = TypeVar("R")

DEFAULT_BLOCK_SIZE = 1024
"""Items per seeded block unless a caller says otherwise."""

Task = Callable[[Any, int, int, np.random.SeedSequence], R]


def root_seed(rng: object) -> np.random.SeedSequence:
    """The seed sequence behind ``rng`` (``None``, an int, a ``SeedSequence`` or a
    ``Generator``), resolved through :func:`numpy.random.default_rng`.

    >>> root_seed(7).entropy
    7
    """
    if isinstance(rng, np.random.SeedSequence):
        return rng
    try:
        generator = np.random.default_rng(rng)
    except (TypeError, ValueError) as exc:
        raise BargainTypeError(
            f"rng must be None, an int, a numpy SeedSequence or Generator, got {rng!r}"
        ) from exc
    seed_seq = generator.bit_generator.seed_seq
    if not isinstance(seed_seq, np.random.SeedSequence):  # pragma: no cover - legacy seeding
        raise BargainTypeError(f"rng {rng!r} has no SeedSequence to spawn block seeds from")
    return seed_seq


def _blocks(n_items: int, block_size: int) -> list[tuple[int, int]]:
    return [(start, min(start + block_size, n_items)) for start in range(0, n_items, block_size)]


def _run_chunk(
    task: Task, shared: Any, chunk: Sequence[tuple[int, int, np.random.SeedSequence]]
) -> list:
    return [task(shared, start, stop, seed) for start, stop, seed in chunk]


CLIENT_METHODS = ("scheduler_info", "scatter", "submit")
"""What ``client=`` is asked for (a ``dask.distributed.Client`` has them all)."""


def run_blocks(
    task: Task,
    shared: Any,
    n_items: int,
    *,
    rng: object = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
    chunk_blocks: int | None = None,
    client: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """Run ``task(shared, start, stop, seed)`` over ``range(n_items)`` in seeded blocks.

    Parameters
    ----------
    task : callable
        A module-level function (Dask pickles it) returning the result of items
        ``start:stop`` drawn with ``seed``, a child ``SeedSequence``.
    shared : object
        Read-only data every block needs (a compiled problem, say); sent to
        Dask workers once.
    n_items : int
        Items in all; at least 1.
    rng : None, int, SeedSequence or Generator
        The root of the block seeds (see :func:`root_seed`).
    block_size : int
        Items per block (fixes the seeds: keep it when comparing runs).
    chunk_blocks : int, optional
        Blocks per task; only changes scheduling, never the results. Default:
        everything in one go in process, about four tasks per worker on Dask.
    client : dask.distributed.Client, optional
        Run on this Dask cluster instead of in this process.
    progress : callable, optional
        Called as ``progress(blocks_done, blocks_total)`` as chunks finish.

    Returns
    -------
    list
        One result per block, in block order.
    """
    for field, value in (("n_items", n_items), ("block_size", block_size)):
        check_int(value, f"run_blocks: {field}", minimum=1)
    ranges = _blocks(int(n_items), int(block_size))
    seeds = root_seed(rng).spawn(len(ranges))
    units = [(start, stop, seed) for (start, stop), seed in zip(ranges, seeds)]
    if client is None:
        per_chunk = len(units) if chunk_blocks is None else chunk_blocks
    else:
        if not all(callable(getattr(client, name, None)) for name in CLIENT_METHODS):
            raise BargainTypeError(
                f"client must be a dask.distributed.Client (or None: in this process), got "
                f"{client!r}"
            )
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        per_chunk = chunk_blocks or max(1, -(-len(units) // (4 * workers)))
    per_chunk = check_int(per_chunk, "run_blocks: chunk_blocks", minimum=1)
    chunks = [units[i : i + per_chunk] for i in range(0, len(units), per_chunk)]
    if client is None:
        results = []
        for chunk in chunks:
            results.extend(_run_chunk(task, shared, chunk))
            if progress is not None:
                progress(len(results), len(units))
        return results
    return _run_on_dask(client, task, shared, chunks, len(units), progress)


def _run_on_dask(client, task, shared, chunks, total, progress) -> list:
    try:
        from dask.distributed import as_completed
    except ImportError as exc:  # pragma: no cover - client given without dask installed
        raise MissingDependencyError(
            "client= needs dask.distributed: pip install 'bargaining[dist]'"
        ) from exc
    [shared_future] = client.scatter([shared], broadcast=True)
    futures = [
        client.submit(_run_chunk, task, shared_future, chunk, pure=False) for chunk in chunks
    ]
    position = {future.key: i for i, future in enumerate(futures)}
    done: list[list | None] = [None] * len(futures)
    finished = 0
    for future in as_completed(futures):
        chunk_results = future.result()
        done[position[future.key]] = chunk_results
        finished += len(chunk_results)
        if progress is not None:
            progress(finished, total)
    return [result for chunk_results in done for result in chunk_results]
