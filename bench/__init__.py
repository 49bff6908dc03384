"""Benchmarks: instance generator and side-by-side matching runs (see bench/README.md)."""
