"""Speed and quality benchmarks, and the ``logistics bench`` command."""
