"""Accounting of solved routes: energy, emissions (ISO 14083), costs and KPIs."""
