"""Running the installed `coop-logic` command and checking the contract's error shape:
exit 2 (or 1 for a solver limit), nothing on stdout, one message on stderr, no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.helpers import run_cli as run  # noqa: F401 - the runner of these tests

EXE = Path(sys.executable).parent / "coop-logic"

GOOD = textwrap.dedent("""\
    requesting_state: FR
    requested_state: US
    measure: evidence_collection
    date: 2026-06-01
    """)




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
