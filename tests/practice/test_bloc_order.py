"""The map's order (`practice.bloc_order`): average linkage builds the tree scipy builds,
and the leaves come out in an order of least cost among those the tree allows."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coop_logic.practice.bloc_order import (
    average_linkage,
    jaccard,
    optimal_leaf_order,
    similarity_order,
)

np = pytest.importorskip("numpy")


@st.composite
def distance_matrices(draw: st.DrawFn) -> list[list[float]]:
    """Symmetric, zero on the diagonal, distinct off it (no ties: one tree)."""
    n = draw(st.integers(3, 7))
    pairs = list(itertools.combinations(range(n), 2))
    values = draw(st.lists(st.integers(1, 10_000), min_size=len(pairs), max_size=len(pairs),
                           unique=True))
    d = [[0.0] * n for _ in range(n)]
    for (i, j), v in zip(pairs, values, strict=True):
        d[i][j] = d[j][i] = v / 10_000
    return d


def clusters(merges: list[tuple[int, int]], n: int) -> list[frozenset[int]]:
    members: dict[int, frozenset[int]] = {i: frozenset([i]) for i in range(n)}
    out = []
    for k, (a, b) in enumerate(merges):
        members[n + k] = members[a] | members[b]
        out.append(members[n + k])
    return out


def has_ties(d: list[list[float]]) -> bool:
    """Whether average linkage, run in exact fractions, ever has two nearest pairs (then
    the tree depends on which merges first)."""
    clusters = {i: [i] for i in range(len(d))}
    exact = [[Fraction(v) for v in row] for row in d]

    def between(a: list[int], b: list[int]) -> Fraction:
        return sum((exact[i][j] for i in a for j in b), Fraction(0)) / (len(a) * len(b))

    while len(clusters) > 1:
        pairs = sorted((between(clusters[p], clusters[q]), p, q)
                       for p, q in itertools.combinations(sorted(clusters), 2))
        if len(pairs) > 1 and pairs[0][0] == pairs[1][0]:
            return True
        _, p, q = pairs[0]
        new = max(clusters) + 1
        clusters[new] = clusters.pop(p) + clusters.pop(q)
    return False


@settings(max_examples=60, deadline=None)
@given(distance_matrices())
def test_average_linkage_merges_as_scipy_does(d: list[list[float]]):
    hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
    distance = pytest.importorskip("scipy.spatial.distance")
    assume(not has_ties(d))
    n = len(d)
    ours = clusters(average_linkage(np.array(d)), n)
    tree = hierarchy.linkage(distance.squareform(np.array(d)), method="average")
    theirs = clusters([(int(a), int(b)) for a, b, _, _ in tree], n)
    assert ours == theirs


def allowed_orders(node: int, children: dict[int, tuple[int, int]]) -> list[list[int]]:
    if node not in children:
        return [[node]]
    left, right = children[node]
    out = []
    for a in allowed_orders(left, children):
        for b in allowed_orders(right, children):
            out += [a + b, b + a]
    return out


@settings(max_examples=60, deadline=None)
@given(distance_matrices())
def test_the_leaf_order_has_the_least_cost_the_tree_allows(d: list[list[float]]):
    n = len(d)
    merges = average_linkage(np.array(d))
    order = optimal_leaf_order(merges, np.array(d))
    children = {n + k: pair for k, pair in enumerate(merges)}

    def cost(o: list[int]) -> float:
        return sum(d[a][b] for a, b in itertools.pairwise(o))

    orders = allowed_orders(2 * n - 2, children)
    assert order in orders
    assert cost(order) == pytest.approx(min(cost(o) for o in orders))


def test_jaccard_distances():
    d = jaccard([0b11, 0b01, 0, 0])
    assert d[0, 1] == pytest.approx(0.5) and d[0, 2] == 1.0 and d[2, 3] == 0.0
    assert (d == d.T).all() and (np.diag(d) == 0).all()


def test_identical_things_sit_together():
    features = [0b00011, 0b00100, 0b00011, 0b01100, 0b10011]
    order = similarity_order(["p", "q", "r", "s", "t"], features)
    assert sorted(order) == ["p", "q", "r", "s", "t"]
    positions = sorted(order.index(name) for name in ("p", "r", "t"))
    assert positions == list(range(positions[0], positions[0] + 3))
