"""Answering a request with the compiled specs: verdicts, unknowns and proof traces.

Per request: the request becomes assumption literals over the precompiled inputs (party
status and reservations decided first, from the party data, for the request's date). The
hard verdict terms, evaluated on the known values (a straight-line Python function of the
inputs, `TermEvaluator`), give a first model without a check, and every instrument's status
in it; instruments whose inputs include unknowns get their possible statuses by further
models (evaluated ones first, then checks), and `depends_on` by fixing each unknown in
turn. Each trace is an unsat core of the instrument's labelled
solver, taken with assumptions in one canonical order and reduced by deletion in that
order, so the same request always gives the same trace. The solver's `unknown` is an
error, never a verdict. Nothing here reads files.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import z3
from z3 import z3core

from coop_logic.engine.assumption_solver import SAT, UNKNOWN, UNSAT, FastSolver, Packed, pointer
from coop_logic.engine.budget import before_check, unknown_answer
from coop_logic.engine.check_memo import CheckMemo
from coop_logic.engine.compile import CHAIN, ONE_HOT, Compiled, InputAtom, PerInstrument
from coop_logic.engine.enumeration import ConeTable, cone_table, overall_table
from coop_logic.engine.exploration import Exploration, Witness
from coop_logic.engine.labelled_checks import LabelledChecks
from coop_logic.engine.request_inputs import (
    STATE_MEMO_SIZE,
    Literal,
    PartyReadings,
    RequestFacts,
    StateData,
    dated,
    party_dates,
    undated,
)
from coop_logic.engine.straight_line import BITS, BOOL, DUAL_BITS, KLEENE, straight_line
from coop_logic.errors import SolverError
from coop_logic.model.instrument import Instrument, Rule
from coop_logic.model.request import Request
from coop_logic.model.result import (
    FactStep,
    Overall,
    PartyStep,
    ProvisionStep,
    ReservationStep,
    Result,
    Step,
    Verdict,
)
from coop_logic.vocabulary import CATEGORIES, OVERALL_ORDER, STATUSES, UNDETERMINED

ANSWER_MEMO_SIZE = 50_000  # answers kept (least recently used dropped first)
RENDERED_MEMO_SIZE = 4_096  # answers kept rendered in a request's terms, with traces
QUICK_AFTER = 48  # checks of a labelled solver before its terms are read in Python
class InstrumentAnswer(NamedTuple):
    """One instrument's answer before it is put in a request's terms: `depends_on` as
    input groups, the proof as (kind, key) steps. (A named tuple: sixteen are made for
    every new request, and a tuple is made at a fraction of a frozen class's cost.)"""

    instrument: str
    status: str
    possible: tuple[str, ...]
    grounds: tuple[str, ...]
    obligatory: tuple[str, ...]
    depends_on: tuple[str, ...]
    proof: tuple[tuple[str, str], ...]


class OverallAnswer(NamedTuple):
    status: str
    basis: tuple[str, ...]
    possible: tuple[str, ...]
    depends_on: tuple[str, ...]


class Answer(NamedTuple):
    """What the solver said about a request's projection onto the compiled inputs."""

    verdicts: tuple[InstrumentAnswer, ...]
    overall: OverallAnswer
    checks: int


class Engine:
    """Evaluates requests against one compiled spec set. Not thread-safe (one z3 Context)."""

    def __init__(self, compiled: Compiled, *, minimize_traces: bool = True,
                 memo_size: int = ANSWER_MEMO_SIZE) -> None:
        self.compiled = compiled
        self.minimize_traces = minimize_traces
        self.memo_size = memo_size
        self._answers: dict[tuple[Any, ...], Answer] = {}
        self._rendered: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        # answers without a proof or depends_on, each kept once, with its Verdict
        self._plain_verdicts: dict[InstrumentAnswer, tuple[InstrumentAnswer, Verdict]] = {}
        # per measure, set of unknown groups and selection: the instruments they leave open
        self._open_instruments: dict[tuple[Any, ...], list[str]] = {}
        # Proofs per instrument, on the values of its cone: most requests share them.
        self._proofs: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
        # Preferred conflicts, on the background and the candidates up to the conflict's
        # last one (all the search depends on): `_preferred`.
        self._conflicts: dict[tuple[Any, ...], list[Any]] = {}
        self._prefixes: dict[tuple[Any, ...], list[int]] = {}
        self.conflict_hits = 0
        self._seed_atoms: dict[int, list[Any]] = {}
        self.shortcuts = memo_size > 0
        self._states: dict[tuple[str, Any], StateData] = {}
        self._spans: dict[tuple[str, int, bool], tuple[StateData, bool]] = {}
        self._party_dates: list[Any] | None = None
        self._readings: PartyReadings | None = None  # built on first use
        self.memo_hits = 0
        self.verdict = FastSolver(compiled.verdict_solver)
        # the labelled solvers, wrapped as each is first used (`_add_explainer`)
        self.explainers: dict[str, FastSolver] = PerInstrument(self._add_explainer)
        # The labelled solvers' answers, learned from the sets and cores they answered
        # (`decide`). Not the verdict solver's: its sets hold every request value, so
        # they are rarely answered by another's, and the bookkeeping cost more than it saved.
        self.check_memos: dict[int, CheckMemo] = {}
        # per labelled solver (by id), its checks decided in Python where they can be
        self.quick_checks: dict[int, LabelledChecks] = {}
        # per labelled solver not yet read in Python: its instrument and the checks asked
        # of it so far (`_quick`); the goals each instrument's reading must know
        self._quick_pending: dict[int, list[Any]] = {}
        self.quick_after = QUICK_AFTER
        self._quick_goals: dict[str, dict[int, tuple[str, tuple[str, ...]]]] = {}
        self._context: tuple[Any, Any] = (None, None)  # `_request_context`
        self._cones: tuple[Any, dict[str, list[Any]]] = (None, {})  # `_cone_values`
        self._group_value: dict[int, tuple[str, int, bool]] | None = None
        self._literals: dict[tuple[str, bool], Literal] = {}
        self._step_of: dict[int, tuple[str, str]] = {}
        self._keep: list[z3.ExprRef] = []
        for atom in compiled.inputs.atoms:
            for value in (True, False):
                lit = self.literal(atom, value)
                self._step_of[z3core.Z3_get_ast_id(compiled.ctx.ref(), lit.ast)] = ("input", atom.key)
        self._group_of = {id(lit.ast): lit.atom.group for lit in self._literals.values()}
        self._value_key = {id(lit.ast): (lit.atom.key, lit.value)
                           for lit in self._literals.values()}
        self._labels: dict[str, list[Any]] = PerInstrument(self._add_explainer)
        self._label_ptr: dict[str, Any] = {}
        self._closures: dict[str, list[str]] = PerInstrument(self._add_explainer)
        self.status_ptr = {
            i: {s: pointer(a) for s, a in by.items()} for i, by in compiled.status.items()
        }
        self._ground_ptr = {
            i: {g: pointer(a) for g, a in by.items()} for i, by in compiled.ground_atoms.items()
        }
        self._obligatory_ptr = {
            i: {g: pointer(a) for g, a in by.items()}
            for i, by in compiled.obligatory_atoms.items()
        }
        self._available_ptr = {
            i: {g: pointer(a) for g, a in by.items()}
            for i, by in compiled.available_atoms.items()
        }
        self._not_explain: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.selector: dict[tuple[str, bool], Any] = {}
        for inst_id, sel in compiled.selectors.items():
            self.selector[(inst_id, True)] = pointer(sel)
            negated = z3.Not(sel)
            self._keep.append(negated)
            self.selector[(inst_id, False)] = pointer(negated)
        self.overall_ptr = {s: pointer(a) for s, a in compiled.overall.items()}
        # What the verdict solver's models are read for, in three packs (one evaluation
        # each): the inputs, the statuses, the grounds.
        blocks = [
            [(self.literal(a, True).ast, a.var) for a in compiled.inputs.atoms],
            [(self.status_ptr[i][s], compiled.status[i][s]) for i in compiled.status
             for s in compiled.status[i]]
            + [(self.overall_ptr[s], a) for s, a in compiled.overall.items()],
            [(ptrs[i][g], atoms[i][g]) for ptrs, atoms in (
                (self._ground_ptr, compiled.ground_atoms),
                (self._available_ptr, compiled.available_atoms),
                (self._obligatory_ptr, compiled.obligatory_atoms)) for i in atoms
             for g in atoms[i]],
        ]
        self._packs = [Packed([e for _, e in block], compiled.ctx) for block in blocks if block]
        self._bit: dict[int, tuple[int, int]] = {}
        for n, block in enumerate(b for b in blocks if b):
            for bit, (ptr, _) in enumerate(block):
                self._bit.setdefault(id(ptr), (n, bit))
        self._rules = {r.id: r for inst in compiled.instruments.values() for r in inst.rules}
        self._group_order = {g: i for i, g in enumerate(compiled.inputs.groups)}
        self._party_steps: dict[int, tuple[Any, PartyStep]] = {}
        self.overall_plans: dict[tuple[str, tuple[str, ...]], Any] = {}  # enumeration's
        # per (proof, measure): the provisions cited and the input groups, in order
        self._render_plans: dict[tuple[Any, ...], tuple[tuple[Step, ...], tuple[Any, ...]]] = {}
        self._ordered: dict[frozenset[str], list[str]] = {}
        self._evaluator: TermEvaluator | None = None  # built on first use (cold start)
        self.request_tables: Any = None  # request_inputs' tables, built on first use

    def _add_explainer(self, inst_id: str) -> None:
        """The instrument's labelled solver (compiled on first use), its labels' pointers,
        and its check memo."""
        if inst_id not in self.compiled.instruments or dict.__contains__(self.explainers,
                                                                          inst_id):
            return
        compiled = self.compiled
        solver = compiled.explain_solvers[inst_id]
        labels = compiled.labels[inst_id]
        fast = FastSolver(solver)
        if self.shortcuts:
            self.check_memos[id(fast)] = CheckMemo(fast, compiled.ctx)
        pointers = []
        for key, label in labels.items():
            self._label_ptr[key] = pointer(label)
            pointers.append(self._label_ptr[key])
            kind = "closure" if key.startswith("closure:") else "rule"
            self._step_of[label.get_id()] = (kind, key)
        if self.shortcuts:
            self._quick_pending[id(fast)] = [inst_id, 0]
        dict.__setitem__(self._labels, inst_id, pointers)
        dict.__setitem__(self._closures, inst_id,
                         [k for k in labels if k.startswith("closure:")])
        dict.__setitem__(self.explainers, inst_id, fast)

    def state_data(self, state: str, date: Any) -> StateData:
        """The party data's reading of one State on one date (memoized). The reading
        compares the date only with the dates written in the party data, so two dates
        between the same two of those share it, the date itself filled in where the
        reading quotes it."""
        key = (state, date)
        data = self._states.get(key)
        if data is None:
            if len(self._states) >= STATE_MEMO_SIZE:
                self._states.clear()
            if self._party_dates is None:
                self._party_dates = party_dates(self.compiled.instruments.values())
            dates = self._party_dates
            at = bisect.bisect_left(dates, date)
            span = (state, at, at < len(dates) and dates[at] == date)
            shared = self._spans.get(span)
            if shared is None:
                if self._readings is None:
                    self._readings = PartyReadings(self.compiled.instruments.values())
                data, quotes = self._readings.read(state, date)
                template = undated(data, date) if quotes else None
                if len(self._spans) >= STATE_MEMO_SIZE:
                    self._spans.clear()
                self._spans[span] = (data, False) if template is None else (template, True)
            else:
                template, marked = shared
                data = dated(template, date) if marked else template
            self._states[key] = data
        return data

    # -- literals -------------------------------------------------------------------------

    def literal(self, atom: InputAtom, value: bool) -> Literal:
        key = (atom.key, value)
        if key not in self._literals:
            expr = atom.var if value else z3.Not(atom.var)
            self._keep.append(expr)
            self._literals[key] = Literal(atom, value, pointer(expr))
        return self._literals[key]

    def group_literals(self, group: str, choice: Any) -> list[Any]:
        """Literals fixing one unknown group to one of its representative values."""
        inputs = self.compiled.inputs
        if group == "offence.category":
            return [self.literal(inputs.by_key[f"category:{choice}"], True).ast]
        if group == "offence.max_penalty_years":
            chain = inputs.groups[group]
            return [self.literal(a, i < choice).ast for i, a in enumerate(chain)]
        atom = inputs.groups[group][0]
        return [self.literal(atom, bool(choice)).ast]

    def model_values(self, terms: Sequence[Any]) -> list[bool | None]:
        """The values of Boolean terms in the verdict solver's last model."""
        return self.verdict.packed_values(self._packs, terms, self._bit)

    # -- checks ---------------------------------------------------------------------------

    def check(self, solver: FastSolver, assumptions: Sequence[Any], what: str) -> int:
        before_check(solver.solver, what)  # the request's solver budget
        result = solver.check(assumptions)
        if result == UNKNOWN:
            raise unknown_answer(what, solver.reason_unknown())
        return result

    def decide(self, solver: FastSolver, assumptions: Sequence[Any], what: str, *,
               kleene: bool = True) -> int:
        """`check` of a labelled solver, decided in Python where a reading of its terms
        settles it (`labelled_checks`; `kleene`: see `LabelledChecks.decide`), else
        answered from the sets and cores it answered before where they can (`check_memo`):
        the same answer, so the proofs built on it are the same."""
        quick = self._quick(solver)
        if quick is not None:
            found = quick.decide(assumptions, self._request_context(), kleene=kleene)
            if found is not None:
                return found

        def check() -> int:
            result = self.check(solver, assumptions, what)
            if result == SAT and quick is not None and quick.ready:
                quick.learn(solver.model_values(self._seed_atoms[id(solver)]))
            return result

        memo = self.check_memos.get(id(solver))
        if memo is None:
            return check()
        return memo.check(assumptions, check)

    def _request_context(self) -> tuple[dict[str, int], frozenset[int]] | None:
        """The current request's value of each known input group, as `labelled_checks`
        reads them (where its trials start), and the ids of its literals; worked out on
        first use."""
        facts, context = self._context
        if context is None and facts is not None:
            if self._group_value is None:
                # per known literal: its group, and what it says of the group's value
                inputs = self.compiled.inputs
                self._group_value = {}
                for group, atoms in inputs.groups.items():
                    kind = inputs.kind(group)
                    for i, a in enumerate(atoms):
                        lit_true, lit_false = (id(self.literal(a, v).ast) for v in (True, False))
                        if kind == ONE_HOT:
                            self._group_value[lit_true] = (group, i, False)
                        elif kind == CHAIN:
                            self._group_value[lit_true] = (group, 1, True)
                            self._group_value[lit_false] = (group, 0, True)
                        else:
                            self._group_value[lit_true] = (group, 1, False)
                            self._group_value[lit_false] = (group, 0, False)
            values: dict[str, int] = {}
            ids = []
            table = self._group_value
            for lit in facts.literals:
                ids.append(id(lit.ast))
                group, value, counted = table[id(lit.ast)]
                values[group] = values.get(group, 0) + value if counted else value
            context = (values, frozenset(ids))
            self._context = (facts, context)
        return context

    # -- the answer -----------------------------------------------------------------------

    def evaluate(self, request: Request, selected: Sequence[str], *,
                 traces: bool = True, details: bool = True) -> Result:
        """The answer to one request. Answers are memoized on the request's projection onto
        the compiled inputs (the known input values and the instruments selected): two
        requests that fix the same inputs (two pairs of States with the same party status
        everywhere, say) share one solver answer, and only the States' own data (who is
        bound, from which source) is filled in anew."""
        facts = RequestFacts(self, request)
        key = (tuple(selected), traces, details, facts.known)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._solve(facts, selected, traces, details)
            if self.memo_size:
                if len(self._answers) >= self.memo_size:
                    self._answers.pop(next(iter(self._answers)))
                self._answers[key] = answer
        else:
            self._answers[key] = self._answers.pop(key)  # most recently used last
            self.memo_hits += 1
        if not traces:
            return self._materialize(answer, facts)
        # The traces in the request's own terms depend on the answer, on its States' party
        # readings, on the penalty as given and on the facts settled from party data: the
        # same again, the same rendering.
        requesting, requested = facts.requesting_data, facts.requested_data
        shown = (key, id(requesting), id(requested), request.offence.max_penalty_years,
                 tuple(facts.filled))
        found = self._rendered.get(shown)
        if found is not None and found[0] is answer:
            result = found[3]
        else:
            result = self._materialize(answer, facts)
            if len(self._rendered) >= RENDERED_MEMO_SIZE:
                self._rendered.clear()
            # the readings are kept with the entry, so their ids stand for them
            self._rendered[shown] = (answer, requesting, requested, result)
        return Result(request, False, dict(result.verdicts), result.overall, answer.checks)

    def _solve(self, facts: RequestFacts, selected: Sequence[str], traces: bool,
               details: bool = True) -> Answer:
        request = facts.request
        self._context = (facts, None)
        chosen = set(selected)
        base = [lit.ast for lit in facts.literals]
        base += [self.selector[(i, i in chosen)] for i in self.compiled.instruments]
        checks_before = self.verdict.checks + sum(e.checks for e in self.explainers.values())

        open_key = (request.measure, facts.unknown_groups, tuple(selected))
        open_instruments = self._open_instruments.get(open_key)
        if open_instruments is None:
            if len(self._open_instruments) >= STATE_MEMO_SIZE:
                self._open_instruments.clear()
            open_instruments = self._open_instruments[open_key] = [
                i for i in selected if self._open(i, request, facts)]
        search = Exploration(self, facts, base, selected)
        evaluated = self._evaluated(facts, selected) if self.shortcuts else None
        if evaluated is not None:
            search.witnesses.append(evaluated.witness)
            search.evaluate = self._witness_evaluator(facts, selected)
        elif not search.sat([]):
            raise SolverError("the rules and the request's known facts are inconsistent")
        first = search.witnesses[0].status
        if evaluated is not None:
            available = evaluated.available(selected) if traces else {}
        else:
            available = self._available_in_model(selected) if traces else {}
        possible: dict[str, list[str]] = {i: [first[i]] for i in selected}
        tables: dict[str, ConeTable] = {}
        for inst_id in open_instruments:
            if first[inst_id] == "not_applicable" and self._unbound(inst_id, facts):
                continue  # a State not bound: not applicable whatever the unknowns are
            table = cone_table(self, facts, inst_id) if evaluated is not None else None
            if table is not None:
                # few unknowns in its cone: every value enumerated, no check
                tables[inst_id] = table
                possible[inst_id] = sorted(table.possible(), key=STATUSES.index)
                for status in possible[inst_id]:  # witnesses for the overall verdict
                    if not any(w.status[inst_id] == status for w in search.witnesses):
                        search.add_witness(table.example(status))
                continue
            if search.evaluate is not None and search.shows_other_status(inst_id, first[inst_id]):
                # a model evaluated without a check shows another status: not entailed
                possible[inst_id] = sorted(search.possible(inst_id), key=STATUSES.index)
            elif not self._entailed(inst_id, facts, (first[inst_id],)):
                possible[inst_id] = sorted(search.possible(inst_id), key=STATUSES.index)

        verdicts: list[InstrumentAnswer] = []
        for inst_id in selected:
            inst = self.compiled.instruments[inst_id]
            statuses = tuple(possible[inst_id])  # in the order of STATUSES
            status = statuses[0] if len(statuses) == 1 else UNDETERMINED
            grounds: tuple[str, ...] = ()
            obligatory: tuple[str, ...] = ()
            if status == "refusable" and evaluated is not None and (
                    inst_id not in open_instruments):
                # every input of its cone is known: the evaluated model's grounds are the
                # grounds of every model, and so are its obligatory ones
                grounds = evaluated.grounds(inst_id)
                obligatory = tuple(g for g in grounds if g in evaluated.obligatory(inst_id))
            elif status == "refusable":
                grounds = self._grounds(inst_id, base, inst_id in open_instruments,
                                        facts, evaluated)
                obligatory = self._obligatory(inst_id, base, grounds)
            depends: tuple[str, ...] = ()
            if status == UNDETERMINED and details:
                depends = (tuple(tables[inst_id].depends_on(statuses)) if inst_id in tables
                           else search.depends_on(inst_id, statuses))
            proof: tuple[tuple[str, str], ...] = ()
            if traces:
                proof = tuple(self._trace(inst, facts, statuses, available.get(inst_id, ()),
                                          obligatory))
            answer = InstrumentAnswer(inst_id, status, statuses, grounds, obligatory, depends,
                                      proof)
            if not proof and not depends:
                answer = self._plain_verdict(answer)[0]  # one object kept for all its requests
            verdicts.append(answer)
        overall = self._overall({v.instrument: v for v in verdicts}, search, selected)
        checks = (self.verdict.checks + sum(e.checks for e in self.explainers.values())
                  - checks_before)
        return Answer(tuple(verdicts), overall, checks)

    def _evaluated(self, facts: RequestFacts, selected: Sequence[str]) -> Evaluated | None:
        """The first model of a request without a check, where its known values make one:
        the known inputs as given, the unknown ones at their first value (false; the
        first category; the least penalty), the selected instruments selected; every atom
        of the verdict solver is a function of those, so evaluating the hard terms gives a
        model of the verdict solver (the request's own). The model is the same whatever
        was asked before."""
        return self.evaluator().evaluate(facts, selected)

    def evaluator(self) -> TermEvaluator:
        """The hard terms as Python functions of the inputs, built on first use."""
        if self._evaluator is None:
            self._evaluator = TermEvaluator(self)
        return self._evaluator

    def unknown_last(self) -> dict[str, Any]:
        """The last value of the offence category and penalty (the others: true), for a
        model evaluated with every unknown at its other extreme."""
        assert self._evaluator is not None
        return self._evaluator.last

    def _witness_evaluator(self, facts: RequestFacts,
                           selected: Sequence[str]) -> Callable[[dict[str, Any]], Witness]:
        """The witness for other values of the request's unknowns, evaluated as the first
        model is: a model of the verdict
        solver whenever its known values are the request's."""
        evaluator = self._evaluator
        assert evaluator is not None

        def evaluate(values: dict[str, Any]) -> Witness:
            found = evaluator.evaluate(facts, selected, values)
            assert found is not None
            return found.witness

        return evaluate

    def _materialize(self, answer: Answer, facts: RequestFacts) -> Result:
        """An answer in the request's own terms: its States' party data in the traces, its
        States' codes in depends_on."""
        verdicts: dict[str, Verdict] = {}
        for v in answer.verdicts:
            if not v.proof and not v.depends_on:
                # nothing in the request's own terms: one Verdict for every request
                verdicts[v.instrument] = self._plain_verdict(v)[1]
                continue
            inst = self.compiled.instruments[v.instrument]
            depends = tuple(facts.public_name(g) for g in v.depends_on)
            trace = self.render_steps(v.proof, facts) if v.proof else ()
            if v.proof and depends:
                trace += self._unknown_data(facts, depends)
            verdicts[v.instrument] = Verdict(v.instrument, inst.short_title, v.status,
                                             v.possible, v.grounds, depends, trace,
                                             v.obligatory)
        o = answer.overall
        overall = Overall(o.status, o.basis, o.possible,
                          tuple(facts.public_name(g) for g in o.depends_on))
        return Result(facts.request, False, verdicts, overall, answer.checks)

    def _plain_verdict(self, v: InstrumentAnswer) -> tuple[InstrumentAnswer, Verdict]:
        """An answer without a proof or depends_on, kept once (the answer memo holds many
        requests' answers: shared, they are not so many objects for the garbage collector
        to walk), with its Verdict, the same for every request."""
        plain = self._plain_verdicts
        found = plain.get(v)
        if found is None:
            if len(plain) >= ANSWER_MEMO_SIZE:
                plain.clear()
            found = plain[v] = (v, Verdict(
                v.instrument, self.compiled.instruments[v.instrument].short_title, v.status,
                v.possible, v.grounds, (), (), v.obligatory))
        return found

    def _cone_values(self, inst_id: str, facts: RequestFacts) -> list[Any]:
        """The request's literals in the instrument's cone (and the measure), in canonical
        order; worked out once per request and instrument (the trace's memo key, the
        proof and its checks all read them)."""
        of, found = self._cones
        if of is not facts:
            found = {}
            self._cones = (facts, found)
        values = found.get(inst_id)
        if values is None:
            cone = self.compiled.cones[(inst_id, facts.request.measure)].groups
            values = found[inst_id] = [lit.ast for lit in facts.literals
                                       if lit.atom.group in cone or lit.atom.group == "measure"]
        return values

    def _entailed(self, inst_id: str, facts: RequestFacts, statuses: Sequence[str]) -> bool:
        """Whether the known values force the status into `statuses` (one check of the
        instrument's own solver, every provision assumed): an instrument whose inputs
        include unknowns that cannot matter here is found determined at this cost."""
        assumptions = [*self._labels[inst_id], *self._cone_values(inst_id, facts),
                       self._goal(inst_id, statuses)]
        return self.decide(self.explainers[inst_id], assumptions,
                            f"the status of {inst_id}") == UNSAT

    def _unbound(self, inst_id: str, facts: RequestFacts) -> bool:
        """Whether the request's party data says a State is not bound by the instrument:
        its verdict is then not applicable in every model (an instrument applies only
        between States it binds: `compile.instrument_terms`), no check needed."""
        return (facts.values.get(f"party:{inst_id}:requesting") is False
                or facts.values.get(f"party:{inst_id}:requested") is False)

    def _open(self, inst_id: str, request: Request, facts: RequestFacts) -> bool:
        cone = self.compiled.cones[(inst_id, request.measure)]
        return not cone.groups.isdisjoint(facts.unknown_groups)

    def ordered_groups(self, groups: Iterable[str]) -> list[str]:
        """The groups in the canonical order of the inputs (a request's unknown groups,
        a frozenset, looked up rather than sorted again)."""
        if isinstance(groups, frozenset):
            found = self._ordered.get(groups)
            if found is None:
                if len(self._ordered) >= STATE_MEMO_SIZE:
                    self._ordered.clear()
                found = self._ordered[groups] = sorted(groups, key=self._group_order.__getitem__)
            return list(found)
        return sorted(groups, key=self._group_order.__getitem__)

    def _grounds(self, inst_id: str, base: list[Any], is_open: bool, facts: RequestFacts,
                 evaluated: Evaluated | None) -> tuple[str, ...]:
        """The grounds of a refusable verdict: where its cone holds unknowns, those the
        known values entail, else those of the solver's model. Every model is refusable
        here, the evaluated one too, and a ground entailed holds in each: so the grounds
        entailed are found among the evaluated model's, each shown entailed in Kleene's
        logic or by a check, and where none of those is, none is."""
        if not is_open:
            return tuple(self._model_grounds(inst_id, base))
        surely = self.evaluator().ground_kleene(inst_id, facts)
        if evaluated is not None:
            in_model = set(evaluated.grounds(inst_id))
            candidates = [g for g in self._ground_ptr[inst_id] if g in in_model]
            entailed = [g for g in candidates
                        if self._ground_entailed(inst_id, g, base, surely)]
            return tuple(entailed) if entailed else tuple(self._model_grounds(inst_id, base))
        candidates = self._model_grounds(inst_id, base)
        entailed = [g for g in candidates if self._ground_entailed(inst_id, g, base, surely)]
        return tuple(entailed or candidates)

    def _model_grounds(self, inst_id: str, base: list[Any]) -> list[str]:
        """The grounds of the solver's model of the request with the instrument refusable."""
        self.check(self.verdict, [*base, self.status_ptr[inst_id]["refusable"]],
                    f"the grounds of {inst_id}")
        names = list(self._ground_ptr[inst_id])
        values = self.model_values([self._ground_ptr[inst_id][g] for g in names])
        return [g for g, v in zip(names, values, strict=True) if v]

    def _ground_entailed(self, inst_id: str, g: str, base: list[Any],
                         surely: dict[str, bool | None]) -> bool:
        """Whether the known values entail the ground: its term surely true in Kleene's
        logic with the unknowns unknown (`surely`: `TermEvaluator.ground_kleene`), else
        a check."""
        if surely.get(g):
            return True
        negated = self.negation(self.compiled.ground_atoms[inst_id][g])
        return self.check(self.verdict, [*base, negated], f"a ground of {inst_id}") == UNSAT

    def _obligatory(self, inst_id: str, base: list[Any],
                    grounds: tuple[str, ...]) -> tuple[str, ...]:
        """The reported grounds on which the instrument says assistance must be refused:
        those whose obligatory reading the known values entail."""
        atoms = self.compiled.obligatory_atoms[inst_id]
        out = []
        for g in grounds:
            if g in atoms and self.check(
                    self.verdict, [*base, self.negation(atoms[g])],
                    f"an obligatory ground of {inst_id}") == UNSAT:
                out.append(g)
        return tuple(out)

    def negation(self, atom: z3.BoolRef) -> Any:
        key = ("not", atom.get_id())
        if key not in self._not_explain:
            expr = z3.Not(atom)
            self._keep.append(expr)
            self._not_explain[key] = pointer(expr)
        return self._not_explain[key]

    # -- traces ---------------------------------------------------------------------------

    def _goal(self, inst_id: str, statuses: Sequence[str]) -> Any:
        """The assumption 'the status is none of `statuses`' for the labelled solver."""
        key = (inst_id, tuple(statuses))
        if key not in self._not_explain:
            atoms = [self.compiled.explain_status[inst_id][s] for s in statuses]
            if len(atoms) == 1:
                expr = z3.Not(atoms[0])
            else:
                expr = self._proxy(inst_id, f"goal:{inst_id}:not:{'|'.join(statuses)}",
                                   z3.Not(z3.Or(*atoms)))
            self._keep.append(expr)
            self._not_explain[key] = pointer(expr)
            self._quick_goal(inst_id, self._not_explain[key], "not_any", statuses)
        return self._not_explain[key]

    def _quick_goal(self, inst_id: str, goal: Any, kind: str, names: Sequence[str]) -> None:
        """Tell the instrument's quick checks what a goal assumption says."""
        known = self._quick_goals.setdefault(inst_id, {})
        if id(goal) in known:
            return
        known[id(goal)] = (kind, tuple(names))
        quick = self.quick_checks.get(id(self.explainers[inst_id]))
        if quick is not None:
            quick.goal(id(goal), kind, names)

    def _quick(self, solver: FastSolver) -> LabelledChecks | None:
        """The solver's checks read in Python (`labelled_checks`), built once the solver
        has been asked `quick_after` checks (`QUICK_AFTER`): building one costs what a few
        hundred checks read in Python save, which a single request or `verify` would not
        win back."""
        quick = self.quick_checks.get(id(solver))
        if quick is not None:
            return quick
        pending = self._quick_pending.get(id(solver))
        if pending is None:
            return None
        pending[1] += 1
        if pending[1] < self.quick_after:
            return None
        inst_id = pending[0]
        del self._quick_pending[id(solver)]
        labels = self.compiled.labels[inst_id]
        quick = LabelledChecks(self.compiled, inst_id, self._value_key,
                               {id(self._label_ptr[k]): k for k in labels})
        for pid, (kind, names) in self._quick_goals.get(inst_id, {}).items():
            quick.goal(pid, kind, names)
        self.quick_checks[id(solver)] = quick
        # the inputs it reads, to read the solver's models for its seeds
        self._seed_atoms[id(solver)] = [self.literal(a, True).ast for a in quick.atoms]
        return quick

    def _proxy(self, inst_id: str, name: str, expr: z3.BoolRef) -> z3.BoolRef:
        """A Boolean defined as `expr` in the instrument's labelled solver, assumed in its
        place: z3 then meets one literal, where a compound assumption would be translated
        anew at each check, each time adding to the solver and slowing every later check.
        A fresh name with a definition changes no answer."""
        atom = z3.Bool(name, self.compiled.ctx)
        self.compiled.explain_solvers[inst_id].add(atom == expr)
        return atom

    def _goal_obligatory(self, inst_id: str, grounds: tuple[str, ...]) -> Any:
        """The assumption 'not refusable with all of `grounds` obligatory'."""
        key = (inst_id, ("obligatory", *grounds))
        if key not in self._not_explain:
            atoms = [self.compiled.explain_status[inst_id]["refusable"],
                     *(self.compiled.explain_obligatory[inst_id][g] for g in grounds)]
            expr = self._proxy(inst_id, f"goal:{inst_id}:not:refusable:obligatory:"
                               + "|".join(grounds), z3.Not(z3.And(*atoms)))
            self._keep.append(expr)
            self._not_explain[key] = pointer(expr)
            self._quick_goal(inst_id, self._not_explain[key], "not_all", grounds)
        return self._not_explain[key]

    def _available_in_model(self, selected: Sequence[str]) -> dict[str, frozenset[str]]:
        """The grounds available (established or not) under each instrument in the first
        model of the request, read before any other check replaces that model."""
        pairs = [(i, g) for i in selected for g in self.compiled.available_atoms[i]]
        values = self.model_values(
            [self._available_ptr[i][g] for i, g in pairs]) if pairs else []
        out: dict[str, set[str]] = {i: set() for i in selected}
        for (i, g), value in zip(pairs, values, strict=True):
            if value:
                out[i].add(g)
        return {i: frozenset(v) for i, v in out.items()}

    def _necessary(self, inst: Instrument, facts: RequestFacts, statuses: Sequence[str],
                   available: frozenset[str]) -> set[int]:
        """Request values a mandatory verdict's proof certainly needs, known without a
        check: a ground fact that is false, whose ground is available in the request's
        model, and that no condition of the instrument mentions. Flipping it in that model
        changes nothing else and makes the request refusable, so no proof can omit it."""
        if tuple(statuses) != ("mandatory",):
            return set()
        mentioned = self.compiled.condition_facts[inst.id]
        return {id(lit.ast) for lit in facts.literals
                if lit.atom.key.startswith("fact:") and lit.value is False
                and (g := lit.atom.key.removeprefix("fact:")) in available
                and g not in mentioned}

    def _trace(self, inst: Instrument, facts: RequestFacts, statuses: Sequence[str],
               available: frozenset[str] = frozenset(),
               obligatory: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        """The proof that the status is one of `statuses` (and, for obligatory grounds, that
        the instrument makes them obligatory): its labels and input values."""
        if self.shortcuts and tuple(statuses) == ("not_applicable",):
            # A State not bound settles it alone: the proof search would find exactly this
            # one value (the instrument's own party data comes first, requesting State
            # first), so no check is needed.
            for role in ("requesting", "requested"):
                key = f"party:{inst.id}:{role}"
                if facts.values.get(key) is False:
                    return [("input", key)]
        key = (inst.id, tuple(statuses), obligatory,
               tuple(self._value_key[id(v)] for v in self._cone_values(inst.id, facts)))
        steps = self._proofs.get(key) if self.shortcuts else None
        if steps is None:
            goal = (self._goal_obligatory(inst.id, obligatory) if obligatory
                    else self._goal(inst.id, statuses))
            needed = self._necessary(inst, facts, statuses, available)
            steps = self.proof(inst.id, facts, goal, needed, entailed=True,
                                cite_exclusions=set(statuses) <= {"mandatory", "refusable"})
            if steps is None:
                raise SolverError(f"the verdict of {inst.id} is not entailed by its rules")
            if self.shortcuts:
                if len(self._proofs) >= ANSWER_MEMO_SIZE:
                    self._proofs.pop(next(iter(self._proofs)))
                self._proofs[key] = steps
        return list(steps)

    def proof(self, inst_id: str, facts: RequestFacts, goal: Any,
               needed: set[int] | None = None, *, entailed: bool = False,
               cite_exclusions: bool = False) -> list[tuple[str, str]] | None:
        """An irredundant unsat core of 'labelled rules + known values + goal', or None
        when the goal is satisfiable (nothing to prove).

        Found by QuickXplain (Junker 2004) in two passes over canonical candidate lists:
        first the request values in the cone, with every provision assumed; then the
        provisions (rules in file order, closures last), with those values fixed. It
        asks only whether sets are satisfiable, never reads a core, so the proof does not
        depend on what the solver learned from earlier requests: the same request gives
        the same trace in any process. Earlier candidates are preferred, so a rule that
        settles a point is cited rather than a bare closure; among the values, the party
        data of the instrument itself comes first (a State not bound settles everything).
        In the first pass, `needed` values (shown necessary by the request's model) are
        fixed from the start. `entailed`: the caller knows the goal is unsat. `cite_exclusions`:
        the goal concerns grounds (mandatory or refusable), so a decisive exclusion that
        applies is cited even beside other steps that settle its point.
        """
        solver = self.explainers[inst_id]
        labels = self._labels[inst_id]
        own = (f"party:{inst_id}:requesting", f"party:{inst_id}:requested")
        values = self._cone_values(inst_id, facts)
        values = ([v for v in values if self._group_of[id(v)] in own]
                  + [v for v in values if self._group_of[id(v)] not in own])
        what = f"the proof for {inst_id}"
        if not self.minimize_traces:
            if self.check(solver, [*labels, *values, goal], what) != UNSAT:
                return None  # the core is read below
        elif not entailed and self.decide(solver, [*labels, *values, goal], what) != UNSAT:
            return None
        if not self.minimize_traces:
            chosen = self._in_core(solver, [*labels, *values])
        else:
            fixed = [v for v in values if needed and id(v) in needed]
            rest = [v for v in values if not (needed and id(v) in needed)]
            # Exclusions ("shall not refuse on the ground of ...") compete with the values
            # here, after them: a ground fact that is false settles its point by itself,
            # and an exclusion is cited only where the fact it defeats is true.
            decisive, removals = self._removals(inst_id, facts)
            moved = {id(r) for r in [*decisive, *removals]}
            early = [label for label in labels if id(label) not in moved]
            found = self._preferred(solver, [*early, *fixed, goal],
                                      [*decisive, *rest, *removals], what)
            kept = {id(v) for v in [*fixed, *found]}
            cone_values = values
            values = [v for v in values if id(v) in kept]
            proof = self._preferred(solver, [*values, goal], labels, what)
            # An exclusion that answers the question (it takes away a ground the request
            # establishes, and it applies) is cited even where other steps already settle
            # the point, e.g. UNTOC art. 18(22) beside the party data that puts the request
            # in the branch whose grounds omit fiscal offences.
            cited = {id(p) for p in proof}
            for label in decisive if cite_exclusions else ():
                if id(label) not in cited and self._applies(inst_id, label, cone_values):
                    proof.append(label)
            order = {id(label): i for i, label in enumerate(labels)}
            chosen = sorted(proof, key=lambda p: order[id(p)]) + values
        ctx = self.compiled.ctx.ref()
        return [self._step_of[z3core.Z3_get_ast_id(ctx, a)] for a in chosen]

    def _applies(self, inst_id: str, label: Any, values: list[Any]) -> bool:
        """Whether the rule behind `label` certainly fires on the known values."""
        ctx = self.compiled.ctx.ref()
        _, rule_id = self._step_of[z3core.Z3_get_ast_id(ctx, label)]
        fires = self.compiled.rule_fires[rule_id]
        goal = self.negation(fires)
        self._quick_goal(inst_id, goal, "not_fires", (rule_id,))
        return self.decide(self.explainers[inst_id], [*values, goal],
                            f"whether {rule_id} applies") == UNSAT

    def _removals(self, inst_id: str, facts: RequestFacts) -> tuple[list[Any], list[Any]]:
        """The labels that take grounds away, for the first pass of `_proof`, in two lists.
        First, the decisive exclusions: those for the request's measure that name a fact the
        request establishes ("shall not decline on the ground of bank secrecy" where bank
        secrecy is raised): the proof prefers them to anything else that would also settle
        the point, since they are the answer to the question asked. Then the others, placed
        after the request's values (a ground fact that is false settles its point by
        itself): the remaining exclusions, the "no provision gives it" closures, and, where
        an exclusion is decisive, the closed lists, so that the proof cites that exclusion
        (Budapest art. 29(3) on dual criminality) rather than a closed list that also covers
        the ground (art. 29(5))."""
        inst = self.compiled.instruments[inst_id]
        measure = facts.request.measure
        established = {key.removeprefix("fact:") for key, v in facts.values.items()
                       if v and key.startswith("fact:")}
        decisive = {r.id for r in inst.rules if r.effect == "exclusion"
                    and measure in r.measures and established.intersection(r.grounds)}
        late = {r.id for r in inst.rules if r.id not in decisive and (
            r.effect == "exclusion" or (decisive and r.effect == "grounds" and r.only))}
        keys = self.compiled.labels[inst_id]
        return ([self._label_ptr[k] for k in keys if k in decisive],
                [self._label_ptr[k] for k in keys
                 if k in late or k.startswith(f"closure:{inst_id}:ground:")])

    def _preferred(self, solver: FastSolver, background: list[Any], candidates: list[Any],
                   what: str) -> list[Any]:
        """`_quickxplain`, memoized. Its answer is the preferred conflict: with k the
        smallest index such that background + candidates[:k] is unsat, candidates[k-1] and
        the preferred conflict of candidates[:k-1] over background + candidates[k-1]. So it
        depends only on the background and on the candidates up to the conflict's last one
        (at most index k-1): a request whose candidate list starts with those same
        candidates has the same conflict, whatever follows, whoever asked first. The memo
        is keyed on exactly that (the objects behind the pointers live as long as the
        engine, so their ids are stable), and the answer is the one a fresh search gives."""
        if not self.shortcuts:
            return self._quickxplain(solver, background, candidates, what)
        ids = [id(c) for c in candidates]
        bg = (id(solver), *(id(b) for b in background))
        for length in self._prefixes.get(bg, ()):
            if length <= len(ids):
                found = self._conflicts.get((bg, *ids[:length]))
                if found is not None:
                    self.conflict_hits += 1
                    return list(found)
        quick = self._quick(solver)
        found = (self._quickxplain(solver, background, candidates, what) if quick is None
                 else self._prefix_search(quick, solver, background, candidates, what))
        position = {i: n for n, i in enumerate(ids)}
        length = max((position[id(c)] + 1 for c in found), default=0)
        if len(self._conflicts) >= ANSWER_MEMO_SIZE:
            self._conflicts.clear()
            self._prefixes.clear()
        self._conflicts[(bg, *ids[:length])] = found
        lengths = self._prefixes.setdefault(bg, [])
        if length not in lengths:
            lengths.append(length)
            lengths.sort()
        return list(found)

    def _quickxplain(self, solver: FastSolver, background: list[Any], candidates: list[Any],
                     what: str) -> list[Any]:
        """The preferred minimal subset of `candidates` that with `background` is unsat
        (background + candidates must be unsat). Earlier candidates are preferred."""
        if not candidates or self.decide(solver, background, what) == UNSAT:
            return []
        if self.decide(solver, [*background, candidates[0]], what) == UNSAT:
            return [candidates[0]]  # the most preferred candidate settles it alone

        def explain(base: list[Any], changed: bool, items: list[Any]) -> list[Any]:
            if changed and self.decide(solver, base, what) == UNSAT:
                return []
            if len(items) == 1:
                return list(items)
            half = len(items) // 2
            first, second = items[:half], items[half:]
            later = explain([*base, *first], True, second)
            earlier = explain([*base, *later], bool(later), first)
            return earlier + later

        return explain(background, False, candidates)

    def _prefix_search(self, quick: LabelledChecks, solver: FastSolver,
                       background: list[Any], candidates: list[Any], what: str) -> list[Any]:
        """The preferred conflict by its definition (`_preferred`): the least k for which
        background + candidates[:k] is unsat, found for every k at once in Kleene's logic
        (`LabelledChecks.scan`) and confirmed by one check of k - 1; then the same over
        candidates[:k-1] with candidates[k-1] added to the background, until the
        background alone is unsat. Where the reading shows no k, or k - 1 is unsat too,
        the least k is searched by checks."""
        scan = quick.scan(background, candidates)
        background = list(background)
        conflict: list[Any] = []
        length = len(candidates)
        while length:
            high = scan.least(length) if scan is not None else None
            k = self._least_unsat(solver, background, candidates[:length], high, what)
            if k == 0:
                break
            background.append(candidates[k - 1])
            conflict.append(candidates[k - 1])
            if scan is not None:
                scan.hold(k - 1)
            length = k - 1
        conflict.reverse()
        return conflict

    def _least_unsat(self, solver: FastSolver, background: list[Any],
                     candidates: list[Any], high: int | None, what: str) -> int:
        """The least k such that background + candidates[:k] is unsat (the whole list is),
        given `high`, the least k Kleene's logic shows unsat (None: none)."""
        shown = high is not None  # no shorter prefix is shown unsat
        if high is None:
            high = len(candidates)
        if high == 0:
            return 0
        # high is unsat; high - 1 is most often the last satisfiable one
        if self.decide(solver, [*background, *candidates[:high - 1]], what,
                       kleene=not shown) != UNSAT:
            return high
        high -= 1
        low = 0
        while low < high:
            middle = (low + high) // 2
            if self.decide(solver, [*background, *candidates[:middle]], what,
                           kleene=not shown) == UNSAT:
                high = middle
            else:
                low = middle + 1
        return high

    def _unknown_data(self, facts: RequestFacts, depends: Sequence[str]) -> tuple[Step, ...]:
        """Party data that an undetermined verdict turns on, cited with why it is unknown."""
        steps: list[Step] = []
        for key, p in facts.parties.items():
            if p.value is None and facts.public_name(key) in depends:
                steps.append(PartyStep(p.id, p.instrument, p.state, None, p.basis, p.source,
                                       p.as_of))
        for key, r in facts.reservations.items():
            if r.value is None and facts.public_name(key) in depends:
                steps.append(ReservationStep(r.id, r.instrument, r.state, r.article, None,
                                             r.basis, r.source))
        return tuple(steps)

    def _in_core(self, solver: FastSolver, items: Sequence[Any]) -> list[Any]:
        ids = solver.core_ids()
        ctx = self.compiled.ctx.ref()
        return [a for a in items if z3core.Z3_get_ast_id(ctx, a) in ids]

    def render_steps(self, steps: Sequence[tuple[str, str]],
                     facts: RequestFacts) -> tuple[Step, ...]:
        """The proof's steps in the request's terms: the provisions cited (the same for
        every request with this proof and measure, so built once), then one step per input
        group, with the request's own values and party data."""
        request = facts.request
        compiled = self.compiled
        plan_key = (tuple(steps), request.measure)
        plan = self._render_plans.get(plan_key)
        if plan is None:
            provisions: list[Step] = []
            cited: set[str] = set()
            seen_groups: set[str] = set()
            keys: list[tuple[str, str]] = []
            for kind, key in steps:
                if kind in {"rule", "closure"}:
                    for rule in self._provisions(kind, key, request.measure):
                        if rule.id not in cited:
                            cited.add(rule.id)
                            provisions.append(ProvisionStep(rule.id, rule.cite, rule.summary,
                                                            rule.source, rule.text_verified))
                    continue
                group = compiled.inputs.by_key[key].group
                if group not in seen_groups:
                    seen_groups.add(group)
                    keys.append((key, group))
            if len(self._render_plans) >= ANSWER_MEMO_SIZE:
                self._render_plans.clear()
            plan = self._render_plans[plan_key] = (tuple(provisions), tuple(keys))
        inputs: list[Step] = []
        for key, group in plan[1]:
            if group == "measure":
                inputs.append(FactStep("measure", request.measure))
            elif group == "offence.category":
                inputs.append(FactStep(group, request.offence.category))
            elif group == "offence.max_penalty_years":
                years = request.offence.max_penalty_years
                inputs.append(FactStep(group, int(years) if years == int(years) else years))
            elif group.startswith("offence."):
                inputs.append(FactStep(group, facts.values[key]))
            elif group.startswith("party:"):
                inputs.append(self._party_step(facts.parties[key]))
            elif group.startswith("reservation:"):
                r = facts.reservations[key]
                inputs.append(ReservationStep(r.id, r.instrument, r.state, r.article,
                                              bool(r.value), r.basis, r.source))
            else:
                inputs.append(FactStep(group, facts.values[key]))
                if key in facts.filled:  # the party data that settles the fact
                    r = facts.filled[key]
                    inputs.append(ReservationStep(r.id, r.instrument, r.state, r.article,
                                                  True, r.basis, r.source))
        return (*plan[0], *inputs)

    def _party_step(self, p: Any) -> PartyStep:
        """The trace step of one State's party data (built once per reading of it; the
        reading is kept with the step, so its id is never another's)."""
        kept = self._party_steps.get(id(p))
        if kept is None or kept[0] is not p:
            if len(self._party_steps) >= ANSWER_MEMO_SIZE:
                self._party_steps.clear()
            kept = self._party_steps[id(p)] = (p, PartyStep(
                p.id, p.instrument, p.state, bool(p.value), p.basis, p.source, p.as_of))
        return kept[1]

    def _provisions(self, kind: str, key: str, measure: str) -> list[Rule]:
        """The rules behind a core label: the rule itself, or for a closure ("only these
        rules give scope / duty") the rules it closes over, for this measure."""
        if kind == "rule":
            return [self._rules[key]]
        _, inst_id, what = key.split(":", 2)
        inst = self.compiled.instruments[inst_id]
        if what == "scope":
            return [r for r in inst.rules if r.effect == "scope" and measure in r.measures]
        if what.startswith("ground:"):
            return []  # no provision of the instrument gives the ground at all
        return [r for r in inst.rules if r.effect == "duty" and measure in r.measures]

    # -- overall --------------------------------------------------------------------------

    def _overall(self, verdicts: dict[str, InstrumentAnswer], search: Exploration,
                 selected: Sequence[str]) -> OverallAnswer:
        if all(len(v.possible) == 1 for v in verdicts.values()):
            for status in OVERALL_ORDER:
                basis = tuple(i for i, v in verdicts.items() if v.status == status)
                if basis:
                    return OverallAnswer(status, basis, (status,), ())
        table = (overall_table(self, search.facts, selected)
                 if search.evaluate is not None else None)
        possible = ([s for s in OVERALL_ORDER if s in table.possible()] if table is not None
                    else search.overall_possible())
        if len(possible) == 1:
            status = possible[0]
            basis = tuple(i for i, v in verdicts.items() if v.status == status) or tuple(
                i for i, v in verdicts.items() if status in v.possible)
            return OverallAnswer(status, basis, tuple(possible), ())
        basis = tuple(i for i, v in verdicts.items() if possible[0] in v.possible)
        depends = (tuple(table.depends_on(possible)) if table is not None
                   else search.overall_depends_on(selected))
        return OverallAnswer(UNDETERMINED, basis, tuple(possible), depends)




class Evaluated:
    """A request's model read off the hard terms: the witness, and per instrument the
    grounds available, established and obligatory in it (read on demand)."""

    def __init__(self, witness: Witness, bits: list[bool], places: dict[str, Any]) -> None:
        self.witness = witness
        self._bits = bits
        self._places = places

    def _named(self, inst_id: str, kind: int) -> list[str]:
        start, names = self._places[inst_id][kind]
        bits = self._bits
        return [g for n, g in enumerate(names) if bits[start + n]]

    def grounds(self, inst_id: str) -> tuple[str, ...]:
        return tuple(self._named(inst_id, 0))

    def available(self, selected: Sequence[str]) -> dict[str, frozenset[str]]:
        return {i: frozenset(self._named(i, 1)) for i in selected}

    def obligatory(self, inst_id: str) -> frozenset[str]:
        return frozenset(self._named(inst_id, 2))


class TermEvaluator:
    """Evaluates every instrument's hard terms on a request's known values without z3:
    the terms (And, Or, Not and the input constants) are turned once into one straight-line
    Python function of the inputs and selectors, which gives every status, ground,
    available and obligatory ground in a few microseconds. The unknown inputs read false."""

    def __init__(self, engine: Engine) -> None:
        compiled = engine.compiled
        self.engine = engine
        self.atoms = list(compiled.inputs.atoms)
        self.instruments = list(compiled.instruments)
        terms = compiled.verdict_terms
        exprs: list[Any] = [terms[i].statuses[s] for i in self.instruments for s in STATUSES]
        # per instrument, (first bit, names) of its grounds, available and obligatory ones
        self.places: dict[str, Any] = {}
        for i in self.instruments:
            places = []
            for table in (terms[i].grounds, terms[i].available, terms[i].obligatory):
                places.append((len(exprs), list(table)))
                exprs += list(table.values())
            self.places[i] = places
        inputs = [a.var for a in self.atoms] + [compiled.selectors[i] for i in self.instruments]
        self.position = {a.key: n for n, a in enumerate(self.atoms)}
        self.selector_position = {i: len(self.atoms) + n for n, i in enumerate(self.instruments)}
        self.size = len(inputs)
        self.status_bit = {i: 4 * n for n, i in enumerate(self.instruments)}
        # An unknown's first value, and its last (every threshold, the last category).
        penalty = compiled.inputs.values("offence.max_penalty_years")
        self.first = {"offence.category": CATEGORIES[0], "offence.max_penalty_years": penalty[0]}
        self.last = {"offence.category": CATEGORIES[-1], "offence.max_penalty_years": penalty[-1]}
        self.function = straight_line(exprs, inputs)
        self.inputs = inputs
        self._status_functions: dict[tuple[str, bool], Any] = {}
        self._ground_functions: dict[str, Any] = {}  # `ground_kleene`
        self._positions: dict[str, list[int]] = {}
        # every instrument's mandatory, refusable and discretionary terms, in that order
        self.status_term = {i: 3 * n for n, i in enumerate(self.instruments)}
        self._bit_functions: dict[str, Any] = {}
        self.layouts: dict[tuple[str, ...], Any] = {}  # trials.layout

    def _status_terms(self) -> list[Any]:
        terms = self.engine.compiled.verdict_terms
        return [terms[i].statuses[s] for i in self.instruments for s in STATUSES[:3]]

    def status_bits(self) -> Any:
        """Every instrument's three status terms over many trials at once (`BITS`; the
        terms at `status_term[i]`); built on first use."""
        if BITS not in self._bit_functions:
            self._bit_functions[BITS] = straight_line(self._status_terms(), self.inputs, BITS)
        return self._bit_functions[BITS]

    def status_dual_bits(self) -> Any:
        """The same in Kleene's logic (`DUAL_BITS`; the pairs at `2 * status_term[i]`)."""
        if DUAL_BITS not in self._bit_functions:
            self._bit_functions[DUAL_BITS] = straight_line(self._status_terms(), self.inputs,
                                                           DUAL_BITS)
        return self._bit_functions[DUAL_BITS]

    def atom_value(self, group: str, atom: int, value: Any) -> bool:
        """Whether the group's `atom`-th atom (in `positions` order) is true for `value`."""
        if group == "offence.category":
            return CATEGORIES[atom] == value
        if group == "offence.max_penalty_years":
            return atom < value
        return bool(value)

    def status_function(self, inst_id: str, *, kleene: bool = False) -> Any:
        """A function of the input vector giving the instrument's mandatory, refusable and
        discretionary terms (none true: not applicable), or None (see `straight_line`)."""
        key = (inst_id, kleene)
        if key not in self._status_functions:
            terms = self.engine.compiled.verdict_terms[inst_id].statuses
            self._status_functions[key] = straight_line(
                [terms[s] for s in STATUSES[:3]], self.inputs, KLEENE if kleene else BOOL)
        return self._status_functions[key]

    def ground_kleene(self, inst_id: str, facts: RequestFacts) -> dict[str, bool | None]:
        """The instrument's grounds (available and established) in Kleene's logic on the
        request's known values, its unknowns unknown (None for each where the terms cannot
        be read in Python)."""
        terms = self.engine.compiled.verdict_terms[inst_id].grounds
        if inst_id not in self._ground_functions:
            self._ground_functions[inst_id] = straight_line(list(terms.values()), self.inputs,
                                                            KLEENE)
        function = self._ground_functions[inst_id]
        if function is None:
            return dict.fromkeys(terms)
        return dict(zip(terms, function(self.open_vector(facts, facts.unknown_groups)),
                        strict=True))

    def open_vector(self, facts: RequestFacts, groups: Iterable[str]) -> list[bool | None]:
        """`known_vector` with the atoms of `groups` unknown (None), for Kleene's logic."""
        x: list[bool | None] = list(self.known_vector(facts))
        for group in groups:
            for n in self.positions(group):
                x[n] = None
        return x

    def known_vector(self, facts: RequestFacts) -> list[bool]:
        """The input vector with the request's known values (unknowns false, nothing
        selected)."""
        x = [False] * self.size
        position = self.position
        for lit in facts.literals:
            if lit.value:
                x[position[lit.atom.key]] = True
        return x

    def positions(self, group: str) -> list[int]:
        """Where a group's atoms sit in the input vector, in the inputs' order."""
        found = self._positions.get(group)
        if found is None:
            found = self._positions[group] = [
                self.position[a.key] for a in self.engine.compiled.inputs.groups[group]]
        return found

    def fix(self, x: list[Any], group: str, value: Any) -> None:
        """Set every atom of an unknown group in `x` for one of its values: a category
        (its atom alone true), a penalty (a count of thresholds, the first ones true), a
        Boolean."""
        places = self.positions(group)
        if group == "offence.category":
            chosen = self.position[f"category:{value}"]
            for n in places:
                x[n] = n == chosen
        elif group == "offence.max_penalty_years":
            for i, n in enumerate(places):
                x[n] = i < value
        else:
            x[places[0]] = bool(value)

    def evaluate(self, facts: RequestFacts, selected: Sequence[str],
                 unknowns: dict[str, Any] | None = None) -> Evaluated | None:
        """The model with the request's known values and `unknowns` (group -> value, a
        Boolean group's only atom; every other unknown false)."""
        if self.function is None:
            return None
        x: list[Any] = self.known_vector(facts)
        given = unknowns or {}
        witness_inputs: dict[str, Any] = {}
        for group in self.engine.ordered_groups(facts.unknown_groups):
            value = given.get(group, self.first.get(group, False))
            witness_inputs[group] = value
            self.fix(x, group, value)
        selector = self.selector_position
        for i in selected:
            x[selector[i]] = True
        bits = self.function(x)
        # the four status terms of an instrument are exclusive and exhaustive (applies
        # with a duty and no ground, with a ground, without a duty; does not apply)
        status: dict[str, str] = {}
        first_bit = self.status_bit
        for i in selected:
            k = first_bit[i]
            status[i] = ("mandatory" if bits[k] else "refusable" if bits[k + 1]
                         else "discretionary" if bits[k + 2] else "not_applicable")
        by_status = set(status.values())
        overall = next(s for s in OVERALL_ORDER if s == "discretionary" or s in by_status)
        return Evaluated(Witness(witness_inputs, status, overall), bits, self.places)
