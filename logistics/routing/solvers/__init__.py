"""Solver adapters: OR-Tools and PyVRP, each the only module importing its library."""
