"""`coop-logic schema request|spec|parties`: print a JSON Schema of an input format.

The schemas are those of `coop_logic.spec.schemas` (generated from the vocabulary and the
readers' key lists, shipped in the package). Point an editor at them for completion and
checking while writing a spec or a request.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coop_logic.spec.schemas import NAMES, generate, render, shipped_path


@click.command("schema")
@click.argument("name", type=click.Choice(NAMES))
@click.option("--path", "show_path", is_flag=True,
              help="Print the path of the schema file shipped in the package instead.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the schema to this file instead of stdout.")
def schema_command(name: str, show_path: bool, output: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of NAME files: request, spec or parties."""
    if show_path:
        click.echo(str(shipped_path(name)))
        return
    text = render(generate()[name])
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, "utf-8")
    except OSError as exc:
        click.echo(f"error: {output}: cannot write the file: {exc.strerror}", err=True)
        sys.exit(2)
