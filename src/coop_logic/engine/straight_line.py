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

`kleene_terms` reads the terms in Kleene's logic with atoms bounded by other terms, for
one assignment whose inputs are packed in two ints or for many.

Each function returns None where a term uses another operator (nothing to evaluate: the
solver decides).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import z3
from z3 import z3core

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
    roots = term_nodes(exprs)
    for root in roots:
        for e in _unnamed(root, names, lambda e: e.kids):
            key = e.id
            args = [names[c.id] for c in e.kids]
            kind = e.kind
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
        values = ", ".join(f"{names[e.id][0]}, {names[e.id][1]}" for e in roots)
        head = "def g(t, f, mask):"
    else:
        values = ", ".join(names[e.id] for e in roots)
        head = "def g(x, mask):" if mode == BITS else "def g(x):"
    source = f"{head}\n{body}\n    return [{values}]\n"
    scope: dict[str, Any] = {}
    exec(compile(source, "<verdict terms>", "exec"), scope)  # the source is built above
    return scope["g"]


class TermNode:
    """A term read once through z3's C API: its id, its operator and its arguments (the
    Python wrappers build an object per argument at every reading, which was most of the
    cost of compiling)."""

    __slots__ = ("id", "kids", "kind")

    def __init__(self, key: int, kind: int, kids: list[TermNode]) -> None:
        self.id = key
        self.kind = kind
        self.kids = kids


def term_nodes(exprs: Sequence[Any]) -> list[TermNode]:
    """The terms as `TermNode`s, a subterm shared by several read once."""
    if not exprs:
        return []
    ctx = exprs[0].ctx_ref()
    read: dict[int, TermNode] = {}
    app_kind = z3.Z3_APP_AST

    def node(ast: Any) -> TermNode:
        key = z3core.Z3_get_ast_id(ctx, ast)
        found = read.get(key)
        if found is not None:
            return found
        # post order without recursion: a term's arguments are read before it
        stack: list[tuple[Any, int, bool]] = [(ast, key, False)]
        while stack:
            a, k, ready = stack.pop()
            if k in read:
                continue
            if z3core.Z3_get_ast_kind(ctx, a) != app_kind:
                read[k] = TermNode(k, -1, [])
                continue
            app = z3core.Z3_to_app(ctx, a)
            args = [z3core.Z3_get_app_arg(ctx, app, i)
                    for i in range(z3core.Z3_get_app_num_args(ctx, app))]
            ids = [z3core.Z3_get_ast_id(ctx, b) for b in args]
            if not ready:
                stack.append((a, k, True))
                stack.extend((b, i, False) for b, i in zip(args, ids, strict=True)
                             if i not in read)
                continue
            kind = z3core.Z3_get_decl_kind(ctx, z3core.Z3_get_app_decl(ctx, app))
            read[k] = TermNode(k, kind, [read[i] for i in ids])
        return read[key]

    return [node(e.as_ast()) for e in exprs]


def _unnamed(root: TermNode, names: dict[int, Any], children: Callable[[TermNode], list[TermNode]]
             ) -> Iterator[TermNode]:
    """The subterms of `root` without a name yet, each after its arguments; the caller
    names each one before asking for the next (a term shared by two is given once)."""
    stack = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if node.id in names:
            continue
        if not ready:
            stack.append((node, True))
            stack.extend((c, False) for c in children(node) if c.id not in names)
            continue
        yield node


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


def kleene_terms(exprs: Sequence[Any], inputs: Sequence[Any],
                 bound: Sequence[tuple[Any, Any, Any]] = (), *, packed: bool = True
                 ) -> Callable[..., list[Any]] | None:
    """Kleene's logic with bound atoms. `bound`: atoms (atom, forced_true, forced_false)
    that are no input: surely true where their first term surely holds, surely false where
    their second does. Returns each term's surely-true and surely-false bits, term after
    term, then the bits where a bound atom is forced both ways (no assignment).

    `packed`: one assignment, `f(t, f)`, bit n of t (of f) set where input n is surely
    true (surely false); an And or Or reads its input arguments in one mask test
    (`t & m == m`: every one of them surely true), so most terms cost a few operations
    whatever their width. Else many assignments as in `DUAL_BITS`: `f(t, f, mask)`, t and
    f lists of ints, one bit per assignment."""
    position = {v.get_id(): n for n, v in enumerate(inputs)}
    names: dict[int, tuple[str, str]] = {}
    if not packed:
        names = {v.get_id(): (f"t[{n}]", f"f[{n}]") for n, v in enumerate(inputs)}
    lines: list[str] = []

    def leaf(e: TermNode) -> tuple[int, bool] | None:
        """An input or a negated input: its position and sign (packed only)."""
        if not packed:
            return None
        if e.id in position:
            return position[e.id], True
        if e.kind == z3.Z3_OP_NOT:
            inner = e.kids[0].id
            if inner in position:
                return position[inner], False
        return None

    def inner(node: TermNode) -> list[TermNode]:
        """The arguments named on their own: not the inputs an And or Or reads in one
        mask test, nor anything below a packed input."""
        if packed and leaf(node) is not None:
            return []
        if node.kind in (z3.Z3_OP_AND, z3.Z3_OP_OR):
            return [c for c in node.kids if leaf(c) is None]
        return node.kids

    def name(e: TermNode) -> tuple[str, str] | None:
        for node in _unnamed(e, names, inner):
            k = node.id
            kind = node.kind
            kids = node.kids
            found = leaf(node)
            if found is not None:
                n, sign = found
                m = len(lines)
                t_bit, f_bit = (f"(t >> {n} & 1)", f"(f >> {n} & 1)")
                lines.append(f"    a{m} = {t_bit if sign else f_bit}\n"
                             f"    b{m} = {f_bit if sign else t_bit}")
                names[k] = (f"a{m}", f"b{m}")
                continue
            if kind in (z3.Z3_OP_AND, z3.Z3_OP_OR):
                pos = neg = 0
                for c in kids:
                    found = leaf(c)
                    if found is not None:
                        if found[1]:
                            pos |= 1 << found[0]
                        else:
                            neg |= 1 << found[0]
                args = [names[c.id] for c in inner(node)]
                code = _dual_operation(kind, args) if args else None
                # over the inputs: all surely true / some surely false (for an And)
                every_t = [f"(t & {pos} == {pos})"] if pos else []
                every_t += [f"(f & {neg} == {neg})"] if neg else []
                some_f = [f"(f & {pos} != 0)"] if pos else []
                some_f += [f"(t & {neg} != 0)"] if neg else []
                every_f = [f"(f & {pos} == {pos})"] if pos else []
                every_f += [f"(t & {neg} == {neg})"] if neg else []
                some_t = [f"(t & {pos} != 0)"] if pos else []
                some_t += [f"(f & {neg} != 0)"] if neg else []
                rest_t, rest_f = ([code[0]], [code[1]]) if code else ([], [])
                if kind == z3.Z3_OP_AND:
                    sure = " & ".join(every_t + rest_t)
                    sure_not = " | ".join(some_f + rest_f)
                else:
                    sure = " | ".join(some_t + rest_t)
                    sure_not = " & ".join(every_f + rest_f)
                m = len(lines)
                lines.append(f"    a{m} = {sure}\n    b{m} = {sure_not}")
                names[k] = (f"a{m}", f"b{m}")
                continue
            code = _dual_operation(kind, [names[c.id] for c in kids])
            if code is None:
                return None
            m = len(lines)
            lines.append(f"    a{m} = {code[0]}\n    b{m} = {code[1]}")
            names[k] = (f"a{m}", f"b{m}")
        return names[e.id]

    forced = term_nodes([t for _, forced_true, forced_false in bound
                     for t in (forced_true, forced_false)])
    conflicts = []
    for n, (atom, _, _) in enumerate(bound):
        sure, sure_not = name(forced[2 * n]), name(forced[2 * n + 1])
        if sure is None or sure_not is None:
            return None
        names[atom.get_id()] = (sure[0], sure_not[0])
        conflicts.append(f"({sure[0]} & {sure_not[0]})")
    outputs = []
    for e in term_nodes(exprs):
        found = name(e)
        if found is None:
            return None
        outputs += list(found)
    outputs.append(" | ".join(conflicts) or "0")
    body = "\n".join(lines) or "    pass"
    head = "def g(t, f):\n    mask = 1" if packed else "def g(t, f, mask):"
    source = f"{head}\n{body}\n    return [{', '.join(outputs)}]\n"
    scope: dict[str, Any] = {}
    exec(compile(source, "<labelled terms>", "exec"), scope)  # the source is built above
    return scope["g"]
