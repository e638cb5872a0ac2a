"""Benchmarks: `python -m bench [NAME...] [--json]` (or `make bench`).

Every `bench/<name>_bench.py` module with a `run() -> dict[str, float | str]` is found by
name and run in turn; add a file to add a benchmark. Speed is measured here, never in
timed tests.
"""
