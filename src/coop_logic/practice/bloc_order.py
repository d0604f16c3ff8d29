"""An order that puts similar things side by side: a cooperation map's States with similar
verdicts, so that treaty blocs show as blocks on the diagonal (`cooperation_map.bloc_order`).

Each thing is described by a set of features (a State: per other State and direction, the
status and the instruments of its basis) and two are as far apart as the Jaccard distance
of their sets. With numpy, they are clustered by average linkage (UPGMA: the two nearest
clusters merged first, a merged cluster's distance to another the mean of its members'
distances) and the leaves put in optimal order (Bar-Joseph, Gifford and Jaakkola 2001:
of the orders the tree allows, one with the least sum of distances between neighbours).
Without numpy, a greedy nearest-neighbour chain on the same distances.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any


def have_numpy() -> bool:
    return importlib.util.find_spec("numpy") is not None


def similarity_order(names: list[str], features: Sequence[int]) -> list[str]:
    """`names` (each described by a set of features, as a bitset: bit k set when it has
    feature k) in an order that puts similar ones side by side."""
    if len(names) < 3:
        return list(names)
    if have_numpy():
        return _cluster_order(names, features)
    return _greedy_order(names, features)


def _cluster_order(states: list[str], features: Sequence[int]) -> list[str]:
    distances = jaccard(features)
    merges = average_linkage(distances)
    return [states[i] for i in optimal_leaf_order(merges, distances)]


def jaccard(bits: Sequence[int]) -> Any:
    """The Jaccard distance between every two sets of features (bitsets), as a numpy
    matrix (0 between two empty sets)."""
    import numpy as np

    n = len(bits)
    d = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            union = (bits[i] | bits[j]).bit_count()
            if union:
                d[i, j] = d[j, i] = 1.0 - (bits[i] & bits[j]).bit_count() / union
    return d


def average_linkage(distances: Any) -> list[tuple[int, int]]:
    """The merges of average-linkage clustering, in order: each a pair of cluster ids (a
    leaf's id is its row; the k-th merge makes cluster n + k). Of equally near pairs, the
    first in row order merges first."""
    import numpy as np

    n = len(distances)
    d = np.array(distances, dtype=np.float64)
    np.fill_diagonal(d, np.inf)
    size = np.ones(n)
    ids = list(range(n))
    merges: list[tuple[int, int]] = []
    for step in range(n - 1):
        i, j = divmod(int(np.argmin(d)), n)
        if i > j:
            i, j = j, i
        merges.append((ids[i], ids[j]))
        merged = (size[i] * d[i] + size[j] * d[j]) / (size[i] + size[j])
        d[i, :] = merged
        d[:, i] = merged
        d[i, i] = np.inf
        d[j, :] = np.inf
        d[:, j] = np.inf
        size[i] += size[j]
        ids[i] = n + step
    return merges


def optimal_leaf_order(merges: list[tuple[int, int]], distances: Any) -> list[int]:
    """The leaves of the tree in an order with the least sum of distances between
    neighbours among the orders the tree allows (each node's two children either way
    round). Per node, the least cost of an order of its leaves from leaf u to leaf w is
    built from its children's (u and w on different sides); the order is then traced back
    from the root's best pair."""
    import numpy as np

    n = len(distances)
    d = np.asarray(distances, dtype=np.float64)
    leaves: dict[int, list[int]] = {i: [i] for i in range(n)}
    # per node, ends[u, w]: the least cost of an order of its leaves from u (of its left
    # child) to w (of its right child); an order the other way round costs the same
    ends: dict[int, Any] = {}
    children: dict[int, tuple[int, int]] = {}

    def whole(node: int) -> Any:
        """Costs between every two leaves of a node (infinite on the same side)."""
        if node < n:
            return np.zeros((1, 1))
        left, right = children[node]
        a, b = len(leaves[left]), len(leaves[right])
        out = np.full((a + b, a + b), np.inf)
        out[:a, a:] = ends[node]
        out[a:, :a] = ends[node].T
        return out

    for step, (left, right) in enumerate(merges):
        node = n + step
        a, b = leaves[left], leaves[right]
        between = d[np.ix_(a, b)]
        # via[u, k]: the least cost from u through the left child's far end m to k
        via = _min_plus(whole(left), between)
        ends[node] = _min_plus(via, whole(right))
        children[node] = (left, right)
        leaves[node] = a + b
    if not merges:
        return list(range(n))
    root = n + len(merges) - 1
    left, right = children[root]
    first, last = divmod(int(np.argmin(ends[root])), len(leaves[right]))
    order: list[int] = []
    stack = [(root, leaves[left][first], leaves[right][last])]
    while stack:
        node, u, w = stack.pop()
        if node < n:
            order.append(node)
            continue
        left, right = children[node]
        if u not in leaves[left]:
            left, right = right, left
        a, b = leaves[left], leaves[right]
        iu, iw = a.index(u), b.index(w)
        through = whole(left)[iu][:, None] + d[np.ix_(a, b)] + whole(right)[:, iw][None, :]
        im, ik = divmod(int(np.argmin(through)), len(b))
        stack.append((right, b[ik], w))  # popped after the left side
        stack.append((left, u, a[im]))
    return order


def _min_plus(x: Any, y: Any, rows: int = 16) -> Any:
    """out[i, k] = min over j of x[i, j] + y[j, k], a few rows at a time (the full
    three-way sum would hold len(x) * len(y) * len(y[0]) numbers at once)."""
    import numpy as np

    out = np.empty((x.shape[0], y.shape[1]))
    for i in range(0, x.shape[0], rows):
        out[i:i + rows] = (x[i:i + rows, :, None] + y[None, :, :]).min(axis=1)
    return out


def _greedy_order(states: list[str], bits: Sequence[int]) -> list[str]:
    """Nearest-neighbour chain over Jaccard distances (pure Python, bitsets)."""
    def distance(i: int, j: int) -> float:
        union = (bits[i] | bits[j]).bit_count()
        return 1.0 - (bits[i] & bits[j]).bit_count() / union if union else 0.0

    remaining = set(range(len(states)))
    current = max(remaining, key=lambda i: (bits[i].bit_count(), -i))
    chain = [current]
    remaining.discard(current)
    while remaining:
        current = min(remaining, key=lambda j: (distance(current, j), j))
        chain.append(current)
        remaining.discard(current)
    return [states[i] for i in chain]
