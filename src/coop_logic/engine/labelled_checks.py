"""Checks of an instrument's labelled solver decided in Python where a reading settles them.

A proof (`solve.Engine.proof`) asks the instrument's labelled solver whether sets of
assumptions (provisions switched on, request values, a goal) are satisfiable, a dozen
times for a new request. Each answer is a fact about the set, whoever gives it; here it
comes from the labelled terms evaluated over Python ints (`straight_line`), where that
settles it:

- **unsatisfiable**: the assumptions fixed, everything else unknown, in Kleene's logic;
  an atom that the constraints bound without defining it (a closure's "only these rules
  give it", a ground only taken away) is true where they force it true and false where
  they force it false. If the goal or a constraint is then surely false, no model exists.
- **satisfiable**: a few hundred complete assignments tried at once (one bit each): the
  labels not assumed off; the inputs not assumed at the request's own values with the
  bound atoms at their least or at their greatest, or at other values (each flag the
  other way) with the bound atoms at their least; and each of these three with one label,
  one input group or one bound atom changed. A trial in which every constraint and the
  goal hold is a model. Where none is, the same trials are run once more from the inputs
  of the last model the solver itself found for the instrument (`learn`), the groups the
  check assumes kept at the request's values: a set that needs several inputs away from
  the request's (every condition of a scope met at once) is most often met there.

What neither settles goes to the solver. The answers are the solver's answers (tested
against it), so the proofs built on them are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import z3

from coop_logic.engine.compile import CHAIN, FLAG, ONE_HOT, Compiled
from coop_logic.engine.straight_line import BITS, kleene_terms, straight_line, term_nodes

SAT, UNSAT = 1, -1
# the blocks of trials: the inputs not assumed at the request's values with the bound
# atoms at their least, the same with them at their greatest, and those inputs at other
# values (each flag the other way) with the bound atoms at their least
BLOCKS = 3
CONTEXTS_KEPT = 64  # per instrument, the trial inputs of the requests seen last
INPUT, LABEL, GOAL, SKIP = 0, 1, 2, 3


class LabelledChecks:
    """The quick decisions for one instrument's labelled solver.

    Sources: the inputs its terms read, its labels, its bound atoms (in that order). The
    trials have one layout for every check: in each of three blocks (`BLOCKS`), the first
    trial changes nothing (the labels not assumed off, the inputs not assumed at the
    block's values), then one per label (switched on), per value of each input group read,
    per bound atom (switched); a trial that changes an input group to a value the
    assumptions exclude is dropped."""

    def __init__(self, compiled: Compiled, inst_id: str,
                 inputs_of: dict[int, tuple[str, bool]], label_of: dict[int, str]) -> None:
        terms = compiled.explain_terms[inst_id]
        labels = compiled.labels[inst_id]
        inst = compiled.instruments[inst_id]
        self.inst_id = inst_id
        free = terms.free
        exprs2: list[Any] = [z3.And(*[_plain(c) for c in terms.constraints])
                             if terms.constraints else z3.BoolVal(True, compiled.ctx)]
        self.status_index: dict[str, int] = {}
        for s, term in terms.statuses.items():
            self.status_index[s] = len(exprs2)
            exprs2.append(term)
        self.obligatory_index: dict[str, int] = {}
        for g, term in terms.obligatory.items():
            self.obligatory_index[g] = len(exprs2)
            exprs2.append(term)
        self.fires_index: dict[str, int] = {}
        for rule in inst.rules:
            if rule.id in compiled.fires_body:
                self.fires_index[rule.id] = len(exprs2)
                exprs2.append(compiled.fires_body[rule.id])
        exprs1 = [e for a in free for e in (a.forced_true, a.forced_false)]
        used = _constants([*exprs1, *exprs2])
        atoms = [a for a in compiled.inputs.atoms if a.var.get_id() in used]
        self.atoms = atoms  # the inputs read, in the order of their sources
        label_keys = list(labels)
        sources = [a.var for a in atoms] + [labels[k] for k in label_keys]
        self.n_base = len(sources)
        self.n_free = len(free)
        all_sources = sources + [a.atom for a in free]
        self._terms = (exprs2, sources, [(a.atom, a.forced_true, a.forced_false) for a in free])
        self._wide: Any = None  # `scan`'s function, built on first use
        functions = (kleene_terms(*self._terms),
                     straight_line([a.forced_true for a in free], sources, BITS),
                     straight_line(exprs2, all_sources, BITS))
        self.ready = None not in functions
        self.kleene, self.least_bits, self.terms_bits = functions
        source = {a.key: n for n, a in enumerate(atoms)}

        # the input groups read, and the layout of a block of trials
        groups: dict[str, tuple[str, list[int | None], list[int]]] = {}
        for group, members in compiled.inputs.groups.items():
            if not any(a.key in source for a in members):
                continue
            kind = compiled.inputs.kind(group)
            if kind == FLAG:
                values = [0, 1]
            elif kind == ONE_HOT:
                values = list(range(len(members)))
            else:
                values = compiled.inputs.values(group)
            groups[group] = (kind, [source.get(a.key) for a in members], values)
        self.groups = groups
        n_labels = len(label_keys)
        trial = 1 + n_labels
        self.trial_of: dict[tuple[str, int], int] = {}
        for group, (_, _, values) in groups.items():
            for v in values:
                self.trial_of[(group, v)] = trial
                trial += 1
        self.atom_trial = trial
        block = self.block = trial + self.n_free
        self.width = BLOCKS * block
        self.full = (1 << self.width) - 1
        one = (1 << block) - 1
        self.repeat = sum(1 << j * block for j in range(BLOCKS))
        self.high = one << block
        self.own_values = one | one << block  # the blocks that start from the request
        # a label not assumed: off, but on in its own trial
        self.label_free = [self.repeat << (1 + k) for k in range(n_labels)]

        # what each assumption pointer does here: the sources it makes surely true and
        # surely false (with what the inputs' constraints then force), the trials it rules out
        self.action: dict[int, tuple[Any, ...]] = {}
        self.surely_true = 0
        for kind, places, values in groups.values():
            if kind == CHAIN:
                least = values[0]
                for i, n in enumerate(places):
                    if n is not None and i < least:
                        self.surely_true |= 1 << n
        self.surely_true_places = _bits(self.surely_true)
        keys = {a.key: (g, i) for g, members in compiled.inputs.groups.items()
                if g in groups for i, a in enumerate(members)}
        for pid, (key, value) in inputs_of.items():
            if key not in keys:
                self.action[pid] = (SKIP,)
                continue
            group, i = keys[key]
            kind, places, values = groups[group]
            true = false = ruled_out = 0
            agree = [v for v in values if _atom_true(kind, i, v) == value]
            for j, n in enumerate(places):
                if n is None:
                    continue
                truth = {_atom_true(kind, j, v) for v in agree}
                if truth == {True}:
                    true |= 1 << n
                elif truth == {False}:
                    false |= 1 << n
            for v in values:
                if v not in agree:
                    ruled_out |= self.repeat << self.trial_of[(group, v)]
            self.action[pid] = (INPUT, true, false, ruled_out, _bits(true), _bits(false), group)
        for pid, key in label_of.items():
            if key in labels:
                n = len(atoms) + label_keys.index(key)
                self.action[pid] = (LABEL, 1 << n, n, 0, (n,), ())
        # per input group and value: its read atoms' bits across the trials when the group
        # takes that value outside the trials that change it
        patterns: dict[str, dict[int, list[tuple[int, int]]]] = {}
        full = self.full
        for group, (kind, places, values) in groups.items():
            table = patterns[group] = {}
            for first in values:
                row = []
                for i, n in enumerate(places):
                    if n is None:
                        continue
                    truth = _atom_true(kind, i, first)
                    bits = full if truth else 0
                    for v in values:
                        if _atom_true(kind, i, v) != truth:
                            bits ^= self.repeat << self.trial_of[(group, v)]
                    row.append((n, bits))
                table[first] = row
        self.first_value = {g: values[0] for g, (_, _, values) in groups.items()}
        # per input group and the request's value: its read atoms' bits in every trial
        # (`_start`): the blocks that start from the request with the group at that
        # value, the third with it at another
        own = self.own_values
        other = full ^ own
        self.rows: dict[str, dict[int, list[tuple[int, int]]]] = {
            group: {value: [(n, bits & own | moved & other) for (n, bits), (_, moved) in zip(
                patterns[group][value], patterns[group][_other(kind, values, value)],
                strict=True)] for value in values}
            for group, (kind, _, values) in groups.items()}
        self._contexts: dict[int, tuple[Any, list[int]]] = {}
        # the trials' sources from the inputs of the solver's last model (`learn`)
        self.seed: list[int] | None = None
        self.group_places = {g: [n for n in places if n is not None]
                             for g, (_, places, _) in groups.items()}

    def goal(self, pointer_id: int, kind: str, names: Sequence[str]) -> None:
        """Register a goal assumption: "none of these statuses" (`not_any`), "not all of
        refusable and these obligatory grounds" (`not_all`), "this rule does not fire"
        (`not_fires`)."""
        if kind == "not_any":
            places = [self.status_index[s] for s in names]
        elif kind == "not_all":
            places = [self.status_index["refusable"],
                      *(self.obligatory_index[g] for g in names)]
        else:
            places = [self.fires_index[names[0]]]
        self.action[pointer_id] = (GOAL, kind, places)

    def decide(self, assumptions: Sequence[Any],
               context: tuple[dict[str, int], frozenset[int]] | None, *,
               kleene: bool = True) -> int | None:
        """SAT or UNSAT where a reading settles it, else None. `context`: the request's
        value of each known input group (in the terms of the groups' values) and the ids
        of its literals; the trials start from those values where every input assumed is
        one of those literals. `kleene` False: Kleene's logic is known not to show the set
        unsatisfiable (`PrefixScan`), only trials are run (a set that Kleene's logic
        shows satisfiable has every trial that keeps the assumptions as a model)."""
        if not self.ready:
            return None
        action = self.action
        true, false, ruled_out = self.surely_true, 0, 0
        on: list[int] = []
        goals: list[tuple[str, list[int]]] = []
        inputs: list[tuple[Any, ...]] = []
        own = context[1] if context is not None else None
        trials = own is not None
        for p in assumptions:
            found = action.get(id(p))
            if found is None:
                return None  # an assumption this reading does not know
            kind = found[0]
            if kind == INPUT:
                true |= found[1]
                false |= found[2]
                ruled_out |= found[3]
                inputs.append(found)
                if trials and id(p) not in own:  # type: ignore[operator]
                    trials = False
            elif kind == LABEL:
                true |= found[1]
                on.append(found[2])
            elif kind == GOAL:
                goals.append((found[1], found[2]))
        if true & false:
            return UNSAT  # the inputs assumed cannot all hold
        answer = self._kleene(true, false, goals) if kleene else None
        if answer is None and trials:
            assert context is not None
            answer = self._trials(self._start(context[0]), on, inputs, goals, ruled_out)
            if answer is None and self.seed is not None:
                answer = self._seeded(on, inputs, goals, ruled_out, context[0])
        return answer

    def learn(self, values: Sequence[bool | None]) -> None:
        """Keep the input values of a model the solver found (`values`: of `atoms`, in
        order) as the seed: later trials also start from them (`_seeded`), where the
        request's own values and those next to them satisfy too little. A group whose
        atoms' values match none of its values starts at its first value."""
        seed: dict[str, int] = {}
        for group, (kind, places, choices) in self.groups.items():
            for v in choices:
                if all(values[n] is None or bool(values[n]) == _atom_true(kind, i, v)
                       for i, n in enumerate(places) if n is not None):
                    seed[group] = v
                    break
        self.seed = self._layout(seed)

    def _seeded(self, on: list[int], inputs: list[tuple[Any, ...]],
                goals: list[tuple[str, list[int]]], ruled_out: int,
                context: dict[str, int]) -> int | None:
        """The trials again from the seed: the groups assumed at the request's values
        (the assumptions are the request's own literals), the others at the seed's."""
        assert self.seed is not None
        x = list(self.seed)
        start = self._start(context)
        places = self.group_places
        for group in {found[6] for found in inputs}:
            for n in places[group]:
                x[n] = start[n]
        return self._trials(x, on, inputs, goals, ruled_out)

    def scan(self, background: Sequence[Any], candidates: Sequence[Any]) -> PrefixScan | None:
        """The sets background + candidates[:k], every k read at once in Kleene's logic
        (`PrefixScan`), or None where an assumption is unknown here or a goal is among
        the candidates."""
        if not self.ready:
            return None
        if self._wide is None:
            self._wide = kleene_terms(*self._terms, packed=False)
            if self._wide is None:
                self.ready = False
                return None
        action = self.action
        found = [action.get(id(p)) for p in [*background, *candidates]]
        if None in found or any(a[0] == GOAL for a in found[len(background):]):  # type: ignore[index]
            return None
        return PrefixScan(self, found[:len(background)], found[len(background):])  # type: ignore[arg-type]

    # -- unsatisfiable: Kleene's logic ----------------------------------------------------------

    def _kleene(self, true: int, false: int, goals: list[tuple[str, list[int]]]) -> int | None:
        r = self.kleene(true, false)
        if r[-1]:
            return UNSAT  # a bound atom forced both ways
        holds, fails = r[0], r[1]
        for kind, places in goals:
            goal_t, goal_f = _goal_dual(kind, places, r)
            holds &= goal_t
            fails |= goal_f
        if fails:
            return UNSAT
        return SAT if holds else None

    # -- satisfiable: trials ----------------------------------------------------------------------

    def _start(self, context: dict[str, int]) -> list[int]:
        """The trials' sources for a request: each input group at the request's value
        (its first value where unknown) in every trial of the first two blocks but those
        that change it, at another value in the third; every label not assumed."""
        found = self._contexts.get(id(context))
        if found is not None and found[0] is context:
            return found[1]
        x = self._layout(context)
        if len(self._contexts) >= CONTEXTS_KEPT:
            self._contexts.clear()
        self._contexts[id(context)] = (context, x)
        return x

    def _layout(self, context: dict[str, int]) -> list[int]:
        """`_start`, worked out."""
        x = [0] * self.n_base
        rows = self.rows
        for group, first in self.first_value.items():
            for n, bits in rows[group][context.get(group, first)]:
                x[n] = bits
        x[len(x) - len(self.label_free):] = self.label_free
        return x

    def _trials(self, start: list[int], on: list[int], inputs: list[tuple[Any, ...]],
                goals: list[tuple[str, list[int]]], ruled_out: int) -> int | None:
        x = list(start)
        full = self.full
        for n in on:
            x[n] = full
        # the inputs assumed (the request's own values) hold in the third block too
        for found in inputs:
            for n in found[4]:
                x[n] = full
            for n in found[5]:
                x[n] = 0
        least = self.least_bits(x, full)
        repeat, high, k = self.repeat, self.high, self.atom_trial
        for j in range(self.n_free):
            x.append(least[j] | (high ^ (repeat << k + j)))
        out = self.terms_bits(x, full)
        holds = out[0] & ~ruled_out
        for kind, places in goals:
            holds &= _goal_bits(kind, places, out, full)
        return SAT if holds else None


class PrefixScan:
    """One prefix search's sets, background + candidates[:k] for every k, read at once in
    Kleene's logic, one bit per k: `least` gives the least k shown unsatisfiable. The
    search then moves a candidate into the background (`hold`) and reads a shorter list.
    What each source is set by (the background, or the first candidate that sets it) is
    worked out once for the whole search."""

    def __init__(self, checks: LabelledChecks, background: list[tuple[Any, ...]],
                 candidates: list[tuple[Any, ...]]) -> None:
        self.checks = checks
        self.candidates = candidates
        self.true: set[int] = set(checks.surely_true_places)
        self.false: set[int] = set()
        self.goals: list[tuple[str, list[int]]] = []
        for found in background:
            self._hold(found)
        first_true: dict[int, int] = {}
        first_false: dict[int, int] = {}
        for i, found in enumerate(candidates):
            if found[0] == SKIP:
                continue
            for n in found[4]:
                first_true.setdefault(n, i)
            for n in found[5]:
                first_false.setdefault(n, i)
        self.first_true = sorted((i, n) for n, i in first_true.items())
        self.first_false = sorted((i, n) for n, i in first_false.items())

    def _hold(self, found: tuple[Any, ...]) -> None:
        if found[0] == GOAL:
            self.goals.append((found[1], found[2]))
        elif found[0] != SKIP:
            self.true.update(found[4])
            self.false.update(found[5])

    def hold(self, i: int) -> None:
        """Candidate i joins the background."""
        self._hold(self.candidates[i])

    def least(self, length: int) -> int | None:
        """The least k <= length for which the reading shows background +
        candidates[:k] unsatisfiable, or None."""
        checks = self.checks
        full = (2 << length) - 1
        t = [0] * checks.n_base
        f = [0] * checks.n_base
        for n in self.true:
            t[n] = full
        for n in self.false:
            f[n] = full
        for i, n in self.first_true:
            if i >= length:
                break
            t[n] |= full ^ ((2 << i) - 1)  # the prefixes that hold candidate i
        for i, n in self.first_false:
            if i >= length:
                break
            f[n] |= full ^ ((2 << i) - 1)
        clash = 0  # inputs assumed both ways
        for _, n in self.first_false:
            clash |= t[n] & f[n]
        for n in self.false:
            clash |= t[n] & f[n]
        r = checks._wide(t, f, full)
        fails = r[1] | r[-1] | clash
        for kind, places in self.goals:
            fails |= _goal_dual(kind, places, r, full)[1]
        if not fails:
            return None
        return (fails & -fails).bit_length() - 1


def _other(kind: str, values: list[int], value: int) -> int:
    """Another value of a group, for the third block: a flag the other way, the first
    category or measure (the second where the request has the first), the last count of
    thresholds (the first where the request reaches every one)."""
    if kind == FLAG:
        return 1 - value
    if kind == ONE_HOT:
        return values[0] if value != values[0] else values[1]
    return values[-1] if value != values[-1] else values[0]


def _atom_true(kind: str, i: int, value: int) -> bool:
    """Whether a group's i-th atom holds at a value: the index of the one true atom, the
    count of thresholds reached, 0 or 1."""
    if kind == FLAG:
        return bool(value)
    return i == value if kind == ONE_HOT else i < value


def _goal_dual(kind: str, places: list[int], r: list[int], mask: int = 1) -> tuple[int, int]:
    """The goal's surely-true and surely-false bits from the terms' pairs."""
    if kind == "not_any":  # none of them: true where each is surely false
        t, f = mask, 0
        for p in places:
            t &= r[2 * p + 1]
            f |= r[2 * p]
        return t, f
    if kind == "not_all":
        t, f = 0, mask
        for p in places:
            t |= r[2 * p + 1]
            f &= r[2 * p]
        return t, f
    p = places[0]
    return r[2 * p + 1], r[2 * p]


def _goal_bits(kind: str, places: list[int], out: list[int], full: int) -> int:
    if kind == "not_any":
        some = 0
        for p in places:
            some |= out[p]
        return full ^ some
    if kind == "not_all":
        every = full
        for p in places:
            every &= out[p]
        return full ^ every
    return full ^ out[places[0]]


def _bits(mask: int) -> tuple[int, ...]:
    """The positions of the bits set in `mask`."""
    return tuple(n for n in range(mask.bit_length()) if mask >> n & 1)


def _plain(constraint: z3.BoolRef) -> z3.BoolRef:
    """An implication as a disjunction (the operators `straight_line` reads)."""
    if z3.is_implies(constraint):
        a, b = constraint.children()
        return z3.Or(z3.Not(a), _plain(b))
    return constraint


def _constants(exprs: Sequence[Any]) -> set[int]:
    """The ids of the constants the terms mention."""
    seen: set[int] = set()
    found: set[int] = set()
    stack = term_nodes(exprs)
    while stack:
        node = stack.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        if node.kind == z3.Z3_OP_UNINTERPRETED and not node.kids:
            found.add(node.id)
        stack.extend(node.kids)
    return found
