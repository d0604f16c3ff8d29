"""Running the installed `coop-logic` command and checking the contract's error shape:
exit 2 (or 1 for a solver limit), nothing on stdout, one message on stderr, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

EXE = Path(sys.executable).parent / "coop-logic"

GOOD = textwrap.dedent("""\
    requesting_state: FR
    requested_state: US
    measure: evidence_collection
    date: 2026-06-01
    """)


def run(*args: str | Path, timeout: float = 60, stdin: str | None = None,
        cwd: Path | None = None, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if k != "COOP_LOGIC_DEBUG"}, **(env or {})}
    env["COLUMNS"] = "200"
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False, input=stdin, cwd=cwd,
                          encoding="utf-8", errors="strict")


def assert_refused(proc: subprocess.CompletedProcess[str], *words: str, code: int = 2) -> str:
    """The exit code, empty stdout, a one-line message on stderr holding every word."""
    assert proc.returncode == code, (proc.returncode, proc.stdout[:500], proc.stderr[:2000])
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr
    message = proc.stderr.strip()
    assert message, "no message on stderr"
    for word in words:
        assert word in message, (word, message)
    return message
