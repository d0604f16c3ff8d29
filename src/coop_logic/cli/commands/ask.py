"""`coop-logic ask REQUEST_FILE`: the questions whose answers settle an open verdict.

For an undetermined verdict, the smallest set of unknowns that settles it, ranked, with
where each answer leads (`practice.ask.decisive_questions`), why a question outside
`depends_on` is asked (it matters only together with another), the verdict in short
("mandatory unless political_offence or essential_interests", `explain.text.unless`),
and, when one instrument alone leaves the overall verdict open, the `--instrument` to ask
about. `--interactive` asks the questions one at a time on stdin/stdout (yes, no, unknown
or quit; a category or a number of years for the offence's category and penalty),
evaluates again after each answer, and ends with the verdict and the request with the
answers filled in, as YAML. Answers may be piped (`printf 'no\nyes\n' | coop-logic ask
FILE --interactive`): that is how scripts and tests drive it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from coop_logic.cli import options
from coop_logic.cli.shell import EXIT_OK, emit, guarded, load_kb
from coop_logic.cli.terminal import Line, show

if TYPE_CHECKING:
    import datetime as dt

EXAMPLES = """\b
Examples:
  coop-logic ask request.yaml
  coop-logic ask request.yaml --instrument untoc --json
  coop-logic ask request.yaml --interactive
  printf 'no\nyes\n' | coop-logic ask request.yaml --interactive
"""


@click.command("ask", epilog=EXAMPLES)
@click.argument("request_file", type=click.Path(allow_dash=True))
@click.option("--interactive", is_flag=True,
              help="Ask the questions one at a time on stdin (yes/no/unknown/quit), then print "
                   "the verdict and the request with the answers, as YAML. Piped answers work.")
@options.output_format("text", "json", "html")
@options.instrument("The verdict of this instrument (default: the overall verdict).")
@options.one_request
def command(request_file: str, interactive: bool, fmt: str, instrument: str | None,
            closed_world: bool, facts: dict[str, bool] | None, date: dt.date | None,
            output: str | None, specs: tuple[str, ...], parties: tuple[str, ...]) -> None:
    """The decisive questions for REQUEST_FILE: the fewest unknowns whose answers settle an
    undetermined verdict, best first, and the verdict each answer leads to."""
    from coop_logic.errors import RequestError
    from coop_logic.practice.ask import decisive_questions

    def run() -> int:
        if interactive and (fmt != "text" or output is not None or request_file == "-"):
            raise RequestError("--interactive reads answers from standard input and prints "
                               "for people", field="--interactive",
                               expected="no --format/--json/-o, and a request file (not -)")
        kb = load_kb(specs, parties)
        options.check_instruments(kb, [instrument])
        request = options.read_request(request_file, facts, date)
        if interactive:
            _interactive(kb, request, instrument, closed_world)
            return EXIT_OK
        result = decisive_questions(kb, request, closed_world=closed_world,
                                    instrument=instrument)
        short = _unless(kb, request, instrument, closed_world)
        settle = None if instrument else settling_instrument(
            kb.evaluate(request, closed_world=closed_world, traces=False))
        if fmt == "json":
            out = result.to_dict()
            out["unless"] = short.text if short else None
            out["settle_with_instrument"] = settle
            emit(json.dumps(out, indent=2, ensure_ascii=False), output)
        elif fmt == "html":
            from coop_logic.explain.markup import html_page

            emit(html_page(f"Questions: {request.requesting_state} asks "
                           f"{request.requested_state} for {request.measure}",
                           result._repr_html_()), output)
        else:
            show(_question_lines(result, short, settle, request_file), output)
        return EXIT_OK

    guarded(run)


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


# -- for people -----------------------------------------------------------------------------


def heading(request: Any, instrument: str | None, status: str,
             possible: tuple[str, ...]) -> list[Line]:
    who = instrument or "overall"
    shown = status if len(possible) == 1 else f"{status} ({' | '.join(possible)})"
    return [
        ("title", f"{request.requesting_state} -> {request.requested_state}: {request.measure} "
                  f"({request.date.isoformat()})"),
        (f"status.{status}", f"{who}: {shown}"),
    ]


def _question_lines(q: Any, short: Any = None, settle: str | None = None,
                    request_file: str = "FILE") -> list[Line]:
    lines = heading(q.request, q.instrument, q.status, q.possible)
    if not q.questions:
        lines.append(("text", "The verdict is determined: nothing to ask."))
        return lines
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
    return lines


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
