"""The `coop-logic` command: a thin shell over the public API.

Layout (as pip's): `commands/` holds one module per verb and the verb table, `options.py`
the options verbs share (each declared and validated once), `shell.py` the exit codes,
the one mapping from errors to exit codes and the output, `terminal.py` the text for
people, `progress.py` what batch and map share. `coop-logic --help` imports no verb and no
solver.

Exit codes (contract section 2): 0 a verdict (or report) was printed; 2 bad input, with
one message on stderr naming the file, the field and what was expected, and nothing on
stdout; 1 an internal error (the solver's `unknown` included); 3 a check failed (`verify`,
`test`, a verdict named by `--fail-on`, a change under `diff --fail-on-change`). No
traceback reaches the user unless COOP_LOGIC_DEBUG is set.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from typing import Any

import click

from coop_logic.cli.commands import VERBS
from coop_logic.cli.shell import report, show_warning
from coop_logic.errors import InputError


class VerbGroup(click.Group):
    """The verbs of VERBS, each imported when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(VERBS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        verb = VERBS.get(cmd_name)
        if verb is None:
            return None
        module = importlib.import_module(f"coop_logic.cli.commands.{verb.module}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, verb.summary) for name, verb in VERBS.items()])

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in VERBS and not args[0].startswith("-"):
            from coop_logic.errors import did_you_mean

            ctx.fail(f"no such command '{args[0]}'{did_you_mean(args[0], VERBS)}")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        # a bad option value (options.py) is reported as every input error is
        try:
            return super().invoke(ctx)
        except InputError as exc:
            sys.exit(report(exc))


@click.group(cls=VerbGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Run 'coop-logic VERB --help' for a verb's options and examples. Shell "
                    "completion: docs/cli.md.")
@click.version_option(package_name="coop-logic")
def main() -> None:
    """Whether a State must assist another against cybercrime, and why (z3-backed)."""
    from coop_logic.engine.budget import stop_solver_on_interrupt  # z3 once a verb runs

    warnings.showwarning = show_warning
    stop_solver_on_interrupt()
