"""What the import keeps of a purchase document: only the fields it needs.

Readers (UBL XML, flat CSV/XLSX exports) turn a document into a
:class:`PurchaseDocument`; nothing personal (contact names, phone numbers, e-mail
addresses, notes) is ever read into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    ORDER = "order"
    DESPATCH_ADVICE = "despatch_advice"
    ORDER_CANCELLATION = "order_cancellation"


@dataclass(frozen=True, slots=True)
class Party:
    """A seller: organisation number (9 digits), GLN, company name, postal code."""

    org_number: str = ""
    gln: str = ""
    name: str = ""
    postcode: str = ""

    @property
    def key(self) -> str:
        """The seller's identity across documents: org number, else GLN, else name."""
        if self.org_number:
            return f"org:{self.org_number}"
        if self.gln:
            return f"gln:{self.gln}"
        return f"name:{' '.join(self.name.lower().split())}"


@dataclass(frozen=True, slots=True)
class DeliveryPlace:
    """Where the goods went, as the document names it (tried in this order)."""

    ids: tuple[str, ...] = ()
    """GLNs and organisation numbers of the delivery location and party."""
    cost_centres: tuple[str, ...] = ()
    """The buyer's accounting codes ("ansvar") and references."""
    street: str = ""
    postcode: str = ""
    name: str = ""
    buyer_ids: tuple[str, ...] = ()
    """Ids of the buying party, tried last (a unit that buys for itself)."""


@dataclass(frozen=True, slots=True)
class PurchaseLine:
    """One line: quantity and its UN/ECE Rec. 20 unit, amount, item ids and classes."""

    line_id: str
    quantity: float
    unit_code: str
    amount_nok: float | None
    item_name: str = ""
    gtin: str = ""
    seller_item_id: str = ""
    unspsc: str = ""
    seller_category: str = ""
    period: tuple[dt.date, dt.date] | None = None


@dataclass(frozen=True, slots=True)
class PurchaseDocument:
    """One invoice, credit note, order, despatch advice or order cancellation."""

    kind: DocumentKind
    document_id: str
    seller: Party
    delivery: DeliveryPlace
    lines: tuple[PurchaseLine, ...]
    issue_date: dt.date | None = None
    delivery_date: dt.date | None = None
    delivery_date_basis: str = ""
    """``delivery_date`` (actual), ``estimated``, ``requested`` or ``despatch``."""
    period: tuple[dt.date, dt.date] | None = None
    order_reference: str = ""
    billing_reference: str = ""
    """For a credit note: the invoice it corrects."""
    gross_weight_kg: float | None = None
    gross_volume_m3: float | None = None
    freight_nok: float = 0.0
    """Document-level freight charges (charges with reason code FC or a freight reason)."""
    currency: str = "NOK"
    warnings: tuple[tuple[str, str, str], ...] = ()
    """Parts of the document that were not used: (element path, found, allowed)."""
