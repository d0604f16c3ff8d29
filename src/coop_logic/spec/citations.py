"""Article references in citations ("Arts. 23 and 25(1)", "Art. 29(1) and (3)") and the
coverage of a list of provisions by them.

A reference is a tuple of components: the article number, then its paragraphs, points
and sub-points (`("29", "5")` for Art. 29(5), `("11", "1", "g")` for Art. 11(1)(g)),
or `("Annex D",)`. Two references *overlap* when one is a part of the other (or both are
the same): Art. 29 overlaps Art. 29(5), Art. 29(5) does not overlap Art. 29(4).

Citation syntax understood (after the first "Art."/"Arts."/"Article(s)"/"Annex" of each
part of a citation separated by ";"):
- a full reference: `29`, `24(1)(a)`, `Annex D`;
- a continuation, naming only the lower parts: in `29(1) and (3)` the `(3)` is 29(3); in
  `7(2)(b), (5)(a), (9)` it is 7(5)(a) and 7(9): the continuation replaces the deepest
  component of the previous reference of its own kind (number or letter), and what follows;
- a range: `2-11`, `24(2)-(4)`, `11(1)(a)-(h)`, expanded when the ends differ in their last
  component only.
Everything else (words, "first sentence", "with", "(data retention)") is skipped. The text
before the first article marker of a part is its *label* ("Additional Protocol (ETS 99)"),
which a provision may name ("ETS 99: 2") to be matched only by citations of that part.
This module knows nothing of specs or z3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Ref = tuple[str, ...]

_MARKER = re.compile(r"\b(?:Arts?\.|Articles?\b|Annex\b)", re.IGNORECASE)
_GROUP = r"\((?:\d{1,3}|[a-z]{1,4})\)"
_TOKEN = re.compile(
    rf"(?P<annex>\bAnnex\s+(?:[A-Z]+|\d+)\b)"
    rf"|(?P<ref>(?<![\w/(.])\d{{1,3}}(?![\d/])(?:{_GROUP})*(?!\w))"
    rf"|(?P<cont>(?<![\w)])(?:{_GROUP})+)"
    rf"|(?P<dash>[-\u2013]|\bto\b)"
)
_GROUPS = re.compile(r"\(([0-9a-z]+)\)")
_MAX_RANGE = 100


def overlaps(a: Ref, b: Ref) -> bool:
    """Whether one reference is the other or a part of it."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _numeric(component: str) -> bool:
    return component.isdigit()


def _expand(start: Ref, end: Ref) -> list[Ref]:
    """The references from `start` to `end`, both included, when they differ in their last
    component only (numbers or single letters); otherwise the two ends."""
    if len(start) != len(end) or start[:-1] != end[:-1]:
        return [start, end]
    a, b = start[-1], end[-1]
    if _numeric(a) and _numeric(b):
        lo, hi = int(a), int(b)
        values = [str(i) for i in range(lo, hi + 1)]
    elif len(a) == len(b) == 1 and a.isalpha() and b.isalpha():
        values = [chr(c) for c in range(ord(a), ord(b) + 1)]
    else:
        return [start, end]
    if not values or len(values) > _MAX_RANGE:
        return [start, end]
    return [(*start[:-1], v) for v in values]


def _continue(last: Ref, groups: list[str]) -> Ref:
    """A continuation `(g1)(g2)...` read against the previous reference `last`."""
    kind = _numeric(groups[0])
    for pos in range(len(last) - 1, 0, -1):
        if _numeric(last[pos]) == kind:
            return (*last[:pos], *groups)
    return (*last, *groups)


def references(text: str) -> list[Ref]:
    """Every reference in `text`, read as a list of article references (no marker needed)."""
    found: list[Ref] = []
    last: Ref | None = None
    prev_end: int | None = None  # end of the previous reference token
    dash_from: tuple[Ref, int] | None = None  # (range start, end of the dash)
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "dash":
            if last is not None and prev_end is not None and not text[prev_end:m.start()].strip():
                dash_from = (last, m.end())
            continue
        if kind == "annex":
            ref: Ref = ("Annex " + m.group().split()[-1],)
        elif kind == "ref":
            number = re.match(r"\d+", m.group()).group()
            ref = (number, *_GROUPS.findall(m.group()[len(number):]))
        else:  # continuation
            if last is None or last[0].startswith("Annex"):
                dash_from, prev_end = None, m.end()
                continue
            ref = _continue(last, _GROUPS.findall(m.group()))
        if dash_from is not None and not text[dash_from[1]:m.start()].strip():
            found.extend(r for r in _expand(dash_from[0], ref) if r != dash_from[0])
        else:
            found.append(ref)
        dash_from = None
        last, prev_end = ref, m.end()
    return list(dict.fromkeys(found))


def citation_parts(cite: str) -> list[tuple[str, list[Ref]]]:
    """The parts of a citation (split at ";"), each as (label, references). A part without
    an article marker has no references."""
    parts = []
    for segment in cite.split(";"):
        marker = _MARKER.search(segment)
        if marker is None:
            continue
        label = segment[:marker.start()].strip(" ,").lower()
        parts.append((label, references(segment[marker.start():])))
    return parts


def parse_provision(text: str) -> tuple[str | None, list[Ref]]:
    """A provision of a `provisions:` list: `29(5)`, `29(1)-(3)`, `Annex D`, or with the
    label of the part it belongs to, `ETS 99: 1`. Returns (label or None, references)."""
    label, sep, rest = text.rpartition(":")
    if not sep:
        return None, references(text)
    return label.strip().lower(), references(rest)


def uncovered(provisions: Iterable[str], cites: Iterable[str]) -> list[str]:
    """The provisions not covered: some reference of theirs overlaps no reference cited.

    A labelled provision is covered only by citation parts whose label contains its label;
    an unlabelled one only by parts whose label contains none of the labels used.
    """
    provisions = list(provisions)
    parsed = {p: parse_provision(p) for p in provisions}
    labels = {label for label, _ in parsed.values() if label}
    parts = [part for cite in cites for part in citation_parts(cite)]
    missing = []
    for provision, (label, refs) in parsed.items():
        if label:
            pool = [r for part_label, rs in parts if label in part_label for r in rs]
        else:
            pool = [r for part_label, rs in parts
                    if not any(x in part_label for x in labels) for r in rs]
        if not refs or not all(any(overlaps(ref, c) for c in pool) for ref in refs):
            missing.append(provision)
    return missing
