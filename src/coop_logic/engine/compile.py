"""Compiling loaded instruments to z3, once per spec set.

Builds, in one z3 Context:
- the input atoms (measure, offence, facts, party status, reservations), each a Boolean
  with a fixed place in the canonical assumption order;
- one *verdict solver* with every instrument's rules asserted hard, whose status atoms a
  single check over the request's known literals fixes;
- one *explanation solver* per instrument, its rules guarded by labels so that unsat
  cores name provisions.
The semantics is docs/spec-language.md's. Nothing here reads files or requests.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import attrs
import z3
from z3 import z3core

from coop_logic.model.conditions import (
    And,
    Bound,
    BoundAny,
    CategoryIn,
    Condition,
    Const,
    Flag,
    GroundIs,
    MeasureIn,
    Not,
    Or,
    Penalty,
    Protocol,
    Reservation,
    StatusIs,
    walk,
)
from coop_logic.model.instrument import Instrument, Rule
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS, OVERALL_ORDER, STATUSES

SOLVER_TIMEOUT_MS = 20_000


@attrs.frozen
class InputAtom:
    """One Boolean input. `group` is the unknown it belongs to (a fact, an offence field,
    a party role), `key` its own name."""

    key: str
    group: str
    var: z3.BoolRef = attrs.field(eq=False, repr=False)


@attrs.frozen
class PenaltyAtom:
    op: str  # ">=" or ">"
    threshold: float
    key: str

    def holds(self, years: float) -> bool:
        return years >= self.threshold if self.op == ">=" else years > self.threshold


ONE_HOT, CHAIN, FLAG = "one-hot", "chain", "flag"  # `Inputs.kind`


class Inputs:
    """The input atoms, in canonical order, and the constraints tying them together."""

    def __init__(self, ctx: z3.Context, instruments: Iterable[Instrument]) -> None:
        self.ctx = ctx
        instruments = list(instruments)
        self.atoms: list[InputAtom] = []
        self.by_key: dict[str, InputAtom] = {}
        for m in MEASURES:
            self._add(f"measure:{m}", "measure")
        for c in CATEGORIES:
            self._add(f"category:{c}", "offence.category")
        self.penalty = _penalty_atoms(instruments)
        for p in self.penalty:
            self._add(p.key, "offence.max_penalty_years")
        for f in OFFENCE_FLAGS:
            self._add(f"flag:{f}", f"offence.{f}")
        for f in FACTS:
            self._add(f"fact:{f}", f)
        for inst in instruments:
            if inst.parties.completeness == "all":
                continue
            for role in ("requesting", "requested"):
                self._add(f"party:{inst.id}:{role}", f"party:{inst.id}:{role}")
        for inst in instruments:
            for name in sorted(inst.parties.protocols):
                for role in ("requesting", "requested"):
                    key = f"party:{inst.id}.{name}:{role}"
                    self._add(key, key)
        for inst in instruments:
            for res in inst.reservations:
                key = f"reservation:{inst.id}:{res.id}"
                self._add(key, key)
        self.order = {atom.key: i for i, atom in enumerate(self.atoms)}
        self.groups: dict[str, list[InputAtom]] = {}
        for atom in self.atoms:
            self.groups.setdefault(atom.group, []).append(atom)

    def _add(self, key: str, group: str) -> None:
        if key in self.by_key:  # two versions of one instrument share their inputs (diff)
            return
        atom = InputAtom(key, group, z3.Bool(key, self.ctx))
        self.atoms.append(atom)
        self.by_key[key] = atom

    def kind(self, group: str) -> str:
        """How a group's atoms hold together: exactly one true (`ONE_HOT`: the measure,
        the offence category), a chain of thresholds (`CHAIN`: the penalty), or a single
        atom (`FLAG`)."""
        if group in ("measure", "offence.category"):
            return ONE_HOT
        return CHAIN if group == "offence.max_penalty_years" else FLAG

    def values(self, group: str) -> list[Any]:
        """Every value of an input group: each category; for the penalty, each count of
        thresholds of the chain it can reach (never fewer than those at or below zero,
        which every penalty reaches); else false and true."""
        if group == "offence.category":
            return list(CATEGORIES)
        if group == "offence.max_penalty_years":
            forced = sum(1 for p in self.penalty if p.op == ">=" and p.threshold <= 0)
            return list(range(forced, len(self.penalty) + 1))
        return [False, True]

    def var(self, key: str) -> z3.BoolRef:
        return self.by_key[key].var

    def constraints(self) -> list[z3.BoolRef]:
        """One measure, one category, and a penalty consistent with a real number >= 0."""
        measures = [self.var(f"measure:{m}") for m in MEASURES]
        categories = [self.var(f"category:{c}") for c in CATEGORIES]
        out = [
            _any(*measures), z3.AtMost(*measures, 1),
            _any(*categories), z3.AtMost(*categories, 1),
        ]
        for wider, narrower in itertools.pairwise(self.penalty):
            out.append(z3.Implies(self.var(narrower.key), self.var(wider.key)))
        for p in self.penalty:
            if p.op == ">=" and p.threshold <= 0:
                out.append(self.var(p.key))
        return out


def _penalty_atoms(instruments: list[Instrument]) -> list[PenaltyAtom]:
    """The thresholds the rules compare against, widest set first (a chain)."""
    found: set[tuple[float, str]] = set()
    for inst in instruments:
        for cond in _conditions(inst):
            for node in walk(cond):
                if isinstance(node, Penalty):
                    op = ">=" if node.op in {">=", "<"} else ">"
                    found.add((node.threshold, op))
    ordered = sorted(found, key=lambda p: (p[0], 0 if p[1] == ">=" else 1))
    return [
        PenaltyAtom(op, t, penalty_key(op, t)) for t, op in ordered
    ]


def penalty_key(op: str, threshold: float) -> str:
    """The input atom for `max_penalty_years OP threshold` (OP `>=`/`<` share `ge`, `>`/`<=`
    share `gt`); the threshold is written exactly, so 2.5 and 2.5000001 stay apart."""
    return f"penalty:{'ge' if op in {'>=', '<'} else 'gt'}:{float(threshold)!r}"


def _conditions(inst: Instrument) -> list[Condition]:
    return ([r.when for r in inst.rules] + [g.established_by for g in inst.grounds]
            + [c for p in inst.properties for c in (p.when, p.then)])


@attrs.frozen
class Cone:
    """What one instrument's verdict for one measure can depend on."""

    groups: frozenset[str]
    category_classes: tuple[tuple[str, ...], ...]


class Encoder:
    """Turns conditions and rules into z3 terms over the shared inputs."""

    def __init__(self, inputs: Inputs, instruments: dict[str, Instrument]) -> None:
        self.inputs = inputs
        self.instruments = instruments
        self.ctx = inputs.ctx
        self._terms: dict[str, InstrumentTerms] = {}

    def terms(self, inst_id: str) -> InstrumentTerms:
        """The hard-encoded verdict terms of an instrument, built once (for properties)."""
        if inst_id not in self._terms:
            self._terms[inst_id] = instrument_terms(self, self.instruments[inst_id], None)
        return self._terms[inst_id]

    def true(self) -> z3.BoolRef:
        return z3.BoolVal(True, self.ctx)

    def bound(self, inst_id: str) -> z3.BoolRef:
        inst = self.instruments[inst_id]
        if inst.parties.completeness == "all":
            return self.true()
        return _and(
            self.inputs.var(f"party:{inst_id}:requesting"),
            self.inputs.var(f"party:{inst_id}:requested"),
        )

    def condition(self, cond: Condition, owner: Instrument) -> z3.BoolRef:
        v = self.inputs.var
        match cond:
            case Const(value):
                return z3.BoolVal(value, self.ctx)
            case Flag(name):
                return v(f"fact:{name}") if name in FACTS else v(f"flag:{name}")
            case CategoryIn(values):
                return _or(self.ctx, [v(f"category:{c}") for c in sorted(values)])
            case MeasureIn(values):
                return _or(self.ctx, [v(f"measure:{m}") for m in sorted(values)])
            case Penalty(op, threshold):
                if op in {">=", ">"}:
                    return v(penalty_key(op, threshold))
                return _not(v(penalty_key(">" if op == "<=" else ">=", threshold)))
            case Bound(instrument):
                return self.bound(instrument)
            case BoundAny(tag):
                return _or(self.ctx, [
                    self.bound(other.id) for other in self.instruments.values()
                    if tag in other.tags and other.id != owner.id
                ])
            case Reservation(rid):
                return v(f"reservation:{owner.id}:{rid}")
            case StatusIs(instrument, status):
                return self.terms(instrument or owner.id).statuses[status]
            case GroundIs(instrument, ground, obligatory):
                # A ground the verdict reports: the instrument applies with a duty and the
                # ground is available and established (so the verdict is refusable on it);
                # `obligatory`: and reported as one on which the State must refuse.
                terms = self.terms(instrument or owner.id)
                if obligatory:
                    return terms.obligatory.get(ground, z3.BoolVal(False, self.ctx))
                if ground not in terms.grounds:
                    return z3.BoolVal(False, self.ctx)
                return _and(terms.applies, terms.duty, terms.grounds[ground])
            case Protocol(name):
                return _and(v(f"party:{owner.id}.{name}:requesting"),
                              v(f"party:{owner.id}.{name}:requested"))
            case Not(arg):
                return _not(self.condition(arg, owner))
            case And(args):
                return _and(*[self.condition(a, owner) for a in args])
            case Or(args):
                return _any(*[self.condition(a, owner) for a in args])
        raise TypeError(f"not a condition: {cond!r}")

    def measure_in(self, measures: frozenset[str]) -> z3.BoolRef:
        return _or(self.ctx, [self.inputs.var(f"measure:{m}") for m in sorted(measures)])


def _build(make: object, args: tuple[z3.BoolRef, ...]) -> z3.BoolRef:
    """`z3.And(*args)` or `z3.Or(*args)` without the wrappers' coercion: the same C call
    on the same arguments, so the same term (z3 terms are hash-consed), at a fraction of
    the Python cost that dominates compiling."""
    if not args or not all(type(a) is z3.BoolRef for a in args):
        return (z3.And if make is z3core.Z3_mk_and else z3.Or)(*args)
    ctx = args[0].ctx
    array = (z3.Ast * len(args))()
    for i, a in enumerate(args):
        array[i] = a.ast
    return z3.BoolRef(make(ctx.ref(), len(args), array), ctx)


def _and(*args: z3.BoolRef) -> z3.BoolRef:
    return _build(z3core.Z3_mk_and, args)


def _any(*args: z3.BoolRef) -> z3.BoolRef:
    return _build(z3core.Z3_mk_or, args)


def _not(arg: z3.BoolRef) -> z3.BoolRef:
    if type(arg) is not z3.BoolRef:
        return z3.Not(arg)
    return z3.BoolRef(z3core.Z3_mk_not(arg.ctx.ref(), arg.ast), arg.ctx)


def _or(ctx: z3.Context, terms: list[z3.BoolRef]) -> z3.BoolRef:
    if not terms:
        return z3.BoolVal(False, ctx)
    return terms[0] if len(terms) == 1 else _any(*terms)


@attrs.define
class InstrumentTerms:
    """The derived terms of one instrument, in one encoding (hard or labelled)."""

    applies: z3.BoolRef
    duty: z3.BoolRef
    grounds: dict[str, z3.BoolRef]  # available and established
    statuses: dict[str, z3.BoolRef]
    constraints: list[z3.BoolRef]
    available: dict[str, z3.BoolRef] = attrs.field(factory=dict)  # available, established or not
    # Reported as a ground that must be refused: given by an obligatory grounds rule,
    # available and established, under an instrument that applies with a duty.
    obligatory: dict[str, z3.BoolRef] = attrs.field(factory=dict)
    # Labelled encoding: the atoms left to the solver, each with when the constraints
    # force it true and when they force it false (`labelled_checks`).
    free: list[FreeAtom] = attrs.field(factory=list)


@attrs.define
class FreeAtom:
    """An atom of the labelled encoding that its constraints bound without defining it:
    true wherever `forced_true` holds, false wherever `forced_false` holds (both over the
    inputs and labels), else either."""

    atom: z3.BoolRef
    forced_true: z3.BoolRef
    forced_false: z3.BoolRef


CLOSURES = ("scope", "duty")


def instrument_terms(
    enc: Encoder, inst: Instrument, labels: dict[str, z3.BoolRef] | None
) -> InstrumentTerms:
    """The verdict of `inst` as z3 terms.

    Hard encoding (`labels` None): each derived predicate is its rules' disjunction.
    Labelled encoding: each rule is guarded by its label. Scope and duty are tied to their
    rules by two constraints, one per direction; the closing direction ("only these rules
    give it", the Clark completion) is guarded by a closure label, so that a proof that an
    instrument is out of scope, or imposes no duty, cites the rules that could have made
    it otherwise. A ground's completion is hard: its absence is shown by the facts, or by
    the rules that take it away.
    """
    ctx = enc.ctx
    constraints: list[z3.BoolRef] = []
    free: dict[str, FreeAtom] = {}
    fires: dict[str, z3.BoolRef] = {}
    for rule in inst.rules:
        body = _and(enc.measure_in(rule.measures), enc.condition(rule.when, inst))
        fires[rule.id] = _and(labels[rule.id], body) if labels is not None else body

    def of(effect: str) -> list[Rule]:
        return [r for r in inst.rules if r.effect == effect]

    def derived(key: str, terms: list[z3.BoolRef]) -> z3.BoolRef:
        if labels is None or key not in CLOSURES:
            return _or(ctx, terms)
        atom = z3.Bool(f"derived:{inst.id}:{key}", ctx)
        constraints.extend(z3.Implies(t, atom) for t in terms)
        closure = labels[f"closure:{inst.id}:{key}"]
        constraints.append(z3.Implies(closure, z3.Implies(atom, _or(ctx, terms))))
        free[key] = FreeAtom(atom, _or(ctx, terms), _and(closure, _not(_or(ctx, terms))))
        return atom

    in_scope = derived("scope", [fires[r.id] for r in of("scope")])
    displaced = _or(ctx, [fires[r.id] for r in of("displacement")])
    applies = _and(enc.bound(inst.id), in_scope, _not(displaced))

    duty_terms = []
    for r in of("duty"):
        defeaters = [fires[d.id] for d in of("discretion") if d.id not in r.overrides]
        duty_terms.append(_and(fires[r.id], _not(_or(ctx, defeaters))))
    duty = derived("duty", duty_terms)
    if labels is not None:
        # A firing discretion rule ("may") is a second proof that no duty arises, besides
        # the closure: only the duty rules that override it can still give one.
        for d in of("discretion"):
            keep = [_and(fires[r.id], _not(_or(ctx, [fires[x.id] for x in of("discretion")
                                                        if x.id not in r.overrides])))
                    for r in of("duty") if d.id in r.overrides]
            constraints.append(z3.Implies(fires[d.id], z3.Implies(duty, _or(ctx, keep))))
            forced = free["duty"]
            forced.forced_false = _any(forced.forced_false,
                                       _and(fires[d.id], _not(_or(ctx, keep))))

    grounds: dict[str, z3.BoolRef] = {}
    available: dict[str, z3.BoolRef] = {}
    obligatory: dict[str, z3.BoolRef] = {}
    for g in inst.ground_ids:
        givers, binding = [], []
        for r in inst.rules:
            if not r.gives(g):
                continue
            defeaters = [fires[e.id] for e in inst.rules
                         if e.id != r.id and e.removes(g) and e.id not in r.overrides]
            term = _and(fires[r.id], _not(_or(ctx, defeaters)))
            givers.append(term)
            if r.obligatory:
                binding.append(term)
        own = inst.own_ground(g)
        established = (enc.condition(own.established_by, inst) if own
                       else enc.inputs.var(f"fact:{g}"))
        if not givers:
            if labels is None or not inst.excludes(g):
                continue
            # A ground only taken away ("shall not decline on the ground of bank secrecy"):
            # in the labelled encoding its absence is proven by the exclusion that fires, or
            # else by a closure ("no provision gives it"), so that a trace can cite the
            # exclusion that answers the question.
            atom = z3.Bool(f"derived:{inst.id}:ground:{g}", ctx)
            closure = labels[f"closure:{inst.id}:ground:{g}"]
            constraints.append(z3.Implies(closure, _not(atom)))
            removers = [closure]
            for e in inst.rules:
                if e.effect == "exclusion" and e.removes(g):
                    constraints.append(z3.Implies(fires[e.id], _not(atom)))
                    removers.append(fires[e.id])
            free[f"ground:{g}"] = FreeAtom(atom, z3.BoolVal(False, ctx), _any(*removers))
            available[g] = atom
            grounds[g] = _and(atom, established)
            continue
        available[g] = derived(f"ground:{g}", givers)
        grounds[g] = _and(available[g], established)
        if binding:
            obligatory[g] = _and(_or(ctx, binding), established)
    any_ground = _or(ctx, list(grounds.values()))
    statuses = {
        "mandatory": _and(applies, duty, _not(any_ground)),
        "refusable": _and(applies, duty, any_ground),
        "discretionary": _and(applies, _not(duty)),
        "not_applicable": _not(applies),
    }
    return InstrumentTerms(applies, duty, grounds, statuses, constraints, available,
                           {g: _and(applies, duty, t) for g, t in obligatory.items()},
                           list(free.values()))


def cone(inst: Instrument, measure: str, instruments: dict[str, Instrument]) -> Cone:
    """The input groups the verdict of `inst` for `measure` can depend on."""
    groups: set[str] = set()
    category_sets: list[frozenset[str]] = []
    if inst.parties.completeness != "all":
        groups |= {f"party:{inst.id}:requesting", f"party:{inst.id}:requested"}
    conds: list[Condition] = []
    for rule in inst.rules:
        if measure not in rule.measures:
            continue
        conds.append(rule.when)
        for g in rule.grounds:
            own = inst.own_ground(g)
            if own:
                conds.append(own.established_by)
            else:
                groups.add(g)
    for cond in conds:
        for node in walk(cond):
            match node:
                case Flag(name):
                    groups.add(name if name in FACTS else f"offence.{name}")
                case CategoryIn(values):
                    groups.add("offence.category")
                    category_sets.append(values)
                case Penalty():
                    groups.add("offence.max_penalty_years")
                case Bound(other):
                    if instruments[other].parties.completeness != "all":
                        groups |= {f"party:{other}:requesting", f"party:{other}:requested"}
                case BoundAny(tag):
                    for other in instruments.values():
                        if tag in other.tags and other.id != inst.id and (
                            other.parties.completeness != "all"
                        ):
                            groups |= {f"party:{other.id}:requesting",
                                       f"party:{other.id}:requested"}
                case Reservation(rid):
                    groups.add(f"reservation:{inst.id}:{rid}")
                case Protocol(name):
                    groups |= {f"party:{inst.id}.{name}:requesting",
                               f"party:{inst.id}.{name}:requested"}
    classes: dict[tuple[bool, ...], list[str]] = {}
    for c in CATEGORIES:
        classes.setdefault(tuple(c in s for s in category_sets), []).append(c)
    return Cone(frozenset(groups), tuple(tuple(v) for v in classes.values()))


class Compiled:
    """Everything z3 needs for a spec set, built once and reused for every request."""

    def __init__(self, instruments: dict[str, Instrument]) -> None:
        self.instruments = instruments
        self.ctx = z3.Context()
        self.inputs = Inputs(self.ctx, instruments.values())
        enc = Encoder(self.inputs, instruments)
        self.encoder = enc
        constraints = self.inputs.constraints()

        self.verdict_solver = _new_solver(self.ctx)
        self.verdict_constraints: list[z3.BoolRef] = []  # as asserted (a solver can't give them back)
        for c in constraints:
            self._assert_verdict(c)
        self.status: dict[str, dict[str, z3.BoolRef]] = {}
        self.ground_atoms: dict[str, dict[str, z3.BoolRef]] = {}
        self.available_atoms: dict[str, dict[str, z3.BoolRef]] = {}
        self.obligatory_atoms: dict[str, dict[str, z3.BoolRef]] = {}
        self.selectors: dict[str, z3.BoolRef] = {}
        # The hard terms behind the atoms, over the inputs only: evaluated directly on a
        # request whose inputs are known enough (solve.Engine, without a check).
        self.verdict_terms: dict[str, InstrumentTerms] = {}
        for inst in instruments.values():
            terms = instrument_terms(enc, inst, None)
            self.verdict_terms[inst.id] = terms
            self.status[inst.id] = {}
            for s in STATUSES:
                atom = z3.Bool(f"status:{inst.id}:{s}", self.ctx)
                self._assert_verdict(atom == terms.statuses[s])
                self.status[inst.id][s] = atom
            self.ground_atoms[inst.id] = {}
            self.available_atoms[inst.id] = {}
            for g, term in terms.grounds.items():
                atom = z3.Bool(f"ground:{inst.id}:{g}", self.ctx)
                self._assert_verdict(atom == term)
                self.ground_atoms[inst.id][g] = atom
                available = z3.Bool(f"available:{inst.id}:{g}", self.ctx)
                self._assert_verdict(available == terms.available[g])
                self.available_atoms[inst.id][g] = available
            self.obligatory_atoms[inst.id] = {}
            for g, term in terms.obligatory.items():
                atom = z3.Bool(f"obligatory:{inst.id}:{g}", self.ctx)
                self._assert_verdict(atom == term)
                self.obligatory_atoms[inst.id][g] = atom
            self.selectors[inst.id] = z3.Bool(f"select:{inst.id}", self.ctx)
        self.overall: dict[str, z3.BoolRef] = {}
        stronger: list[z3.BoolRef] = []
        for s in OVERALL_ORDER:
            atom = z3.Bool(f"overall:{s}", self.ctx)
            some = _or(self.ctx, [_and(self.selectors[i], self.status[i][s])
                                  for i in instruments]) if s != "discretionary" else (
                z3.BoolVal(True, self.ctx))
            self._assert_verdict(atom == _and(some, *[_not(x) for x in stronger]))
            stronger.append(atom)
            self.overall[s] = atom

        # The labelled solvers, one per instrument, built on first use (`_explainer`): most
        # runs (verdicts only, a map, a batch) need few of them, and building them all was
        # a third of compiling.
        self._input_constraints = constraints
        self.labels: dict[str, dict[str, z3.BoolRef]] = PerInstrument(self._explainer)
        self.explain_solvers: dict[str, z3.Solver] = PerInstrument(self._explainer)
        self.explain_status: dict[str, dict[str, z3.BoolRef]] = PerInstrument(self._explainer)
        self.explain_obligatory: dict[str, dict[str, z3.BoolRef]] = PerInstrument(
            self._explainer)
        # the labelled terms themselves, and each exclusion's `fires` atom's definition
        self.explain_terms: dict[str, InstrumentTerms] = PerInstrument(self._explainer)
        self.fires_body: dict[str, z3.BoolRef] = {}
        self._rule_owner = {r.id: i for i, inst in instruments.items() for r in inst.rules}
        self.rule_fires: dict[str, z3.BoolRef] = PerInstrument(
            lambda rule_id: self._explainer(self._rule_owner[rule_id])
            if rule_id in self._rule_owner else None)
        self.condition_facts = {i: _condition_facts(inst) for i, inst in instruments.items()}
        self.cones = {
            (i, m): cone(inst, m, instruments) for i, inst in instruments.items() for m in MEASURES
        }

    def _explainer(self, inst_id: str) -> None:
        """Build the instrument's labelled solver: its rules and closures behind labels
        (assumptions that switch each on), the status and obligatory terms as atoms, and
        whether each exclusion fires."""
        if inst_id not in self.instruments or dict.__contains__(self.explain_solvers, inst_id):
            return
        inst = self.instruments[inst_id]
        enc = self.encoder
        labels = {r.id: z3.Bool(f"rule:{r.id}", self.ctx) for r in inst.rules}
        closures = [*CLOSURES, *(f"ground:{g}" for g in inst.ground_ids
                                 if inst.excludes(g) and not inst.gives(g))]
        for key in closures:
            name = f"closure:{inst.id}:{key}"
            labels[name] = z3.Bool(name, self.ctx)
        terms = instrument_terms(enc, inst, labels)
        solver = _new_solver(self.ctx)
        for c in [*self._input_constraints, *terms.constraints]:
            solver.add(c)
        for rule in inst.rules:
            if rule.effect == "exclusion":  # whether it fires, for traces that cite it
                atom = z3.Bool(f"fires:{rule.id}", self.ctx)
                body = _and(enc.measure_in(rule.measures), enc.condition(rule.when, inst))
                solver.add(atom == body)
                dict.__setitem__(self.rule_fires, rule.id, atom)
                self.fires_body[rule.id] = body
        status = {}
        for s in STATUSES:
            atom = z3.Bool(f"explain:{inst.id}:{s}", self.ctx)
            solver.add(atom == terms.statuses[s])
            status[s] = atom
        obligatory = {}
        for g, term in terms.obligatory.items():
            atom = z3.Bool(f"explain:{inst.id}:obligatory:{g}", self.ctx)
            solver.add(atom == term)
            obligatory[g] = atom
        dict.__setitem__(self.explain_status, inst.id, status)
        dict.__setitem__(self.explain_obligatory, inst.id, obligatory)
        dict.__setitem__(self.labels, inst.id, labels)
        dict.__setitem__(self.explain_terms, inst.id, terms)
        dict.__setitem__(self.explain_solvers, inst.id, solver)

    def _assert_verdict(self, constraint: z3.BoolRef) -> None:
        self.verdict_solver.add(constraint)
        self.verdict_constraints.append(constraint)

    @property
    def rule_count(self) -> int:
        return sum(len(i.rules) for i in self.instruments.values())


class PerInstrument(dict):  # type: ignore[type-arg]
    """A table filled on first lookup of a key: `fill(key)` adds it (and its siblings in
    the other tables); a key it does not add is a KeyError, as in a dict."""

    def __init__(self, fill: Any) -> None:
        super().__init__()
        self._fill = fill

    def __missing__(self, key: str) -> Any:
        self._fill(key)
        value = dict.get(self, key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return value


_ABSENT = object()


def _condition_facts(inst: Instrument) -> frozenset[str]:
    """The facts an instrument's conditions mention (not only as grounds established)."""
    return frozenset(node.name for cond in _conditions(inst) for node in walk(cond)
                     if isinstance(node, Flag) and node.name in FACTS)


def _new_solver(ctx: z3.Context) -> z3.Solver:
    solver = z3.SolverFor("QF_FD", ctx=ctx)
    solver.set("timeout", SOLVER_TIMEOUT_MS)
    return solver
