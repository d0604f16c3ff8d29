"""The condition language of spec files: its syntax tree and its parser.

A condition is parsed by a recursive-descent parser over a small token set (never
`eval`); names are checked against the vocabulary as they are read, and definitions are
expanded in place. The grammar is in docs/spec-language.md. This module knows nothing of
z3 or of files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from coop_logic.vocabulary import CATEGORIES, FACTS, MEASURES, OFFENCE_FLAGS, STATUSES


class ConditionError(Exception):
    """A syntax or name error in a condition, at a 0-based column."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@attrs.frozen
class Const:
    value: bool


@attrs.frozen
class Flag:
    """A Boolean request input: a fact (section 6) or an offence flag."""

    name: str


@attrs.frozen
class CategoryIn:
    values: frozenset[str]


@attrs.frozen
class MeasureIn:
    values: frozenset[str]


@attrs.frozen
class Penalty:
    """`max_penalty_years OP threshold`, with OP one of >=, >, <=, <."""

    op: str
    threshold: float


@attrs.frozen
class Bound:
    instrument: str


@attrs.frozen
class BoundAny:
    tag: str


@attrs.frozen
class Reservation:
    id: str


@attrs.frozen
class Protocol:
    """Both States are bound by a protocol listed in the instrument's party data."""

    name: str


@attrs.frozen
class StatusIs:
    """In a property: the verdict of an instrument (None: the spec's own) is `status`."""

    instrument: str | None
    status: str


@attrs.frozen
class GroundIs:
    """In a property: `ground` is available and established under an instrument (with
    `obligatory`, also given by a rule that says assistance "shall be refused" on it)."""

    instrument: str | None
    ground: str
    obligatory: bool = False


@attrs.frozen
class Not:
    arg: Condition


@attrs.frozen
class And:
    args: tuple[Condition, ...]


@attrs.frozen
class Or:
    args: tuple[Condition, ...]


Condition = (
    Const | Flag | CategoryIn | MeasureIn | Penalty | Bound | BoundAny | Reservation | Protocol
    | StatusIs | GroundIs | Not | And | Or
)

TRUE = Const(True)
FALSE = Const(False)

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>>=|<=|>|<|[(){},]))"
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false"}
_ID = re.compile(r"[a-z][a-z0-9_]*")


@attrs.frozen
class _Token:
    kind: str
    text: str
    column: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            column = pos + len(text[pos:]) - len(text[pos:].lstrip())
            raise ConditionError(f"unexpected character {text[column]!r}", column)
        kind = match.lastgroup or "op"
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


MAX_NESTING = 100  # parentheses and `not`s open at once in one condition's text
MAX_DEPTH = 200  # nesting of a condition with its definitions expanded
MAX_SIZE = 5_000  # nodes of a condition with its definitions expanded
MAX_PENALTY_YEARS = 10_000  # a request's largest penalty (life), hence the largest threshold


class _Parser:
    def __init__(
        self, text: str, definitions: Mapping[str, Condition], reservations: frozenset[str],
        verdicts: bool,
    ) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0
        self.nesting = 0
        self.definitions = definitions
        self.reservations = reservations
        self.verdicts = verdicts

    @property
    def current(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, text: str, what: str) -> _Token:
        token = self.take()
        if token.text != text:
            found = repr(token.text) if token.text else "the end"
            raise ConditionError(f"expected {what}, found {found}", token.column)
        return token

    def parse(self) -> Condition:
        result = self.disjunction()
        if self.current.kind != "end":
            raise ConditionError(
                f"unexpected {self.current.text!r} (missing 'and' or 'or'?)", self.current.column
            )
        return result

    def disjunction(self) -> Condition:
        args = [self.conjunction()]
        while self.current.text == "or":
            self.take()
            args.append(self.conjunction())
        return args[0] if len(args) == 1 else Or(tuple(args))

    def conjunction(self) -> Condition:
        args = [self.negation()]
        while self.current.text == "and":
            self.take()
            args.append(self.negation())
        return args[0] if len(args) == 1 else And(tuple(args))

    def negation(self) -> Condition:
        if self.current.text == "not":
            self.enter(self.take())
            inner = self.negation()
            self.nesting -= 1
            return Not(inner)
        return self.atom()

    def enter(self, token: _Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ConditionError(f"the condition nests more than {MAX_NESTING} levels "
                                 "(parentheses and 'not')", token.column)

    def atom(self) -> Condition:
        token = self.take()
        if token.text == "(":
            self.enter(token)
            inner = self.disjunction()
            self.expect(")", "')'")
            self.nesting -= 1
            return inner
        if token.kind == "end":
            raise ConditionError("the condition ends too early", token.column)
        if token.kind != "name" or token.text in {"and", "or", "in"}:
            raise ConditionError(f"unexpected {token.text!r}", token.column)
        name = token.text
        if name == "true":
            return TRUE
        if name == "false":
            return FALSE
        if name == "category":
            return CategoryIn(self.id_set("category", CATEGORIES))
        if name == "measure":
            return MeasureIn(self.id_set("measure", MEASURES))
        if name == "max_penalty_years":
            return self.penalty()
        if name in {"bound", "bound_any", "reservation", "protocol"}:
            return self.call(name, token)
        if name in {"status", "ground", "obligatory"}:
            if not self.verdicts:
                raise ConditionError(f"{name}(...) is only allowed in properties", token.column)
            return self.verdict_call(name)
        if name in FACTS or name in OFFENCE_FLAGS:
            return Flag(name)
        if name in self.definitions:
            return self.definitions[name]
        known = [*FACTS, *OFFENCE_FLAGS, *self.definitions]
        from coop_logic.errors import did_you_mean

        raise ConditionError(f"unknown name '{name}'{did_you_mean(name, known)}", token.column)

    def id_set(self, field: str, allowed: tuple[str, ...]) -> frozenset[str]:
        self.expect("in", f"'in' after '{field}'")
        self.expect("{", "'{'")
        values: set[str] = set()
        while True:
            token = self.take()
            if token.kind != "name":
                raise ConditionError(f"expected a {field} id, found {token.text!r}", token.column)
            if token.text not in allowed:
                from coop_logic.errors import did_you_mean

                raise ConditionError(
                    f"unknown {field} '{token.text}'{did_you_mean(token.text, allowed)}",
                    token.column,
                )
            values.add(token.text)
            if self.current.text == ",":
                self.take()
                continue
            self.expect("}", "',' or '}'")
            return frozenset(values)

    def penalty(self) -> Condition:
        op = self.take()
        if op.text not in {">=", ">", "<=", "<"}:
            raise ConditionError(
                f"expected a comparison (>=, >, <=, <) after max_penalty_years, found {op.text!r}",
                op.column,
            )
        number = self.take()
        if number.kind != "num":
            raise ConditionError(f"expected a number, found {number.text!r}", number.column)
        value = float(number.text)
        if not value <= MAX_PENALTY_YEARS:  # also a number too long to be finite
            raise ConditionError(f"the threshold {number.text[:20]}"
                                 f"{'...' if len(number.text) > 20 else ''} is more than "
                                 f"{MAX_PENALTY_YEARS} years (life)", number.column)
        return Penalty(op.text, value)

    def verdict_call(self, name: str) -> Condition:
        self.expect("(", f"'(' after {name}")
        args = [self.take()]
        if self.current.text == ",":
            self.take()
            args.append(self.take())
        self.expect(")", "')'")
        for arg in args:
            if arg.kind != "name" or not _ID.fullmatch(arg.text):
                raise ConditionError(f"expected an id in {name}(...)", arg.column)
        instrument = args[0].text if len(args) == 2 else None
        value = args[-1]
        if name == "status":
            if value.text not in STATUSES:
                from coop_logic.errors import did_you_mean

                raise ConditionError(f"unknown status '{value.text}'"
                                     f"{did_you_mean(value.text, STATUSES)}", value.column)
            return StatusIs(instrument, value.text)
        return GroundIs(instrument, value.text, obligatory=name == "obligatory")

    def call(self, name: str, token: _Token) -> Condition:
        self.expect("(", f"'(' after {name}")
        arg = self.take()
        if arg.kind != "name" or not _ID.fullmatch(arg.text):
            raise ConditionError(f"expected an id in {name}(...)", arg.column)
        self.expect(")", "')'")
        if name == "bound":
            return Bound(arg.text)
        if name == "bound_any":
            return BoundAny(arg.text)
        if name == "protocol":
            return Protocol(arg.text)
        if arg.text not in self.reservations:
            raise ConditionError(
                f"reservation '{arg.text}' is not declared under 'reservations'", arg.column
            )
        return Reservation(arg.text)


def parse_condition(
    text: str,
    definitions: Mapping[str, Condition] | None = None,
    reservations: frozenset[str] = frozenset(),
    *,
    verdicts: bool = False,
) -> Condition:
    """Parse a condition; raise ConditionError with the column of the first problem.

    With `verdicts`, the condition may also speak of verdicts (for properties):
    `status(S)` / `status(I, S)` and `ground(g)` / `ground(I, g)`.
    """
    if len(text) > MAX_SIZE * 20:
        raise ConditionError(f"the condition is longer than {MAX_SIZE * 20} characters", 0)
    result = _Parser(text, definitions or {}, reservations, verdicts).parse()
    size, depth = measure(result)
    if size > MAX_SIZE:
        raise ConditionError(
            f"the condition has {size} terms once its definitions are expanded, more than "
            f"{MAX_SIZE} (a definition used twice counts twice)", 0)
    if depth > MAX_DEPTH:
        raise ConditionError(f"the condition nests {depth} levels once its definitions are "
                             f"expanded, more than {MAX_DEPTH}", 0)
    return result


def measure(condition: Condition) -> tuple[int, int]:
    """The (size, depth) of `condition` with definitions expanded, counted once per shared
    node, so that a definition used twice at each of many levels is measured at once."""
    memo: dict[int, tuple[int, int]] = {}

    def visit(node: Condition) -> tuple[int, int]:
        key = id(node)
        if key not in memo:
            if isinstance(node, Not):
                size, depth = visit(node.arg)
                memo[key] = (size + 1, depth + 1)
            elif isinstance(node, And | Or):
                parts = [visit(arg) for arg in node.args]
                memo[key] = (1 + sum(p[0] for p in parts), 1 + max(p[1] for p in parts))
            else:
                memo[key] = (1, 1)
        return memo[key]

    return visit(condition)


def walk(condition: Condition):
    """Every node of a condition, the condition itself first."""
    yield condition
    if isinstance(condition, Not):
        yield from walk(condition.arg)
    elif isinstance(condition, And | Or):
        for arg in condition.args:
            yield from walk(arg)
