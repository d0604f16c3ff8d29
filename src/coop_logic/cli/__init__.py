"""The `coop-logic` command: a thin shell over the public API.

Exit codes (contract section 2): 0 a verdict (or report) was printed; 2 bad input, with
one message on stderr naming the file, the field and what was expected, and nothing on
stdout; 1 an internal error (the solver's `unknown` included); 3 `verify` found a
failing check. No traceback reaches the user unless COOP_LOGIC_DEBUG is set.
"""

from __future__ import annotations

import json
import warnings
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from coop_logic.cli.shell import (
    EXIT_FAILED,
    EXIT_OK,
    STYLES,
    guarded,
    load_kb,
    make_console,
    show_warning,
    spec_options,
)
from coop_logic.errors import RequestError, did_you_mean
from coop_logic.explain.text import explanation_lines, unless_all
from coop_logic.model.request import Request
from coop_logic.model.result import Result

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coop-logic")
def main() -> None:
    """Whether a State must assist another against cybercrime, and why (z3-backed)."""
    from coop_logic.engine.budget import stop_solver_on_interrupt  # z3 once a verb runs

    warnings.showwarning = show_warning
    stop_solver_on_interrupt()


@main.command()
@click.argument("request_file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the contract's JSON object.")
@click.option("--instrument", "instruments", multiple=True,
              help="Consider only this instrument (repeatable); comity is always considered.")
@click.option("--closed-world", is_flag=True, help="Read every absent fact as false.")
@spec_options
def check(request_file: str, as_json: bool, instruments: tuple[str, ...], closed_world: bool,
          specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """Verdict of every instrument on REQUEST_FILE."""

    def run() -> int:
        result = _evaluate(request_file, instruments, closed_world, specs, parties)
        if as_json:
            click.echo(result.to_json())
        else:
            _print_table(result)
        return EXIT_OK

    guarded(run)


@main.command()
@click.argument("request_file", type=click.Path())
@click.option("--instrument", "instrument", default=None,
              help="Explain only this instrument's verdict.")
@click.option("--closed-world", is_flag=True, help="Read every absent fact as false.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text",
              show_default=True,
              help="text for the terminal, md for Markdown, html for one self-contained page.")
@spec_options
def explain(request_file: str, instrument: str | None, closed_world: bool, fmt: str,
            specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """The proof trace of each verdict on REQUEST_FILE, for people."""

    def run() -> int:
        wanted = (instrument,) if instrument else ()
        kb = load_kb(specs, parties)
        result = _evaluate(request_file, wanted, closed_world, specs, parties, kb)
        if fmt != "text":
            from coop_logic.explain.markup import to_html, to_markdown

            render = to_markdown if fmt == "md" else to_html
            click.echo(render(result, instrument), nl=False)
            return EXIT_OK
        lines = explanation_lines(result, instrument,
                                  unless_found=unless_all(kb, result, instrument))
        console = make_console()
        if console.is_terminal:
            for style, text in lines:
                console.print(Text(text, style=STYLES.get(style, "")))
        else:
            click.echo("\n".join(text for _, text in lines))
        return EXIT_OK

    guarded(run)


@main.command()
@click.argument("spec_dirs", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@click.option("--parties", "parties", multiple=True, type=click.Path(),
              help="Party-data file correcting or adding to the loaded data (repeatable).")
def verify(spec_dirs: tuple[str, ...], as_json: bool, parties: tuple[str, ...]) -> None:
    """Formal checks of the specs (the bundled ones, or SPEC_DIRS): conflicts, dead
    rules, unreachable grounds, each failure with a counterexample request."""

    def run() -> int:
        from coop_logic.analysis.verify import Verifier
        from coop_logic.engine.knowledge_base import load

        kb = load(parties=parties, spec_dirs=spec_dirs or None)
        findings = Verifier(kb.compiled).run()
        failed = [f for f in findings if not f.ok]
        if as_json:
            click.echo(json.dumps({
                "checks": len(findings), "passed": len(findings) - len(failed),
                "failed": len(failed), "findings": [f.to_dict() for f in findings],
            }, indent=2))
        else:
            _print_findings(findings)
        return EXIT_FAILED if failed else EXIT_OK

    guarded(run)


@main.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@click.option("--instrument", "instruments", multiple=True, help="Compare only this instrument.")
@click.option("--measure", "measures", multiple=True, help="Compare only this measure.")
@click.option("--date", "date", default=None, help="Date for party data (default: today).")
def diff(old: str, new: str, as_json: bool, instruments: tuple[str, ...],
         measures: tuple[str, ...], date: str | None) -> None:
    """Whether NEW (spec folder, spec file or party file) is stricter, laxer, equivalent or
    incomparable to OLD, per instrument and measure, with a witness request each way."""

    def run() -> int:
        import datetime as dt

        from coop_logic.analysis.diff import Differ, load_side
        from coop_logic.errors import RequestError
        from coop_logic.vocabulary import MEASURES

        for m in measures:
            if m not in MEASURES:
                raise RequestError(f"unknown measure '{m}'", field="--measure",
                                   expected="a measure id of the contract")
        try:
            when = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise RequestError(f"'{date}' is not a date", field="--date",
                               expected="an ISO date YYYY-MM-DD") from None
        differ = Differ(load_side([old]), load_side([new]), when)
        chosen = instruments or None
        changes = differ.rules(chosen, measures or MEASURES)
        changes += differ.party_data(chosen, measures or MEASURES)
        changed = [c for c in changes if c.direction != "equivalent"]
        if as_json:
            click.echo(json.dumps({"changes": [c.to_dict() for c in changed],
                                   "compared": len(changes)}, indent=2))
            return EXIT_OK
        console = make_console()
        if not changed:
            console.print(f"equivalent: {len(changes)} instrument-measure pairs compared")
        for c in changed:
            who = f" (party data of {c.state} as {c.role} State)" if c.state else ""
            console.print(Text(f"{c.instrument} {c.measure}: {c.direction}{who}", style="bold"))
            for label, witness in (("gains", c.stricter_witness), ("loses", c.laxer_witness)):
                if witness:
                    console.print(f"  a request that {label} under NEW: "
                                  + json.dumps(witness, ensure_ascii=False))
        return EXIT_OK

    guarded(run)


def _evaluate(request_file: str, instruments: tuple[str, ...], closed_world: bool,
              specs: tuple[str, ...], parties: tuple[str, ...],
              kb: KnowledgeBase | None = None) -> Result:
    request = Request.from_file(request_file)
    kb = kb or load_kb(specs, parties)
    for inst in instruments:
        if inst not in kb.instruments:
            raise RequestError(f"unknown instrument '{inst}'{did_you_mean(inst, kb.instruments)}",
                               field="--instrument", expected="one of " + ", ".join(kb.instruments))
    return kb.evaluate(request, closed_world=closed_world, instruments=instruments or None)


def _print_table(result: Result) -> None:
    console = make_console()
    req = result.request
    ov = result.overall
    console.print(f"{req.requesting_state} -> {req.requested_state}: {req.measure} "
                  f"({req.date.isoformat()})")
    console.print(Text(f"overall: {ov.status}" + (f" (basis: {', '.join(ov.basis)})"
                                                   if ov.basis else ""),
                       style=STYLES.get(f"status.{ov.status}", "bold")))
    table = Table(show_edge=False, pad_edge=False)
    for column in ("instrument", "status", "grounds", "depends on"):
        table.add_column(column, overflow="fold")
    for inst, v in result.verdicts.items():
        status = v.status if v.determined else f"{v.status} ({' | '.join(v.possible)})"
        table.add_row(inst, Text(status, style=STYLES.get(f"status.{v.status}", "")),
                      ", ".join(v.grounds), ", ".join(v.depends_on))
    console.print(table)


def _print_findings(findings: list) -> None:
    import yaml

    console = make_console()
    by_check: dict[str, list] = {}
    for f in findings:
        by_check.setdefault(f.check, []).append(f)
    for f in findings:
        if f.ok:
            continue
        console.print(Text(f"FAIL {f.instrument} {f.check} {f.subject}: {f.message}",
                           style="bold red"))
        if f.counterexample:
            console.print("  counterexample request:")
            text = yaml.safe_dump(f.counterexample, sort_keys=False)
            for line in text.splitlines():
                console.print("    " + line)
    for check_name, items in by_check.items():
        bad = sum(not f.ok for f in items)
        console.print(f"{check_name}: {len(items) - bad} passed, {bad} failed")
    failed = sum(not f.ok for f in findings)
    console.print(f"{len(findings) - failed} passed, {failed} failed")

from coop_logic.cli.schema import schema_command  # noqa: E402

main.add_command(schema_command)

from coop_logic.cli.export import export_smt2_command  # noqa: E402

main.add_command(export_smt2_command)

from coop_logic.cli.practice import ask_command, whatif_command  # noqa: E402

main.add_command(ask_command)
main.add_command(whatif_command)

from coop_logic.cli.batch import batch_command, map_command  # noqa: E402

main.add_command(batch_command)
main.add_command(map_command)

from coop_logic.cli.test import test_command  # noqa: E402

main.add_command(test_command)

from coop_logic.cli.plan import plan_command  # noqa: E402

main.add_command(plan_command)

from coop_logic.cli.doc import doc_command  # noqa: E402

main.add_command(doc_command)

from coop_logic.cli.memo import memo_command  # noqa: E402

main.add_command(memo_command)
