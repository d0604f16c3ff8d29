"""Change impact: what a new version of the specs or the party data does to the verdicts.

For each instrument and measure, the old and new rules are compiled over shared inputs,
and z3 is asked for a request whose status rises (new > old in the order not_applicable <
discretionary < refusable < mandatory) and for one whose status falls. The answer is
`equivalent` (neither exists), `stricter` (only rises: some requests gain a duty or a
firmer one), `laxer` (only falls) or `incomparable` (both), with a minimal witness request
for each direction. Party data is compared State by State on a date: for each State and
role (requesting, requested) whose party status or reservations differ on an input an
instrument's verdict reads (its own party data, or another instrument's it refers to), the
same question is asked with that State's old and new data.

Only what can differ is given to the solver: an instrument whose old and new verdict
terms are the same term (same rules, same references) is equivalent without a check, and
States whose changed data is the same (every Party whose date moved past the date, say)
are compared once, the witness then given for each of them. This module reads spec and
party files through `kb` and `parties`; it never prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
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
DIRECTIONS = ("stricter", "laxer", "incomparable", "equivalent")
ROLES = ("requesting", "requested")

Progress = Callable[[int, int], None]  # (work done, items done), as cli.progress takes it


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


@attrs.frozen
class Summary:
    """One instrument's rules, or one State's party data for one instrument, in one line:
    the overall direction and how many comparisons (measures, or measures and roles)
    went each way."""

    instrument: str
    state: str | None
    direction: str
    counts: dict[str, int]

    def to_dict(self) -> dict:
        return {"instrument": self.instrument, "state": self.state,
                "direction": self.direction, "counts": dict(self.counts)}


def overall(directions: Iterable[str]) -> str:
    """The direction of several comparisons taken together."""
    seen = set(directions)
    if "incomparable" in seen or {"stricter", "laxer"} <= seen:
        return "incomparable"
    return next((d for d in ("stricter", "laxer") if d in seen), "equivalent")


def summarize(changes: Iterable[Change]) -> list[Summary]:
    """Per instrument (rules) and per instrument and State (party data), in the order the
    changes come: the overall direction and the count of each direction."""
    counts: dict[tuple[str, str | None], dict[str, int]] = {}
    for c in changes:
        row = counts.setdefault((c.instrument, c.state), {})
        row[c.direction] = row.get(c.direction, 0) + 1
    return [Summary(inst, state, overall(row), {d: row[d] for d in DIRECTIONS if d in row})
            for (inst, state), row in counts.items()]


def load_side(paths: Iterable[str | Path],
              base: dict[str, Instrument] | None = None) -> dict[str, Instrument]:
    """One side of a diff: spec folders, spec files or party files.

    Spec folders are loaded as a set. Spec files and party files apply on top of the
    bundled specs (or of the folders given before them): a spec file replaces the
    instrument with its id; a party file is merged into that instrument's party data State
    by State, exactly as `--parties` merges it for `check` (`merge_parties`). `base`, when
    given, stands for the bundled specs already read (see `load_sides`).
    """
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    files = [Path(p) for p in paths if not Path(p).is_dir()]
    instruments = dict(base) if base is not None and not folders else _read_folders(folders)
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


def load_sides(old: Iterable[str | Path],
               new: Iterable[str | Path]) -> tuple[dict[str, Instrument], dict[str, Instrument]]:
    """Both sides of a diff, the bundled specs read once when both sides start from them
    (a party file against its correction, say)."""
    old, new = list(old), list(new)
    bundled = None
    if not any(Path(p).is_dir() for p in [*old, *new]):
        bundled = _read_folders([])
    return load_side(old, bundled), load_side(new, bundled)


def _read_folders(folders: list[Path]) -> dict[str, Instrument]:
    dirs = folders or [bundled_spec_dir()]
    instruments: dict[str, Instrument] = {}
    for path in spec_files(dirs):
        inst = read_spec(path, tuple(d / "parties" for d in dirs))
        instruments[inst.id] = inst
    return instruments


def _check(solver: z3.Solver, assumptions: list[Any], what: str) -> Any:
    """A check within the command's solver budget; `unknown` is an error, never an answer."""
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


def _inputs_read(term: z3.ExprRef) -> frozenset[str]:
    """The input atoms (by key) a term reads."""
    seen: set[int] = set()
    keys: set[str] = set()
    todo = [term]
    while todo:
        t = todo.pop()
        if t.get_id() in seen:
            continue
        seen.add(t.get_id())
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            keys.add(t.decl().name())
        else:
            todo.extend(t.children())
    return frozenset(keys)


@attrs.frozen
class _Group:
    """States whose data, for one role, gives an instrument's verdict terms the same old
    and new inputs: one comparison answers for all of them."""

    instrument: str
    role: str
    states: tuple[str, ...]
    old: dict[str, bool | None]
    new: dict[str, bool | None]


@attrs.frozen
class _Found:
    """One direction of one comparison: the formula, and the representative's request."""

    formula: z3.BoolRef
    request: dict


class Differ:
    def __init__(self, old: dict[str, Instrument], new: dict[str, Instrument],
                 date: dt.date | None = None) -> None:
        self.old, self.new = old, new
        self.date = date or dt.date.today()
        self.inputs = Inputs(z3.Context(), [*old.values(), *new.values()])
        self.old_enc = Encoder(self.inputs, old)
        self.new_enc = Encoder(self.inputs, new)
        self.witness = Witnessing(self.inputs, new, self.date)
        self._literals: dict[tuple[str, str], dict[str, z3.BoolRef]] = {}
        self._ranks: dict[str, tuple[z3.ArithRef, z3.ArithRef]] = {}
        self._values: dict[tuple[str, str, str], dict[str, bool | None]] = {}
        self._groups: dict[tuple[str, ...] | None, list[_Group]] = {}
        self._solver: z3.Solver | None = None

    # -- what is compared ---------------------------------------------------------------

    def rules(self, instruments: Iterable[str] | None = None,
              measures: Iterable[str] = MEASURES,
              progress: Progress | None = None) -> list[Change]:
        """The change in the rules, with every input (party data included) left free. An
        instrument whose old and new verdict terms are the same term is equivalent
        without a solver check."""
        measures = list(measures)
        changes = []
        for inst_id in self._rule_instruments(instruments):
            old_rank, new_rank = self._rank_pair(inst_id)
            for measure in measures:
                if old_rank.eq(new_rank):
                    changes.append(Change(inst_id, measure, "equivalent", None, None))
                    continue
                direction, up, down = self._compare(inst_id, measure, old_rank, new_rank,
                                                    None, None)
                changes.append(Change(inst_id, measure, direction,
                                      up.request if up else None,
                                      down.request if down else None))
                if progress:
                    progress(1, 1)
        return changes

    def party_data(self, instruments: Iterable[str] | None = None,
                   measures: Iterable[str] = MEASURES,
                   progress: Progress | None = None) -> list[Change]:
        """The change in party data on the date, one State and role at a time; only the
        changes (not the equivalent comparisons) are returned."""
        measures = list(measures)
        changes = []
        for group in self._party_groups(instruments):
            old_rank, new_rank = self._rank_pair(group.instrument)
            old_rank = _substitute(old_rank, group.old, self.inputs)
            new_rank = _substitute(new_rank, group.new, self.inputs)
            for measure in measures:
                if progress:
                    progress(1, 1)
                if old_rank.eq(new_rank):
                    continue
                first = group.states[0]
                direction, up, down = self._compare(group.instrument, measure, old_rank,
                                                    new_rank, first, group.role)
                if direction == "equivalent":
                    continue
                for state in group.states:
                    changes.append(Change(
                        group.instrument, measure, direction,
                        self._moved(up, group.instrument, first, state, group.role),
                        self._moved(down, group.instrument, first, state, group.role),
                        state, group.role))
        order = {m: i for i, m in enumerate(measures)}
        changes.sort(key=lambda c: (c.instrument, c.state, ROLES.index(c.role or ROLES[0]),
                                    order[c.measure]))
        return changes

    def work(self, instruments: Iterable[str] | None = None,
             measures: Iterable[str] = MEASURES) -> int:
        """How many comparisons `rules` and `party_data` will give the solver (for a
        progress bar): the measures of each instrument whose rules changed, and of each
        group of States whose data changed alike."""
        chosen = (instruments if instruments is None or isinstance(instruments, str)
                  else list(instruments))
        per = len(list(measures))
        changed = [i for i in self._rule_instruments(chosen)
                   if not self._rank_pair(i)[0].eq(self._rank_pair(i)[1])]
        return per * (len(changed) + len(self._party_groups(chosen)))

    def _rule_instruments(self, instruments: Iterable[str] | None) -> list[str]:
        return self._chosen(instruments) or sorted(set(self.old) | set(self.new))

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

    def _rank_pair(self, inst_id: str) -> tuple[z3.ArithRef, z3.ArithRef]:
        if inst_id not in self._ranks:
            self._ranks[inst_id] = (_rank(self.old_enc, inst_id), _rank(self.new_enc, inst_id))
        return self._ranks[inst_id]

    def _party_groups(self, instruments: Iterable[str] | None) -> list[_Group]:
        """For each instrument loaded on both sides and each role: the States whose data
        differs on an input the instrument's verdict reads, grouped by that data."""
        chosen = self._chosen(instruments)
        key = tuple(chosen) if instruments is not None else None
        if key in self._groups:
            return self._groups[key]
        groups: list[_Group] = []
        states = sorted(state_table().names)
        for inst_id in ([i for i in chosen if i in self.old and i in self.new] if chosen
                        else sorted(set(self.old) & set(self.new))):
            read = _inputs_read(self._rank_pair(inst_id)[0]) | _inputs_read(
                self._rank_pair(inst_id)[1])
            for role in ROLES:
                alike: dict[tuple, list[str]] = {}
                for state in states:
                    old = self._role_data(self.old, state, role, read)
                    new = self._role_data(self.new, state, role, read)
                    if old != new:
                        alike.setdefault((tuple(old.items()), tuple(new.items())),
                                         []).append(state)
                groups += [_Group(inst_id, role, tuple(members), dict(old), dict(new))
                           for (old, new), members in alike.items()]
        self._groups[key] = groups
        return groups

    def _role_data(self, side: dict[str, Instrument], state: str, role: str,
                   read: frozenset[str]) -> dict[str, bool | None]:
        """What the data of `side` says of `state` in `role`, on the inputs in `read`."""
        name = "old" if side is self.old else "new"
        if (name, state, role) not in self._values:
            values: dict[str, bool | None] = {}
            for inst_id in sorted(set(self.old) | set(self.new)):
                # An instrument loaded on one side only reads its data from that side on
                # both: its coming or going is a change of the rules, not of a State's data.
                source = side if inst_id in side else (self.new if side is self.old
                                                       else self.old)
                values.update(self._substitution(self._atoms(source, inst_id, state), role))
            self._values[(name, state, role)] = values
        return {k: v for k, v in self._values[(name, state, role)].items() if k in read}

    # -- one comparison -------------------------------------------------------------------

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
                 new_rank: z3.ArithRef, state: str | None,
                 role: str | None) -> tuple[str, _Found | None, _Found | None]:
        """The direction, and a witness each way, of one comparison."""
        at_measure = self.inputs.var(f"measure:{measure}")
        before_check(None, f"the change of {inst_id} for {measure}")
        found = []
        for formula in (z3.And(at_measure, new_rank > old_rank),
                        z3.And(at_measure, new_rank < old_rank)):
            model = self.witness.minimal_model(formula) if self._exists(formula) else None
            found.append(None if model is None else
                         _Found(formula, self._request(model, formula, inst_id, state, role)))
        up, down = found
        direction = {(False, False): "equivalent", (True, False): "stricter",
                     (False, True): "laxer", (True, True): "incomparable"}[
            (up is not None, down is not None)]
        return direction, up, down

    def _exists(self, formula: z3.BoolRef) -> bool:
        """Whether some request satisfies `formula` (one solver kept for every check)."""
        if self._solver is None:
            self._solver = z3.Solver(ctx=self.inputs.ctx)
            self._solver.set("timeout", 20_000)
            for c in self.inputs.constraints():
                self._solver.add(c)
        self._solver.push()
        try:
            self._solver.add(formula)
            return _check(self._solver, [], "a change of verdict") == z3.sat
        finally:
            self._solver.pop()

    def _moved(self, found: _Found | None, inst_id: str, first: str, state: str,
               role: str) -> dict | None:
        """The witness found for `first`, given for `state`, whose data is the same on
        every input the comparison reads; a pair of one State twice is looked for again."""
        if found is None:
            return None
        if state == first:
            return found.request
        request = {**found.request, f"{role}_state": state}
        if request["requesting_state"] != request["requested_state"]:
            return request
        pair = self._real_pair(found.formula, {role: state})
        if pair is None:
            other = "requested" if role == "requesting" else "requesting"
            return {**request, f"{other}_state": "??"}
        (requesting, requested), better = pair
        return {**self.witness.request_of(better, inst_id),
                "requesting_state": requesting, "requested_state": requested}

    def _request(self, model: z3.ModelRef, formula: z3.BoolRef, inst_id: str,
                 state: str | None, role: str | None) -> dict:
        request = self.witness.request_of(model, inst_id)
        if state is not None and role is not None:
            request[f"{role}_state"] = state
        if "??" in (request["requesting_state"], request["requested_state"]) or (
                request["requesting_state"] == request["requested_state"]):
            # The model fixes party atoms the change does not depend on (e.g. "the requested
            # State is not bound by the 1959 Convention" where only "the two States are not
            # both bound" matters), which may fit no real State. Look for a real pair instead.
            found = self._real_pair(formula, {role: state} if state and role else {})
            if found is not None:
                pair, better = found
                request = {**self.witness.request_of(better, inst_id),
                           "requesting_state": pair[0], "requested_state": pair[1]}
        return request

    def _role_values(self, state: str, role: str, read: frozenset[str]) -> list[z3.BoolRef]:
        """Literals fixing the party atoms of `role` in `read` to what the data says of
        `state` (the other atoms cannot change whether a formula reading `read` holds)."""
        key = (state, role)
        if key not in self._literals:
            values: dict[str, bool | None] = {}
            for inst_id in sorted(set(self.old) | set(self.new)):
                side = self.new if inst_id in self.new else self.old
                values.update(self._substitution(self._atoms(side, inst_id, state), role))
            self._literals[key] = {
                k: self.inputs.var(k) if v else z3.Not(self.inputs.var(k))
                for k, v in values.items() if v is not None and k in self.inputs.by_key}
        return [lit for k, lit in self._literals[key].items() if k in read]

    def _real_pair(self, formula: z3.BoolRef, fixed: dict[str, str],
                   limit: int = 12) -> tuple[tuple[str, str], z3.ModelRef] | None:
        """A pair of real States (requesting, requested) for which `formula` holds on the
        date, with a minimal model for it; `fixed` pins a role to a State. At most `limit`
        requesting States that fit on their own are tried. States whose data is the same
        on every atom the formula reads are checked once."""
        solver = z3.Solver(ctx=self.inputs.ctx)
        solver.set("timeout", 20_000)
        for c in self.inputs.constraints():
            solver.add(c)
        solver.add(formula)
        what = "a pair of States for a witness"
        read = _inputs_read(formula)
        states = sorted(state_table().names)
        unfit: set[tuple[int, ...]] = set()
        tried = 0
        for first in [fixed["requesting"]] if "requesting" in fixed else states:
            one = self._role_values(first, "requesting", read)
            if _ids(one) in unfit:
                continue
            if _check(solver, one, what) != z3.sat:
                unfit.add(_ids(one))
                continue
            tried += 1
            unfit_second: set[tuple[int, ...]] = set()
            for second in [fixed["requested"]] if "requested" in fixed else states:
                if second == first:
                    continue
                other = self._role_values(second, "requested", read)
                if _ids(other) in unfit_second:
                    continue
                both = [*one, *other]
                if _check(solver, both, what) == z3.sat:
                    model = self.witness.minimal_model(z3.And(formula, *both))
                    if model is not None:
                        return (first, second), model
                unfit_second.add(_ids(other))
            if tried >= limit:
                break
        return None


def _ids(literals: list[z3.BoolRef]) -> tuple[int, ...]:
    return tuple(lit.get_id() for lit in literals)


def _substitute(term: z3.ExprRef, values: dict[str, bool | None], inputs: Inputs) -> z3.ExprRef:
    pairs = [(inputs.var(key), z3.BoolVal(value, inputs.ctx))
             for key, value in values.items() if value is not None and key in inputs.by_key]
    return z3.substitute(term, *pairs) if pairs else term
