"""Supply security: how each delivery design holds up when something breaks."""
