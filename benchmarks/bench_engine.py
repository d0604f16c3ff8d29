"""Engine benchmark, run on demand: `python benchmarks/bench_engine.py [--n N] [--json]`.

Measures, in one run on this machine: cold start (a fresh interpreter importing the
package and loading the bundled specs), the full answer (every instrument's verdict with
its proof trace) for fully known requests, the verdicts alone, an undetermined request
(possible statuses and depends_on), and peak memory; with the rule count and the solver
checks per request. Figures are medians and 95th percentiles over N requests after a
warm-up, and each is also given as a ratio to its target, so that they can be compared
across machines. It is never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import coop_logic

TARGETS_MS = {"full_answer": 2.0, "verdicts_only": 0.5, "cold_start": 500.0}
PEAK_MEMORY_TARGET_MB = 150.0

KNOWN_REQUESTS: list[dict[str, Any]] = [
    {"requesting_state": "FR", "requested_state": "US", "measure": "expedited_preservation",
     "offence": {"category": "illegal_access", "max_penalty_years": 5}},
    {"requesting_state": "DE", "requested_state": "FR", "measure": "stored_data_access",
     "offence": {"category": "computer_fraud", "max_penalty_years": 5,
                 "committed_by_computer": True}},
    {"requesting_state": "IT", "requested_state": "ES", "measure": "evidence_collection",
     "offence": {"category": "fraud", "max_penalty_years": 8, "transnational": True,
                 "organized_criminal_group": True, "electronic_evidence": True}},
    {"requesting_state": "JP", "requested_state": "GB", "measure": "traffic_data_disclosure",
     "offence": {"category": "system_interference", "max_penalty_years": 3},
     "facts": {"political_offence": True}},
    {"requesting_state": "US", "requested_state": "CH", "measure": "extradition",
     "offence": {"category": "computer_fraud", "max_penalty_years": 10},
     "facts": {"person_is_national": True}},
    {"requesting_state": "BR", "requested_state": "CA", "measure": "realtime_traffic_collection",
     "offence": {"category": "child_sexual_abuse_material", "max_penalty_years": 10,
                 "committed_by_computer": True}, "facts": {"not_available_domestically": False}},
    {"requesting_state": "CN", "requested_state": "US", "measure": "evidence_collection",
     "offence": {"category": "homicide", "max_penalty_years": 20}},
    {"requesting_state": "MX", "requested_state": "US", "measure": "information_sharing",
     "offence": {"category": "drug_trafficking", "max_penalty_years": 15,
                 "transnational": True, "organized_criminal_group": True}},
]

UNDETERMINED_REQUEST: dict[str, Any] = {
    "requesting_state": "FR", "requested_state": "SE", "measure": "stored_data_access",
    "offence": {"category": "fraud"},
    "facts": {"political_offence": False},
}


def timed(fn: Callable[[], Any], n: int, warmup: int = 20) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered), 4),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 4)}


def cold_start(runs: int = 5) -> list[float]:
    code = "import coop_logic; coop_logic.load()"
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="timed requests per figure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    kb = coop_logic.load()
    known = [coop_logic.Request.from_dict({**r, "date": "2026-06-01"}) for r in KNOWN_REQUESTS]
    undetermined = coop_logic.Request.from_dict({**UNDETERMINED_REQUEST, "date": "2026-06-01"})

    def cycle(fn: Callable[[coop_logic.Request], Any]) -> Callable[[], Any]:
        state = {"i": 0}

        def run() -> Any:
            state["i"] += 1
            return fn(known[state["i"] % len(known)])
        return run

    full = timed(cycle(lambda r: kb.evaluate(r, closed_world=True)), args.n)
    verdicts = timed(cycle(lambda r: kb.evaluate(r, closed_world=True, traces=False)), args.n)
    open_world = timed(lambda: kb.evaluate(undetermined), max(50, args.n // 10))
    checks_full = statistics.mean(kb.evaluate(r, closed_world=True).checks for r in known)
    checks_verdicts = statistics.mean(
        kb.evaluate(r, closed_world=True, traces=False).checks for r in known)
    undetermined_result = kb.evaluate(undetermined)
    cold = cold_start()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    figures = {
        "instruments": len(kb.instruments),
        "rules": kb.compiled.rule_count,
        "full_answer": {**summary(full), "checks_per_request": round(checks_full, 1)},
        "verdicts_only": {**summary(verdicts), "checks_per_request": round(checks_verdicts, 1)},
        "undetermined": {**summary(open_world), "checks_per_request": undetermined_result.checks,
                         "overall_possible": list(undetermined_result.overall.possible)},
        "cold_start": summary(cold),
        "peak_memory_mb": round(peak_mb, 1),
    }
    ratios = {key: round(figures[key]["median_ms"] / target, 3)
              for key, target in TARGETS_MS.items()}
    ratios["peak_memory"] = round(peak_mb / PEAK_MEMORY_TARGET_MB, 3)
    ratios["full_answer_over_verdicts_only"] = round(
        figures["full_answer"]["median_ms"] / figures["verdicts_only"]["median_ms"], 2)
    figures["ratio_to_target"] = ratios
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['instruments']} instruments, {figures['rules']} rules")
    for key in ("full_answer", "verdicts_only", "undetermined", "cold_start"):
        row = figures[key]
        extra = f", {row['checks_per_request']} checks/request" if "checks_per_request" in row else ""
        target = f" (target {TARGETS_MS[key]} ms, ratio {ratios[key]})" if key in ratios else ""
        print(f"{key:15} median {row['median_ms']:8.3f} ms  p95 {row['p95_ms']:8.3f} ms"
              f"{extra}{target}")
    print(f"peak memory     {peak_mb:.1f} MB (target {PEAK_MEMORY_TARGET_MB} MB, "
          f"ratio {ratios['peak_memory']})")


if __name__ == "__main__":
    main()
