"""Spec mutation score: how many small errors in a spec its law tests would catch.

For each bundled instrument, each rule is mutated in turn, one mutation per mutant:

- drop_ground      drop one ground from a grounds or exclusion rule (rules with two or more);
- negate_when      negate the rule's `when` (an absent `when` becomes `false`);
- flip_effect      a duty becomes a discretion and a discretion a duty (overrides that the
                   flip makes illegal, duty over duty, are dropped with it);
- threshold_up/_down  shift a `max_penalty_years` threshold in the rule's `when`, or in a
                   definition, up or down by one;
- drop_override    drop one entry of the rule's `overrides`.

The mutant spec set (a copy of specs/ with the one file changed) is written to a temporary
folder and the instrument's law tests (tests/law/test_<id>.py; test_channels.py for the
three channels; plus test_traces.py for budapest) are run against it through the
COOP_LOGIC_SPEC_DIR environment variable that tests/conftest.py honours, with
`pytest -x -q -p no:cacheprovider`. A mutant is *killed* when a test fails, *survives* when
all pass, *invalid* when the loader rejects it (not counted). Each mutant is also compared
with the original by z3 (status and reported grounds for every request): a surviving mutant
that no request tells apart is *equivalent*, and the adjusted score leaves it out.

    .venv/bin/python scripts/mutation_score.py                 # every instrument, 2 jobs
    .venv/bin/python scripts/mutation_score.py budapest untoc  # some
    .venv/bin/python scripts/mutation_score.py --list          # the mutants, not run

Not part of the default test run: a full run takes tens of minutes.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
LAW = ROOT / "tests" / "law"
CHANNELS = {"comity", "informal", "letters_rogatory"}
PENALTY = re.compile(r"(max_penalty_years\s*(?:>=|<=|>|<)\s*)(\d+(?:\.\d+)?)")


@dataclass
class Mutant:
    instrument: str
    site: str  # the rule id, or definitions.<name>
    operator: str
    detail: str
    data: dict[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        return f"{self.site} {self.operator}" + (f" {self.detail}" if self.detail else "")


def law_tests(inst_id: str) -> list[Path]:
    if inst_id in CHANNELS:
        return [LAW / "test_channels.py"]
    files = [LAW / f"test_{inst_id}.py"]
    if inst_id == "budapest":
        files.append(LAW / "test_traces.py")
    return [f for f in files if f.exists()]


class _Loader(yaml.SafeLoader):
    """YAML with only true/false as Booleans, so that a State code such as NO stays a string
    through the round trip (the package reads those from the raw text; a dump would not)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def read(inst_id: str) -> dict[str, Any]:
    return yaml.load((SPECS / f"{inst_id}.yaml").read_text(encoding="utf-8"), Loader=_Loader)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _shift(text: str, index: int, delta: int) -> str | None:
    """`text` with its index-th penalty threshold shifted by delta, or None if below 0."""
    matches = list(PENALTY.finditer(text))
    m = matches[index]
    value = float(m.group(2)) + delta
    if value < 0:
        return None
    number = str(int(value)) if value == int(value) else str(value)
    return text[:m.start(2)] + number + text[m.end(2):]


def _legal_overrides(rules: list[dict[str, Any]]) -> None:
    """Drop overrides between a duty and a duty (or a discretion and a discretion)."""
    effect = {r["id"]: r["effect"] for r in rules}
    pair = {"duty", "discretion"}
    for r in rules:
        if r["effect"] in pair and r.get("overrides"):
            kept = [t for t in r["overrides"] if effect.get(t) not in pair
                    or {r["effect"], effect[t]} == pair]
            if kept:
                r["overrides"] = kept
            else:
                r.pop("overrides")


def mutants(inst_id: str, data: dict[str, Any]) -> Iterator[Mutant]:
    def variant(site: str, operator: str, detail: str,
                change: Callable[[dict[str, Any]], None]) -> Mutant:
        mutated = copy.deepcopy(data)
        change(mutated)
        return Mutant(inst_id, site, operator, detail, mutated)

    for i, rule in enumerate(data.get("rules", [])):
        rid = rule["id"]
        if rule["effect"] in ("grounds", "exclusion") and len(rule.get("grounds", [])) > 1:
            for g in rule["grounds"]:
                def drop(d: dict[str, Any], i: int = i, g: str = g) -> None:
                    d["rules"][i]["grounds"] = [x for x in d["rules"][i]["grounds"] if x != g]
                yield variant(rid, "drop_ground", g, drop)

        def negate(d: dict[str, Any], i: int = i) -> None:
            when = d["rules"][i].get("when")
            if when is None or when is True:
                d["rules"][i]["when"] = False
            elif when is False:
                d["rules"][i]["when"] = True
            else:
                d["rules"][i]["when"] = f"not ({' '.join(str(when).split())})"
        yield variant(rid, "negate_when", "", negate)

        if rule["effect"] in ("duty", "discretion"):
            other = "discretion" if rule["effect"] == "duty" else "duty"

            def flip(d: dict[str, Any], i: int = i, other: str = other) -> None:
                d["rules"][i]["effect"] = other
                _legal_overrides(d["rules"])
            yield variant(rid, "flip_effect", f"{rule['effect']}->{other}", flip)

        when = rule.get("when")
        if isinstance(when, str):
            for k, m in enumerate(PENALTY.finditer(when)):
                for delta, op in ((1, "threshold_up"), (-1, "threshold_down")):
                    shifted = _shift(when, k, delta)
                    if shifted is None:
                        continue

                    def set_when(d: dict[str, Any], i: int = i, text: str = shifted) -> None:
                        d["rules"][i]["when"] = text
                    yield variant(rid, op, m.group(0).strip(), set_when)

        for target in rule.get("overrides", []) or []:
            def unoverride(d: dict[str, Any], i: int = i, target: str = target) -> None:
                rest = [t for t in d["rules"][i]["overrides"] if t != target]
                if rest:
                    d["rules"][i]["overrides"] = rest
                else:
                    d["rules"][i].pop("overrides")
            yield variant(rid, "drop_override", target, unoverride)

    for name, text in (data.get("definitions") or {}).items():
        if not isinstance(text, str):
            continue
        for k, m in enumerate(PENALTY.finditer(text)):
            for delta, op in ((1, "threshold_up"), (-1, "threshold_down")):
                shifted = _shift(text, k, delta)
                if shifted is None:
                    continue

                def set_def(d: dict[str, Any], name: str = name, text: str = shifted) -> None:
                    d["definitions"][name] = text
                yield variant(f"definitions.{name}", op, m.group(0).strip(), set_def)


# -- validity and equivalence (in process, with the package) --------------------------------------


class Judge:
    """Reads mutants with the package's loader and compares them with the original by z3."""

    def __init__(self) -> None:
        import coop_logic

        self.kb = coop_logic.load(spec_dirs=[SPECS])
        self.party_dirs = (SPECS / "parties",)

    def read(self, mutant: Mutant, folder: Path) -> Any:
        """The mutant instrument, or the loader's error message. The spec's own tests
        (`examples:`) are left out here: a mutant they reject is not ill-formed but caught,
        and the law tests (which load the spec with them) count it as killed."""
        from coop_logic.errors import SpecError
        from coop_logic.spec.instrument_reader import read_spec

        path = folder / f"{mutant.instrument}.yaml"
        data = {k: v for k, v in mutant.data.items() if k != "examples"}
        path.write_text(dump(data), encoding="utf-8")
        try:
            return read_spec(path, self.party_dirs)
        except SpecError as exc:
            return str(exc)

    def equivalent(self, inst: Any) -> bool:
        """No request gets another status, or another reported ground, from the mutant."""
        import z3

        from coop_logic.engine.compile import Encoder, Inputs

        original = self.kb.instruments[inst.id]
        others = {k: v for k, v in self.kb.instruments.items() if k != inst.id}
        inputs = Inputs(z3.Context(), [*others.values(), original, inst])
        old = Encoder(inputs, {**others, inst.id: original}).terms(inst.id)
        new = Encoder(inputs, {**others, inst.id: inst}).terms(inst.id)
        differences = [old.statuses[s] != new.statuses[s] for s in old.statuses]
        false = z3.BoolVal(False, inputs.ctx)
        for g in set(old.grounds) | set(new.grounds):
            reported_old = z3.And(old.applies, old.duty, old.grounds.get(g, false))
            reported_new = z3.And(new.applies, new.duty, new.grounds.get(g, false))
            differences.append(reported_old != reported_new)
        solver = z3.Solver(ctx=inputs.ctx)
        for c in inputs.constraints():
            solver.add(c)
        solver.add(z3.Or(*differences))
        return solver.check() == z3.unsat


# -- running ---------------------------------------------------------------------------------


def run_tests(mutant: Mutant | None, inst_id: str, timeout: int) -> tuple[str, float, str]:
    """Run the instrument's law tests against a copy of specs/ with the mutant in it."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coop-mutant-") as tmp:
        folder = Path(tmp) / "specs"
        shutil.copytree(SPECS, folder)
        if mutant is not None:
            (folder / f"{mutant.instrument}.yaml").write_text(dump(mutant.data), "utf-8")
        env = {**os.environ, "COOP_LOGIC_SPEC_DIR": str(folder)}
        env.pop("COOP_LOGIC_DEBUG", None)
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               *map(str, law_tests(inst_id))]
        try:
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - start, ""
    outcome = {0: "survived", 1: "killed"}.get(proc.returncode, f"error:{proc.returncode}")
    failed = next((line for line in proc.stdout.splitlines() if line.startswith("FAILED")), "")
    return outcome, time.perf_counter() - start, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instruments", nargs="*", help="instrument ids (default: every spec)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run in parallel")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--out", default="/tmp/mutation_results.json", help="JSON results")
    parser.add_argument("--md", default="/tmp/mutation_scores.md", help="Markdown summary")
    args = parser.parse_args(argv)

    ids = args.instruments or sorted(p.stem for p in SPECS.glob("*.yaml"))
    all_mutants = {i: list(mutants(i, read(i))) for i in ids}
    if args.list:
        for i, ms in all_mutants.items():
            for m in ms:
                print(f"{i}: {m.name}")
        print(f"{sum(map(len, all_mutants.values()))} mutants")
        return 0

    judge = Judge()
    results: list[dict[str, Any]] = []
    jobs: list[tuple[Mutant, bool]] = []
    with tempfile.TemporaryDirectory(prefix="coop-judge-") as tmp:
        for i, ms in all_mutants.items():
            for m in ms:
                inst = judge.read(m, Path(tmp))
                if isinstance(inst, str):
                    results.append({"instrument": i, "mutant": m.name, "outcome": "invalid",
                                    "equivalent": None, "seconds": 0.0, "failed": inst})
                    continue
                jobs.append((m, judge.equivalent(inst)))

    baseline = {}
    for i in ids:
        outcome, seconds, failed = run_tests(None, i, args.timeout)
        baseline[i] = outcome
        print(f"baseline {i}: {outcome} ({seconds:.0f}s) {failed}", flush=True)
        if outcome != "survived":
            print(f"the law tests of {i} fail on the unmutated specs; fix them first",
                  file=sys.stderr)
            return 2

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_tests, m, m.instrument, args.timeout): (m, eq)
                   for m, eq in jobs}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            m, eq = futures[future]
            outcome, seconds, failed = future.result()
            results.append({"instrument": m.instrument, "mutant": m.name, "outcome": outcome,
                            "equivalent": eq, "seconds": round(seconds, 1), "failed": failed})
            print(f"[{done}/{len(jobs)}] {m.instrument}: {m.name}: {outcome}"
                  f"{' (equivalent)' if eq else ''} ({seconds:.0f}s)", flush=True)

    Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    Path(args.md).write_text(summary(results, ids), encoding="utf-8")
    print(summary(results, ids))
    return 0


def summary(results: list[dict[str, Any]], ids: list[str]) -> str:
    lines = [f"# Spec mutation scores ({dt.date.today().isoformat()})", "",
             "Mutants per instrument (scripts/mutation_score.py): killed by the instrument's "
             "law tests / valid mutants. *Adjusted* leaves out surviving mutants that z3 shows "
             "equivalent (no request gets another status or reported ground).", "",
             "| instrument | valid | killed | survived | of which equivalent | invalid | score "
             "| adjusted |", "|---|---|---|---|---|---|---|---|"]
    survivors = []
    for i in ids:
        rs = [r for r in results if r["instrument"] == i]
        valid = [r for r in rs if r["outcome"] != "invalid"]
        killed = [r for r in valid if r["outcome"] != "survived"]
        alive = [r for r in valid if r["outcome"] == "survived"]
        equivalent = [r for r in alive if r["equivalent"]]
        score = len(killed) / len(valid) if valid else 1.0
        relevant = len(valid) - len(equivalent)
        adjusted = len(killed) / relevant if relevant else 1.0
        lines.append(f"| {i} | {len(valid)} | {len(killed)} | {len(alive)} | {len(equivalent)} "
                     f"| {len(rs) - len(valid)} | {score:.0%} | {adjusted:.0%} |")
        survivors += [f"- {i}: {r['mutant']}{' (equivalent)' if r['equivalent'] else ''}"
                      for r in alive]
    lines += ["", "An equivalent mutant cannot be killed by any test of verdicts: it is the same law. "
              "The kinds met: an `overrides` entry on a rule that removes a ground (exclusion, "
              "closed list) or on a discretion rule, which wins by default anyway (the entry is "
              "there for the reader); a discretion rule where no duty rule could compete; an "
              "exclusion or closed list that removes only grounds no rule gives, or that another "
              "removing rule already removes; a ground that another rule already gives for the "
              "same measures.",
              "", "## Surviving mutants", "", *(survivors or ["none"]), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
