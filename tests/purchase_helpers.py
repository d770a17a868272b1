"""Small UBL 2.1 purchase documents (Peppol BIS 3 shapes) written by the tests
themselves, with optional personal data planted in every personal field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from logistics.paths import DATASET_DIR

UNITS = DATASET_DIR / "units.csv"
SUPPLIERS = DATASET_DIR / "suppliers.csv"
DRY_FOOD_ORG = "104200001"
"""The illustrative dry-food wholesaler's org number in the shipped supplier list."""
KG_ORG = "815471202"
"""Bjerknesparken barnehage (unit kg-815471202), Vilhelm Bjerknes' vei 54, 5081."""
KG2_ORG = "874225762"
"""Fana barnehage (unit kg-874225762)."""

NS = ('xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
      'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"')
MARK = "Kari Nordmann"
"""A person's name planted in personal fields; must never reach an output."""
PERSONAL = ("Kari Nordmann", "kari.nordmann@example.no", "+47 912 34 567",
            "Ring Kari før levering")


@dataclass(frozen=True)
class Line:
    quantity: float
    unit_code: str = "KGM"
    amount_nok: float | None = 100.0
    name: str = "Havregryn"
    unspsc: str = ""


def _contact(personal: bool, element: str = "cac:Contact") -> str:
    if not personal:
        return ""
    name, email, phone, _ = PERSONAL
    return (f"<{element}><cbc:Name>{name}</cbc:Name><cbc:Telephone>{phone}</cbc:Telephone>"
            f"<cbc:ElectronicMail>{email}</cbc:ElectronicMail></{element}>")


def _party(org: str, name: str, postcode: str = "", personal: bool = False) -> str:
    address = (f"<cac:PostalAddress><cbc:PostalZone>{postcode}</cbc:PostalZone>"
               "<cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country>"
               "</cac:PostalAddress>") if postcode else ""
    return (f'<cac:Party><cbc:EndpointID schemeID="0192">{org}</cbc:EndpointID>'
            f"<cac:PartyName><cbc:Name>{name}</cbc:Name></cac:PartyName>{address}"
            f"<cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName>"
            f'<cbc:CompanyID schemeID="0192">{org}</cbc:CompanyID></cac:PartyLegalEntity>'
            f"{_contact(personal)}</cac:Party>")


def _item(line: Line) -> str:
    code = (f'<cac:CommodityClassification><cbc:ItemClassificationCode listID="STI">'
            f"{line.unspsc}</cbc:ItemClassificationCode></cac:CommodityClassification>"
            if line.unspsc else "")
    return f"<cac:Item><cbc:Name>{line.name}</cbc:Name>{code}</cac:Item>"


def invoice(document_id: str, *, seller_org: str = DRY_FOOD_ORG, seller_name: str = "Grossist AS",
            seller_postcode: str = "", unit_org: str | None = KG_ORG,
            street: str = "", postcode: str = "", delivery_name: str = "",
            accounting_cost: str = "", delivery_date: str | None = "2026-01-05",
            period: tuple[str, str] | None = None, lines: Sequence[Line] = (Line(10),),
            order_ref: str = "", freight_nok: float | None = None, credit: bool = False,
            billing_ref: str = "", personal: bool = False, issue_date: str = "2026-01-05"
            ) -> bytes:
    """An Invoice (or CreditNote) in the Peppol BIS Billing 3.0 shape."""
    root = "CreditNote" if credit else "Invoice"
    line_tag = "CreditNoteLine" if credit else "InvoiceLine"
    quantity_tag = "CreditedQuantity" if credit else "InvoicedQuantity"
    note = f"<cbc:Note>{PERSONAL[3]}</cbc:Note>" if personal else ""
    buyer_ref = f"<cbc:BuyerReference>{MARK}</cbc:BuyerReference>" if personal else ""
    cost = f"<cbc:AccountingCost>{accounting_cost}</cbc:AccountingCost>" if accounting_cost else ""
    period_xml = (f"<cac:InvoicePeriod><cbc:StartDate>{period[0]}</cbc:StartDate>"
                  f"<cbc:EndDate>{period[1]}</cbc:EndDate></cac:InvoicePeriod>") if period else ""
    order_xml = f"<cac:OrderReference><cbc:ID>{order_ref}</cbc:ID></cac:OrderReference>" \
        if order_ref else ""
    billing = (f"<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{billing_ref}"
               "</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>"
               if billing_ref else "")
    location_id = f'<cbc:ID schemeID="0192">{unit_org}</cbc:ID>' if unit_org else ""
    address = (f"<cac:Address><cbc:StreetName>{street}</cbc:StreetName><cbc:PostalZone>"
               f"{postcode}</cbc:PostalZone></cac:Address>") if street else ""
    party = (f"<cac:DeliveryParty><cac:PartyName><cbc:Name>{delivery_name}</cbc:Name>"
             "</cac:PartyName></cac:DeliveryParty>") if delivery_name else ""
    date_xml = (f"<cbc:ActualDeliveryDate>{delivery_date}</cbc:ActualDeliveryDate>"
                if delivery_date else "")
    delivery = (f"<cac:Delivery>{date_xml}<cac:DeliveryLocation>{location_id}{address}"
                f"</cac:DeliveryLocation>{party}</cac:Delivery>")
    freight = ("<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
               "<cbc:AllowanceChargeReasonCode>FC</cbc:AllowanceChargeReasonCode>"
               f'<cbc:Amount currencyID="NOK">{freight_nok}</cbc:Amount></cac:AllowanceCharge>'
               if freight_nok is not None else "")
    accounting_contact = _contact(personal, "cac:AccountingContact")
    seller_party = _party(seller_org, seller_name, seller_postcode, personal)
    body = "".join(
        f"<cac:{line_tag}><cbc:ID>{n}</cbc:ID>"
        + (f"<cbc:Note>{PERSONAL[3]}</cbc:Note>" if personal else "")
        + f'<cbc:{quantity_tag} unitCode="{x.unit_code}">{x.quantity}</cbc:{quantity_tag}>'
        + (f'<cbc:LineExtensionAmount currencyID="NOK">{x.amount_nok}</cbc:LineExtensionAmount>'
           if x.amount_nok is not None else "")
        + f"{_item(x)}</cac:{line_tag}>"
        for n, x in enumerate(lines, start=1))
    type_code = "" if credit else "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>"
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2" {NS}>'
            f"<cbc:ID>{document_id}</cbc:ID><cbc:IssueDate>{issue_date}</cbc:IssueDate>"
            f"{type_code}{note}<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>"
            f"{cost}{buyer_ref}{period_xml}{order_xml}{billing}"
            f"<cac:AccountingSupplierParty>{seller_party}"
            f"{accounting_contact}</cac:AccountingSupplierParty>"
            f"<cac:AccountingCustomerParty>{_party('964338531', 'Bergen kommune', '', personal)}"
            f"{accounting_contact}</cac:AccountingCustomerParty>"
            f"{delivery}{freight}{body}</{root}>")
    return text.encode()


def despatch_advice(document_id: str, *, seller_org: str = DRY_FOOD_ORG,
                    unit_org: str = KG_ORG, date: str = "2026-01-05", gross_kg: float = 12.5,
                    order_ref: str = "", lines: Sequence[Line] = (Line(1, "EA", None),),
                    personal: bool = False) -> bytes:
    """A Despatch Advice in the Peppol BIS Despatch Advice 3 shape."""
    contact = _contact(personal, "cac:DeliveryContact")
    order_xml = f"<cac:OrderReference><cbc:ID>{order_ref}</cbc:ID></cac:OrderReference>" \
        if order_ref else ""
    body = "".join(
        f"<cac:DespatchLine><cbc:ID>{n}</cbc:ID>"
        f'<cbc:DeliveredQuantity unitCode="{x.unit_code}">{x.quantity}</cbc:DeliveredQuantity>'
        f"{_item(x)}</cac:DespatchLine>" for n, x in enumerate(lines, start=1))
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<DespatchAdvice '
            f'xmlns="urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2" {NS}>'
            f"<cbc:ID>{document_id}</cbc:ID><cbc:IssueDate>{date}</cbc:IssueDate>"
            + (f"<cbc:Note>{PERSONAL[3]}</cbc:Note>" if personal else "")
            + f"{order_xml}<cac:DespatchSupplierParty>{_party(seller_org, 'Grossist AS')}"
            f"</cac:DespatchSupplierParty><cac:DeliveryCustomerParty>"
            f"{_party(unit_org, 'Barnehage', '', personal)}{contact}</cac:DeliveryCustomerParty>"
            f'<cac:Shipment><cbc:ID>1</cbc:ID><cbc:GrossWeightMeasure unitCode="KGM">{gross_kg}'
            f"</cbc:GrossWeightMeasure><cac:Delivery><cbc:ActualDeliveryDate>{date}"
            f"</cbc:ActualDeliveryDate></cac:Delivery></cac:Shipment>{body}</DespatchAdvice>")
    return text.encode()


def order(document_id: str, *, seller_org: str = DRY_FOOD_ORG, unit_org: str = KG_ORG,
          date: str = "2026-01-07", lines: Sequence[Line] = (Line(8),)) -> bytes:
    """An Order in the Peppol BIS Ordering 3 shape."""
    body = "".join(
        f"<cac:OrderLine><cac:LineItem><cbc:ID>{n}</cbc:ID>"
        f'<cbc:Quantity unitCode="{x.unit_code}">{x.quantity}</cbc:Quantity>'
        f"{_item(x)}</cac:LineItem></cac:OrderLine>" for n, x in enumerate(lines, start=1))
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Order '
            f'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2" {NS}>'
            f"<cbc:ID>{document_id}</cbc:ID><cbc:IssueDate>2026-01-02</cbc:IssueDate>"
            f"<cac:BuyerCustomerParty>{_party('964338531', 'Bergen kommune')}"
            f"</cac:BuyerCustomerParty><cac:SellerSupplierParty>"
            f"{_party(seller_org, 'Grossist AS')}</cac:SellerSupplierParty>"
            f'<cac:Delivery><cac:DeliveryLocation><cbc:ID schemeID="0192">{unit_org}</cbc:ID>'
            f"</cac:DeliveryLocation><cac:RequestedDeliveryPeriod><cbc:StartDate>{date}"
            f"</cbc:StartDate></cac:RequestedDeliveryPeriod></cac:Delivery>{body}</Order>")
    return text.encode()


def cancellation(document_id: str, order_id: str, *, seller_org: str = DRY_FOOD_ORG) -> bytes:
    """An Order Cancellation naming ``order_id``."""
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<OrderCancellation '
            f'xmlns="urn:oasis:names:specification:ubl:schema:xsd:OrderCancellation-2" {NS}>'
            f"<cbc:ID>{document_id}</cbc:ID><cbc:IssueDate>2026-01-03</cbc:IssueDate>"
            f"<cac:OrderReference><cbc:ID>{order_id}</cbc:ID></cac:OrderReference>"
            f"<cac:SellerSupplierParty>{_party(seller_org, 'Grossist AS')}"
            f"</cac:SellerSupplierParty></OrderCancellation>")
    return text.encode()


def write(folder: Path, documents: dict[str, bytes]) -> Path:
    """Write ``name -> bytes`` into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in documents.items():
        (folder / name).write_bytes(data)
    return folder
