"""`coop-logic memo`: one page an adviser can file about a request.

For REQUEST_FILE: the question in words, the short answer per instrument that applies, what
to ask the requesting State, how to send the request (channels, contents, time limits and
the practitioner networks that serve it), caveats, sources and the instruments that do not
apply (`memo.memo`), as plain text (80 columns), Markdown or one self-contained HTML page.
Registered on the `coop-logic` group by the last lines of `cli.py`. Exit codes as for the
other commands: 0 a memo was written, 2 bad input (nothing on stdout), 1 an internal error
(the solver's `unknown` included).
"""

from __future__ import annotations

from pathlib import Path

import click

from coop_logic.cli.shell import networks_option, spec_options


@click.command("memo")
@click.argument("request_file", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text",
              show_default=True,
              help="text (80 columns), md for Markdown, html for one self-contained page that "
                   "prints on A4.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the memo to this file instead of standard output.")
@click.option("--closed-world", is_flag=True, help="Read every absent fact as false.")
@click.option("--instrument", "instruments", multiple=True,
              help="Consider only this instrument (repeatable); comity is always considered.")
@spec_options
@networks_option
def memo_command(request_file: str, fmt: str, output: str | None, closed_world: bool,
                 instruments: tuple[str, ...], specs: tuple[str, ...],
                 parties: tuple[str, ...], networks: tuple[str, ...]) -> None:
    """One page an adviser can file about REQUEST_FILE: question, short answer, what to ask,
    how to send it, caveats, sources."""
    from coop_logic.cli.shell import EXIT_OK, guarded
    from coop_logic.engine.knowledge_base import load
    from coop_logic.errors import RequestError, did_you_mean
    from coop_logic.model.request import Request
    from coop_logic.practice.memo import memo

    def run() -> int:
        request = Request.from_file(request_file)
        kb = load(extra_specs=specs, parties=parties, networks=networks)
        for inst in instruments:
            if inst not in kb.instruments:
                raise RequestError(
                    f"unknown instrument '{inst}'{did_you_mean(inst, kb.instruments)}",
                    field="--instrument", expected="one of " + ", ".join(kb.instruments))
        m = memo(kb, request, closed_world=closed_world, instruments=instruments or None)
        text = {"text": m.to_text, "md": m.to_markdown, "html": m.to_html}[fmt]()
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
        return EXIT_OK

    guarded(run)
