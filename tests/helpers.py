"""What tests share: building requests, reading traces, and the one CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

EXE = Path(sys.executable).parent / "coop-logic"


def run_on_terminal(*args: str | Path, terminal: str = "stdout", timeout: float = 600,
                    columns: int = 120) -> tuple[int, str, str]:
    """`coop-logic ARGS` with `terminal` ("stdout" or "stderr") on a pseudo-terminal of
    `columns` columns, the other stream piped: (exit code, what the terminal showed, what
    the pipe got). The terminal is drained while the command writes, so it never blocks."""
    import pty
    import threading

    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in {"COOP_LOGIC_DEBUG", "NO_COLOR"}}
    env.update(COLUMNS=str(columns), LINES="50", TERM="xterm-256color")
    streams = ({"stdout": secondary, "stderr": subprocess.PIPE} if terminal == "stdout"
               else {"stdout": subprocess.PIPE, "stderr": secondary})
    proc = subprocess.Popen([str(EXE), *map(str, args)], env=env, **streams)
    os.close(secondary)
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:  # the terminal is closed once the command has exited
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read)
    reader.start()
    out, err = proc.communicate(timeout=timeout)
    reader.join(timeout=30)
    os.close(primary)
    piped = (err if terminal == "stdout" else out) or b""
    return proc.returncode, b"".join(chunks).decode("utf-8"), piped.decode("utf-8")


def run_cli(*args: str | Path, timeout: float = 300, stdin: str | None = None,
            cwd: Path | None = None, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """`coop-logic ARGS` through the installed entry point, as a user runs it: stdout,
    stderr and the exit code, with COOP_LOGIC_DEBUG unset and a wide terminal (COLUMNS=200)
    so that a table is not folded."""
    env = {**{k: v for k, v in os.environ.items() if k != "COOP_LOGIC_DEBUG"}, **(env or {})}
    env.setdefault("COLUMNS", "200")
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False, input=stdin, cwd=cwd,
                          encoding="utf-8", errors="strict")


def make_request(
    requesting: str = "FR",
    requested: str = "US",
    measure: str = "expedited_preservation",
    date: str = "2026-06-01",
    offence: dict[str, Any] | None = None,
    facts: dict[str, bool] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A request mapping in the contract's format (absent facts stay unknown)."""
    request: dict[str, Any] = {
        "requesting_state": requesting,
        "requested_state": requested,
        "measure": measure,
        "date": date,
    }
    if offence is not None:
        request["offence"] = offence
    if facts is not None:
        request["facts"] = facts
    request.update(extra)
    return request


def ids(verdict: Any) -> set[str]:
    """The ids of a verdict's trace steps (provisions, facts, party data)."""
    return {step.id for step in verdict.trace}


def step(verdict: Any, step_id: str) -> Any:
    """The trace step with that id (the test fails, naming the trace, when it is absent)."""
    matches = [s for s in verdict.trace if s.id == step_id]
    assert matches, f"{step_id} not in trace {sorted(ids(verdict))}"
    return matches[0]


MLAT_FR_US = """\
spec_version: 1
id: mlat_fr_us
title: Test treaty on mutual legal assistance between France and the United States
short_title: FR-US MLAT (test fixture)
adopted: 1998-12-10
entry_into_force: 2001-12-01
sources:
  - {url: https://example.org/mlat-fr-us, note: Test fixture (not a real treaty).}
parties:
  as_of: 2026-01-01
  completeness: complete
  sources: [{url: https://example.org/mlat-fr-us, note: Test fixture.}]
  parties:
    - {state: FR, name: France, in_force: 2001-12-01}
    - {state: US, name: United States, in_force: 2001-12-01}
tags: [mla_treaty]
rules:
  - id: mlat_fr_us.art1
    cite: FR-US MLAT, Art. 1
    summary: Covers assistance in criminal matters.
    source: https://example.org/mlat-fr-us
    text_verified: true
    effect: scope
    measures: [evidence_collection, stored_data_access]
  - id: mlat_fr_us.art1.1
    cite: FR-US MLAT, Art. 1(1)
    summary: The Parties must assist each other.
    source: https://example.org/mlat-fr-us
    text_verified: true
    effect: duty
    measures: all
"""


# The opening of a small bilateral spec (inline party data) that tests complete with rules.
US_FR_TREATY_HEADER = """\
spec_version: 1
id: mlat_us_fr
title: Treaty on Mutual Legal Assistance in Criminal Matters between the US and France
short_title: US-FR MLAT
adopted: 1998-12-10
entry_into_force: 2001-12-01
sources:
  - {url: https://example.org/treaty, note: Official text.}
parties:
  as_of: 2026-01-01
  completeness: complete
  sources: [{url: https://example.org/treaty, note: Both States ratified in 2001.}]
  parties:
    - {state: US, name: United States, in_force: 2001-12-01}
    - {state: FR, name: France, in_force: 2001-12-01}
tags: [mla_treaty]
"""


# The one builder of spec text for tests: the US-FR treaty header above, its scope rule,
# and rules built by `rule_text`, put together by `spec_text`.
SCOPE_RULE = """\
  - id: mlat_us_fr.art1
    cite: US-FR MLAT, Art. 1
    summary: Covers assistance in criminal matters.
    source: https://example.org/treaty
    text_verified: false
    effect: scope
    measures: [evidence_collection]
"""


def rule_text(n: int, when: str = "true", effect: str = "duty", *,
              rule_id: str | None = None, measures: str = "[evidence_collection]",
              extra: str = "") -> str:
    """One rule of the US-FR test treaty (article `n`), `extra` lines appended."""
    return (f"  - id: {rule_id or f'mlat_us_fr.art{n}'}\n    cite: US-FR MLAT, Art. {n}\n"
            f"    summary: Rule {n}.\n    source: https://example.org/treaty\n"
            f"    text_verified: false\n    effect: {effect}\n"
            f"    measures: {measures}\n    when: \"{when}\"\n" + extra)


def spec_text(rules: list[str], definitions: dict[str, str] | None = None, *,
              header: str = US_FR_TREATY_HEADER, scope: str = SCOPE_RULE) -> str:
    """A whole spec: `header`, the `definitions`, then the scope rule and `rules`."""
    text = header
    if definitions:
        text += "definitions:\n" + "".join(f"  {k}: \"{v}\"\n" for k, v in definitions.items())
    return text + "rules:\n" + scope + "".join(rules)
