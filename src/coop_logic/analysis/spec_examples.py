"""Running the tests inside spec files (`examples:`) and reporting rule coverage.

Each example names a request and the verdict its instrument must give (docs/spec-language.md,
"Examples"). `run_examples` evaluates every example through the engine, as `check` would, and
reports, per example, whether the verdict met the expectation (with the actual verdict and
its proof trace when not), and, per instrument, which rules some example exercises: a rule
appears in some example's proof trace, or some example names it in `illustrates`.

`coop-logic test` (cli/commands/test.py) prints this report; the pytest plugin can run each example
as a test item through `example_ids` and `assert_example`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from coop_logic.errors import CoopLogicError
from coop_logic.model.instrument import Example, Instrument

if TYPE_CHECKING:
    from coop_logic.engine.knowledge_base import KnowledgeBase
    from coop_logic.model.result import Result, Verdict


@attrs.frozen
class ExampleOutcome:
    """One example, run."""

    instrument: str
    example: Example
    passed: bool
    problems: tuple[str, ...] = ()  # what did not match, one line each
    status: str = ""
    possible: tuple[str, ...] = ()
    grounds: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()  # the rules of the instrument in the proof trace
    trace: str = ""  # the proof trace as text, kept on failure only
    error: str | None = None  # the example could not be evaluated

    @property
    def traces_illustrated(self) -> bool:
        """Whether the rule the example names in `illustrates` is in its proof trace."""
        return self.example.illustrates in self.cited

    def to_dict(self) -> dict[str, Any]:
        ex = self.example
        out: dict[str, Any] = {
            "id": ex.id, "instrument": self.instrument, "illustrates": ex.illustrates,
            "passed": self.passed, "file": ex.request.source, "line": ex.line,
            "expected": _expected_dict(ex),
            "actual": {"status": self.status, "possible": list(self.possible),
                       "grounds": list(self.grounds), "depends_on": list(self.depends_on)},
            "cited": list(self.cited),
            "traces_illustrated": self.traces_illustrated,
        }
        if not self.passed:
            out["problems"] = list(self.problems)
            out["trace"] = self.trace
        if self.error is not None:
            out["error"] = self.error
        return out


@attrs.frozen
class Coverage:
    """Which rules of one instrument its examples exercise."""

    instrument: str
    file: str
    rules: tuple[str, ...]
    exercised: tuple[str, ...]
    traced: tuple[str, ...]  # the exercised rules that some example's proof trace cites
    examples: int

    @property
    def unexercised(self) -> tuple[str, ...]:
        done = set(self.exercised)
        return tuple(r for r in self.rules if r not in done)

    def to_dict(self) -> dict[str, Any]:
        return {"instrument": self.instrument, "file": self.file, "examples": self.examples,
                "rules": len(self.rules), "exercised": len(self.exercised),
                "traced": len(self.traced), "unexercised": list(self.unexercised)}


@attrs.frozen
class ExampleReport:
    outcomes: tuple[ExampleOutcome, ...]
    coverage: tuple[Coverage, ...]

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def failed(self) -> int:
        return len(self.outcomes) - self.passed

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def failures(self) -> tuple[ExampleOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.passed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "examples": len(self.outcomes), "passed": self.passed, "failed": self.failed,
            "results": [o.to_dict() for o in self.outcomes],
            "coverage": {c.instrument: c.to_dict() for c in self.coverage},
        }


def iter_examples(kb: KnowledgeBase,
                  instruments: Iterable[str] | None = None) -> Iterator[tuple[Instrument, Example]]:
    """Every example of the chosen instruments (default: all loaded), in file order."""
    for inst in _instruments(kb, instruments):
        for example in inst.examples:
            yield inst, example


def run_example(kb: KnowledgeBase, instrument: Instrument | str, example: Example) -> ExampleOutcome:
    """Evaluate one example and compare the verdict with its expectation."""
    inst = kb.instruments[instrument] if isinstance(instrument, str) else instrument
    try:
        result = kb.evaluate(example.request, closed_world=example.closed_world,
                             instruments=[inst.id])
    except CoopLogicError as exc:
        return ExampleOutcome(inst.id, example, False, (f"could not be evaluated: {exc}",),
                              error=str(exc))
    verdict = result[inst.id]
    problems = _problems(example, verdict)
    rule_ids = {r.id for r in inst.rules}
    cited = tuple(dict.fromkeys(step.id for step in verdict.trace
                                if step.kind == "provision" and step.id in rule_ids))
    return ExampleOutcome(
        inst.id, example, not problems, tuple(problems), verdict.status, verdict.possible,
        verdict.grounds, verdict.depends_on, cited,
        trace=_trace_text(result, inst.id) if problems else "",
    )


def run_examples(kb: KnowledgeBase, instruments: Iterable[str] | None = None) -> ExampleReport:
    """Run the examples of the chosen instruments (default: every loaded one) and report
    each outcome and, per instrument, the rules the examples exercise."""
    chosen = _instruments(kb, instruments)
    outcomes: list[ExampleOutcome] = []
    coverage: list[Coverage] = []
    for inst in chosen:
        mine = [run_example(kb, inst, example) for example in inst.examples]
        outcomes += mine
        traced = {rule for o in mine for rule in o.cited}
        named = {o.example.illustrates for o in mine}
        rules = tuple(r.id for r in inst.rules)
        coverage.append(Coverage(
            inst.id, inst.file, rules,
            exercised=tuple(r for r in rules if r in traced or r in named),
            traced=tuple(r for r in rules if r in traced),
            examples=len(mine),
        ))
    return ExampleReport(tuple(outcomes), tuple(coverage))


# -- for the pytest plugin ----------------------------------------------------------------------


def instruments_in(kb: KnowledgeBase, paths: Iterable[str | Path]) -> list[str]:
    """The ids of the loaded instruments read from these spec files or folders."""
    from coop_logic.engine.knowledge_base import spec_files

    wanted = {p.resolve() for p in spec_files(paths)}
    return [i for i, inst in kb.instruments.items() if Path(inst.file).resolve() in wanted]


def example_ids(kb: KnowledgeBase, instruments: Iterable[str] | None = None) -> list[str]:
    """The ids of every example of the chosen instruments, for one test item each."""
    return [example.id for _, example in iter_examples(kb, instruments)]


def find_example(kb: KnowledgeBase, example_id: str) -> tuple[Instrument, Example]:
    """The example of that id, with its instrument; KeyError when none is loaded."""
    for inst, example in iter_examples(kb):
        if example.id == example_id:
            return inst, example
    raise KeyError(example_id)


def assert_example(kb: KnowledgeBase, example: str | Example) -> ExampleOutcome:
    """Run one example (by id, or the record); raise AssertionError with the expectation,
    the actual verdict and its proof trace when the verdict does not meet it."""
    __tracebackhide__ = True
    if isinstance(example, str):
        inst, record = find_example(kb, example)
    else:
        inst = next(i for i, e in iter_examples(kb) if e is example or e == example)
        record = example
    outcome = run_example(kb, inst, record)
    if not outcome.passed:
        raise AssertionError(failure_text(outcome))
    return outcome


def failure_text(outcome: ExampleOutcome) -> str:
    """A failed example for people: where it is, what it expected, what it got, and why."""
    ex = outcome.example
    req = ex.request
    where = f"{ex.request.source}:{ex.line}" if ex.line else ex.request.source
    lines = [
        f"example {ex.id} ({where}) illustrating {ex.illustrates}:",
        f"  {outcome.instrument} on {req.requesting_state} -> {req.requested_state}, "
        f"{req.measure}, {req.date.isoformat()}{' (closed world)' if ex.closed_world else ''}",
    ]
    if ex.summary:
        lines.append(f"  {ex.summary}")
    lines += [f"  {p}" for p in outcome.problems]
    if outcome.error is None:
        lines.append(f"  actual verdict: status={outcome.status} "
                     f"possible={_list(outcome.possible)} grounds={_list(outcome.grounds)} "
                     f"depends_on={_list(outcome.depends_on)}")
    if outcome.trace:
        lines += ["  proof trace:", *("    " + t if t else "" for t in outcome.trace.splitlines())]
    return "\n".join(lines)


# -- helpers --------------------------------------------------------------------------------


def _instruments(kb: KnowledgeBase, instruments: Iterable[str] | None) -> list[Instrument]:
    if instruments is None:
        return list(kb.instruments.values())
    chosen = []
    for inst_id in instruments:
        if inst_id not in kb.instruments:
            from coop_logic.errors import did_you_mean

            raise ValueError(f"instrument '{inst_id}' is not loaded"
                             f"{did_you_mean(inst_id, kb.instruments)}")
        chosen.append(kb.instruments[inst_id])
    return chosen


def _problems(example: Example, verdict: Verdict) -> list[str]:
    expect = example.expect
    problems = []
    if verdict.status != expect.status:
        problems.append(f"status is {verdict.status}, expected {expect.status}")
    for name in ("grounds", "possible", "depends_on"):
        wanted = getattr(expect, name)
        actual = getattr(verdict, name)
        if wanted is not None and set(actual) != set(wanted):
            problems.append(f"{name} is {_list(actual)}, expected {_list(wanted)}")
    return problems


def _trace_text(result: Result, instrument: str) -> str:
    return result.explain(instrument).rstrip()


def _expected_dict(example: Example) -> dict[str, Any]:
    expect = example.expect
    out: dict[str, Any] = {"status": expect.status}
    for name in ("grounds", "possible", "depends_on"):
        value = getattr(expect, name)
        if value is not None:
            out[name] = list(value)
    return out


def _list(values: Iterable[str]) -> str:
    return "[" + ", ".join(values) + "]"
