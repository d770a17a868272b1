"""Analyses over results: scenario comparison and supply security (resilience)."""
