"""Solver-backed unit tests of your expectations about the law: a pytest plugin.

Installed with coop-logic, the plugin is active in every pytest run (a `pytest11` entry
point). Only where it is not (plugin autoloading disabled, or a source tree that is not
installed), enable it with `pytest -p coop_logic.testing`.

What it gives a test file, with no conftest of its own:

- the fixture `coop_kb`: the knowledge base (bundled specs, plus `--coop-spec` files and
  `--coop-parties` corrections), loaded once per test session;
- `assert_verdict(request, instrument, status, grounds=None, ...)`: one request's verdict,
  with the verdict and its proof trace in the failure message;
- `assert_never(instrument, condition, ...)`: z3 proves that *no* request satisfies a
  condition (in the spec condition language, which may speak of verdicts with
  `status(...)` and `ground(...)`), or the failure shows a counterexample request;
- `assert_possible(instrument, condition, ...)`: the converse, returning a witness request
  (use it to show that an `assert_never` is not vacuously true);
- `assert_overall(request, status, basis=None, ...)`: the overall verdict (the strongest
  status over the instruments considered) and the instruments it rests on.

Options (command line, or the ini keys `coop_spec` / `coop_parties`, paths relative to the
ini file):

    --coop-spec PATH      extra spec file or folder, e.g. a bilateral MLAT (repeatable)
    --coop-parties PATH   party-data file correcting the bundled data (repeatable)

The helpers are plain functions: outside pytest (or given `kb=`) they work too, and raise
AssertionError. The reference is docs/reference-testing.md.
"""

from __future__ import annotations

import datetime as dt
import os
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase
    from coop_logic.model.request import Request
    from coop_logic.model.result import Overall, Verdict

__all__ = [
    "assert_never",
    "assert_overall",
    "assert_possible",
    "assert_verdict",
    "current_kb",
    "find_request",
]

# -- the plugin ---------------------------------------------------------------------------

_KBS: dict[tuple[tuple[str, ...], tuple[str, ...]], KnowledgeBase] = {}
_CONFIGS: list[pytest.Config] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("coop-logic", "coop-logic knowledge base")
    group.addoption(
        "--coop-spec", action="append", default=[], metavar="PATH", dest="coop_spec",
        help="coop-logic: extra spec file or folder loaded beside the bundled specs "
             "(repeatable).",
    )
    group.addoption(
        "--coop-parties", action="append", default=[], metavar="PATH", dest="coop_parties",
        help="coop-logic: party-data file whose entries replace or add to the loaded data "
             "(repeatable).",
    )
    parser.addini("coop_spec", type="paths", default=[],
                  help="coop-logic: extra spec files or folders (one per line).")
    parser.addini("coop_parties", type="paths", default=[],
                  help="coop-logic: party-data correction files (one per line).")


def pytest_configure(config: pytest.Config) -> None:
    for path in (*_option_paths(config, "coop_spec"), *_option_paths(config, "coop_parties")):
        if not Path(path).exists():
            raise pytest.UsageError(f"coop-logic: no such spec or party-data path: {path}")
    _CONFIGS.append(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _CONFIGS:
        _CONFIGS.remove(config)


def pytest_report_header(config: pytest.Config) -> str | None:
    specs = _option_paths(config, "coop_spec")
    parties = _option_paths(config, "coop_parties")
    if not specs and not parties:
        return None
    parts = []
    if specs:
        parts.append("extra specs: " + ", ".join(specs))
    if parties:
        parts.append("party data: " + ", ".join(parties))
    return "coop-logic: " + "; ".join(parts)


@pytest.fixture(scope="session")
def coop_kb(pytestconfig: pytest.Config) -> KnowledgeBase:
    """The coop-logic knowledge base of this session: the bundled specs, plus the
    `--coop-spec` files and `--coop-parties` corrections; loaded once."""
    from coop_logic.errors import CoopLogicError

    try:
        return _kb_for(_option_paths(pytestconfig, "coop_spec"),
                       _option_paths(pytestconfig, "coop_parties"))
    except CoopLogicError as exc:
        pytest.fail(f"coop-logic could not load the specs: {exc}", pytrace=False)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A spec file named by `--coop-spec` (or a file inside a named folder) and also named
    on pytest's command line is collected as one test item per example it carries."""
    if file_path.suffix not in {".yaml", ".yml"}:
        return None
    config = parent.config
    here = file_path.resolve()
    base = config.invocation_params.dir
    named = {Path(base, arg.split("::")[0]).resolve() for arg in config.args}
    if here not in named:
        return None
    roots = [Path(p).resolve() for p in _option_paths(config, "coop_spec")]
    if any(here == root or root in here.parents for root in roots):
        return SpecFile.from_parent(parent, path=file_path)
    return None


class SpecFile(pytest.File):
    """A spec file whose `examples:` become test items."""

    def collect(self) -> Iterable[pytest.Item]:
        from coop_logic.analysis.spec_examples import example_ids, instruments_in

        kb = _kb_for(_option_paths(self.config, "coop_spec"),
                     _option_paths(self.config, "coop_parties"))
        for example_id in example_ids(kb, instruments_in(kb, [self.path])):
            yield SpecExample.from_parent(self, name=example_id, kb=kb)


class SpecExample(pytest.Item):
    """One example of a spec file: its request must get the expected verdict."""

    def __init__(self, *, kb: KnowledgeBase, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kb = kb

    def runtest(self) -> None:
        from coop_logic.analysis.spec_examples import assert_example

        assert_example(self.kb, self.name)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, self.name


def _option_paths(config: pytest.Config, name: str) -> tuple[str, ...]:
    base = config.invocation_params.dir
    given = [str(Path(base, p)) for p in (config.getoption(name, None) or [])]
    try:
        from_ini = [str(p) for p in config.getini(name)]
    except ValueError:  # the plugin registered after the ini was parsed
        from_ini = []
    return tuple(dict.fromkeys([*from_ini, *given]))


def _kb_for(specs: tuple[str, ...], parties: tuple[str, ...]) -> KnowledgeBase:
    key = (specs, parties)
    if key not in _KBS:
        from coop_logic.engine.knowledge_base import load

        _KBS[key] = load(extra_specs=specs, parties=parties)
    return _KBS[key]


def current_kb() -> KnowledgeBase:
    """The knowledge base the helpers use when given no `kb`: in a pytest session with the
    plugin active, the one `coop_kb` returns (options included); otherwise the bundled
    specs. Loaded once per process and option set."""
    if _CONFIGS:
        config = _CONFIGS[-1]
        return _kb_for(_option_paths(config, "coop_spec"), _option_paths(config, "coop_parties"))
    return _kb_for((), ())


# -- assert_verdict -------------------------------------------------------------------------


def assert_verdict(
    request: Request | Mapping[str, Any] | str | os.PathLike[str],
    instrument: str,
    status: str | Iterable[str],
    grounds: Iterable[str] | None = None,
    kb: KnowledgeBase | None = None,
    closed_world: bool = False,
    *,
    depends_on: Iterable[str] | None = None,
    cites: Iterable[str] | None = None,
) -> Verdict:
    """Assert the verdict of `instrument` on `request`; return the Verdict.

    - `request`: a mapping in the contract's request format, a `Request`, or the path of
      a request file (YAML or JSON).
    - `status`: `mandatory`, `refusable`, `discretionary`, `not_applicable` or
      `undetermined`, or several of them (the verdict must be one of them).
    - `grounds`: when given, the established refusal grounds must be exactly these (in any
      order); `grounds=[]` asserts that none is.
    - `closed_world`: read every absent fact and offence flag as false.
    - `depends_on`: when given, the verdict's unknowns must be exactly these.
    - `cites`: provision (rule) ids that must all be in the proof trace.
    - `kb`: the knowledge base to ask; default: the session's (see `current_kb`).

    On failure the AssertionError shows the expectation, the actual verdict and its proof
    trace (`Result.explain(instrument)`). An invalid request or an unknown instrument
    raises RequestError, as `KnowledgeBase.evaluate` does.
    """
    __tracebackhide__ = True
    from coop_logic.model.request import Request
    from coop_logic.vocabulary import STATUSES, UNDETERMINED

    kb = kb if kb is not None else current_kb()
    wanted = _ids(status, "status", "assert_verdict")
    if not wanted:
        raise ValueError("assert_verdict: status is empty; expected a status or several")
    grounds = None if grounds is None else _ids(grounds, "grounds", "assert_verdict")
    depends_on = None if depends_on is None else _ids(depends_on, "depends_on",
                                                        "assert_verdict")
    cites = None if cites is None else _ids(cites, "cites", "assert_verdict")
    allowed = (*STATUSES, UNDETERMINED)
    for s in wanted:
        if s not in allowed:
            raise ValueError(f"assert_verdict: unknown status '{s}'{_hint(s, allowed)}; "
                             f"expected one of {', '.join(allowed)}")
    _check_instrument(kb, instrument, "assert_verdict")
    if isinstance(request, str | os.PathLike):
        request = Request.from_file(request)
    result = kb.evaluate(request, closed_world=closed_world, instruments=[instrument])
    verdict = result[instrument]
    problems: list[str] = []
    if verdict.status not in wanted:
        problems.append(f"status is {verdict.status}, expected {' or '.join(wanted)}")
    if grounds is not None and set(verdict.grounds) != set(grounds):
        problems.append(f"grounds are {_list(verdict.grounds)}, expected {_list(grounds)}")
    if depends_on is not None and set(verdict.depends_on) != set(depends_on):
        problems.append(f"depends_on is {_list(verdict.depends_on)}, "
                        f"expected {_list(depends_on)}")
    if cites is not None:
        cited = {step.id for step in verdict.trace if step.kind == "provision"}
        missing = [c for c in cites if c not in cited]
        if missing:
            problems.append(f"the trace does not cite {_list(missing)} "
                            f"(it cites {_list(sorted(cited))})")
    if problems:
        req = result.request
        lines = [
            f"coop-logic: {instrument} on {req.requesting_state} -> {req.requested_state}, "
            f"{req.measure}, {req.date.isoformat()}"
            f"{' (closed world)' if closed_world else ''}:",
            *(f"  {p}" for p in problems),
            f"  actual verdict: status={verdict.status} possible={_list(verdict.possible)} "
            f"grounds={_list(verdict.grounds)} depends_on={_list(verdict.depends_on)}",
        ]
        if verdict.status == UNDETERMINED and not closed_world:
            lines.append("  (undetermined: the request leaves unknowns that decide the "
                         "verdict; state them, or pass closed_world=True)")
        lines += ["", "proof trace:", result.explain(instrument).rstrip()]
        raise AssertionError("\n".join(lines))
    return verdict


def assert_overall(
    request: Request | Mapping[str, Any] | str | os.PathLike[str],
    status: str | Iterable[str],
    basis: Iterable[str] | None = None,
    kb: KnowledgeBase | None = None,
    closed_world: bool = False,
    *,
    instruments: Iterable[str] | None = None,
) -> Overall:
    """Assert the overall verdict on `request`; return the Overall record.

    - `status`: `mandatory`, `refusable`, `discretionary` or `undetermined`, or several
      of them (the overall status must be one of them).
    - `basis`: when given, the instruments the overall verdict rests on must be exactly
      these (in any order).
    - `instruments`: consider only these (comity always besides); default: the request's
      own `instruments` field, else every loaded instrument.
    - `request`, `kb`, `closed_world`: as for `assert_verdict`.

    On failure the AssertionError shows the expectation, the overall verdict, and the
    proof trace of every instrument considered (`Result.explain()`).
    """
    __tracebackhide__ = True
    from coop_logic.model.request import Request
    from coop_logic.vocabulary import OVERALL_ORDER, UNDETERMINED

    kb = kb if kb is not None else current_kb()
    wanted = _ids(status, "status", "assert_overall")
    if not wanted:
        raise ValueError("assert_overall: status is empty; expected a status or several")
    allowed = (*OVERALL_ORDER, UNDETERMINED)
    for s in wanted:
        if s not in allowed:
            raise ValueError(f"assert_overall: unknown overall status '{s}'{_hint(s, allowed)}; "
                             f"expected one of {', '.join(allowed)}")
    basis = None if basis is None else _ids(basis, "basis", "assert_overall")
    chosen = None if instruments is None else _ids(instruments, "instruments", "assert_overall")
    for inst in basis or ():
        _check_instrument(kb, inst, "assert_overall")
    if isinstance(request, str | os.PathLike):
        request = Request.from_file(request)
    result = kb.evaluate(request, closed_world=closed_world, instruments=chosen)
    overall = result.overall
    problems: list[str] = []
    if overall.status not in wanted:
        problems.append(f"overall status is {overall.status}, expected {' or '.join(wanted)}")
    if basis is not None and set(overall.basis) != set(basis):
        problems.append(f"basis is {_list(overall.basis)}, expected {_list(basis)}")
    if problems:
        req = result.request
        lines = [
            f"coop-logic: overall on {req.requesting_state} -> {req.requested_state}, "
            f"{req.measure}, {req.date.isoformat()}{' (closed world)' if closed_world else ''}:",
            *(f"  {p}" for p in problems),
            f"  actual overall: status={overall.status} basis={_list(overall.basis)} "
            f"possible={_list(overall.possible)} depends_on={_list(overall.depends_on)}",
            "  verdicts: " + ", ".join(f"{i}={v.status}" for i, v in result.verdicts.items()),
            "", "proof trace:", result.explain().rstrip(),
        ]
        raise AssertionError("\n".join(lines))
    return overall


# -- assert_never / assert_possible -------------------------------------------------------


def assert_never(
    instrument: str,
    condition: str,
    kb: KnowledgeBase | None = None,
    measure: str | Iterable[str] | None = None,
    *,
    date: dt.date | str | None = None,
) -> None:
    """Prove with z3 that no request at all satisfies `condition`.

    `condition` is written in the spec condition language (docs/spec-language.md), read
    as inside `instrument`'s spec: its definitions and reservations may be named, and,
    as in a spec's `properties`, it may speak of verdicts:

    - `status(refusable)`: the verdict of `instrument` is that status;
      `status(untoc, mandatory)`: the verdict of another loaded instrument;
    - `ground(no_dual_criminality)`: that ground is available *and* established under
      `instrument` (`ground(untoc, bank_secrecy_only)` for another instrument).

    `measure` (one id or several) restricts the requests to those measures; it is the
    same as adding `and measure in {...}` to the condition.

    "No request" ranges over every measure, offence, maximum penalty (at the thresholds
    the rules use), every value of every fact and offence flag, and every party and
    reservation status of the two States: the proof does not depend on today's party
    data. A counterexample is shown as a request file dated `date` (default: today),
    with real States that fit it on that date where some do (otherwise `??`: it needs
    party data no State has), and, when it names real States, with its verdict and proof
    trace on that date.

        assert_never("budapest",
                     "status(refusable) and ground(no_dual_criminality) and convention_offence",
                     measure="expedited_preservation")
    """
    __tracebackhide__ = True
    kb = kb if kb is not None else current_kb()
    measure = None if measure is None else _measures(measure)
    witness = find_request(instrument, condition, kb=kb, measure=measure, date=date)
    if witness is not None:
        raise AssertionError(_counterexample_message(
            kb, instrument, witness,
            f"coop-logic: some request satisfies, for {instrument}: {condition}"
            + (f" (measure {_list(_measures(measure))})" if measure is not None else ""),
        ))


def assert_possible(
    instrument: str,
    condition: str,
    kb: KnowledgeBase | None = None,
    measure: str | Iterable[str] | None = None,
    *,
    date: dt.date | str | None = None,
) -> dict[str, Any]:
    """Assert that some request satisfies `condition` (the language of `assert_never`);
    return one such request, as a request mapping dated `date` (the witness)."""
    __tracebackhide__ = True
    kb = kb if kb is not None else current_kb()
    measure = None if measure is None else _measures(measure)
    witness = find_request(instrument, condition, kb=kb, measure=measure, date=date)
    if witness is None:
        raise AssertionError(
            f"coop-logic: no request satisfies, for {instrument}: {condition}"
            + (f" (measure {_list(_measures(measure))})" if measure is not None else "")
        )
    return witness


def find_request(
    instrument: str,
    condition: str,
    kb: KnowledgeBase | None = None,
    measure: str | Iterable[str] | None = None,
    *,
    date: dt.date | str | None = None,
) -> dict[str, Any] | None:
    """A request (mapping) satisfying `condition` for `instrument`, or None when z3 proves
    there is none. The language is that of `assert_never`. The request found sets as few
    facts and flags true as possible, is dated `date` (default: today) and names States
    that fit it on that date. Raises ValueError for a malformed condition and
    SolverError when z3 cannot decide."""
    import z3

    kb = kb if kb is not None else current_kb()
    inst = _check_instrument(kb, instrument, "find_request")
    when = None if date is None else _date(date)
    measures = None if measure is None else _measures(measure)
    verifier = _verifier(kb)
    formula = verifier.enc.condition(_parse(kb, inst, condition), inst)
    if measures is not None:
        from coop_logic.vocabulary import MEASURES

        for m in measures:
            if m not in MEASURES:
                raise ValueError(f"unknown measure '{m}'{_hint(m, MEASURES)}")
        formula = z3.And(formula, verifier.enc.measure_in(frozenset(measures)))
    model = verifier.witness.minimal_model(formula)
    if model is None:
        return None
    if when is None:
        return verifier.request_of(model, inst)
    from coop_logic.analysis.counterexample import Witnessing

    compiled = kb.compiled
    return Witnessing(compiled.inputs, compiled.instruments, when).request_of(model, inst.id)


_VERIFIERS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _verifier(kb: KnowledgeBase) -> Any:
    from coop_logic.analysis.verify import Verifier

    if kb not in _VERIFIERS:
        _VERIFIERS[kb] = Verifier(kb.compiled)
    return _VERIFIERS[kb]


def _parse(kb: KnowledgeBase, inst: Any, text: str) -> Any:
    from coop_logic.engine.compile import penalty_key
    from coop_logic.model.conditions import (
        Bound,
        ConditionError,
        GroundIs,
        Penalty,
        Protocol,
        StatusIs,
        parse_condition,
        walk,
    )

    if not isinstance(text, str) or not text.strip():
        raise ValueError("the condition must be a non-empty text, such as 'status(mandatory)'")
    text = " ".join(text.split())
    reservations = frozenset(r.id for r in inst.reservations)
    try:
        cond = parse_condition(text, inst.definitions, reservations, verdicts=True)
    except ConditionError as exc:
        raise ValueError(f"invalid condition for {inst.id}: {exc.message} at column "
                         f"{exc.column + 1} of '{text}'") from None
    thresholds = {p.key for p in kb.compiled.inputs.penalty}
    for node in walk(cond):
        target = getattr(node, "instrument", None) or inst.id
        if isinstance(node, StatusIs | GroundIs | Bound):
            _check_instrument(kb, target, "the condition")
        if isinstance(node, Protocol) and node.name not in inst.parties.protocols:
            known = sorted(inst.parties.protocols)
            raise ValueError(f"protocol '{node.name}' is not in the party data of {inst.id}"
                             f"{_hint(node.name, known)}; its protocols: {_list(known)}")
        if isinstance(node, GroundIs) and node.ground not in kb.instruments[target].ground_ids:
            grounds = kb.instruments[target].ground_ids
            raise ValueError(f"'{node.ground}' is not a ground of {target}"
                             f"{_hint(node.ground, grounds)}; its grounds: {_list(grounds)}")
        if isinstance(node, Penalty) and penalty_key(node.op, node.threshold) not in thresholds:
            used = sorted({f"{p.op} {p.threshold:g}" for p in kb.compiled.inputs.penalty})
            raise ValueError(
                f"max_penalty_years {node.op} {node.threshold:g}: the loaded rules never "
                f"compare the penalty with this threshold, so the solver cannot tell it "
                f"apart; thresholds the rules use: {', '.join(used) or 'none'}")
    return cond


def _counterexample_message(kb: KnowledgeBase, instrument: str, witness: dict[str, Any],
                            headline: str) -> str:
    import yaml

    from coop_logic.errors import CoopLogicError

    lines = [headline, "counterexample request:"]
    text = yaml.safe_dump(witness, sort_keys=False, allow_unicode=True)
    lines += ["  " + line for line in text.splitlines()]
    if "??" in (witness.get("requesting_state"), witness.get("requested_state")):
        lines.append("(no real pair of States has the party status this counterexample "
                     "needs today: it holds for some possible party data)")
        return "\n".join(lines)
    try:
        result = kb.evaluate(witness, instruments=[instrument])
    except CoopLogicError as exc:  # e.g. two identical States
        lines.append(f"(could not evaluate the counterexample: {exc})")
        return "\n".join(lines)
    verdict = result[instrument]
    lines += ["", f"its verdict: {verdict.status}"
              + (f" (grounds: {', '.join(verdict.grounds)})" if verdict.grounds else ""),
              "proof trace:", result.explain(instrument).rstrip()]
    return "\n".join(lines)


# -- small helpers ---------------------------------------------------------------------------


def _check_instrument(kb: KnowledgeBase, instrument: str, who: str) -> Any:
    if not isinstance(instrument, str):
        raise TypeError(f"{who}: instrument={instrument!r}; expected an instrument id (text)")
    if instrument not in kb.instruments:
        raise ValueError(f"{who}: instrument '{instrument}' is not loaded"
                         f"{_hint(instrument, kb.instruments)}; loaded: {', '.join(kb.ids)}")
    return kb.instruments[instrument]


def _measures(measure: str | Iterable[str]) -> list[str]:
    measures = list(_ids(measure, "measure", "find_request"))
    if not measures:
        raise ValueError("measure is empty: no request would be considered, so the "
                         "assertion would hold vacuously; pass None for every measure")
    return measures


def _ids(value: Any, name: str, who: str) -> tuple[str, ...]:
    """A list of ids given as an argument: one id alone is a list of one (never split into
    its characters); anything else than ids is a TypeError naming the argument."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise TypeError(f"{who}: {name}={value!r}; expected an id or a list of ids")
    items = tuple(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{who}: {name} holds {item!r}; expected ids (text)")
    return items


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"date={value!r}; expected a datetime.date or ISO text YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"date={value!r} is not a date; expected ISO text YYYY-MM-DD") from None


def _hint(word: str, choices: Iterable[str]) -> str:
    from coop_logic.errors import did_you_mean

    return did_you_mean(str(word), list(choices))


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"
