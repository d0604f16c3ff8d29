"""`coop-logic memo`: one page an adviser can file about a request.

For REQUEST_FILE: the question in words, the short answer per instrument that applies, what
to ask the requesting State, how to send the request (channels, contents, time limits and
the practitioner networks that serve it), caveats, sources and the instruments that do not
apply (`memo.memo`), as plain text (80 columns), Markdown or one self-contained HTML page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_OK, emit, guarded

if TYPE_CHECKING:
    import datetime as dt

EXAMPLES = """\b
Examples:
  coop-logic memo request.yaml
  coop-logic memo request.yaml --format html -o memo.html
  coop-logic memo request.yaml --format md --fact essential_interests=false
"""


@click.command("memo", epilog=EXAMPLES)
@click.argument("request_file", type=click.Path(allow_dash=True))
@options.output_format("text", "md", "html")
@options.instruments
@options.one_request
@options.networks
def command(request_file: str, fmt: str, instruments: tuple[str, ...], closed_world: bool,
            facts: dict[str, bool] | None, date: dt.date | None, output: str | None,
            specs: tuple[str, ...], parties: tuple[str, ...],
            networks: tuple[str, ...]) -> None:
    """One page an adviser can file about REQUEST_FILE: question, short answer, what to ask,
    how to send it, caveats, sources (text of 80 columns, md, or html that prints on A4)."""
    from coop_logic.engine.knowledge_base import load
    from coop_logic.practice.memo import memo

    def run() -> int:
        kb = load(extra_specs=specs, parties=parties, networks=networks)
        options.check_instruments(kb, instruments)
        request = options.read_request(request_file, facts, date)
        m = memo(kb, request, closed_world=closed_world, instruments=instruments or None)
        emit({"text": m.to_text, "md": m.to_markdown, "html": m.to_html}[fmt](), output)
        return EXIT_OK

    guarded(run)
