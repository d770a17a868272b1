"""What every command-line module shares: the consoles and the input-error guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from rich.console import Console

from logistics.errors import InputError, LogisticsError

T = TypeVar("T")

console = Console(stderr=True, soft_wrap=True)
"""Diagnostics and progress (standard error)."""
out = Console() if Console().is_terminal else Console(width=160)
"""Results (standard output); wide when piped so tables stay readable in files."""


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; input problems exit with code 2 and every problem listed,
    never a traceback."""
    try:
        return action()
    except InputError as error:
        console.print(f"[bold red]error:[/] {len(error.problems)} input problem(s):")
        for problem in error.problems:
            console.print(f"  - {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except LogisticsError as error:
        console.print(f"[bold red]error:[/] {error}", markup=False, highlight=False)
        raise typer.Exit(2) from None
