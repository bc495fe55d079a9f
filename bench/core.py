"""The benchmark harness: registry, isolated runs (one subprocess each, so peak memory is per benchmark), results."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCALES = {"tiny": 1_000, "small": 20_000, "province": 1_000_000}


@dataclass
class Result:
    name: str
    scale: str
    rows: int
    ours_s: float
    baseline_s: float
    ratio: float  # ours / baseline (time): 1.0 = as fast as the raw baseline, 2.0 = twice as slow
    peak_mib: float
    baseline: str
    note: str = ""
    # Figures the verdict reads besides the ratio (bench/verdict.py): p99_ms, p95_ms, group_ratio, recall, precision.
    metrics: dict[str, float] = field(default_factory=dict)


Bench = Callable[[str, int], Result]
REGISTRY: dict[str, Bench] = {}


def bench(name: str) -> Callable[[Bench], Bench]:
    def deco(fn: Bench) -> Bench:
        REGISTRY[name] = fn
        return fn

    return deco


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.seconds = time.perf_counter() - self.start


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(name: str, scale: str, queue: Any) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from bench import suites  # noqa: F401 - registers the benchmarks

    try:
        result = REGISTRY[name](scale, SCALES[scale])
        queue.put(("ok", asdict(result)))
    except Exception as exc:  # report, then let the parent fail the run
        import traceback

        queue.put(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def run_isolated(name: str, scale: str) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(name, scale, queue))
    proc.start()
    status, payload = queue.get()
    proc.join()
    if status != "ok":
        raise RuntimeError(f"benchmark {name} failed: {payload}")
    return payload


def write_results(results: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))


def print_table(results: list[dict[str, Any]]) -> None:
    header = f"{'benchmark':<34} {'scale':<8} {'rows':>10} {'ours s':>9} {'base s':>9} {'ratio':>7} {'peak MiB':>9}  baseline"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['name']:<34} {r['scale']:<8} {r['rows']:>10} {r['ours_s']:>9.3f} {r['baseline_s']:>9.3f} "
            f"{r['ratio']:>7.2f} {r['peak_mib']:>9.1f}  {r['baseline']}"
        )
