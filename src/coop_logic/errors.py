"""The documented error types. Every bad input becomes one of these, never a traceback.

Each error carries where the problem is (file, line when known, field) and what was
expected, so a message can be acted on. This module must not import the rest of the package.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

MAX_MESSAGE_CHARS = 1000  # a message quotes at most this much of what the user wrote
MAX_NAME_CHARS = 300  # and at most this much of a file name or field path
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def shown(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` made safe to print in a message: control characters, line breaks and lone
    surrogates escaped (so a message stays one line of valid UTF-8), and cut to `limit`
    characters with a note of how much was left out."""
    text = str(text)
    cut = len(text) - limit
    if cut > 0:
        text = text[:limit]
    text = _UNPRINTABLE.sub(_escape, text)
    if cut > 0:
        text += f"... ({cut} more characters)"
    return text


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
        """The message: every part escaped and cut (`shown`), so it is one printable line."""
        parts = []
        if self.file:
            parts.append(shown(self.file, MAX_NAME_CHARS)
                         + (f":{self.line}" if self.line is not None else ""))
        if self.field:
            parts.append(f"field '{shown(self.field, MAX_NAME_CHARS)}'")
        text = ": ".join(parts) + f": {shown(self.detail)}"
        if self.expected:
            text += f" (expected {shown(self.expected)})"
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
