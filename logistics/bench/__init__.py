"""Benchmarks of the routing adapter against published best-known solutions."""
