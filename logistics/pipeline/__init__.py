"""Running scenarios end to end: ``scenario_check`` (everything a scenario names, before solving),
``run`` (one scenario), ``result`` (what a run returns and writes), ``batch`` (many
scenarios sharing their solved problems)."""
