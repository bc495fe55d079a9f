"""The verdict table: each benchmark of a results file, its ratio, its target, met or missed.

Read from the results file (``bench/results/latest.json``), never asserted by a test: ``make bench`` prints it at the
end of a run, ``python -m bench --verdict [FILE]`` prints it again for a file. The targets are issue 26's; a target
stated "at province scale" is still judged at a smaller scale, and the table says which scale it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Target:
    text: str  # how the target reads in the table
    met: Callable[[dict[str, Any]], bool | None]  # None: the result lacks the figure the target needs


def _ratio_at_most(limit: float) -> Callable[[dict[str, Any]], bool | None]:
    return lambda r: r["ratio"] <= limit


def _metric(name: str, test: Callable[[float], bool]) -> Callable[[dict[str, Any]], bool | None]:
    def met(r: dict[str, Any]) -> bool | None:
        value = (r.get("metrics") or {}).get(name)
        return None if value is None else test(float(value))

    return met


def _verification(r: dict[str, Any]) -> bool | None:
    p99 = (r.get("metrics") or {}).get("p99_ms")
    return None if p99 is None else r["ratio"] <= 2.0 and float(p99) <= 50.0


def _quality(r: dict[str, Any]) -> bool | None:
    m = r.get("metrics") or {}
    if "recall" not in m or "precision" not in m:
        return None
    return float(m["recall"]) >= 0.95 and float(m["precision"]) >= 0.90


TARGETS: dict[str, Target] = {
    "import_persons_csv": Target("ratio ≤ 1.25 (≥ 0.8× the baseline's rows/s)", _ratio_at_most(1.25)),
    "import_persons_xlsx": Target("ratio ≤ 1.25 (≥ 0.8× the baseline's rows/s)", _ratio_at_most(1.25)),
    "import_roster_csv": Target("ratio ≤ 1.5", _ratio_at_most(1.5)),
    "payment_batch": Target("ratio ≤ 3", _ratio_at_most(3.0)),
    # ratio = the minimal view's req/s over ours: ≥ 0.5× its throughput is a ratio ≤ 2.
    "verify_certificate": Target("≥ 0.5× the minimal view's req/s (ratio ≤ 2), p99 ≤ 50 ms", _verification),
    "indicators_recompute": Target("≤ 2× DuckDB's GROUP BYs alone", _metric("group_ratio", lambda v: v <= 2.0)),
    "indicators_api": Target("worst p95 ≤ 300 ms", _metric("p95_ms", lambda v: v <= 300.0)),
    "supervision_scan": Target("recall ≥ 0.95, precision ≥ 0.90 per pattern", _quality),
}


def _figure(r: dict[str, Any]) -> str:
    m = r.get("metrics") or {}
    if r["name"] == "indicators_recompute" and "group_ratio" in m:
        return f"{r['ratio']:.2f} ({float(m['group_ratio']):.2f} vs GROUP BYs)"
    if "p99_ms" in m:
        return f"{r['ratio']:.2f} (p99 {float(m['p99_ms']):.0f} ms)"
    if "p95_ms" in m:
        return f"{r['ratio']:.2f} (p95 {float(m['p95_ms']):.0f} ms)"
    if "recall" in m:
        return f"R {float(m['recall']):.3f} P {float(m['precision']):.3f}"
    return f"{r['ratio']:.2f}"


def verdict_rows(results: list[dict[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    """(benchmark, scale, figure, target, verdict) for each result, in the file's order."""
    rows = []
    for r in results:
        target = TARGETS.get(r["name"])
        if target is None:
            rows.append((r["name"], r["scale"], _figure(r), "—", "no target"))
            continue
        met = target.met(r)
        verdict = "n/a (figure missing)" if met is None else ("met" if met else "MISSED")
        rows.append((r["name"], r["scale"], _figure(r), target.text, verdict))
    return rows


def print_verdict(path: Path) -> None:
    results = json.loads(path.read_text())
    rows = verdict_rows(results)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(HEADERS)] if rows else []
    print(f"verdict ({path.name}):")
    if not rows:
        print("  no results")
        return
    line = "  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


HEADERS = ("benchmark", "scale", "ratio", "target", "verdict")
