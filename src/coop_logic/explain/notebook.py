"""Practice records in a notebook: the words and the HTML fragments that plans, decisive
questions and what-if answers show in Jupyter (their `_repr_html_`).

Every fragment is made by `markup.record_html`, which escapes every value; this module only
words records for people (the request, an unknown as a question, a change of verdict) and
stacks fragments, marking the ones that changed. It reads records, never the solver.
"""

from __future__ import annotations

from collections.abc import Iterable

from coop_logic.model.request import Request
from coop_logic.model.result import FactStep, PartyStep, ProvisionStep, Step
from coop_logic.vocabulary import unknown_question, value_clause

# Inline styles only: a fragment carries no stylesheet and fetches nothing.
_INDENT = "margin: .3em 0 .3em 1.2em"
_CHANGED = "background: #fff3c4; border-left: 4px solid #a35c00; padding: 0 .4em"


def request_line(request: Request) -> str:
    """'FR asks US for expedited preservation on 2026-06-01'."""
    return (f"{request.requesting_state} asks {request.requested_state} for "
            f"{request.measure.replace('_', ' ')} on {request.date.isoformat()}")


def request_words(request: Request, closed_world: bool) -> dict[str, object]:
    """What the request states, for `record_html` under a title made of `request_line`:
    each known offence field and fact with its value (and, for a flag, what that value
    means), the instruments it asks about, and how what it leaves out is read."""
    stated: dict[str, str] = {}
    offence = request.to_dict().get("offence", {})
    values = [(f"offence.{field}", value) for field, value in offence.items()]
    for name, value in [*values, *request.facts.items()]:
        meaning = value_clause(name, value) if isinstance(value, bool) else None
        stated[name] = _value(value) + (f" ({meaning})" if meaning else "")
    words: dict[str, object] = {"stated in the request": stated}
    if request.instruments is not None:
        words["instruments asked about"] = list(request.instruments)
    words["reading"] = ("closed world: every absent fact and offence flag is read as false"
                        if closed_world else "open world: a fact not stated is unknown")
    return words


def question_words(unknown: str) -> str:
    """An unknown of `depends_on` as a question: 'Is it the case that the requested State
    regards the offence as political or connected with one?', 'What is the offence
    category?'."""
    clause = unknown_question(unknown)
    if clause is not None and clause.startswith("whether "):
        return "Is it the case that " + clause.removeprefix("whether ") + "?"
    if clause is not None:
        return f"What is {clause}?"
    return f"What is {unknown}?"


def trace_words(trace: Iterable[Step]) -> dict[str, object]:
    """A proof trace for `record_html`: *because* the provisions (by id: citation and
    summary), *given* the facts (value and what it means), party data and reservations (by
    id: the basis the data records)."""
    because: dict[str, str] = {}
    given: dict[str, str] = {}
    for step in trace:
        if isinstance(step, ProvisionStep):
            flag = "" if step.text_verified else " [text not verified]"
            because[step.id] = f"{step.cite}: {step.summary}{flag}"
        elif isinstance(step, FactStep):
            meaning = value_clause(step.id, step.value) if isinstance(step.value, bool) else None
            given[step.id] = _value(step.value) + (f" ({meaning})" if meaning else "")
        elif isinstance(step, PartyStep):
            given[step.id] = f"{step.state}, {step.instrument}: {step.basis}"
        else:
            given[step.id] = step.basis
    words: dict[str, object] = {}
    if because:
        words["because"] = because
    if given:
        words["given"] = given
    return words


def stacked_html(head: str, parts: Iterable[str]) -> str:
    """A record (`head`) with the records under it indented: both fragments from
    `record_html` (or from this module), already escaped."""
    inner = "".join(f'<div style="{_INDENT}">{part}</div>' for part in parts)
    return f'<div class="coop-logic-records">{head}{inner}</div>'


def changed_html(fragment: str) -> str:
    """A fragment marked as changed by a coloured band (its title says so in words too, so
    the mark does not rest on colour alone)."""
    return f'<div class="changed" style="{_CHANGED}">{fragment}</div>'


def _value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

