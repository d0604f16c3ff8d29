"""A plain-Python reference evaluator of the spec model: an independent oracle for tests.

The engine (`compile`, `solve`) answers requests through z3. This module answers the same
questions from the same model (`model.Instrument`, `conditions`) by reading
docs/spec-language.md ("The verdict, from the rules") literally and enumerating, with no
z3 and no code shared with the engine beyond the model, the party-data reading
(`parties`) and the request (`request`). The differential tests
(tests/differential/) require both to agree; a disagreement is a bug in one of them.

What it computes, for a request and the instruments considered (comity always among them):

- per instrument: the status, the statuses still `possible` over every completion of the
  unknown inputs, the `grounds` (available and established) of a refusable verdict, and
  `depends_on`: the unknowns some value of which changes the possible set;
- overall: the strongest status (mandatory > refusable > discretionary) over the
  instruments considered, its `possible` set over joint completions, its `basis` and its
  `depends_on`.

The unknown inputs are the Boolean facts and offence flags a request leaves out, the party,
protocol and reservation atoms the party data leaves unknown on the request's date, the
offence category (one representative per class of categories that no condition tells
apart) and the maximum penalty (one value per interval cut by the thresholds the
conditions use, the thresholds themselves included).

Enumeration. Conditions are evaluated in Kleene's three-valued logic, an unknown value
being `Unknown(on)` with the unknown inputs it waits for. Completions are enumerated by
case splitting: while the value asked for (a status, a set of grounds, the overall
status) is unknown, one input it waits for is fixed to each of its values in turn. A
partial assignment under which the value is already known stands for all its completions
(three-valued evaluation is sound: a value known under a partial assignment is the value
under every completion), so this is exactly the set of values over every completion, only
without visiting completions one by one. `exhaustive=True` visits every completion of the
inputs the conditions mention instead; the tests check that both agree. Either way the
cost is exponential in the number of unknowns: fine for tests, not for production.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from coop_logic.model.conditions import (
    And,
    Bound,
    BoundAny,
    CategoryIn,
    Condition,
    Const,
    Flag,
    MeasureIn,
    Not,
    Or,
    Penalty,
    Protocol,
    Reservation,
    walk,
)
from coop_logic.model.instrument import Instrument, Rule
from coop_logic.model.request import Request
from coop_logic.spec.party_data import declared_status, party_status, protocol_data
from coop_logic.vocabulary import CATEGORIES, FACTS, OFFENCE_FLAGS, OVERALL_ORDER, STATUSES, UNDETERMINED

ROLES = ("requesting", "requested")
CATEGORY = "offence.category"
PENALTY = "offence.max_penalty_years"

# -- three-valued truth ---------------------------------------------------------------------


@attrs.frozen
class Unknown:
    """A value not fixed by a partial assignment; `on`: the unknown inputs it reads."""

    on: frozenset[str]


Truth = bool | Unknown


def _not(value: Truth) -> Truth:
    return value if isinstance(value, Unknown) else not value


def _all(values: Iterable[Truth]) -> Truth:
    waiting: set[str] = set()
    for value in values:
        if value is False:
            return False
        if isinstance(value, Unknown):
            waiting |= value.on
    return Unknown(frozenset(waiting)) if waiting else True


def _any(values: Iterable[Truth]) -> Truth:
    return _not(_all(_not(v) for v in values))


# -- inputs ---------------------------------------------------------------------------------
#
# An assignment maps input keys to values; a key that is absent is unknown. Keys:
#   measure, offence.category, offence.max_penalty_years, offence.<flag>, <fact>,
#   party:<instrument>:<role>, party:<instrument>.<protocol>:<role>,
#   reservation:<instrument>:<reservation>   (of the requested State)

Assignment = Mapping[str, Any]


def party_key(instrument: str, role: str) -> str:
    return f"party:{instrument}:{role}"


def input_keys(instruments: Mapping[str, Instrument]) -> list[str]:
    """Every input key but the measure, in canonical order: offence, facts, party data."""
    keys = [CATEGORY, PENALTY, *(f"offence.{f}" for f in OFFENCE_FLAGS), *FACTS]
    for inst in instruments.values():
        if inst.parties.completeness != "all":
            keys += [party_key(inst.id, role) for role in ROLES]
    for inst in instruments.values():
        for name in sorted(inst.parties.protocols):
            keys += [party_key(f"{inst.id}.{name}", role) for role in ROLES]
    for inst in instruments.values():
        keys += [f"reservation:{inst.id}:{res.id}" for res in inst.reservations]
    return keys


def _all_conditions(instruments: Mapping[str, Instrument]) -> list[Condition]:
    return [c for inst in instruments.values()
            for c in [*(r.when for r in inst.rules), *(g.established_by for g in inst.grounds)]]


def category_representatives(instruments: Mapping[str, Instrument]) -> list[str]:
    """One category per class of categories that every `category in {...}` treats alike."""
    sets = [node.values for c in _all_conditions(instruments) for node in walk(c)
            if isinstance(node, CategoryIn)]
    first: dict[tuple[bool, ...], str] = {}
    for category in CATEGORIES:
        first.setdefault(tuple(category in s for s in sets), category)
    return list(first.values())


def penalty_representatives(instruments: Mapping[str, Instrument]) -> list[float]:
    """0, every threshold the conditions compare against, a value between each two
    neighbouring thresholds, and one above the highest."""
    thresholds = sorted({node.threshold for c in _all_conditions(instruments) for node in walk(c)
                         if isinstance(node, Penalty)})
    values = {0.0, *thresholds}
    for low, high in itertools.pairwise(thresholds):
        values.add((low + high) / 2)
    if thresholds:
        values.add(thresholds[-1] + 1)
    return sorted(values)


def domains(instruments: Mapping[str, Instrument]) -> dict[str, list[Any]]:
    """The values each input key is enumerated over (representatives for category/penalty)."""
    out: dict[str, list[Any]] = {}
    for key in input_keys(instruments):
        if key == CATEGORY:
            out[key] = category_representatives(instruments)
        elif key == PENALTY:
            out[key] = penalty_representatives(instruments)
        else:
            out[key] = [False, True]
    return out


def known_inputs(instruments: Mapping[str, Instrument], request: Request) -> dict[str, Any]:
    """The inputs a request fixes: its own fields, and party data for its States and date."""
    known: dict[str, Any] = {"measure": request.measure}
    if request.offence.category is not None:
        known[CATEGORY] = request.offence.category
    if request.offence.max_penalty_years is not None:
        known[PENALTY] = request.offence.max_penalty_years
    for flag in OFFENCE_FLAGS:
        if request.offence.flag(flag) is not None:
            known[f"offence.{flag}"] = request.offence.flag(flag)
    for fact in FACTS:
        if request.fact(fact) is not None:
            known[fact] = request.fact(fact)
    states = {"requesting": request.requesting_state, "requested": request.requested_state}
    filled_facts: set[str] = set()
    for inst in instruments.values():
        for role, state in states.items():
            own = None
            if inst.parties.completeness != "all":
                own = party_status(inst.parties, state, request.date).value
                if own is not None:
                    known[party_key(inst.id, role)] = own
            for name in inst.parties.protocols:
                value = party_status(protocol_data(inst.parties, name), state, request.date).value
                if value is None and own is False:
                    value = False  # a protocol binds only Parties to the instrument itself
                if value is not None:
                    known[party_key(f"{inst.id}.{name}", role)] = value
        for res in inst.reservations:
            value = declared_status(inst.parties, res, request.requested_state,
                                    request.date).value
            if value is not None:
                known[f"reservation:{inst.id}:{res.id}"] = value
            for fact, filled in res.fills if value else ():
                if request.left_out(fact) and fact not in filled_facts:
                    known[fact] = filled  # a notification on file settles a fact left out
                    filled_facts.add(fact)
    return known


def public_name(key: str, request: Request) -> str:
    """How an unknown input is named in `depends_on` (contract section 2, E2)."""
    if key.startswith("party:"):
        _, instrument, role = key.split(":")
        state = request.requesting_state if role == "requesting" else request.requested_state
        return f"party:{instrument}:{state}"
    if key.startswith("reservation:"):
        return f"{key}:{request.requested_state}"
    return key


# -- conditions -----------------------------------------------------------------------------


class Evaluator:
    """Conditions and verdicts of a set of instruments under one (partial) assignment."""

    def __init__(self, instruments: Mapping[str, Instrument], assignment: Assignment,
                 rules: dict[str, MeasureRules] | None = None) -> None:
        self.instruments = instruments
        self.assignment = assignment
        self.rules = {} if rules is None else rules  # per instrument, for the measure

    def rules_for(self, inst: Instrument) -> MeasureRules:
        if inst.id not in self.rules:
            self.rules[inst.id] = MeasureRules.of_measure(inst, self.get("measure"))
        return self.rules[inst.id]

    def get(self, key: str) -> Any:
        """The value of an input, or Unknown waiting for it."""
        if key in self.assignment:
            return self.assignment[key]
        return Unknown(frozenset({key}))

    def bound(self, instrument: str) -> Truth:
        """Both States are bound by `instrument` (or by `<instrument>.<protocol>`)."""
        root = self.instruments[instrument.split(".")[0]]
        if "." not in instrument and root.parties.completeness == "all":
            return True
        return _all(self.get(party_key(instrument, role)) for role in ROLES)

    def condition(self, cond: Condition, owner: Instrument) -> Truth:
        match cond:
            case Const(value):
                return value
            case Flag(name):
                return self.get(name if name in FACTS else f"offence.{name}")
            case CategoryIn(values):
                category = self.get(CATEGORY)
                return category if isinstance(category, Unknown) else category in values
            case MeasureIn(values):
                return self.get("measure") in values
            case Penalty(op, threshold):
                years = self.get(PENALTY)
                if isinstance(years, Unknown):
                    return years
                return {">=": years >= threshold, ">": years > threshold,
                        "<=": years <= threshold, "<": years < threshold}[op]
            case Bound(instrument):
                return self.bound(instrument)
            case BoundAny(tag):
                return _any(self.bound(other.id) for other in self.instruments.values()
                            if tag in other.tags and other.id != owner.id)
            case Reservation(rid):
                return self.get(f"reservation:{owner.id}:{rid}")
            case Protocol(name):
                return self.bound(f"{owner.id}.{name}")
            case Not(arg):
                return _not(self.condition(arg, owner))
            case And(args):
                return _all(self.condition(a, owner) for a in args)
            case Or(args):
                return _any(self.condition(a, owner) for a in args)
        # status(...) and ground(...) occur only in properties, which verify proves; the
        # reference evaluates verdicts, from rules and grounds.
        raise TypeError(f"not a condition of a rule or a ground: {cond!r}")

    # -- the verdict of one instrument, from the rules (docs/spec-language.md) ------------

    def verdict(self, inst: Instrument, *, grounds: bool = True
                ) -> tuple[dict[str, Truth], dict[str, Truth]]:
        """The truth of each status, and of each ground being available and established.

        With `grounds` False, the grounds are worked out only where the status needs them
        (the instrument applies and imposes a duty); the second dict is then empty."""
        rules = self.rules_for(inst)
        fired: dict[str, Truth] = {}

        def fires(rule: Rule) -> Truth:
            if rule.id not in fired:
                fired[rule.id] = self.condition(rule.when, inst)
            return fired[rule.id]

        def some(chosen: Iterable[Rule]) -> Truth:
            return _any(fires(r) for r in chosen)

        applies = _all([self.bound(inst.id), some(rules.of("scope")),
                        _not(some(rules.of("displacement")))])
        # A duty rule is defeated by a firing discretion rule it does not override.
        duty = _any(_all([fires(r), _not(some(rules.defeaters(r)))]) for r in rules.of("duty"))
        established: dict[str, Truth] = {}
        if grounds or (applies is not False and duty is not False):
            for ground, givers in rules.givers.items():
                # A giving rule is defeated by a firing rule that removes the ground (an
                # exclusion naming it, or another rule's closed list leaving it out),
                # unless the giving rule overrides that rule.
                available = _any(_all([fires(r), _not(some(rules.removers(r, ground)))])
                                 for r in givers)
                own = inst.own_ground(ground)
                fact = self.condition(own.established_by, inst) if own else self.get(ground)
                established[ground] = _all([available, fact])
        some_ground = _any(established.values())
        statuses = {
            "mandatory": _all([applies, duty, _not(some_ground)]),
            "refusable": _all([applies, duty, some_ground]),
            "discretionary": _all([applies, _not(duty)]),
            "not_applicable": _not(applies),
        }
        return statuses, established if grounds else {}


@attrs.frozen
class MeasureRules:
    """The rules of one instrument that cover one measure (only those can fire), with who
    defeats whom among them."""

    rules: tuple[Rule, ...]
    givers: dict[str, tuple[Rule, ...]]  # ground -> the rules giving it, in ground_ids order

    @classmethod
    def of_measure(cls, inst: Instrument, measure: str) -> MeasureRules:
        rules = tuple(r for r in inst.rules if measure in r.measures)
        givers = {g: tuple(r for r in rules if r.effect == "grounds" and g in r.grounds)
                  for g in inst.ground_ids}
        return cls(rules, {g: rs for g, rs in givers.items() if rs})

    def of(self, effect: str) -> list[Rule]:
        return [r for r in self.rules if r.effect == effect]

    def defeaters(self, duty: Rule) -> list[Rule]:
        return [d for d in self.of("discretion") if d.id not in duty.overrides]

    def removers(self, giver: Rule, ground: str) -> list[Rule]:
        return [e for e in self.rules
                if e.id != giver.id and e.id not in giver.overrides and _removes(e, ground)]


def _removes(rule: Rule, ground: str) -> bool:
    if rule.effect == "exclusion":
        return ground in rule.grounds
    return rule.effect == "grounds" and rule.only and ground not in rule.grounds


def holds(cond: Condition, owner: Instrument, instruments: Mapping[str, Instrument],
          assignment: Assignment) -> bool:
    """The value of a condition of `owner` under a full assignment of the inputs it reads."""
    value = Evaluator(instruments, assignment).condition(cond, owner)
    if isinstance(value, Unknown):
        raise ValueError(f"the assignment leaves unknown: {', '.join(sorted(value.on))}")
    return value


def _decided(truths: Mapping[str, Truth]) -> str | Unknown:
    """The one true status of a three-valued verdict, or Unknown."""
    for status, value in truths.items():
        if value is True:
            return status
    return Unknown(frozenset().union(*(v.on for v in truths.values() if isinstance(v, Unknown))))


# -- enumeration ----------------------------------------------------------------------------

Question = Callable[[Evaluator], Any]  # returns a value, or Unknown while undecided


class Enumerator:
    """The values a question takes over every completion of a partial assignment."""

    def __init__(self, instruments: Mapping[str, Instrument], known: Assignment,
                 *, exhaustive: bool = False) -> None:
        self.instruments = instruments
        self.known = dict(known)
        self.domains = domains(instruments)
        self.order = {key: i for i, key in enumerate(self.domains)}
        self.exhaustive = exhaustive
        self.mentioned = mentioned_inputs(instruments)
        self.rules: dict[str, MeasureRules] = {}  # the measure is known: one per instrument

    def unknowns(self) -> list[str]:
        return [k for k in self.domains if k not in self.known]

    def values(self, question: Question, fixed: Assignment | None = None,
               split: set[str] | None = None, enough: set[Any] | None = None) -> set[Any]:
        """Every value of `question` over the completions of known + `fixed`; the inputs
        split on are added to `split` (an input never split on cannot change the answer).
        With `enough`, the search may stop once every value in it has been found."""
        assignment = {**self.known, **(fixed or {})}
        if self.exhaustive:
            return self._every_completion(question, assignment, split)
        found: set[Any] = set()
        self._split(question, assignment, split if split is not None else set(), found, enough)
        return found

    def _split(self, question: Question, assignment: dict[str, Any], split: set[str],
               found: set[Any], enough: set[Any] | None) -> None:
        answer = question(Evaluator(self.instruments, assignment, self.rules))
        if not isinstance(answer, Unknown):
            found.add(answer)
            return
        key = min(answer.on, key=self.order.__getitem__)
        split.add(key)
        for value in self.domains[key]:
            if enough is not None and enough <= found:
                return
            self._split(question, {**assignment, key: value}, split, found, enough)

    def _every_completion(self, question: Question, assignment: dict[str, Any],
                          split: set[str] | None) -> set[Any]:
        free = [k for k in self.domains if k not in assignment and k in self.mentioned]
        if split is not None:
            split.update(free)
        found: set[Any] = set()
        for values in itertools.product(*(self.domains[k] for k in free)):
            completion = {**assignment, **dict(zip(free, values, strict=True))}
            answer = question(Evaluator(self.instruments, completion, self.rules))
            if isinstance(answer, Unknown):
                raise AssertionError(f"a full assignment left {sorted(answer.on)} unknown")
            found.add(answer)
        return found

    def depends_on(self, question: Question, candidates: Iterable[str],
                   possible: set[Any]) -> list[str]:
        """The unknowns (in canonical order) some value of which changes `possible`."""
        return [key for key in sorted(set(candidates), key=self.order.__getitem__)
                if any(self.values(question, {key: v}, enough=possible) != possible
                       for v in self.domains[key])]


def mentioned_inputs(instruments: Mapping[str, Instrument]) -> set[str]:
    """The input keys the conditions and grounds of `instruments` can read."""
    keys: set[str] = set()
    for key in input_keys(instruments):
        if key.startswith(("party:", "reservation:")):
            keys.add(key)
    for inst in instruments.values():
        for rule in inst.rules:
            keys |= {g for g in rule.grounds if g in FACTS}
        for cond in [*(r.when for r in inst.rules), *(g.established_by for g in inst.grounds)]:
            for node in walk(cond):
                match node:
                    case Flag(name):
                        keys.add(name if name in FACTS else f"offence.{name}")
                    case CategoryIn():
                        keys.add(CATEGORY)
                    case Penalty():
                        keys.add(PENALTY)
    return keys


# -- results --------------------------------------------------------------------------------


@attrs.frozen
class RefVerdict:
    """One instrument's verdict, in the vocabulary of `result.Verdict`.

    `ground_sets`: for a refusable verdict, the distinct sets of grounds (available and
    established) over the completions; `grounds` is their intersection (what every
    completion establishes)."""

    instrument: str
    status: str
    possible: tuple[str, ...]
    grounds: tuple[str, ...]
    depends_on: tuple[str, ...]
    ground_sets: frozenset[frozenset[str]] = frozenset()

    @property
    def determined(self) -> bool:
        return len(self.possible) == 1


@attrs.frozen
class RefOverall:
    status: str
    possible: tuple[str, ...]
    basis: tuple[str, ...]
    depends_on: tuple[str, ...]


@attrs.frozen
class RefResult:
    verdicts: dict[str, RefVerdict]
    overall: RefOverall

    def __getitem__(self, instrument: str) -> RefVerdict:
        return self.verdicts[instrument]


def reference_evaluate(instruments: dict[str, Instrument], request: Request,
                       selected: Sequence[str], *, closed_world: bool = False,
                       exhaustive: bool = False) -> RefResult:
    """The verdicts on `request` of the `selected` instruments (comity always added when
    loaded), with `instruments` every loaded instrument (for bound() and bound_any())."""
    if closed_world:
        request = request.closed()
    chosen = set(selected) | ({"comity"} if "comity" in instruments else set())
    considered = [i for i in instruments if i in chosen]
    enum = Enumerator(instruments, known_inputs(instruments, request), exhaustive=exhaustive)
    verdicts = {i: _verdict(enum, instruments[i], request) for i in considered}
    return RefResult(verdicts, _overall(enum, verdicts, considered, request))


def _status_question(inst: Instrument) -> Question:
    return lambda ev: _decided(ev.verdict(inst, grounds=False)[0])


def _verdict(enum: Enumerator, inst: Instrument, request: Request) -> RefVerdict:
    question = _status_question(inst)
    split: set[str] = set()
    found = enum.values(question, split=split)
    possible = tuple(s for s in STATUSES if s in found)
    if len(possible) > 1:
        depends = enum.depends_on(question, split, set(possible))
        return RefVerdict(inst.id, UNDETERMINED, possible, (),
                          tuple(public_name(k, request) for k in depends))
    status = possible[0]
    if status != "refusable":
        return RefVerdict(inst.id, status, possible, (), ())

    def established(ev: Evaluator) -> frozenset[str] | Unknown:
        truths = ev.verdict(inst)[1]
        waiting = [v for v in truths.values() if isinstance(v, Unknown)]
        if waiting:
            return Unknown(frozenset().union(*(v.on for v in waiting)))
        return frozenset(g for g, v in truths.items() if v)

    sets = frozenset(enum.values(established))
    common = frozenset.intersection(*sets)
    order = list(inst.ground_ids)
    return RefVerdict(inst.id, status, possible, tuple(sorted(common, key=order.index)), (), sets)


def _overall(enum: Enumerator, verdicts: dict[str, RefVerdict], considered: list[str],
             request: Request) -> RefOverall:
    if all(v.determined for v in verdicts.values()):
        status = next((s for s in OVERALL_ORDER
                       if any(v.status == s for v in verdicts.values())), "discretionary")
        basis = tuple(i for i, v in verdicts.items() if v.status == status)
        return RefOverall(status, (status,), basis, ())

    # A determined instrument has the same status in every completion.
    fixed = [{s: s == v.status for s in STATUSES} for v in verdicts.values() if v.determined]
    open_ = [enum.instruments[i] for i, v in verdicts.items() if not v.determined]

    def question(ev: Evaluator) -> str | Unknown:
        truths = [*fixed, *(ev.verdict(inst, grounds=False)[0] for inst in open_)]
        some_mandatory = _any(t["mandatory"] for t in truths)
        some_refusable = _any(t["refusable"] for t in truths)
        return _decided({
            "mandatory": some_mandatory,
            "refusable": _all([_not(some_mandatory), some_refusable]),
            "discretionary": _all([_not(some_mandatory), _not(some_refusable)]),
        })

    split: set[str] = set()
    found = enum.values(question, split=split)
    possible = tuple(s for s in OVERALL_ORDER if s in found)
    if len(possible) == 1:
        status = possible[0]
        basis = tuple(i for i, v in verdicts.items() if v.status == status) or tuple(
            i for i, v in verdicts.items() if status in v.possible)
        return RefOverall(status, possible, basis, ())
    basis = tuple(i for i, v in verdicts.items() if possible[0] in v.possible)
    depends = enum.depends_on(question, split, set(possible))
    return RefOverall(UNDETERMINED, possible, basis,
                      tuple(public_name(k, request) for k in depends))
