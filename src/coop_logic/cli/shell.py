"""The shell every verb shares: exit codes, styles, the console, the error-to-exit-code
mapping, the shared spec options and loading; it imports no verb."""


from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from coop_logic.errors import InputError, SolverError

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_FAILED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)

STYLES = {
    "title": "bold", "overall": "bold", "note": "dim", "cite": "", "source": "dim cyan",
    "fact": "", "warn": "yellow", "text": "", "blank": "",
    "status.mandatory": "bold green", "status.refusable": "bold yellow",
    "status.discretionary": "bold blue", "status.not_applicable": "dim",
    "status.undetermined": "bold magenta",
}


def guarded(action: Callable[[], int], *, budget: bool = True) -> None:
    """Run a command body, turning every failure into a message and an exit code. With
    `budget`, the command's solver work stops after the solver budget (budget.py); a
    command over many requests (batch, map) gives each request its own budget instead."""
    try:
        from coop_logic.engine.budget import solver_budget  # z3 only once a verb runs

        with solver_budget() if budget else contextlib.nullcontext():
            code = action()
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        code = EXIT_INPUT
    except SolverError as exc:
        click.echo(f"solver error: {exc}", err=True)
        code = EXIT_INTERNAL
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        code = EXIT_INTERRUPTED
    except OSError as exc:  # e.g. the output device is full
        if os.environ.get("COOP_LOGIC_DEBUG"):
            raise
        name = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {name}{exc.strerror or exc} (reading or writing a file)", err=True)
        code = EXIT_INTERNAL
    except Exception as exc:
        if os.environ.get("COOP_LOGIC_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        code = EXIT_INTERNAL
    sys.exit(code)


def spec_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--parties", "parties", multiple=True, type=click.Path(),
                        help="Party-data file correcting or adding to the bundled data "
                             "(repeatable).")(func)
    func = click.option("--spec", "specs", multiple=True, type=click.Path(),
                        help="Extra spec file or folder, e.g. a bilateral MLAT (repeatable).")(
        func)
    return func


def networks_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--networks", "networks", multiple=True, type=click.Path(),
                        help="Network-membership file merged State by State onto the bundled "
                             "data (repeatable; docs/networks.md).")(func)


def load_kb(specs: tuple[str, ...], parties: tuple[str, ...]) -> KnowledgeBase:
    from coop_logic.engine.knowledge_base import load

    return load(extra_specs=specs, parties=parties)


def make_console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def show_warning(message: Warning | str, category: type[Warning], filename: str,
                  lineno: int, file: Any = None, line: str | None = None) -> None:
    """Warnings (a deprecated fact id, ...) as one line on stderr, without Python's frame."""
    click.echo(f"warning: {message}", err=True)


