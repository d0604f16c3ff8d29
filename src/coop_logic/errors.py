"""The documented error types. Every bad input becomes one of these, never a traceback.

Each error carries where the problem is (file, line when known, field) and what was
expected, so a message can be acted on. This module must not import the rest of the package.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class CoopLogicError(Exception):
    """Base of every error coop_logic raises on purpose."""


class InputError(CoopLogicError):
    """A problem in something a user wrote: a request, a spec or a party-data file."""

    kind = "input"

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.expected = expected
        self.detail = message
        super().__init__(self.render())

    def render(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        if self.field:
            parts.append(f"field '{self.field}'")
        text = ": ".join(parts) + f": {self.detail}"
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class RequestError(InputError):
    """A request that does not follow the contract's request format."""

    kind = "request"


class SpecError(InputError):
    """A spec or party-data file that does not follow the spec language."""

    kind = "spec"


class DeprecatedInputWarning(FutureWarning):
    """An input that still works but uses a deprecated id (shown by default, as FutureWarning)."""


class SolverError(CoopLogicError):
    """The solver answered `unknown` (or failed): reported, never read as sat or unsat."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean X?)' suffix for an unknown id, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
