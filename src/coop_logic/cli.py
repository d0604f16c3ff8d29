"""The `coop-logic` command: a thin shell over the public API.

Exit codes (contract section 2): 0 a verdict (or report) was printed; 2 bad input, with
one message on stderr naming the file, the field and what was expected, and nothing on
stdout; 1 an internal error (the solver's `unknown` included); 3 `verify` found a
failing check. No traceback reaches the user unless COOP_LOGIC_DEBUG is set.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .budget import solver_budget, stop_solver_on_interrupt
from .errors import InputError, RequestError, SolverError, did_you_mean
from .explain import explanation_lines, unless_all
from .kb import KnowledgeBase, load
from .request import Request
from .result import Result

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_FAILED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)

_STYLES = {
    "title": "bold", "overall": "bold", "note": "dim", "cite": "", "source": "dim cyan",
    "fact": "", "warn": "yellow", "text": "", "blank": "",
    "status.mandatory": "bold green", "status.refusable": "bold yellow",
    "status.discretionary": "bold blue", "status.not_applicable": "dim",
    "status.undetermined": "bold magenta",
}


def _guarded(action: Callable[[], int], *, budget: bool = True) -> None:
    """Run a command body, turning every failure into a message and an exit code. With
    `budget`, the command's solver work stops after the solver budget (budget.py); a
    command over many requests (batch, map) gives each request its own budget instead."""
    try:
        with solver_budget() if budget else contextlib.nullcontext():
            code = action()
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        code = EXIT_INPUT
    except SolverError as exc:
        click.echo(f"solver error: {exc}", err=True)
        code = EXIT_INTERNAL
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        code = EXIT_INTERRUPTED
    except OSError as exc:  # e.g. the output device is full
        if os.environ.get("COOP_LOGIC_DEBUG"):
            raise
        name = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"error: {name}{exc.strerror or exc} (reading or writing a file)", err=True)
        code = EXIT_INTERNAL
    except Exception as exc:
        if os.environ.get("COOP_LOGIC_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        code = EXIT_INTERNAL
    sys.exit(code)


def _spec_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--parties", "parties", multiple=True, type=click.Path(),
                        help="Party-data file correcting or adding to the bundled data "
                             "(repeatable).")(func)
    func = click.option("--spec", "specs", multiple=True, type=click.Path(),
                        help="Extra spec file or folder, e.g. a bilateral MLAT (repeatable).")(
        func)
    return func


def _load(specs: tuple[str, ...], parties: tuple[str, ...]) -> KnowledgeBase:
    return load(extra_specs=specs, parties=parties)


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coop-logic")
def main() -> None:
    """Whether a State must assist another against cybercrime, and why (z3-backed)."""
    warnings.showwarning = _show_warning
    stop_solver_on_interrupt()


def _show_warning(message: Warning | str, category: type[Warning], filename: str,
                  lineno: int, file: Any = None, line: str | None = None) -> None:
    """Warnings (a deprecated fact id, ...) as one line on stderr, without Python's frame."""
    click.echo(f"warning: {message}", err=True)


@main.command()
@click.argument("request_file", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the contract's JSON object.")
@click.option("--instrument", "instruments", multiple=True,
              help="Consider only this instrument (repeatable); comity is always considered.")
@click.option("--closed-world", is_flag=True, help="Read every absent fact as false.")
@_spec_options
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

    _guarded(run)


@main.command()
@click.argument("request_file", type=click.Path())
@click.option("--instrument", "instrument", default=None,
              help="Explain only this instrument's verdict.")
@click.option("--closed-world", is_flag=True, help="Read every absent fact as false.")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text",
              show_default=True,
              help="text for the terminal, md for Markdown, html for one self-contained page.")
@_spec_options
def explain(request_file: str, instrument: str | None, closed_world: bool, fmt: str,
            specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """The proof trace of each verdict on REQUEST_FILE, for people."""

    def run() -> int:
        wanted = (instrument,) if instrument else ()
        kb = _load(specs, parties)
        result = _evaluate(request_file, wanted, closed_world, specs, parties, kb)
        if fmt != "text":
            from .render import to_html, to_markdown

            render = to_markdown if fmt == "md" else to_html
            click.echo(render(result, instrument), nl=False)
            return EXIT_OK
        lines = explanation_lines(result, instrument,
                                  unless_found=unless_all(kb, result, instrument))
        console = _console()
        if console.is_terminal:
            for style, text in lines:
                console.print(Text(text, style=_STYLES.get(style, "")))
        else:
            click.echo("\n".join(text for _, text in lines))
        return EXIT_OK

    _guarded(run)


@main.command()
@click.argument("spec_dirs", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@click.option("--parties", "parties", multiple=True, type=click.Path(),
              help="Party-data file correcting or adding to the loaded data (repeatable).")
def verify(spec_dirs: tuple[str, ...], as_json: bool, parties: tuple[str, ...]) -> None:
    """Formal checks of the specs (the bundled ones, or SPEC_DIRS): conflicts, dead
    rules, unreachable grounds, each failure with a counterexample request."""

    def run() -> int:
        from .verify import Verifier

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

    _guarded(run)


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

        from .diff import Differ, load_side
        from .errors import RequestError
        from .vocabulary import MEASURES

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
        console = _console()
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

    _guarded(run)


def _evaluate(request_file: str, instruments: tuple[str, ...], closed_world: bool,
              specs: tuple[str, ...], parties: tuple[str, ...],
              kb: KnowledgeBase | None = None) -> Result:
    request = Request.from_file(request_file)
    kb = kb or _load(specs, parties)
    for inst in instruments:
        if inst not in kb.instruments:
            raise RequestError(f"unknown instrument '{inst}'{did_you_mean(inst, kb.instruments)}",
                               field="--instrument", expected="one of " + ", ".join(kb.instruments))
    return kb.evaluate(request, closed_world=closed_world, instruments=instruments or None)


def _print_table(result: Result) -> None:
    console = _console()
    req = result.request
    ov = result.overall
    console.print(f"{req.requesting_state} -> {req.requested_state}: {req.measure} "
                  f"({req.date.isoformat()})")
    console.print(Text(f"overall: {ov.status}" + (f" (basis: {', '.join(ov.basis)})"
                                                   if ov.basis else ""),
                       style=_STYLES.get(f"status.{ov.status}", "bold")))
    table = Table(show_edge=False, pad_edge=False)
    for column in ("instrument", "status", "grounds", "depends on"):
        table.add_column(column, overflow="fold")
    for inst, v in result.verdicts.items():
        status = v.status if v.determined else f"{v.status} ({' | '.join(v.possible)})"
        table.add_row(inst, Text(status, style=_STYLES.get(f"status.{v.status}", "")),
                      ", ".join(v.grounds), ", ".join(v.depends_on))
    console.print(table)


def _print_findings(findings: list) -> None:
    import yaml

    console = _console()
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

from .cli_schema import schema_command  # noqa: E402

main.add_command(schema_command)

from .cli_export import export_smt2_command  # noqa: E402

main.add_command(export_smt2_command)

from .cli_practice import ask_command, whatif_command  # noqa: E402

main.add_command(ask_command)
main.add_command(whatif_command)

from .cli_batch import batch_command, map_command  # noqa: E402

main.add_command(batch_command)
main.add_command(map_command)

from .cli_test import test_command  # noqa: E402

main.add_command(test_command)

from .cli_plan import plan_command  # noqa: E402

main.add_command(plan_command)

from .cli_doc import doc_command  # noqa: E402

main.add_command(doc_command)

from .cli_memo import memo_command  # noqa: E402

main.add_command(memo_command)
