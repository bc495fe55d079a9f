"""``python -m bench --scale tiny|small|province [--only NAME]`` → bench/results/latest.json and a table."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from bench.core import SCALES, print_table, run_isolated, write_results
from bench.verdict import print_verdict

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--scale", choices=sorted(SCALES), default=os.environ.get("BENCH_SCALE", "small"))
    parser.add_argument("--only", action="append")
    parser.add_argument("--verdict", nargs="?", const=str(RESULTS), metavar="FILE",
                        help="print the verdict table of a results file (default: the latest) and stop")  # fmt: skip
    args = parser.parse_args()
    if args.verdict:
        print_verdict(Path(args.verdict))
        return 0
    if not os.environ.get("DATABASE_URL"):
        print("bench: DATABASE_URL is not set; run through scripts/with-postgres.sh (make bench does)", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    subprocess.run([sys.executable, "-m", "jineng", "migrate", "--noinput", "-v0"], check=True, cwd=ROOT)
    subprocess.run(
        # Regions, levels, certificate kinds and occupations: what the synthetic province (bench/workloads.py) needs.
        [sys.executable, "-m", "jineng", "refdata", "load"]
        + [arg for part in ("regions", "levels", "certificate_kinds", "occupations") for arg in ("--only", part)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    import django

    django.setup()
    from bench import suites  # noqa: F401
    from bench.core import REGISTRY

    names = args.only or list(REGISTRY)
    results = []
    for name in names:
        print(f"running {name} at {args.scale} …", flush=True)
        results.append(run_isolated(name, args.scale))
        # Written after each benchmark, so a long run that fails late keeps what it measured.
        write_results(results, RESULTS)
        print_table(results[-1:])
        print(flush=True)
    print()
    print_table(results)
    print()
    print_verdict(RESULTS)  # read back from the file, as it was written
    return 0


if __name__ == "__main__":
    sys.exit(main())
