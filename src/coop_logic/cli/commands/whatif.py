"""`coop-logic whatif REQUEST_FILE --target STATUS`: what would change the verdict.

The fewest changes to the facts, the date or the instrument that give the target status,
each with its trace, and why the verdict is not the target now (`practice.whatif.what_if`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from coop_logic.cli import options
from coop_logic.cli.commands.ask import heading
from coop_logic.cli.shell import EXIT_OK, emit, guarded, load_kb
from coop_logic.cli.terminal import Line, show

if TYPE_CHECKING:
    import datetime as dt

EXAMPLES = """\b
Examples:
  coop-logic whatif request.yaml --target mandatory
  coop-logic whatif request.yaml --target not_applicable --instrument budapest --json
  coop-logic whatif request.yaml --target refusable --fact no_dual_criminality=false
"""


@click.command("whatif", epilog=EXAMPLES)
@click.argument("request_file", type=click.Path(allow_dash=True))
@click.option("--target", "target", required=True,
              help="The status wanted: mandatory, refusable, discretionary (or, with "
                   "--instrument, not_applicable).")
@options.output_format("text", "json", "html")
@options.instrument("The verdict of this instrument (default: the overall verdict).")
@options.one_request
def command(request_file: str, target: str, fmt: str, instrument: str | None,
            closed_world: bool, facts: dict[str, bool] | None, date: dt.date | None,
            output: str | None, specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """What would give REQUEST_FILE the status TARGET: the fewest changes to the facts, a
    later date, another instrument (each with its trace), and why it is not TARGET now."""
    from coop_logic.practice.ask import check_target
    from coop_logic.practice.whatif import what_if

    def run() -> int:
        check_target(target, instrument)
        kb = load_kb(specs, parties)
        options.check_instruments(kb, [instrument])
        request = options.read_request(request_file, facts, date)
        result = what_if(kb, request, target, instrument=instrument, closed_world=closed_world)
        if fmt == "json":
            emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), output)
        elif fmt == "html":
            from coop_logic.explain.markup import html_page

            emit(html_page(f"What if: {request.requesting_state} asks "
                           f"{request.requested_state} for {request.measure}, target {target}",
                           result._repr_html_()), output)
        else:
            show(_whatif_lines(result), output)
        return EXIT_OK

    guarded(run)


def _whatif_lines(w: Any) -> list[Line]:
    lines = heading(w.request, w.instrument, w.status, w.possible)
    if w.reached:
        lines.append(("text", f"Already {w.target}: nothing to change."))
        return lines
    lines.append(("text", f"To reach {w.target}:"))
    if not w.answers:
        lines.append(("text", "  no change of the facts, the date or the instrument found "
                              "reaches it."))
    for answer in w.answers:
        lines.append(("fact", "  - " + _describe_answer(answer)))
        for verdict in answer.verdicts.values():
            for step in verdict.trace:
                if step.kind == "provision":
                    lines.append(("cite", f"      {step.cite}: {step.summary}"))
    for contrast in w.contrast:
        lines.append(("text", f"Why {contrast.instrument} is {contrast.status} and not "
                              f"{' or '.join(contrast.excluded)}:"))
        if not contrast.trace:
            lines.append(("note", "    (follows from its rules alone)"))
        for step in contrast.trace:
            if step.kind == "provision":
                lines.append(("cite", f"    - {step.cite}: {step.summary}"))
            elif step.kind in {"party", "reservation"}:
                lines.append(("fact", f"    - {step.basis} ({step.id})"))
            else:
                lines.append(("fact", f"    - {step.id} = {_show(step.value)}"))
    lines.append(("note", "Decision support from encoded treaty law, not legal advice."))
    return lines


def _describe_answer(answer: Any) -> str:
    if answer.kind == "facts":
        what = ", ".join(f"{c.id}: {_show(c.before)} -> {_show(c.after)}" for c in answer.changes)
        what = what or "no change to the known facts"
    elif answer.kind == "date":
        what = f"on or after {answer.date.isoformat()}"
    else:
        what = f"under {answer.instrument}"
    if answer.assuming:
        what += " (if " + ", ".join(f"{c.id} = {_show(c.after)}" for c in answer.assuming) + ")"
    outcome = answer.status if answer.reaches == "certainly" else (
        f"{answer.status} ({' | '.join(answer.possible)})")
    return f"{answer.kind}: {what}  =>  {outcome}"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "unknown"
    if isinstance(value, dict):
        from coop_logic.practice.ask import range_label

        return range_label(value)
    return str(value)
