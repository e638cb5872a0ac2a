"""Run every `bench/*_bench.py` module (or the ones named) and print a table or JSON.

python -m bench                 # all benchmarks
python -m bench articles        # just bench/articles_bench.py
python -m bench --json          # machine-readable results
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

Result = dict[str, float | str]
SUFFIX = "_bench"


def discover() -> list[str]:
    """Short names of every benchmark module (`articles` for `articles_bench.py`), sorted."""
    folder = Path(__file__).parent
    names = (m.name for m in pkgutil.iter_modules([str(folder)]))
    return sorted(n.removesuffix(SUFFIX) for n in names if n.endswith(SUFFIX))


def run_one(name: str) -> Result:
    """Import `bench.<name>_bench` and call its `run()`."""
    module = importlib.import_module(f"bench.{name}{SUFFIX}")
    result = module.run()
    return {str(k): v if isinstance(v, str) else float(v) for k, v in result.items()}


def format_value(value: float | str) -> str:
    """Readable numbers: thousands separators, at most three decimals."""
    if isinstance(value, str):
        return value
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.1f}"


def print_table(results: dict[str, Result], out: TextIO | None = None) -> None:
    """One section per benchmark, metric names left, values right-aligned."""
    out = out or sys.stdout
    for name, result in results.items():
        width = max((len(k) for k in result), default=0)
        print(f"\n== {name} ==", file=out)
        for key, value in result.items():
            print(f"  {key:<{width}}  {format_value(value):>16}", file=out)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default all: {discover()})")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks; exit 1 if any failed, 2 for an unknown name."""
    args = _parse(argv)
    available = discover()
    wanted = [n.removesuffix(SUFFIX) for n in args.names] or available
    unknown = [n for n in wanted if n not in available]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {available}", file=sys.stderr
        )
        return 2
    results: dict[str, Result] = {}
    failed = False
    for name in wanted:
        started = time.perf_counter()
        print(f"running {name}…", file=sys.stderr, flush=True)
        try:
            results[name] = run_one(name)
        except Exception:  # noqa: BLE001 - report it, run the other benchmarks
            traceback.print_exc()
            results[name] = {"error": "failed (traceback above)"}
            failed = True
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print_table(results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
