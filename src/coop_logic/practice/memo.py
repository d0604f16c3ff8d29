"""The adviser's memo (`coop-logic memo`): one page an adviser can file about a request.

This module holds the memo's records (`Memo` and its parts) and its three renderers: plain
text wrapped at 80 columns, Markdown, and one self-contained HTML page (inline CSS, no
external resource, A4 print rules). `memo(kb, request)` builds it, in this order: the
question in words with State names; the short answer per instrument that applies (from
each verdict's status, grounds, obligatory grounds, possible statuses and `depends_on`,
with the article that makes each unknown matter, read from the trace's provisions and from
the spec rules that mention it); what to ask the requesting State (the decisive questions of
`questions.decisive_questions`, worded as questions); how to send it (the best basis of
`plan.plan`: channels, contents, time limits; and the practitioner networks that serve it);
caveats (provisions not checked against an official text, party-data gaps, the modelling
notes that matter, network-data gaps); the sources, official text first; and the
instruments that do not apply.

What it must not do: recompute a verdict or the overall verdict (both are the engine's, from
`kb.evaluate`, shown as they are), reach into solver internals (only the public API, the
Result/Verdict records and the loaded spec rules are read), or fetch anything (the HTML has
no URL outside an `<a href>`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from coop_logic.io.state_codes import state_table
from coop_logic.model.conditions import CategoryIn, Flag, Penalty, Reservation, walk
from coop_logic.model.instrument import Instrument
from coop_logic.model.request import Request
from coop_logic.model.result import Overall, PartyStep, ProvisionStep, ReservationStep, Result, Verdict
from coop_logic.practice.ask import Questions, decisive_questions
from coop_logic.practice.plan import Option, Plan, plan
from coop_logic.spec.networks import Network, NetworkMatch, partial_gaps
from coop_logic.vocabulary import FACTS, UNDETERMINED

WIDTH = 80
DISCLAIMER = "Decision support from encoded treaty law, not legal advice."
MODELLING_DOC = "docs/modelling.md"
REPOSITORY_DOCS = "docs/modelling.md in the coop_logic source repository"

MEASURE_WORDS: dict[str, str] = {
    "expedited_preservation": "to preserve stored computer data expeditiously",
    "traffic_data_disclosure": "to disclose traffic data",
    "stored_data_access": "to search, seize or disclose stored computer data",
    "subscriber_information": "to produce subscriber information",
    "realtime_traffic_collection": "to collect traffic data in real time",
    "content_interception": "to intercept the content of communications",
    "encryption_key_disclosure": "to have encryption keys disclosed",
    "data_retention": "to order the retention of data",
    "evidence_collection": "to gather evidence",
    "extradition": "to extradite (surrender) a person",
    "information_sharing": "to share information",
    "contact_point_assistance": "for the immediate assistance of its contact point",
}

STATUS_WORDS: dict[str, str] = {
    "mandatory": "must assist",
    "refusable": "may refuse",
    "discretionary": "may assist, with no duty to",
    "not_applicable": "does not apply",
}

# The instruments' sections of docs/modelling.md (headings as written there).
MODELLING_SECTIONS: dict[str, str] = {
    "budapest": "Budapest Convention",
    "budapest_ap2": "Second Additional Protocol (CETS 224)",
    "untoc": "UNTOC",
    "un_cybercrime": "UN Convention against Cybercrime",
    "ecma_1959": "European Convention on Mutual Assistance (1959)",
    "iacmamc": "Inter-American Convention (1992)",
    "ecowas": "ECOWAS Directive",
    "sco": "SCO Agreement (2009)",
    "au_malabo": "Malabo Convention",
    "las_2010": "Arab Convention (2010)",
    "eu_eio": "European Investigation Order",
    "eu_e_evidence": "e-Evidence Regulation",
    "eu_eaw": "European Arrest Warrant",
    "letters_rogatory": "Channels without a treaty",
    "comity": "Channels without a treaty",
    "informal": "Channels without a treaty",
}
INPUT_SECTION = "Input and data"

# Each unknown as a question whose "yes" means the fact is true.
QUESTIONS: dict[str, str] = {
    "no_dual_criminality": "Does the conduct fall outside the criminal law of the requested "
                           "State (no double criminality)?",
    "political_offence": "Could the offence be regarded as political, or as connected with a "
                         "political offence?",
    "essential_interests": "Would execution prejudice the requested State's sovereignty, "
                           "security, ordre public or other essential interests?",
    "fiscal_offence": "Is the offence a fiscal (tax, customs or exchange) offence?",
    "death_penalty_risk": "Does the offence carry the death penalty in the requesting State, "
                          "without an adequate assurance that it will not be carried out?",
    "human_rights_risk": "Are there substantial grounds to believe that assistance would "
                         "expose a person to serious human-rights violations?",
    "discriminatory_purpose": "Does the request aim at prosecuting a person on account of sex, "
                              "race, religion, nationality, ethnic origin or political "
                              "opinions?",
    "ne_bis_in_idem": "Has the person already been finally judged for the same conduct?",
    "person_is_national": "Is the person a national of the requested State?",
    "military_offence": "Is the offence an offence under military law only?",
    "domestic_law_prohibits": "Does the requested State's law forbid this action for a "
                              "similar domestic offence?",
    "contrary_to_legal_system": "Would granting the request be contrary to the requested "
                                "State's legal system?",
    "request_defective": "Does the request fall short of the instrument's form and content "
                         "requirements?",
    "bank_secrecy_only": "Is bank secrecy the only obstacle raised?",
    "not_available_domestically": "Would the measure be unavailable to the requested State's "
                                  "authorities in a similar domestic case?",
    "insufficient_evidence": "Does the evidence offered fall short of the requested State's "
                             "standard for the measure?",
    "extradition_treaty": "Does an extradition treaty other than this instrument bind the two "
                          "States?",
    "treaty_required_for_extradition": "Does the requested State make extradition conditional "
                                       "on a treaty?",
    "amnesty": "Is the offence covered by an amnesty in the requested State, which had "
               "jurisdiction over it?",
    "person_under_age": "Is the person too young to be held criminally responsible under the "
                        "requested State's law?",
    "statute_barred": "Is prosecution or punishment statute-barred under the requested "
                      "State's law, where it had jurisdiction?",
    "prosecution_pending": "Is the person being prosecuted in the requested State for the "
                           "same act?",
    "trial_in_absentia": "Does the request rest on a decision rendered in absentia without "
                         "the guarantees the instrument requires?",
    "committed_in_requested_state": "Did the conduct take place, wholly or partly, on the "
                                    "requested State's territory?",
    "non_criminal_proceedings": "Does the request arise from proceedings brought by "
                                "administrative authorities rather than criminal proceedings?",
    "special_tribunal": "Does the request come from a special or ad hoc tribunal?",
    "urgent": "Is the request urgent?",
    "offence.transnational": "Is the offence transnational (committed in, prepared in, or "
                             "with substantial effects in more than one State)?",
    "offence.organized_criminal_group": "Is an organized criminal group involved?",
    "offence.committed_by_computer": "Was the offence committed by means of a computer "
                                     "system?",
    "offence.electronic_evidence": "Is the evidence sought in electronic form?",
    "offence.category": "What is the offence?",
    "offence.max_penalty_years": "What is the maximum penalty for the offence in the "
                                 "requesting State?",
}
# Unknowns that are the requested State's own assessment, not something the requesting
# State can answer (it may still be asked for the information behind them).
REQUESTED_STATE_ASSESSES = frozenset({
    "no_dual_criminality", "political_offence", "essential_interests", "human_rights_risk",
    "discriminatory_purpose", "domestic_law_prohibits", "contrary_to_legal_system",
    "not_available_domestically", "treaty_required_for_extradition", "amnesty",
    "statute_barred", "prosecution_pending", "person_is_national", "fiscal_offence",
})
_LABELS = {
    "offence.transnational": "transnational offence",
    "offence.organized_criminal_group": "organized criminal group",
    "offence.committed_by_computer": "committed by computer",
    "offence.electronic_evidence": "electronic evidence",
    "offence.category": "offence category",
    "offence.max_penalty_years": "maximum penalty",
}


# -- records --------------------------------------------------------------------------------


@attrs.frozen
class Unknown:
    """An unknown a verdict depends on, in words, with the articles that make it matter."""

    name: str  # as in depends_on
    label: str
    cites: tuple[str, ...]  # short pinpoints, e.g. "Art. 29(5)"


@attrs.frozen
class Ground:
    id: str
    cite: str
    obligatory: bool


@attrs.frozen
class ShortAnswer:
    """One instrument's verdict in words."""

    instrument: str
    title: str
    status: str
    possible: tuple[str, ...]
    text: str
    grounds: tuple[Ground, ...]
    unknowns: tuple[Unknown, ...]  # what decides the status, if it applies
    applies_if: tuple[Unknown, ...]  # what decides whether it applies


@attrs.frozen
class MemoQuestion:
    """Something to ask, worded as a question, with where each answer leads."""

    unknown: str
    text: str
    cites: tuple[str, ...]
    for_requested_state: bool  # the requested State's own assessment
    answers: tuple[str, ...]  # the answers that narrow the verdict, e.g. "yes: may refuse"
    decisive: bool  # among the decisive questions (`coop-logic ask`)


@attrs.frozen
class Caveat:
    kind: str  # unverified | party_data | modelling | networks | reading
    text: str
    link: str = ""


@attrs.frozen
class SourceLink:
    label: str
    url: str
    kind: str  # official (text read) | provision (text not checked) | party_data | network


@attrs.frozen
class Memo:
    """The memo for one request. Every verdict in it is the engine's."""

    request: Request
    closed_world: bool
    question: str
    overall: Overall
    overall_text: str
    answers: tuple[ShortAnswer, ...]
    questions: tuple[MemoQuestion, ...]
    also_relevant: tuple[MemoQuestion, ...]
    send: Option | None
    alternatives: tuple[str, ...]
    networks: tuple[NetworkMatch, ...]
    caveats: tuple[Caveat, ...]
    sources: tuple[SourceLink, ...]
    not_applicable: tuple[tuple[str, str], ...]  # (id, title)

    def to_text(self, width: int = WIDTH) -> str:
        return render_text(self, width)

    def to_markdown(self) -> str:
        return render_markdown(self)

    def to_html(self) -> str:
        return render_html(self)


# -- building -------------------------------------------------------------------------------


def memo(kb: Any, request: Request | Mapping[str, Any], closed_world: bool = False,
         instruments: Sequence[str] | None = None) -> Memo:
    """The memo for `request` (module docstring). `instruments` restricts the instruments
    considered, as for `kb.evaluate` (comity is always considered)."""
    if not isinstance(request, Request):
        request = Request.from_dict(request)
    if instruments:
        request = attrs.evolve(request, instruments=tuple(instruments))
    result: Result = kb.evaluate(request, closed_world=closed_world)
    the_plan: Plan = plan(kb, request, closed_world=closed_world)
    options = {o.instrument: o for o in the_plan.options}
    measure = request.measure
    applies = [n for o in the_plan.options for n in o.applies_depends_on]
    by_inst = unknown_cites(kb, request, closed_world, result, applies)
    answers = []
    not_applicable = []
    for inst_id, verdict in result.verdicts.items():
        inst = kb.instruments[inst_id]
        if verdict.possible == ("not_applicable",):
            not_applicable.append((inst_id, inst.short_title))
            continue
        answers.append(_short_answer(inst, verdict, options.get(inst_id), measure, request,
                                     by_inst))
    rank = {o.instrument: o.rank for o in the_plan.options}
    # Instruments that can give a duty first (the plan's order among them), then the rest.
    answers.sort(key=lambda a: (not {"mandatory", "refusable"} & set(a.possible),
                                rank.get(a.instrument, 999)))
    cites: dict[str, list[str]] = {}
    for (inst_id, name), found in by_inst.items():
        title = kb.instruments[inst_id].short_title
        for c in found:
            label = c if c == "party data" else f"{title}, {c}"
            cites.setdefault(name, [])
            if label not in cites[name]:
                cites[name].append(label)
    questions, also = _questions(kb, request, closed_world, result,
                                 {k: tuple(v) for k, v in cites.items()})
    applicable = [result.verdicts[a.instrument] for a in answers]
    return Memo(
        request=request,
        closed_world=closed_world,
        question=question_text(request),
        overall=result.overall,
        overall_text=overall_text(result.overall),
        answers=tuple(answers),
        questions=questions,
        also_relevant=also,
        send=the_plan.best,
        alternatives=tuple(f"{o.title} ({o.instrument}): {_option_status(o)}"
                           for o in the_plan.alternatives),
        networks=the_plan.networks,
        caveats=_caveats(kb, request, closed_world, applicable, the_plan,
                         partial_gaps(kb, request)),
        sources=_sources(applicable, the_plan),
        not_applicable=tuple(not_applicable),
    )


def state_name(code: str) -> str:
    return state_table().name(code)


def _date_words(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def question_text(request: Request) -> str:
    """The request in words, e.g. "Brazil asks Portugal to search, seize or disclose stored
    computer data (stored_data_access); fraud, maximum penalty 5 years; 1 June 2026"."""
    what = MEASURE_WORDS.get(request.measure, f"for {request.measure}")
    off = request.offence
    parts = [f"{state_name(request.requesting_state)} asks "
             f"{state_name(request.requested_state)} {what} ({request.measure})"]
    offence = off.category.replace("_", " ") if off.category else "offence not stated"
    if off.max_penalty_years is not None:
        offence += f", maximum penalty {off.max_penalty_years:g} years"
    else:
        offence += ", maximum penalty not stated"
    parts.append(offence)
    parts.append(_date_words(request.date))
    text = "; ".join(parts)
    stated = [f for f, v in request.facts.items() if v]
    if stated:
        text += "; stated: " + ", ".join(f.replace("_", " ") for f in stated)
    return text


def overall_text(overall: Overall) -> str:
    """The engine's overall verdict in words (never recomputed)."""
    if overall.status == UNDETERMINED:
        words = " or ".join(STATUS_WORDS[s] for s in overall.possible)
        text = f"undetermined: {words}, depending on the unknowns below"
    else:
        text = f"{overall.status}: {STATUS_WORDS.get(overall.status, overall.status)}"
    if overall.basis:
        text += f" (basis: {', '.join(overall.basis)})"
    return text


def short_cite(cite: str) -> str:
    """'Budapest Convention, Art. 29(5)' -> 'Art. 29(5)'; other cites unchanged."""
    _head, sep, tail = cite.partition(", ")
    if sep and tail[:3].lower() == "art":
        return tail
    return cite


def _label(name: str, request: Request) -> str:
    if name in _LABELS:
        return _LABELS[name]
    if name.startswith("party:"):
        _, inst, state = name.split(":", 2)
        return f"whether {state_name(state)} is bound by {inst}"
    if name.startswith("reservation:"):
        parts = name.split(":")
        return f"{state_name(parts[-1])}'s reservation {parts[2]}"
    return name.replace("_", " ")


def _mentions(inst: Instrument, rule_when: Any, name: str, rule_grounds: Iterable[str]) -> bool:
    """Whether a rule (its condition, or the grounds it gives) turns on the unknown `name`."""
    nodes = list(walk(rule_when))
    grounds = list(rule_grounds)
    for g in grounds:
        own = inst.own_ground(g)
        if own is not None:
            nodes.extend(walk(own.established_by))
    if name in FACTS:
        return name in grounds or any(isinstance(n, Flag) and n.name == name for n in nodes)
    if name.startswith("offence."):
        field = name.removeprefix("offence.")
        if field == "category":
            return any(isinstance(n, CategoryIn) for n in nodes)
        if field == "max_penalty_years":
            return any(isinstance(n, Penalty) for n in nodes)
        return any(isinstance(n, Flag) and n.name == field for n in nodes)
    if name.startswith("reservation:"):
        res_id = name.split(":")[2]
        return any(isinstance(n, Reservation) and n.id == res_id for n in nodes)
    return False


def _static_cites(inst: Instrument, name: str, measure: str) -> list[str]:
    """The rules for the measure that mention `name`, leaving out those another such rule
    overrides, in spec order."""
    rules = [r for r in inst.rules if measure in r.measures
             and _mentions(inst, r.when, name, r.grounds)]
    overridden = {o for r in rules for o in r.overrides}
    return [short_cite(r.cite) for r in rules if r.id not in overridden]


def _probe(request: Request, name: str, value: bool) -> Request | None:
    """The request with the unknown `name` set to `value` (a fact or an offence flag)."""
    if name in FACTS:
        return attrs.evolve(request, facts={**request.facts, name: value})
    field = name.removeprefix("offence.")
    if name.startswith("offence.") and field not in {"category", "max_penalty_years"}:
        return attrs.evolve(request, offence=attrs.evolve(request.offence, **{field: value}))
    return None


def unknown_cites(kb: Any, request: Request, closed_world: bool, result: Result,
                  applies: Sequence[str] = ()) -> dict[tuple[str, str], tuple[str, ...]]:
    """For each (instrument, unknown) of the verdicts, the articles that make the unknown
    matter: the provisions in the traces the engine gives once the unknown is settled one
    way or the other (`kb.evaluate`) whose rules mention it, with the unknowns that decide
    whether an instrument applies (`applies`) settled so that it may: an offence flag set,
    a fact in its ordinary value, false; where no
    trace names one, the spec rules for the measure that mention it (an overridden rule
    left out). At most 2 each; a party-data unknown is cited as party data."""
    measure = request.measure
    names: list[str] = []
    for v in result.verdicts.values():
        names.extend(n for n in v.depends_on if n not in names)
    chosen = list(result.verdicts)
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for name in names:
        found: dict[str, list[str]] = {}
        base = request
        for other in applies:  # an offence flag set, a fact in its ordinary (false) value
            if other != name:
                base = _probe(base, other, other.startswith("offence.")) or base
        for value in (True, False):
            probe = _probe(base, name, value)
            if probe is None:
                continue
            probed = kb.evaluate(probe, closed_world=closed_world, instruments=chosen)
            for inst_id, v in probed.verdicts.items():
                inst = kb.instruments[inst_id]
                for step in v.trace:
                    if not isinstance(step, ProvisionStep):
                        continue
                    try:
                        rule = inst.rule(step.id)
                    except KeyError:
                        continue
                    if _mentions(inst, rule.when, name, rule.grounds):
                        cites = found.setdefault(inst_id, [])
                        if short_cite(step.cite) not in cites:
                            cites.append(short_cite(step.cite))
        for inst_id, v in result.verdicts.items():
            if name not in v.depends_on:
                continue
            if name.startswith("party:"):
                out[(inst_id, name)] = ("party data",)
                continue
            cites = found.get(inst_id) or _static_cites(kb.instruments[inst_id], name, measure)
            out[(inst_id, name)] = tuple(cites[:2])
    return out


def _ground_cite(inst: Instrument, verdict: Verdict, ground: str, measure: str) -> str:
    for step in verdict.trace:
        if isinstance(step, ProvisionStep):
            try:
                rule = inst.rule(step.id)
            except KeyError:
                continue
            if rule.gives(ground):
                return short_cite(step.cite)
    for rule in inst.rules:
        if rule.gives(ground) and measure in rule.measures:
            return short_cite(rule.cite)
    return ""


def _group(unknowns: Sequence[Unknown]) -> str:
    """'political offence, essential interests (Art. 29(5))': unknowns with the same
    articles share them."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for u in unknowns:
        groups.setdefault(u.cites, []).append(u.label)
    parts = []
    for cites, labels in groups.items():
        parts.append(", ".join(labels) + (f" ({'; '.join(cites)})" if cites else ""))
    return "; ".join(parts)


def _short_answer(inst: Instrument, verdict: Verdict, option: Option | None, measure: str,
                  request: Request, cites: Mapping[tuple[str, str], tuple[str, ...]]
                  ) -> ShortAnswer:
    def unknown(name: str) -> Unknown:
        return Unknown(name, _label(name, request), cites.get((inst.id, name), ()))

    grounds = tuple(Ground(g, _ground_cite(inst, verdict, g, measure),
                           g in verdict.obligatory_grounds) for g in verdict.grounds)
    applies_names = option.applies_depends_on if option else ()
    applies_if = tuple(unknown(n) for n in applies_names)
    rest = tuple(unknown(n) for n in verdict.depends_on if n not in applies_names)
    if verdict.determined:
        text = _determined_text(verdict.status, grounds)
    else:
        statuses = [s for s in verdict.possible if s != "not_applicable"]
        core = _undetermined_text(statuses, rest, grounds)
        if "not_applicable" in verdict.possible:
            deciding = applies_if or rest
            text = f"may not apply, depending on: {_group(deciding)}; if it applies: {core}"
        else:
            text = core
    return ShortAnswer(inst.id, inst.short_title, verdict.status, verdict.possible, text,
                       grounds, rest, applies_if)


def _ground_words(grounds: Sequence[Ground]) -> str:
    return ", ".join(f"{g.id}" + (f" ({g.cite})" if g.cite else "") for g in grounds)


def _determined_text(status: str, grounds: Sequence[Ground]) -> str:
    if status == "refusable":
        must = [g for g in grounds if g.obligatory]
        may = [g for g in grounds if not g.obligatory]
        parts = []
        if must:
            parts.append("must refuse: " + _ground_words(must))
        if may:
            parts.append(("may also refuse on: " if must else "may refuse on: ")
                         + _ground_words(may))
        return "; ".join(parts) or "may refuse"
    return STATUS_WORDS.get(status, status)


def _undetermined_text(statuses: Sequence[str], rest: Sequence[Unknown],
                       grounds: Sequence[Ground]) -> str:
    kinds = set(statuses)
    if not rest:
        return " or ".join(STATUS_WORDS[s] for s in statuses)
    if kinds == {"mandatory", "refusable"}:
        return "must assist unless one of: " + _group(rest)
    if len(kinds) == 1:
        (only,) = kinds
        return f"{STATUS_WORDS[only]} (settled by: {_group(rest)})"
    words = " or ".join(STATUS_WORDS[s] for s in statuses)
    return f"{words}, depending on: {_group(rest)}"


def _question(name: str, request: Request, cites: tuple[str, ...],
              answers: tuple[str, ...], decisive: bool) -> MemoQuestion:
    text = QUESTIONS.get(name)
    if text is None and name.startswith("party:"):
        _, inst, state = name.split(":", 2)
        text = (f"Is {state_name(state)} bound by {inst} on {_date_words(request.date)}? "
                "(a gap in the party data: check the treaty office's records)")
    if text is None and name.startswith("reservation:"):
        parts = name.split(":")
        text = (f"Does {state_name(parts[-1])} hold the reservation or declaration "
                f"'{parts[2]}' under {parts[1]}?")
    if text is None:
        text = f"What about {name.replace('_', ' ')}?"
    return MemoQuestion(name, text, cites, name in REQUESTED_STATE_ASSESSES, answers, decisive)


def _answer_words(answer: Any) -> str:
    value = answer.value
    if value is True:
        what = "yes"
    elif value is False:
        what = "no"
    else:
        what = answer.label
    leads = (STATUS_WORDS.get(answer.status, answer.status)
             if answer.status != UNDETERMINED
             else "still " + " or ".join(STATUS_WORDS.get(s, s) for s in answer.possible))
    return f"{what}: {leads}"


def _questions(kb: Any, request: Request, closed_world: bool, result: Result,
               cites: Mapping[str, tuple[str, ...]]
               ) -> tuple[tuple[MemoQuestion, ...], tuple[MemoQuestion, ...]]:
    """The decisive questions for the overall verdict (`questions.decisive_questions`, as
    `coop-logic ask` gives them), then the other unknowns of the verdicts that apply."""
    decisive: tuple[MemoQuestion, ...] = ()
    asked: set[str] = set()
    if result.overall.status == UNDETERMINED:
        qs: Questions = decisive_questions(kb, request, closed_world=closed_world)
        width = len(result.overall.possible)
        decisive = tuple(_question(q.unknown, request, cites.get(q.unknown, ()),
                                   tuple(_answer_words(a) for a in q.answers
                                         if len(a.possible) < width), True)
                         for q in qs.questions)
        asked = {q.unknown for q in qs.questions}
    others: list[str] = []
    for v in result.verdicts.values():
        if v.possible == ("not_applicable",):
            continue
        for name in v.depends_on:
            if name not in asked and name not in others:
                others.append(name)
    also = tuple(_question(n, request, cites.get(n, ()), (), False) for n in others)
    return decisive, also


def _option_status(o: Option) -> str:
    return o.status if not o.undetermined else f"undetermined ({' | '.join(o.possible)})"


# -- caveats and sources --------------------------------------------------------------------


def modelling_link(instrument: str | None = None, heading: str | None = None) -> str:
    """The docs/modelling.md section of an instrument (or a heading), as a repository path
    with its anchor."""
    heading = heading or MODELLING_SECTIONS.get(instrument or "", "")
    return f"{MODELLING_DOC}#{slug(heading)}" if heading else MODELLING_DOC


def slug(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub's) gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def docs_available() -> bool:
    """Whether docs/modelling.md is here (a source checkout), else only in the repository."""
    return any((root / MODELLING_DOC).is_file()
               for root in (Path(__file__).resolve().parents[3], Path.cwd()))


def _undated(step: PartyStep) -> bool:
    return "in data as of" in step.basis or "no date of entry into force" in step.basis


def _caveats(kb: Any, request: Request, closed_world: bool, verdicts: Sequence[Verdict],
             the_plan: Plan, gaps: Sequence[Network]) -> tuple[Caveat, ...]:
    out: list[Caveat] = []
    unverified: list[str] = []
    for v in verdicts:
        for s in v.trace:
            if isinstance(s, ProvisionStep) and not s.text_verified and s.cite not in unverified:
                unverified.append(s.cite)
    best = the_plan.best
    if best is not None:
        for item in (*best.channels, *best.contents, *best.time_limits):
            if not item.text_verified and item.cite not in unverified:
                unverified.append(item.cite)
    if unverified:
        out.append(Caveat("unverified", "Not checked against the official text: "
                          + "; ".join(unverified) + "."))
    seen: set[str] = set()
    for v in verdicts:
        for s in v.trace:
            if isinstance(s, PartyStep) and (s.value is None or _undated(s)) and s.id not in seen:
                seen.add(s.id)
                out.append(Caveat("party_data", f"Party data, {s.instrument}, "
                                  f"{state_name(s.state)}: {s.basis}.",
                                  modelling_link(heading=INPUT_SECTION)))
            if isinstance(s, ReservationStep) and s.value is None and s.id not in seen:
                seen.add(s.id)
                out.append(Caveat("party_data", f"Reservation data, {s.instrument}, "
                                  f"{state_name(s.state)} (art. {s.article}): {s.basis}."))
    linked: set[str] = set()
    for v in verdicts:
        link = modelling_link(v.instrument)
        if link in linked:
            continue
        linked.add(link)
        where = "" if docs_available() else f" ({REPOSITORY_DOCS})"
        out.append(Caveat("modelling", f"Modelling choices for {v.title}: see {link}{where}.",
                          link))
    if gaps:
        out.append(Caveat("networks", "Network membership data is partial for: "
                          + ", ".join(f"{n.name} (as of {n.as_of})" for n in gaps)
                          + "; the States may belong although the data does not say so."))
    if closed_world:
        out.append(Caveat("reading", "Closed world: every fact the request leaves out was read "
                          "as false."))
    elif any(not v.determined for v in verdicts):
        out.append(Caveat("reading", "Open world: facts the request leaves out are unknown, "
                          "not false; the answers above name what they depend on."))
    return tuple(out)


def _sources(verdicts: Sequence[Verdict], the_plan: Plan) -> tuple[SourceLink, ...]:
    """Each cited provision with its source URL, those whose official text was read first;
    then party data; then the networks named."""
    provisions: list[tuple[str, str, bool]] = []
    for v in verdicts:
        for s in v.trace:
            if isinstance(s, ProvisionStep) and s.source:
                provisions.append((s.cite, s.source, s.text_verified))
    best = the_plan.best
    if best is not None:
        for item in (*best.channels, *best.contents, *best.time_limits):
            if item.source:
                provisions.append((item.cite, item.source, item.text_verified))
    out: list[SourceLink] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, url: str, kind: str) -> None:
        if (label, url) not in seen and url:
            seen.add((label, url))
            out.append(SourceLink(label, url, kind))

    for cite, url, verified in sorted(provisions, key=lambda p: not p[2]):
        add(cite, url, "official" if verified else "provision")
    for v in verdicts:
        for s in v.trace:
            if isinstance(s, PartyStep) and s.source.startswith("http"):
                add(f"Party data, {s.instrument}, {state_name(s.state)}", s.source, "party_data")
    for net in the_plan.networks:
        for m in (net.requesting, net.requested):
            if m.source.startswith("http"):
                add(f"{net.name}: {state_name(m.state)}", m.source, "network")
    return tuple(out)


# -- rendering ------------------------------------------------------------------------------


def _time_limit(t: Any) -> str:
    amount = f"{t.days} days" if t.days is not None else f"{t.hours} hours"
    return f"{amount} ({t.kind.replace('_', ' ')}): {t.summary}"


def _if(holds: bool | None) -> str:
    return " (depending on unknown facts)" if holds is None else ""


def _sections(m: Memo) -> list[tuple[str, list[tuple[str, str]]]]:
    """The memo as titled sections of (kind, text) items, shared by every renderer. Kinds:
    p (a paragraph), li (a bullet), check (a checklist item), cite (a citation under an
    item), link:URL (a bullet with a link)."""
    r = m.request
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    sections.append(("Question", [("p", m.question + ".")]))
    short = [("p", f"Overall (engine): {m.overall_text}.")]
    for a in m.answers:
        short.append(("li", f"{a.title} ({a.instrument}): {a.text}."))
    sections.append(("Short answer", short))
    asked = [q for q in (*m.questions, *m.also_relevant) if not q.for_requested_state]
    assessed = [q for q in (*m.questions, *m.also_relevant) if q.for_requested_state]
    ask: list[tuple[str, str]] = []
    if not asked:
        ask.append(("p", "Nothing: no unknown the requesting State can answer."))
    elif not m.questions:
        ask.append(("p", "The overall answer does not turn on these; each narrows the answer "
                         "of an instrument above:"))
    for n, q in enumerate(asked, 1):
        ask.append(("li", f"{n}. {q.text}"))
        detail = ("I" + _ifs(q.answers)[1:] + ". ") if q.answers else ""
        if q.cites:
            detail += "Matters under: " + "; ".join(q.cites) + "."
        if detail:
            ask.append(("cite", detail.strip()))
    sections.append((f"What to ask {state_name(r.requesting_state)}", ask))
    if assessed:
        items = []
        for q in assessed:
            lead = q.unknown.replace("_", " ")
            where = f" ({'; '.join(q.cites)})" if q.cites else ""
            leads = f": {_ifs(q.answers)}" if q.answers else ""
            items.append(("li", f"{lead}{where}{leads}."))
        sections.append((f"For {state_name(r.requested_state)} to assess", items))
    send: list[tuple[str, str]] = []
    o = m.send
    if o is None:
        send.append(("p", "No instrument can carry this request."))
    else:
        send.append(("p", f"Best basis: {o.title} ({o.instrument}), {_option_status(o)}; "
                          f"{o.why}."))
        if o.note:
            send.append(("p", o.note))
        for c in o.channels:
            send.append(("li", f"Channel: {_channel(c.id)} (speed {c.speed}){_if(c.holds)}"
                               f": {c.summary}"))
            send.append(("cite", c.cite))
        for item in o.contents:
            send.append(("check", f"{item.text}{_if(item.holds)}"))
            send.append(("cite", item.cite))
        for t in o.time_limits:
            send.append(("li", f"Time limit: {_time_limit(t)}{_if(t.holds)}"))
            send.append(("cite", t.cite))
        if not o.has_procedure:
            send.append(("p", "No procedure is encoded for this instrument."))
    if m.alternatives:
        send.append(("p", "Alternatives: " + "; ".join(m.alternatives) + "."))
    if m.networks:
        send.append(("p", "Networks both States belong to that serve this request:"))
        for net in m.networks:
            note = "" if net.completeness == "complete" else (
                f" (membership data {net.completeness}, as of {net.as_of})")
            roles = [f"{state_name(x.state)}: {x.role.replace('_', ' ')}"
                     for x in (net.requesting, net.requested) if x.role]
            if roles:
                note += f" ({'; '.join(roles)})"
            if net.home:
                send.append((f"link:{net.home}", f"{net.name}{note}"))
            else:
                send.append(("li", f"{net.name}{note}"))
    else:
        send.append(("p", "No practitioner network on file serves this request for both "
                          "States."))
    sections.append(("How to send it", send))
    cav: list[tuple[str, str]] = []
    for c in m.caveats:
        cav.append(("li", c.text))
    sections.append(("Caveats", cav))
    src: list[tuple[str, str]] = []
    for s in m.sources:
        tag = {"official": "", "provision": " [text not checked]", "party_data": "",
               "network": ""}[s.kind]
        src.append((f"link:{s.url}", f"{s.label}{tag}"))
    sections.append(("Sources (official text first)", src))
    na = ", ".join(f"{title} ({i})" for i, title in m.not_applicable) or "none"
    sections.append(("Do not apply", [("p", na + ".")]))
    return sections


def _channel(kind: str) -> str:
    return "24/7 network" if kind == "network_24_7" else kind.replace("_", " ")


def _ifs(answers: Sequence[str]) -> str:
    """'yes: may refuse', 'no: ...' -> 'if yes: may refuse; if no: ...'."""
    return "; ".join(f"if {a}" for a in answers)


def _title(m: Memo) -> str:
    r = m.request
    return (f"Memo: {state_name(r.requesting_state)} -> {state_name(r.requested_state)}, "
            f"{r.measure} ({_date_words(r.date)})")


def render_text(m: Memo, width: int = WIDTH) -> str:
    """Plain text, every line at most `width` columns (a URL longer than that stands alone)."""
    out = [*textwrap.wrap(_title(m), width), "=" * min(width, len(_title(m)))]

    def wrap(text: str, first: str, rest: str) -> None:
        out.extend(textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                                 break_long_words=False, break_on_hyphens=False) or [first])

    for title, items in _sections(m):
        out.append("")
        out.append(title.upper())
        for kind, text in items:
            if kind == "p":
                wrap(text, "  ", "  ")
            elif kind == "li":
                wrap(text, "  - ", "    ")
            elif kind == "check":
                wrap(text, "  [ ] ", "      ")
            elif kind == "cite":
                wrap(text, "      ", "      ")
            elif kind.startswith("link:"):
                wrap(text, "  - ", "    ")
                url = kind.removeprefix("link:")
                out.append(("    " + url) if len(url) + 4 <= width else url)
    out.append("")
    wrap(DISCLAIMER, "", "")
    return "\n".join(out) + "\n"


def render_markdown(m: Memo) -> str:
    out = [f"# {_title(m)}"]
    for title, items in _sections(m):
        out += ["", f"## {title}", ""]
        for kind, text in items:
            if kind == "p":
                if out[-1]:  # end a list before a paragraph
                    out.append("")
                out += [text, ""]
            elif kind == "li":
                out.append(f"- {text}")
            elif kind == "check":
                out.append(f"- [ ] {text}")
            elif kind == "cite":
                out.append(f"  <br>*{text}*")
            elif kind.startswith("link:"):
                out.append(f"- [{text}]({kind.removeprefix('link:')})")
    out += ["", f"*{DISCLAIMER}*", ""]
    return "\n".join(out)


CSS = """
@page { size: A4; margin: 11mm 12mm; }
html { font: 8.6pt/1.28 "Liberation Sans", Arial, Helvetica, sans-serif; color: #111; }
body { max-width: 186mm; margin: 0 auto; padding: 6mm 0; }
h1 { font-size: 12.5pt; margin: 0 0 1.5mm; border-bottom: 2px solid #234;
     padding-bottom: 1mm; }
h2 { font-size: 9.4pt; margin: 2.6mm 0 .6mm; color: #234; text-transform: uppercase;
     letter-spacing: .04em; }
p { margin: .6mm 0; }
ul { margin: .4mm 0; padding-left: 4.5mm; }
li { margin: .25mm 0; }
li.check { list-style: none; margin-left: -3.5mm; }
li.check::before { content: "\\2610  "; }
.cite { color: #555; font-size: 7.6pt; }
.cite::before { content: " \\2014  "; }
p.cite::before { content: ""; }
.overall { font-weight: bold; }
section.sources ul, section.send ul.checklist { columns: 2; column-gap: 6mm; }
section.ask ul { list-style: none; padding-left: 0; }
section.sources li { font-size: 7.6pt; break-inside: avoid; }
a { color: #124; text-decoration: none; border-bottom: 1px dotted #124;
    overflow-wrap: anywhere; }
footer { margin-top: 3mm; font-size: 7.6pt; color: #555; }
@media print {
  body { padding: 0; }
  h2 { break-after: avoid; }
  li, p { break-inside: avoid; }
  a { border: 0; }
}
"""


def render_html(m: Memo) -> str:
    """One self-contained page: inline CSS, no script, no external resource; links only in
    `<a href>`; prints on A4."""
    e = html.escape
    body = [f"<h1>{e(_title(m))}</h1>"]
    for title, items in _sections(m):
        cls = {"Sources (official text first)": ' class="sources"',
               "How to send it": ' class="send"'}.get(title, "")
        if title.startswith("What to ask"):
            cls = ' class="ask"'
        body.append(f"<section{cls}><h2>{e(title)}</h2>")
        in_list = False
        current = ""
        for kind, text in items:
            is_item = kind in {"li", "check"} or kind.startswith("link:")
            if kind == "cite":
                if in_list and body[-1].endswith("</li>"):
                    body[-1] = body[-1][:-5] + f'<span class="cite">{e(text)}</span></li>'
                else:
                    body.append(f'<p class="cite">{e(text)}</p>')
                continue
            list_class = ' class="checklist"' if kind == "check" else ""
            if in_list and is_item and (kind == "check") != (current == "check"):
                body.append("</ul>")
                in_list = False
            if is_item and not in_list:
                body.append(f"<ul{list_class}>")
                in_list = True
                current = kind
            if not is_item and in_list:
                body.append("</ul>")
                in_list = False
            if kind == "p":
                cls = ' class="overall"' if text.startswith("Overall (engine)") else ""
                body.append(f"<p{cls}>{e(text)}</p>")
            elif kind == "li":
                body.append(f"<li>{e(text)}</li>")
            elif kind == "check":
                body.append(f'<li class="check">{e(text)}</li>')
            else:
                url = kind.removeprefix("link:")
                body.append(f'<li><a href="{e(url)}">{e(text)}</a></li>')
        if in_list:
            body.append("</ul>")
        body.append("</section>")
    body.append(f"<footer>{e(DISCLAIMER)}</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{e(_title(m))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
