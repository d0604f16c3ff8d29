"""Typed access to the fields of a parsed mapping, with errors that name file, line, field.

Shared by the spec, party-data and request readers so that every message has one shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from coop_logic.errors import InputError, did_you_mean
from coop_logic.io.documents import Document, FieldPath, render_path

MISSING: Any = object()


class Fields:
    """A mapping at `path` inside `doc`, read field by field."""

    def __init__(
        self,
        doc: Document,
        path: FieldPath,
        error: Callable[..., InputError],
        value: Any = MISSING,
    ) -> None:
        self.doc = doc
        self.path = path
        self.error = error
        self.data = doc.data if value is MISSING else value
        if not isinstance(self.data, dict):
            raise self.fail(path, f"is {_kind(self.data)}", "a mapping")

    def fail(self, path: FieldPath, message: str, expected: str | None = None) -> InputError:
        return self.error(
            message, file=self.doc.name, line=self.doc.line(path),
            field=render_path(path) or None, expected=expected,
        )

    def at(self, key: str | int) -> FieldPath:
        return (*self.path, key)

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                raise self.fail(
                    self.at(str(key)), f"unknown field '{key}'{did_you_mean(str(key), allowed)}",
                    "one of " + ", ".join(allowed),
                )

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        if key not in self.data:
            raise self.fail(self.path, f"missing required field '{key}'",
                            f"a value for '{key}'")
        return self.data[key]

    def str(self, key: str, default: Any = MISSING, *, pattern: str | None = None) -> Any:
        if key not in self.data and default is not MISSING:
            return default
        value = self.raw(key)
        if isinstance(value, bool) and (self.at(key) in self.doc.raw):
            value = self.doc.raw[self.at(key)]  # YAML 1.1 reads NO as false: keep the text
        if not isinstance(value, str) or not value.strip():
            raise self.fail(self.at(key), f"is {_kind(value)}", "a non-empty string")
        if pattern and not re.fullmatch(pattern, value):
            raise self.fail(self.at(key), f"'{value}' is malformed", f"text matching {pattern}")
        return value

    def bool(self, key: str, default: Any = MISSING) -> Any:
        if key not in self.data and default is not MISSING:
            return default
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.fail(self.at(key), f"is {_kind(value)}", "true or false")
        return value

    def date(self, key: str, default: Any = MISSING, *, nullable: bool = False) -> Any:
        if key not in self.data and default is not MISSING:
            return default
        value = self.raw(key)
        if value is None and nullable:
            return None
        return parse_date(value, lambda msg, exp: self.fail(self.at(key), msg, exp))

    def list(self, key: str, default: Any = MISSING) -> Any:
        if key not in self.data and default is not MISSING:
            return default
        value = self.raw(key)
        if not isinstance(value, list):
            raise self.fail(self.at(key), f"is {_kind(value)}", "a list")
        return value

    def sub(self, key: str | int, value: Any) -> Fields:
        return Fields(self.doc, self.at(key), self.error, value)


def parse_date(value: Any, fail: Callable[[str, str], InputError]) -> dt.date:
    expected = "an ISO date YYYY-MM-DD"
    if isinstance(value, dt.datetime):
        raise fail(f"'{value.isoformat()}' is a date-time", expected)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return dt.date.fromisoformat(value)
        except ValueError:
            raise fail(f"'{value}' is not a valid date", expected) from None
        raise fail(f"'{value}' is not a date", expected)
    raise fail(f"is {_kind(value)}", expected)


def _kind(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:60]}'" if value.strip() else "an empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
