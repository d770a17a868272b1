"""``python -m logistics`` runs the command line."""

from logistics.cli.app import app

app()
