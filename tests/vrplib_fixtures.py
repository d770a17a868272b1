"""Tiny VRPLIB instances written out in the tests."""

from __future__ import annotations


def three_node_vrptw(name: str, customer_window_ends: tuple[int, int]) -> str:
    """A depot at (0, 0) and customers at (1, 1) and (3, 4) with demands 4 and 7,
    capacity 10 (so one route per customer), service 5, windows [0, end]."""
    first, second = customer_window_ends
    return f"""NAME : {name}
TYPE : CVRPTW
DIMENSION : 3
VEHICLES : 2
CAPACITY : 10
SERVICE_TIME : 5
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 1 1
3 3 4
DEMAND_SECTION
1 0
2 4
3 7
TIME_WINDOW_SECTION
1 0 100
2 0 {first}
3 0 {second}
DEPOT_SECTION
1
-1
EOF
"""
