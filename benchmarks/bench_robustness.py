"""Robustness at speed: Monte Carlo, tipping points and Dask (the issue #11 bars).

Run: python benchmarks/bench_robustness.py [--quick]

Prints, measured in this one run:

1. ``ukraine-2025`` under ``bg.noise(values=0.05, weights=0.3, disagreement=0.05)``:
   ``bg.robustness`` on 100,000 draws against the loop a user would write (build
   each draw's problem from its numbers, call ``bg.nash``), timed on a subsample
   of the same draws and scaled; the same packages asserted on the subsample.
2. 1,000 draws on ``bg.random_problem(4, 12, 10)`` (10^12 packages) with 1 % noise
   (values +/-0.01, weights x(1 +/- 0.01), no-deal values +/-0.01), solved draw by
   draw by the branch and bound (each starting from the base package, ``start=``);
   the same packages as independent ``bg.nash`` calls on a subsample, and the ratio of
   CPU time per draw against them.
3. Tipping points for every number of ``ukraine-2025`` (both directions).
4. A ``dask.distributed.LocalCluster`` (processes) with 1 and with 2 workers on
   10^6 draws: times, ratio, and results identical to the in-process run.

``--quick`` runs small versions of 1-3 (the test suite's smoke run) and skips 4.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from _instances import random_problem, timed

import bargain as bg
from bargain.parallel import root_seed
from bargain.sensitivity import DEFAULT_BLOCK_SIZE, _draw, _Kernel, _Sampler

TALKS_NOISE = bg.noise(values=0.05, weights=0.3, disagreement=0.05)
ONE_PERCENT = bg.noise(values=0.01, weights=0.01, disagreement=0.01)


def first_block(problem: bg.Problem, noise, draws: int, size: int, rng: int):
    """The numbers of the first ``size`` of ``draws`` draws of ``bg.robustness(...,
    rng=rng)`` and the kernel that scores them (the first block, drawn as that run
    draws it: its own seed, ``min(draws, block size)`` draws at once)."""
    kernel = _Kernel.of(problem, "nash", "bench", 64 * 2**20)
    seed = root_seed(rng).spawn(1)[0]
    block = min(draws, DEFAULT_BLOCK_SIZE)
    theta = _draw(_Sampler(kernel, noise, (), False), block, np.random.default_rng(seed))
    return kernel, theta[:size]


def loop(kernel, theta) -> list[int]:
    """The baseline: one problem per draw, built from its numbers, and bg.nash."""
    out = []
    for row in theta:
        solution = bg.nash(kernel.layout.problem_at(row))
        out.append(solution.index if solution.agreement else -1)
    return out


def clocked(function, *args, **kwargs):
    """Result, wall time and CPU time of this process (the machine is shared: the CPU
    time is what the load does not inflate; both run on one core)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def talks(draws: int, subsample: int) -> None:
    problem = bg.scenarios.load("ukraine-2025")
    print(f"[1] ukraine-2025, {draws:,} draws under noise ({TALKS_NOISE})")
    result, fast, fast_cpu = clocked(bg.robustness, problem, TALKS_NOISE, draws=draws, rng=0)
    kernel, theta = first_block(problem, TALKS_NOISE, draws, subsample, rng=0)
    expected, slow, slow_cpu = clocked(loop, kernel, theta)
    assert list(result.indices[:subsample]) == expected, "the loop disagrees with bg.robustness"
    scale = draws / subsample
    print(f"    bg.robustness: {fast:.2f} s wall, {fast_cpu:.2f} s CPU")
    print(
        f"    loop of bg.nash on {subsample} of the draws: {slow:.2f} s wall, {slow_cpu:.2f} s "
        f"CPU; scaled to {draws:,}: {slow * scale:.0f} s wall, {slow_cpu * scale:.0f} s CPU"
    )
    print(
        f"    speed-up {slow * scale / fast:.0f}x wall, {slow_cpu * scale / fast_cpu:.0f}x CPU; "
        "same packages on the subsample: yes"
    )
    print(f"    the base package in {result.base_share:.1%} of the draws")


def huge(draws: int, subsample: int) -> None:
    problem = random_problem(4, 12, 10, rng=0)
    print(f"\n[2] random_problem(4, 12, 10) (10^12 packages), {draws:,} draws, 1 % noise")
    result, seconds, cpu = clocked(bg.robustness, problem, ONE_PERCENT, draws=draws, rng=0)
    kernel, theta = first_block(problem, ONE_PERCENT, draws, subsample, rng=0)
    expected, _, slow_cpu = clocked(loop, kernel, theta)
    assert list(result.indices[:subsample]) == expected
    per_draw, looped = cpu / draws, slow_cpu / subsample
    print(f"    {seconds:.1f} s wall, {cpu:.1f} s CPU ({per_draw * 1e3:.0f} ms CPU per draw)")
    print(
        f"    loop of bg.nash on {subsample} of the draws: {looped * 1e3:.0f} ms CPU per draw; "
        f"ratio {per_draw / looped:.2f} (each draw starts from the base package)"
    )
    print(f"    base package in {result.base_share:.1%}; same packages as bg.nash on {subsample}")


def tipping() -> None:
    problem = bg.scenarios.load("ukraine-2025")
    points, seconds, cpu = clocked(bg.tipping_points, problem)
    changes = sum((row.lower is not None) + (row.upper is not None) for row in points)
    print(
        f"\n[3] tipping points of all {len(points)} numbers of ukraine-2025: {seconds:.2f} s "
        f"wall, {cpu:.2f} s CPU"
    )
    print(f"    {changes} thresholds found and re-solved on both sides")


MALLOC_TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
"""Dask starts its worker processes with ``MALLOC_TRIM_THRESHOLD_=65536``, which makes
glibc hand every freed temporary back to the system: the scoring kernel's block-sized
arrays then cost page faults on every block, and a worker scores about 1.5-2x slower
than this process (measured). The workers here start without it (glibc's default),
both the 1- and the 2-worker cluster."""


def dask(draws: int) -> None:
    import dask as dask_config
    from dask.distributed import Client, LocalCluster

    problem = bg.scenarios.load("ukraine-2025")
    print(f"\n[4] Dask LocalCluster (processes, glibc's default malloc trim), {draws:,} draws")
    here, local = timed(bg.robustness, problem, TALKS_NOISE, draws=draws, rng=0)
    times = {}
    for workers in (1, 2):
        with (
            dask_config.config.set({MALLOC_TRIM: None}),
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            there, times[workers] = timed(
                bg.robustness, problem, TALKS_NOISE, draws=draws, rng=0, client=client
            )
        assert np.array_equal(there.indices, here.indices), "Dask differs from in-process"
        assert np.array_equal(there.utilities, here.utilities)
        print(f"    {workers} worker(s): {times[workers]:.1f} s, identical to in-process")
    print(f"    in process: {local:.1f} s; 2 workers vs 1: {times[1] / times[2]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    args = parser.parse_args()
    print(f"(load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    start = time.perf_counter()
    if args.quick:
        talks(2_000, 50)
        huge(4, 2)
        tipping()
        print("\n[4] Dask: skipped in --quick (tests/test_robustness.py runs a LocalCluster)")
    else:
        talks(100_000, 1_000)
        huge(1_000, 20)
        tipping()
        dask(1_000_000)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
