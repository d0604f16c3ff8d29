"""`coop-logic export-smt2`: an instrument's compiled constraints as SMT-LIB 2.

Registered on the `coop-logic` group by the last lines of `cli.py`. Exit codes as for the
other commands: 0 done, 2 bad input (an unknown instrument, with a did-you-mean; an
unwritable output file), 1 an internal error.
"""

from __future__ import annotations

from pathlib import Path

import click

from coop_logic.errors import InputError


@click.command("export-smt2")
@click.argument("instrument")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the SMT-LIB text to FILE instead of standard output.")
@click.option("--spec", "specs", multiple=True, type=click.Path(),
              help="Extra spec file or folder, e.g. a bilateral MLAT (repeatable).")
@click.option("--parties", "parties", multiple=True, type=click.Path(),
              help="Party-data file correcting or adding to the bundled data (repeatable).")
def export_smt2_command(instrument: str, output: str | None, specs: tuple[str, ...],
                        parties: tuple[str, ...]) -> None:
    """The compiled constraints of INSTRUMENT (its input constraints and the definitions
    of its statuses and grounds) as an SMT-LIB 2 script, for another solver or a reader."""
    from coop_logic.analysis.smt2 import export_smt2
    from coop_logic.cli.shell import EXIT_OK, guarded
    from coop_logic.engine.knowledge_base import load

    def run() -> int:
        kb = load(extra_specs=specs, parties=parties)
        text = export_smt2(kb, instrument)
        if output is None:
            click.echo(text, nl=False)
            return EXIT_OK
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write the file: {exc.strerror or exc}", file=output,
                             field="--output", expected="a writable file path") from None
        click.echo(f"wrote {output} ({len(text.splitlines())} lines)", err=True)
        return EXIT_OK

    guarded(run)
