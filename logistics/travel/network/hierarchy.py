"""Exact many-to-many shortest paths with a contraction hierarchy (compiled with numba).

Nodes are contracted one by one, least important first: fewest shortcuts added per
arc removed, plus a small penalty for the depth (level) reached below the node, updated
lazily. Contracting ``v`` adds a shortcut ``u -> x`` for a pair of its neighbours unless
a witness search (a small Dijkstra that avoids ``v``) finds a path no longer than
``u -> v -> x``; the short searches that rank ``v`` settle most pairs, and the longer
search that decides on shortcuts runs only for the pairs they left open. While
contracting, each node keeps its live arcs in one contiguous block of a shared pool
(arcs to contracted nodes are removed at once), so witness searches read memory in
order; the arcs of a node are recorded as upward and downward arcs of the hierarchy
when it is contracted. Every arc and shortcut weighs what a real path weighs, in
float64, so the hierarchy gives the lengths a plain Dijkstra gives (up to the order of
float additions). A many-to-many query runs one upward search per source and one per
target and meets them in buckets at the nodes where they overlap; a search does not
expand a node that an arc from a more important node reaches for less (stall on
demand: such a node lies on no shortest path).

Import this module only where numba is installed (``logistics.travel.network.matrix`` falls
back to scipy otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numba
import numpy as np

WITNESS_SETTLED_NODES = 60
"""A witness search before adding shortcuts settles at most this many nodes (more: fewer
shortcuts, slower build)."""

PRIORITY_WITNESS_SETTLED_NODES = 10
"""The same limit when only counting shortcuts to rank a node (cheaper, rougher)."""

PRIORITY_LEVEL_WEIGHT = 0.1
"""Weight of a node's level (1 + the highest level among its contracted neighbours) in
its contraction priority; it spreads contraction evenly over the graph (a flatter
hierarchy, shorter upward searches)."""

FORMAT = "contraction-hierarchy-v2"
"""Names the layout and the contraction rules; stored hierarchies are keyed by it."""

CORE_DEGREE = 40
"""Contraction stops when the least important node has more neighbours than this; the
nodes left form a core that every forward search crosses with a plain Dijkstra (dense
cliques at the top of a hierarchy cost more to build than they save)."""


@numba.njit(cache=True)
def _heap_push(keys: np.ndarray, items: np.ndarray, size: int, key: float, item: int) -> int:
    """Push onto the binary min-heap held in ``keys``/``items``; returns the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i] = keys[parent]
        items[i] = items[parent]
        i = parent
    keys[i] = key
    items[i] = item
    return size + 1


@numba.njit(cache=True)
def _heap_pop(keys: np.ndarray, items: np.ndarray, size: int) -> int:
    """Remove the root (read ``keys[0]``, ``items[0]`` first); returns the new size."""
    size -= 1
    key, item = keys[size], items[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[i] = keys[child]
        items[i] = items[child]
        i = child
    keys[i] = key
    items[i] = item
    return size


@numba.njit(cache=True)
def _grow_int(values: np.ndarray, capacity: int) -> np.ndarray:
    grown = np.empty(capacity, np.int64)
    grown[: len(values)] = values
    return grown


@numba.njit(cache=True)
def _grow_float(values: np.ndarray, capacity: int) -> np.ndarray:
    grown = np.empty(capacity)
    grown[: len(values)] = values
    return grown


@numba.njit(cache=True)
def _append_arcs(
    tails: np.ndarray, heads: np.ndarray, weights: np.ndarray, used: int, tail: int,
    pool_node: np.ndarray, pool_weight: np.ndarray, start: int, count: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:  # fmt: skip
    """Append the arcs ``tail -> pool_node[k]`` (weight ``pool_weight[k]``) for ``k`` in
    ``start:start + count`` after the ``used`` entries, growing the arrays when full;
    returns the arrays and their new used length."""
    if used + count > len(tails):
        tails = _grow_int(tails, 2 * (used + count))
        heads = _grow_int(heads, len(tails))
        weights = _grow_float(weights, len(tails))
    for k in range(start, start + count):
        tails[used], heads[used], weights[used] = tail, pool_node[k], pool_weight[k]
        used += 1
    return tails, heads, weights, used


@numba.njit(cache=True)
def _lists(
    n: int, owner: np.ndarray, other: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The arcs grouped by ``owner`` as blocks of one pool: the entries of node ``v``
    (``node``, ``weight``) are ``start[v]:start[v] + count[v]``, with room for ``room[v]``
    before the block has to move (:func:`_set_arc`). Returns start, count, room, node,
    weight."""
    count = np.zeros(n, np.int64)
    for a in range(len(owner)):
        count[owner[a]] += 1
    room = count + 4
    start = np.zeros(n, np.int64)
    for v in range(1, n):
        start[v] = start[v - 1] + room[v - 1]
    size = 2 * (start[n - 1] + room[n - 1]) if n > 0 else 16
    node = np.empty(size, np.int64)
    pool_weight = np.empty(size)
    fill = start.copy()
    for a in range(len(owner)):
        v = owner[a]
        node[fill[v]] = other[a]
        pool_weight[fill[v]] = weight[a]
        fill[v] += 1
    return start, count, room, node, pool_weight


@numba.njit(cache=True)
def _set_arc(
    v: int, w: int, weight: float, start: np.ndarray, count: np.ndarray, room: np.ndarray,
    node: np.ndarray, pool_weight: np.ndarray, used: int,
) -> tuple[np.ndarray, np.ndarray, int]:  # fmt: skip
    """Lower the weight of ``v``'s entry for ``w`` to ``weight``, adding the entry when
    missing; returns the (possibly grown) pool and its used length."""
    for k in range(start[v], start[v] + count[v]):
        if node[k] == w:
            pool_weight[k] = min(pool_weight[k], weight)
            return node, pool_weight, used
    if count[v] == room[v]:
        room[v] = 2 * room[v] + 4
        if used + room[v] > len(node):
            node = _grow_int(node, 2 * (used + room[v]))
            pool_weight = _grow_float(pool_weight, len(node))
        node[used : used + count[v]] = node[start[v] : start[v] + count[v]]
        pool_weight[used : used + count[v]] = pool_weight[start[v] : start[v] + count[v]]
        start[v] = used
        used += room[v]
    node[start[v] + count[v]] = w
    pool_weight[start[v] + count[v]] = weight
    count[v] += 1
    return node, pool_weight, used


@numba.njit(cache=True)
def _drop_arc(
    v: int, w: int, start: np.ndarray, count: np.ndarray, node: np.ndarray,
    pool_weight: np.ndarray,
) -> None:  # fmt: skip
    """Remove ``v``'s entry for ``w`` (the last entry takes its place)."""
    last = start[v] + count[v] - 1
    for k in range(start[v], last + 1):
        if node[k] == w:
            node[k] = node[last]
            pool_weight[k] = pool_weight[last]
            count[v] -= 1
            return


@numba.njit(cache=True)
def _witness_search(
    u: int, v: int, limit: float, targets: int, max_settled: int, out_start: np.ndarray,
    out_count: np.ndarray, out_node: np.ndarray, out_weight: np.ndarray, wanted: np.ndarray,
    dist: np.ndarray, touched: np.ndarray, heap_keys: np.ndarray, heap_items: np.ndarray,
) -> int:  # fmt: skip
    """Dijkstra from ``u`` avoiding ``v``, settling at most ``max_settled`` nodes, none
    farther than ``limit``, and stopping once the ``targets`` nodes marked ``wanted`` are
    settled. Leaves the distances in ``dist`` (inf = not reached within the limits) for
    the ``touched`` nodes; returns how many were touched."""
    dist[u] = 0.0
    touched[0] = u
    n_touched = 1
    size = _heap_push(heap_keys, heap_items, 0, 0.0, u)
    settled = 0
    while size > 0:
        d, w = heap_keys[0], heap_items[0]
        size = _heap_pop(heap_keys, heap_items, size)
        if d > dist[w]:
            continue
        if settled >= max_settled:
            break
        settled += 1
        if wanted[w]:
            targets -= 1
            if targets == 0:
                break
        for k in range(out_start[w], out_start[w] + out_count[w]):
            x = out_node[k]
            nd = d + out_weight[k]
            if nd < dist[x] and nd <= limit and x != v:
                if dist[x] == np.inf:
                    touched[n_touched] = x
                    n_touched += 1
                dist[x] = nd
                size = _heap_push(heap_keys, heap_items, size, nd, x)
    return n_touched


@numba.njit(cache=True)
def _contract(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    core_degree: int,
    simulate_settled: int,
    apply_settled: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Contract the nodes of the graph ``tail -> head`` (no parallel arcs, no loops) until
    the least important one has more than ``core_degree`` neighbours. Returns the upward
    arcs (tail, head, weight: towards nodes contracted later, plus the arcs between
    core nodes) and the downward arcs reversed (from a node to the later-contracted
    tails of its incoming arcs)."""
    out_start, out_count, out_room, out_node, out_weight = _lists(n, tail, head, weight)
    in_start, in_count, in_room, in_node, in_weight = _lists(n, head, tail, weight)
    out_used = out_start[n - 1] + out_room[n - 1] if n > 0 else 0
    in_used = in_start[n - 1] + in_room[n - 1] if n > 0 else 0

    contracted = np.zeros(n, np.bool_)
    priority = np.zeros(n)
    level = np.zeros(n)
    dist = np.full(n, np.inf)
    touched = np.empty(n, np.int64)
    wanted = np.zeros(n, np.bool_)
    heap_keys = np.empty(0)  # sized below, before each node's searches
    heap_items = np.empty(0, np.int64)
    open_pair = np.zeros(0, np.bool_)  # per (in, out) neighbour pair: no witness found yet
    queue_keys = np.empty(4 * n + 16)
    queue_items = np.empty(4 * n + 16, np.int64)
    queue_size = 0
    up_tail = np.empty(len(tail) + 16, np.int64)
    up_head = np.empty(len(tail) + 16, np.int64)
    up_weight = np.empty(len(tail) + 16)
    ups = 0
    down_tail = np.empty(len(tail) + 16, np.int64)
    down_head = np.empty(len(tail) + 16, np.int64)
    down_weight = np.empty(len(tail) + 16)
    downs = 0

    v = 0
    while v < n or queue_size > 0:
        if v < n:  # initial priorities, in node order
            v += 1
            node = v - 1
            apply = False
        else:
            p, node = queue_keys[0], queue_items[0]
            queue_size = _heap_pop(queue_keys, queue_items, queue_size)
            if contracted[node] or p != priority[node]:
                continue
            apply = True
        n_in, n_out = in_count[node], out_count[node]
        if len(heap_keys) < out_used + n_in * n_out + 2:
            # a search pushes at most once per live arc (shortcuts added meanwhile included)
            heap_keys = np.empty(2 * (out_used + n_in * n_out + 2))
            heap_items = np.empty(len(heap_keys), np.int64)
        if len(open_pair) < n_in * n_out:
            open_pair = np.zeros(2 * n_in * n_out, np.bool_)
        i0, o0 = in_start[node], out_start[node]
        max_out = 0.0
        for j in range(o0, o0 + n_out):
            wanted[out_node[j]] = True
            max_out = max(max_out, out_weight[j])
        needed = 0
        for i in range(i0, i0 + n_in):
            u = in_node[i]
            n_touched = _witness_search(
                u, node, in_weight[i] + max_out, n_out, simulate_settled, out_start, out_count,
                out_node, out_weight, wanted, dist, touched, heap_keys, heap_items,
            )  # fmt: skip
            for j in range(o0, o0 + n_out):
                x = out_node[j]
                pair = x != u and dist[x] > in_weight[i] + out_weight[j]
                open_pair[(i - i0) * n_out + j - o0] = pair
                needed += pair
            for k in range(n_touched):
                dist[touched[k]] = np.inf
        for j in range(o0, o0 + n_out):
            wanted[out_node[j]] = False
        removed = n_in + n_out
        priority[node] = needed / max(1, removed) + PRIORITY_LEVEL_WEIGHT * level[node]
        if not apply:
            queue_size = _heap_push(queue_keys, queue_items, queue_size, priority[node], node)
            continue
        if queue_size > 0 and priority[node] > queue_keys[0]:
            # lazy update: someone else is now less important
            queue_size = _heap_push(queue_keys, queue_items, queue_size, priority[node], node)
            continue
        if removed > core_degree:
            break  # the rest stays uncontracted: the core
        # contract: record the arcs of ``node``, add shortcuts, unlink it
        up_tail, up_head, up_weight, ups = _append_arcs(
            up_tail, up_head, up_weight, ups, node, out_node, out_weight, o0, n_out
        )
        down_tail, down_head, down_weight, downs = _append_arcs(
            down_tail, down_head, down_weight, downs, node, in_node, in_weight, i0, n_in
        )
        contracted[node] = True
        for i in range(i0, i0 + n_in):
            # search again, farther, only for the pairs the ranking search left open
            u = in_node[i]
            pairs = (i - i0) * n_out - o0
            targets = 0
            max_open = 0.0
            for j in range(o0, o0 + n_out):
                if open_pair[pairs + j]:
                    wanted[out_node[j]] = True
                    targets += 1
                    max_open = max(max_open, out_weight[j])
            if targets == 0:
                continue
            n_touched = _witness_search(
                u, node, in_weight[i] + max_open, targets, apply_settled, out_start, out_count,
                out_node, out_weight, wanted, dist, touched, heap_keys, heap_items,
            )  # fmt: skip
            for j in range(o0, o0 + n_out):
                wanted[out_node[j]] = False
            for j in range(o0, o0 + n_out):
                x = out_node[j]
                via = in_weight[i] + out_weight[j]
                if not open_pair[pairs + j] or dist[x] <= via:
                    continue
                out_node, out_weight, out_used = _set_arc(
                    u, x, via, out_start, out_count, out_room, out_node, out_weight, out_used
                )
                in_node, in_weight, in_used = _set_arc(
                    x, u, via, in_start, in_count, in_room, in_node, in_weight, in_used
                )
            for k in range(n_touched):
                dist[touched[k]] = np.inf
        for i in range(i0, i0 + n_in):
            _drop_arc(in_node[i], node, out_start, out_count, out_node, out_weight)
        for j in range(o0, o0 + n_out):
            _drop_arc(out_node[j], node, in_start, in_count, in_node, in_weight)
        for k in range(removed):
            w = in_node[i0 + k] if k < n_in else out_node[o0 + k - n_in]
            if level[w] > level[node]:
                continue
            priority[w] += PRIORITY_LEVEL_WEIGHT * (level[node] + 1 - level[w])
            level[w] = level[node] + 1
            if queue_size == len(queue_keys):
                queue_keys = _grow_float(queue_keys, 2 * queue_size)
                queue_items = _grow_int(queue_items, 2 * queue_size)
            queue_size = _heap_push(queue_keys, queue_items, queue_size, priority[w], w)
    for w in range(n):  # the core keeps its arcs in both directions
        if contracted[w]:
            continue
        up_tail, up_head, up_weight, ups = _append_arcs(
            up_tail, up_head, up_weight, ups, w, out_node, out_weight, out_start[w], out_count[w]
        )
    return (
        up_tail[:ups], up_head[:ups], up_weight[:ups],
        down_tail[:downs], down_head[:downs], down_weight[:downs],
    )  # fmt: skip


@numba.njit(cache=True)
def _upward_searches(
    seed_ptr: np.ndarray, seed_node: np.ndarray, seed_dist: np.ndarray,
    ptr: np.ndarray, head: np.ndarray, weight: np.ndarray,
    into_ptr: np.ndarray, into_tail: np.ndarray, into_weight: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """One Dijkstra per query over the upward graph (CSR ``ptr``/``head``/``weight``),
    started from that query's seeds (node, initial distance). Returns every settled
    node with its distance, grouped by query (CSR: ptr, node, dist). A node that an arc
    from a more important node (CSR ``into_*``: tail and weight of the arcs into each
    node) reaches for less is stalled: its distance is not the shortest, so it is
    neither kept nor expanded (the meeting node of a shortest path never is)."""
    n = len(ptr) - 1
    queries = len(seed_ptr) - 1
    dist = np.full(n, np.inf)
    touched = np.empty(n, np.int64)
    heap_keys = np.empty(len(head) + len(seed_node) + 1)
    heap_items = np.empty(len(head) + len(seed_node) + 1, np.int64)
    space_ptr = np.zeros(queries + 1, np.int64)
    space_node = np.empty(1024, np.int64)
    space_dist = np.empty(1024)
    filled = 0
    for q in range(queries):
        size = 0
        n_touched = 0
        for s in range(seed_ptr[q], seed_ptr[q + 1]):
            node, d = seed_node[s], seed_dist[s]
            if d < dist[node]:
                if dist[node] == np.inf:
                    touched[n_touched] = node
                    n_touched += 1
                dist[node] = d
                size = _heap_push(heap_keys, heap_items, size, d, node)
        while size > 0:
            d, v = heap_keys[0], heap_items[0]
            size = _heap_pop(heap_keys, heap_items, size)
            if d > dist[v]:
                continue
            stalled = False
            for a in range(into_ptr[v], into_ptr[v + 1]):
                if dist[into_tail[a]] + into_weight[a] < d:
                    stalled = True
                    break
            if stalled:
                continue
            if filled == len(space_node):
                space_node = _grow_int(space_node, 2 * filled)
                space_dist = _grow_float(space_dist, 2 * filled)
            space_node[filled] = v
            space_dist[filled] = d
            filled += 1
            for a in range(ptr[v], ptr[v + 1]):
                x = head[a]
                nd = d + weight[a]
                if nd < dist[x]:
                    if dist[x] == np.inf:
                        touched[n_touched] = x
                        n_touched += 1
                    dist[x] = nd
                    size = _heap_push(heap_keys, heap_items, size, nd, x)
        for k in range(n_touched):
            dist[touched[k]] = np.inf
        space_ptr[q + 1] = filled
    return space_ptr, space_node[:filled], space_dist[:filled]


@numba.njit(cache=True)
def _meet(
    n: int, forward_ptr: np.ndarray, forward_node: np.ndarray, forward_dist: np.ndarray,
    backward_ptr: np.ndarray, backward_node: np.ndarray, backward_dist: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Matrix[source, target]: the lightest forward + backward distance over the nodes
    both searches settled (inf when they share none)."""
    sources = len(forward_ptr) - 1
    targets = len(backward_ptr) - 1
    bucket_ptr = np.zeros(n + 1, np.int64)
    for k in range(len(backward_node)):
        bucket_ptr[backward_node[k] + 1] += 1
    for v in range(n):
        bucket_ptr[v + 1] += bucket_ptr[v]
    fill = bucket_ptr[:-1].copy()
    bucket_target = np.empty(len(backward_node), np.int64)
    bucket_dist = np.empty(len(backward_node))
    for t in range(targets):
        for k in range(backward_ptr[t], backward_ptr[t + 1]):
            v = backward_node[k]
            bucket_target[fill[v]] = t
            bucket_dist[fill[v]] = backward_dist[k]
            fill[v] += 1
    result = np.full((sources, targets), np.inf)
    for s in range(sources):
        row = result[s]
        for k in range(forward_ptr[s], forward_ptr[s + 1]):
            v, d = forward_node[k], forward_dist[k]
            for b in range(bucket_ptr[v], bucket_ptr[v + 1]):
                total = d + bucket_dist[b]
                if total < row[bucket_target[b]]:
                    row[bucket_target[b]] = total
    return result


def _csr(n: int, tail: np.ndarray, head: np.ndarray, weight: np.ndarray) -> Adjacency:
    order = np.argsort(tail, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(tail, minlength=n))]).astype(np.int64)
    return Adjacency(ptr, head[order].astype(np.int64), weight[order].astype(np.float64))


@dataclass(frozen=True)
class Adjacency:
    """Outgoing arcs in CSR form: the arcs of node ``v`` are ``ptr[v]:ptr[v + 1]``."""

    ptr: np.ndarray
    head: np.ndarray
    weight: np.ndarray


@dataclass(frozen=True)
class Seeds:
    """Start nodes of several searches in CSR form: search ``q`` starts at
    ``node[ptr[q]:ptr[q + 1]]`` with initial distances ``dist[...]``."""

    ptr: np.ndarray
    node: np.ndarray
    dist: np.ndarray


@dataclass(frozen=True, eq=False)
class ContractionHierarchy:
    """A contracted directed graph of ``node_count`` nodes: ``upward`` holds the arcs
    (and shortcuts) towards more important nodes and the arcs inside the core,
    ``downward`` the arcs coming from more important nodes, reversed (for searches
    towards a target). A shortest path climbs upward arcs, may cross the core, and
    descends downward arcs, so a forward and a backward search meet on it."""

    node_count: int
    upward: Adjacency
    downward: Adjacency

    @classmethod
    def build(
        cls, node_count: int, tail: np.ndarray, head: np.ndarray, weight: np.ndarray,
        core_degree: int = CORE_DEGREE,
        simulate_settled: int = PRIORITY_WITNESS_SETTLED_NODES,
        apply_settled: int = WITNESS_SETTLED_NODES,
    ) -> ContractionHierarchy:  # fmt: skip
        """Contract the graph ``tail -> head`` with non-negative ``weight``; parallel arcs
        keep the lightest, loops are dropped."""
        tail, head = np.asarray(tail, np.int64), np.asarray(head, np.int64)
        weight = np.asarray(weight, np.float64)
        keep = tail != head
        tail, head, weight = tail[keep], head[keep], weight[keep]
        order = np.lexsort((weight, head, tail))
        tail, head, weight = tail[order], head[order], weight[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
        up_tail, up_head, up_weight, down_tail, down_head, down_weight = _contract(
            node_count, tail[first], head[first], weight[first], core_degree,
            simulate_settled, apply_settled,
        )  # fmt: skip
        return cls(
            node_count,
            _csr(node_count, up_tail, up_head, up_weight),
            _csr(node_count, down_tail, down_head, down_weight),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The hierarchy as named arrays (for ``np.savez``; :meth:`from_arrays` reads them)."""
        return {
            "node_count": np.array(self.node_count, dtype=np.int64),
            **{f"upward_{k}": getattr(self.upward, k) for k in Adjacency.__dataclass_fields__},
            **{f"downward_{k}": getattr(self.downward, k) for k in Adjacency.__dataclass_fields__},
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> ContractionHierarchy:
        """The hierarchy saved by :meth:`arrays`; ValueError when the arrays do not fit."""
        node_count = int(arrays["node_count"])
        sides = []
        for side in ("upward", "downward"):
            ptr = np.asarray(arrays[f"{side}_ptr"], np.int64)
            head = np.asarray(arrays[f"{side}_head"], np.int64)
            weight = np.asarray(arrays[f"{side}_weight"], np.float64)
            if (
                len(ptr) != node_count + 1
                or len(head) != len(weight)
                or ptr[0] != 0
                or ptr[-1] != len(head)
                or np.any(np.diff(ptr) < 0)
                or (len(head) and (head.min() < 0 or head.max() >= node_count))
            ):
                raise ValueError(f"inconsistent {side} arcs in a stored contraction hierarchy")
            sides.append(Adjacency(ptr, head, weight))
        return cls(node_count, sides[0], sides[1])

    def many_to_many(self, sources: Seeds, targets: Seeds) -> np.ndarray:
        """Lightest path weights, row = source search, column = target search (inf when
        unreachable). A target seed ``(node, d)`` means the target lies ``d`` beyond ``node``."""
        up, down = self.upward, self.downward
        forward = _upward_searches(
            sources.ptr, sources.node, sources.dist, up.ptr, up.head, up.weight,
            down.ptr, down.head, down.weight,
        )  # fmt: skip
        backward = _upward_searches(
            targets.ptr, targets.node, targets.dist, down.ptr, down.head, down.weight,
            up.ptr, up.head, up.weight,
        )  # fmt: skip
        return _meet(self.node_count, *forward, *backward)
