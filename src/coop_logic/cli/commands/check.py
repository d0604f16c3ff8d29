"""`coop-logic check REQUEST_FILE`: the verdict of every instrument on one request.

The contract's verb (section 2): `--json` (or `--format json`) prints the contract's JSON
object; text is a table for people; md and html are the verdict page with its proof
traces (as `explain`). `-` reads the request from standard input. `--fail-on STATUS,...`
turns a verdict into an exit code for scripts and CI (3, as a failed `verify`), as
`opa eval --fail` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_FAILED, EXIT_OK, STYLES, emit, guarded, load_kb, make_console

if TYPE_CHECKING:
    import datetime as dt

    from coop_logic.engine.knowledge_base import KnowledgeBase
    from coop_logic.model.result import Result

EXAMPLES = """\b
Examples:
  coop-logic check request.yaml
  coop-logic check request.yaml --json --closed-world
  coop-logic check request.yaml --fact political_offence=true --date 2026-06-01
  cat request.json | coop-logic check - --fail-on refusable,undetermined
"""


@click.command("check", epilog=EXAMPLES)
@click.argument("request_file", type=click.Path(allow_dash=True))
@options.output_format("text", "json", "md", "html")
@options.instruments
@options.one_request
@options.fail_on
@options.hide_not_applicable
def command(request_file: str, fmt: str, instruments: tuple[str, ...], closed_world: bool,
            facts: dict[str, bool] | None, date: dt.date | None,
            fail_on: frozenset[str] | None, hide: bool, output: str | None,
            specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """Verdict of every instrument on REQUEST_FILE (- for standard input)."""

    def run() -> int:
        kb = load_kb(specs, parties)
        result = evaluate(kb, request_file, instruments, closed_world, facts, date)
        if fmt == "json":
            emit(result.to_json(), output)
        elif fmt in ("md", "html"):
            from coop_logic.explain.markup import to_html, to_markdown

            render = to_markdown if fmt == "md" else to_html
            emit(render(result, hide_not_applicable=hide), output)
        elif output is None and make_console().is_terminal:
            make_console().print(*_table(result, hide), sep="\n")
        else:
            emit(_table_text(result, hide), output)
        return failed(result, None, fail_on)

    guarded(run)


def evaluate(kb: KnowledgeBase, request_file: str, instruments: tuple[str, ...],
             closed_world: bool, facts: dict[str, bool] | None,
             date: dt.date | None) -> Result:
    """The request of REQUEST_FILE (with --fact and --date) evaluated on `kb`."""
    options.check_instruments(kb, instruments)
    request = options.read_request(request_file, facts, date)
    return kb.evaluate(request, closed_world=closed_world, instruments=instruments or None)


def failed(result: Result, instrument: str | None, fail_on: frozenset[str] | None) -> int:
    """EXIT_FAILED when the verdict --fail-on names was given, else EXIT_OK."""
    status = (result.verdicts[instrument].status if instrument else result.overall.status)
    if fail_on and status in fail_on:
        click.echo(f"--fail-on: the verdict{f' of {instrument}' if instrument else ''} is "
                   f"{status}", err=True)
        return EXIT_FAILED
    return EXIT_OK


def _table(result: Result, hide: bool) -> list[Text | Table]:
    req = result.request
    ov = result.overall
    head = Text(f"{req.requesting_state} -> {req.requested_state}: {req.measure} "
                f"({req.date.isoformat()})")
    overall = Text(f"overall: {ov.status}" + (f" (basis: {', '.join(ov.basis)})"
                                               if ov.basis else ""),
                   style=STYLES.get(f"status.{ov.status}", "bold"))
    shown = {i: v for i, v in result.verdicts.items()
             if not (hide and v.status == "not_applicable")}
    rows = [(inst, v.status if v.determined else f"{v.status} ({' | '.join(v.possible)})",
             ", ".join(v.grounds), ", ".join(v.depends_on), v.status)
            for inst, v in shown.items()]
    table = Table(show_edge=False, pad_edge=False)
    for n, column in enumerate(("instrument", "status", "grounds", "depends on")):
        # no id is cut: a column is at least as wide as its longest id
        longest = max((len(word) for row in rows for word in row[n].split()), default=0)
        table.add_column(column, min_width=min(longest, 40), overflow="fold")
    for inst, status, grounds, depends, plain in rows:
        table.add_row(inst, Text(status, style=STYLES.get(f"status.{plain}", "")),
                      grounds, depends)
    hidden = [i for i in result.verdicts if i not in shown]
    tail = (Text(f"not applicable (hidden): {', '.join(hidden)}", style="dim"),) if hidden \
        else ()
    return [head, overall, table, *tail]


def _table_text(result: Result, hide: bool) -> str:
    import io

    from rich.console import Console

    sink = io.StringIO()
    Console(file=sink, width=make_console().width, no_color=True, highlight=False).print(
        *_table(result, hide), sep="\n")
    return "\n".join(line.rstrip() for line in sink.getvalue().splitlines()) + "\n"
