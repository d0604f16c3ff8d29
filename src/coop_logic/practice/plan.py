"""The best legal basis for a request, and the request checklist (`coop-logic plan`).

`plan(kb, request)` evaluates the request, keeps the instruments that can be a basis for it
(every verdict but `not_applicable`), and ranks them:

1. a basis that certainly applies (`not_applicable` is not among its possible statuses)
   before one that may not apply; for the latter, the unknowns that decide whether it
   applies are named (`applies_depends_on`). A basis under which the requested State must
   refuse (an established ground the instrument makes obligatory: `obligatory_grounds`)
   comes after every other: it cannot carry the request;
2. then the status: mandatory > refusable > discretionary. A basis that certainly applies
   is ranked by the weakest status it can take (`at_least`: its status when determined),
   and at the same `at_least` a determined basis comes before an undetermined one; one
   that may not apply is ranked by the strongest status it can take (`ranked_as`);
3. then the fewest refusal grounds available to the requested State for this measure:
   a ground counts when some rule of the instrument giving it can fire, undefeated, for
   some value of the request's unknowns (whether it is *established* is reported beside
   it, not counted); a discretionary basis has no duty, so no ground counts for it;
4. then the fastest channel: the lowest `speed` among the channels of the instrument's
   `procedure:` whose conditions can hold (an instrument without channels for the measure
   ranks by its procedure's `speed`; one without a procedure ranks last);
5. then the order in which the instruments were loaded.

For each basis the plan gives the channels whose conditions hold (or may hold: `holds`
null), the contents a request must carry, and the time limits, each with its citation.
Conditions are decided with z3 over the compiled inputs and the request's known values:
true when entailed, false (the item is left out) when impossible, null otherwise. Nothing
here reads files.

In a notebook a plan shows itself as HTML (`_repr_html_`), and `plan[instrument_id]` is
that instrument's `Option`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import z3

from coop_logic.engine.compile import SOLVER_TIMEOUT_MS, penalty_key
from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.errors import SolverError
from coop_logic.explain.markup import record_html
from coop_logic.explain.notebook import request_line, request_words, stacked_html
from coop_logic.model.conditions import And, Condition, Not, Or, Penalty
from coop_logic.model.instrument import Instrument
from coop_logic.model.request import Request
from coop_logic.model.result import Overall, Verdict, unknown_key
from coop_logic.spec.networks import NetworkMatch, serving
from coop_logic.vocabulary import UNDETERMINED

STATUS_RANK = {"mandatory": 0, "refusable": 1, "discretionary": 2}
NO_PROCEDURE_SPEED = 99  # ranks an instrument without a `procedure:` after every other
RANKING = (
    "applicability: a basis that certainly applies before one that may not apply; one under "
    "which the requested State must refuse last",
    "status: mandatory > refusable > discretionary; a basis that certainly applies by the "
    "weakest status it can take (determined before undetermined at equal strength), one "
    "that may not apply by the strongest",
    "fewest refusal grounds available to the requested State for the measure",
    "fastest channel (lowest speed rank)",
)


# -- records --------------------------------------------------------------------------------


def _source(text: str) -> str | None:
    return text or None


@attrs.frozen
class GroundOption:
    """A refusal ground the instrument makes available for the measure."""

    id: str
    certain: bool  # available whatever the unknowns (else: available for some values)
    established: bool | None  # established by the request's facts; None: unknown

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "certain": self.certain, "established": self.established}


@attrs.frozen
class ChannelOption:
    id: str
    holds: bool | None  # True: its condition holds; None: it depends on unknowns
    speed: int
    when: str
    cite: str
    summary: str
    source: str
    text_verified: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "holds": self.holds, "speed": self.speed, "when": self.when,
                "cite": self.cite, "summary": self.summary, "source": _source(self.source),
                "text_verified": self.text_verified}


@attrs.frozen
class ContentOption:
    id: str
    holds: bool | None
    text: str
    cite: str
    source: str
    text_verified: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "holds": self.holds, "text": self.text, "cite": self.cite,
                "source": _source(self.source), "text_verified": self.text_verified}


@attrs.frozen
class TimeLimitOption:
    id: str
    holds: bool | None
    kind: str
    days: int | None
    hours: int | None
    summary: str
    cite: str
    source: str
    text_verified: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "holds": self.holds, "kind": self.kind, "days": self.days,
                "hours": self.hours, "summary": self.summary, "cite": self.cite,
                "source": _source(self.source), "text_verified": self.text_verified}


@attrs.frozen
class Option:
    """One instrument as a basis for the request, with what acting on it takes."""

    rank: int
    instrument: str
    title: str
    status: str
    possible: tuple[str, ...]
    ranked_as: str  # the strongest status it can take
    obligatory_grounds: tuple[str, ...]  # established grounds on which it must refuse
    at_least: str | None  # the weakest status it can take; None: it may not apply
    applies_depends_on: tuple[str, ...]  # the unknowns that decide whether it applies
    why: str  # why it ranks where it does, in words
    depends_on: tuple[str, ...]
    grounds: tuple[GroundOption, ...]
    speed: int | None
    channels: tuple[ChannelOption, ...]
    contents: tuple[ContentOption, ...]
    time_limits: tuple[TimeLimitOption, ...]
    has_procedure: bool
    note: str
    basis: tuple[dict[str, Any], ...]

    @property
    def undetermined(self) -> bool:
        return self.status == UNDETERMINED

    @property
    def certainly_applies(self) -> bool:
        return self.at_least is not None

    @property
    def must_refuse(self) -> bool:
        return bool(self.obligatory_grounds)

    @property
    def heading(self) -> str:
        """'1. Budapest Convention [budapest]: mandatory'."""
        status = self.status
        if self.undetermined:
            status += " (" + " or ".join(self.possible) + ")"
        if self.must_refuse:
            status += ", the requested State must refuse"
        return f"{self.rank}. {self.title} [{self.instrument}]: {status}"

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: why the basis ranks where it does, and what acting on it
        takes (channels, contents, time limits), each with its citation."""
        return record_html(self.heading, _option_words(self))

    def ranking_key(self) -> tuple[int, int, int, int, int, int, int]:
        """The sort key of the ranking (module docstring), without the load order."""
        strength = self.at_least if self.at_least is not None else self.ranked_as
        return (int(self.must_refuse), 0 if self.certainly_applies else 1, STATUS_RANK[strength],
                1 if self.undetermined else 0, STATUS_RANK[self.ranked_as], len(self.grounds),
                NO_PROCEDURE_SPEED if self.speed is None else self.speed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "instrument": self.instrument,
            "title": self.title,
            "status": self.status,
            "possible": list(self.possible),
            "ranked_as": self.ranked_as,
            "obligatory_grounds": list(self.obligatory_grounds),
            "must_refuse": self.must_refuse,
            "at_least": self.at_least,
            "certainly_applies": self.certainly_applies,
            "applies_depends_on": list(self.applies_depends_on),
            "why": self.why,
            "undetermined": self.undetermined,
            "depends_on": list(self.depends_on),
            "grounds_available": [g.to_dict() for g in self.grounds],
            "speed": self.speed,
            "procedure": self.has_procedure,
            "channels": [c.to_dict() for c in self.channels],
            "contents": [c.to_dict() for c in self.contents],
            "time_limits": [t.to_dict() for t in self.time_limits],
            "note": self.note or None,
            "basis": [dict(b) for b in self.basis],
        }


@attrs.frozen
class Plan:
    """The ranked bases for a request: `best` first, then the alternatives."""

    request: Request
    closed_world: bool
    overall: Overall
    options: tuple[Option, ...]
    not_applicable: tuple[str, ...]
    # Practitioner networks both States belong to that serve the measure (networks.py).
    networks: tuple[NetworkMatch, ...] = ()

    @property
    def best(self) -> Option | None:
        return self.options[0] if self.options else None

    @property
    def alternatives(self) -> tuple[Option, ...]:
        return self.options[1:]

    def __getitem__(self, instrument: str) -> Option:
        """The option of `instrument`; a KeyError names the close id and the bases there
        are (and says so when the instrument does not apply to the request)."""
        for option in self.options:
            if option.instrument == instrument:
                return option
        bases = [o.instrument for o in self.options]
        if instrument in self.not_applicable:
            raise KeyError(f"{instrument!r} is not a basis for this request: it does not "
                           f"apply; the bases are: {', '.join(bases)}")
        raise KeyError(unknown_key("basis", instrument, bases))

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the request in words, the overall verdict, then the
        bases best first with their channels, contents and time limits, each cited."""
        ov = self.overall
        head: dict[str, object] = request_words(self.request, self.closed_world)
        still = f"{' or '.join(ov.possible)}; " if ov.status == UNDETERMINED else ""
        head["overall"] = f"{ov.status} ({still}basis: {', '.join(ov.basis) or 'none'})"
        head["not a basis (does not apply)"] = list(self.not_applicable)
        if self.networks:
            head["networks of both States for the measure"] = [
                f"{n.name} ({n.id})" for n in self.networks]
        head["ranking"] = {str(i): rule for i, rule in enumerate(RANKING, 1)}
        return stacked_html(record_html(f"Plan: {request_line(self.request)}", head),
                            [o._repr_html_() for o in self.options])

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request.to_dict(),
            "closed_world": self.closed_world,
            "overall": self.overall.to_dict(),
            "ranking": list(RANKING),
            "best": self.best.to_dict() if self.best else None,
            "alternatives": [o.to_dict() for o in self.alternatives],
            "not_applicable": list(self.not_applicable),
            "networks": [n.to_dict() for n in self.networks],
        }


def _cited(text: str, cite: str, text_verified: bool, holds: bool | None = True,
           when: str = "") -> str:
    """An item of a plan in words: what it says, its citation, whether it depends on an
    unknown, and whether its text is verified."""
    out = f"{text} ({cite})"
    if holds is None:
        out += f"; only if {when}" if when else "; depends on unknowns"
    if not text_verified:
        out += " [text not verified]"
    return out


def _period(limit: TimeLimitOption) -> str:
    if limit.days is not None:
        return f"{limit.days} days"
    return f"{limit.hours} hours" if limit.hours is not None else "no fixed period"


def _established(value: bool | None) -> str:
    return {True: "established", False: "not established", None: "unknown"}[value]


def _option_words(option: Option) -> dict[str, object]:
    """An option for `record_html`: its ranking, grounds, channels, contents and time
    limits in words, each by its id and with its citation."""
    words: dict[str, object] = {"why": option.why}
    if option.applies_depends_on:
        words["whether it applies depends on"] = list(option.applies_depends_on)
    if option.undetermined:
        words["decided by the unknowns"] = list(option.depends_on)
    if option.must_refuse:
        words["must refuse on"] = list(option.obligatory_grounds)
    words["refusal grounds available"] = {
        g.id: _established(g.established)
        + ("" if g.certain else " (available only for some values of the unknowns)")
        for g in option.grounds}
    if not option.has_procedure:
        words["procedure"] = "none encoded for this instrument"
    words["channels, fastest first"] = {
        c.id: _cited(f"speed {c.speed}: {c.summary}", c.cite, c.text_verified, c.holds, c.when)
        for c in option.channels}
    words["contents of the request"] = {
        c.id: _cited(c.text, c.cite, c.text_verified, c.holds) for c in option.contents}
    words["time limits"] = {
        t.id: _cited(f"{t.kind.replace('_', ' ')}, {_period(t)}: {t.summary}", t.cite,
                     t.text_verified, t.holds) for t in option.time_limits}
    if option.note:
        words["note"] = option.note
    words["rests on"] = {b["id"]: b["cite"] + ("" if b["text_verified"] else " [text not verified]")
                         for b in option.basis}
    return words


# -- the plan -------------------------------------------------------------------------------


def plan(kb: Any, request: Request | Mapping[str, Any], closed_world: bool = False,
         instruments: Sequence[str] | None = None) -> Plan:
    """Rank the instruments that can carry `request` and give, for each, the channels,
    the contents checklist and the time limits of its `procedure:` (module docstring)."""
    if not isinstance(request, Request):
        request = Request.from_dict(request)
    result = kb.evaluate(request, closed_world=closed_world, instruments=instruments)
    reading = request.closed() if closed_world else request
    oracle = _Oracle(kb, reading)
    order = {inst_id: i for i, inst_id in enumerate(kb.instruments)}
    candidates = []
    not_applicable = []
    for inst_id, verdict in result.verdicts.items():
        possible = [s for s in verdict.possible if s in STATUS_RANK]
        if not possible:
            not_applicable.append(inst_id)
            continue
        candidates.append(_option(oracle, kb.instruments[inst_id], verdict, possible))
    candidates.sort(key=lambda o: (*o.ranking_key(), order[o.instrument]))
    options = tuple(attrs.evolve(o, rank=i + 1) for i, o in enumerate(candidates))
    return Plan(request, closed_world, result.overall, options, tuple(not_applicable),
                serving(kb, request))


def _option(oracle: _Oracle, inst: Instrument, verdict: Verdict,
            possible: list[str]) -> Option:
    measure = oracle.request.measure
    ranked_as = min(possible, key=STATUS_RANK.__getitem__)
    certain = "not_applicable" not in verdict.possible
    at_least = max(possible, key=STATUS_RANK.__getitem__) if certain else None
    applies_depends_on = () if certain else oracle.applies_depends_on(inst, verdict.depends_on)
    grounds = () if ranked_as == "discretionary" else oracle.grounds(inst, measure)
    channels: list[ChannelOption] = []
    contents: list[ContentOption] = []
    limits: list[TimeLimitOption] = []
    proc = inst.procedure
    speed: int | None = None
    if proc is not None:
        for ch in proc.channels:
            if measure not in ch.measures:
                continue
            holds = oracle.holds(inst, ch.when)
            if holds is not False:
                channels.append(ChannelOption(ch.id, holds, ch.speed or proc.speed, ch.when_text,
                                              ch.cite, ch.summary, ch.source, ch.text_verified))
        for item in proc.contents:
            if measure not in item.measures:
                continue
            holds = oracle.holds(inst, item.when)
            if holds is not False:
                contents.append(ContentOption(item.id, holds, item.text, item.cite, item.source,
                                              item.text_verified))
        for tl in proc.time_limits:
            if measure not in tl.measures:
                continue
            holds = oracle.holds(inst, tl.when)
            if holds is not False:
                limits.append(TimeLimitOption(tl.id, holds, tl.kind, tl.days, tl.hours,
                                              tl.summary, tl.cite, tl.source, tl.text_verified))
        channels.sort(key=lambda c: c.speed)  # fastest first, spec order among equals
        speed = min((c.speed for c in channels), default=proc.speed)
    basis = tuple({"id": s.id, "cite": s.cite, "text_verified": s.text_verified}
                  for s in verdict.trace if s.kind == "provision")
    why = _why(verdict, possible, at_least, applies_depends_on)
    return Option(0, inst.id, inst.short_title, verdict.status, verdict.possible, ranked_as,
                  verdict.obligatory_grounds, at_least, applies_depends_on, why,
                  verdict.depends_on, grounds, speed, tuple(channels), tuple(contents),
                  tuple(limits), proc is not None, proc.note if proc else "", basis)


def _why(verdict: Verdict, possible: list[str], at_least: str | None,
         applies_depends_on: tuple[str, ...]) -> str:
    """Why a basis ranks where it does: whether it applies, and what status it gives."""
    if verdict.obligatory_grounds:
        return ("certainly applies, but the requested State must refuse: "
                + ", ".join(verdict.obligatory_grounds))
    if verdict.status != UNDETERMINED:
        return f"certainly applies: {verdict.status}"
    if at_least is None:
        deciding = ", ".join(applies_depends_on or verdict.depends_on)
        return (f"may not apply: depends on {deciding}; if it applies: "
                + " or ".join(possible))
    better = [s for s in possible if s != at_least]
    return f"certainly applies: at least {at_least}, possibly {' or '.join(better)}"


class _Oracle:
    """Decides conditions for one request with z3: entailed, impossible or open, given the
    request's known values (the engine's reading of them) and the inputs' constraints."""

    def __init__(self, kb: Any, request: Request) -> None:
        compiled = kb.compiled
        self.request = request
        self.compiled = compiled
        self.enc = compiled.encoder
        self.ctx = compiled.ctx
        self.solver = z3.SolverFor("QF_FD", ctx=self.ctx)
        self.solver.set("timeout", SOLVER_TIMEOUT_MS)
        inputs = compiled.inputs
        for c in inputs.constraints():
            self.solver.add(c)
        facts = RequestFacts(kb.engine, request)
        self.facts = facts
        for key, value in facts.values.items():
            var = inputs.var(key)
            self.solver.add(var if value else z3.Not(var))
        self._fresh: dict[str, z3.BoolRef] = {}

    # three-valued evaluation ---------------------------------------------------------------

    def _sat(self, term: z3.BoolRef) -> bool:
        self.solver.push()
        try:
            self.solver.add(term)
            answer = self.solver.check()
        finally:
            self.solver.pop()
        if answer == z3.unknown:
            raise SolverError("the solver could not decide a procedure condition: "
                              + self.solver.reason_unknown())
        return answer == z3.sat

    def value(self, term: z3.BoolRef) -> bool | None:
        if not self._sat(term):
            return False
        if not self._sat(z3.Not(term)):
            return True
        return None

    def holds(self, inst: Instrument, cond: Condition) -> bool | None:
        return self.value(self.encode(inst, cond))

    # encoding ------------------------------------------------------------------------------

    def encode(self, inst: Instrument, cond: Condition) -> z3.BoolRef:
        """A condition as a z3 term over the compiled inputs. A penalty threshold no rule
        uses has no input atom: it is read from the request, or left free when unknown."""
        match cond:
            case Not(arg):
                return z3.Not(self.encode(inst, arg))
            case And(args):
                return z3.And(*[self.encode(inst, a) for a in args])
            case Or(args):
                return z3.Or(*[self.encode(inst, a) for a in args])
            case Penalty(op, threshold):
                key = penalty_key(op, threshold)
                if key in self.compiled.inputs.by_key:
                    return self.enc.condition(cond, inst)
                years = self.request.offence.max_penalty_years
                if years is not None:
                    holds = {">=": years >= threshold, ">": years > threshold,
                             "<=": years <= threshold, "<": years < threshold}[op]
                    return z3.BoolVal(holds, self.ctx)
                atom = self._fresh.setdefault(key, z3.Bool(f"plan:{key}", self.ctx))
                return z3.Not(atom) if op in {"<=", "<"} else atom
        return self.enc.condition(cond, inst)

    # applicability -----------------------------------------------------------------------

    def applies_depends_on(self, inst: Instrument, depends_on: Sequence[str]) -> tuple[str, ...]:
        """The unknowns among `depends_on` that decide whether `inst` applies: those with a
        value that rules out that it applies, or that it does not."""
        applies = self.enc.terms(inst.id).applies
        out = []
        for group in sorted(self.facts.unknown_groups, key=self._group_order):
            name = self.facts.public_name(group)
            if name not in depends_on:
                continue
            if any(not self._sat(z3.And(value, outcome))
                   for value in self._group_values(group) if self._sat(value)
                   for outcome in (applies, z3.Not(applies))):
                out.append(name)
        return tuple(sorted(out, key=list(depends_on).index))

    def _group_order(self, group: str) -> int:
        return self.compiled.inputs.order[self.compiled.inputs.groups[group][0].key]

    def _group_values(self, group: str) -> list[z3.BoolRef]:
        """Each value an unknown input group can take, as a term fixing it."""
        atoms = self.compiled.inputs.groups[group]
        if group == "offence.category":
            return [a.var for a in atoms]
        if group == "offence.max_penalty_years":  # a chain: the first k thresholds reached
            return [z3.And(*[a.var if i < k else z3.Not(a.var) for i, a in enumerate(atoms)])
                    for k in range(len(atoms) + 1)]
        return [atoms[0].var, z3.Not(atoms[0].var)]

    # refusal grounds -----------------------------------------------------------------------

    def grounds(self, inst: Instrument, measure: str) -> tuple[GroundOption, ...]:
        """The grounds some rule gives for `measure` without a rule taking them away, for
        some value of the unknowns (`certain`: for every value), as in compile's encoding
        of a ground, without the condition that it is established."""
        fires = {r.id: z3.And(self.enc.measure_in(r.measures), self.encode(inst, r.when))
                 for r in inst.rules}
        out = []
        for g in inst.ground_ids:
            givers = []
            for r in inst.rules:
                if not r.gives(g) or measure not in r.measures:
                    continue
                defeaters = [fires[e.id] for e in inst.rules
                             if e.id != r.id and e.removes(g) and e.id not in r.overrides]
                givers.append(z3.And(fires[r.id], z3.Not(z3.Or(*defeaters)))
                              if defeaters else fires[r.id])
            if not givers:
                continue
            available = self.value(z3.Or(*givers) if len(givers) > 1 else givers[0])
            if available is False:
                continue
            own = inst.own_ground(g)
            established = self.value(self.encode(inst, own.established_by) if own
                                     else self.compiled.inputs.var(f"fact:{g}"))
            out.append(GroundOption(g, available is True, established))
        return tuple(out)
