"""`coop-logic diff OLD NEW`: what changed between two versions of the law or the data.

OLD and NEW are spec folders, spec files or party files (a party file is merged State by
State onto the bundled data, as `--parties` does). The text report gives the summary
first (one line per instrument for its rules, one per instrument and State whose party
data changed a verdict), then the witness requests grouped by instrument, State and
direction, at most `--limit` per group. The JSON report carries every change.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING

import click

from coop_logic.cli import options
from coop_logic.cli.progress import progress_bar
from coop_logic.cli.shell import EXIT_FAILED, EXIT_OK, emit, guarded
from coop_logic.cli.terminal import show

if TYPE_CHECKING:
    import datetime as dt

    from coop_logic.analysis.diff import Change, Summary

EXAMPLES = """\b
Examples:
  coop-logic diff specs/ my_specs/
  coop-logic diff specs/parties/budapest.yaml corrected_budapest.yaml
  coop-logic diff specs/parties/budapest.yaml corrected_budapest.yaml --limit 0 --json
  coop-logic diff specs/ my_specs/ --fail-on-change
  coop-logic diff old/ new/ --instrument untoc --measure extradition --date 2026-06-01
"""

LONG_RUN = 40  # comparisons given to the solver from which a progress bar is shown
DEFAULT_LIMIT = 3
WITNESS_KINDS = (("stricter_witness", "requests that gain under NEW"),
                 ("laxer_witness", "requests that lose under NEW"))


@click.command("diff", epilog=EXAMPLES)
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@options.output_format("text", "json")
@options.instruments
@click.option("--measure", "measures", multiple=True, help="Compare only this measure.")
@options.date("Date for party data (default: today).")
@click.option("--limit", metavar="N", default=str(DEFAULT_LIMIT), show_default=True,
              callback=lambda ctx, param, value: parse_limit(value),
              help="Witness requests shown per group in the text report (0: all). The "
                   "JSON report always carries every change.")
@click.option("--fail-on-change", is_flag=True,
              help="Exit 3 when a verdict changes (the report is given as usual).")
@options.output
def command(old: str, new: str, fmt: str, instruments: tuple[str, ...],
            measures: tuple[str, ...], date: dt.date | None, limit: int,
            fail_on_change: bool, output: str | None) -> None:
    """Whether NEW (spec folder, spec file or party file) is stricter, laxer, equivalent or
    incomparable to OLD: a summary per instrument (and per State for party data), then
    witness requests grouped by instrument, State and direction."""

    def run() -> int:
        from coop_logic.analysis.diff import Differ, load_sides, summarize
        from coop_logic.errors import RequestError
        from coop_logic.vocabulary import MEASURES

        for m in measures:
            if m not in MEASURES:
                raise RequestError(f"unknown measure '{m}'", field="--measure",
                                   expected="a measure id of the contract")
        differ = Differ(*load_sides([old], [new]), date)
        chosen = instruments or None
        wanted = measures or MEASURES
        work = differ.work(chosen, wanted)
        bar = progress_bar(work, "comparisons") if work >= LONG_RUN else (
            contextlib.nullcontext(None))
        with bar as advance:
            rules = differ.rules(chosen, wanted, advance)
            party = differ.party_data(chosen, wanted, advance)
        changes = rules + party
        changed = [c for c in changes if c.direction != "equivalent"]
        summary = summarize(rules) + summarize(party)
        code = EXIT_FAILED if fail_on_change and changed else EXIT_OK
        if fmt == "json":
            emit(json.dumps({"changes": [c.to_dict() for c in changed],
                             "compared": len(changes),
                             "summary": [s.to_dict() for s in summary]}, indent=2), output)
            return code
        lines = report_lines(changed, summary, len(changes), differ.date.isoformat(), limit)
        show(lines, output)
        return code

    guarded(run)


def parse_limit(text: str) -> int:
    """A count of witnesses, 0 for all; else an InputError naming --limit."""
    from coop_logic.errors import InputError

    if not text.strip().isdigit():
        raise InputError(f"'{text}' is not a count", field="--limit",
                         expected="a whole number of witnesses per group, 0 for all")
    return int(text)


def report_lines(changed: list[Change], summary: list[Summary], compared: int, date: str,
                 limit: int) -> list[tuple[str, str]]:
    """The text report as (style, line) pairs: headline, summary, grouped witnesses."""
    rules = [s for s in summary if s.state is None]
    party = [s for s in summary if s.state is not None]
    lines = [("bold", headline(rules, party, compared, date)), ("bold", "rules:")]
    width = max((len(s.instrument) for s in summary), default=0)
    for s in rules:
        lines.append((_style(s.direction),
                      f"  {s.instrument:<{width}}  {s.direction:<12}  {_counts(s)}"))
    if party:
        lines.append(("bold", f"party data on {date}:"))
        for s in party:
            lines.append((_style(s.direction), f"  {s.instrument:<{width}}  {s.state:<3} "
                                               f"{s.direction:<12}  {_counts(s)}"))
    else:
        lines.append(("bold", f"party data on {date}: no verdict changes"))
    groups = witness_groups(changed)
    if groups:
        bound = "all witness requests" if limit == 0 else (
            f"at most {limit} per group; --limit 0 shows all")
        lines += [("", ""), ("bold", f"witnesses ({bound}):")]
    for (instrument, state, role, label), items in groups.items():
        whose = f", party data of {state} as {role} State" if state else ""
        lines.append(("bold", f"{instrument}{whose}: {label} ({len(items)})"))
        shown = items if limit == 0 else items[:limit]
        for change, witness in shown:
            lines.append(("", f"  {change.measure}: " + json.dumps(witness, ensure_ascii=False)))
        if len(items) > len(shown):
            lines.append(("dim", f"  ... and {len(items) - len(shown)} more"))
    return lines


def headline(rules: list[Summary], party: list[Summary], compared: int, date: str) -> str:
    changed_rules = [s for s in rules if s.direction != "equivalent"]
    states = sorted({s.state for s in party if s.state})
    if not changed_rules and not states:
        return f"equivalent: {compared} instrument-measure pairs compared"
    parts = []
    if changed_rules:
        parts.append(f"the rules of {_count(len(changed_rules), 'instrument')}")
    if states:
        parts.append(f"the party data of {_count(len(states), 'State')} on {date}")
    return f"changed: {' and '.join(parts)} ({compared} instrument-measure pairs compared)"


def witness_groups(changed: list[Change]) -> dict[tuple[str, str | None, str | None, str],
                                                  list[tuple[Change, dict]]]:
    """The witnesses by instrument, State and role (None for the rules) and direction,
    rules first."""
    groups: dict[tuple[str, str | None, str | None, str], list[tuple[Change, dict]]] = {}
    for change in sorted(changed, key=lambda c: c.state is not None):
        for field, label in WITNESS_KINDS:
            witness = getattr(change, field)
            if witness:
                groups.setdefault((change.instrument, change.state, change.role, label),
                                  []).append(
                    (change, witness))
    return groups


def _counts(s: Summary) -> str:
    return ", ".join(f"{n} {direction}" for direction, n in s.counts.items())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _style(direction: str) -> str:
    return "dim" if direction == "equivalent" else ""
