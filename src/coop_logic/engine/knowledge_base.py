"""Loading spec sets into a knowledge base, and the public entry point `load()`.

A KnowledgeBase holds the validated instruments and their compiled z3 encoding; build it
once (it costs a compile) and evaluate as many requests as needed. Checks that need every
file at once are made here: duplicate instrument ids, party-data overrides, and the
references between specs (`spec.check_references`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from coop_logic.engine.budget import solver_budget
from coop_logic.engine.compile import Compiled
from coop_logic.engine.solve import Engine
from coop_logic.errors import RequestError, SpecError, did_you_mean
from coop_logic.io.documents import load_file
from coop_logic.model.conditions import And, Condition, Not, Or, Penalty
from coop_logic.model.instrument import Instrument, PartyData
from coop_logic.model.request import Request
from coop_logic.model.result import Result
from coop_logic.spec.instrument_reader import check_references, read_spec
from coop_logic.spec.loader import PathLike, bundled_spec_dir, spec_files
from coop_logic.spec.party_data import read_party_file


class KnowledgeBase:
    """Validated instruments compiled to z3; evaluates requests."""

    def __init__(self, instruments: Mapping[str, Instrument], *,
                 minimize_traces: bool = True) -> None:
        self.instruments = dict(instruments)
        self.compiled = Compiled(self.instruments)
        self.engine = Engine(self.compiled, minimize_traces=minimize_traces)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.instruments)

    def evaluate(self, request: Request | Mapping[str, Any], closed_world: bool = False,
                 instruments: Iterable[str] | None = None, *, traces: bool = True,
                 details: bool = True) -> Result:
        """Every considered instrument's verdict on `request`, with traces and the overall.

        `instruments` (or the request's own `instruments` field) restricts the instruments
        considered; `comity` is always considered, as the fallback that applies to every
        pair. With `closed_world`, absent facts and offence flags read as false. With
        `traces=False` the proof traces are left empty (verdicts only, for bulk work); with
        `details=False` also each instrument's `depends_on` (the overall verdict, its
        possible statuses and its `depends_on` stay whole: what a map needs).
        """
        if not isinstance(request, Request):
            request = Request.from_dict(request)
        if not isinstance(closed_world, bool):
            raise RequestError(f"is {closed_world!r}", field="closed_world",
                               expected="True or False")
        if isinstance(instruments, str):
            instruments = (instruments,)  # one id, not its letters
        selected = self._selected(request, instruments)
        reading = request.closed() if closed_world else request
        with solver_budget():
            result = self.engine.evaluate(reading, selected, traces=traces and details,
                                          details=details)
        return attrs.evolve(result, request=request, closed_world=closed_world)

    def _selected(self, request: Request, instruments: Iterable[str] | None) -> list[str]:
        wanted = list(instruments) if instruments is not None else request.instruments
        if wanted is None:
            return list(self.instruments)
        if not wanted:
            raise RequestError("is empty", field="instruments",
                               expected="at least one instrument id, or None for all")
        for i, inst in enumerate(wanted):
            if inst not in self.instruments:
                field = "instruments" if instruments is not None else f"instruments[{i}]"
                raise RequestError(
                    f"unknown instrument '{inst}'{did_you_mean(inst, self.instruments)}",
                    file=request.source if instruments is None else None,
                    line=request.instruments_line if instruments is None else None,
                    field=field, expected="one of " + ", ".join(self.instruments),
                )
        chosen = set(wanted) | ({"comity"} if "comity" in self.instruments else set())
        return [i for i in self.instruments if i in chosen]


def load(
    extra_specs: Iterable[PathLike] = (),
    parties: Iterable[PathLike] = (),
    *,
    spec_dirs: Iterable[PathLike] | None = None,
    minimize_traces: bool = True,
    networks: Iterable[PathLike] = (),
) -> KnowledgeBase:
    """Load the bundled specs (or `spec_dirs`), plus user specs and party-data overrides.

    `extra_specs`: spec files or folders added to the bundled ones (e.g. a bilateral
    MLAT). `parties`: party-data files whose entries replace or add to the loaded data,
    State by State, for the instrument each names. `networks`: practitioner-network files
    (networks.py) merged State by State onto the bundled ones (the `networks/` folder of
    each spec folder). Raises SpecError on any invalid file.
    """
    dirs = [bundled_spec_dir()] if spec_dirs is None else [Path(d) for d in _paths(spec_dirs)]
    instruments = load_instruments(extra_specs, parties, spec_dirs=dirs)
    kb = KnowledgeBase(instruments, minimize_traces=minimize_traces)
    from coop_logic.spec.networks import load_networks

    kb.networks = load_networks([d / "networks" for d in dirs], networks, instruments)
    return kb


def load_instruments(
    extra_specs: Iterable[PathLike] = (),
    parties: Iterable[PathLike] = (),
    *,
    spec_dirs: Iterable[PathLike] | None = None,
) -> dict[str, Instrument]:
    """Read, merge and check the specs and party data as `load` does, without compiling:
    the one loader (a party file merged State by State) for every reader of specs."""
    extra_specs, parties = _paths(extra_specs), _paths(parties)
    dirs = [bundled_spec_dir()] if spec_dirs is None else [Path(d) for d in _paths(spec_dirs)]
    files = spec_files([*dirs, *extra_specs])
    party_dirs = tuple(d / "parties" for d in dirs)
    instruments: dict[str, Instrument] = {}
    for path in files:
        inst = read_spec(path, party_dirs)
        if inst.id in instruments:
            raise SpecError(f"instrument '{inst.id}' is already loaded from "
                            f"{instruments[inst.id].file}", file=str(path), field="id")
        instruments[inst.id] = inst
    for path in parties:
        override = read_party_file(path)
        if override.instrument not in instruments:
            raise SpecError(
                f"party data for '{override.instrument}', which is not loaded"
                f"{did_you_mean(override.instrument, instruments)}",
                file=str(path), field="instrument",
                expected="the id of a loaded instrument: " + ", ".join(instruments),
            )
        inst = instruments[override.instrument]
        refuse_party_data_for_all(inst, path)
        instruments[inst.id] = attrs.evolve(inst, parties=merge_parties(inst.parties, override))
    check_references(instruments)
    check_limits(instruments)
    return instruments


def _paths(value: PathLike | Iterable[PathLike]) -> list[PathLike]:
    """Paths given as an argument: one path alone is a list of one (never split into its
    characters)."""
    if isinstance(value, str | os.PathLike):
        return [value]
    return list(value)


MAX_PENALTY_THRESHOLDS = 50  # distinct max_penalty_years thresholds in a spec set
MAX_RULES = 1_000  # rules in one spec


def check_limits(instruments: Mapping[str, Instrument]) -> None:
    """Refuse a spec set that would make every request slow: each distinct penalty
    threshold is one more input the solver must order (300 take seconds per request), and
    each rule one more provision in every proof. The error names the rule that goes over."""
    thresholds: set[float] = set()
    for inst in instruments.values():
        if len(inst.rules) > MAX_RULES:
            raise SpecError(f"the spec has {len(inst.rules)} rules, more than {MAX_RULES}",
                            file=inst.file or None, field="rules",
                            expected=f"at most {MAX_RULES} rules")
        conditions = [(f"rules[{i}].when", f"rule {r.id}", r.line, r.when)
                      for i, r in enumerate(inst.rules)]
        conditions += [(f"grounds[{i}].established_by", f"ground {g.id}", None, g.established_by)
                       for i, g in enumerate(inst.grounds)]
        for field, what, line, condition in conditions:
            for node in _nodes(condition):
                if isinstance(node, Penalty):
                    thresholds.add(node.threshold)
            if len(thresholds) > MAX_PENALTY_THRESHOLDS:
                raise SpecError(
                    f"{what} brings the spec set to more than {MAX_PENALTY_THRESHOLDS} "
                    f"distinct max_penalty_years thresholds", file=inst.file or None,
                    line=line, field=field,
                    expected=f"at most {MAX_PENALTY_THRESHOLDS} distinct thresholds "
                             "over all loaded specs")


def _nodes(condition: Condition) -> list[Condition]:
    """The distinct nodes of a condition (shared definitions visited once)."""
    seen: dict[int, Condition] = {}
    stack = [condition]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        if isinstance(node, Not):
            stack.append(node.arg)
        elif isinstance(node, And | Or):
            stack.extend(node.args)
    return list(seen.values())


def refuse_party_data_for_all(inst: Instrument, path: PathLike) -> None:
    """Party data for an instrument that binds every State (`parties: all`, as comity)
    would turn it into a treaty with a list of Parties: refused, naming the file."""
    if inst.parties.completeness == "all":
        line = load_file(path, SpecError).line(("instrument",))
        raise SpecError(f"'{inst.id}' binds every State (its spec says parties: all), so it "
                        "takes no party data", file=str(path), line=line, field="instrument",
                        expected="the id of an instrument with a list of Parties")


def merge_parties(base: PartyData, override: PartyData) -> PartyData:
    """`override` on top of `base`, State by State.

    Its entries replace or add States (an undated one keeps the override's own as-of
    date, and the base's undated entries keep theirs); its non-Parties and reservations
    replace the base's for the same States; list-level fields (completeness, unresolved,
    entry into force, in force, reservations completeness) change only where the
    override file states them.
    """
    def dated(entries: dict, as_of: Any) -> dict:
        return {k: attrs.evolve(e, as_of=e.as_of or (None if e.in_force else as_of))
                for k, e in entries.items()}

    given = override.given
    entries = {**dated(base.entries, base.as_of), **dated(override.entries, override.as_of)}
    non_parties = (base.non_parties - set(override.entries)) | override.non_parties
    reservations = tuple(
        r for r in base.reservations
        if not any(o.state == r.state and o.article == r.article for o in override.reservations)
    ) + override.reservations

    def pick(key: str, field: str) -> Any:
        return getattr(override if key in given else base, field)

    return attrs.evolve(
        base,
        sources=override.sources + base.sources,
        entries=entries,
        completeness=pick("completeness", "completeness"),
        unresolved=pick("unresolved", "unresolved"),
        non_parties=frozenset(non_parties),
        entry_into_force=pick("entry_into_force", "entry_into_force"),
        instrument_in_force=pick("instrument_in_force", "instrument_in_force"),
        reservations=reservations,
        reservations_complete=pick("reservations_completeness", "reservations_complete"),
        given=base.given | given,
        file=override.file,
    )

