"""The shell every verb shares: exit codes, styles, the console, the one mapping from
errors to exit codes, writing the output, and loading; it imports no verb. The options
verbs share are in `options.py`, terminal printing in `terminal.py`."""


from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
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
    except (Exception, KeyboardInterrupt) as exc:
        code = report(exc)
    sys.exit(code)


def report(exc: BaseException) -> int:
    """The message on stderr and the exit code for an exception a verb raised (the one
    mapping from errors to exit codes, also used for bad option values)."""
    if isinstance(exc, InputError):
        click.echo(f"error: {exc}", err=True)
        return EXIT_INPUT
    if isinstance(exc, SolverError):
        click.echo(f"solver error: {exc}", err=True)
        return EXIT_INTERNAL
    if isinstance(exc, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    if os.environ.get("COOP_LOGIC_DEBUG"):
        raise exc
    if isinstance(exc, OSError):  # e.g. the output device is full
        name = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {name}{exc.strerror or exc} (reading or writing a file)", err=True)
        return EXIT_INTERNAL
    click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
    return EXIT_INTERNAL


def emit(text: str, output: str | None = None) -> None:
    """Print `text` whole, or write it to the file `output` (`-o`): written only once it is
    complete, so a failure leaves no partial file."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n") and bool(text))
        return
    path = Path(output)
    if path.is_dir():
        raise InputError("is a folder", file=output, field="--output", expected="a file path")
    if not path.parent.is_dir():
        raise InputError("names a folder that does not exist", file=str(path.parent),
                          field="--output", expected="a file in an existing folder")
    try:
        path.write_text(text if text.endswith("\n") or not text else text + "\n",
                        encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror or exc}", file=output,
                          field="--output", expected="a writable file path") from None


def load_kb(specs: tuple[str, ...], parties: tuple[str, ...]) -> KnowledgeBase:
    from coop_logic.engine.knowledge_base import load

    return load(extra_specs=specs, parties=parties)


def make_console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def show_warning(message: Warning | str, category: type[Warning], filename: str,
                  lineno: int, file: Any = None, line: str | None = None) -> None:
    """Warnings (a deprecated fact id, ...) as one line on stderr, without Python's frame."""
    click.echo(f"warning: {message}", err=True)


