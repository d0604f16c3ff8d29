"""An instrument's statuses over every value of the unknowns it reads, without the solver.

An instrument's status is a function of the inputs in its cone (`compile.cone`), and the
only constraints on the inputs are one category and a penalty consistent with a number
(`compile.Inputs.constraints`). So where a request leaves few unknowns in the cone, every
model of the verdict solver is covered by enumerating their values: each Boolean unknown
true and false, the category one per class of categories the rules tell apart, the
penalty every count of thresholds it can reach. The status is then read off the
instrument's hard terms, compiled once into a straight-line Python function. What the
table says (the possible statuses, the unknowns that matter) is exactly what the solver's
models say, found without a check and the same whatever was asked before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.vocabulary import CATEGORIES

if TYPE_CHECKING:
    from coop_logic.engine.solve import Engine

# Evaluations of the instruments' terms at most per table (each a few microseconds, a
# solver check about a hundred): beyond, the solver decides, the evaluations spent
# wasted. Measured on random requests, nearly every table that settles at all settles
# within these (most in four), so a table that will not costs little.
EVALUATIONS = 16
OVERALL_EVALUATIONS = 32
# Open groups beyond which a table is not tried: with twenty or more unknowns the terms
# seldom settle within the budget.
MAX_OPEN_GROUPS = 20


class _TooMany(Exception):
    pass


class ConeTable:
    """The statuses one instrument reaches over the values of its open groups: for each
    group and each of its values, the statuses some model with that value gives."""

    def __init__(self, groups: list[str], choices: list[list[Any]],
                 reached: list[list[set[str]]], examples: dict[str, dict[str, Any]]) -> None:
        self.groups = groups
        self.choices = choices
        self.reached = reached
        self.examples = examples

    def possible(self) -> set[str]:
        return set(self.examples)

    def example(self, status: str) -> dict[str, Any]:
        """Values of the open groups under which the instrument has `status`."""
        return self.examples[status]

    def depends_on(self, statuses: Sequence[str]) -> list[str]:
        """The groups some value of which rules out one of `statuses`, in table order."""
        wanted = set(statuses)
        return [group for group, by_value in zip(self.groups, self.reached, strict=True)
                if any(not wanted <= reached for reached in by_value)]


def cone_table(engine: Engine, facts: RequestFacts, inst_id: str,
               budget: int = EVALUATIONS) -> ConeTable | None:
    """The table for `inst_id` on the request, or None when it would take more than
    `budget` evaluations (or the terms cannot be evaluated in Python)."""
    evaluator = engine.evaluator()
    function = evaluator.status_function(inst_id, kleene=True)
    if function is None:
        return None
    cone = engine.compiled.cones[(inst_id, facts.request.measure)]
    groups = [g for g in engine.ordered_groups(facts.unknown_groups) if g in cone.groups]
    classes = {c: n for n, cls in enumerate(cone.category_classes) for c in cls}

    def settle(x: list[bool | None]) -> str | None:
        return _status(*function(x))

    return _explore(engine, facts, groups, classes, settle, budget)


def overall_table(engine: Engine, facts: RequestFacts, selected: Sequence[str],
                  budget: int = OVERALL_EVALUATIONS) -> ConeTable | None:
    """The same for the overall status of the `selected` instruments (the first of
    mandatory, refusable that some instrument has, else discretionary)."""
    evaluator = engine.evaluator()
    plan = _overall_plan(engine, facts.request.measure, tuple(selected))
    if plan is None:
        return None
    cones, functions, union, classes = plan
    groups = [g for g in engine.ordered_groups(facts.unknown_groups) if g in union]
    if len(groups) >= MAX_OPEN_GROUPS:
        return None
    open_groups = set(groups)
    live = [f for f, c in zip(functions, cones, strict=True) if c.groups & open_groups]
    x0 = evaluator.known_vector(facts)
    fixed = {_status(*f(x0)) for f, c in zip(functions, cones, strict=True)
             if not c.groups & open_groups}

    def settle(x: list[bool | None]) -> str | None:
        values = [f(x) for f in live]
        statuses = {_status(*v) for v in values}
        for status in ("mandatory", "refusable"):
            if status in fixed or status in statuses:
                return status
            if any(status in _maybe(*v) for v in values):
                return None  # some instrument may still have it
        return "discretionary"

    return _explore(engine, facts, groups, classes, settle, budget // max(len(live), 1))


def _overall_plan(engine: Engine, measure: str, selected: tuple[str, ...]) -> Any:
    """What the overall table reads for a measure and a selection of instruments: their
    cones, their three-valued status functions, the groups any reads, and each category's
    class in every cone (None when some terms cannot be evaluated in Python)."""
    plans = engine.overall_plans
    key = (measure, selected)
    if key not in plans:
        evaluator = engine.evaluator()
        cones = [engine.compiled.cones[(i, measure)] for i in selected]
        functions = [evaluator.status_function(i, kleene=True) for i in selected]
        if any(f is None for f in functions):
            plans[key] = None
        else:
            classes = {c: tuple(next(k for k, cls in enumerate(cone.category_classes)
                                     if c in cls) for cone in cones) for c in CATEGORIES}
            plans[key] = (cones, functions, frozenset().union(*(c.groups for c in cones)),
                          classes)
    return plans[key]


def _status(m: bool | None, r: bool | None, d: bool | None) -> str | None:
    """The status the three terms settle, or None."""
    if m:
        return "mandatory"
    if r:
        return "refusable"
    if d:
        return "discretionary"
    if m is False and r is False and d is False:
        return "not_applicable"
    return None


def _maybe(m: bool | None, r: bool | None, d: bool | None) -> set[str]:
    """The statuses the three terms leave possible."""
    settled = _status(m, r, d)
    if settled is not None:
        return {settled}
    out = {s for s, v in (("mandatory", m), ("refusable", r), ("discretionary", d))
           if v is None}
    if m is not True and r is not True and d is not True:
        out.add("not_applicable")
    return out


def _explore(engine: Engine, facts: RequestFacts, groups: list[str], classes: dict[str, Any],
             settle: Callable[[list[bool | None]], str | None], budget: int
             ) -> ConeTable | None:
    """The open groups are fixed one at a time, in the canonical order of the unknowns;
    at each step `settle` evaluates the terms in Kleene's three-valued logic with the
    groups not yet fixed unknown, and a status settled there holds for every value of
    those groups, so that branch needs no further step (the category and the penalty,
    unknown, read as independent atoms: a wider set of values than they can take, so what
    is settled for it is settled for theirs). The category takes one value per class of
    categories (`classes`) the terms cannot tell apart."""
    if len(groups) >= MAX_OPEN_GROUPS:
        return None
    evaluator = engine.evaluator()
    choices: list[list[Any]] = []
    for group in groups:
        if group == "offence.category":
            choices.append(list({classes[c]: c for c in reversed(CATEGORIES)}.values())[::-1])
        else:
            choices.append(engine.compiled.inputs.values(group))
    x = evaluator.open_vector(facts, groups)
    reached: list[list[set[str]]] = [[set() for _ in values] for values in choices]
    examples: dict[str, dict[str, Any]] = {}
    chosen = [0] * len(groups)
    evaluations = 0

    def visit(depth: int, again: Callable[[int, Any], None]) -> None:
        # `again` is visit itself, passed in: a closure naming itself would be a reference
        # cycle, left for the garbage collector to find on every table
        nonlocal evaluations
        evaluations += 1
        if evaluations > budget:
            raise _TooMany
        status = settle(x)
        if status is not None:
            for j, by_value in enumerate(reached):
                if j < depth:
                    by_value[chosen[j]].add(status)
                else:
                    for values in by_value:
                        values.add(status)
            if status not in examples:
                examples[status] = {g: choices[j][chosen[j]] if j < depth else choices[j][0]
                                    for j, g in enumerate(groups)}
            return
        if depth == len(groups):
            raise _TooMany  # every input known and still unsettled: leave it to the solver
        for k, value in enumerate(choices[depth]):
            chosen[depth] = k
            evaluator.fix(x, groups[depth], value)
            again(depth + 1, again)
        for n in evaluator.positions(groups[depth]):
            x[n] = None

    try:
        visit(0, visit)
    except _TooMany:
        return None
    return ConeTable(groups, choices, reached, examples)
