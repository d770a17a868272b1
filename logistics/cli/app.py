"""The ``logistics`` command: every command group mounted on one app.

Commands of other packages join through the ``logistics.commands`` entry-point group
(``pyproject.toml``): the HTTP API adds ``serve`` and the benchmarks add ``bench``, so
this package never imports them.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from logistics.cli import network, purchase_year, report, resilience, scenarios, study

PLUGIN_GROUP = "logistics.commands"

app = typer.Typer(help="Plan municipal goods deliveries: direct vs consolidated, emissions, "
                       "cost and supply security.", no_args_is_help=True)
for command in (scenarios.demo, scenarios.run, scenarios.compare, scenarios.validate,
                scenarios.schema, resilience.resilience):
    app.command()(command)
app.command()(report.report)
app.add_typer(network.network_app, name="network")
app.add_typer(study.study_app, name="study")
app.add_typer(purchase_year.purchases_app, name="purchases")
for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
    plugin = entry.load()
    if isinstance(plugin, typer.Typer):
        app.add_typer(plugin, name=entry.name)
    else:
        app.command(name=entry.name)(plugin)
