"""HTTP API for planners: validate scenarios, run them, read and compare results.

``api`` imports ``logistics``; ``logistics`` never imports ``api``.
"""
