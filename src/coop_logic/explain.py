"""The proof trace for people: a verdict, the provisions it rests on, the facts used.

Renders `Result` records as lines with a style tag each; `explanation_text` gives plain
text, and the CLI turns the same lines into rich output on a terminal. It reads only the
result records, never the solver.
"""

from __future__ import annotations

from .result import FactStep, PartyStep, ProvisionStep, ReservationStep, Result, Verdict
from .vocabulary import UNDETERMINED, value_clause

Line = tuple[str, str]  # (style, text)

STATUS_WORDS = {
    "mandatory": "MANDATORY: the requested State must assist",
    "refusable": "REFUSABLE: a duty applies, but the requested State may lawfully refuse",
    "discretionary": "DISCRETIONARY: the instrument applies but imposes no duty to assist",
    "not_applicable": "NOT APPLICABLE: the instrument does not govern this request",
    UNDETERMINED: "UNDETERMINED: the known facts leave more than one verdict open",
}
MUST_REFUSE_WORDS = ("REFUSABLE: the requested State must refuse: the instrument makes an "
                     "established ground obligatory")


def status_words(verdict: Verdict) -> str:
    """'LABEL: gloss' for a verdict: a refusable verdict on an obligatory ground ("shall be
    refused") says the State must refuse, not that it may."""
    if verdict.must_refuse:
        return MUST_REFUSE_WORDS
    return STATUS_WORDS[verdict.status]


def grounds_phrase(verdict: Verdict) -> str:
    """The established grounds, each obligatory one marked as such."""
    return ", ".join(f"{g} (obligatory: must refuse)" if g in verdict.obligatory_grounds else g
                     for g in verdict.grounds)


def explanation_lines(result: Result, instrument: str | None = None) -> list[Line]:
    req = result.request
    lines: list[Line] = [
        ("title", f"Request: {req.requesting_state} asks {req.requested_state} for "
                  f"{req.measure.replace('_', ' ')} (date {req.date.isoformat()})"),
    ]
    if result.closed_world:
        lines.append(("note", "Closed world: every absent fact and offence flag is read as false."))
    if instrument is None:
        ov = result.overall
        text = f"Overall: {ov.status.upper()}"
        if ov.basis:
            text += " (basis: " + ", ".join(ov.basis) + ")"
        lines.append(("overall", text))
        if ov.status == UNDETERMINED:
            lines.append(("note", "  possible: " + ", ".join(ov.possible)))
            if ov.depends_on:
                lines.append(("note", "  would be settled by: " + ", ".join(ov.depends_on)))
        verdicts = list(result.verdicts.values())
    else:
        verdicts = [result.verdicts[instrument]]
    for verdict in verdicts:
        lines.append(("blank", ""))
        lines.extend(verdict_lines(verdict))
    lines.append(("blank", ""))
    lines.append(("note", "Decision support from encoded treaty law, not legal advice."))
    return lines


def verdict_lines(verdict: Verdict) -> list[Line]:
    lines: list[Line] = [
        (f"status.{verdict.status}",
         f"{verdict.title} [{verdict.instrument}]: {status_words(verdict)}"),
    ]
    if verdict.status == UNDETERMINED:
        lines.append(("text", "  still possible: " + ", ".join(verdict.possible)))
        if verdict.depends_on:
            lines.append(("text", "  decided by the unknowns: " + ", ".join(verdict.depends_on)))
    if verdict.grounds:
        lines.append(("text", "  refusal grounds established: " + grounds_phrase(verdict)))
    provisions = [s for s in verdict.trace if isinstance(s, ProvisionStep)]
    others = [s for s in verdict.trace if not isinstance(s, ProvisionStep)]
    if provisions:
        lines.append(("text", "  because of:"))
        for step in provisions:
            flag = "" if step.text_verified else "  [encoded from a digest; text not verified]"
            lines.append(("cite", f"    - {step.cite}: {step.summary}{flag}"))
            lines.append(("source", f"      ({step.id}; {step.source})"))
    if others:
        lines.append(("text", "  given:"))
        for step in others:
            lines.append(("fact", "    - " + _describe(step)))
    if not verdict.trace:
        lines.append(("text", "  (follows from the rules alone)"))
    if any(isinstance(s, ProvisionStep) and not s.text_verified for s in verdict.trace):
        lines.append(("warn", "  Note: this verdict relies on a provision not yet checked "
                              "against the official text."))
    return lines


def _describe(step: FactStep | PartyStep | ReservationStep | ProvisionStep) -> str:
    if isinstance(step, PartyStep):
        verb = {True: "is bound by", False: "is not bound by", None: "may or may not be bound by"}[
            step.value]
        return f"{step.state} {verb} {step.instrument}: {step.basis} (source: {step.source})"
    if isinstance(step, ReservationStep):
        unknown = "unknown whether it applies: " if step.value is None else ""
        return f"{unknown}{step.basis} (source: {step.source})"
    if isinstance(step, FactStep):
        value = step.value
        if isinstance(value, bool):
            value = str(value).lower()
        meaning = value_clause(step.id, step.value)
        text = f"{step.id} = {value}"
        return f"{text}  ({meaning})" if meaning else text
    return step.id


def explanation_text(result: Result, instrument: str | None = None) -> str:
    return "\n".join(text for _, text in explanation_lines(result, instrument)) + "\n"
