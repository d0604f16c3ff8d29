"""What-if: the smallest changes that give a request a target status, and why it has not.

`what_if(kb, request, target)` answers, for the overall verdict or one instrument's:

- **facts**: the fewest changes to the known facts and offence fields that reach the
  target. A z3 Optimize over the request's inputs keeps each known value by a soft
  constraint (weight 1 per fact or offence field); the measure, the party data and the
  reservations stay fixed, the unknowns are free. Alternatives come in order of cost,
  each blocking its change set and every superset (so each is inclusion-minimal). Where
  the target also needs unknowns to take certain values, those are reported as
  `assuming`, reduced by deletion to the ones the target really needs.
- **date**: the entry-into-force (and withdrawal, as-of) dates in the party data of the
  two States for the instruments considered; the earliest date after the request's at
  which the target is reached (or becomes possible, if it is not now).
- **instrument**: the other loaded instruments that give the target.

Each answer is the changed request evaluated by the engine, with its verdicts' traces.
The contrast "why <actual> and not <target>" is the unsat core of an instrument's
labelled solver under its provisions, the known values and "status is the target",
reduced like a trace and rendered as trace steps.

In a notebook each record shows itself as HTML (`_repr_html_`): an answer shows its changes
and, per instrument, the verdict before and after (the changed ones marked). `answer[id]` is
an instrument's verdict after the change, `what_if(...)[id]` the contrast of an instrument.
"""

from __future__ import annotations

import datetime as dt
import itertools
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import z3

from coop_logic.engine.assumption_solver import SAT, UNSAT, pointer
from coop_logic.engine.budget import before_check, unknown_answer
from coop_logic.engine.compile import SOLVER_TIMEOUT_MS, Compiled
from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.errors import SolverError
from coop_logic.explain.markup import record_html
from coop_logic.explain.notebook import (
    changed_html,
    request_line,
    request_words,
    stacked_html,
    trace_words,
)
from coop_logic.model.instrument import PartyData
from coop_logic.model.request import Request
from coop_logic.model.result import Step, Verdict, unknown_key
from coop_logic.vocabulary import CATEGORIES, OVERALL_ORDER

from coop_logic.practice.ask import (  # isort: skip
    Session, check_target, encode_verdict, penalty_example, penalty_range, range_label,
)

MAX_FACT_ANSWERS = 5
MAX_CHANGE_SETS = 3_000  # change sets checked at most, beyond the fewest changes
CERTAIN, POSSIBLE, IMPOSSIBLE = 2, 1, 0
_REACHES = {CERTAIN: "certainly", POSSIBLE: "possibly"}


# -- records --------------------------------------------------------------------------------


@attrs.frozen
class Change:
    """A known value changed (`before` -> `after`), or an unknown assumed (`before` None)."""

    id: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.before, "to": self.after}


@attrs.frozen
class WhatIfAnswer:
    """One way to reach the target: the changed request and its verdict."""

    kind: str  # facts | date | instrument
    request: Request
    status: str
    possible: tuple[str, ...]
    reaches: str  # certainly | possibly
    verdicts: dict[str, Verdict]
    changes: tuple[Change, ...] = ()
    assuming: tuple[Change, ...] = ()
    date: dt.date | None = None
    instrument: str | None = None
    # The same instruments' verdicts for the request as it was (those it considered).
    before: dict[str, Verdict] = attrs.field(factory=dict, eq=False)

    def __getitem__(self, instrument: str) -> Verdict:
        """The verdict of `instrument` after the change; a KeyError names the close id and
        the instruments there are."""
        if instrument not in self.verdicts:
            raise KeyError(unknown_key("instrument", instrument, self.verdicts))
        return self.verdicts[instrument]

    @property
    def change_words(self) -> str:
        """The change in words: 'political_offence: true -> false', 'on 2027-01-01',
        'under untoc alone'."""
        if self.kind == "date" and self.date is not None:
            return f"on {self.date.isoformat()}"
        if self.kind == "instrument":
            return f"under {self.instrument} alone"
        return "; ".join(f"{c.id}: {_shown(c.before)} -> {_shown(c.after)}"
                         for c in self.changes) or "no change"

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the change, the unknowns it assumes, the verdict it
        gives, then per instrument the verdict before and after (changed ones marked)."""
        head: dict[str, object] = {"change": self.change_words}
        if self.assuming:
            head["assuming"] = {c.id: _shown(c.after) for c in self.assuming}
        still = f" ({' or '.join(self.possible)})" if len(self.possible) > 1 else ""
        head["gives"] = f"{self.status}{still}: reaches the target {self.reaches}"
        rows = []
        for inst_id, after in self.verdicts.items():
            was = self.before.get(inst_id)
            before = was.status if was is not None else "not considered"
            changed = was is not None and (was.status, was.grounds) != (after.status,
                                                                         after.grounds)
            title = (f"{after.title} [{inst_id}]: {before} -> {after.status}"
                     + (" (changed)" if changed else " (unchanged)"))
            words: dict[str, object] = {}
            if was is not None and was.grounds != after.grounds:
                words["grounds before"] = list(was.grounds)
            words["grounds after"] = list(after.grounds)
            words.update(trace_words(after.trace))
            row = record_html(title, words)
            rows.append(changed_html(row) if changed else row)
        title = f"What if ({self.kind}): {self.change_words} gives {self.status}"
        return stacked_html(record_html(title, head), rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "changes": [c.to_dict() for c in self.changes],
            "assuming": [{"id": c.id, "value": c.after} for c in self.assuming],
            "date": self.date.isoformat() if self.date else None,
            "instrument": self.instrument,
            "status": self.status,
            "possible": list(self.possible),
            "reaches": self.reaches,
            "request": self.request.to_dict(),
            "verdicts": {i: v.to_dict() for i, v in self.verdicts.items()},
        }


@attrs.frozen
class Contrast:
    """Why an instrument's status is not the one wanted: the provisions and facts that
    rule out `excluded` (the statuses that would give the target)."""

    instrument: str
    status: str
    excluded: tuple[str, ...]
    trace: tuple[Step, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "status": self.status,
                "excluded": list(self.excluded),
                "trace": [s.to_dict() for s in self.trace]}

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the provisions and facts that rule out `excluded`."""
        title = (f"Why {self.instrument} is {self.status} and not "
                 f"{' or '.join(self.excluded)}")
        return record_html(title, trace_words(self.trace) or "it follows from the rules alone")


@attrs.frozen
class WhatIf:
    request: Request
    closed_world: bool
    instrument: str | None
    target: str
    status: str
    possible: tuple[str, ...]
    reached: bool  # the target is already the (determined) status
    answers: tuple[WhatIfAnswer, ...]
    contrast: tuple[Contrast, ...]

    def of_kind(self, kind: str) -> tuple[WhatIfAnswer, ...]:
        return tuple(a for a in self.answers if a.kind == kind)

    def __getitem__(self, instrument: str) -> Contrast:
        """The contrast of `instrument` (why its status is not the one wanted); a KeyError
        names the close id and the instruments there are."""
        for contrast in self.contrast:
            if contrast.instrument == instrument:
                return contrast
        if not self.contrast:
            reason = ("is already reached" if self.reached else
                      "is reachable" if self.target in self.possible else "has no contrast")
            raise KeyError(f"no contrast for {instrument!r}: the target {self.target} "
                           f"{reason}, so there is no 'why not'")
        raise KeyError(unknown_key("instrument", instrument,
                                   [c.instrument for c in self.contrast]))

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the request in words, the verdict and the target, each
        answer (its changes and the verdicts before and after), then why not the target."""
        asked = f"instrument {self.instrument}" if self.instrument else "the overall verdict"
        head: dict[str, object] = request_words(self.request, self.closed_world)
        still = f" ({' or '.join(self.possible)})" if len(self.possible) > 1 else ""
        head[f"verdict ({asked})"] = self.status + still
        head["target"] = self.target + (" (already reached)" if self.reached else "")
        if not self.reached:
            head["ways to reach it"] = len(self.answers)
        parts = [a._repr_html_() for a in self.answers]
        parts += [c._repr_html_() for c in self.contrast]
        title = f"What if: {request_line(self.request)}, target {self.target}"
        return stacked_html(record_html(title, head), parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "target": self.target,
            "status": self.status,
            "possible": list(self.possible),
            "reached": self.reached,
            "answers": [a.to_dict() for a in self.answers],
            "contrast": [c.to_dict() for c in self.contrast],
            "request": self.request.to_dict(),
            "closed_world": self.closed_world,
        }


# -- the API --------------------------------------------------------------------------------


def what_if(kb: Any, request: Request | Mapping[str, Any], target: str,
            instrument: str | None = None, closed_world: bool = False) -> WhatIf:
    """The minimal changes (facts, date, instrument) that give the verdict (overall, or of
    `instrument`) the status `target`, each evaluated with its trace, and the contrast:
    why the verdict is what it is and not `target`."""
    check_target(target, instrument)
    session = Session(kb, request, closed_world, instrument)
    current = session.current
    now = _level(current.possible, target)
    if now == CERTAIN:
        return WhatIf(session.request, closed_world, instrument, target, current.status,
                      current.possible, True, (), ())
    planner = _Planner(session, target, now)
    answers = [*planner.facts(), *planner.dates(), *planner.instruments()]
    return WhatIf(session.request, closed_world, instrument, target, current.status,
                  current.possible, False, tuple(answers), tuple(planner.contrast()))


def _level(possible: Sequence[str], target: str) -> int:
    if target not in possible:
        return IMPOSSIBLE
    return CERTAIN if len(possible) == 1 else POSSIBLE


class _Planner:
    def __init__(self, session: Session, target: str, now: int) -> None:
        self.session = session
        self.kb = session.kb
        self.engine = session.engine
        self.compiled: Compiled = session.compiled
        self.target = target
        self.now = now

    # -- evaluating a changed request -----------------------------------------------------

    def _answer(self, kind: str, request: Request, instruments: list[str] | None,
                **extra: Any) -> WhatIfAnswer | None:
        result = self.kb.evaluate(request, closed_world=self.session.closed_world,
                                  instruments=instruments)
        inst = extra.get("instrument") if kind == "instrument" else self.session.instrument
        if inst:
            verdict = result.verdicts[inst]
            status, possible, verdicts = verdict.status, verdict.possible, {inst: verdict}
        else:
            ov = result.overall
            status, possible = ov.status, ov.possible
            verdicts = {i: result.verdicts[i] for i in ov.basis}
        level = _level(possible, self.target)
        if level == IMPOSSIBLE:
            return None
        known = self.session.result.verdicts
        before = {i: known[i] for i in verdicts if i in known}
        return WhatIfAnswer(kind, result.request, status, possible, _REACHES[level], verdicts,
                            before=before, **extra)

    def _level_of(self, reading: Request) -> int:
        """The target's level for a changed request (two checks of the verdict solver)."""
        session, engine = self.session, self.engine
        facts = RequestFacts(engine, reading)
        base = [lit.ast for lit in facts.literals]
        base += [engine.selector[(i, i in session.selected)] for i in self.compiled.instruments]
        atom = session.status_atom(self.target)
        what = "the status on another date"
        if engine.check(engine.verdict, [*base, session.status_ptr(self.target)], what) != SAT:
            return IMPOSSIBLE
        if engine.check(engine.verdict, [*base, engine.negation(atom)], what) == UNSAT:
            return CERTAIN
        return POSSIBLE

    # -- facts ----------------------------------------------------------------------------

    def facts(self) -> list[WhatIfAnswer]:
        """The fewest changes to known values that reach the target, found canonically:
        the optimizer gives only the fewest number of changes (a number that does not
        depend on what the solver did before); the change sets themselves are then
        enumerated in the inputs' order, each checked for satisfiability, and each value
        and assumed unknown is the first that works in a fixed order. So the same question
        gets the same answer in any process and after any other question."""
        groups = self._changeable()
        best = self._fewest_changes(groups)
        if best is None:
            return []
        answers: list[WhatIfAnswer] = []
        found: list[frozenset[str]] = []
        checked = 0
        for size in (best, best + 1):
            for combo in itertools.combinations(groups, size):
                if len(answers) >= MAX_FACT_ANSWERS or checked >= MAX_CHANGE_SETS:
                    break
                chosen = frozenset(combo)
                if any(f <= chosen for f in found):
                    continue  # inclusion-minimal sets only
                checked += 1
                values = self._change_values(combo)
                if values is None:
                    continue
                found.append(chosen)
                answer = self._fact_answer(values, list(combo))
                if answer is not None:
                    answers.append(answer)
                if not combo:
                    return answers
        # fewest changes first; among equals, a target reached for certain, fewer assumptions
        answers.sort(key=lambda a: (len(a.changes), a.reaches != "certainly", len(a.assuming)))
        return answers

    def _changeable(self) -> list[str]:
        """The known facts and offence fields the verdict asked about can depend on (in
        the inputs' order); the measure, party data and reservations stay fixed."""
        session = self.session
        cone = set().union(*(c.groups for c in session.cones()))
        known = {lit.atom.group for lit in session.facts.literals}
        return [g for g in self.compiled.inputs.groups if g in known and g in cone
                and g != "measure" and not g.startswith(("party:", "reservation:"))]

    def _fewest_changes(self, groups: list[str]) -> int | None:
        """The fewest of `groups` to change to reach the target (None: no change does)."""
        session, compiled, inputs = self.session, self.compiled, self.compiled.inputs
        values = session.facts.values
        opt = z3.Optimize(ctx=compiled.ctx)
        opt.set("timeout", SOLVER_TIMEOUT_MS)
        for c in _verdict_constraints(compiled):
            opt.add(c)
        for i, sel in compiled.selectors.items():
            opt.add(sel if i in session.selected else z3.Not(sel))
        opt.add(session.status_atom(self.target))
        for lit in session.facts.literals:
            if lit.atom.group not in groups:
                opt.add(lit.atom.var if lit.value else z3.Not(lit.atom.var))
        for group in groups:
            atoms = inputs.groups[group]
            if group == "offence.category":
                keep = next(a.var for a in atoms if values.get(a.key))
            else:
                keep = z3.And(*[a.var if values[a.key] else z3.Not(a.var) for a in atoms])
            opt.add_soft(keep, 1, "keep")
        what = "the fewest changes"
        before_check(opt, what)
        result = opt.check()
        if result == z3.unknown:
            raise unknown_answer(what, opt.reason_unknown())
        if result != z3.sat:
            return None
        model = opt.model()
        return sum(1 for g in groups if self._model_value(model, g) != self._current(g))

    def _current(self, group: str) -> Any:
        """The known value of `group` in the form `_group_literals` takes."""
        values = self.session.facts.values
        atoms = self.compiled.inputs.groups[group]
        if group == "offence.category":
            chosen = next(a.key.removeprefix("category:") for a in atoms if values.get(a.key))
            classes = self.session.category_classes()
            return next(c for c in CATEGORIES if classes[c] == classes[chosen])
        if group == "offence.max_penalty_years":
            return sum(1 for a in atoms if values[a.key])
        return values[atoms[0].key]

    def _candidates(self, group: str, current: Any = None) -> list[Any]:
        """The values of `group` other than `current`, in a fixed order: for a flag its
        opposite, for the category one per class the law tells apart, for the penalty the
        positions on the threshold chain nearest the current one first."""
        if group == "offence.category":
            classes = self.session.category_classes()
            reps = list({classes[c]: c for c in reversed(CATEGORIES)}.values())[::-1]
            reps = sorted(reps, key=CATEGORIES.index)
            return [c for c in reps if current is None or classes[c] != classes[current]]
        if group == "offence.max_penalty_years":
            chain = self.compiled.inputs.penalty
            forced = sum(1 for p in chain if p.op == ">=" and p.threshold <= 0)
            positions = range(forced, len(chain) + 1)
            if current is None:
                return list(positions)
            return sorted((k for k in positions if k != current),
                          key=lambda k: (abs(k - current), k))
        return [True, False] if current is None else [not current]

    def _reachable(self, changed: Sequence[str], fixed: Sequence[tuple[str, Any]]) -> bool:
        """Whether the target is possible with `changed` free (but for the values in
        `fixed`) and every other known value kept."""
        session, engine = self.session, self.engine
        free = set(changed)
        base = [lit.ast for lit in session.facts.literals if lit.atom.group not in free]
        base += [engine.selector[(i, i in session.selected)] for i in self.compiled.instruments]
        lits = [lit for g, v in fixed for lit in engine.group_literals(g, v)]
        return engine.check(engine.verdict, [*base, *lits, session.status_ptr(self.target)],
                             "the changes that reach the target") == SAT

    def _change_values(self, combo: Sequence[str]) -> dict[str, Any] | None:
        """For a set of groups to change: the first new value of each (in order) with
        which the target stays reachable; None when the set does not reach the target or
        one of its groups need not change (a smaller set does it)."""
        if not self._reachable(combo, []):
            return None
        fixed: list[tuple[str, Any]] = []
        for group in combo:
            for value in self._candidates(group, self._current(group)):
                if self._reachable(combo, [*fixed, (group, value)]):
                    fixed.append((group, value))
                    break
            else:
                return None
        return dict(fixed)

    def _fact_answer(self, values: Mapping[str, Any], changed: list[str]) -> WhatIfAnswer | None:
        session = self.session
        reading = session.reading
        chain = self.compiled.inputs.penalty
        changes = []
        updates: dict[str, Any] = {}
        for group in self.session.compiled.inputs.groups:
            if group not in changed:
                continue
            after = values[group]
            before = _request_value(reading, group)
            updates[group] = after
            shown = penalty_example(chain, after) if group == "offence.max_penalty_years" else after
            changes.append(Change(group, before, shown))
        changed_reading = _with_values(reading, updates, chain)
        assumed = self._needed_unknowns(changed_reading)
        request = _with_values(_with_values(session.original, updates, chain),
                               {g: v for g, v in assumed if _settable(g)}, chain)
        assuming = []
        for group, value in assumed:
            shown: Any = value
            if group == "offence.max_penalty_years":
                shown = penalty_range(chain, value)
            assuming.append(Change(session.public(group), None, shown))
        return self._answer("facts", request, session.instruments_arg, changes=tuple(changes),
                            assuming=tuple(assuming))

    def _model_value(self, model: z3.ModelRef, group: str) -> Any:
        atoms = self.compiled.inputs.groups[group]
        truth = [z3.is_true(model.eval(a.var, model_completion=True)) for a in atoms]
        if group == "offence.category":
            chosen = atoms[truth.index(True)].key.removeprefix("category:")
            classes = self.session.category_classes()  # the first category alike for the law
            return next(c for c in CATEGORIES if classes[c] == classes[chosen])
        if group == "offence.max_penalty_years":
            return sum(truth)
        return truth[0]

    def _needed_unknowns(self, reading: Request) -> list[tuple[str, Any]]:
        """The values of unknowns that the target needs, after the change: each relevant
        unknown in order takes the first value with which the target stays possible; then
        those the target does not need are dropped (deletion in the same order, each
        check: is the target entailed without it?)."""
        session, engine = self.session, self.engine
        facts = RequestFacts(engine, reading)
        relevant = set(session.relevant_unknowns())
        unknown = [g for g in engine.ordered_groups(facts.unknown_groups) if g in relevant]
        if not unknown:
            return []
        base = [lit.ast for lit in facts.literals]
        base += [engine.selector[(i, i in session.selected)] for i in self.compiled.instruments]
        target = session.status_ptr(self.target)
        goal = engine.negation(session.status_atom(self.target))
        what = "the unknowns a change needs"

        def holds(items: list[tuple[str, Any]], ptr: Any) -> int:
            lits = [lit for g, v in items for lit in engine.group_literals(g, v)]
            return engine.check(engine.verdict, [*base, *lits, ptr], what)

        chosen: list[tuple[str, Any]] = []
        for group in unknown:
            for value in self._candidates(group):
                if holds([*chosen, (group, value)], target) == SAT:
                    chosen.append((group, value))
                    break
            else:
                raise SolverError("the target is not reachable with any value of "
                                  f"{session.public(group)}")
        if holds(chosen, goal) != UNSAT:
            raise SolverError("the target is not entailed by the values chosen for the unknowns")
        kept = list(chosen)
        for item in chosen:
            trial = [x for x in kept if x != item]
            if holds(trial, goal) == UNSAT:
                kept = trial
        return kept

    # -- dates ----------------------------------------------------------------------------

    def dates(self) -> list[WhatIfAnswer]:
        session = self.session
        reading = session.reading
        candidates = sorted(d for d in self._candidate_dates() if d > reading.date)
        found: list[tuple[dt.date, int]] = []
        for day in candidates:
            level = self._level_of(attrs.evolve(reading, date=day))
            if level > self.now and (not found or level > found[-1][1]):
                found.append((day, level))
                if level == CERTAIN:
                    break
        answers = []
        for day, _ in found:
            answer = self._answer("date", attrs.evolve(session.original, date=day),
                                  session.instruments_arg, date=day)
            if answer is not None:
                answers.append(answer)
        return answers

    def _candidate_dates(self) -> set[dt.date]:
        session = self.session
        request = session.reading
        chosen = [session.instrument] if session.instrument else session.selected
        days: set[dt.date] = set()
        for inst_id in chosen:
            data = self.compiled.instruments[inst_id].parties
            for sub in [data, *data.protocols.values()]:
                days |= _party_dates(sub, data, (request.requesting_state,
                                                 request.requested_state))
        return days

    # -- instruments ----------------------------------------------------------------------

    def instruments(self) -> list[WhatIfAnswer]:
        session = self.session
        everything = self.kb.evaluate(session.original, closed_world=session.closed_world,
                                      instruments=list(self.kb.ids), traces=False)
        ranked = []
        for inst_id, verdict in everything.verdicts.items():
            if inst_id == session.instrument:
                continue
            level = _level(verdict.possible, self.target)
            if level > self.now:
                ranked.append((-level, inst_id))
        answers = []
        for _, inst_id in sorted(ranked, key=lambda x: (x[0], list(self.kb.ids).index(x[1]))):
            answer = self._answer("instrument", attrs.evolve(session.original,
                                                             instruments=(inst_id,)),
                                  [inst_id], instrument=inst_id)
            if answer is not None:
                answers.append(answer)
        return answers

    # -- the contrast ---------------------------------------------------------------------

    def contrast(self) -> list[Contrast]:
        """Why not the target: per instrument, the core of its labelled solver under
        "the status is one of `excluded`", where `excluded` gives the target.

        For one instrument: excluded = (target). Overall, the target needs some instrument
        at the target and none stronger: the instruments whose stronger status is entailed
        are the reason (excluded = the target and the weaker statuses); otherwise every
        instrument that cannot reach the target is (excluded = (target))."""
        session = self.session
        target = self.target
        if self.now != IMPOSSIBLE:
            return []
        if session.instrument:
            one = self._core(session.instrument, (target,))
            return [one] if one else []
        weaker = (*OVERALL_ORDER[OVERALL_ORDER.index(target):], "not_applicable")
        if target != OVERALL_ORDER[0]:
            stronger = [c for i in session.selected if (c := self._core(i, weaker))]
            if stronger:
                return stronger
        return [c for i in session.selected if (c := self._core(i, (target,)))]

    def _core(self, inst_id: str, excluded: tuple[str, ...]) -> Contrast | None:
        engine = self.engine
        facts = self.session.facts
        goal = _goal(self.compiled, inst_id, excluded)
        steps = engine.proof(inst_id, facts, goal)
        if steps is None:
            return None
        verdict = self.session.result.verdicts[inst_id]
        return Contrast(inst_id, verdict.status, excluded, engine.render_steps(steps, facts))


# -- helpers --------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    """A value of a change in words: a flag as true/false, a penalty range as its bounds."""
    if isinstance(value, bool) or value is None:
        return "unknown" if value is None else str(value).lower()
    if isinstance(value, dict) and "min" in value:
        return range_label(value)
    return str(value)


_CACHE: weakref.WeakKeyDictionary[Compiled, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _cache(compiled: Compiled) -> dict[Any, Any]:
    if compiled not in _CACHE:
        _CACHE[compiled] = {}
    return _CACHE[compiled]


def _verdict_constraints(compiled: Compiled) -> list[z3.BoolRef]:
    cache = _cache(compiled)
    if "verdict" not in cache:
        cache["verdict"] = encode_verdict(compiled, compiled.inputs, compiled.status,
                                          compiled.selectors, compiled.overall, "")
    return cache["verdict"]


def _goal(compiled: Compiled, inst_id: str, statuses: tuple[str, ...]) -> Any:
    """The assumption "the status is one of `statuses`" for the labelled solver."""
    cache = _cache(compiled)
    key = ("goal", inst_id, statuses)
    if key not in cache:
        atoms = [compiled.explain_status[inst_id][s] for s in statuses]
        expr = atoms[0] if len(atoms) == 1 else z3.Or(*atoms)
        cache[key] = (expr, pointer(expr))
    return cache[key][1]


def _party_dates(data: PartyData, parent: PartyData, states: Sequence[str]) -> set[dt.date]:
    """The dates on which the party status of `states` (or a reservation) may change."""
    days: set[dt.date] = set()
    for d in (data.entry_into_force, data.as_of or parent.as_of):
        if d:
            days.add(d)
    for state in states:
        entry = data.entries.get(state)
        if entry is not None:
            days |= {d for d in (entry.in_force, entry.withdrawn, entry.as_of) if d}
    for res in data.reservations:
        if res.state in states:
            days |= {d for d in (res.in_force, res.withdrawn) if d}
    return days


def _request_value(request: Request, group: str) -> Any:
    if group.startswith("offence."):
        value = getattr(request.offence, group.removeprefix("offence."))
        if group == "offence.max_penalty_years" and value is not None and value == int(value):
            return int(value)
        return value
    return request.fact(group)


def _settable(group: str) -> bool:
    """Whether a request can state a value of `group` (party data and reservations it
    cannot: they come from the party files)."""
    return not group.startswith(("party:", "reservation:"))


def _with_values(request: Request, values: Mapping[str, Any], chain: Sequence[Any]) -> Request:
    """`request` with facts and offence fields set (penalty given as a chain position)."""
    facts = dict(request.facts)
    offence: dict[str, Any] = {}
    for group, value in values.items():
        if group == "offence.max_penalty_years":
            offence["max_penalty_years"] = float(penalty_example(chain, value))
        elif group.startswith("offence."):
            offence[group.removeprefix("offence.")] = value
        elif _settable(group):
            facts[group] = value
    return attrs.evolve(request, facts=facts, offence=attrs.evolve(request.offence, **offence))


__all__ = ["Change", "Contrast", "WhatIf", "WhatIfAnswer", "what_if"]
