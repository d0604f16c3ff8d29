"""The proof trace for people: a verdict, the provisions it rests on, the facts used.

Renders `Result` records as lines with a style tag each; `explanation_text` gives plain
text, and the CLI turns the same lines into rich output on a terminal. It reads only the
result records, never the solver; `unless` alone asks the knowledge base again, through
its public `evaluate`, what the verdict becomes with each unknown ground's fact true.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from coop_logic.model.result import (
    FactStep,
    Overall,
    PartyStep,
    ProvisionStep,
    ReservationStep,
    Result,
    Verdict,
)
from coop_logic.vocabulary import FACTS, UNDETERMINED, value_clause

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


@attrs.frozen
class Unless:
    """An undetermined verdict between mandatory and refusable, read as "mandatory unless
    political_offence or essential_interests": each of `facts` is unknown and, alone set
    true, makes the verdict refusable on `grounds[i]` (`must_refuse`: those facts whose
    ground is obligatory, "shall be refused"). `exact`: with all of them false the verdict
    is mandatory; otherwise `others` are the unknowns that still bear on it."""

    instrument: str | None  # None: the overall verdict
    facts: tuple[str, ...]
    grounds: tuple[tuple[str, ...], ...]
    exact: bool
    others: tuple[str, ...] = ()
    must_refuse: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        if not self.facts:
            return "mandatory or refusable, on unknowns no single fact settles"
        text = "mandatory unless " + " or ".join(
            f"{f} (must refuse)" if f in self.must_refuse else f for f in self.facts)
        if not self.exact:
            text += (" (and depending on " + ", ".join(self.others) + ")" if self.others
                     else " (and on unknowns that matter only together)")
        return text


def unless(kb: Any, result: Result, instrument: str | None = None) -> Unless | None:
    """For a verdict (of `instrument`, or the overall) whose possible statuses are exactly
    mandatory and refusable: the unknown facts that, each set true, make it refusable, and
    whether with all of them false it is mandatory. None for any other verdict. Evaluates
    the request again with `kb.evaluate` (same instruments and world reading)."""
    verdict: Verdict | Overall = (result.overall if instrument is None
                                  else result.verdicts[instrument])
    if set(verdict.possible) != {"mandatory", "refusable"}:
        return None
    selection = list(result.verdicts)

    def again(**facts: bool) -> tuple[Verdict | Overall, list[Verdict]]:
        other = kb.evaluate(result.request.with_known(**facts), closed_world=result.closed_world,
                            instruments=selection, traces=False)
        if instrument is not None:
            return other.verdicts[instrument], [other.verdicts[instrument]]
        return other.overall, [other.verdicts[i] for i in other.overall.basis]

    facts, grounds, must = [], [], []
    for name in verdict.depends_on:
        if name not in FACTS:
            continue
        then, basis = again(**{name: True})
        if then.possible == ("refusable",):
            facts.append(name)
            grounds.append(tuple(dict.fromkeys(g for v in basis for g in v.grounds)))
            if any(v.must_refuse for v in basis):
                must.append(name)
    settled, _ = again(**{name: False for name in facts})
    return Unless(instrument, tuple(facts), tuple(grounds), settled.possible == ("mandatory",),
                  tuple(settled.depends_on), tuple(must))


def unless_all(kb: Any, result: Result, instrument: str | None = None
               ) -> dict[str | None, Unless | None]:
    """`unless` for the overall verdict (key None) and each instrument's (or only
    `instrument`'s), for `explanation_lines(..., unless_found=...)`."""
    keys = [instrument] if instrument is not None else [None, *result.verdicts]
    return {k: unless(kb, result, k) for k in keys}


def explanation_lines(result: Result, instrument: str | None = None, *,
                      unless_found: Mapping[str | None, Unless | None] | None = None,
                      hide_not_applicable: bool = False) -> list[Line]:
    """The explanation as (style, text) lines. `unless_found`: `unless` per instrument
    (None: the overall), added as an 'in short' line under each such verdict.
    `hide_not_applicable`: the instruments that do not apply named in one line only."""
    found = unless_found or {}
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
            if found.get(None) is not None:
                lines.append(("note", f"  in short: {found[None].text}"))
        verdicts = list(result.verdicts.values())
    else:
        verdicts = [result.verdicts[instrument]]
    hidden = [v.instrument for v in verdicts
              if hide_not_applicable and v.status == "not_applicable"]
    for verdict in verdicts:
        if verdict.instrument in hidden:
            continue
        lines.append(("blank", ""))
        lines.extend(verdict_lines(verdict, found.get(verdict.instrument)))
    if hidden:
        lines.append(("blank", ""))
        lines.append(("status.not_applicable",
                      "Not applicable (details left out): " + ", ".join(hidden)))
    lines.append(("blank", ""))
    lines.append(("note", "Decision support from encoded treaty law, not legal advice."))
    return lines


def verdict_lines(verdict: Verdict, short: Unless | None = None) -> list[Line]:
    lines: list[Line] = [
        (f"status.{verdict.status}",
         f"{verdict.title} [{verdict.instrument}]: {status_words(verdict)}"),
    ]
    if verdict.status == UNDETERMINED:
        lines.append(("text", "  still possible: " + ", ".join(verdict.possible)))
        if verdict.depends_on:
            lines.append(("text", "  decided by the unknowns: " + ", ".join(verdict.depends_on)))
        if short is not None:
            lines.append(("text", f"  in short: {short.text}"))
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


def explanation_text(result: Result, instrument: str | None = None, *,
                     unless_found: Mapping[str | None, Unless | None] | None = None) -> str:
    """The explanation as plain text (`coop-logic explain` prints it with `unless_found`
    from `unless_all`)."""
    lines = explanation_lines(result, instrument, unless_found=unless_found)
    return "\n".join(text for _, text in lines) + "\n"
