"""Scenario files: the format, disruption specs, ``extends`` merging and validated
variants."""
