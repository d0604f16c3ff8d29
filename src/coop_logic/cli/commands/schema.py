"""`coop-logic schema request|spec|parties`: print a JSON Schema of an input format.

The schemas are those of `coop_logic.spec.schemas` (generated from the vocabulary and the
readers' key lists, shipped in the package). Point an editor at them for completion and
checking while writing a spec or a request.
"""

from __future__ import annotations

import click

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_OK, emit, guarded
from coop_logic.spec.schemas import NAMES, generate, render, shipped_path

EXAMPLES = """\b
Examples:
  coop-logic schema request -o request.schema.json
  coop-logic schema spec --path
"""


@click.command("schema", epilog=EXAMPLES)
@click.argument("name", type=click.Choice(NAMES))
@click.option("--path", "show_path", is_flag=True,
              help="Print the path of the schema file shipped in the package instead.")
@options.output
def command(name: str, show_path: bool, output: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of NAME files: request, spec or parties."""

    def run() -> int:
        if show_path:
            emit(str(shipped_path(name)), output)
        else:
            emit(render(generate()[name]), output)
        return EXIT_OK

    guarded(run, budget=False)
