"""Migration scripts, one revision each."""
