"""Decisive questions: which unknowns to ask about, so that an undetermined verdict settles.

For an undetermined request (overall, or one instrument), `decisive_questions` finds the
smallest set of unknowns whose values settle the verdict, ranks them by how much each
narrows the possible statuses, and gives, for each value of each, the statuses still
possible then (and the status, when that answer alone determines it).

Everything is a solver question over the engine's compiled verdict solver:

- the statuses possible once an unknown is fixed: checks with the unknown's literals as
  extra assumptions (the engine's `Exploration` witnesses answer most without a check);
- whether a set S of unknowns *settles* the verdict: "is there one assignment of S under
  which two different statuses are both possible?" A second copy of the verdict solver's
  constraints (every variable renamed) is made once per compiled spec set; S's atoms are
  tied equal across the copies, the request's known values hold in both, and the statuses
  must differ. Unsat: S settles. Sat: the model is a counterexample, and every unknown on
  which its two copies disagree is one S could have fixed; any settling set must contain
  one of them (a hitting-set constraint that prunes the search).

Sets are searched by increasing size among the `depends_on` unknowns (exactly up to size
3, each candidate checked only if it hits every counterexample so far), then greedily:
add an unknown the latest counterexample disagrees on, until the set settles, and drop
the members it does not need. Nothing here reads files.

How the questions relate to `depends_on` (an unknown is in `depends_on` when some value
of it, alone, rules out a possible status):

- a question may be outside `depends_on`: no answer to it alone rules anything out, but
  an answer to it together with another question's does (UNTOC's "category in
  {money_laundering, corruption} or max_penalty_years >= 4": neither the category nor the
  penalty alone takes the Convention out of scope). Each such question is reported in
  `jointly`, with the partner and the pair of answers that narrows the verdict;
- an unknown of `depends_on` may be left out of the questions (`others`): once the
  chosen set is answered, its value no longer matters (the unknowns are not independent,
  e.g. a State bound by a protocol only if bound by the instrument).

In a notebook the questions show themselves as HTML (`_repr_html_`), worded for people, and
`questions[unknown]` is the question about that unknown (a fact id, `offence.<field>`, ...).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import z3

from coop_logic.engine.assumption_solver import SAT, UNSAT, FastSolver, pointer
from coop_logic.engine.compile import SOLVER_TIMEOUT_MS, Compiled, InputAtom, Inputs
from coop_logic.engine.exploration import Exploration
from coop_logic.engine.request_inputs import RequestFacts
from coop_logic.errors import RequestError, SolverError
from coop_logic.explain.markup import record_html
from coop_logic.explain.notebook import question_words, request_line, request_words, stacked_html
from coop_logic.model.request import Request
from coop_logic.model.result import Overall, Result, Verdict, unknown_key
from coop_logic.vocabulary import CATEGORIES, OVERALL_ORDER, STATUSES, UNDETERMINED

EXACT_SIZE = 3
MAX_ALTERNATIVES = 5


# -- records --------------------------------------------------------------------------------


@attrs.frozen
class Answer:
    """One answer to a question: a value of the unknown and where it leads.

    `value` is a Boolean, a list of category ids (categories that lead to the same
    statuses), or for `offence.max_penalty_years` a range
    `{"min", "min_inclusive", "max", "max_inclusive"}` (a bound None when open)."""

    value: Any
    label: str
    possible: tuple[str, ...]
    status: str  # the status when this answer determines it, else "undetermined"

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"value": value, "label": self.label, "possible": list(self.possible),
                "status": self.status}


@attrs.frozen
class Question:
    """An unknown worth asking about, named as in `depends_on`."""

    unknown: str
    narrowing: float  # mean number of the possible statuses one answer rules out
    answers: tuple[Answer, ...]
    # The open verdicts this question helps settle: the instruments whose `depends_on`
    # names it, or (a question asked jointly) whose rules for the measure read it.
    instruments: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"unknown": self.unknown, "narrowing": self.narrowing,
                "answers": [a.to_dict() for a in self.answers]}

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the question in words, the verdicts it helps settle,
        and where each answer leads."""
        return record_html(question_words(self.unknown), _question_words(self, None))


@attrs.frozen
class Joint:
    """A question outside `depends_on`: no answer to it alone narrows the verdict, but
    one together with answers to `partners` does. With one partner, `labels` are a pair
    of answers (to it, to the partner) that leaves only `possible`; with several, no
    single partner's answer is enough (`labels` empty)."""

    unknown: str
    partners: tuple[str, ...]
    labels: tuple[str, ...]  # e.g. ("offence.category = fraud", "... < 4")
    possible: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"unknown": self.unknown, "partners": list(self.partners),
                "labels": list(self.labels), "possible": list(self.possible)}


@attrs.frozen
class Questions:
    """The decisive questions for one request (overall, or one instrument)."""

    request: Request
    closed_world: bool
    instrument: str | None
    status: str
    possible: tuple[str, ...]
    depends_on: tuple[str, ...]
    questions: tuple[Question, ...]  # the smallest settling set, best-narrowing first
    minimum: bool  # True: no smaller set of the unknowns searched settles the verdict
    alternatives: tuple[tuple[str, ...], ...]  # other settling sets of the same size
    others: tuple[str, ...]  # unknowns in depends_on that the chosen set does not need
    checks: int = attrs.field(default=0, eq=False)
    jointly: tuple[Joint, ...] = ()  # the questions outside depends_on, and why they are asked

    @property
    def unknowns(self) -> tuple[str, ...]:
        return tuple(q.unknown for q in self.questions)

    def __getitem__(self, unknown: str) -> Question:
        """The question about `unknown`; a KeyError names the close ids and the questions
        there are (and why an unknown of `depends_on` is not asked)."""
        for question in self.questions:
            if question.unknown == unknown:
                return question
        if not self.questions:
            raise KeyError(f"no question {unknown!r}: the verdict is determined "
                           f"({self.status}), there is nothing to ask")
        if unknown in self.others:
            raise KeyError(f"{unknown!r} is not asked: once the questions are answered its "
                           f"value no longer matters; the questions are: "
                           f"{', '.join(self.unknowns)}")
        raise KeyError(unknown_key("question", unknown, self.unknowns))

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the request in words, the verdict asked about, then each
        question worded for people with the verdicts it helps settle, where each answer
        leads, and why a question outside `depends_on` is asked."""
        asked = f"instrument {self.instrument}" if self.instrument else "the overall verdict"
        head: dict[str, object] = request_words(self.request, self.closed_world)
        still = f" ({' or '.join(self.possible)})" if self.status == UNDETERMINED else ""
        head[f"verdict ({asked})"] = self.status + still
        if not self.questions:
            head["questions"] = "nothing to ask: the verdict is determined"
        else:
            head["decided by the unknowns"] = list(self.depends_on)
            head["these questions"] = ("the fewest that settle the verdict" if self.minimum
                                       else "a set that settles the verdict, none of them "
                                            "superfluous (not known to be the fewest)")
            if self.alternatives:
                head["other sets as small"] = [list(a) for a in self.alternatives]
            if self.others:
                head["no longer matter once these are answered"] = list(self.others)
        joints = {j.unknown: j for j in self.jointly}
        parts = [record_html(f"{i}. {question_words(q.unknown)}",
                             _question_words(q, joints.get(q.unknown)))
                 for i, q in enumerate(self.questions, 1)]
        title = f"Decisive questions: {request_line(self.request)}"
        return stacked_html(record_html(title, head), parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "status": self.status,
            "possible": list(self.possible),
            "depends_on": list(self.depends_on),
            "questions": [q.to_dict() for q in self.questions],
            "minimum": self.minimum,
            "alternatives": [list(a) for a in self.alternatives],
            "others": list(self.others),
            "jointly": [j.to_dict() for j in self.jointly],
            "request": self.request.to_dict(),
            "closed_world": self.closed_world,
        }


def _question_words(question: Question, joint: Joint | None) -> dict[str, object]:
    """A question for `record_html`: the unknown's id, the verdicts it helps settle, each
    answer (by its label) and the statuses it leaves, and why a joint question is asked."""
    words: dict[str, object] = {"unknown": question.unknown,
                                "helps settle": list(question.instruments)}
    words["answers"] = {
        a.label: a.status if a.status != UNDETERMINED else "still " + " or ".join(a.possible)
        for a in question.answers}
    if joint is not None and joint.labels:
        words["asked jointly"] = (f"no answer to it alone narrows the verdict; with "
                                  f"{joint.labels[0]} and {joint.labels[1]}, only "
                                  f"{' or '.join(joint.possible)} remains possible")
    elif joint is not None:
        words["asked jointly"] = ("no answer to it alone narrows the verdict; it matters only "
                                  f"with several of {', '.join(joint.partners)} at once")
    return words


# -- the API --------------------------------------------------------------------------------


def decisive_questions(kb: Any, request: Request | Mapping[str, Any], closed_world: bool = False,
                       instrument: str | None = None) -> Questions:
    """The smallest set of unknowns whose values settle the verdict, ranked, with answers.

    `instrument`: the verdict of that instrument; None: the overall verdict (over the
    request's own instrument selection). A determined verdict gives no questions."""
    session = Session(kb, request, closed_world, instrument)
    checks_before = session.checks()
    current = session.current
    if len(current.possible) == 1:
        return Questions(session.request, closed_world, instrument, current.status,
                         current.possible, (), (), True, (), (), 0)
    pool = [session.group_of[name] for name in current.depends_on]
    search = SettleSearch(session)
    if search.settling(pool) is not None:
        pool = session.relevant_unknowns()
    answers = {g: session.answers(g) for g in pool}
    score = {g: _narrowing(current.possible, answers[g]) for g in pool}
    best, alternatives, minimum = search.minimal(pool, score)
    ranked = sorted(best, key=lambda g: (-score[g][0], -score[g][1], session.rank(g)))
    questions = tuple(Question(session.public(g), round(score[g][0], 3), answers[g],
                               session.bearing(g))
                      for g in ranked)
    chosen = {session.public(g) for g in best}
    others = tuple(name for name in current.depends_on if name not in chosen)
    jointly = tuple(_joint(session, g, [x for x in ranked if x != g]) for g in ranked
                    if session.public(g) not in current.depends_on)
    return Questions(
        session.request, closed_world, instrument, current.status, current.possible,
        current.depends_on, questions, minimum,
        tuple(tuple(session.public(g) for g in alt) for alt in alternatives), others,
        session.checks() - checks_before, jointly,
    )


def _joint(session: Session, group: str, partners: Sequence[str]) -> Joint:
    """Why a question outside depends_on is asked: the first partner question (those
    outside depends_on first) and pair of answers that rules out a status the partner's
    answer alone leaves possible."""
    depends = set(session.current.depends_on)
    ordered = sorted(partners, key=lambda p: session.public(p) in depends)
    for partner in ordered:
        for other, _, other_label in session.choices(partner):
            alone = session.possible_given([(partner, other)])
            for choice, _, label in session.choices(group):
                possible = session.possible_given([(group, choice), (partner, other)])
                if possible and len(possible) < len(alone):
                    return Joint(session.public(group), (session.public(partner),),
                                 (label, other_label), possible)
    # A minimal settling set needs every member, so some pair (or larger set) narrows it;
    # where no pair does, the question matters only with several others at once.
    return Joint(session.public(group), tuple(session.public(p) for p in partners), (),
                 session.current.possible)


def _narrowing(possible: Sequence[str], answers: Sequence[Answer]) -> tuple[float, int]:
    """(mean, worst) number of the possible statuses an answer rules out."""
    if not answers:
        return (0.0, 0)
    removed = [len(possible) - len(a.possible) for a in answers]
    return (sum(removed) / len(removed), min(removed))


# -- one request, read for the solver --------------------------------------------------------


class Session:
    """A request read against the engine: its literals, the verdict asked about, the
    statuses possible, and checks with extra assumptions. Shared by `whatif`."""

    def __init__(self, kb: Any, request: Request | Mapping[str, Any], closed_world: bool,
                 instrument: str | None) -> None:
        if not isinstance(request, Request):
            request = Request.from_dict(request)
        self.kb = kb
        self.engine = kb.engine
        self.compiled: Compiled = kb.compiled
        self.original = request
        self.closed_world = closed_world
        self.instrument = instrument
        wanted = [instrument] if instrument is not None else None
        self.instruments_arg = wanted
        self.result: Result = kb.evaluate(request, closed_world=closed_world, instruments=wanted,
                                          traces=False)
        self.request = self.result.request
        self.reading = request.closed() if closed_world else request
        self.selected = list(self.result.verdicts)
        self.facts = RequestFacts(self.engine, self.reading)
        engine = self.engine
        self.base = [lit.ast for lit in self.facts.literals]
        self.base += [engine.selector[(i, i in self.selected)] for i in self.compiled.instruments]
        self.search = Exploration(engine, self.facts, self.base, self.selected)
        self.group_of = {self.facts.public_name(g): g for g in self.facts.unknown_groups}
        self.current: Verdict | Overall = (self.result.verdicts[instrument] if instrument
                                           else self.result.overall)
        order = {g: i for i, g in enumerate(self.compiled.inputs.groups)}
        self._order = order
        self._relevant: list[str] | None = None

    # -- naming ---------------------------------------------------------------------------

    @property
    def statuses(self) -> tuple[str, ...]:
        return STATUSES if self.instrument else OVERALL_ORDER

    def public(self, group: str) -> str:
        return self.facts.public_name(group)

    def rank(self, group: str) -> int:
        return self._order[group]

    def checks(self) -> int:
        twin = _TWINS.get(self.compiled)
        return (self.engine.verdict.checks + sum(e.checks for e in self.engine.explainers.values())
                + (twin.solver.checks if twin else 0))

    # -- the verdict asked about ----------------------------------------------------------

    def status_ptr(self, status: str) -> Any:
        if self.instrument:
            return self.engine.status_ptr[self.instrument][status]
        return self.engine.overall_ptr[status]

    def status_atom(self, status: str) -> z3.BoolRef:
        if self.instrument:
            return self.compiled.status[self.instrument][status]
        return self.compiled.overall[status]

    def shown(self, witness: Any) -> str:
        return witness.status[self.instrument] if self.instrument else witness.overall

    def cones(self) -> list[Any]:
        measure = self.reading.measure
        chosen = [self.instrument] if self.instrument else self.selected
        return [self.compiled.cones[(i, measure)] for i in chosen]

    def bearing(self, group: str) -> tuple[str, ...]:
        """The open verdicts an unknown helps settle: the instruments whose `depends_on`
        names it; when none does (a question that matters only jointly), those whose
        rules for the measure read it."""
        name = self.public(group)
        undetermined = [v for v in self.result.verdicts.values() if v.status == UNDETERMINED]
        named = tuple(v.instrument for v in undetermined if name in v.depends_on)
        if named:
            return named
        measure = self.reading.measure
        return tuple(v.instrument for v in undetermined
                     if group in self.compiled.cones[(v.instrument, measure)].groups)

    def relevant_unknowns(self) -> list[str]:
        """Every unknown the verdict asked about can depend on, in canonical order."""
        if self._relevant is None:
            groups = set().union(*(c.groups for c in self.cones()))
            self._relevant = sorted((g for g in self.facts.unknown_groups if g in groups),
                                    key=self.rank)
        return list(self._relevant)

    # -- values of one unknown ------------------------------------------------------------

    def category_classes(self) -> dict[str, Any]:
        """Each category's class: categories no rule of the verdict's instruments tells apart."""
        cones = self.cones()
        return {c: tuple(next(k for k, cls in enumerate(cone.category_classes) if c in cls)
                         for cone in cones) for c in CATEGORIES}

    def choices(self, group: str) -> list[tuple[Any, Any, str]]:
        """(choice for `Engine._group_literals`, JSON value, label) for each value."""
        name = self.public(group)
        if group == "offence.category":
            classes = self.category_classes()
            by_class: dict[Any, list[str]] = {}
            for c in CATEGORIES:
                by_class.setdefault(classes[c], []).append(c)
            return [(cats[0], tuple(cats), _category_label(name, cats))
                    for cats in by_class.values()]
        if group == "offence.max_penalty_years":
            chain = self.compiled.inputs.penalty
            out = []
            for i in range(len(chain) + 1):
                value = penalty_range(chain, i)
                out.append((i, value, f"{name} {range_label(value)}"))
            return out
        return [(True, True, f"{name} = true"), (False, False, f"{name} = false")]

    def matches(self, witness: Any, group: str, choice: Any) -> bool:
        value = witness.inputs[group]
        if group == "offence.category":
            classes = self.category_classes()
            return classes[value] == classes[choice]
        return value == choice

    def possible_given(self, fixed: Sequence[tuple[str, Any]],
                       among: Iterable[str] | None = None) -> tuple[str, ...]:
        """The statuses (of `among`, default the currently possible ones) still possible
        with each (group, choice) of `fixed` fixed."""
        literals = [lit for g, c in fixed for lit in self.engine.group_literals(g, c)]
        candidates = list(self.current.possible if among is None else among)
        out = []
        for status in candidates:
            seen = any(self.shown(w) == status and all(self.matches(w, g, c) for g, c in fixed)
                       for w in self.search.witnesses)
            if seen or self.search.sat([*literals, self.status_ptr(status)]):
                out.append(status)
        return tuple(s for s in self.statuses if s in out)

    def answers(self, group: str) -> tuple[Answer, ...]:
        """Each value of `group`, with the statuses possible then (impossible values left
        out; categories leading to the same statuses merged into one answer)."""
        answers: list[Answer] = []
        merged: dict[tuple[str, ...], int] = {}
        for choice, value, label in self.choices(group):
            possible = self.possible_given([(group, choice)])
            if not possible:
                continue
            status = possible[0] if len(possible) == 1 else UNDETERMINED
            if group == "offence.category" and possible in merged:
                k = merged[possible]
                cats = (*answers[k].value, *value)
                answers[k] = Answer(cats, _category_label(self.public(group), cats), possible,
                                    status)
                continue
            merged[possible] = len(answers)
            answers.append(Answer(value, label, possible, status))
        return tuple(answers)


def penalty_range(chain: Sequence[Any], i: int) -> dict[str, Any]:
    """The range of years in which exactly the first `i` thresholds of the chain hold."""
    low = chain[i - 1] if i > 0 else None
    high = chain[i] if i < len(chain) else None

    def num(x: float) -> float | int:
        return int(x) if x == int(x) else x

    return {
        "min": num(low.threshold) if low else 0,
        "min_inclusive": low.op == ">=" if low else True,
        "max": num(high.threshold) if high else None,
        "max_inclusive": high.op == ">" if high else False,
    }


def penalty_example(chain: Sequence[Any], i: int) -> float | int:
    """A number of years in the range of `penalty_range(chain, i)`."""
    r = penalty_range(chain, i)
    low, high = r["min"], r["max"]
    if r["min_inclusive"]:
        return low
    if high is None:
        return low + 1
    mid = (low + high) / 2
    return int(mid) if mid == int(mid) else mid


def range_label(r: Mapping[str, Any]) -> str:
    low = f"{'>=' if r['min_inclusive'] else '>'} {r['min']}"
    if r["max"] is None:
        return low
    return f"{low} and {'<=' if r['max_inclusive'] else '<'} {r['max']}"


def _category_label(name: str, cats: Sequence[str]) -> str:
    if len(cats) == 1:
        return f"{name} = {cats[0]}"
    return f"{name} in {{{', '.join(cats)}}}"


# -- settling sets --------------------------------------------------------------------------


class SettleSearch:
    """Whether sets of unknowns settle the verdict, and the smallest that does."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.twin = twin_of(session.compiled)
        facts = session.facts
        known = {lit.atom.group for lit in facts.literals}
        twin = self.twin
        self.fixed = [twin.same[g] for g in session.compiled.inputs.groups if g in known]
        self.fixed += [twin.selector[(i, i in session.selected)]
                       for i in session.compiled.instruments]
        self.differ = (twin.differ_status[session.instrument] if session.instrument
                       else twin.differ_overall)
        self.counterexamples: list[frozenset[str]] = []

    def settling(self, groups: Sequence[str]) -> frozenset[str] | None:
        """None when fixing `groups` settles the verdict; else the unknowns on which a
        counterexample's two copies disagree (one of them must be added)."""
        twin = self.twin
        assumptions = [*self.session.base, *self.fixed, *[twin.same[g] for g in groups],
                       self.differ]
        result = twin.solver.check(assumptions)
        if result == UNSAT:
            return None
        if result != SAT:
            raise SolverError("the solver could not decide whether the unknowns "
                              f"{', '.join(groups)} settle the verdict: "
                              f"{twin.solver.reason_unknown()}")
        unknown = self.session.relevant_unknowns()
        pairs = [p for g in unknown for p in twin.pairs[g]]
        values = twin.solver.model_values(pairs)
        differ = set()
        k = 0
        for g in unknown:
            n = len(twin.pairs[g])
            chunk = values[k:k + n]
            k += n
            if any(chunk[j] != chunk[j + 1] for j in range(0, n, 2)):
                differ.add(g)
        found = frozenset(differ)
        self.counterexamples.append(found)
        return found

    def minimal(self, pool: Sequence[str], score: Mapping[str, tuple[float, int]]
                ) -> tuple[list[str], list[list[str]], bool]:
        """The best smallest settling set among `pool`, other sets of that size, and
        whether it is known to be of minimum size."""
        session = self.session
        ordered = sorted(pool, key=lambda g: (-score[g][0], -score[g][1], session.rank(g)))
        position = {g: i for i, g in enumerate(ordered)}
        for size in range(0, min(EXACT_SIZE, len(ordered)) + 1):
            found: list[list[str]] = []
            for combo in itertools.combinations(ordered, size):
                chosen = set(combo)
                if not all(chosen & cex for cex in self.counterexamples):
                    continue
                if self.settling(combo) is None:
                    found.append(sorted(combo, key=position.__getitem__))
                    if len(found) > MAX_ALTERNATIVES:
                        break
            if found:
                found.sort(key=lambda s: (-sum(score[g][0] for g in s),
                                          [position[g] for g in s]))
                return found[0], found[1:MAX_ALTERNATIVES + 1], True
        chosen = self._greedy(ordered, position)
        return chosen, [], len(chosen) <= EXACT_SIZE + 1

    def _greedy(self, ordered: Sequence[str], position: Mapping[str, int]) -> list[str]:
        """Add an unknown the latest counterexample disagrees on (the one that hits most
        counterexamples so far, then the best narrowing) until the set settles; then drop
        each member the set does not need."""
        pool = set(ordered)
        chosen: list[str] = []
        while True:
            cex = self.settling(chosen)
            if cex is None:
                break
            options = [g for g in ordered if g in cex and g in pool and g not in chosen]
            if not options:  # the pool cannot settle it: widen to every relevant unknown
                options = [g for g in self.session.relevant_unknowns()
                           if g in cex and g not in chosen]
                if not options:
                    raise SolverError("no set of unknowns settles the verdict")
            hits = {g: sum(g in c for c in self.counterexamples) for g in options}
            best = min(options, key=lambda g: (-hits[g], position.get(g, len(position))))
            chosen.append(best)
        for g in reversed(list(chosen)):
            trial = [x for x in chosen if x != g]
            if self.settling(trial) is None:
                chosen = trial
        return sorted(chosen, key=lambda g: position.get(g, len(position)))


# -- the two-copy solver ---------------------------------------------------------------------


class _RenamedInputs(Inputs):
    """The same input atoms (same keys, groups and order) as fresh variables."""

    def _add(self, key: str, group: str) -> None:
        if key in self.by_key:
            return
        atom = InputAtom(key, group, z3.Bool(f"twin|{key}", self.ctx))
        self.atoms.append(atom)
        self.by_key[key] = atom


def encode_verdict(compiled: Compiled, inputs: Inputs, status: dict[str, dict[str, z3.BoolRef]],
                   selectors: dict[str, z3.BoolRef], overall: dict[str, z3.BoolRef],
                   prefix: str) -> list[z3.BoolRef]:
    """The verdict solver's constraints (`Compiled.verdict_constraints`), over `inputs`.

    Over the compiled inputs they are returned as asserted. Over other inputs (a renamed
    copy) every compiled atom is substituted: inputs by `inputs`' atoms of the same key,
    status, selector and overall atoms by those of the given dicts, created with `prefix`
    where missing, and ground, availability and obligatory-ground atoms by fresh ones."""
    if inputs is compiled.inputs:
        return list(compiled.verdict_constraints)
    ctx = compiled.ctx
    pairs: list[tuple[z3.BoolRef, z3.BoolRef]] = [
        (atom.var, inputs.by_key[atom.key].var) for atom in compiled.inputs.atoms]
    for inst, by in compiled.status.items():
        twins = status.setdefault(inst, {})
        for s, atom in by.items():
            pairs.append((atom, twins.setdefault(s, z3.Bool(f"{prefix}status:{inst}:{s}", ctx))))
    for inst, atom in compiled.selectors.items():
        pairs.append((atom, selectors.setdefault(inst, z3.Bool(f"{prefix}select:{inst}", ctx))))
    for s, atom in compiled.overall.items():
        pairs.append((atom, overall.setdefault(s, z3.Bool(f"{prefix}overall:{s}", ctx))))
    # Every atom the constraints define must be renamed: one left shared (as the obligatory
    # atoms once were) ties the copies together and makes unknowns look settled.
    for kind, atoms in (("ground", compiled.ground_atoms), ("available", compiled.available_atoms),
                        ("obligatory", compiled.obligatory_atoms)):
        for inst, by in atoms.items():
            pairs += [(atom, z3.Bool(f"{prefix}{kind}:{inst}:{g}", ctx)) for g, atom in by.items()]
    return [z3.substitute(c, *pairs) for c in compiled.verdict_constraints]


class Twin:
    """The verdict encoding twice over: once over the compiled input atoms (and the
    compiled status, overall and selector atoms, so the engine's literal pointers apply),
    once over renamed copies of all of them.

    Both copies are the verdict solver's own constraints (`Compiled.verdict_constraints`),
    the second with every atom renamed. `same[group]`: an atom that, assumed, ties the group's input
    atoms across the copies; `differ_status[inst]` / `differ_overall`: atoms that, assumed,
    make the copies' statuses differ; `selector[(inst, on)]`: the second copy's selection."""

    def __init__(self, compiled: Compiled) -> None:
        ctx = compiled.ctx
        instruments = compiled.instruments
        solver = z3.SolverFor("QF_FD", ctx=ctx)
        solver.set("timeout", SOLVER_TIMEOUT_MS)
        self._keep: list[Any] = []
        inputs2 = _RenamedInputs(ctx, instruments.values())
        status2: dict[str, dict[str, z3.BoolRef]] = {}
        selectors2: dict[str, z3.BoolRef] = {}
        overall2: dict[str, z3.BoolRef] = {}
        for c in encode_verdict(compiled, compiled.inputs, compiled.status, compiled.selectors,
                                compiled.overall, ""):
            solver.add(c)
        for c in encode_verdict(compiled, inputs2, status2, selectors2, overall2, "twin|"):
            solver.add(c)

        self.same: dict[str, Any] = {}
        self.pairs: dict[str, list[Any]] = {}
        for group, atoms in compiled.inputs.groups.items():
            twins = [inputs2.by_key[a.key].var for a in atoms]
            tie = z3.Bool(f"twin-same|{group}", ctx)
            solver.add(z3.Implies(tie, z3.And(*[a.var == b for a, b in zip(atoms, twins,
                                                                              strict=True)])))
            self._keep.extend([tie, *twins])
            self.same[group] = pointer(tie)
            self.pairs[group] = [p for a, b in zip(atoms, twins, strict=True)
                                 for p in (pointer(a.var), pointer(b))]
        self.selector: dict[tuple[str, bool], Any] = {}
        for inst, sel in selectors2.items():
            for on in (True, False):
                expr = sel if on else z3.Not(sel)
                self._keep.append(expr)
                self.selector[(inst, on)] = pointer(expr)

        def differ(name: str, atoms: Mapping[str, z3.BoolRef],
                   twins: Mapping[str, z3.BoolRef]) -> Any:
            atom = z3.Bool(f"twin-differ|{name}", ctx)
            solver.add(z3.Implies(atom, z3.Or(*[z3.And(a, z3.Not(twins[s]))
                                                for s, a in atoms.items()])))
            self._keep.append(atom)
            return pointer(atom)

        self.differ_status = {i: differ(i, by, status2[i]) for i, by in compiled.status.items()}
        self.differ_overall = differ("overall", compiled.overall, overall2)
        self._keep.extend([status2, overall2])
        self.z3solver = solver
        self.solver = FastSolver(solver)
        self.inputs2 = inputs2


_TWINS: weakref.WeakKeyDictionary[Compiled, Twin] = weakref.WeakKeyDictionary()


def twin_of(compiled: Compiled) -> Twin:
    """The two-copy solver of a compiled spec set, built once."""
    if compiled not in _TWINS:
        _TWINS[compiled] = Twin(compiled)
    return _TWINS[compiled]


def check_target(target: str, instrument: str | None) -> None:
    """A status the verdict asked about can take (overall: never not_applicable)."""
    allowed = STATUSES if instrument else OVERALL_ORDER
    if target not in allowed:
        where = f"of {instrument}" if instrument else "overall"
        raise RequestError(f"'{target}' is not a status {where}", field="--target",
                           expected="one of " + ", ".join(allowed))
