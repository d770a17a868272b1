"""Supply security: how each delivery design holds up when something breaks."""

from typing import Literal

Designs = Literal["both", "own"]
"""Which designs a resilience study plans: the scenario's own and its twin with the other
design, or the own design alone (about a fifth of the searches for a consolidated Bergen
scenario, whose direct twin has a routing problem per supplier and day)."""
