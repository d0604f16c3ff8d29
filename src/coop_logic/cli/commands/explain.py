"""`coop-logic explain REQUEST_FILE`: the proof trace of each verdict, for people.

text (the terminal, wrapped with hanging indents), md, html (one self-contained page) or
json (the contract's object, traces included). `--instrument` explains one verdict; on
an undetermined one, an "in short" line says what it is unless which facts hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from coop_logic.cli import options
from coop_logic.cli.commands.check import evaluate, failed
from coop_logic.cli.shell import emit, guarded, load_kb
from coop_logic.cli.terminal import show

if TYPE_CHECKING:
    import datetime as dt

EXAMPLES = """\b
Examples:
  coop-logic explain request.yaml
  coop-logic explain request.yaml --instrument budapest --hide-not-applicable
  coop-logic explain request.yaml --format html -o answer.html
  coop-logic explain request.yaml --fact essential_interests=true --format md
"""


@click.command("explain", epilog=EXAMPLES)
@click.argument("request_file", type=click.Path(allow_dash=True))
@options.output_format("text", "json", "md", "html")
@options.instrument("Explain only this instrument's verdict.")
@options.one_request
@options.fail_on
@options.hide_not_applicable
def command(request_file: str, fmt: str, instrument: str | None, closed_world: bool,
            facts: dict[str, bool] | None, date: dt.date | None,
            fail_on: frozenset[str] | None, hide: bool, output: str | None,
            specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """The proof trace of each verdict on REQUEST_FILE (- for standard input), for people."""

    def run() -> int:
        from coop_logic.explain.text import explanation_lines, unless_all

        kb = load_kb(specs, parties)
        wanted = (instrument,) if instrument else ()
        result = evaluate(kb, request_file, wanted, closed_world, facts, date)
        if fmt == "json":
            emit(result.to_json(), output)
        elif fmt in ("md", "html"):
            from coop_logic.explain.markup import to_html, to_markdown

            render = to_markdown if fmt == "md" else to_html
            emit(render(result, instrument, hide_not_applicable=hide), output)
        else:
            show(explanation_lines(result, instrument,
                                   unless_found=unless_all(kb, result, instrument),
                                   hide_not_applicable=hide), output)
        return failed(result, instrument, fail_on)

    guarded(run)
