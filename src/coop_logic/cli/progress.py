"""What the verbs over many requests (batch, map) share: the worker count option, the
progress bar and the summary table on stderr, and the order statuses are counted in."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--jobs", "-j", "jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes (default: the number of cores); 1 works in "
                             "this process.")(func)


@contextmanager
def progress_bar(total: int | None, unit: str) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr, or nothing when stderr is not a terminal. The
    callback takes (work done, items done): bytes and lines, or pairs and pairs."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[Any] = [TextColumn("[bold]{task.description}"), BarColumn()]
    if total is not None:
        columns.append(TaskProgressColumn())
    columns += [TextColumn("{task.fields[items]} " + unit), TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn()]
    if total is not None:
        columns.append(TimeRemainingColumn())
    with Progress(*columns, console=stderr_console(), transient=False) as bar:
        task = bar.add_task("evaluating", total=total, items=0, rate="")
        count = 0

        def advance(work: int, items: int) -> None:
            nonlocal count
            count += items
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{count / elapsed:,.0f} {unit}/s" if elapsed > 0 else ""
            bar.update(task, advance=work, items=f"{count:,}", rate=rate)

        yield advance


def summary_table(title: str, rows: list[tuple[str, str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("")
    table.add_column("count", justify="right")
    for label, value, style in rows:
        table.add_row(Text(label, style=style), value)
    return table


def status_rank(status: str) -> int:
    from coop_logic.practice.batch import SUMMARY_STATUSES

    return SUMMARY_STATUSES.index(status) if status in SUMMARY_STATUSES else len(SUMMARY_STATUSES)


