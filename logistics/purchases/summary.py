"""The figures of a purchase import (``import_report.json``) as typed records: what
was read, the period, the kilograms by basis and match, freight, what was not used,
the orders written and the flows outside the framework agreements."""

from __future__ import annotations

from typing import TypedDict


class ReadingSummary(TypedDict):
    """What the import read: documents by outcome, kind and unit match, lines by how
    their category was found, non-goods amounts (NOK) by kind, problems and skips."""

    documents_read: int
    documents_failed: int
    documents_skipped: int
    documents_duplicate: int
    documents_by_kind: dict[str, int]
    documents_by_unit_match: dict[str, int]
    lines_by_category_method: dict[str, int]
    non_goods_nok: dict[str, float]
    problems: list[str]
    skipped: list[str]


class ImportPeriod(TypedDict):
    """The weeks the orders are averaged over (ISO dates; None when nothing was
    delivered)."""

    first_date: str | None
    last_date: str | None
    weeks: float
    rule: str


class KgFigures(TypedDict):
    """Net kg of the flows: in all, and by weight basis and by how the unit was
    matched."""

    kg_total: float
    kg_by_weight_basis: dict[str, float]
    kg_share_by_weight_basis: dict[str, float]
    kg_by_unit_match: dict[str, float]


class FreightSummary(TypedDict):
    """Freight charges on the documents read (NOK), in all and by supplier."""

    freight_nok_total: float
    freight_nok_by_supplier: dict[str, float]
    note: str


class UnmatchedSummary(TypedDict):
    """Lines or documents not used, and their kg, by reason."""

    lines_or_documents_by_reason: dict[str, int]
    kg_by_reason: dict[str, float]


class OrderCounts(TypedDict):
    """Orders written, those waiting for a supplier position, and flows left out
    because their net kg is zero or less."""

    orders: int
    orders_needing_position: int
    flows_net_zero_or_less: int


class ImportSummary(KgFigures):
    """``import_report.json``: the figures of one import (``reading``, ``period``,
    ``rules``, the kg figures, then the rest, in the file's order)."""

    reading: ReadingSummary
    period: ImportPeriod
    rules: dict[str, int]
    freight: FreightSummary
    unmatched: UnmatchedSummary
    orders: OrderCounts
    suppliers_needing_position: list[str]
    outside_agreements: dict[str, int | float]
    """Suppliers, deliveries and kg outside the framework agreements, with their
    shares (the profile's ``outside_agreements``)."""
