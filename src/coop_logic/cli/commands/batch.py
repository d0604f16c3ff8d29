"""`coop-logic batch FILE`: JSON lines in, one verdict per line out, in order.

Exit codes as for the other commands: 0 done (for `batch`, also when some lines were bad: each is reported in
its output line and counted in the summary); 2 bad input (an unreadable input file, a bad
option, an image format asked without Pillow), with nothing on stdout; 1 an internal
error (for `batch`: also when a line met a solver or internal error). A progress bar is
shown on stderr when it is a terminal; the summary table always goes to stderr.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import IO

import click

from coop_logic.cli import options
from coop_logic.cli.progress import (
    jobs_option,
    progress_bar,
    status_rank,
    stderr_console,
    summary_table,
)
from coop_logic.errors import InputError

EXAMPLES = """\b
Examples:
  coop-logic batch requests.jsonl -o verdicts.jsonl
  cat requests.jsonl | coop-logic batch - --closed-world --jobs 2
  coop-logic batch requests.jsonl --traces | jq .overall.status
"""


# -- batch ------------------------------------------------------------------------------------


@click.command("batch", epilog=EXAMPLES)
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@jobs_option
@options.closed_world
@click.option("--traces", is_flag=True,
              help="Include each verdict's proof trace (slower; verdicts only by default).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the verdicts to this file instead of standard output.")
@options.spec_files
def command(file: str, jobs: int | None, closed_world: bool, traces: bool,
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
                with progress_bar(size, "requests") as progress:
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
                for s, n in sorted(summary.statuses.items(), key=lambda kv: status_rank(kv[0]))]
        for kind, n in sorted(summary.errors.items()):
            rows.append((f"error ({kind})" if kind != "input" else "error (bad line)", f"{n:,}",
                         "bold red"))
        rows.append(("lines", f"{summary.lines:,}", "bold"))
        console = stderr_console()
        console.print(summary_table("batch summary", rows))
        console.print(f"{summary.lines:,} requests in {summary.seconds:.2f} s with "
                      f"{summary.jobs} job{'s' if summary.jobs > 1 else ''}: "
                      f"{summary.throughput:,.0f} req/s")
        return EXIT_INTERNAL if summary.errors.keys() - {"input"} else EXIT_OK

    guarded(run, budget=False)


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
