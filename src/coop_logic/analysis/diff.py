"""Change impact: what a new version of the specs or the party data does to the verdicts.

For each instrument and measure, the old and new rules are compiled over shared inputs,
and z3 is asked for a request whose status rises (new > old in the order not_applicable <
discretionary < refusable < mandatory) and for one whose status falls. The answer is
`equivalent` (neither exists), `stricter` (only rises: some requests gain a duty or a
firmer one), `laxer` (only falls) or `incomparable` (both), with a minimal witness request
for each direction. Party data is compared State by State on a date: for each State whose
party status or reservations differ, the same question is asked with that State's old
and new data. This module reads spec and party files through `kb` and `parties`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import z3

from coop_logic.analysis.counterexample import Witnessing
from coop_logic.engine.budget import before_check, unknown_answer
from coop_logic.engine.compile import Encoder, Inputs
from coop_logic.engine.knowledge_base import (
    bundled_spec_dir,
    merge_parties,
    refuse_party_data_for_all,
    spec_files,
)
from coop_logic.errors import RequestError, SpecError, did_you_mean
from coop_logic.io.documents import load_file
from coop_logic.io.state_codes import state_table
from coop_logic.model.instrument import Instrument
from coop_logic.spec.instrument_reader import check_references, read_spec
from coop_logic.spec.party_data import declared_status, party_status, protocol_data, read_party_file
from coop_logic.vocabulary import MEASURES, STATUSES

RANK = {"not_applicable": 0, "discretionary": 1, "refusable": 2, "mandatory": 3}


@attrs.frozen
class Change:
    """How one instrument's verdicts for one measure changed."""

    instrument: str
    measure: str
    direction: str  # equivalent | stricter | laxer | incomparable
    stricter_witness: dict | None
    laxer_witness: dict | None
    state: str | None = None  # for a party-data change: the State whose data changed
    role: str | None = None

    def to_dict(self) -> dict:
        return {"instrument": self.instrument, "measure": self.measure,
                "direction": self.direction, "state": self.state, "role": self.role,
                "stricter_witness": self.stricter_witness, "laxer_witness": self.laxer_witness}


def load_side(paths: Iterable[str | Path]) -> dict[str, Instrument]:
    """One side of a diff: spec folders, spec files or party files.

    Spec folders are loaded as a set. Spec files and party files apply on top of the
    bundled specs (or of the folders given before them): a spec file replaces the
    instrument with its id; a party file is merged into that instrument's party data State
    by State, exactly as `--parties` merges it for `check` (`merge_parties`).
    """
    instruments: dict[str, Instrument] = {}
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    files = [Path(p) for p in paths if not Path(p).is_dir()]
    for path in spec_files(folders or [bundled_spec_dir()]):
        inst = read_spec(path, tuple(d / "parties" for d in folders or [bundled_spec_dir()]))
        instruments[inst.id] = inst
    party_dirs = (bundled_spec_dir() / "parties",)
    for path in files:
        doc = load_file(path, SpecError)
        if isinstance(doc.data, dict) and "rules" in doc.data:
            inst = read_spec(path, party_dirs)
            instruments[inst.id] = inst
            continue
        data = read_party_file(path)
        if data.instrument not in instruments:
            raise SpecError(f"party data for '{data.instrument}', which is not loaded",
                            file=str(path), field="instrument")
        refuse_party_data_for_all(instruments[data.instrument], path)
        inst = instruments[data.instrument]
        instruments[data.instrument] = attrs.evolve(
            inst, parties=merge_parties(inst.parties, data))
    check_references(instruments)
    return instruments


def _check(solver: z3.Solver, assumptions: list[Any]) -> Any:
    """A check within the command's solver budget; `unknown` is an error, never an answer."""
    what = "a pair of States for a witness"
    before_check(solver, what)
    result = solver.check(*assumptions)
    if result == z3.unknown:
        raise unknown_answer(what, solver.reason_unknown())
    return result


def _rank(enc: Encoder, inst_id: str) -> z3.ArithRef:
    ctx = enc.ctx
    if inst_id not in enc.instruments:
        return z3.IntVal(0, ctx)
    statuses = enc.terms(inst_id).statuses
    rank = z3.IntVal(0, ctx)
    for status in reversed(STATUSES):  # not_applicable first, mandatory last (outermost)
        rank = z3.If(statuses[status], z3.IntVal(RANK[status], ctx), rank)
    return rank


class Differ:
    def __init__(self, old: dict[str, Instrument], new: dict[str, Instrument],
                 date: dt.date | None = None) -> None:
        self.old, self.new = old, new
        self.date = date or dt.date.today()
        self.inputs = Inputs(z3.Context(), [*old.values(), *new.values()])
        self.old_enc = Encoder(self.inputs, old)
        self.new_enc = Encoder(self.inputs, new)
        self.witness = Witnessing(self.inputs, new, self.date)
        self._literals: dict[tuple[str, str], list[z3.BoolRef]] = {}

    def rules(self, instruments: Iterable[str] | None = None,
              measures: Iterable[str] = MEASURES) -> list[Change]:
        """The change in the rules, with every input (party data included) left free."""
        changes = []
        for inst_id in self._chosen(instruments) or sorted(set(self.old) | set(self.new)):
            old_rank, new_rank = _rank(self.old_enc, inst_id), _rank(self.new_enc, inst_id)
            for measure in measures:
                changes.append(self._compare(inst_id, measure, old_rank, new_rank, [], None, None))
        return changes

    def party_data(self, instruments: Iterable[str] | None = None,
                   measures: Iterable[str] = MEASURES) -> list[Change]:
        """The change in party data on the date, one State and role at a time."""
        changes = []
        chosen = self._chosen(instruments)
        for inst_id in ([i for i in chosen if i in self.old and i in self.new] if chosen
                        else sorted(set(self.old) & set(self.new))):
            for state in sorted(state_table().names):
                old_values = self._atoms(self.old, inst_id, state)
                new_values = self._atoms(self.new, inst_id, state)
                if old_values == new_values:
                    continue
                for role in ("requesting", "requested"):
                    old_sub = self._substitution(old_values, role)
                    new_sub = self._substitution(new_values, role)
                    if old_sub == new_sub:
                        continue
                    old_rank = _substitute(_rank(self.old_enc, inst_id), old_sub, self.inputs)
                    new_rank = _substitute(_rank(self.new_enc, inst_id), new_sub, self.inputs)
                    for measure in measures:
                        change = self._compare(inst_id, measure, old_rank, new_rank, [],
                                               state, role)
                        if change.direction != "equivalent":
                            changes.append(change)
        return changes

    def _chosen(self, instruments: Iterable[str] | None) -> list[str]:
        """The instruments asked for, each loaded on one side at least (else RequestError)."""
        if instruments is None:
            return []
        chosen = [instruments] if isinstance(instruments, str) else list(instruments)
        known = sorted(set(self.old) | set(self.new))
        for inst_id in chosen:
            if inst_id not in known:
                raise RequestError(f"unknown instrument '{inst_id}'{did_you_mean(inst_id, known)}",
                                   field="--instrument", expected="one of " + ", ".join(known))
        return chosen

    def _atoms(self, instruments: dict[str, Instrument], inst_id: str,
               state: str) -> dict[str, bool | None]:
        inst = instruments[inst_id]
        values: dict[str, bool | None] = {}
        if inst.parties.completeness != "all":
            values[f"party:{inst_id}"] = party_status(inst.parties, state, self.date).value
        for name in inst.parties.protocols:
            data = protocol_data(inst.parties, name)
            values[f"party:{inst_id}.{name}"] = party_status(data, state, self.date).value
        for res in inst.reservations:
            values[f"reservation:{inst_id}:{res.id}"] = declared_status(
                inst.parties, res, state, self.date).value
        return values

    def _substitution(self, values: dict[str, bool | None], role: str) -> dict[str, bool | None]:
        out = {}
        for key, value in values.items():
            if key.startswith("party:"):
                out[f"{key}:{role}"] = value
            elif role == "requested":
                out[key] = value
        return out

    def _compare(self, inst_id: str, measure: str, old_rank: z3.ArithRef,
                 new_rank: z3.ArithRef, extra: list[z3.BoolRef], state: str | None,
                 role: str | None) -> Change:
        at_measure = self.inputs.var(f"measure:{measure}")
        before_check(None, f"the change of {inst_id} for {measure}")
        up = self.witness.minimal_model(z3.And(at_measure, new_rank > old_rank, *extra))
        down = self.witness.minimal_model(z3.And(at_measure, new_rank < old_rank, *extra))
        direction = {(False, False): "equivalent", (True, False): "stricter",
                     (False, True): "laxer", (True, True): "incomparable"}[
            (up is not None, down is not None)]
        raise_ = z3.And(at_measure, new_rank > old_rank, *extra)
        fall = z3.And(at_measure, new_rank < old_rank, *extra)
        return Change(inst_id, measure, direction,
                      self._request(up, raise_, inst_id, state, role),
                      self._request(down, fall, inst_id, state, role), state, role)

    def _request(self, model: z3.ModelRef | None, formula: z3.BoolRef, inst_id: str,
                 state: str | None, role: str | None) -> dict | None:
        if model is None:
            return None
        request = self.witness.request_of(model, inst_id)
        if state is not None and role is not None:
            request[f"{role}_state"] = state
        if "??" in (request["requesting_state"], request["requested_state"]):
            # The model fixes party atoms the change does not depend on (e.g. "the requested
            # State is not bound by the 1959 Convention" where only "the two States are not
            # both bound" matters), which may fit no real State. Look for a real pair instead.
            found = self._real_pair(formula, {role: state} if state and role else {})
            if found is not None:
                pair, better = found
                request = {**self.witness.request_of(better, inst_id),
                           "requesting_state": pair[0], "requested_state": pair[1]}
        return request

    def _role_values(self, state: str, role: str) -> list[z3.BoolRef]:
        """Literals fixing the party atoms of `role` to what the data says of `state`."""
        key = (state, role)
        if key not in self._literals:
            values: dict[str, bool | None] = {}
            for inst_id in sorted(set(self.old) | set(self.new)):
                side = self.new if inst_id in self.new else self.old
                values.update(self._substitution(self._atoms(side, inst_id, state), role))
            self._literals[key] = [
                self.inputs.var(k) if v else z3.Not(self.inputs.var(k))
                for k, v in values.items() if v is not None and k in self.inputs.by_key]
        return self._literals[key]

    def _real_pair(self, formula: z3.BoolRef, fixed: dict[str, str],
                   limit: int = 12) -> tuple[tuple[str, str], z3.ModelRef] | None:
        """A pair of real States (requesting, requested) for which `formula` holds on the
        date, with a minimal model for it; `fixed` pins a role to a State. At most `limit`
        requesting States that fit on their own are tried."""
        solver = z3.Solver(ctx=self.inputs.ctx)
        solver.set("timeout", 20_000)
        for c in self.inputs.constraints():
            solver.add(c)
        solver.add(formula)
        states = sorted(state_table().names)
        tried = 0
        for first in [fixed["requesting"]] if "requesting" in fixed else states:
            one = self._role_values(first, "requesting")
            if _check(solver, one) != z3.sat:
                continue
            tried += 1
            for second in [fixed["requested"]] if "requested" in fixed else states:
                if second == first:
                    continue
                both = [*one, *self._role_values(second, "requested")]
                if _check(solver, both) == z3.sat:
                    model = self.witness.minimal_model(z3.And(formula, *both))
                    if model is not None:
                        return (first, second), model
            if tried >= limit:
                break
        return None


def _substitute(term: z3.ExprRef, values: dict[str, bool | None], inputs: Inputs) -> z3.ExprRef:
    pairs = [(inputs.var(key), z3.BoolVal(value, inputs.ctx))
             for key, value in values.items() if value is not None and key in inputs.by_key]
    return z3.substitute(term, *pairs) if pairs else term
