"""`coop-logic plan`: the best legal basis for a request, and the request checklist.

For REQUEST_FILE, the instruments that can carry the request, best first (those that
certainly apply, then strongest status, then fewest refusal grounds available, then
fastest channel; `plan.plan`), each
with the channels to use, the contents the request must carry and the time limits, every
item cited, and the practitioner networks both States belong to that serve it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_OK, emit, guarded
from coop_logic.cli.terminal import Line, show

if TYPE_CHECKING:
    import datetime as dt

EXAMPLES = """\b
Examples:
  coop-logic plan request.yaml
  coop-logic plan request.yaml --closed-world --json -o plan.json
  coop-logic plan request.yaml --instrument budapest --instrument untoc
"""


@click.command("plan", epilog=EXAMPLES)
@click.argument("request_file", type=click.Path(allow_dash=True))
@options.output_format("text", "json", "html")
@options.instruments
@options.one_request
@options.networks
def command(request_file: str, fmt: str, instruments: tuple[str, ...], closed_world: bool,
            facts: dict[str, bool] | None, date: dt.date | None, output: str | None,
            specs: tuple[str, ...], parties: tuple[str, ...],
            networks: tuple[str, ...]) -> None:
    """The best legal basis for REQUEST_FILE and its alternatives, each with the channels,
    the contents checklist and the time limits of the instrument, cited."""
    from coop_logic.engine.knowledge_base import load
    from coop_logic.practice.plan import plan

    def run() -> int:
        kb = load(extra_specs=specs, parties=parties, networks=networks)
        options.check_instruments(kb, instruments)
        request = options.read_request(request_file, facts, date)
        result = plan(kb, request, closed_world=closed_world, instruments=instruments or None)
        if fmt == "json":
            emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), output)
        elif fmt == "html":
            from coop_logic.explain.markup import html_page

            emit(html_page(f"Plan: {_title(request)}", result._repr_html_()), output)
        else:
            show(_plan_lines(result), output)
        return EXIT_OK

    guarded(run)


# -- for people -----------------------------------------------------------------------------


def _plan_lines(p: Any) -> list[Line]:
    req = p.request
    lines: list[Line] = [
        ("title", f"{req.requesting_state} -> {req.requested_state}: {req.measure} "
                  f"({req.date.isoformat()})"),
    ]
    if not p.options:
        lines.append(("text", "No instrument can carry this request."))
    for option in p.options:
        lines.append(("blank", ""))
        lines.extend(_option_lines(option, best=option.rank == 1))
    if p.not_applicable:
        lines.append(("blank", ""))
        lines.append(("note", "Not applicable: " + ", ".join(p.not_applicable)))
    if p.networks:
        lines.append(("blank", ""))
        lines.append(("text", "Networks both States belong to that serve this request:"))
        for net in p.networks:
            lines.append(("fact", f"  - {net.name} ({net.id}){net_note(net)}"))
    lines.append(("note", "Ranked: bases that certainly apply first, then by status, then "
                          "fewest refusal grounds, then fastest channel. Decision support from "
                          "encoded treaty law, not legal advice."))
    return lines


def _title(request: Any) -> str:
    return (f"{request.requesting_state} asks {request.requested_state} for "
            f"{request.measure.replace('_', ' ')} ({request.date.isoformat()})")


def net_note(net: Any) -> str:
    """What a network match rests on, when not on a complete dated list."""
    if net.completeness != "complete":
        return f"  [membership data partial, as of {net.as_of}]"
    return ""


def _mark(verified: bool) -> str:
    return "" if verified else "  [not checked against an official text]"


def _when(holds: bool | None, when: str = "") -> str:
    if holds is None:
        return f"  (if {when})" if when else "  (depending on unknown facts)"
    return ""


def _option_lines(o: Any, *, best: bool) -> list[Line]:
    label = "Best basis" if best else f"Alternative {o.rank - 1}"
    status = o.status if not o.undetermined else f"undetermined ({' | '.join(o.possible)})"
    lines = [(f"status.{o.status}", f"{label}: {o.title} ({o.instrument}): {status}"),
             ("text" if o.certainly_applies else "warn", f"  ranked here: {o.why}")]
    if o.depends_on:
        lines.append(("warn", "  depends on: " + ", ".join(o.depends_on)))
    if o.grounds:
        shown = []
        for g in o.grounds:
            tag = {True: "established", False: "not established", None: "unknown"}[g.established]
            shown.append(f"{g.id} ({tag}{'' if g.certain else ', may be available'})")
        lines.append(("text", "  refusal grounds available: " + "; ".join(shown)))
    elif o.ranked_as != "discretionary":
        lines.append(("text", "  refusal grounds available: none"))
    if not o.has_procedure:
        lines.append(("note", "  (no procedure encoded for this instrument)"))
        return lines
    if o.note:
        lines.append(("note", f"  {o.note}"))
    lines.append(("text", "  Channels:" if o.channels else "  Channels: none named for this "
                                                          "measure"))
    for c in sorted(o.channels, key=lambda c: c.speed):
        lines.append(("fact", f"    - {c.id} (speed {c.speed}){_when(c.holds, c.when)}"))
        lines.append(("cite", f"      {c.cite}: {c.summary}{_mark(c.text_verified)}"))
    if o.contents:
        lines.append(("text", "  The request must carry:"))
        for item in o.contents:
            lines.append(("fact", f"    [ ] {item.text}{_when(item.holds)}"))
            lines.append(("cite", f"        {item.cite}{_mark(item.text_verified)}"))
    if o.time_limits:
        lines.append(("text", "  Time limits:"))
        for t in o.time_limits:
            amount = f"{t.days} days" if t.days is not None else f"{t.hours} hours"
            lines.append(("fact", f"    - {amount} ({t.kind.replace('_', ' ')}){_when(t.holds)}: "
                                  f"{t.summary}"))
            lines.append(("cite", f"      {t.cite}{_mark(t.text_verified)}"))
    return lines
