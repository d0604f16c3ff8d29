"""`coop-logic export-smt2`: an instrument's compiled constraints as SMT-LIB 2.

"""

from __future__ import annotations

import click

from coop_logic.cli import options

EXAMPLES = """\b
Examples:
  coop-logic export-smt2 budapest -o budapest.smt2
  coop-logic export-smt2 my_mlat --spec my_mlat.yaml
"""


@click.command("export-smt2", epilog=EXAMPLES)
@click.argument("instrument")
@options.output
@options.spec_files
def command(instrument: str, output: str | None, specs: tuple[str, ...],
            parties: tuple[str, ...]) -> None:
    """The compiled constraints of INSTRUMENT (its input constraints and the definitions
    of its statuses and grounds) as an SMT-LIB 2 script, for another solver or a reader."""
    from coop_logic.analysis.smt2 import export_smt2
    from coop_logic.cli.shell import EXIT_OK, emit, guarded
    from coop_logic.engine.knowledge_base import load

    def run() -> int:
        kb = load(extra_specs=specs, parties=parties)
        text = export_smt2(kb, instrument)
        emit(text, output)
        if output is not None:
            click.echo(f"wrote {output} ({len(text.splitlines())} lines)", err=True)
        return EXIT_OK

    guarded(run)
