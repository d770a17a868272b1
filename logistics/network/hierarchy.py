"""Exact many-to-many shortest paths with a contraction hierarchy (compiled with numba).

Nodes are contracted one by one, least important first (edge difference plus the
number of contracted neighbours, updated lazily); contracting ``v`` adds a shortcut
``u -> x`` for a pair of its neighbours unless a witness search (a small Dijkstra that
avoids ``v``) finds a path no longer than ``u -> v -> x``. Every arc and shortcut weighs
what a real path weighs, in float64, so the hierarchy gives the lengths a plain
Dijkstra gives (up to the order of float additions). A many-to-many query runs one
upward search per source and one per target and meets them in buckets at the nodes
where they overlap.

Import this module only where numba is installed (``logistics.network.matrix`` falls
back to scipy otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

WITNESS_SETTLED_NODES = 60
"""A witness search before adding shortcuts settles at most this many nodes (more: fewer
shortcuts, slower build)."""

PRIORITY_WITNESS_SETTLED_NODES = 10
"""The same limit when only counting shortcuts to rank a node (cheaper, rougher)."""

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
def _live_neighbours(
    v: int, first: np.ndarray, following: np.ndarray, other_end: np.ndarray,
    arc_weight: np.ndarray, contracted: np.ndarray, nodes: np.ndarray, weights: np.ndarray,
) -> int:  # fmt: skip
    """Write the uncontracted neighbours of ``v`` along one adjacency list, unlinking the
    arcs to contracted nodes from that list; returns how many."""
    count = 0
    previous = -1
    a = first[v]
    while a >= 0:
        w = other_end[a]
        if contracted[w]:
            if previous < 0:
                first[v] = following[a]
            else:
                following[previous] = following[a]
        else:
            nodes[count] = w
            weights[count] = arc_weight[a]
            count += 1
            previous = a
        a = following[a]
    return count


@numba.njit(cache=True)
def _shortcuts(
    v: int, n_in: int, n_out: int, in_node: np.ndarray, in_weight: np.ndarray,
    out_node: np.ndarray, out_weight: np.ndarray, arc_tail: np.ndarray, arc_head: np.ndarray,
    arc_weight: np.ndarray, out_first: np.ndarray, out_next: np.ndarray,
    in_first: np.ndarray, in_next: np.ndarray, arcs: int, contracted: np.ndarray,
    dist: np.ndarray, touched: np.ndarray, heap_keys: np.ndarray, heap_items: np.ndarray,
    arc_at: np.ndarray, apply: bool, max_settled: int,
) -> tuple[int, int]:  # fmt: skip
    """Shortcuts that contracting ``v`` needs: (how many, arc count after adding them
    when ``apply``). The caller guarantees room for ``n_in * n_out`` more arcs;
    ``arc_at`` is all -1 (a scratch index from head node to arc)."""
    needed = 0
    for i in range(n_in):
        u = in_node[i]
        limit = 0.0
        for j in range(n_out):
            limit = max(limit, in_weight[i] + out_weight[j])
        # witness search: Dijkstra from u over uncontracted nodes other than v
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
            if d > limit or settled >= max_settled:
                break
            settled += 1
            previous = -1
            a = out_first[w]
            while a >= 0:
                x = arc_head[a]
                if contracted[x]:  # unlink the dead arc
                    if previous < 0:
                        out_first[w] = out_next[a]
                    else:
                        out_next[previous] = out_next[a]
                    a = out_next[a]
                    continue
                if x != v:
                    nd = d + arc_weight[a]
                    if nd < dist[x]:
                        if dist[x] == np.inf:
                            touched[n_touched] = x
                            n_touched += 1
                        dist[x] = nd
                        size = _heap_push(heap_keys, heap_items, size, nd, x)
                previous = a
                a = out_next[a]
        if apply:
            a = out_first[u]
            while a >= 0:
                arc_at[arc_head[a]] = a
                a = out_next[a]
        for j in range(n_out):
            x = out_node[j]
            via = in_weight[i] + out_weight[j]
            if x == u or dist[x] <= via:
                continue
            needed += 1
            if not apply:
                continue
            if arc_at[x] >= 0:
                arc_weight[arc_at[x]] = min(arc_weight[arc_at[x]], via)
                continue
            arc_tail[arcs], arc_head[arcs], arc_weight[arcs] = u, x, via
            out_next[arcs] = out_first[u]
            out_first[u] = arcs
            in_next[arcs] = in_first[x]
            in_first[x] = arcs
            arcs += 1
        if apply:
            a = out_first[u]
            while a >= 0:
                arc_at[arc_head[a]] = -1
                a = out_next[a]
        for k in range(n_touched):
            dist[touched[k]] = np.inf
    return needed, arcs


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
def _contract(
    n: int,
    tail: np.ndarray,
    head: np.ndarray,
    weight: np.ndarray,
    core_degree: int,
    simulate_settled: int,
    apply_settled: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Contract the nodes of the graph ``tail -> head`` (no parallel arcs, no loops) until
    the least important one has more than ``core_degree`` neighbours. Returns the
    contraction rank of every node (``n`` for the uncontracted core) and the arcs plus
    shortcuts (tail, head, weight; one per ordered pair, the lightest)."""
    capacity = 2 * len(tail) + 16
    arc_tail = _grow_int(tail, capacity)
    arc_head = _grow_int(head, capacity)
    arc_weight = _grow_float(weight, capacity)
    out_next = np.empty(capacity, np.int64)
    in_next = np.empty(capacity, np.int64)
    out_first = np.full(n, -1, np.int64)
    in_first = np.full(n, -1, np.int64)
    arcs = len(tail)
    for a in range(arcs):
        out_next[a] = out_first[tail[a]]
        out_first[tail[a]] = a
        in_next[a] = in_first[head[a]]
        in_first[head[a]] = a

    contracted = np.zeros(n, np.bool_)
    deleted_neighbours = np.zeros(n)
    priority = np.zeros(n)
    rank = np.full(n, n, np.int64)
    dist = np.full(n, np.inf)
    touched = np.empty(n, np.int64)
    arc_at = np.full(n, -1, np.int64)
    heap_keys = np.empty(capacity + n)
    heap_items = np.empty(capacity + n, np.int64)
    in_node = np.empty(n, np.int64)
    in_weight = np.empty(n)
    out_node = np.empty(n, np.int64)
    out_weight = np.empty(n)
    queue_keys = np.empty(4 * n + 16)
    queue_items = np.empty(4 * n + 16, np.int64)
    queue_size = 0

    for v in range(n):
        n_in = _live_neighbours(
            v, in_first, in_next, arc_tail, arc_weight, contracted, in_node, in_weight
        )
        n_out = _live_neighbours(
            v, out_first, out_next, arc_head, arc_weight, contracted, out_node, out_weight
        )
        needed, _ = _shortcuts(
            v, n_in, n_out, in_node, in_weight, out_node, out_weight, arc_tail, arc_head,
            arc_weight, out_first, out_next, in_first, in_next, arcs, contracted, dist,
            touched, heap_keys, heap_items, arc_at, False, simulate_settled,
        )  # fmt: skip
        priority[v] = needed - n_in - n_out
        queue_size = _heap_push(queue_keys, queue_items, queue_size, priority[v], v)

    next_rank = 0
    while queue_size > 0:
        p, v = queue_keys[0], queue_items[0]
        queue_size = _heap_pop(queue_keys, queue_items, queue_size)
        if contracted[v] or p != priority[v]:
            continue
        n_in = _live_neighbours(
            v, in_first, in_next, arc_tail, arc_weight, contracted, in_node, in_weight
        )
        n_out = _live_neighbours(
            v, out_first, out_next, arc_head, arc_weight, contracted, out_node, out_weight
        )
        needed, _ = _shortcuts(
            v, n_in, n_out, in_node, in_weight, out_node, out_weight, arc_tail, arc_head,
            arc_weight, out_first, out_next, in_first, in_next, arcs, contracted, dist,
            touched, heap_keys, heap_items, arc_at, False, simulate_settled,
        )  # fmt: skip
        priority[v] = needed - n_in - n_out + deleted_neighbours[v]
        if queue_size > 0 and priority[v] > queue_keys[0]:
            # lazy update: someone else is now less important
            queue_size = _heap_push(queue_keys, queue_items, queue_size, priority[v], v)
            continue
        if n_in + n_out > core_degree:
            break  # the rest stays uncontracted: the core
        if arcs + n_in * n_out > capacity:
            capacity = 2 * (arcs + n_in * n_out)
            arc_tail = _grow_int(arc_tail, capacity)
            arc_head = _grow_int(arc_head, capacity)
            arc_weight = _grow_float(arc_weight, capacity)
            out_next = _grow_int(out_next, capacity)
            in_next = _grow_int(in_next, capacity)
            heap_keys = np.empty(capacity + n)
            heap_items = np.empty(capacity + n, np.int64)
        _, arcs = _shortcuts(
            v, n_in, n_out, in_node, in_weight, out_node, out_weight, arc_tail, arc_head,
            arc_weight, out_first, out_next, in_first, in_next, arcs, contracted, dist,
            touched, heap_keys, heap_items, arc_at, True, apply_settled,
        )  # fmt: skip
        contracted[v] = True
        rank[v] = next_rank
        next_rank += 1
        for k in range(n_in + n_out):
            w = in_node[k] if k < n_in else out_node[k - n_in]
            deleted_neighbours[w] += 1
            priority[w] += 1
            if queue_size == len(queue_keys):
                queue_keys = _grow_float(queue_keys, 2 * queue_size)
                queue_items = _grow_int(queue_items, 2 * queue_size)
            queue_size = _heap_push(queue_keys, queue_items, queue_size, priority[w], w)
    return rank, arc_tail[:arcs], arc_head[:arcs], arc_weight[:arcs]


@numba.njit(cache=True)
def _upward_searches(
    seed_ptr: np.ndarray, seed_node: np.ndarray, seed_dist: np.ndarray,
    ptr: np.ndarray, head: np.ndarray, weight: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """One Dijkstra per query over the upward graph (CSR ``ptr``/``head``/``weight``),
    started from that query's seeds (node, initial distance). Returns every settled
    node with its distance, grouped by query (CSR: ptr, node, dist)."""
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
        rank, arc_tail, arc_head, arc_weight = _contract(
            node_count,
            tail[first],
            head[first],
            weight[first],
            core_degree,
            simulate_settled,
            apply_settled,
        )
        up = rank[arc_tail] < rank[arc_head]
        core = (rank[arc_tail] == node_count) & (rank[arc_head] == node_count)
        down = rank[arc_tail] > rank[arc_head]
        forward = up | core
        return cls(
            node_count,
            _csr(node_count, arc_tail[forward], arc_head[forward], arc_weight[forward]),
            _csr(node_count, arc_head[down], arc_tail[down], arc_weight[down]),
        )

    def many_to_many(self, sources: Seeds, targets: Seeds) -> np.ndarray:
        """Lightest path weights, row = source search, column = target search (inf when
        unreachable). A target seed ``(node, d)`` means the target lies ``d`` beyond ``node``."""
        forward = _upward_searches(
            sources.ptr, sources.node, sources.dist,
            self.upward.ptr, self.upward.head, self.upward.weight,
        )  # fmt: skip
        backward = _upward_searches(
            targets.ptr, targets.node, targets.dist,
            self.downward.ptr, self.downward.head, self.downward.weight,
        )  # fmt: skip
        return _meet(self.node_count, *forward, *backward)
