"""Engine benchmark, run on demand: `python benchmarks/bench_engine.py [--n N] [--map] [--batch]`.

Measures side by side, in one run on this machine and on the same requests:

- the full answer (every instrument's verdict with its proof trace) on distinct requests,
  closed world and with a fifth of the facts unknown (random mix over 20 States, every
  measure and category, dates 2019-2026);
- the verdicts alone on the same requests;
- repeated requests (the answer memo warm);
- the plain-Python reference evaluator (`coop_logic.analysis.reference_evaluator`) on the same requests, the
  yardstick of the ratio "full answer / reference";
- cold start (a fresh interpreter importing the package and loading the bundled specs,
  the parse cache warm: the first start after an install or a spec change parses);
- `coop-logic verify` on the bundled specs;
- with `--map`: `coop-logic map --states un` for one measure, closed and open world,
  picture included;
- with `--batch`: `coop-logic batch --jobs 2` on 20,000 generated lines over 28 States,
  closed and open world;
- peak memory of this process (and of the map and batch runs).

Every figure is printed with its target and its ratio to the target (below 1: met), so
that runs compare across machines. It is never part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import coop_logic
from coop_logic.analysis.reference_evaluator import reference_evaluate
from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS

HERE = Path(__file__).resolve().parent
EXE = Path(sys.executable).parent / "coop-logic"
STATES = ("FR", "DE", "IT", "US", "CH", "NO", "GB", "RU", "BR", "AU", "JP", "UA", "AT", "PT",
          "SN", "EG", "CN", "MX", "CA", "NG")
DATES = [f"{y}-{m:02d}-15" for y in range(2019, 2027) for m in (1, 4, 7, 10)]

# Targets (2 cores); ms unless said otherwise.
TARGETS = {
    "full_answer_closed": 1.0, "full_answer_open": 1.0, "verdicts_only": 0.2,
    "repeated": 0.1, "full_over_reference": 1.0, "cold_start": 300.0,
    "map_closed_s": 3.0, "map_open_s": 10.0, "peak_memory_mb": 150.0,
    "batch_closed_per_s": 5000.0, "batch_open_per_s": 1000.0, "verify_s": 5.0,
}
HIGHER_IS_BETTER = {"batch_closed_per_s", "batch_open_per_s"}


def random_request(rng: random.Random, unknown: float) -> dict[str, Any]:
    """A request over the 20 States; every field given, except a fraction `unknown` of the
    facts and offence flags (the open-world mix)."""
    a, b = rng.sample(STATES, 2)
    offence: dict[str, Any] = {"category": rng.choice(CATEGORIES),
                               "max_penalty_years": rng.choice((0.5, 1, 2, 3, 4, 5, 10, 20))}
    for flag in OFFENCE_FLAGS:
        if rng.random() >= unknown:
            offence[flag] = rng.random() < 0.5
    facts = {f: rng.random() < 0.08 for f in FACTS if rng.random() >= unknown}
    return {"requesting_state": a, "requested_state": b, "measure": rng.choice(MEASURES),
            "date": rng.choice(DATES), "offence": offence, "facts": facts}


def per_request_ms(fn: Callable[[Any], Any], items: list[Any]) -> list[float]:
    samples = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median(samples: list[float]) -> float:
    return round(statistics.median(samples), 4)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[int(0.95 * (len(ordered) - 1))], 4)


def cold_start(runs: int = 5) -> list[float]:
    """Fresh interpreters importing the package and loading the bundled specs, after one
    start that writes what an installed package has (bytecode, which `pip install`
    compiles, even where PYTHONDONTWRITEBYTECODE is set here; the parse cache)."""
    code = "import coop_logic; coop_logic.load()"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def timed_command(args: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and peak resident memory (MB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(before, after) / 1024


def fresh_kb() -> coop_logic.KnowledgeBase:
    """A knowledge base with empty memos. The one the previous figure used is collected
    first: its engine and the evaluators built for it refer to each other, so only the
    cycle collector frees them, at a time of its choosing; the peak memory is then that of
    one knowledge base at a time, as in a process that loads one."""
    gc.collect()
    return coop_logic.load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="distinct requests per figure")
    parser.add_argument("--map", action="store_true", help="also time the all-pairs map")
    parser.add_argument("--batch", action="store_true", help="also time batch --jobs 2")
    parser.add_argument("--batch-lines", type=int, default=20000,
                        help="lines per batch run (default 20,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    rng = random.Random(2026)
    closed = [coop_logic.Request.from_dict(random_request(rng, 0.0)) for _ in range(args.n)]
    opened = [coop_logic.Request.from_dict(random_request(rng, 0.2)) for _ in range(args.n)]

    kb = fresh_kb()  # each figure on distinct requests starts from an empty memo
    full_closed = per_request_ms(lambda r: kb.evaluate(r, closed_world=True), closed)
    kb = fresh_kb()
    full_open = per_request_ms(lambda r: kb.evaluate(r), opened)
    kb = fresh_kb()
    verdicts = per_request_ms(lambda r: kb.evaluate(r, closed_world=True, traces=False), closed)
    kb = fresh_kb()
    per_request_ms(lambda r: kb.evaluate(r, closed_world=True), closed)  # fills the memo
    repeated = per_request_ms(lambda r: kb.evaluate(r, closed_world=True), closed)
    kb = fresh_kb()
    subset = closed[: max(50, args.n // 5)]
    full_subset = per_request_ms(lambda r: kb.evaluate(r, closed_world=True), subset)
    instruments = kb.instruments
    reference = per_request_ms(
        lambda r: reference_evaluate(instruments, r, list(instruments), closed_world=True), subset)
    cold = cold_start()
    verify_seconds, _ = timed_command([str(EXE), "verify"])

    figures: dict[str, float] = {
        "full_answer_closed": median(full_closed),
        "full_answer_open": median(full_open),
        "verdicts_only": median(verdicts),
        "repeated": median(repeated),
        "full_over_reference": round(median(full_subset) / median(reference), 3),
        "cold_start": median(cold),
        "verify_s": round(verify_seconds, 2),
    }
    extra = {
        "full_answer_closed_p95": p95(full_closed), "full_answer_open_p95": p95(full_open),
        "reference_ms": median(reference), "instruments": len(kb.instruments),
        "rules": kb.compiled.rule_count,
    }
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.map:
        with tempfile.TemporaryDirectory() as tmp:
            for world, flag in (("closed", ["--closed-world"]), ("open", [])):
                seconds, mb = timed_command([str(EXE), "map", "--measure", "stored_data_access",
                                             "--states", "un", "--date", "2026-06-01",
                                             "-o", f"{tmp}/map-{world}",
                                             "--format", "csv,json,png", *flag])
                figures[f"map_{world}_s"] = round(seconds, 2)
                peak = max(peak, mb)
    if args.batch:
        with tempfile.TemporaryDirectory() as tmp:
            for world, share in (("closed", "0"), ("open", "0.8")):
                lines = Path(tmp) / f"{world}.jsonl"
                subprocess.run([sys.executable, str(HERE / "make_batch.py"), str(args.batch_lines),
                                "--states", "28", "--open", share, "--seed", "7",
                                "-o", str(lines)], check=True)
                flag = ["--closed-world"] if world == "closed" else []
                seconds, mb = timed_command([str(EXE), "batch", str(lines), "--jobs", "2",
                                             "-o", f"{tmp}/{world}.out", *flag])
                figures[f"batch_{world}_per_s"] = round(args.batch_lines / seconds, 1)
                peak = max(peak, mb)
    figures["peak_memory_mb"] = round(peak, 1)

    ratios = {}
    for key, value in figures.items():
        target = TARGETS[key]
        ratios[key] = round(target / value if key in HIGHER_IS_BETTER else value / target, 3)
    if args.json:
        print(json.dumps({"figures": figures, "ratio_to_target": ratios, **extra}, indent=2))
        return
    print(f"{extra['instruments']} instruments, {extra['rules']} rules, "
          f"{args.n} distinct requests per figure")
    for key, value in figures.items():
        met = "met" if ratios[key] <= 1 else "missed"
        print(f"{key:22} {value:>10}   target {TARGETS[key]:>8}   ratio {ratios[key]:>6}  {met}")
    print(f"p95 full answer: closed {extra['full_answer_closed_p95']} ms, "
          f"open {extra['full_answer_open_p95']} ms; reference {extra['reference_ms']} ms")


if __name__ == "__main__":
    main()
