"""Many models of one request tried at once, one bit per trial, without the solver.

Whether an unknown matters (`Exploration._matters`) asks, for each of its values and each
status, whether some model gives the status with the unknown at that value. Each answer
is either a model (the status is reachable) or a proof that none exists. Both are sought
here over the instruments' status terms evaluated as Python ints, one bit per trial
(`straight_line.BITS`, `DUAL_BITS`), so a few hundred trials cost about one evaluation:

- **models**: every model found so far (the bases), and each of them with one unknown
  changed to each of its values. The inputs are free apart from one category and a
  penalty chain, and every trial keeps those, so each trial is a model of the verdict
  solver: a bit set for a status is a proof the status is reachable.
- **proofs of absence**: each unknown fixed to each value, every other unknown left
  unknown, in Kleene's logic; a status whose terms are surely false there is surely false
  for every value of the others, so no model has it.

What neither settles is left to the caller (evaluated models, then a check). The answers
are facts about the request's models, so they do not change what `depends_on` says, only
how many checks it takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from coop_logic.engine.request_inputs import RequestFacts

if TYPE_CHECKING:
    from coop_logic.engine.solve import TermEvaluator

# Models found so far that serve as bases (each tried with every unknown changed).
MAX_BASES = 8
# Layouts kept (one per tuple of unknown groups seen).
LAYOUTS = 256


class Layout:
    """Where each trial sits in a block of trials, for one tuple of unknown groups: one
    trial per (group, value), the same for every base and for the proofs; per atom of a
    group, the trials of the block where the group is changed and the atom is true.
    It depends on the groups alone, so it is built once per tuple (`layout`)."""

    def __init__(self, evaluator: TermEvaluator, groups: tuple[str, ...]) -> None:
        values = evaluator.engine.compiled.inputs.values
        self.trials = [(g, v) for g in groups for v in values(g)]
        self.index = {pair: k for k, pair in enumerate(self.trials)}
        self.width = len(self.trials)
        self.full = (1 << self.width) - 1
        self.own: dict[str, int] = {}
        self.true: dict[str, list[int]] = {}
        self.at: dict[str, list[tuple[int, Any]]] = {g: [] for g in groups}
        for group in groups:
            places = evaluator.positions(group)
            self.own[group] = 0
            self.true[group] = [0] * len(places)
            for k, (g, v) in enumerate(self.trials):
                if g != group:
                    continue
                self.at[group].append((k, v))
                self.own[group] |= 1 << k
                for a in range(len(places)):
                    if evaluator.atom_value(group, a, v):
                        self.true[group][a] |= 1 << k


def layout(evaluator: TermEvaluator, groups: tuple[str, ...]) -> Layout:
    """The layout of a tuple of unknown groups, kept on the evaluator."""
    found = evaluator.layouts.get(groups)
    if found is None:
        if len(evaluator.layouts) >= LAYOUTS:
            evaluator.layouts.clear()
        found = evaluator.layouts[groups] = Layout(evaluator, groups)
    return found


class Trials:
    """The trials of one request, evaluated; `answer` reads them."""

    def __init__(self, evaluator: TermEvaluator, facts: RequestFacts, selected: Sequence[str],
                 unknown: Sequence[str], bases: Sequence[dict[str, Any]]) -> None:
        self.evaluator = evaluator
        self.selected = list(selected)
        self.groups = tuple(unknown)
        self.layout = layout(evaluator, self.groups)
        unique: list[dict[str, Any]] = []
        for base in bases:
            if base not in unique:
                unique.append(base)
        self.bases = unique[:MAX_BASES]
        self.width = self.layout.width
        self.mask = (1 << (self.width * len(self.bases))) - 1
        known = evaluator.known_vector(facts)
        for i in self.selected:
            known[evaluator.selector_position[i]] = True
        self.models = self._models(known)
        self.proofs = self._proofs(known)
        self._values: dict[tuple[str, tuple[Any, ...]], int] = {}
        self._read: dict[tuple[str | None, str], tuple[int, int, int]] = {}

    # -- building ---------------------------------------------------------------------------

    def _models(self, known: list[bool]) -> list[int]:
        """The bases, each with every unknown changed, evaluated in one call: an atom is
        true in a base's trials where the base has it true and the trial keeps the
        group, and where the trial changes the group to a value that makes it true."""
        evaluator = self.evaluator
        lay = self.layout
        mask = self.mask
        x = [mask if v else 0 for v in known]
        width = self.width
        for group in self.groups:
            kept = lay.full ^ lay.own[group]
            true = lay.true[group]
            for a, n in enumerate(evaluator.positions(group)):
                bits = 0
                for j, base in enumerate(self.bases):
                    block = true[a] | kept if evaluator.atom_value(group, a, base[group]) else (
                        true[a])
                    bits |= block << (j * width)
                x[n] = bits
        return evaluator.status_bits()(x, mask)

    def _proofs(self, known: list[bool]) -> list[int]:
        """Each unknown fixed to each value, the others unknown, in Kleene's logic."""
        evaluator = self.evaluator
        lay = self.layout
        mask = lay.full
        t = [mask if v else 0 for v in known]
        f = [0 if v else mask for v in known]
        for group in self.groups:
            own = lay.own[group]
            for a, n in enumerate(evaluator.positions(group)):
                t[n] = lay.true[group][a]
                f[n] = own ^ lay.true[group][a]
        return evaluator.status_dual_bits()(t, f, mask)

    # -- reading ----------------------------------------------------------------------------

    def _value_bits(self, group: str, members: tuple[Any, ...]) -> int:
        """The model trials (over every base) where `group` takes one of `members`: a
        base's trials keep its value of the group, except those that change the group."""
        key = (group, members)
        found = self._values.get(key)
        if found is None:
            changed = 0
            for k, v in self.layout.at[group]:
                if v in members:
                    changed |= 1 << k
            kept = self.layout.full ^ self.layout.own[group]
            found = 0
            for j, base in enumerate(self.bases):
                found |= (changed | (kept if base[group] in members else 0)) << (j * self.width)
            self._values[key] = found
        return found

    def _reached(self, out: list[int], mask: int, inst: str | None, status: str) -> int:
        """The trials where the instrument (None: the overall verdict) has `status`."""
        position = self.evaluator.status_term
        if inst is not None:
            k = position[inst]
            m, r, d = out[k], out[k + 1], out[k + 2]
            return {"mandatory": m, "refusable": r, "discretionary": d,
                    "not_applicable": mask ^ (m | r | d)}[status]
        any_m = any_r = 0
        for i in self.selected:
            k = position[i]
            any_m |= out[k]
            any_r |= out[k + 1]
        if status == "mandatory":
            return any_m
        if status == "refusable":
            return any_r & (mask ^ any_m)
        return mask ^ (any_m | any_r)

    def _surely(self, inst: str | None, status: str) -> tuple[int, int]:
        """The proof trials where the status surely holds, and where it surely does not."""
        out = self.proofs
        position = self.evaluator.status_term
        if inst is not None:
            k = 2 * position[inst]
            mt, mf, rt, rf, dt, df = out[k:k + 6]
            return {"mandatory": (mt, mf), "refusable": (rt, rf), "discretionary": (dt, df),
                    "not_applicable": (mf & rf & df, mt | rt | dt)}[status]
        mask = (1 << self.width) - 1
        some_mt = some_rt = 0
        all_mf = all_rf = mask
        for i in self.selected:
            k = 2 * position[i]
            mt, mf, rt, rf = out[k:k + 4]
            some_mt |= mt
            some_rt |= rt
            all_mf &= mf
            all_rf &= rf
        if status == "mandatory":
            return some_mt, all_mf
        if status == "refusable":
            return all_mf & some_rt, some_mt | all_rf
        return all_mf & all_rf, some_mt | some_rt

    def inputs(self, trial: int) -> dict[str, Any]:
        """The values of the unknowns in one model trial (a base, one group changed)."""
        base, k = divmod(trial, self.width)
        group, value = self.layout.trials[k]
        return {**self.bases[base], group: value}

    def shows(self, trial: int, inst: str | None, status: str) -> bool:
        """Whether the instrument (None: the overall verdict) has `status` in a model
        trial."""
        return bool(self._reached(self.models, self.mask, inst, status) >> trial & 1)

    def answer(self, group: str, choice: Any, members: tuple[Any, ...], inst: str | None,
               status: str) -> bool | None:
        """Whether some model with `group` at `choice` (or another of `members`, values
        the rules do not tell apart) gives the instrument (None: the overall verdict)
        `status`: True (a trial is one), False (proved impossible), None (not settled)."""
        key = (inst, status)
        read = self._read.get(key)
        if read is None:
            read = self._read[key] = (self._reached(self.models, self.mask, inst, status),
                                      *self._surely(inst, status))
        reached, surely, surely_not = read
        if reached & self._value_bits(group, members):
            return True
        k = self.layout.index.get((group, choice))
        if k is None:
            return None
        if surely >> k & 1:
            return True
        if surely_not >> k & 1:
            return False
        return None
