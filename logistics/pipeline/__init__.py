"""Running scenarios end to end: one scenario, or many sharing their solved problems."""
