"""`coop-logic ask` and `coop-logic whatif`: answers a practitioner acts on.

`ask`: for an undetermined verdict, the smallest set of unknowns that settles it, ranked,
with where each answer leads (`questions.decisive_questions`). `whatif`: the fewest
changes to the facts, the date or the instrument that give a target status, each with
its trace, and why the verdict is not the target (`whatif.what_if`).

Registered on the `coop-logic` group by the last lines of `cli.py`. Exit codes as for the
other commands: 0 an answer was printed, 2 bad input (nothing on stdout), 1 an internal
error (the solver's `unknown` included).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click
from rich.text import Text


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--parties", "parties", multiple=True, type=click.Path(),
                        help="Party-data file correcting or adding to the bundled data "
                             "(repeatable).")(func)
    func = click.option("--spec", "specs", multiple=True, type=click.Path(),
                        help="Extra spec file or folder, e.g. a bilateral MLAT (repeatable).")(
        func)
    func = click.option("--json", "as_json", is_flag=True,
                        help="Print a machine-readable JSON object.")(func)
    func = click.option("--closed-world", is_flag=True,
                        help="Read every absent fact as false.")(func)
    func = click.option("--instrument", "instrument", default=None,
                        help="The verdict of this instrument (default: the overall verdict).")(
        func)
    return func


@click.command("ask")
@click.argument("request_file", type=click.Path())
@_common
def ask_command(request_file: str, instrument: str | None, closed_world: bool, as_json: bool,
                specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """The decisive questions for REQUEST_FILE: the fewest unknowns whose answers settle an
    undetermined verdict, best first, and the verdict each answer leads to."""
    from .cli import EXIT_OK, _guarded
    from .kb import load
    from .questions import decisive_questions
    from .request import Request

    def run() -> int:
        request = Request.from_file(request_file)
        kb = load(extra_specs=specs, parties=parties)
        result = decisive_questions(kb, request, closed_world=closed_world,
                                    instrument=instrument)
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            _print_questions(result)
        return EXIT_OK

    _guarded(run)


@click.command("whatif")
@click.argument("request_file", type=click.Path())
@click.option("--target", "target", required=True,
              help="The status wanted: mandatory, refusable, discretionary (or, with "
                   "--instrument, not_applicable).")
@_common
def whatif_command(request_file: str, target: str, instrument: str | None, closed_world: bool,
                   as_json: bool, specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """What would give REQUEST_FILE the status TARGET: the fewest changes to the facts, a
    later date, another instrument (each with its trace), and why it is not TARGET now."""
    from .cli import EXIT_OK, _guarded
    from .kb import load
    from .questions import check_target
    from .request import Request
    from .whatif import what_if

    def run() -> int:
        check_target(target, instrument)
        request = Request.from_file(request_file)
        kb = load(extra_specs=specs, parties=parties)
        result = what_if(kb, request, target, instrument=instrument, closed_world=closed_world)
        if as_json:
            click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            _print_whatif(result)
        return EXIT_OK

    _guarded(run)


# -- for people -----------------------------------------------------------------------------


def _print(lines: list[tuple[str, str]]) -> None:
    from .cli import _STYLES, _console

    console = _console()
    for style, text in lines:
        console.print(Text(text, style=_STYLES.get(style, "")))


def _heading(request: Any, instrument: str | None, status: str,
             possible: tuple[str, ...]) -> list[tuple[str, str]]:
    who = instrument or "overall"
    shown = status if len(possible) == 1 else f"{status} ({' | '.join(possible)})"
    return [
        ("title", f"{request.requesting_state} -> {request.requested_state}: {request.measure} "
                  f"({request.date.isoformat()})"),
        (f"status.{status}", f"{who}: {shown}"),
    ]


def _print_questions(q: Any) -> None:
    lines = _heading(q.request, q.instrument, q.status, q.possible)
    if not q.questions:
        lines.append(("text", "The verdict is determined: nothing to ask."))
        _print(lines)
        return
    why = "no smaller set does" if q.minimum else "none of them can be left out"
    lines.append(("text", f"Ask about these {len(q.questions)} unknown(s), best first; together "
                          f"they settle the verdict ({why}):"))
    for n, question in enumerate(q.questions, 1):
        lines.append(("fact", f"  {n}. {question.unknown}  (an answer rules out "
                              f"{question.narrowing:g} possible status(es) on average)"))
        for answer in question.answers:
            leads = (answer.status if answer.status != "undetermined"
                     else "still " + " | ".join(answer.possible))
            lines.append(("text", f"       {answer.label}  ->  {leads}"))
    for alt in q.alternatives:
        lines.append(("note", "  or instead: " + ", ".join(alt)))
    if q.others:
        lines.append(("note", "  also relevant, but not needed once these are answered: "
                              + ", ".join(q.others)))
    _print(lines)


def _print_whatif(w: Any) -> None:
    lines = _heading(w.request, w.instrument, w.status, w.possible)
    if w.reached:
        lines.append(("text", f"Already {w.target}: nothing to change."))
        _print(lines)
        return
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
    _print(lines)


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
        from .questions import range_label

        return range_label(value)
    return str(value)
