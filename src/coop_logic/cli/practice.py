"""`coop-logic ask` and `coop-logic whatif`: answers a practitioner acts on.

`ask`: for an undetermined verdict, the smallest set of unknowns that settles it, ranked,
with where each answer leads (`questions.decisive_questions`), why a question outside
`depends_on` is asked (it matters only together with another), the verdict in short
("mandatory unless political_offence or essential_interests", `explain.unless`), and, when
one instrument alone leaves the overall verdict open, the `--instrument` to ask about.
`ask --interactive` asks the questions one at a time on stdin/stdout (yes, no, unknown or
quit; a category or a number of years for the offence's category and penalty), evaluates
again after each answer, and ends with the verdict and the request with the answers filled
in, as YAML. Answers may be piped (`printf 'no\nyes\n' | coop-logic ask FILE
--interactive`): that is how scripts and tests drive it. `whatif`: the fewest
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
@click.option("--interactive", is_flag=True,
              help="Ask the questions one at a time on stdin (yes/no/unknown/quit), then print "
                   "the verdict and the request with the answers, as YAML. Piped answers work.")
@_common
def ask_command(request_file: str, interactive: bool, instrument: str | None,
                closed_world: bool, as_json: bool, specs: tuple[str, ...],
                parties: tuple[str, ...]) -> None:
    """The decisive questions for REQUEST_FILE: the fewest unknowns whose answers settle an
    undetermined verdict, best first, and the verdict each answer leads to."""
    from coop_logic.cli.shell import EXIT_OK, guarded
    from coop_logic.engine.knowledge_base import load
    from coop_logic.errors import RequestError
    from coop_logic.model.request import Request
    from coop_logic.practice.ask import decisive_questions

    def run() -> int:
        if interactive and as_json:
            raise RequestError("--interactive and --json cannot be combined",
                               field="--interactive", expected="one of the two")
        request = Request.from_file(request_file)
        kb = load(extra_specs=specs, parties=parties)
        _check_instrument(kb, instrument)
        if interactive:
            _interactive(kb, request, instrument, closed_world)
            return EXIT_OK
        result = decisive_questions(kb, request, closed_world=closed_world,
                                    instrument=instrument)
        short = _unless(kb, request, instrument, closed_world)
        settle = None if instrument else settling_instrument(
            kb.evaluate(request, closed_world=closed_world, traces=False))
        if as_json:
            out = result.to_dict()
            out["unless"] = short.text if short else None
            out["settle_with_instrument"] = settle
            click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        else:
            _print_questions(result, short, settle, request_file)
        return EXIT_OK

    guarded(run)


def _check_instrument(kb: Any, instrument: str | None) -> None:
    from coop_logic.errors import RequestError, did_you_mean

    if instrument is not None and instrument not in kb.instruments:
        raise RequestError(f"unknown instrument '{instrument}'"
                           f"{did_you_mean(instrument, kb.instruments)}",
                           field="--instrument", expected="one of " + ", ".join(kb.instruments))


def _unless(kb: Any, request: Any, instrument: str | None, closed_world: bool) -> Any:
    from coop_logic.explain.text import unless

    wanted = [instrument] if instrument else None
    result = kb.evaluate(request, closed_world=closed_world, instruments=wanted, traces=False)
    return unless(kb, result, instrument)


def settling_instrument(result: Any) -> str | None:
    """The one instrument whose open verdict leaves the overall verdict open, when only one
    does. The overall is the strongest status (mandatory, refusable, discretionary); an
    open verdict matters when its possible statuses, each set against the strongest
    determined one, still give different overall statuses. Settling that instrument then
    settles the overall verdict."""
    if result.overall.status != "undetermined":
        return None
    rank = {"mandatory": 0, "refusable": 1, "discretionary": 2, "not_applicable": 3}
    floor = min((rank[v.status] for v in result.verdicts.values() if v.determined), default=3)
    matter = [i for i, v in result.verdicts.items() if not v.determined
              and len({min(rank[s], floor) for s in v.possible}) > 1]
    return matter[0] if len(matter) == 1 else None


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
    from coop_logic.cli.shell import EXIT_OK, guarded
    from coop_logic.engine.knowledge_base import load
    from coop_logic.model.request import Request
    from coop_logic.practice.ask import check_target
    from coop_logic.practice.whatif import what_if

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

    guarded(run)


# -- for people -----------------------------------------------------------------------------


def _print(lines: list[tuple[str, str]]) -> None:
    from coop_logic.cli.shell import STYLES, make_console

    console = make_console()
    for style, text in lines:
        console.print(Text(text, style=STYLES.get(style, "")))


def _heading(request: Any, instrument: str | None, status: str,
             possible: tuple[str, ...]) -> list[tuple[str, str]]:
    who = instrument or "overall"
    shown = status if len(possible) == 1 else f"{status} ({' | '.join(possible)})"
    return [
        ("title", f"{request.requesting_state} -> {request.requested_state}: {request.measure} "
                  f"({request.date.isoformat()})"),
        (f"status.{status}", f"{who}: {shown}"),
    ]


def _print_questions(q: Any, short: Any = None, settle: str | None = None,
                     request_file: str = "FILE") -> None:
    lines = _heading(q.request, q.instrument, q.status, q.possible)
    if not q.questions:
        lines.append(("text", "The verdict is determined: nothing to ask."))
        _print(lines)
        return
    if short is not None:
        lines.append(("text", f"In short: {short.text}"))
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
    for joint in q.jointly:
        lines.append(("note", f"  {joint.unknown} is asked though not in depends_on: no answer "
                              f"to it alone narrows the verdict, but together with "
                              f"{' and '.join(joint.partners)} it does"
                              + (f" ({' and '.join(joint.labels)} -> "
                                 f"{' | '.join(joint.possible)})" if joint.labels else "")))
    if settle is not None:
        lines.append(("text", f"Only {settle} leaves the overall verdict open. To settle only "
                              f"{settle}, run: coop-logic ask {request_file} --instrument "
                              f"{settle}"))
    _print(lines)


# -- one question at a time -----------------------------------------------------------------

_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}
_UNKNOWN = {"unknown", "u", "?", ""}
_QUIT = {"quit", "q", "exit"}


def _interactive(kb: Any, request: Any, instrument: str | None, closed_world: bool) -> None:
    """Ask the decisive questions one at a time until the verdict is settled, the user
    quits or no question is left that the request can answer; then the verdict and the
    request with the answers, as YAML."""
    import yaml

    from coop_logic.practice.ask import decisive_questions
    from coop_logic.vocabulary import FACTS, unknown_question

    stdin = click.get_text_stream("stdin")
    skipped: set[str] = set()
    quit_ = False
    while not quit_:
        q = decisive_questions(kb, request, closed_world=closed_world, instrument=instrument)
        if not q.questions:
            break
        who = instrument or "overall"
        click.echo(f"{who}: {q.status} ({' | '.join(q.possible)})")
        pending = [x for x in q.questions if x.unknown not in skipped]
        unanswerable = [x.unknown for x in pending
                        if x.unknown not in FACTS and not x.unknown.startswith("offence.")]
        for name in unanswerable:
            click.echo(f"{name} comes from the party data, not the request: correct it with "
                       "--parties; not asked.")
            skipped.add(name)
        pending = [x for x in pending if x.unknown not in skipped]
        if not pending:
            click.echo("No question left to ask: the others are unknown to you or come from "
                       "the party data; the verdict stays open.")
            break
        question = pending[0]
        field = question.unknown
        accepted = ("a category id" if field == "offence.category" else
                    "a number of years" if field == "offence.max_penalty_years" else "yes/no")
        click.echo(f"? {field}: {unknown_question(field) or field}?")
        for answer in question.answers:
            leads = (answer.status if answer.status != "undetermined"
                     else "still " + " | ".join(answer.possible))
            click.echo(f"    {answer.label}  ->  {leads}")
        while True:
            click.echo(f"  answer ({accepted}/unknown/quit): ", nl=False)
            line = stdin.readline()
            if not line:  # end of input: as quit
                click.echo("")
                quit_ = True
                break
            if not stdin.isatty():  # piped answers: show them, so the transcript reads well
                click.echo(line.strip())
            word = line.strip().lower()
            if word in _QUIT:
                quit_ = True
                break
            if word in _UNKNOWN:
                skipped.add(field)
                break
            value = _value(field, word)
            if value is None:
                click.echo(f"  not an answer: {line.strip()!r}")
                continue
            name = field if field in FACTS else "offence_" + field.removeprefix("offence.")
            request = request.with_known(**{name: value})
            break
    _final(kb, request, instrument, closed_world, yaml)


def _value(field: str, word: str) -> Any:
    from coop_logic.vocabulary import CATEGORIES

    if field == "offence.category":
        return word if word in CATEGORIES else None
    if field == "offence.max_penalty_years":
        try:
            years = float(word)
        except ValueError:
            return None
        if not 0 <= years < 1_000_000:
            return None
        return int(years) if years.is_integer() else years
    return True if word in _YES else False if word in _NO else None


def _final(kb: Any, request: Any, instrument: str | None, closed_world: bool, yaml: Any) -> None:
    from coop_logic.explain.text import status_words, unless

    wanted = [instrument] if instrument else None
    result = kb.evaluate(request, closed_world=closed_world, instruments=wanted, traces=False)
    if instrument:
        verdict = result.verdicts[instrument]
        words = status_words(verdict) if verdict.determined else (
            f"UNDETERMINED: still {' | '.join(verdict.possible)}")
        click.echo(f"verdict ({instrument}): {words}")
    else:
        ov = result.overall
        basis = f" (basis: {', '.join(ov.basis)})" if ov.basis else ""
        click.echo(f"verdict (overall): {ov.status}{basis}"
                   + ("" if len(ov.possible) == 1 else f": still {' | '.join(ov.possible)}"))
    short = unless(kb, result, instrument)
    if short is not None:
        click.echo(f"in short: {short.text}")
    click.echo("# the request with your answers (save it as a request file):")
    click.echo(yaml.safe_dump(request.to_dict(), sort_keys=False, allow_unicode=True), nl=False)


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
        from coop_logic.practice.ask import range_label

        return range_label(value)
    return str(value)
