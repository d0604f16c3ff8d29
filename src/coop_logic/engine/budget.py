"""The solver budget: how long one request (or one command) may keep the solver busy.

A deadline is set around each unit of work (`solver_budget`); every solver check first
asks `before_check`, which refuses to start once the budget is spent and lowers the z3
timeout of the solver about to run to the time that is left. A check that comes back
`unknown` is turned into an error by `unknown_answer`: a SolverError that says the budget
ran out (never a verdict), or KeyboardInterrupt when z3 reports that Ctrl-C stopped it, so
an interrupt is never mistaken for an answer. Nothing here knows the law or the specs.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import z3
from z3 import z3core

from coop_logic.errors import SolverError

DEFAULT_SECONDS = 60.0  # per request or command, unless COOP_LOGIC_SOLVER_BUDGET says otherwise
CHECK_TIMEOUT_MS = 20_000  # the timeout each solver is built with (compile.SOLVER_TIMEOUT_MS)
_KEYBOARD = "interrupted from keyboard"

_deadline: float | None = None
_seconds: float | None = None
_lowered: dict[int, Any] = {}  # solvers whose timeout was lowered, by id, to restore
_running: Any = None  # the z3 Context of the last check started
_interrupted = False  # a SIGINT has been seen (stop_solver_on_interrupt)
_watcher: threading.Thread | None = None


def default_seconds() -> float:
    """The budget per request or command: COOP_LOGIC_SOLVER_BUDGET (seconds) or 60."""
    text = os.environ.get("COOP_LOGIC_SOLVER_BUDGET", "")
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_SECONDS
    return value if math.isfinite(value) and value > 0 else DEFAULT_SECONDS


@contextmanager
def solver_budget(seconds: float | None = None) -> Iterator[None]:
    """Within the block, solver work stops after `seconds` (default: `default_seconds()`);
    a budget already running that ends earlier stays in force."""
    global _deadline, _seconds
    seconds = default_seconds() if seconds is None else seconds
    outer = (_deadline, _seconds)
    deadline = time.monotonic() + seconds
    if _deadline is None or deadline < _deadline:
        _deadline, _seconds = deadline, seconds
    try:
        yield
    finally:
        _deadline, _seconds = outer
        if _deadline is None:
            _restore()


def before_check(solver: Any, what: str) -> None:
    """Called before each check of `solver` (a z3 Solver or Optimize; None for a check
    made elsewhere with its own timeout): raises SolverError when the budget is spent, and
    keeps the solver's timeout within what is left."""
    global _running
    if _interrupted:  # an interrupt Python lost (raised inside a z3 callback or __del__)
        _take_interrupt()
    if solver is None:
        if _deadline is not None and time.monotonic() >= _deadline:
            raise _spent(what)
        return
    _running = solver.ctx  # for the interrupt watcher
    if _deadline is None:
        if _lowered:
            _restore()
        return
    left_ms = int((_deadline - time.monotonic()) * 1000)
    if left_ms <= 0:
        raise _spent(what)
    if left_ms < CHECK_TIMEOUT_MS:
        solver.set("timeout", left_ms)
        _lowered[id(solver)] = solver
    elif id(solver) in _lowered:
        solver.set("timeout", CHECK_TIMEOUT_MS)
        del _lowered[id(solver)]


def unknown_answer(what: str, reason: str) -> SolverError:
    """The error for a check that z3 left `unknown` (raised by the caller); an interrupt
    (Ctrl-C, which z3 reports as `unknown`) is raised here as KeyboardInterrupt."""
    if _KEYBOARD in reason or _interrupted:
        _take_interrupt()
    if _deadline is not None and time.monotonic() >= _deadline - 0.001:
        return _spent(what)
    return SolverError(f"the solver could not decide {what}: {reason}")


def stop_solver_on_interrupt() -> None:
    """Ctrl-C stops the command at once, as KeyboardInterrupt, and never becomes an
    answer. z3 must not take SIGINT over during a check (it would turn it into `unknown`,
    or lose it when the check ends first), so its own handling is switched off; Python's
    handler then sees every SIGINT, and writes it to a wakeup pipe that a watcher thread
    reads to interrupt the check running at that moment (`before_check` records its
    context). Where SIGINT is ignored (a job started in the background), nothing changes
    but z3's handling, which stays off. Main thread only; once per process."""
    global _watcher
    z3.set_param("ctrl_c", False)
    if _watcher is not None or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    sys.unraisablehook = partial(_unraisable, sys.unraisablehook)
    read, write = os.pipe()
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    _watcher = threading.Thread(target=_watch, args=(read,), name="coop-logic-sigint",
                                daemon=True)
    _watcher.start()


def _unraisable(default: Any, unraisable: Any) -> None:
    """An interrupt raised where Python cannot raise it (inside a z3 callback, which z3
    calls when a check is interrupted) is kept for the next check instead of printed."""
    global _interrupted
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _interrupted = True
        return
    default(unraisable)


def _watch(fd: int) -> None:
    global _interrupted
    while True:
        data = os.read(fd, 64)
        if not data:
            return
        if signal.SIGINT in data:
            _interrupted = True
            ctx = _running
            if ctx is not None:
                z3core.Z3_interrupt(ctx.ref())


def raise_if_interrupted() -> None:
    """Raise KeyboardInterrupt if a SIGINT was seen that Python did not raise (yet); called
    where an error could otherwise hide it (a z3 call failing because it was interrupted)."""
    if _interrupted:
        _take_interrupt()


def _take_interrupt() -> None:
    global _interrupted
    _interrupted = False
    raise KeyboardInterrupt


def _spent(what: str) -> SolverError:
    return SolverError(
        f"the solver budget of {_seconds:g} s ran out before deciding {what} (set "
        f"COOP_LOGIC_SOLVER_BUDGET to allow more seconds, or simplify the specs)")


def _restore() -> None:
    for solver in _lowered.values():
        solver.set("timeout", CHECK_TIMEOUT_MS)
    _lowered.clear()
