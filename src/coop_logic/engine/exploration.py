"""The models found for one request, as witnesses of possible verdicts: which statuses
are possible and which unknowns matter (depends_on), with a check only where no
witness answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from coop_logic.engine.assumption_solver import SAT
from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.engine.trials import Trials
from coop_logic.vocabulary import CATEGORIES, OVERALL_ORDER, STATUSES

if TYPE_CHECKING:
    from coop_logic.engine.solve import Engine



class Exploration:
    """The models found so far for one request, as witnesses of possible verdicts.

    Every satisfiable check of the verdict solver is read back as a witness: the value of
    each unknown input and the status of each instrument (and the overall status) in that
    model. A status is possible for an instrument when some witness shows it; an unknown
    matters (is in `depends_on`) when some value of it rules out a status that is possible
    overall. Witnesses answer most of these questions without a check; a check is made
    only for a combination no witness covers yet.
    """

    def __init__(self, engine: Engine, facts: RequestFacts, base: list[Any],
                 selected: Sequence[str]) -> None:
        self.engine = engine
        self.facts = facts
        self.base = base
        self.selected = list(selected)
        self.unknown = engine.ordered_groups(facts.unknown_groups)
        self._ptrs: list[Any] | None = None  # what a model is read for (`sat`)
        self.witnesses: list[Witness] = []
        # Where the engine can evaluate a model for given values of the unknowns without a
        # check (`Engine._witness_evaluator`), a few such models are tried before a check.
        self.evaluate: Callable[[dict[str, Any]], Witness] | None = None
        self._tried: set[tuple[Any, ...]] = set()
        self._trial_set: Trials | None = None

    def sat(self, extra: list[Any]) -> bool:
        engine = self.engine
        if engine.check(engine.verdict, [*self.base, *extra], "the request") != SAT:
            return False
        if self._ptrs is None:
            groups = engine.compiled.inputs.groups
            self._ptrs = [engine.literal(a, True).ast for g in self.unknown for a in groups[g]]
            self._ptrs += [engine.status_ptr[i][s] for i in self.selected for s in STATUSES]
            self._ptrs += [engine.overall_ptr[s] for s in OVERALL_ORDER]
        values = engine.model_values(self._ptrs)
        inputs: dict[str, Any] = {}
        k = 0
        for group in self.unknown:
            atoms = engine.compiled.inputs.groups[group]
            chunk = values[k:k + len(atoms)]
            k += len(atoms)
            if group == "offence.category":
                inputs[group] = atoms[chunk.index(True)].key.removeprefix("category:")
            elif group == "offence.max_penalty_years":
                inputs[group] = sum(bool(v) for v in chunk)
            else:
                inputs[group] = bool(chunk[0])
        status = {}
        for inst in self.selected:
            status[inst] = STATUSES[values[k:k + 4].index(True)]
            k += 4
        overall = OVERALL_ORDER[values[k:k + 3].index(True)]
        self.witnesses.append(Witness(inputs, status, overall))
        return True

    def _evaluated(self, shows: Callable[[Witness], bool], group: str | None = None,
                   choice: Any = None) -> bool:
        """Whether a model evaluated without a check shows `shows` (with `group` fixed to
        `choice`): the witnesses found so far, `group` changed, and every unknown true,
        are tried; each model found is kept as a witness. Answers only 'yes' (a model
        is a proof); 'no' leaves the question to the solver."""
        if self.evaluate is None:
            return False
        trials = [dict(w.inputs) for w in self.witnesses[:3]]
        last = self.engine.unknown_last()
        trials.append({g: last.get(g, True) for g in self.unknown})
        for values in trials:
            if group is not None:
                values[group] = choice
            key = tuple(values.items())  # every trial lists the unknowns in one order
            if key in self._tried:
                continue
            self._tried.add(key)
            witness = self.evaluate(values)
            self.witnesses.append(witness)
            if shows(witness):
                return True
        return False

    def add_witness(self, values: dict[str, Any]) -> None:
        """The model evaluated for these values of unknowns (the others at their first
        value), kept as a witness."""
        if self.evaluate is not None:
            self.witnesses.append(self.evaluate(values))

    def _satisfiable(self, extra: list[Any]) -> bool:
        """`sat`, without reading the model where models are evaluated without a check
        (reading a model costs more than the check; the evaluated ones serve instead)."""
        if self.evaluate is None:
            return self.sat(extra)
        engine = self.engine
        return engine.check(engine.verdict, [*self.base, *extra], "the request") == SAT

    def shows_other_status(self, inst: str, status: str) -> bool:
        """Whether a model evaluated without a check gives the instrument another status."""
        return any(w.status[inst] != status for w in self.witnesses) or self._evaluated(
            lambda w: w.status[inst] != status)

    def possible(self, inst: str) -> set[str]:
        for status in STATUSES:
            if not any(w.status[inst] == status for w in self.witnesses) and not (
                    self._evaluated(lambda w, s=status: w.status[inst] == s)):
                self.sat([self.engine.status_ptr[inst][status]])
        return {w.status[inst] for w in self.witnesses}

    def overall_possible(self) -> list[str]:
        for status in OVERALL_ORDER:
            if not any(w.overall == status for w in self.witnesses) and not (
                    self._evaluated(lambda w, s=status: w.overall == s)):
                self.sat([self.engine.overall_ptr[status]])
        seen = {w.overall for w in self.witnesses}
        return [s for s in OVERALL_ORDER if s in seen]

    def _matters(self, group: str, classes: dict[Any, Any] | None, targets: Sequence[str],
                 inst: str | None) -> bool:
        """Whether some value of `group` rules out one of the `targets` statuses of the
        instrument `inst` (None: of the overall verdict).

        `classes` maps each category to its class (categories no rule tells apart), so
        one category per class is tried; other groups try each of their values. Each
        question is answered by the trials (`trials.Trials`: the models found when they
        were built, each with one unknown changed, and Kleene's proofs of absence), else
        by a model found since, else by an evaluated model, else by a check."""
        engine = self.engine
        if inst is None:
            def shown(w: Witness) -> str:
                return w.overall

            def target_ptr(s: str) -> Any:
                return engine.overall_ptr[s]
        else:
            def shown(w: Witness) -> str:
                return w.status[inst]

            def target_ptr(s: str) -> Any:
                return engine.status_ptr[inst][s]
        if classes is None:
            choices = self.engine.compiled.inputs.values(group)
            classes = {c: c for c in choices}
        else:
            choices = list({cls: c for c, cls in reversed(classes.items())}.values())
        trials = self._trials()
        for choice in choices:
            fixed = engine.group_literals(group, choice)
            members = tuple(c for c, cls in classes.items() if cls == classes[choice])
            for target in targets:
                if trials is not None:
                    answer = trials.answer(group, choice, members, inst, target)
                    if answer is not None:
                        if answer:
                            continue
                        return True
                if any(classes[w.inputs[group]] == classes[choice] and shown(w) == target
                       for w in self.witnesses):
                    continue
                if self._evaluated(lambda w, t=target: shown(w) == t, group, choice):
                    continue
                if not self._satisfiable([*fixed, target_ptr(target)]):
                    return True
        return False

    def _trials(self) -> Trials | None:
        """The request's trials, built on first use from the models found so far."""
        if self.evaluate is None:
            return None
        if self._trial_set is None:
            self._trial_set = Trials(self.engine.evaluator(), self.facts, self.selected,
                                     self.unknown, [w.inputs for w in self.witnesses])
        return self._trial_set

    def depends_on(self, inst: str, statuses: Sequence[str]) -> tuple[str, ...]:
        """The unknown input groups whose value would change the instrument's status."""
        measure = self.facts.request.measure
        cone = self.engine.compiled.cones[(inst, measure)]
        classes = {c: i for i, cls in enumerate(cone.category_classes) for c in cls}
        result = []
        for group in self.unknown:
            if group not in cone.groups:
                continue
            if self._matters(group, classes if group == "offence.category" else None,
                             statuses, inst):
                result.append(group)
        return tuple(result)

    def overall_depends_on(self, selected: Sequence[str]) -> tuple[str, ...]:
        """The unknown input groups whose value would change the overall status."""
        measure = self.facts.request.measure
        cones = [self.engine.compiled.cones[(i, measure)] for i in selected]
        groups = set().union(*(c.groups for c in cones))
        classes = {c: tuple(next(k for k, cls in enumerate(cone.category_classes) if c in cls)
                            for cone in cones) for c in CATEGORIES}
        possible = self.overall_possible()
        result = []
        for group in self.unknown:
            if group not in groups:
                continue
            if self._matters(group, classes if group == "offence.category" else None,
                             possible, None):
                result.append(group)
        return tuple(result)


@attrs.frozen
class Witness:
    inputs: dict[str, Any]
    status: dict[str, str]
    overall: str
