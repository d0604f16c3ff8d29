"""Hard terms turned into straight-line Python functions of the inputs, without z3.

The verdict terms are And, Or, Not and = over the input atoms (and the selectors), so they
can be evaluated in plain Python: one assignment per distinct subterm, compiled once. Four
readings of the same terms:

- `BOOL`: each input a bool; the function gives each term's value.
- `KLEENE`: an input may also be None (unknown); a value that is not None is the term's
  value whatever the unknown inputs are (Kleene's strong three-valued logic).
- `BITS`: each input a Python int, one bit per trial; the function evaluates every trial
  at once (And, Or, Not as &, |, xor with the mask of the trials).
- `DUAL_BITS`: Kleene's logic one bit per trial, each input and term two ints (the trials
  where it is surely true, those where it is surely false; neither bit: unknown).

Each function returns None where a term uses another operator (nothing to evaluate: the
solver decides).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import z3

BOOL = "bool"
KLEENE = "kleene"
BITS = "bits"
DUAL_BITS = "dual_bits"

_PYTHON_OPS = {z3.Z3_OP_AND: " and ", z3.Z3_OP_OR: " or "}


def straight_line(exprs: Sequence[Any], inputs: Sequence[Any], mode: str = BOOL
                  ) -> Callable[..., list[Any]] | None:
    """A Python function of the input values returning the values of `exprs`, or None.

    `BOOL` and `KLEENE`: `f(x)`, x the inputs' values in the order of `inputs`.
    `BITS`: `f(x, mask)`, x ints, mask the bits of every trial.
    `DUAL_BITS`: `f(t, f, mask)`, t and f the inputs' surely-true and surely-false bits;
    the result lists each term's two ints, true bits then false bits, term after term."""
    dual = mode == DUAL_BITS
    if dual:
        names: dict[int, Any] = {v.get_id(): (f"t[{n}]", f"f[{n}]") for n, v in enumerate(inputs)}
    else:
        names = {v.get_id(): f"x[{n}]" for n, v in enumerate(inputs)}
    lines: list[str] = []
    for root in exprs:
        stack = [(root, False)]
        while stack:
            e, ready = stack.pop()
            key = e.get_id()
            if key in names:
                continue
            kids = e.children()
            if not ready:
                stack.append((e, True))
                stack.extend((c, False) for c in kids if c.get_id() not in names)
                continue
            args = [names[c.get_id()] for c in kids]
            kind = e.decl().kind()
            if dual:
                code = _dual_operation(kind, args)
                if code is None:
                    return None
                n = len(lines)
                lines.append(f"    a{n} = {code[0]}\n    b{n} = {code[1]}")
                names[key] = (f"a{n}", f"b{n}")
                continue
            code1 = _operation(kind, args, mode)
            if code1 is None:
                return None  # an input this function is not given, or another operator
            name = f"t{len(lines)}"
            lines.append(f"    {name} = {code1}")
            names[key] = name
    body = "\n".join(lines) or "    pass"
    if dual:
        values = ", ".join(f"{names[e.get_id()][0]}, {names[e.get_id()][1]}" for e in exprs)
        head = "def g(t, f, mask):"
    else:
        values = ", ".join(names[e.get_id()] for e in exprs)
        head = "def g(x, mask):" if mode == BITS else "def g(x):"
    source = f"{head}\n{body}\n    return [{values}]\n"
    scope: dict[str, Any] = {}
    exec(compile(source, "<verdict terms>", "exec"), scope)  # the source is built above
    return scope["g"]


def _operation(kind: int, args: list[str], mode: str) -> str | None:
    """The Python expression of one operator over its arguments' names."""
    bits = mode == BITS
    if kind == z3.Z3_OP_TRUE:
        return "mask" if bits else "True"
    if kind == z3.Z3_OP_FALSE:
        return "0" if bits else "False"
    if kind == z3.Z3_OP_NOT:
        if bits:
            return f"(mask ^ {args[0]})"
        if mode == KLEENE:
            return f"(None if {args[0]} is None else not {args[0]})"
        return f"(not {args[0]})"
    if kind == z3.Z3_OP_EQ and len(args) == 2:
        if bits:
            return f"(mask ^ {args[0]} ^ {args[1]})"
        if mode == KLEENE:
            return f"(None if {args[0]} is None or {args[1]} is None else {args[0]} == {args[1]})"
        return f"({args[0]} == {args[1]})"
    if kind in _PYTHON_OPS:
        if bits:
            return "(" + (" & " if kind == z3.Z3_OP_AND else " | ").join(args) + ")"
        if mode != KLEENE:
            return "(" + _PYTHON_OPS[kind].join(args) + ")"
        decisive = kind == z3.Z3_OP_OR  # a true argument decides an Or, a false an And
        settles = " or ".join(f"{a} is {decisive}" for a in args)
        unknown = " or ".join(f"{a} is None" for a in args)
        return f"({decisive} if {settles} else None if {unknown} else {not decisive})"
    return None


def _dual_operation(kind: int, args: list[tuple[str, str]]) -> tuple[str, str] | None:
    """Surely-true and surely-false bits of one operator over its arguments' bit pairs."""
    if kind == z3.Z3_OP_TRUE:
        return "mask", "0"
    if kind == z3.Z3_OP_FALSE:
        return "0", "mask"
    if kind == z3.Z3_OP_NOT:
        return args[0][1], args[0][0]
    if kind == z3.Z3_OP_EQ and len(args) == 2:
        (at, af), (bt, bf) = args
        return f"(({at} & {bt}) | ({af} & {bf}))", f"(({at} & {bf}) | ({af} & {bt}))"
    if kind == z3.Z3_OP_AND:
        return "(" + " & ".join(a for a, _ in args) + ")", "(" + " | ".join(b for _, b in args) + ")"
    if kind == z3.Z3_OP_OR:
        return "(" + " | ".join(a for a, _ in args) + ")", "(" + " & ".join(b for _, b in args) + ")"
    return None
