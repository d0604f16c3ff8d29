"""The options verbs share, each declared and validated here once.

A verb takes an option by decorating itself with it (`@options.closed_world`), so that
`--date` parses the same way, `--format json` and `--json` mean the same thing, and a bad
value gets the same message, whichever verb it is given to. Values are checked as the
command line is read: a bad one is an `InputError` (exit 2, one line on stderr naming the
option and what was expected), raised before any file is read or any solver runs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import click

from coop_logic.errors import InputError, RequestError, did_you_mean
from coop_logic.vocabulary import FACT_ALIASES, FACTS, OFFENCE_FLAGS, STATUSES, UNDETERMINED

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase
    from coop_logic.model.request import Request

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

FORMATS = ("text", "json", "md", "html")
FORMAT_MEANING = {
    "text": "for people in a terminal",
    "json": "one machine-readable JSON object",
    "md": "Markdown",
    "html": "one self-contained HTML page",
}


# -- values ---------------------------------------------------------------------------------


def parse_date(text: str, option: str = "--date") -> dt.date:
    """An ISO date YYYY-MM-DD, or an InputError naming `option`."""
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"'{text}' is not a date", field=option,
                         expected="an ISO date YYYY-MM-DD") from None


def parse_facts(items: Iterable[str]) -> dict[str, bool]:
    """`NAME=true|false` items: a fact id of the contract (its deprecated alias included)
    or an offence flag as `offence.<flag>`, to a Boolean. Giving one twice is an error."""
    facts: dict[str, bool] = {}
    names = (*FACTS, *FACT_ALIASES, *(f"offence.{f}" for f in OFFENCE_FLAGS))
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise InputError(f"'{item}' has no value", field="--fact",
                             expected="NAME=true or NAME=false")
        if name not in names:
            raise InputError(f"unknown fact '{name}'{did_you_mean(name, names)}",
                             field="--fact",
                             expected="a fact id of the contract, or offence.<flag> ("
                                      + ", ".join(OFFENCE_FLAGS) + ")")
        word = value.strip().lower()
        if word not in {"true", "false"}:
            raise InputError(f"'{value}' is not true or false", field=f"--fact {name}",
                             expected="true or false")
        if name in facts:
            raise InputError(f"'{name}' is given twice", field="--fact",
                             expected="each fact once")
        facts[name] = word == "true"
    return facts


def split_facts(facts: Mapping[str, bool] | None) -> tuple[dict[str, bool], dict[str, bool]]:
    """`--fact` values as (request facts, offence flags), a deprecated fact id read as its
    new id with the opposite value where the alias says so (with the usual warning)."""
    import warnings

    plain: dict[str, bool] = {}
    flags: dict[str, bool] = {}
    for name, value in (facts or {}).items():
        if name.startswith("offence."):
            flags[name.removeprefix("offence.")] = value
        elif name in FACT_ALIASES:
            new, flips = FACT_ALIASES[name]
            warnings.warn(f"--fact: '{name}' is deprecated; read as '{new}: "
                          f"{str(value != flips).lower()}' (contract revision 2)", stacklevel=2)
            plain[new] = value != flips
        else:
            plain[name] = value
    return plain, flags


def parse_statuses(text: str, option: str = "--fail-on") -> frozenset[str]:
    """A comma-separated list of verdict statuses (undetermined included)."""
    choices = (*STATUSES, UNDETERMINED)
    chosen = [s.strip() for s in text.split(",") if s.strip()]
    if not chosen:
        raise InputError("names no status", field=option,
                         expected="a comma-separated list among " + ", ".join(choices))
    for status in chosen:
        if status not in choices:
            raise InputError(f"unknown status '{status}'{did_you_mean(status, choices)}",
                             field=option, expected="statuses among " + ", ".join(choices))
    return frozenset(chosen)


def check_instruments(kb: KnowledgeBase, ids: Iterable[str | None]) -> None:
    """Every id given to `--instrument` names a loaded instrument."""
    for inst in ids:
        if inst is not None and inst not in kb.instruments:
            raise RequestError(f"unknown instrument '{inst}'{did_you_mean(inst, kb.instruments)}",
                               field="--instrument",
                               expected="one of " + ", ".join(kb.instruments))


def read_request(path: str, facts: Mapping[str, bool] | None = None,
                 date: dt.date | None = None) -> Request:
    """The request in `path` (`-`: standard input, YAML or JSON), with the facts of
    `--fact` and the date of `--date` put in, validated as if the file said them."""
    from coop_logic.io.documents import parse_text
    from coop_logic.model.request import Request, parse_request

    if path == "-":
        text = click.get_text_stream("stdin").read()
        request = parse_request(parse_text(text, "<stdin>", RequestError,
                                           json_syntax=text.lstrip().startswith("{")))
    else:
        request = Request.from_file(path)
    if not facts and date is None:
        return request
    data = request.to_dict()
    for name, value in (facts or {}).items():
        if name.startswith("offence."):
            data.setdefault("offence", {})[name.removeprefix("offence.")] = value
        else:
            data.setdefault("facts", {})
            for old, (new, _) in FACT_ALIASES.items():  # --fact replaces the file's value
                if name in {old, new}:
                    data["facts"].pop(old, None)
                    data["facts"].pop(new, None)
            data["facts"][name] = value
    if date is not None:
        data["date"] = date.isoformat()
    return Request.from_dict(data, name=request.source)


# -- options --------------------------------------------------------------------------------


def _checked(parse: Callable[..., Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or value == ():
            return value
        return parse(value)

    return callback


def spec_files(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--spec` and `--parties`: more law and corrected party data, loaded beside the
    bundled ones (merged State by State, docs/parties.md)."""
    func = parties(func)
    return click.option("--spec", "specs", multiple=True, type=click.Path(),
                        help="Extra spec file or folder, e.g. a bilateral MLAT (repeatable).")(
        func)


def parties(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--parties", "parties", multiple=True, type=click.Path(),
                        help="Party-data file correcting or adding to the bundled data, merged "
                             "State by State (repeatable).")(func)


def networks(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--networks", "networks", multiple=True, type=click.Path(),
                        help="Network-membership file merged State by State onto the bundled "
                             "data (repeatable; docs/networks.md).")(func)


def closed_world(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--closed-world", "closed_world", is_flag=True,
                        help="Read every absent fact as false (nothing out of the ordinary "
                             "is established).")(func)


def instruments(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--instrument ID` (repeatable): the instruments considered."""
    return click.option("--instrument", "instruments", multiple=True,
                        help="Consider only this instrument (repeatable); comity is always "
                             "considered.")(func)


def instrument(purpose: str) -> Decorator:
    """`--instrument ID` given once: the one instrument a verb looks at."""
    return click.option("--instrument", "instrument", default=None, help=purpose)


def date(purpose: str = "Evaluate on this date (YYYY-MM-DD) instead of the request's.") -> (
        Decorator):
    return click.option("--date", "date", default=None, metavar="YYYY-MM-DD", help=purpose,
                        callback=_checked(parse_date))


def facts(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--fact NAME=true|false` (repeatable), put into the request."""
    return click.option("--fact", "facts", multiple=True, metavar="NAME=true|false",
                        callback=_checked(parse_facts),
                        help="Set a fact (or offence.<flag>) of the request, overriding the "
                             "file (repeatable).")(func)


def request_changes(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--fact` and `--date`: what a verb reading one request lets the command line change."""
    return facts(date()(func))


def one_request(func: Callable[..., Any]) -> Callable[..., Any]:
    """What every verb reading one request takes besides its own options: `--closed-world`,
    `--fact`, `--date`, `-o`, `--spec` and `--parties`."""
    return closed_world(request_changes(output(spec_files(func))))


def hide_not_applicable(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--hide-not-applicable", "hide", is_flag=True,
                        help="Name the instruments that do not apply in one line instead of "
                             "showing each (text, md, html).")(func)


def fail_on(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--fail-on", "fail_on", default=None, metavar="STATUS[,STATUS...]",
                        callback=_checked(parse_statuses),
                        help="Exit with 3 when the verdict (overall, or of the one "
                             "--instrument) has one of these statuses, e.g. "
                             "refusable,undetermined.")(func)


def output(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
                        default=None,
                        help="Write to this file instead of standard output (only once "
                             "everything is computed: never a partial file).")(func)


def output_format(*choices: str, default: str = "text") -> Decorator:
    """`--format` among `choices` (a subset of FORMATS, meaning the same in every verb),
    with `--json` kept as the alias of `--format json` where JSON is offered. The verb
    receives `fmt`."""
    unknown = set(choices) - set(FORMATS)
    if unknown:
        raise ValueError(f"formats outside the shared list: {sorted(unknown)}")
    meaning = "; ".join(f"{c}: {FORMAT_MEANING[c]}" for c in choices)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, fmt: str | None, as_json: bool = False, **kwargs: Any) -> Any:
            if as_json and fmt not in (None, "json"):
                raise InputError(f"--json and --format {fmt} disagree", field="--format",
                                 expected="one output format")
            return func(*args, fmt="json" if as_json else fmt or default, **kwargs)

        wrapped = click.option("--format", "fmt", type=click.Choice(choices), default=None,
                               help=f"Output format (default: {default}). {meaning}.")(wrapper)
        if "json" in choices:
            wrapped = click.option("--json", "as_json", is_flag=True,
                                   help="The same as --format json.")(wrapped)
        return wrapped

    return decorate
