"""Counterexample and witness requests: from a z3 model back to a ready-to-run request.

Used by `verify` (counterexamples to checks and properties) and `diff` (witnesses of a
change). A model is taken with as few facts and flags true as possible (z3's optimizer
keeps them false where it can), and the roles' party atoms are matched to real States
of the party data on the date, where one fits. Nothing here knows which check it serves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import z3

from coop_logic.engine.compile import Inputs, cone
from coop_logic.errors import SolverError
from coop_logic.io.state_codes import state_table
from coop_logic.model.instrument import Instrument, PartyData, ReservationDecl
from coop_logic.spec.party_data import declared_status, party_status, protocol_data
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS


class Witnessing:
    """Finds minimal models over `inputs` and writes them as requests."""

    def __init__(self, inputs: Inputs, instruments: dict[str, Instrument], date: dt.date) -> None:
        self.inputs = inputs
        self.instruments = instruments
        self.date = date
        self._optimizer: z3.Optimize | None = None

    def minimal_model(self, formula: z3.BoolRef) -> z3.ModelRef | None:
        """A model of `formula` with as few facts and flags true as possible, or None.
        Within `shared()`, one optimizer serves every formula, each in a scope of its own
        (push, check, pop); otherwise each formula gets a fresh one, so that the model
        does not depend on what was asked before."""
        shared = self._optimizer is not None
        solver = self._optimizer if shared else self._new_optimizer()
        solver.push()
        try:
            solver.add(formula)
            result = solver.check()
            if result == z3.unknown:
                raise SolverError(f"the solver could not decide a verify obligation: "
                                  f"{solver.reason_unknown()}")
            return solver.model() if result == z3.sat else None
        finally:
            solver.pop()

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Within the block, one optimizer (the input constraints and the soft 'false' of
        every fact and flag added once) serves every `minimal_model`: the models are as
        minimal, found faster, and the same for the same sequence of formulas."""
        self._optimizer = self._new_optimizer()
        try:
            yield
        finally:
            self._optimizer = None

    def _new_optimizer(self) -> z3.Optimize:
        optimizer = z3.Optimize(ctx=self.inputs.ctx)
        optimizer.set("timeout", 20_000)
        for c in self.inputs.constraints():
            optimizer.add(c)
        for atom in self.inputs.atoms:
            if atom.key.startswith(("fact:", "flag:")):
                optimizer.add_soft(z3.Not(atom.var))
        return optimizer

    def request_of(self, model: z3.ModelRef, instrument: str) -> dict:
        """A request file (as a mapping) realising the model, with real States if any fit."""

        def value(key: str, complete: bool = False) -> bool | None:
            v = model.eval(self.inputs.var(key), model_completion=complete)
            return True if z3.is_true(v) else False if z3.is_false(v) else None

        measure = next((m for m in MEASURES if value(f"measure:{m}")), MEASURES[0])
        request: dict = {"measure": measure, "date": self.date.isoformat()}
        offence: dict = {}
        category = next((c for c in CATEGORIES if value(f"category:{c}")), None)
        if category:
            offence["category"] = category
        penalty = self._penalty(value)
        if penalty is not None:
            offence["max_penalty_years"] = penalty
        for flag in OFFENCE_FLAGS:
            offence[flag] = bool(value(f"flag:{flag}", complete=True))
        request["offence"] = offence
        request["facts"] = {f: bool(value(f"fact:{f}", complete=True)) for f in FACTS}
        relevant = self._relevant(instrument, measure)
        wanted_party = {key: v for key in self.inputs.by_key
                        if key.startswith("party:") and self.inputs.by_key[key].group in relevant
                        and (v := value(key)) is not None}
        wanted_res = {key: v for key in self.inputs.by_key
                      if key.startswith("reservation:") and key in relevant
                      and (v := value(key)) is not None}
        requesting = self._state("requesting", wanted_party, {}, exclude=None)
        requested = self._state("requested", wanted_party, wanted_res, exclude=requesting)
        return {"requesting_state": requesting or "??", "requested_state": requested or "??",
                **request, "instruments": [instrument]}

    def _relevant(self, instrument: str, measure: str) -> frozenset[str]:
        """The party and reservation inputs the instrument's verdict can depend on: the
        States chosen need to match the model only there."""
        if instrument not in self.instruments:
            return frozenset(self.inputs.groups)
        return cone(self.instruments[instrument], measure, self.instruments).groups

    def _penalty(self, value) -> float | None:
        chain = self.inputs.penalty
        known = [(p, value(p.key)) for p in chain]
        if all(v is None for _, v in known):
            return None
        years = 0.0
        for p, v in known:
            if v:
                years = p.threshold if p.op == ">=" else p.threshold + 1
        return int(years) if years == int(years) else years

    def _state(self, role: str, parties: dict[str, bool], reservations: dict[str, bool],
               exclude: str | None) -> str | None:
        needs = {k.split(":")[1]: v for k, v in parties.items() if k.endswith(":" + role)}
        instruments = self.instruments
        for code in sorted(state_table().names):
            if code == exclude:
                continue
            if any(party_status(_party_data(instruments, i), code, self.date).value is not v
                   for i, v in needs.items()):
                continue
            if role == "requested" and any(
                declared_status(instruments[k.split(":")[1]].parties,
                                _declaration(instruments[k.split(":")[1]], k.split(":")[2]),
                                code, self.date).value is not v
                for k, v in reservations.items()
            ):
                continue
            return code
        return None




def _party_data(instruments: dict[str, Instrument], name: str) -> PartyData:
    """The party data behind `name`: an instrument id, or `<instrument>.<protocol>`."""
    inst, _, protocol = name.partition(".")
    data = instruments[inst].parties
    return protocol_data(data, protocol) if protocol else data


def _declaration(inst: Instrument, reservation: str) -> ReservationDecl:
    return next(r for r in inst.reservations if r.id == reservation)
