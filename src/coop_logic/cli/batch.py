"""`coop-logic batch` (JSON lines in, one verdict per line out) and `coop-logic map` (the
overall verdict for every ordered pair of States, as CSV, JSON and a heatmap).

Registered on the `coop-logic` group by the last lines of `cli.py`. Exit codes as for the
other commands: 0 done (for `batch`, also when some lines were bad: each is reported in
its output line and counted in the summary); 2 bad input (an unreadable input file, a bad
option, an image format asked without matplotlib), with nothing on stdout; 1 an internal
error (for `batch`: also when a line met a solver or internal error). A progress bar is
shown on stderr when it is a terminal; the summary table always goes to stderr.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from coop_logic.errors import InputError


def _stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def spec_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--parties", "parties", multiple=True, type=click.Path(),
                        help="Party-data file correcting or adding to the bundled data "
                             "(repeatable).")(func)
    return click.option("--spec", "specs", multiple=True, type=click.Path(),
                        help="Extra spec file or folder, e.g. a bilateral MLAT (repeatable).")(func)


def _jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--jobs", "-j", "jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes (default: the number of cores); 1 works in "
                             "this process.")(func)


@contextmanager
def _progress(total: int | None, unit: str) -> Iterator[Callable[[int, int], None] | None]:
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
    with Progress(*columns, console=_stderr_console(), transient=False) as bar:
        task = bar.add_task("evaluating", total=total, items=0, rate="")
        count = 0

        def advance(work: int, items: int) -> None:
            nonlocal count
            count += items
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{count / elapsed:,.0f} {unit}/s" if elapsed > 0 else ""
            bar.update(task, advance=work, items=f"{count:,}", rate=rate)

        yield advance


def _summary_table(title: str, rows: list[tuple[str, str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("")
    table.add_column("count", justify="right")
    for label, value, style in rows:
        table.add_row(Text(label, style=style), value)
    return table


# -- batch ------------------------------------------------------------------------------------


@click.command("batch")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@_jobs_option
@click.option("--closed-world", is_flag=True, help="Read every absent fact as false.")
@click.option("--traces", is_flag=True,
              help="Include each verdict's proof trace (slower; verdicts only by default).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the verdicts to this file instead of standard output.")
@spec_options
def batch_command(file: str, jobs: int | None, closed_world: bool, traces: bool,
                  output: str | None, specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """Evaluate every request of FILE (JSON lines, one request object per line; - for
    stdin) and print one JSON line per request, in order: the verdict of `check --json`
    with "line": n, or {"line": n, "error": ...} for a bad line."""
    from coop_logic.cli.shell import EXIT_INTERNAL, EXIT_OK, STYLES, guarded
    from coop_logic.practice.batch import BatchOptions, run_batch

    def run() -> int:
        stream, size, name = _open_input(file)
        try:
            out = _open_output(output, file)
            try:
                with _progress(size, "requests") as progress:
                    summary = run_batch(
                        stream, out, source=name, jobs=jobs, progress=progress,
                        options=BatchOptions(closed_world=closed_world, traces=traces,
                                             specs=specs, parties=parties))
            except BrokenPipeError:  # e.g. `coop-logic batch in.jsonl | head`: stop quietly
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                return EXIT_INTERNAL
            finally:
                out.close()
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
        rows = [(s, f"{n:,}", STYLES.get(f"status.{s}", ""))
                for s, n in sorted(summary.statuses.items(), key=lambda kv: _rank(kv[0]))]
        for kind, n in sorted(summary.errors.items()):
            rows.append((f"error ({kind})" if kind != "input" else "error (bad line)", f"{n:,}",
                         "bold red"))
        rows.append(("lines", f"{summary.lines:,}", "bold"))
        console = _stderr_console()
        console.print(_summary_table("batch summary", rows))
        console.print(f"{summary.lines:,} requests in {summary.seconds:.2f} s with "
                      f"{summary.jobs} job{'s' if summary.jobs > 1 else ''}: "
                      f"{summary.throughput:,.0f} req/s")
        return EXIT_INTERNAL if summary.errors.keys() - {"input"} else EXIT_OK

    guarded(run, budget=False)


def _rank(status: str) -> int:
    from coop_logic.practice.batch import SUMMARY_STATUSES

    return SUMMARY_STATUSES.index(status) if status in SUMMARY_STATUSES else len(SUMMARY_STATUSES)


def _open_input(file: str) -> tuple[IO[bytes], int | None, str]:
    if file == "-":
        return sys.stdin.buffer, None, "<stdin>"
    path = Path(file)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=file) from None
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):  # a FIFO streams, as stdin does
        raise InputError("is not a regular file or a FIFO (a device or socket)", file=file,
                         expected="a file of JSON lines, or - for standard input")
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the caller
        size = os.fstat(stream.fileno()).st_size
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=file) from None
    return stream, size if stat.S_ISREG(mode) else None, file


class _Output:
    """The verdicts' stream: a write that fails (a full disk, /dev/full) is reported as an
    error naming the output, not as an internal error."""

    def __init__(self, stream: IO[str], name: str) -> None:
        self.stream = stream
        self.name = name

    def _failed(self, exc: OSError) -> InputError:
        return InputError(f"cannot write the verdicts: {exc.strerror or exc}", file=self.name,
                          field="--output", expected="a writable file with room")

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None

    def close(self) -> None:
        if self.stream is sys.stdout:
            self.flush()
            return
        try:
            self.stream.close()
        except OSError as exc:
            raise self._failed(exc) from None


def _open_output(output: str | None, file: str) -> _Output:
    if output is None:
        return _Output(sys.stdout, "<stdout>")
    if file != "-" and Path(output).exists() and Path(file).exists() and (
            os.path.samefile(output, file)):
        raise InputError("is the input file", field="--output",
                         expected="another file (the input would be overwritten)")
    try:
        return _Output(open(output, "w", encoding="utf-8", newline="\n"), output)
    except OSError as exc:
        raise InputError(f"cannot write the file: {exc.strerror}", file=output,
                         field="--output") from None


# -- map --------------------------------------------------------------------------------------


@click.command("map")
@click.option("--measure", "measure", required=True, help="The measure (an id of the contract).")
@click.option("--states", "states", default=None,
              help="Comma-separated State codes (FR,US,...), or 'un' for the 193 UN Member "
                   "States (default: every State named in the party data).")
@click.option("--date", "date", default=None, help="Date for party data (default: today).")
@click.option("--offence-category", "category", default=None,
              help="The offence category (an id of the contract); unknown by default.")
@click.option("--closed-world", is_flag=True, help="Read every absent fact as false.")
@click.option("--output", "-o", "prefix", default=None,
              help="Prefix of the files written: PREFIX.csv, PREFIX.json, PREFIX.html, "
                   "PREFIX.png, PREFIX.svg (default: coop-map-MEASURE).")
@click.option("--format", "formats", default=None,
              help="Comma-separated formats among csv,json,html,png,svg (default: "
                   "csv,json,png; csv,json without matplotlib). html: a self-contained page "
                   "with a tooltip per cell.")
@_jobs_option
@spec_options
def map_command(measure: str, states: str | None, date: str | None, category: str | None,
                closed_world: bool, prefix: str | None, formats: str | None, jobs: int | None,
                specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """The overall verdict for every ordered pair of States for one measure, written as
    CSV and JSON and drawn as a heatmap with the States ordered by treaty bloc."""
    from coop_logic.cli.shell import EXIT_OK, STYLES, guarded
    from coop_logic.practice import cooperation_map as cm

    def run() -> int:
        cm.check_measure(measure)
        cm.check_category(category)
        when = cm.check_date(date)
        wanted = cm.check_formats(formats or "csv,json,png")
        images = [f for f in wanted if f in cm.IMAGE_FORMATS]
        console = _stderr_console()
        if images and not cm.have_matplotlib():
            if formats is not None:
                raise InputError(
                    f"{'/'.join(images)} needs matplotlib, which is not installed",
                    field="--format",
                    expected="pip install 'coop-logic[map]', or --format csv,json")
            wanted = tuple(f for f in wanted if f not in cm.IMAGE_FORMATS)
            console.print("note: matplotlib is not installed, so no image is drawn "
                          "(pip install 'coop-logic[map]')")
        base = prefix or f"coop-map-{measure}"
        paths = {f: Path(f"{base}.{f}") for f in wanted}
        parent = Path(base).parent
        if not parent.is_dir():
            raise InputError("names a folder that does not exist", file=str(parent),
                             field="--output", expected="an existing folder")
        chosen = cm.select_states(states, specs, parties)
        pairs = len(chosen) * (len(chosen) - 1)
        with _progress(pairs, "pairs") as progress:
            cmap = cm.build_map(measure, chosen, date=when, category=category,
                                closed_world=closed_world, jobs=jobs, specs=specs,
                                parties=parties,
                                progress=(lambda n: progress(n, n)) if progress else None)
        if "csv" in paths:
            cm.write_csv(cmap, paths["csv"])
        if "json" in paths:
            cm.write_json(cmap, paths["json"])
        if "html" in paths:
            cm.write_html(cmap, paths["html"])
        drawn = [paths[f] for f in wanted if f in cm.IMAGE_FORMATS]
        if drawn:
            cm.draw(cmap, drawn)
        for path in paths.values():
            click.echo(str(path))
        counts = cmap.counts()
        rows = [(s, f"{n:,}", STYLES.get(f"status.{s}", ""))
                for s, n in sorted(counts.items(), key=lambda kv: _rank(kv[0]))]
        rows.append(("pairs", f"{len(cmap.cells):,}", "bold"))
        console.print(_summary_table(f"map summary: {measure}", rows))
        rate = len(cmap.cells) / cmap.seconds if cmap.seconds else 0.0
        console.print(f"{len(chosen)} States, {len(cmap.cells):,} pairs in {cmap.seconds:.2f} s "
                      f"with {cmap.jobs} job{'s' if cmap.jobs > 1 else ''}: {rate:,.0f} pairs/s")
        return EXIT_OK

    guarded(run, budget=False)
