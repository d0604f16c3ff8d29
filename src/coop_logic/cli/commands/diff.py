"""`coop-logic diff OLD NEW`: what changed between two versions of the law or the data.

OLD and NEW are spec folders, spec files or party files (a party file is merged State by
State onto the bundled data, as `--parties` does). Per instrument and measure: stricter,
laxer, equivalent or incomparable, with a witness request each way.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click
from rich.text import Text

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_OK, emit, guarded, make_console

if TYPE_CHECKING:
    import datetime as dt

EXAMPLES = """\b
Examples:
  coop-logic diff specs/ my_specs/
  coop-logic diff specs/parties/budapest.yaml corrected_budapest.yaml --json
  coop-logic diff old/ new/ --instrument untoc --measure extradition --date 2026-06-01
"""


@click.command("diff", epilog=EXAMPLES)
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@options.output_format("text", "json")
@options.instruments
@click.option("--measure", "measures", multiple=True, help="Compare only this measure.")
@options.date("Date for party data (default: today).")
@options.output
def command(old: str, new: str, fmt: str, instruments: tuple[str, ...],
            measures: tuple[str, ...], date: dt.date | None, output: str | None) -> None:
    """Whether NEW (spec folder, spec file or party file) is stricter, laxer, equivalent or
    incomparable to OLD, per instrument and measure, with a witness request each way."""

    def run() -> int:
        from coop_logic.analysis.diff import Differ, load_side
        from coop_logic.errors import RequestError
        from coop_logic.vocabulary import MEASURES

        for m in measures:
            if m not in MEASURES:
                raise RequestError(f"unknown measure '{m}'", field="--measure",
                                   expected="a measure id of the contract")
        differ = Differ(load_side([old]), load_side([new]), date)
        chosen = instruments or None
        changes = differ.rules(chosen, measures or MEASURES)
        changes += differ.party_data(chosen, measures or MEASURES)
        changed = [c for c in changes if c.direction != "equivalent"]
        if fmt == "json":
            emit(json.dumps({"changes": [c.to_dict() for c in changed],
                             "compared": len(changes)}, indent=2), output)
            return EXIT_OK
        lines: list[tuple[str, str]] = []
        if not changed:
            lines.append(("", f"equivalent: {len(changes)} instrument-measure pairs compared"))
        for c in changed:
            who = f" (party data of {c.state} as {c.role} State)" if c.state else ""
            lines.append(("bold", f"{c.instrument} {c.measure}: {c.direction}{who}"))
            for label, witness in (("gains", c.stricter_witness), ("loses", c.laxer_witness)):
                if witness:
                    lines.append(("", f"  a request that {label} under NEW: "
                                      + json.dumps(witness, ensure_ascii=False)))
        if output is not None:
            emit("\n".join(text for _, text in lines), output)
        else:
            console = make_console()
            for style, text in lines:
                console.print(Text(text, style=style))
        return EXIT_OK

    guarded(run)
