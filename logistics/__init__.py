"""Planning tool for municipal goods deliveries: direct vs consolidated routing,
emissions, cost and supply security."""

__version__ = "0.1.0"
